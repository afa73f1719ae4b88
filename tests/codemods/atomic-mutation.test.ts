/**
 * Whole-project fixtures for `atomic-mutation`: each case's `input/` is rewritten in memory and
 * compared as exact text with `output/` (no `output/` = nothing may change), the warnings with
 * `warnings.json`; then the codemod runs again on `output/` and must change nothing.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import codemod from "../../codemods/atomic-mutation/index.js";
import { runCodemod } from "../../src/codemod-kit/run.js";
import { caseNames, expectedWarnings, FIXTURES, readTree, writeTree } from "./fixtures.js";

const CODEMOD = "atomic-mutation";
const update = process.env.UPDATE_CODEMOD_FIXTURES === "1";

describe(`${CODEMOD} fixtures`, () => {
  for (const name of caseNames(CODEMOD)) {
    const caseDir = join(FIXTURES, CODEMOD, name);
    const inputDir = join(caseDir, "input");
    const outputDir = join(caseDir, "output");

    it(`${name}: rewrites input/ into output/ exactly`, () => {
      const result = runCodemod(codemod, inputDir);
      const after = readTree(inputDir);
      for (const change of result.changes) after.set(change.file, change.after);
      const warnings = result.warnings.map(({ file, line, column, reason }) => ({ file, line, column, reason }));
      const skipped = result.skipped;
      if (update) {
        if (result.changes.length > 0) writeTree(outputDir, after);
        writeFileSync(join(caseDir, "warnings.json"), `${JSON.stringify(warnings, null, 2)}\n`);
      }
      expect(skipped).toEqual([]);
      expect(warnings).toEqual(expectedWarnings(caseDir));
      if (existsSync(outputDir)) {
        const expected = readTree(outputDir);
        expect([...after.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [file, text] of expected) expect(after.get(file), file).toBe(text);
      } else {
        expect(result.changes.map((c) => c.file)).toEqual([]);
      }
    });

    it(`${name}: a second run changes nothing`, () => {
      const dir = existsSync(outputDir) ? outputDir : inputDir;
      const result = runCodemod(codemod, dir);
      expect(result.changes.map((c) => c.file)).toEqual([]);
      if (existsSync(outputDir)) {
        expect(result.warnings.map((w) => `${w.file}:${w.line}: ${w.reason}`)).toEqual([]);
      }
    });
  }
});
