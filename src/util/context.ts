import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { getFileContext, type FileContext } from "../model/file.js";

let lastProgram: TSESTree.Program | null = null;
let lastContext: FileContext | null = null;

/**
 * The shared model context for the file a rule is linting. Built once per file (keyed by
 * the Program node) and shared by every rule of the plugin; ESLint runs the rules of one file
 * one after another, so the last file's context is kept at hand.
 */
export function fileContextOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): FileContext {
  const sourceCode = context.sourceCode;
  const program = sourceCode.ast;
  if (program === lastProgram && lastContext) return lastContext;
  lastContext = getFileContext({
    program,
    filename: context.filename,
    cwd: context.cwd,
    text: sourceCode.text,
    settings: (context.settings as Record<string, unknown> | undefined)?.webhook,
  });
  lastProgram = program;
  return lastContext;
}
