/**
 * The code style of a file, read from the file itself, so inserted code matches it:
 * quote character, semicolons, indentation unit and line ending.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { findAll } from "../model/ast.js";

export interface CodeStyle {
  quote: '"' | "'";
  semicolons: boolean;
  /** One level of indentation: `"  "`, `"    "` or `"\t"`. */
  indent: string;
  newline: "\n" | "\r\n";
  /** Multi-line object literals end with a trailing comma. */
  trailingCommas: boolean;
}

/** Reads the style of `text` (parsed as `program`). Defaults: double quotes, semicolons, two spaces. */
export function detectStyle(text: string, program: TSESTree.Program): CodeStyle {
  let double = 0;
  let single = 0;
  let withSemi = 0;
  let withoutSemi = 0;
  let trailing = 0;
  let notTrailing = 0;
  // Counts, so any order will do: the file's shared node index answers (a rule asks after its own analysis built it).
  const counted = findAll(program, [
    "Literal",
    "ExpressionStatement",
    "VariableDeclaration",
    "ReturnStatement",
    "ImportDeclaration",
    "ThrowStatement",
    "ObjectExpression",
  ]);
  for (const node of counted) {
    if (node.type === "Literal") {
      if (typeof node.value !== "string") continue;
      const raw = node.raw;
      if (raw.startsWith('"')) double++;
      else if (raw.startsWith("'")) single++;
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
      if (text[node.range[1] - 1] === ";") withSemi++;
      else withoutSemi++;
    }
    if (node.type === "ObjectExpression" && node.properties.length > 0) {
      const last = node.properties[node.properties.length - 1]!;
      const between = text.slice(last.range[1], node.range[1] - 1);
      if (!between.includes("\n")) continue;
      if (/^\s*,/.test(between)) trailing++;
      else notTrailing++;
    }
  }
  return {
    quote: single > double ? "'" : '"',
    semicolons: withSemi >= withoutSemi,
    indent: detectIndent(text),
    newline: text.includes("\r\n") ? "\r\n" : "\n",
    trailingCommas: trailing >= notTrailing,
  };
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
export function semi(style: CodeStyle): string {
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
