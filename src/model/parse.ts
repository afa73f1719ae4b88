/**
 * Parsing outside ESLint (codemods, model tests): typescript-estree with ranges, locations,
 * comments and parent pointers, so the model sees exactly the AST ESLint gives rules.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { parse, simpleTraverse } from "@typescript-eslint/typescript-estree";
import { getFileContext, type FileContext } from "./file.js";

export class ParseError extends Error {
  constructor(
    readonly filename: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(`${filename}:${line}:${column}: ${message}`);
    this.name = "ParseError";
  }
}

/** True for files whose syntax may contain JSX. */
export function allowsJsx(filename: string): boolean {
  return /\.(?:[jt]sx|[cm]?js)$/i.test(filename);
}

/** Parses source text into an ESTree Program with parents set. Throws {@link ParseError}. */
export function parseSource(text: string, filename: string): TSESTree.Program {
  let program: TSESTree.Program;
  try {
    program = parse(text, {
      range: true,
      loc: true,
      comment: true,
      tokens: false,
      jsx: allowsJsx(filename),
      filePath: filename,
    });
  } catch (error) {
    const e = error as { lineNumber?: number; column?: number; message?: string };
    throw new ParseError(filename, e.lineNumber ?? 0, (e.column ?? 0) + 1, e.message ?? String(error));
  }
  simpleTraverse(program, { enter() {} }, true);
  return program;
}

/** Parses a file and builds its model context (what a rule would see for the same file). */
export function analyzeSource(text: string, filename: string, options: { cwd?: string; settings?: unknown } = {}): FileContext {
  const program = parseSource(text, filename);
  return getFileContext({ program, filename, text, cwd: options.cwd, settings: options.settings });
}
