/**
 * The code style of a file, read from the file itself, so inserted code matches it:
 * quote character, semicolons, indentation unit and line ending.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { findAll } from "../model/ast.js";
import type { FileContext } from "../model/file.js";

export interface CodeStyle {
  quote: '"' | "'";
  semicolons: boolean;
  /** One level of indentation: `"  "`, `"    "` or `"\t"`. */
  indent: string;
  newline: "\n" | "\r\n";
  /** Multi-line object literals end with a trailing comma. */
  trailingCommas: boolean;
}

interface StyleCounts {
  double: number;
  single: number;
  withSemi: number;
  withoutSemi: number;
  trailing: number;
  notTrailing: number;
}

/** The nodes whose quotes, statement ends and trailing commas the style is counted from. */
const STYLE_NODE_TYPES = [
  "Literal",
  "ExpressionStatement",
  "VariableDeclaration",
  "ReturnStatement",
  "ImportDeclaration",
  "ThrowStatement",
  "ObjectExpression",
] as const;

/** Reads the style of `text` (parsed as `program`). Defaults: double quotes, semicolons, two spaces. */
export function detectStyle(text: string, program: TSESTree.Program): CodeStyle {
  // Counts, so any order will do: the file's shared node index answers (a rule asks after its own analysis built it).
  const counts = countStyle(text, findAll(program, STYLE_NODE_TYPES));
  return { ...insertStyleFrom(text, counts), trailingCommas: counts.trailing >= counts.notTrailing };
}

/** What a rule's fix needs to insert a line or a function in the file's style. */
export type InsertStyle = Pick<CodeStyle, "quote" | "semicolons" | "indent" | "newline">;

/** Fewer top-level samples of quotes or statement ends than this, and {@link detectInsertStyle} reads the whole file. */
const MIN_TOP_LEVEL_SAMPLES = 3;

/**
 * The style for code a rule's fix inserts, read from the top level (import specifiers, top-level
 * statements) and from the whole file only when the top level has too few quotes or statements
 * to tell. ESLint builds a suggestion's fix when the problem is reported, and in a file no rule
 * has analysed, reading the whole file's style means indexing every node for one suggestion.
 */
export function detectInsertStyle(text: string, program: TSESTree.Program): InsertStyle {
  const nodes: TSESTree.Node[] = [];
  for (const statement of program.body) {
    nodes.push(statement);
    if (statement.type === "ImportDeclaration") nodes.push(statement.source);
    else if ((statement.type === "ExportNamedDeclaration" || statement.type === "ExportAllDeclaration") && statement.source) nodes.push(statement.source);
    if ((statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") && statement.declaration) {
      nodes.push(statement.declaration);
    }
  }
  const counts = countStyle(text, nodes);
  if (counts.double + counts.single < MIN_TOP_LEVEL_SAMPLES || counts.withSemi + counts.withoutSemi < MIN_TOP_LEVEL_SAMPLES) {
    return insertStyleFrom(text, countStyle(text, findAll(program, STYLE_NODE_TYPES)));
  }
  return insertStyleFrom(text, counts);
}

function insertStyleFrom(text: string, counts: StyleCounts): InsertStyle {
  return {
    quote: counts.single > counts.double ? "'" : '"',
    semicolons: counts.withSemi >= counts.withoutSemi,
    indent: detectIndent(text),
    newline: text.includes("\r\n") ? "\r\n" : "\n",
  };
}

/** {@link detectInsertStyle} for a linted file, once per file (rules ask when they report). */
export function insertStyleOf(file: FileContext): InsertStyle {
  return file.memo("style:insert", () => detectInsertStyle(file.text, file.program));
}

function countStyle(text: string, nodes: readonly TSESTree.Node[]): StyleCounts {
  const counts: StyleCounts = { double: 0, single: 0, withSemi: 0, withoutSemi: 0, trailing: 0, notTrailing: 0 };
  for (const node of nodes) {
    if (node.type === "Literal") {
      if (typeof node.value !== "string") continue;
      const raw = node.raw;
      if (raw.startsWith('"')) counts.double++;
      else if (raw.startsWith("'")) counts.single++;
      continue;
    }
    if (
      node.type === "ExpressionStatement" ||
      node.type === "VariableDeclaration" ||
      node.type === "ReturnStatement" ||
      node.type === "ImportDeclaration" ||
      node.type === "ThrowStatement"
    ) {
      // `for (const x of y)` heads are VariableDeclarations without statement terminators.
      if (node.type === "VariableDeclaration" && node.parent && /^For/.test(node.parent.type)) continue;
      if (text[node.range[1] - 1] === ";") counts.withSemi++;
      else counts.withoutSemi++;
    }
    if (node.type === "ObjectExpression" && node.properties.length > 0) {
      const last = node.properties[node.properties.length - 1]!;
      const between = text.slice(last.range[1], node.range[1] - 1);
      if (!between.includes("\n")) continue;
      if (/^\s*,/.test(between)) counts.trailing++;
      else counts.notTrailing++;
    }
  }
  return counts;
}

/** The indentation unit: tabs if lines start with tabs, else the most common step between indented lines. */
export function detectIndent(text: string): string {
  const counts = new Map<number, number>();
  let tabs = 0;
  let spaces = 0;
  let previous = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || /^\s*\*/.test(line)) continue;
    const match = /^[ \t]*/.exec(line)![0];
    if (match.startsWith("\t")) {
      tabs++;
      continue;
    }
    const width = match.length;
    if (width > 0) spaces++;
    const step = Math.abs(width - previous);
    if (step > 0 && step <= 8) counts.set(step, (counts.get(step) ?? 0) + 1);
    previous = width;
  }
  if (tabs > spaces) return "\t";
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return " ".repeat(best);
}

/** A string literal in the file's quote style. */
export function quoted(value: string, style: CodeStyle): string {
  const q = style.quote;
  return q + value.replace(/\\/g, "\\\\").replace(new RegExp(q, "g"), `\\${q}`) + q;
}

/** `;` or nothing. */
export function semi(style: Pick<CodeStyle, "semicolons">): string {
  return style.semicolons ? ";" : "";
}

/** The leading whitespace of the line that contains `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Start of the line containing `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}
