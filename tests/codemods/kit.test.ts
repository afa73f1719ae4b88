/** The shared codemod engine helpers: style detection, text edits, ensure-import, ensure-schema-table, discovery. */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverLayout, listSourceFiles, resolveSpecifier } from "../../src/codemod-kit/discover.js";
import { ensureImport } from "../../src/codemod-kit/ensure-import.js";
import { ensureSchemaTable, readSchema } from "../../src/codemod-kit/ensure-schema-table.js";
import { codeFrame, lineColumn } from "../../src/codemod-kit/frame.js";
import { virtualProject } from "../../src/codemod-kit/project.js";
import { saveChanges } from "../../src/codemod-kit/save.js";
import { detectInsertStyle, detectStyle } from "../../src/codemod-kit/style.js";
import { insertPropertyEdit, removeStatementEdit, unusedImportEdits } from "../../src/codemod-kit/text-edits.js";
import { findAll } from "../../src/model/ast.js";
import { parseSource } from "../../src/model/parse.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function apply(text: string, edit: { start: number; end: number; text: string }): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

describe("detectStyle", () => {
  it("reads quotes, semicolons, indentation and trailing commas", () => {
    const text = "import { a } from 'a'\n\nconst x = {\n    b: 'c',\n}\nfoo(x)\n";
    expect(detectStyle(text, parseSource(text, "x.ts"))).toEqual({ quote: "'", semicolons: false, indent: "    ", newline: "\n", trailingCommas: true });
    const tabs = 'import { a } from "a";\n\nif (a) {\n\tfoo({\n\t\tb: 1\n\t});\n}\n';
    expect(detectStyle(tabs, parseSource(tabs, "x.ts"))).toEqual({ quote: '"', semicolons: true, indent: "\t", newline: "\n", trailingCommas: false });
  });
});

describe("detectInsertStyle", () => {
  it("reads quotes and semicolons from the top level when it has enough of them", () => {
    // The top level says single quotes and no semicolons; the function body, alone, would outvote it.
    const text = "import a from 'a'\nimport b from 'b'\nimport c from 'c'\nexport const x = 1\nfunction f() {\n    g(\"1\", \"2\", \"3\", \"4\");\n    h();\n    i();\n    j();\n    k();\n}\n";
    expect(detectInsertStyle(text, parseSource(text, "x.ts"))).toEqual({ quote: "'", semicolons: false, indent: "    ", newline: "\n" });
    expect(detectStyle(text, parseSource(text, "x.ts"))).toMatchObject({ quote: '"', semicolons: true });
  });

  it("reads the whole file when the top level has too few samples", () => {
    const text = "export function f() {\n  g('1', '2');\n  h()\n  i()\n}\n";
    expect(detectInsertStyle(text, parseSource(text, "x.ts"))).toEqual({ quote: "'", semicolons: false, indent: "  ", newline: "\n" });
  });
});

describe("insertPropertyEdit", () => {
  const style = { quote: '"' as const, semicolons: true, indent: "  ", newline: "\n" as const, trailingCommas: true };
  const cases: Array<[string, string, string]> = [
    ["single line", "f({ a: 1 });", "f({ a: 1, eventId: x });"],
    ["single line with trailing comma", "f({ a: 1, });", "f({ a: 1, eventId: x, });"],
    ["empty", "f({});", "f({ eventId: x });"],
    ["multi-line with trailing comma", "f({\n  a: 1,\n});", "f({\n  a: 1,\n  eventId: x,\n});"],
    ["multi-line without trailing comma", "f({\n  a: 1\n});", "f({\n  a: 1,\n  eventId: x\n});"],
  ];
  for (const [name, input, output] of cases) {
    it(name, () => {
      const object = findAll(parseSource(input, "x.ts"), ["ObjectExpression"])[0]!;
      expect(apply(input, insertPropertyEdit(input, object, "eventId: x", style))).toBe(output);
    });
  }
  it("goes before a rest element in a pattern", () => {
    const input = "const f = ({ a, ...rest }) => a;";
    const pattern = findAll(parseSource(input, "x.ts"), ["ObjectPattern"])[0]!;
    expect(apply(input, insertPropertyEdit(input, pattern, "eventId", style))).toBe("const f = ({ a, eventId, ...rest }) => a;");
  });
});

describe("removeStatementEdit", () => {
  it("removes the statement, its comment and one of the blank lines around it", () => {
    const input = "function f() {\n  a();\n\n  // why\n  b();\n\n  c();\n}\n";
    const program = parseSource(input, "x.ts");
    const b = findAll(program, ["ExpressionStatement"])[1]!;
    expect(apply(input, removeStatementEdit(input, b, program.comments ?? []))).toBe("function f() {\n  a();\n\n  c();\n}\n");
  });
  it("removes a run of statements as one", () => {
    const input = "function f() {\n  a();\n\n  const x = q();\n  if (x) return;\n\n  c();\n}\n";
    const program = parseSource(input, "x.ts");
    const first = findAll(program, ["VariableDeclaration"])[0]!;
    const last = findAll(program, ["IfStatement"])[0]!;
    expect(apply(input, removeStatementEdit(input, first, [], last))).toBe("function f() {\n  a();\n\n  c();\n}\n");
  });
});

describe("unusedImportEdits", () => {
  it("drops specifiers and declarations that are no longer used, and nothing else", () => {
    const input = 'import { a, b } from "m";\nimport c from "c";\nimport { d } from "d";\na(d);\n';
    const program = parseSource(input, "x.ts");
    const edits = unusedImportEdits(input, program, new Set(["b", "c", "d"]));
    let out = input;
    for (const edit of [...edits].sort((x, y) => y.start - x.start)) out = apply(out, edit);
    expect(out).toBe('import { a } from "m";\nimport { d } from "d";\na(d);\n');
  });
});

