import type { TSESLint } from "@typescript-eslint/utils";
import { getFileContext, type FileContext } from "../model/file.js";

/**
 * The shared model context for the file a rule is linting. Built once per file (keyed by
 * the Program node) and shared by every rule of the plugin.
 */
export function fileContextOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): FileContext {
  const sourceCode = context.sourceCode;
  return getFileContext({
    program: sourceCode.ast,
    filename: context.filename,
    cwd: context.cwd,
    text: sourceCode.text,
    settings: (context.settings as Record<string, unknown> | undefined)?.webhook,
  });
}
