#!/usr/bin/env node
// Compare the rules' own time of two builds on the same files, in one process: each file is
// parsed once, then linted by both builds' recommended configs on that same AST (ESLint
// `stats: true`), in alternating order, so the machine's load and the JIT's warm-up fall on
// both alike. Separate `npm run bench` runs differ by half a point from load alone.
//
// Build the corpus with `npm run bench` first, compile the other build somewhere under the
// repository (its imports resolve from node_modules), then:
//
//   npx tsc -p tsconfig.build.json --outDir bench/.cache/before   # e.g. on the previous commit
//   node bench/compare.mjs bench/.cache/before/src/index.js dist/src/index.js [--passes 2] [--only apps/] [--rules]
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: "string", default: "bench/.cache/monorepo" },
    passes: { type: "string", default: "1" },
    // Only files whose path contains this (`apps/`, `packages/`).
    only: { type: "string", default: "" },
    // Also print each rule's time in both builds.
    rules: { type: "boolean", default: false },
  },
});
if (positionals.length !== 2) {
  console.error("usage: node bench/compare.mjs <plugin A> <plugin B> [--passes N] [--only TEXT] [--corpus DIR] [--rules]");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { Linter } = require("eslint");
const tsParser = require("@typescript-eslint/parser");
const corpus = resolve(values.corpus);

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "_generated") walk(path, out);
    } else if (/\.tsx?$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

const files = walk(corpus).filter((file) => file.includes(values.only));
const plugins = [];
for (const path of positionals) plugins.push((await import(pathToFileURL(resolve(path)).href)).default);
let parsed = null;
// Hands ESLint the parse already made for this file, so both builds see the same AST.
const sameParse = { meta: { name: "same-parse" }, parseForESLint: () => parsed };
const configs = plugins.map((plugin) =>
  plugin.configs.recommended.map((c) => (c.languageOptions?.parser ? { ...c, languageOptions: { ...c.languageOptions, parser: sameParse } } : c)),
);
const linter = new Linter({ cwd: corpus });
const passes = Math.max(1, Number(values.passes));
const totals = [0, 0];
const findings = [0, 0];
const perRule = [new Map(), new Map()];
for (let pass = 0; pass < passes; pass++) {
  files.forEach((file, i) => {
    const text = readFileSync(file, "utf8");
    parsed = tsParser.parseForESLint(text, { filePath: file, range: true, loc: true, comment: true, tokens: true, ecmaVersion: "latest", sourceType: "module" });
    for (const k of (i + pass) % 2 === 0 ? [0, 1] : [1, 0]) {
      const { messages } = linter.verifyAndFix(text, configs[k], { filename: file, stats: true, fix: false });
      findings[k] += messages.filter((m) => m.ruleId).length;
      for (const p of linter.getTimes().passes) {
        for (const [ruleId, time] of Object.entries(p.rules ?? {})) {
          totals[k] += time.total;
          perRule[k].set(ruleId, (perRule[k].get(ruleId) ?? 0) + time.total);
        }
      }
    }
  });
}
console.log(`${files.length} files, ${passes} pass${passes === 1 ? "" : "es"}: rules' own time per pass`);
positionals.forEach((path, k) => console.log(`  ${String.fromCharCode(65 + k)} ${(totals[k] / passes).toFixed(1)} ms  ${findings[k] / passes} findings  ${path}`));
console.log(`  B / A ${((totals[1] / totals[0]) * 100).toFixed(1)}%`);
if (values.rules) {
  const ids = [...new Set([...perRule[0].keys(), ...perRule[1].keys()])].sort((a, b) => (perRule[0].get(b) ?? 0) - (perRule[0].get(a) ?? 0));
  for (const id of ids) {
    const [a, b] = [perRule[0].get(id) ?? 0, perRule[1].get(id) ?? 0].map((t) => t / passes);
    console.log(`    ${id.padEnd(48)} ${a.toFixed(1).padStart(7)} ${b.toFixed(1).padStart(7)} ms  ${a > 0 ? ((b / a) * 100).toFixed(0) : "-"}%`);
  }
}
