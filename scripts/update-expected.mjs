#!/usr/bin/env node
// Rewrites fixtures/apps/<app>/expected.json from what the BUILT plugin reports today, with
// the `all` config. Run `npm run build` first, then review the diff: the e2e test
// (tests/meta/e2e.test.ts) compares against these files exactly.
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { lintApp } from "./lint-app.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const appsDir = join(root, "fixtures", "apps");
const only = process.argv.slice(2);
for (const app of readdirSync(appsDir, { withFileTypes: true })) {
  if (!app.isDirectory() || (only.length > 0 && !only.includes(app.name))) continue;
  const findings = await lintApp(join(appsDir, app.name));
  writeFileSync(join(appsDir, app.name, "expected.json"), `${JSON.stringify(findings, null, 2)}\n`);
  console.log(`${app.name}: ${findings.length} finding${findings.length === 1 ? "" : "s"}`);
}
