/** `webhook-lint <command>`: dispatches to one module per command, loaded on demand. */
import { packageInfo } from "../util/package-info.js";
import { EXIT, UsageError, type CliIO } from "./io.js";

export const HELP = `Usage: webhook-lint <command> [options]

Commands:
  lint [paths..]            Lint with webhook-lint's rules; no ESLint config needed
  codemod <name> [path]     Rewrite a whole pattern across files (see: codemod --list)

Options:
  -h, --help                Show help (also: webhook-lint <command> --help)
  -v, --version             Show the version

Exit codes: 0 clean, 1 findings or unsafe sites, 2 usage error.
`;

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.stdout.write(HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      case "-v":
      case "--version":
        io.stdout.write(`${packageInfo().version}\n`);
        return EXIT.ok;
      case "lint": {
        const { runLintCommand } = await import("./lint.js");
        return await runLintCommand(rest, io);
      }
      case "codemod": {
        const { runCodemodCommand } = await import("./codemod.js");
        return await runCodemodCommand(rest, io);
      }
      default:
        throw new UsageError(`unknown command "${command}". Commands: lint, codemod.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`webhook-lint: ${error.message}\nRun "webhook-lint --help" for usage.\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
