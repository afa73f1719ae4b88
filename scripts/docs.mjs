#!/usr/bin/env node
// Regenerates the rule doc headers and the README rules table with eslint-doc-generator
// (`--check` fails on a diff instead of writing). The generator derives the rule prefix
// from the plugin's name, which would give `webhook-lint/`; our rules live under
// `webhook/`, so it reads a stand-in that re-exports the built plugin under the name
// `eslint-plugin-webhook`.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "eslint-doc-generator/dist/lib/generator.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const standIn = join(root, "node_modules", ".cache", "eslint-plugin-webhook");
mkdirSync(standIn, { recursive: true });
writeFileSync(
  join(standIn, "package.json"),
  JSON.stringify({ name: "eslint-plugin-webhook", type: "module", main: "index.js" }, null, 2),
);
writeFileSync(
  join(standIn, "index.js"),
  `import plugin from ${JSON.stringify(pathToFileURL(join(root, "dist/src/index.js")).href)};\n` +
    `export default { ...plugin, meta: { ...plugin.meta, name: "eslint-plugin-webhook" } };\n`,
);

const up = relative(standIn, root);
await generate(standIn, {
  check: process.argv.includes("--check"),
  pathRuleDoc: join(up, "rules/{name}.md"),
  pathRuleList: [join(up, "README.md")],
  ignoreConfig: ["all"],
  configEmoji: [["strict", "🔒"]],
  ruleDocSectionInclude: ["Why", "Examples", "When not to use it"],
  ruleListColumns: ["name", "description", "configsError", "fixable", "hasSuggestions"],
  urlRuleDoc: "rules/{name}.md",
});
