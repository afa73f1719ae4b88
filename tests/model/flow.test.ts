import { describe, expect, it } from "vitest";
import type { TSESTree } from "@typescript-eslint/utils";
import { certainlyCompletes } from "../../src/model/flow.js";
import { parseSource } from "../../src/model/parse.js";

/** Whether the body of `function f() { <body> }` certainly reaches its end. */
function completes(body: string): boolean {
  const program = parseSource(`function f() {\n${body}\n}`, "lib/f.ts");
  const fn = program.body[0] as TSESTree.FunctionDeclaration;
  return certainlyCompletes(fn.body.body);
}

describe("certainlyCompletes", () => {
  it("is true when some path certainly runs off the end", () => {
    expect(completes("await work();")).toBe(true);
    expect(completes("if (a) return 1;")).toBe(true);
    expect(completes("if (a) { return 1 } else { log() }")).toBe(true);
    expect(completes('switch (t) { case "a": return 1; }')).toBe(true);
    expect(completes("for (const x of xs) { if (x) return x }")).toBe(true);
    expect(completes("while (more()) step();")).toBe(true);
    expect(completes("try { await work() } catch (e) { return 500 }")).toBe(true);
  });

  it("is false when every path leaves, or the model cannot be sure", () => {
    expect(completes("return 1;")).toBe(false);
    expect(completes("if (a) { return 1 } else { throw new Error() }")).toBe(false);
    expect(completes('switch (t) { case "a": return 1; default: return 2; }')).toBe(false);
    expect(completes("while (true) { if (done()) return 1 }")).toBe(false);
    expect(completes("for (;;) step();")).toBe(false);
    expect(completes("try { work() } finally { return 1 }")).toBe(false);
    expect(completes("try { return work() } catch (e) { log(e) }")).toBe(false);
    expect(completes("outer: for (const x of xs) { break outer }")).toBe(false);
    expect(completes('redirect("/");')).toBe(false);
    expect(completes("do { if (x) return 1 } while (false)")).toBe(false);
  });
});
