/**
 * Every rewritten fixture app type-checks with the TypeScript compiler API
 * against the real `convex`, `stripe` and `svix` packages, with the app's own tsconfig.json.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { caseNames, FIXTURES } from "./fixtures.js";

const CODEMOD = "atomic-mutation";

// One cache of parsed declaration files (stripe's are large) shared by every program.
const cache = new Map<string, ts.SourceFile>();
function host(options: ts.CompilerOptions): ts.CompilerHost {
  const base = ts.createCompilerHost(options, true);
  return {
    ...base,
    getSourceFile(fileName, languageVersion, onError, shouldCreate) {
      const shared = fileName.includes("node_modules");
      const cached = shared ? cache.get(fileName) : undefined;
      if (cached) return cached;
      const file = base.getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file && shared) cache.set(fileName, file);
      return file;
    },
  };
}

function typeErrors(projectDir: string): string[] {
  const configPath = join(projectDir, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, projectDir);
  const options = { ...parsed.options, noEmit: true };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options, host: host(options) });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(projectDir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

describe(`${CODEMOD} fixtures type-check`, () => {
  for (const name of caseNames(CODEMOD)) {
    const output = join(FIXTURES, CODEMOD, name, "output");
    // Apps without a tsconfig.json need packages this repo does not install (`next`'s Pages Router types).
    if (!existsSync(join(output, "tsconfig.json"))) continue;
    it(`${name}: output/ type-checks`, { timeout: 120_000 }, () => {
      expect(typeErrors(output)).toEqual([]);
    });
  }
});
