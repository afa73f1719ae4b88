/**
 * Text edit primitives over ESTree ranges: add a property to an object literal or pattern,
 * remove a statement with its line, insert statements. Each keeps the surrounding
 * formatting and follows the file's {@link CodeStyle}.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { indentAt, lineStartOf, type CodeStyle } from "./style.js";
import type { TextEdit } from "./project.js";

type ObjectLike = TSESTree.ObjectExpression | TSESTree.ObjectPattern;

/** Re-indents a multi-line snippet written with `\n` and one-level `\t` indentation. */
export function formatSnippet(snippet: string, baseIndent: string, style: CodeStyle): string {
  return snippet
    .split("\n")
    .map((line, i) => {
      if (line === "") return "";
      const tabs = /^\t*/.exec(line)![0].length;
      const body = line.slice(tabs);
      return (i === 0 ? "" : baseIndent) + style.indent.repeat(tabs) + body;
    })
    .join(style.newline);
}

/**
 * Adds `property` (its text, may span lines written with `\t` for one indentation level)
 * as the last property of an object literal or pattern (before a rest element).
 */
export function insertPropertyEdit(text: string, object: ObjectLike, property: string, style: CodeStyle): TextEdit {
  const props = object.properties;
  const restIndex = props.findIndex((p) => p.type === "RestElement");
  const before = restIndex === -1 ? props : props.slice(0, restIndex);
  const open = object.range[0];
  const close = object.range[1] - 1;
  const multiline = text.slice(open, close).includes("\n");
  if (props.length === 0) {
    const inner = text.slice(open + 1, close);
    if (inner.trim() === "" && !inner.includes("\n")) {
      return { start: open, end: close + 1, text: `{ ${formatSnippet(property, indentAt(text, open), style)} }` };
    }
    const indent = indentAt(text, open);
    const body = formatSnippet(property, indent + style.indent, style);
    return { start: open + 1, end: close, text: `${style.newline}${indent}${style.indent}${body}${style.trailingCommas ? "," : ""}${style.newline}${indent}` };
  }
  if (restIndex !== -1) {
    // Before the rest element: `{ a, ...rest }` -> `{ a, eventId, ...rest }`.
    const rest = props[restIndex]!;
    if (multiline) {
      const indent = indentAt(text, rest.range[0]);
      return { start: lineStartOf(text, rest.range[0]), end: lineStartOf(text, rest.range[0]), text: `${indent}${formatSnippet(property, indent, style)},${style.newline}` };
    }
    return { start: rest.range[0], end: rest.range[0], text: `${formatSnippet(property, "", style)}, ` };
  }
  const last = before[before.length - 1]!;
  const afterLast = text.slice(last.range[1], close);
  const comma = /^\s*,/.exec(afterLast);
  if (!multiline) {
    const body = formatSnippet(property, indentAt(text, open), style);
    if (comma) {
      const at = last.range[1] + comma[0].length;
      return { start: at, end: at, text: ` ${body},` };
    }
    return { start: last.range[1], end: last.range[1], text: `, ${body}` };
  }
  const indent = indentAt(text, last.range[0]);
  const body = formatSnippet(property, indent, style);
  if (comma) {
    const at = last.range[1] + comma[0].length;
    return { start: at, end: at, text: `${style.newline}${indent}${body},` };
  }
  return { start: last.range[1], end: last.range[1], text: `,${style.newline}${indent}${body}` };
}

/**
 * Removes a statement together with its line (and comments directly above it on their own
 * lines), collapsing a doubled blank line. If code shares the line, only the statement goes.
 * With `last`, removes the run of statements from `node` to `last` as one.
 */
