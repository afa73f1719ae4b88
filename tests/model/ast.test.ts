import { describe, expect, it } from "vitest";
import { findAll, nodesOfType, unwrap, walk, WRAPPER_TYPES, type Node } from "../../src/model/ast.js";
import { parseSource } from "../../src/model/parse.js";

const code = [
  'import { createHmac } from "node:crypto";',
  "type Handler = (req: Request) => Promise<Response>;",
  "interface Event { type: string }",
  "export async function POST(req: Request): Promise<Response> {",
  "  const body = (await req.json()) as Event;",
  "  const sign = <T,>(x: T) => createHmac(\"sha256\", String(x)).digest(\"hex\");",
  "  if (body.type === \"invoice.paid\") return Response.json(sign(body) satisfies string);",
  "  return new Response(null, { status: 200 });",
  "}",
].join("\n");

/** What findAll returned before the shared index: a plain walk of the whole program. */
function walked(root: Node, types: readonly string[], options: { skipFunctions?: boolean } = {}): Node[] {
  const found: Node[] = [];
  walk(
    root,
    (node) => {
      if (types.includes(node.type)) found.push(node);
    },
    options,
  );
  return found;
}

describe("findAll over the whole program (answered from the shared index)", () => {
  it("returns the same nodes in the same order as a walk, for one type and for several", () => {
    const program = parseSource(code, "app/api/webhooks/route.ts");
    for (const types of [["CallExpression"], ["Identifier"], ["CallExpression", "ArrowFunctionExpression", "Literal"]] as const) {
      expect(findAll(program, types)).toEqual(walked(program, types));
    }
  });

  it("skips type-only subtrees but keeps type references in `as` and `satisfies`", () => {
    const program = parseSource(code, "app/api/webhooks/route.ts");
    const names = findAll(program, ["Identifier"]).map((id) => id.name);
    expect(names).not.toContain("Handler");
    expect(names).not.toContain("T");
    expect(names).toContain("Event");
    expect(findAll(program, ["TSTypeAnnotation"])).toEqual([]);
    expect(findAll(program, ["TSTypeAnnotation"], { skipTypes: false }).length).toBeGreaterThan(0);
  });

  it("gives each caller its own array, and nodesOfType a shared one", () => {
    const program = parseSource(code, "app/api/webhooks/route.ts");
    const first = findAll(program, ["CallExpression"]);
    first.length = 0;
    expect(findAll(program, ["CallExpression"]).length).toBeGreaterThan(0);
    expect(nodesOfType(program, "CallExpression")).toBe(nodesOfType(program, "CallExpression"));
    expect(nodesOfType(program, "CallExpression")).toEqual(findAll(program, ["CallExpression"]));
  });

  it("still walks sub-trees and honours skipFunctions", () => {
    const program = parseSource(code, "app/api/webhooks/route.ts");
    const fn = findAll(program, ["FunctionDeclaration"])[0]!;
    expect(findAll(fn, ["CallExpression"])).toEqual(walked(fn, ["CallExpression"]));
    const own = findAll(fn.body, ["CallExpression"], { skipFunctions: true }).map((c) => code.slice(c.range[0], c.range[1]));
    expect(own).not.toContain('createHmac("sha256", String(x))');
    expect(findAll(program, ["CallExpression"], { skipFunctions: true })).toEqual([]);
  });

  it("answers one-type queries under any node exactly as a walk of that node would", () => {
    // Shorthand properties (`{ id }`, `{ id = 1 }`) have a key beside their value over the same
    // text; a statement without a semicolon has the range of its expression.
    const tricky = [
      code,
      "const { id, name = id } = load()",
      "call(`a${f(1)}b${g(2)}`)",
      "export default { a, b: [c, d(e)] }",
      "label: for (const x of xs) if (x) break label",
      "const chained = a?.b?.(c)?.d",
      "let assigned; assigned = process.env.SECRET ?? fallback(1)",
      "function outer(a = () => d(1)) { inner(); const f = () => g(); return function named() { h(() => i()) } }",
      "class K { m() { n() } p = q(() => r()) }",
    ].join("\n");
    const program = parseSource(tricky, "lib/sample.ts");
    const all = walked(program, [...new Set(findAll(program, ["Identifier", "CallExpression"]).map((n) => n.parent.type)), "FunctionDeclaration", "ArrowFunctionExpression", "FunctionExpression"]);
    expect(all.length).toBeGreaterThan(20);
    for (const root of [...all, ...walked(program, ["Identifier", "CallExpression", "Property", "AssignmentPattern", "ExpressionStatement"])]) {
      for (const type of ["Identifier", "CallExpression", "ExpressionStatement", "AssignmentPattern", "TemplateLiteral", "ArrowFunctionExpression"] as const) {
        expect(findAll(root, [type])).toEqual(walked(root, [type]));
        expect(findAll(root, [type], { skipFunctions: true })).toEqual(walked(root, [type], { skipFunctions: true }));
      }
      for (const types of [
        ["MemberExpression", "CallExpression", "VariableDeclarator"],
        ["Identifier", "Property", "AssignmentPattern"],
        ["ExpressionStatement", "CallExpression", "TemplateLiteral", "Literal"],
        ["ChainExpression", "MemberExpression", "CallExpression"],
        ["TemplateElement", "CallExpression"],
      ] as const) {
        expect(findAll(root, types)).toEqual(walked(root, types));
        expect(findAll(root, types, { skipFunctions: true })).toEqual(walked(root, types, { skipFunctions: true }));
      }
    }
  });
});

describe("unwrap", () => {
  it("strips exactly the WRAPPER_TYPES it lists", () => {
    const program = parseSource(
      "const a = (x as T)!; const b = x satisfies T; const c = f<T>; const d = o?.p; const e = (y); const g = -z; const h = await w;",
      "lib/w.ts",
    );
    const seen = new Set<string>();
    walk(program, (node) => {
      if (WRAPPER_TYPES.includes(node.type)) {
        seen.add(node.type);
        expect(unwrap(node), node.type).not.toBe(node);
      } else {
        expect(unwrap(node), node.type).toBe(node);
      }
    });
    // `<T>x` only parses outside JSX-enabled files.
    const cast = parseSource("const k = <T>x;", "lib/w.mts");
    walk(cast, (node) => {
      if (node.type === "TSTypeAssertion") seen.add(node.type);
    });
    expect([...seen].sort()).toEqual([...WRAPPER_TYPES].sort());
  });
});
