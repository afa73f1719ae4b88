/** Every rule is set up the same way: id = file = doc = test, metadata conventions, configs. */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@typescript-eslint/typescript-estree";
import { describe, expect, it } from "vitest";
import { findAll } from "../../src/model/ast.js";
import { rules } from "../../rules/index.js";
import plugin from "../../src/index.js";

const root = join(import.meta.dirname, "..", "..");
const ruleFiles = readdirSync(join(root, "rules"))
  .filter((f) => f.endsWith(".ts") && f !== "index.ts")
  .map((f) => f.slice(0, -3))
  .sort();
const docFiles = readdirSync(join(root, "rules"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => f.slice(0, -3))
  .sort();
const testFiles = readdirSync(join(root, "tests", "rules"))
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -".test.ts".length))
  .sort();
const ids = Object.keys(rules);

/** Sentences in a message, ignoring dots inside `code`, "quotes", {{placeholders}} and names like Node.js. */
function sentenceCount(message: string): number {
  const stripped = message
    .replace(/\{\{[^}]*\}\}/g, "X")
    .replace(/`[^`]*`/g, "X")
    .replace(/"[^"]*"/g, "X")
    .replace(/\b(?:e\.g|i\.e|etc|vs)\./g, "X");
  return (stripped.match(/[.!?](?=\s|$)/g) ?? []).length;
}

/** The number of valid and invalid cases a rule's test file hands to `ruleTester.run`. */
function caseCounts(id: string): { valid: number; invalid: number } {
  const program = parse(readFileSync(join(root, "tests", "rules", `${id}.test.ts`), "utf8"), { range: true });
  const counts = { valid: 0, invalid: 0 };
  for (const call of findAll(program, ["CallExpression"])) {
    const callee = call.callee;
    if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier" || callee.property.name !== "run") continue;
    const cases = call.arguments[2];
    if (cases?.type !== "ObjectExpression") continue;
    for (const property of cases.properties) {
      if (property.type !== "Property" || property.key.type !== "Identifier" || property.value.type !== "ArrayExpression") continue;
      if (property.key.name === "valid" || property.key.name === "invalid") counts[property.key.name] += property.value.elements.length;
    }
  }
  return counts;
}

describe("rule setup", () => {
  it("rule ids = rule files = docs = tests", () => {
    expect([...ids].sort()).toEqual(ruleFiles);
    expect(docFiles).toEqual(ruleFiles);
    expect(testFiles).toEqual(ruleFiles);
  });

  it.each(ruleFiles)("%s: at least 15 invalid cases, and at least as many valid ones (false-positive traps)", (id) => {
    const { valid, invalid } = caseCounts(id);
    expect(invalid).toBeGreaterThanOrEqual(15);
    expect(valid).toBeGreaterThanOrEqual(invalid);
  });

  it("rules/index.ts lists rules alphabetically", () => {
    expect(ids).toEqual([...ids].sort());
  });

  it("the plugin exposes the rules and its own name and version", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version });
    expect(plugin.rules).toBe(rules);
  });

  for (const [id, rule] of Object.entries(rules)) {
    describe(id, () => {
      const meta = rule.meta;
      const docs = meta.docs!;

      it("has a name and docs url matching its id", () => {
        expect(rule.name).toBe(id);
        expect(docs.url).toBe(`https://github.com/webhook-lint/webhook-lint/blob/main/rules/${id}.md`);
      });

      it("has a description in the house style", () => {
        expect(docs.description).toMatch(/^(Enforce|Require|Disallow) .+[^. ]$/);
      });

      it("has messages that say what, why and what to do in at most two sentences", () => {
        const messages = Object.entries(meta.messages as Record<string, string>);
        expect(messages.length).toBeGreaterThan(0);
        for (const [messageId, message] of messages) {
          expect(messageId, `${id}.${messageId}`).toMatch(/^[a-z][a-zA-Z0-9]*$/);
          expect(message, `${id}.${messageId}`).toMatch(/^[A-Z"`{]/);
          expect(message, `${id}.${messageId}`).toMatch(/[.]$/);
          expect(sentenceCount(message), `${id}.${messageId}: ${message}`).toBeLessThanOrEqual(2);
        }
      });

      it("declares defaultOptions (when it has options) and a closed schema with described properties", () => {
        const schema = meta.schema as unknown;
        const list = Array.isArray(schema) ? (schema as Record<string, unknown>[]) : [];
        if (list.length > 0) expect(meta.defaultOptions, `${id} has options but no meta.defaultOptions`).toBeDefined();
        for (const item of list) {
          if (item.type === "object") {
            expect(item.additionalProperties, `${id} schema must reject unknown options`).toBe(false);
            for (const [key, value] of Object.entries((item.properties ?? {}) as Record<string, { description?: string }>)) {
              expect(value.description, `${id} option ${key} needs a description`).toBeTruthy();
            }
          }
        }
      });

      it("is in a config that matches docs.recommended", () => {
        const level = docs.recommended;
        const inConfig = (name: "recommended" | "strict" | "all") =>
          plugin.configs[name].some((c) => c.rules?.[`webhook/${id}`] === "error");
        expect(inConfig("all")).toBe(true);
        expect(inConfig("recommended")).toBe(level === "recommended");
        expect(inConfig("strict")).toBe(level === "recommended" || level === "strict");
      });

      it("has a doc with the generated header and the required sections", () => {
        const doc = readFileSync(join(root, "rules", `${id}.md`), "utf8");
        expect(doc.startsWith(`# webhook/${id}\n`)).toBe(true);
        expect(doc).toContain("<!-- end auto-generated rule header -->");
        expect(doc).toContain("## Why");
        expect(doc).toContain("## Examples");
        expect(doc).toContain("## When not to use it");
      });
    });
  }
});

describe("configs", () => {
  it("are flat-config arrays of named objects registering the plugin as `webhook`", () => {
    for (const name of ["recommended", "strict", "all"] as const) {
      const config = plugin.configs[name];
      expect(Array.isArray(config)).toBe(true);
      for (const item of config) expect(item.name).toMatch(new RegExp(`^webhook/${name}`));
      const withRules = config.filter((c) => c.rules);
      expect(withRules).toHaveLength(1);
      expect(withRules[0]!.plugins?.webhook).toBe(plugin);
      expect(withRules[0]!.ignores).toEqual(["**/convex/_generated/**"]);
    }
  });

  it("recommended is a subset of strict, which is a subset of all", () => {
    const keys = (name: "recommended" | "strict" | "all") =>
      Object.keys(plugin.configs[name].find((c) => c.rules)!.rules!).sort();
    const recommended = keys("recommended");
    const strict = keys("strict");
    const all = keys("all");
    expect(strict).toEqual(expect.arrayContaining(recommended));
    expect(all).toEqual(expect.arrayContaining(strict));
    expect(all).toEqual(ids.map((id) => `webhook/${id}`).sort());
  });

  it("match the snapshot (a change to a config is a semver decision)", () => {
    const summary = Object.fromEntries(
      (["recommended", "strict", "all"] as const).map((name) => [
        name,
        plugin.configs[name].map((c) => ({ name: c.name, files: c.files, ignores: c.ignores, rules: c.rules })),
      ]),
    );
    expect(summary).toMatchSnapshot();
  });
});

describe("generated docs", () => {
  it("README rules table and rule doc headers are up to date (node scripts/docs.mjs)", () => {
    expect(() =>
      execFileSync(process.execPath, [join(root, "scripts", "docs.mjs"), "--check"], { cwd: root, stdio: "pipe" }),
    ).not.toThrow();
  });
});
