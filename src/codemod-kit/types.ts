/**
 * The contract between the codemod engine and a codemod: `run(project, options) -> report`,
 * edits in memory only. The engine owns the file system, the diff, the save and the CLI.
 */
import type { CodemodProject } from "./project.js";

export interface CodemodWarning {
  /** Project-relative path with forward slashes. */
  file: string;
  /** 1-based; 0 when the warning is about the whole file. */
  line: number;
  /** 1-based; 0 when the warning is about the whole file. */
  column: number;
  /** Why the site was left alone, and what to do about it. */
  reason: string;
  /** A few lines of source around the site, with a `>` marker and a caret; empty for file-level warnings. */
  frame: string;
}

export interface CodemodRunOptions {
  /**
   * Only the edits that need nothing outside the file being transformed (jscodeshift mode).
   * Cross-file parts are reported as warnings instead of being done.
   */
  singleFile?: boolean;
}

export interface CodemodReport {
  warnings: CodemodWarning[];
  /** One line per thing the codemod did, for the summary (`convex/billing.ts: addCredits deduplicates by eventId`). */
  notes: string[];
}

export interface Codemod {
  name: string;
  /** One line, imperative. */
  title: string;
  /** A paragraph: what it rewrites and why. */
  description: string;
  /** Needs more than one file (the jscodeshift adapter then does only the single-file part). */
  crossFile: boolean;
  /** Cheap text test a file must pass before anything parses it. */
  prefilter: RegExp;
  run(project: CodemodProject, options?: CodemodRunOptions): CodemodReport;
}
