#!/usr/bin/env node
// The atomic-mutation codemod as a new user meets it, on a complete example app (Next.js App
// Router + Convex + Stripe, with its convex/_generated files): copied into a fresh git repository,
// linted, shown as a diff, applied, type-checked, linted again and run a second time.
//
//   npm run demo:codemod             # builds first
//   node scripts/demo-codemod.mjs    # with dist/ already built
//
// The app is the input of the codemod's `app-router-query-then-mutation` fixture. It is copied to
// a temporary folder whose node_modules points at this repository's, so `tsc` sees the real
// `convex` and `stripe` types. Exits 1 when a step does not end as it should.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const app = join(root, "fixtures", "codemods", "atomic-mutation", "app-router-query-then-mutation", "input");
const bin = join(root, "dist", "src", "cli", "bin.js");
const dir = mkdtempSync(join(tmpdir(), "webhook-lint-codemod-demo-"));
const keep = process.argv.includes("--keep");
let failed = false;

function step(title, command, args, expect) {
  const shown = command === "webhook-lint" ? ["webhook-lint", ...args] : ["tsc", ...args.slice(1)];
  console.log(`\n$ ${shown.join(" ")}    # ${title}`);
  const result = spawnSync(command === "webhook-lint" ? process.execPath : command, command === "webhook-lint" ? [bin, ...args] : args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  const problem = expect(result);
  if (problem) {
    failed = true;
    console.log(`!! ${problem}`);
  }
  return result;
}

try {
  cpSync(app, dir, { recursive: true });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, ".gitignore"), "node_modules\n");
  const git = (...args) => execFileSync("git", ["-c", "user.email=demo@example.com", "-c", "user.name=demo", ...args], { cwd: dir });
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "the app before the codemod");
  console.log(`A copy of the example app, committed in a fresh git repository: ${dir}`);

  const twoRules = /webhook\/(?:no-query-then-mutation|require-idempotent-event-mutation)/;
  step("what the linter says before", "webhook-lint", ["lint", "."], (r) =>
    twoRules.test(r.stdout) ? null : "expected no-query-then-mutation or require-idempotent-event-mutation findings",
  );
  step("the rewrite as a diff; writes nothing", "webhook-lint", ["codemod", "atomic-mutation", "--dry"], (r) =>
    r.status === 0 && r.stdout.includes("Would update") ? null : `expected a diff and exit 0, got exit ${r.status}`,
  );
  step("apply it", "webhook-lint", ["codemod", "atomic-mutation"], (r) =>
    r.status === 0 && r.stdout.includes("Updated") ? null : `expected "Updated ..." and exit 0, got exit ${r.status}`,
  );
  step("the rewritten app still type-checks", process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"], (r) =>
    r.status === 0 ? null : "tsc reported errors",
  );
  step("the linter again: the two findings are gone", "webhook-lint", ["lint", "."], (r) =>
    twoRules.test(r.stdout) ? "still reported after the codemod" : null,
  );
  execFileSync("git", ["-c", "user.email=demo@example.com", "-c", "user.name=demo", "commit", "-qam", "after the codemod"], { cwd: dir });
  step("a second run changes nothing", "webhook-lint", ["codemod", "atomic-mutation", "--dry"], (r) =>
    r.status === 0 && !r.stdout.includes("Would update") ? null : "the second run wanted to change something",
  );
} finally {
  if (keep) console.log(`\nKept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log(failed ? "\nThe demo did not go as expected (see !! above)." : "\nDone: the app was rewritten, type-checks, and the two findings are gone.");
process.exitCode = failed ? 1 : 0;
