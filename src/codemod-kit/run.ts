/**
 * Runs one codemod over a project in memory and returns what it would change. Writing is a
 * separate step ({@link saveChanges}), so callers decide between printing and saving.
 */
import { loadProject, type CodemodProject, type FileChange, type FileSource, type SkippedFile } from "./project.js";
import type { Codemod, CodemodReport, CodemodRunOptions, CodemodWarning } from "./types.js";

export interface RunResult {
  project: CodemodProject;
  changes: FileChange[];
  warnings: CodemodWarning[];
  notes: string[];
  skipped: SkippedFile[];
}

export interface RunOptions extends CodemodRunOptions {
  settings?: Record<string, unknown>;
  source?: FileSource;
  onProgress?: (done: number, total: number) => void;
}

export function runCodemod(codemod: Codemod, start: string, options: RunOptions = {}): RunResult {
  const project = loadProject(start, {
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return runOn(codemod, project, options);
}

/** Runs a codemod on an already loaded project. */
export function runOn(codemod: Codemod, project: CodemodProject, options: CodemodRunOptions = {}): RunResult {
  const report: CodemodReport = codemod.run(project, { singleFile: options.singleFile ?? false });
  return {
    project,
    changes: project.changes(),
    warnings: report.warnings,
    notes: report.notes,
    skipped: [...project.skipped],
  };
}
