/** Code frames for warnings: the site, two lines around it, a `>` marker and a caret. */

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A plain-text code frame (no colours) around 1-based `line`/`column`. */
export function codeFrame(text: string, line: number, column: number, context = 2): string {
  const lines = text.split(/\r?\n/);
  if (line < 1 || line > lines.length) return "";
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? ">" : " ";
    const source = lines[n - 1]!.replace(/\t/g, "  ");
    out.push(`${marker} ${String(n).padStart(width)} | ${source}`.trimEnd());
    if (n === line) {
      const prefix = lines[n - 1]!.slice(0, Math.max(0, column - 1)).replace(/\t/g, "  ").replace(/\S/g, " ");
      out.push(`  ${" ".repeat(width)} | ${prefix}^`);
    }
  }
  return out.join("\n");
}
