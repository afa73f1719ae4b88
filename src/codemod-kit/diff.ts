/** Unified diffs of a codemod's changes, coloured for terminals. */
import { styleText } from "node:util";
import { createTwoFilesPatch } from "diff";
import type { FileChange } from "./project.js";

/** A unified diff (`a/` and `b/` prefixes, 3 lines of context). */
export function unifiedDiff(change: FileChange): string {
  const before = change.before ?? "";
  const patch = createTwoFilesPatch(
    change.before === null ? "/dev/null" : `a/${change.file}`,
    `b/${change.file}`,
    before,
    change.after,
    undefined,
    undefined,
    { context: 3 },
  );
  // Drop the `====` banner line the library prints first.
  return patch.replace(/^=+\n/, "");
}

/** Colours diff lines: additions green, removals red, hunk headers cyan, file headers bold. */
export function colorDiff(diff: string): string {
  return diff
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---")) return styleText("bold", line, { validateStream: false });
      if (line.startsWith("+")) return styleText("green", line, { validateStream: false });
      if (line.startsWith("-")) return styleText("red", line, { validateStream: false });
      if (line.startsWith("@@")) return styleText("cyan", line, { validateStream: false });
      return line;
    })
    .join("\n");
}
