/** Fix primitives shared by rules: whole-line removals that leave no blank-line debris. */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { removeStatementEdit } from "../codemod-kit/text-edits.js";

type SourceCode = Readonly<TSESLint.SourceCode>;

/**
 * Removes a statement with its own line(s) and any comments directly attached above it.
 * If other code shares the line, only the statement text is removed. The same edit the codemods
 * make (`removeStatementEdit`), as an ESLint fix.
 */
export function removeStatement(sourceCode: SourceCode, fixer: TSESLint.RuleFixer, node: TSESTree.Node): TSESLint.RuleFix {
  const edit = removeStatementEdit(sourceCode.text, node, sourceCode.ast.comments ?? []);
  return fixer.replaceTextRange([edit.start, edit.end], edit.text);
}

/** Removes one element of a comma-separated list (object properties, declarators, arguments). */
export function removeListElement(sourceCode: SourceCode, fixer: TSESLint.RuleFixer, node: TSESTree.Node): TSESLint.RuleFix {
  const after = sourceCode.getTokenAfter(node);
  const before = sourceCode.getTokenBefore(node);
  if (after && after.value === ",") {
    const next = sourceCode.getTokenAfter(after, { includeComments: true });
    const end = next && next.loc.start.line === after.loc.end.line ? next.range[0] : after.range[1];
    const lineStart = sourceCode.text.lastIndexOf("\n", node.range[0] - 1) + 1;
    const ownLine = sourceCode.text.slice(lineStart, node.range[0]).trim() === "";
    if (ownLine && next && next.loc.start.line > after.loc.end.line) {
      const newline = sourceCode.text.indexOf("\n", after.range[1]);
      return fixer.removeRange([lineStart, newline + 1]);
    }
    return fixer.removeRange([node.range[0], end]);
  }
  if (before && before.value === ",") {
    const lineStart = sourceCode.text.lastIndexOf("\n", node.range[0] - 1) + 1;
    const ownLine = sourceCode.text.slice(lineStart, node.range[0]).trim() === "";
    if (ownLine) {
      const lineEnd = sourceCode.text.indexOf("\n", node.range[1]);
      // Keep the trailing comma style of the remaining last element: remove this line only.
      return fixer.removeRange([lineStart, lineEnd === -1 ? node.range[1] : lineEnd + 1]);
    }
    return fixer.removeRange([before.range[0], node.range[1]]);
  }
  return fixer.remove(node);
}
