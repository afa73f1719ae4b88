/** What a command may touch of the outside world, so commands run in-process in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A usage error: printed to stderr with a hint, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
