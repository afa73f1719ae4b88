// Lints one example app the way a user's eslint.config.mjs would: real ESLint, flat config,
// the built package imported by its name. Shared by the e2e test and update-expected.mjs.
import { relative } from "node:path";
import { ESLint } from "eslint";
import webhook from "webhook-lint";

/** Findings as { file, line, column, ruleId, message }, sorted; parse errors included. */
export async function lintApp(appDir, config = "all") {
  const eslint = new ESLint({
    cwd: appDir,
    overrideConfigFile: true,
    overrideConfig: [{ ignores: ["expected.json"] }, ...webhook.configs[config]],
  });
  const results = await eslint.lintFiles(["."]);
  const findings = [];
  for (const result of results) {
    for (const message of result.messages) {
      findings.push({
        file: relative(appDir, result.filePath).split("\\").join("/"),
        line: message.line,
        column: message.column,
        ruleId: message.ruleId,
        message: message.message,
      });
    }
  }
  return findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || String(a.ruleId).localeCompare(String(b.ruleId)),
  );
}
