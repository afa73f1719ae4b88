/**
 * `webhook-lint codemod <name> [path]`: runs a codemod over a project in memory, then prints
 * diffs (`--dry`), prints the rewritten files (`--print`) or saves them all at once.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, styleText } from "node:util";
import { codemods as registry, type CodemodEntry } from "../../codemods/index.js";
import { colorDiff, unifiedDiff } from "../codemod-kit/diff.js";
import { gitState } from "../codemod-kit/git.js";
import type { FileSource } from "../codemod-kit/project.js";
import { runCodemod, type RunResult } from "../codemod-kit/run.js";
import { diskSink, SaveError, saveChanges, type FileSink } from "../codemod-kit/save.js";
import type { CodemodWarning } from "../codemod-kit/types.js";
import { EXIT, UsageError, type CliIO, type OutputStream } from "./io.js";

export const CODEMOD_HELP = `Usage: webhook-lint codemod <name> [path] [options]
       webhook-lint codemod --list

Rewrites a whole pattern across the project that contains [path] (default: the current
directory). The project root is the nearest folder with a package.json or convex.json.
Files are changed only when the git working tree is clean, and all at once at the end.

Options:
      --dry      Print a unified diff of the changes; write nothing
      --print    Print the rewritten files; write nothing
      --force    Run even if the git working tree has uncommitted changes
      --json     Print a machine-readable report
  -l, --list     List the available codemods
  -h, --help     Show this help

Sites the codemod cannot rewrite safely are left alone and reported as warnings.
Exit codes: 0 done, 1 some sites were left alone (warnings), 2 usage error.
`;

/** Seams for tests: another registry, file source or sink. Production uses the defaults. */
export interface CodemodCommandDeps {
  codemods?: readonly CodemodEntry[];
  source?: FileSource;
  sink?: FileSink;
}

interface Options {
  name: string | null;
  path: string;
  dry: boolean;
  print: boolean;
  force: boolean;
  json: boolean;
  list: boolean;
  help: boolean;
}

function parseCodemodArgs(argv: readonly string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        dry: { type: "boolean", default: false },
        print: { type: "boolean", default: false },
        force: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        list: { type: "boolean", short: "l", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}": codemod takes a name and one path.`);
  return {
    name: positionals[0] ?? null,
    path: positionals[1] ?? ".",
    dry: values.dry,
    print: values.print,
    force: values.force,
    json: values.json,
    list: values.list,
    help: values.help,
  };
}

function useColor(stream: OutputStream, io: CliIO): boolean {
  return stream.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== "dumb";
}

function paint(on: boolean, format: Parameters<typeof styleText>[0], text: string): string {
  return on ? styleText(format, text, { validateStream: false }) : text;
}

function listCodemods(entries: readonly CodemodEntry[]): string {
  const width = Math.max(...entries.map((e) => e.name.length));
  const lines = entries.map((e) => `  ${e.name.padEnd(width)}  ${e.title}`);
  return `Codemods:\n${lines.join("\n")}\n\nRun "webhook-lint codemod <name> --dry" to preview one.\n`;
}

