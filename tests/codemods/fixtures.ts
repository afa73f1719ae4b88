/** Helpers for whole-project codemod fixtures: `fixtures/codemods/<codemod>/<case>/{input,output}/` + `warnings.json`. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "codemods");

export interface ExpectedWarning {
  file: string;
  line: number;
  column: number;
  reason: string;
}

export function caseNames(codemod: string): string[] {
  return readdirSync(join(FIXTURES, codemod))
    .filter((name) => statSync(join(FIXTURES, codemod, name)).isDirectory())
    .sort();
}

/** Every file under `dir` (project-relative, forward slashes) with its text. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else out.set(relative(dir, full).split("\\").join("/"), readFileSync(full, "utf8"));
    }
  };
  visit(dir);
  return out;
}

export function expectedWarnings(caseDir: string): ExpectedWarning[] {
  const file = join(caseDir, "warnings.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ExpectedWarning[]) : [];
}

/** Writes a tree (used only to regenerate fixtures on request: `UPDATE_CODEMOD_FIXTURES=1`). */
export function writeTree(dir: string, files: Map<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of files) {
    const full = join(dir, file);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}
