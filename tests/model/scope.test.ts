import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { findAll } from "../../src/model/ast.js";
import { parseSource } from "../../src/model/parse.js";
import { resolveName } from "../../src/model/scope.js";

/** A module long enough for its top level to be looked up through a table, and a short block. */
const code = [
  'import { api } from "./api";',
  ...Array.from({ length: 12 }, (_, i) => `const filler${i} = ${i};`),
  "const { data: { object: session }, type, ...rest } = event;",
  "const [, second, [third = 1]] = list;",
  "var twice = 1;",
  "var twice = 2;",
  "export function handler(req) { return req; }",
  "export class Store {}",
  "export const { id: exportedId } = config;",
  "function inner() {",
  "  const local = 1;",
  "  return [session, type, rest, second, third, twice, handler, Store, exportedId, local, api, missing];",
  "}",
].join("\n");

describe("resolveName", () => {
  const program = parseSource(code, "lib/module.ts");
  const returned = findAll(program, ["ReturnStatement"]).find((r) => r.argument?.type === "ArrayExpression")!;
  const names = (returned.argument as TSESTree.ArrayExpression).elements as TSESTree.Identifier[];
  const at = (name: string) => names.find((n) => n.name === name)!;
  const summary = (name: string) => {
    const binding = resolveName(name, at(name));
    if (!binding) return null;
    return {
      kind: binding.kind,
      line: binding.id.loc.start.line,
      path: "path" in binding ? binding.path : undefined,
    };
  };

  it("finds destructured, exported and repeated declarations at a long top level, first one first", () => {
    expect(summary("session")).toEqual({ kind: "variable", line: 14, path: ["data", "object"] });
    expect(summary("type")).toEqual({ kind: "variable", line: 14, path: ["type"] });
    expect(summary("rest")).toEqual({ kind: "variable", line: 14, path: [] });
    expect(summary("second")).toEqual({ kind: "variable", line: 15, path: ["1"] });
    expect(summary("third")).toEqual({ kind: "variable", line: 15, path: ["2", "0"] });
    expect(summary("twice")).toEqual({ kind: "variable", line: 16, path: [] });
    expect(summary("handler")).toEqual({ kind: "function", line: 18, path: undefined });
    expect(summary("Store")).toEqual({ kind: "other", line: 19, path: undefined });
    expect(summary("exportedId")).toEqual({ kind: "variable", line: 20, path: ["id"] });
  });

  it("prefers the innermost declaration and returns null for imports and globals", () => {
    expect(summary("local")).toEqual({ kind: "variable", line: 22, path: [] });
    expect(summary("api")).toBeNull();
    expect(summary("missing")).toBeNull();
  });
});
