/**
 * `webhook-lint lint [paths..]`: runs ESLint with webhook-lint's rules and the TypeScript
 * parser, ignoring any ESLint config in the project, for CI in repos without ESLint.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ESLint, type Linter } from "eslint";
import plugin from "../index.js";
import { CONFIG_NAMES, IGNORES, type ConfigName } from "../configs.js";
import { EXIT, UsageError, type CliIO } from "./io.js";
import { toSarif } from "./sarif.js";

export const LINT_HELP = `Usage: webhook-lint lint [paths..] [options]

Lints JavaScript and TypeScript files with webhook-lint's rules. Needs no ESLint config:
any eslint.config.* in the project is ignored (use the plugin in your own config for that).

Options:
  -c, --config <name>       recommended (default), strict or all
  -f, --format <name>       stylish (default), json or sarif
  -o, --output-file <file>  Write the report to a file instead of stdout
      --fix                 Apply the rules' safe autofixes
      --exit-zero           Exit 0 even when there are findings
  -h, --help                Show this help

Paths default to the current directory. node_modules, .next, build output and
convex/_generated are never linted.
Exit codes: 0 no findings, 1 findings, 2 usage error.
`;

export const FORMATS = ["stylish", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

/** Folders no one wants linted, besides ESLint's own defaults (node_modules, .git). */
export const DEFAULT_IGNORES = ["**/.next/**", "**/dist/**", "**/build/**", "**/out/**", "**/coverage/**", ...IGNORES];

interface LintOptions {
  paths: string[];
  config: ConfigName;
  format: Format;
  outputFile: string | null;
  fix: boolean;
  exitZero: boolean;
  help: boolean;
}

export function parseLintArgs(argv: readonly string[]): LintOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string", short: "c", default: "recommended" },
        format: { type: "string", short: "f", default: "stylish" },
        "output-file": { type: "string", short: "o" },
        fix: { type: "boolean", default: false },
        "exit-zero": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (!CONFIG_NAMES.includes(values.config as ConfigName)) {
    throw new UsageError(`unknown config "${values.config}". Configs: ${CONFIG_NAMES.join(", ")}.`);
  }
  if (!(FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`unknown format "${values.format}". Formats: ${FORMATS.join(", ")}.`);
  }
  return {
    paths: positionals.length > 0 ? positionals : ["."],
    config: values.config as ConfigName,
    format: values.format as Format,
    outputFile: values["output-file"] ?? null,
    fix: values.fix,
    exitZero: values["exit-zero"],
    help: values.help,
  };
}

export function createLinter(cwd: string, config: ConfigName, fix = false): ESLint {
  return new ESLint({
    cwd,
    fix,
    overrideConfigFile: true,
    overrideConfig: [
      { name: "webhook-lint/cli-ignores", ignores: DEFAULT_IGNORES },
      // Directives for the project's other plugins are not ours to judge.
      { name: "webhook-lint/cli-directives", linterOptions: { reportUnusedDisableDirectives: "off" } },
      ...(plugin.configs[config] as Linter.Config[]),
    ],
    errorOnUnmatchedPattern: true,
  });
}

/**
 * Drops what ESLint says about other plugins' rules: an `eslint-disable` comment for
 * `react-hooks/exhaustive-deps` names a rule this run does not load ("Definition for rule ...
 * was not found"), which is not a finding. Parse errors (no rule id) and our rules stay.
 */
export function withoutForeignRules(result: ESLint.LintResult): ESLint.LintResult {
  const messages = result.messages.filter((m) => m.ruleId === null || m.ruleId.startsWith("webhook/"));
  if (messages.length === result.messages.length) return result;
  const count = (severity: number, fixable = false) =>
    messages.filter((m) => m.severity === severity && (!fixable || m.fix !== undefined)).length;
  return {
    ...result,
    messages,
    errorCount: count(2),
    warningCount: count(1),
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    fixableErrorCount: count(2, true),
    fixableWarningCount: count(1, true),
  };
}

export async function runLintCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const options = parseLintArgs(argv);
  if (options.help) {
    io.stdout.write(LINT_HELP);
    return EXIT.ok;
  }
  const eslint = createLinter(io.cwd, options.config, options.fix);
  let results: ESLint.LintResult[];
  try {
    results = await eslint.lintFiles(options.paths);
  } catch (error) {
    const message = (error as Error).message;
    if (/No files matching|All files matched by .* are ignored/i.test(message)) {
      throw new UsageError(message.split("\n")[0]);
    }
    throw error;
  }
  if (options.fix) await ESLint.outputFixes(results);
  results = results.map(withoutForeignRules);

  let report: string;
  if (options.format === "sarif") {
    report = `${JSON.stringify(toSarif(results, io.cwd, plugin.rules), null, 2)}\n`;
  } else {
    const formatter = await eslint.loadFormatter(options.format);
    report = await formatter.format(results, { color: io.stdout.isTTY === true && !io.env.NO_COLOR && !options.outputFile });
    if (options.format === "json") report += "\n";
  }
  if (options.outputFile) {
    await writeFile(resolve(io.cwd, options.outputFile), report);
  } else {
    io.stdout.write(report);
  }

  const problems = results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  if (options.format === "stylish" && problems === 0 && !options.outputFile) {
    const files = results.length;
    io.stdout.write(`No webhook problems found in ${files} file${files === 1 ? "" : "s"}.\n`);
  }
  return problems > 0 && !options.exitZero ? EXIT.findings : EXIT.ok;
}