export function removeStatementEdit(
  text: string,
  node: TSESTree.Node,
  comments: readonly TSESTree.Comment[] = [],
  last: TSESTree.Node = node,
): TextEdit {
  let start = node.range[0];
  const end = last.range[1];
  // Comments that sit alone on the lines right above the statement belong to it.
  for (;;) {
    const lineStart = lineStartOf(text, start);
    if (text.slice(lineStart, start).trim() !== "") break;
    const previous = [...comments].reverse().find((c) => c.range[1] <= lineStart && text.slice(c.range[1], lineStart).trim() === "");
    if (!previous) break;
    const commentLineStart = lineStartOf(text, previous.range[0]);
    if (text.slice(commentLineStart, previous.range[0]).trim() !== "") break;
    if (text.slice(previous.range[1], lineStart).split("\n").length > 2) break;
    start = previous.range[0];
  }
  const lineStart = lineStartOf(text, start);
  const newline = text.indexOf("\n", end);
  const lineEnd = newline === -1 ? text.length : newline;
  const alone = text.slice(lineStart, start).trim() === "" && text.slice(end, lineEnd).trim() === "";
  if (!alone) return { start, end, text: "" };
  let removeEnd = newline === -1 ? text.length : newline + 1;
  const before = text.slice(0, lineStart);
  const after = text.slice(removeEnd);
  const blankBefore = /\n[ \t]*\r?\n$/.test(before) || /^\s*$/.test(before.slice(before.lastIndexOf("{") + 1));
  if (blankBefore && /^[ \t]*\r?\n/.test(after)) removeEnd += after.indexOf("\n") + 1;
  else if (/\n[ \t]*\r?\n$/.test(before) && /^[ \t]*\}/.test(after)) {
    // A blank line left right before the closing brace: remove it too.
    const blankStart = before.replace(/[ \t]*\r?\n$/, "").length;
    return { start: blankStart + 1, end: removeEnd, text: "" };
  }
  return { start: lineStart, end: removeEnd, text: "" };
}

/** Inserts statements (a snippet with `\t` levels) before `node`, on their own lines, at its indentation. */
export function insertBeforeStatementEdit(text: string, node: TSESTree.Node, snippet: string, style: CodeStyle, blankLineAfter = true): TextEdit {
  const lineStart = lineStartOf(text, node.range[0]);
  const indent = indentAt(text, node.range[0]);
  const body = formatSnippet(snippet, indent, style);
  return { start: lineStart, end: lineStart, text: `${indent}${body}${style.newline}${blankLineAfter ? style.newline : ""}` };
}

/** Inserts statements after `node` (which ends a line), at its indentation. */
export function insertAfterStatementEdit(text: string, node: TSESTree.Node, snippet: string, style: CodeStyle, blankLineBefore = true): TextEdit {
  const indent = indentAt(text, node.range[0]);
  const body = formatSnippet(snippet, indent, style);
  return { start: node.range[1], end: node.range[1], text: `${style.newline}${blankLineBefore ? style.newline : ""}${indent}${body}` };
}

/**
 * Removes named/default imports among `names` that the file no longer references (after a
 * codemod deleted their last use), and the whole declaration when nothing is left of it.
 */
export function unusedImportEdits(text: string, program: TSESTree.Program, names: ReadonlySet<string>, comments: readonly TSESTree.Comment[] = []): TextEdit[] {
  if (names.size === 0) return [];
  const used = new Set<string>();
  const visit = (node: TSESTree.Node, inImport: boolean) => {
    if (node.type === "ImportDeclaration") return;
    if (node.type === "Identifier" && !inImport) {
      const parent = node.parent;
      const isKey =
        (parent?.type === "MemberExpression" && parent.property === node && !parent.computed) ||
        (parent?.type === "Property" && parent.key === node && !parent.shorthand && !parent.computed);
      if (!isKey) used.add(node.name);
    }
    for (const key of Object.keys(node)) {
      if (key === "parent") continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child === "object" && "type" in child) visit(child as TSESTree.Node, false);
      } else if (value && typeof value === "object" && "type" in value) {
        visit(value as TSESTree.Node, false);
      }
    }
  };
  for (const statement of program.body) visit(statement, false);
  const edits: TextEdit[] = [];
  for (const declaration of program.body) {
    if (declaration.type !== "ImportDeclaration") continue;
    const unused = declaration.specifiers.filter((s) => names.has(s.local.name) && !used.has(s.local.name));
    if (unused.length === 0) continue;
    if (unused.length === declaration.specifiers.length) {
      edits.push(removeStatementEdit(text, declaration, comments));
      continue;
    }
    for (const spec of unused) {
      const index = declaration.specifiers.indexOf(spec);
      const next = declaration.specifiers[index + 1];
      const previous = declaration.specifiers[index - 1];
      if (next && next.type === spec.type) edits.push({ start: spec.range[0], end: next.range[0], text: "" });
      else if (previous && previous.type === spec.type) edits.push({ start: previous.range[1], end: spec.range[1], text: "" });
    }
  }
  return edits;
}
