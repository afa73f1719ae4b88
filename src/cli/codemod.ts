import type { CliIO } from "./io.js";
import { EXIT } from "./io.js";

/** `webhook-lint codemod ...` (being built). */
export async function runCodemodCommand(_argv: readonly string[], io: CliIO): Promise<number> {
  io.stderr.write("webhook-lint codemod: not available in this build.\n");
  return EXIT.usage;
}
