/**
 * After the codemod, the plugin's `no-query-then-mutation` and `require-idempotent-event-mutation`
 * report nothing on the rewritten fixture apps (and they do report on the inputs, so the check
 * can fail).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../src/index.js";
import { caseNames, FIXTURES } from "./fixtures.js";

const RULES = ["no-query-then-mutation", "require-idempotent-event-mutation"] as const;
/**
 * Inputs whose problem a single-file rule can see. In the others the mutation only becomes
 * webhook-driven through a route in another file, which the codemod sees and the rules do not.
 */
const DETECTED_IN_INPUT = new Set(["app-router-query-then-mutation", "http-action-svix", "event-id-arg-in-place"]);

async function findings(dir: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      { ignores: ["**/_generated/**"] },
      { files: ["**/*.{ts,tsx}"], languageOptions: { parser: tsParser } },
      {
        files: ["**/*.{ts,tsx,js}"],
        plugins: { webhook: plugin as unknown as ESLint.Plugin },
        rules: Object.fromEntries(RULES.map((id) => [`webhook/${id}`, "error"])),
      },
    ],
  });
  const results = await eslint.lintFiles(["."]);
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(dir.length + 1)}:${m.line} ${m.ruleId ?? "fatal"}: ${m.message}`));
}

describe("the rules are quiet after atomic-mutation", () => {
  for (const name of caseNames("atomic-mutation")) {
    const output = join(FIXTURES, "atomic-mutation", name, "output");
    if (!existsSync(output)) continue;
    it(`${name}: output has no findings`, async () => {
      if (DETECTED_IN_INPUT.has(name)) {
        expect((await findings(join(FIXTURES, "atomic-mutation", name, "input"))).length).toBeGreaterThan(0);
      }
      expect(await findings(output)).toEqual([]);
    });
  }
});
