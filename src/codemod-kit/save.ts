/**
 * The single save at the end of a run. Every new text is first written next to its target
 * (`<file>.webhook-lint.tmp`); only when all of them are written are they renamed over the
 * originals, so a failure while writing leaves every project file as it was.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { FileChange } from "./project.js";

export interface FileSink {
  write(path: string, text: string): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
  mkdir(path: string): void;
}

export const diskSink: FileSink = {
  write: (path, text) => writeFileSync(path, text),
  rename: (from, to) => renameSync(from, to),
  remove: (path) => rmSync(path, { force: true }),
  mkdir: (path) => mkdirSync(path, { recursive: true }),
};

export class SaveError extends Error {
  override name = "SaveError";
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`could not write ${file}: ${(cause as Error).message}; no file was changed`);
  }
}

/** Writes all changes or none (up to the renames, which do not fail on a writable folder). */
export function saveChanges(root: string, changes: readonly FileChange[], sink: FileSink = diskSink): void {
  const temps: Array<{ temp: string; target: string }> = [];
  try {
    for (const change of changes) {
      const target = join(root, change.file);
      const temp = `${target}.webhook-lint.tmp`;
      try {
        sink.mkdir(dirname(target));
        sink.write(temp, change.after);
      } catch (error) {
        throw new SaveError(change.file, error);
      }
      temps.push({ temp, target });
    }
  } catch (error) {
    for (const { temp } of temps) sink.remove(temp);
    throw error;
  }
  for (const { temp, target } of temps) sink.rename(temp, target);
}
