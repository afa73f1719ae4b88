import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CliIO } from "../../src/cli/io.js";

export interface FakeIO extends CliIO {
  out(): string;
  err(): string;
}

/** A CliIO that records what a command prints. */
export function fakeIO(cwd: string, options: { tty?: boolean } = {}): FakeIO {
  let out = "";
  let err = "";
  return {
    cwd,
    env: {},
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: options.tty ?? false },
    out: () => out,
    err: () => err,
  };
}

/** A temporary project folder with the given files. */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "webhook-lint-"));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
