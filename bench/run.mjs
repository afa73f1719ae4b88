#!/usr/bin/env node
// Benchmark: the recommended rules' own time against ESLint's parse time, on a large
// monorepo-shaped corpus (default about 4,000 TypeScript files), with ESLint's `stats: true`.
//
// The corpus is real TypeScript: the sources that ship inside installed packages (convex,
// svix, ...) spread over many workspace packages, plus Next.js apps made from the example
// apps in fixtures/apps, so the rules see both ordinary code (where they must bail out
// cheaply) and webhook code (where they do their work). It is written to bench/.cache/.
//
//   npm run bench                 # build, then benchmark
//   node bench/run.mjs --files 1000 --config all --runs 1
//
// To compare two builds, use bench/compare.mjs: it lints the same files with both in one
// process, so the machine's load falls on both alike (separate runs differ by half a point).
// --plugin benchmarks another build on its own, and --findings checks that a change reports the same:
//
//   npx tsc -p tsconfig.build.json --outDir bench/.cache/before
//   node bench/run.mjs --plugin bench/.cache/before/src/index.js --keep-corpus --findings before.json
//   node bench/run.mjs --keep-corpus --findings after.json   # then diff the findings
//
// Target: rules' own time < 5% of parse time (the median of --runs runs). Exits 1 when the target is missed.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ESLint } from "eslint";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "4000" },
    config: { type: "string", default: "recommended" },
    target: { type: "string", default: "5" },
    // How many times to lint the corpus; the verdict is the median run.
    runs: { type: "string", default: "3" },
    // Module to benchmark instead of the built package (`webhook-lint`), e.g. another build.
    plugin: { type: "string" },
    // Where to build the corpus (default bench/.cache/monorepo); separate folders let runs proceed side by side.
    corpus: { type: "string" },
    // Reuse the corpus as it is when it exists, so several runs lint the same files.
    "keep-corpus": { type: "boolean", default: false },
    // Write every finding (file, rule, position, message) as JSON, to check that a change keeps them.
    findings: { type: "string" },
  },
});
const { default: webhook } = await import(values.plugin ? pathToFileURL(resolve(values.plugin)).href : "webhook-lint");
const wanted = Number(values.files);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpus = values.corpus ? resolve(values.corpus) : join(root, "bench", ".cache", "monorepo");

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name === "_generated") continue;
      walk(path, out);
    } else if (/\.tsx?$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

function buildCorpus() {
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  // Real library sources: every package under node_modules that ships a src/ folder of .ts files.
  const sources = [];
  for (const name of readdirSync(join(root, "node_modules"))) {
    const scoped = name.startsWith("@") ? readdirSync(join(root, "node_modules", name)).map((n) => `${name}/${n}`) : [name];
    for (const pkg of scoped) {
      const src = join(root, "node_modules", pkg, "src");
      if (existsSync(src) && statSync(src).isDirectory()) sources.push(...walk(src));
    }
  }
  const apps = readdirSync(join(root, "fixtures", "apps")).map((a) => join(root, "fixtures", "apps", a));
  let written = 0;
  let round = 0;
  // One copy of every example app per round: about 8% of a 4,000-file corpus, all of it webhook,
  // billing or Convex code (a real monorepo has far less), so the rules do their full work often.
  while (written < wanted) {
    for (const app of apps) {
      const target = join(corpus, "apps", `${relative(join(root, "fixtures", "apps"), app)}-${round}`);
      cpSync(app, target, { recursive: true, filter: (p) => !p.endsWith("expected.json") });
      written += walk(target).length;
    }
    const pkgDir = join(corpus, "packages", `pkg-${round}`);
    for (const file of sources) {
      if (written >= wanted) break;
      // `vendor-convex/src/...`, not `convex/src/...`: a folder named `convex` is a Convex
      // functions folder to the rules, and Convex's own 1,700 library sources are not an app's
      // few dozen Convex modules (the example apps bring those).
      const [first, ...rest] = relative(join(root, "node_modules"), file).split(sep);
      const dest = join(pkgDir, `vendor-${first}`, ...rest);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, readFileSync(file));
      written++;
    }
    round++;
    if (sources.length === 0 && round > wanted) break;
  }
  return walk(corpus).length;
}

const fileCount = values["keep-corpus"] && existsSync(corpus) ? walk(corpus).length : buildCorpus();
const runs = Math.max(1, Number(values.runs));
const target = Number(values.target);
const perRule = new Map();
const shares = [];
let results = [];
let wall = 0;
let parse = 0;
let rulesTotal = 0;
// The machine is often busy and a single run's share moves by a point or more, so the files are
// linted several times (a new ESLint each time: no cache) and the median share is the verdict.
for (let run = 0; run < runs; run++) {
  const eslint = new ESLint({ cwd: corpus, overrideConfigFile: true, overrideConfig: webhook.configs[values.config], stats: true });
  const started = performance.now();
  results = await eslint.lintFiles(["."]);
  wall += performance.now() - started;
  let runParse = 0;
  let runRules = 0;
  for (const result of results) {
    for (const pass of result.stats?.times.passes ?? []) {
      runParse += pass.parse.total;
      for (const [ruleId, time] of Object.entries(pass.rules ?? {})) {
        runRules += time.total;
        perRule.set(ruleId, (perRule.get(ruleId) ?? 0) + time.total / runs);
      }
    }
  }
  parse += runParse / runs;
  rulesTotal += runRules / runs;
  shares.push((runRules / runParse) * 100);
}
const share = [...shares].sort((a, b) => a - b)[Math.floor(shares.length / 2)];
let findings = 0;
let fatal = 0;
for (const result of results) {
  findings += result.messages.filter((m) => m.ruleId).length;
  fatal += result.messages.filter((m) => m.fatal).length;
}
const rss = process.resourceUsage().maxRSS / 1024;

console.log(`webhook-lint bench: ${fileCount} files, config "${values.config}", ${runs} run${runs === 1 ? "" : "s"}`);
console.log(`  wall time per run    ${(wall / runs / 1000).toFixed(1)} s`);
console.log(`  parse (ESLint stats) ${parse.toFixed(0)} ms per run`);
console.log(`  rules, total         ${rulesTotal.toFixed(1)} ms per run`);
console.log(`  rules / parse        ${shares.map((s) => `${s.toFixed(2)}%`).join(", ")}; median ${share.toFixed(2)}% (target < ${target}%)`);
for (const [ruleId, time] of [...perRule].sort((a, b) => b[1] - a[1])) {
  console.log(`    ${ruleId.padEnd(48)} ${time.toFixed(1)} ms`);
}
console.log(`  findings ${findings}, parse errors ${fatal}, peak RSS ${rss.toFixed(0)} MB`);
if (values.findings) {
  const list = results.flatMap((result) =>
    result.messages.map((m) => ({ file: relative(corpus, result.filePath), rule: m.ruleId, line: m.line, column: m.column, message: m.message })),
  );
  list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || String(a.rule).localeCompare(String(b.rule))));
  writeFileSync(values.findings, `${JSON.stringify(list, null, 1)}\n`);
}
if (share >= target) {
  console.log(`FAIL: rules take ${share.toFixed(2)}% of parse time in the median run (target < ${target}%).`);
  process.exitCode = 1;
} else {
  console.log("PASS");
}