describe("ensureImport", () => {
  it("reuses, extends or adds an import in the file's style", () => {
    const project = virtualProject("/p", {
      "a.ts": 'import { v } from "convex/values";\n',
      "b.ts": "import { mutation } from './_generated/server'\nimport { ConvexError } from 'convex/values'\n",
      "c.ts": "export const x = 1\n",
    });
    expect(ensureImport(project, "a.ts", { name: "v", from: "convex/values" })).toEqual({ ok: true, local: "v", added: false });
    expect(ensureImport(project, "b.ts", { name: "v", from: "convex/values" })).toEqual({ ok: true, local: "v", added: true });
    expect(project.text("b.ts")).toBe("import { mutation } from './_generated/server'\nimport { ConvexError, v } from 'convex/values'\n");
    ensureImport(project, "c.ts", { name: "v", from: "convex/values" });
    expect(project.text("c.ts")).toBe('import { v } from "convex/values"\nexport const x = 1\n');
  });
  it("refuses a name that is taken", () => {
    const project = virtualProject("/p", { "a.ts": "const v = 1;\n" });
    expect(ensureImport(project, "a.ts", { name: "v", from: "convex/values" }).ok).toBe(false);
  });
});

describe("ensureSchemaTable", () => {
  const request = { name: "processed_events", fields: [{ name: "eventId", validator: "string()" }], index: { name: "by_event_id", fields: ["eventId"] } };
  it("adds the table once and reuses it after", () => {
    const project = virtualProject("/p", {
      "convex/schema.ts": 'import { defineSchema, defineTable } from "convex/server";\nimport { v } from "convex/values";\n\nexport default defineSchema({\n  users: defineTable({ name: v.string() }),\n});\n',
    });
    expect(ensureSchemaTable(project, request)).toEqual({ ok: true, added: true, table: "processed_events", index: "by_event_id" });
    expect(project.text("convex/schema.ts")).toBe(
      'import { defineSchema, defineTable } from "convex/server";\nimport { v } from "convex/values";\n\nexport default defineSchema({\n  users: defineTable({ name: v.string() }),\n  processed_events: defineTable({\n    eventId: v.string(),\n  }).index("by_event_id", ["eventId"]),\n});\n',
    );
    expect(ensureSchemaTable(project, request)).toEqual({ ok: true, added: false, table: "processed_events", index: "by_event_id" });
    const schema = readSchema(project);
    expect(schema.ok && schema.schema.tables.get("processed_events")?.indexes).toEqual([{ name: "by_event_id", fields: ["eventId"] }]);
  });
  it("refuses an existing table of that name without the index, and a missing schema", () => {
    const project = virtualProject("/p", {
      "convex/schema.ts": 'import { defineSchema, defineTable } from "convex/server";\nimport { v } from "convex/values";\nexport default defineSchema({ processed_events: defineTable({ id: v.string() }) });\n',
    });
    const result = ensureSchemaTable(project, request);
    expect(result.ok).toBe(false);
    expect(ensureSchemaTable(virtualProject("/p", { "convex/x.ts": "" }), request)).toMatchObject({ ok: false, file: null });
  });
});

describe("discovery", () => {
  it("finds the Convex folder, path aliases and app folders, and ignores build output", () => {
    const root = mkdtempSync(join(tmpdir(), "webhook-lint-kit-"));
    temps.push(root);
    const files: Record<string, string> = {
      "package.json": "{}",
      "convex.json": '{ "functions": "src/backend/" }',
      "tsconfig.json": '{\n  // comments are fine\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } },\n}',
      "src/backend/billing.ts": "",
      "src/backend/_generated/api.d.ts": "",
      "src/backend/_generated/api.js": "",
      "src/app/api/route.ts": "",
      "node_modules/x/index.js": "",
      ".next/server/app.js": "",
      "types/env.d.ts": "",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const layout = discoverLayout(root);
    expect(layout).toEqual({ root, convexDir: "src/backend", aliases: [{ pattern: "@/*", targets: ["src/*"] }], appDirs: ["src/app"] });
    expect(listSourceFiles(layout)).toEqual(["src/app/api/route.ts", "src/backend/billing.ts"]);
    expect(resolveSpecifier(layout, "src/app/api/route.ts", "@/backend/_generated/api")).toBe("src/backend/_generated/api");
    expect(resolveSpecifier(layout, "src/app/api/route.ts", "../../backend/billing.js")).toBe("src/backend/billing");
    expect(resolveSpecifier(layout, "src/app/api/route.ts", "stripe")).toBeNull();
  });
});

describe("frames and saving", () => {
  it("frames a site with a marker and a caret", () => {
    const text = "a\nb\n  c();\nd\ne\nf\n";
    expect(lineColumn(text, text.indexOf("c("))).toEqual({ line: 3, column: 3 });
    expect(codeFrame(text, 3, 3)).toBe("  1 | a\n  2 | b\n> 3 |   c();\n    |   ^\n  4 | d\n  5 | e");
  });
  it("writes every change, creating folders", () => {
    const root = mkdtempSync(join(tmpdir(), "webhook-lint-kit-"));
    temps.push(root);
    saveChanges(root, [{ file: "convex/new.ts", before: null, after: "x\n" }]);
    expect(readFileSync(join(root, "convex", "new.ts"), "utf8")).toBe("x\n");
    expect(existsSync(join(root, "convex", "new.ts.webhook-lint.tmp"))).toBe(false);
  });
});
