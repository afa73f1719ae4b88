/** Fix primitives for object literals: add properties in the style of the surrounding code. */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";

type SourceCode = Readonly<TSESLint.SourceCode>;

/** The whitespace that starts the line `node` begins on. */
export function lineIndent(sourceCode: SourceCode, node: TSESTree.Node | TSESTree.Token): string {
  const text = sourceCode.text;
  const lineStart = text.lastIndexOf("\n", node.range[0] - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? "";
}

/** One indentation step as used by the file (two spaces when it cannot tell). */
function indentUnit(sourceCode: SourceCode, object: TSESTree.ObjectExpression): string {
  const first = object.properties[0];
  if (first && first.loc.start.line !== object.loc.start.line) {
    const outer = lineIndent(sourceCode, object);
    const inner = lineIndent(sourceCode, first);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return /^\t/m.test(sourceCode.text) && !/^ {2}/m.test(sourceCode.text) ? "\t" : "  ";
}

/**
 * Adds property texts (`metadata: { userId }`) at the end of an object literal, one per line
 * for multi-line objects (same indentation as the last property, keeping a trailing comma if
 * the object has one), inline otherwise.
 */
export function appendProperties(
  sourceCode: SourceCode,
  fixer: TSESLint.RuleFixer,
  object: TSESTree.ObjectExpression,
  properties: readonly string[],
): TSESLint.RuleFix {
  const last = object.properties[object.properties.length - 1];
  if (!last) {
    const multiline = object.loc.start.line !== object.loc.end.line;
    if (multiline) {
      const indent = lineIndent(sourceCode, object) + indentUnit(sourceCode, object);
      const closing = lineIndent(sourceCode, object);
      return fixer.replaceText(object, `{\n${properties.map((p) => `${indent}${p},`).join("\n")}\n${closing}}`);
    }
    return fixer.replaceText(object, `{ ${properties.join(", ")} }`);
  }
  const after = sourceCode.getTokenAfter(last);
  const trailingComma = after !== null && after.value === ",";
  const multiline = last.loc.end.line !== object.loc.end.line || last.loc.start.line !== object.loc.start.line;
  if (multiline && last.loc.start.line !== object.loc.start.line) {
    const indent = lineIndent(sourceCode, last);
    if (trailingComma) return fixer.insertTextAfter(after, properties.map((p) => `\n${indent}${p},`).join(""));
    return fixer.insertTextAfter(last, properties.map((p) => `,\n${indent}${p}`).join(""));
  }
  if (trailingComma) return fixer.insertTextAfter(after, properties.map((p) => ` ${p},`).join(""));
  return fixer.insertTextAfter(last, properties.map((p) => `, ${p}`).join(""));
}

/** `key: value`, or the shorthand `key` when the value is the identifier `key`. */
export function propertyText(key: string, value: string): string {
  return key === value ? key : `${key}: ${value}`;
}