function formatWarning(warning: CodemodWarning, color: boolean): string {
  const at = warning.line > 0 ? `${warning.file}:${warning.line}:${warning.column}` : warning.file;
  const head = `${paint(color, "yellow", "warning")} ${paint(color, "bold", at)}: ${warning.reason}`;
  return warning.frame ? `${head}\n${warning.frame.replace(/^/gm, "  ")}\n` : `${head}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Starts a progress line on a TTY; returns a function that clears it. */
function progress(io: CliIO): { onProgress?: (done: number, total: number) => void; clear: () => void } {
  if (io.stderr.isTTY !== true) return { clear: () => {} };
  let shown = false;
  return {
    onProgress(done, total) {
      if (total < 200) return;
      shown = true;
      io.stderr.write(`\r\x1b[Kwebhook-lint codemod: scanning ${done}/${total} files`);
    },
    clear() {
      if (shown) io.stderr.write("\r\x1b[K");
    },
  };
}

export async function runCodemodCommand(argv: readonly string[], io: CliIO, deps: CodemodCommandDeps = {}): Promise<number> {
  const entries = deps.codemods ?? registry;
  const options = parseCodemodArgs(argv);
  if (options.help) {
    io.stdout.write(CODEMOD_HELP);
    return EXIT.ok;
  }
  if (options.list) {
    if (options.json) {
      const list = entries.map(({ name, title, description, crossFile }) => ({ name, title, description, crossFile }));
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    } else {
      io.stdout.write(listCodemods(entries));
    }
    return EXIT.ok;
  }
  if (options.name === null) {
    io.stderr.write(CODEMOD_HELP);
    return EXIT.usage;
  }
  const entry = entries.find((e) => e.name === options.name);
  if (!entry) {
    throw new UsageError(`unknown codemod "${options.name}". Codemods: ${entries.map((e) => e.name).join(", ")}.`);
  }
  const start = resolve(io.cwd, options.path);
  let isDirectory = false;
  try {
    isDirectory = statSync(start).isDirectory();
  } catch {
    throw new UsageError(`path "${options.path}" does not exist.`);
  }
  if (!isDirectory) throw new UsageError(`path "${options.path}" is not a folder: pass the project folder (or a folder inside it).`);

  const writes = !options.dry && !options.print;
  const codemod = await entry.load();
  const ticker = progress(io);
  let result: RunResult;
  try {
    result = runCodemod(codemod, start, {
      ...(deps.source ? { source: deps.source } : {}),
      ...(ticker.onProgress ? { onProgress: ticker.onProgress } : {}),
    });
  } catch (error) {
    ticker.clear();
    io.stderr.write(
      `webhook-lint codemod ${entry.name}: failed: ${(error as Error).message}\nNo file was written.\n`,
    );
    return EXIT.findings;
  }
  ticker.clear();
  const root = result.project.root;

  if (writes && !options.force && result.changes.length > 0) {
    const state = gitState(root);
    if (state.kind === "dirty") {
      const shown = state.files.slice(0, 5).join(", ") + (state.files.length > 5 ? ", ..." : "");
      io.stderr.write(
        `webhook-lint codemod: the git working tree has uncommitted changes (${plural(state.files.length, "file")}: ${shown}).\n` +
          "Commit or stash them first so the codemod's changes can be reviewed and reverted on their own,\n" +
          "or preview with --dry, or pass --force.\n",
      );
      return EXIT.usage;
    }
  }

  let saveError: SaveError | null = null;
  if (writes && result.changes.length > 0) {
    try {
      saveChanges(root, result.changes, deps.sink ?? diskSink);
    } catch (error) {
      if (!(error instanceof SaveError)) throw error;
      saveError = error;
    }
  }

  const problems = result.warnings.length + result.skipped.length;
  const exitCode = saveError ? EXIT.findings : problems > 0 ? EXIT.findings : EXIT.ok;

  if (options.json) {
    const report = {
      codemod: entry.name,
      root,
      dryRun: !writes,
      written: writes && saveError === null && result.changes.length > 0,
      files: result.changes.map((c) => ({ file: c.file, created: c.before === null, diff: unifiedDiff(c) })),
      warnings: result.warnings,
      skipped: result.skipped,
      notes: result.notes,
      error: saveError ? saveError.message : null,
      exitCode,
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return exitCode;
  }

  const outColor = useColor(io.stdout, io);
  const errColor = useColor(io.stderr, io);
  if (options.print) {
    for (const change of result.changes) {
      io.stdout.write(`${paint(outColor, "bold", `// ${change.file}`)}\n${change.after}${change.after.endsWith("\n") ? "" : "\n"}`);
    }
  } else if (options.dry) {
    for (const change of result.changes) {
      const diff = unifiedDiff(change);
      io.stdout.write(outColor ? colorDiff(diff) : diff);
    }
  }
  for (const skipped of result.skipped) {
    io.stderr.write(`${paint(errColor, "yellow", "warning")} ${paint(errColor, "bold", skipped.file)}: ${skipped.reason}\n`);
  }
  for (const warning of result.warnings) io.stderr.write(formatWarning(warning, errColor));

  if (saveError) {
    io.stderr.write(`webhook-lint codemod ${entry.name}: ${saveError.message}\n`);
    return exitCode;
  }
  const files = result.changes.map((c) => c.file);
  const verb = writes ? "Updated" : "Would update";
  const summary =
    files.length === 0 ? "No changes." : `${verb} ${plural(files.length, "file")}: ${files.join(", ")}.`;
  const tail = problems > 0 ? ` ${plural(problems, "warning")}: the sites above were left alone.` : "";
  const summaryStream = options.print ? io.stderr : io.stdout;
  summaryStream.write(`${summary}${tail}\n`);
  for (const note of result.notes) summaryStream.write(`  - ${note}\n`);
  return exitCode;
}
