/** `webhook-lint codemod`, in-process through runCodemodCommand with a fake CliIO. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CodemodEntry } from "../../codemods/index.js";
import { runCodemodCommand } from "../../src/cli/codemod.js";
import { main } from "../../src/cli/main.js";
import type { Codemod } from "../../src/codemod-kit/types.js";
import type { FileSink } from "../../src/codemod-kit/save.js";
import { FIXTURES, readTree } from "../codemods/fixtures.js";
import { fakeIO } from "./helpers.js";

const APP = join(FIXTURES, "atomic-mutation", "app-router-query-then-mutation");
const temps: string[] = [];

/** A copy of the app-router fixture input in a fresh temp folder (optionally a clean git repo). */
function copyApp(options: { git?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "webhook-lint-codemod-"));
  temps.push(dir);
  cpSync(join(APP, "input"), dir, { recursive: true });
  if (options.git) {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init");
  }
  return dir;
}

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("webhook-lint codemod", () => {
  it("--list names every codemod with its title", async () => {
    const io = fakeIO(process.cwd());
    expect(await runCodemodCommand(["--list"], io)).toBe(0);
    expect(io.out()).toBe(
      "Codemods:\n  atomic-mutation  Move the webhook's duplicate check into the Convex mutation\n\nRun \"webhook-lint codemod <name> --dry\" to preview one.\n",
    );
  });

  it("--list --json is machine-readable", async () => {
    const io = fakeIO(process.cwd());
    expect(await runCodemodCommand(["--list", "--json"], io)).toBe(0);
    const list = JSON.parse(io.out()) as Array<{ name: string; crossFile: boolean }>;
    expect(list.map((c) => [c.name, c.crossFile])).toEqual([["atomic-mutation", true]]);
  });

  it("--help prints usage and exits 0; no name prints usage and exits 2", async () => {
    const help = fakeIO(process.cwd());
    expect(await runCodemodCommand(["--help"], help)).toBe(0);
    expect(help.out()).toMatch(/^Usage: webhook-lint codemod <name> \[path\] \[options\]/);
    const none = fakeIO(process.cwd());
    expect(await runCodemodCommand([], none)).toBe(2);
    expect(none.err()).toMatch(/^Usage: webhook-lint codemod/);
  });

  it("an unknown codemod name lists the valid ones (exit 2, through main)", async () => {
    const io = fakeIO(process.cwd());
    expect(await main(["codemod", "atomic-mutations"], io)).toBe(2);
    expect(io.err()).toBe(
      'webhook-lint: unknown codemod "atomic-mutations". Codemods: atomic-mutation.\nRun "webhook-lint --help" for usage.\n',
    );
  });

  it("an unknown flag and a missing path are usage errors", async () => {
    await expect(runCodemodCommand(["atomic-mutation", "--yes"], fakeIO(process.cwd()))).rejects.toThrow(/Unknown option '--yes'/);
    await expect(runCodemodCommand(["atomic-mutation", "no/such/dir"], fakeIO(process.cwd()))).rejects.toThrow('path "no/such/dir" does not exist.');
  });

  it("--dry prints a unified diff and the summary, and writes nothing", async () => {
    const dir = copyApp({ git: true });
    writeFileSync(join(dir, "convex", "scratch.ts"), "// uncommitted\n");
    const before = readTree(dir);
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "--dry"], io)).toBe(0);
    expect(io.out()).toContain("--- a/app/api/webhooks/stripe/route.ts\n+++ b/app/api/webhooks/stripe/route.ts\n");
    expect(io.out()).toContain("-  const alreadyProcessed = await convex.query(api.webhooks.isProcessed, { eventId: event.id });\n");
    expect(io.out()).toContain("+        eventId: event.id,\n");
    expect(io.out()).toContain("Would update 2 files: app/api/webhooks/stripe/route.ts, convex/billing.ts.\n");
    expect(io.out()).not.toContain("\u001b[");
    expect(readTree(dir)).toEqual(before);
  });

  it("colours the diff on a TTY unless NO_COLOR is set", async () => {
    const dir = copyApp();
    const tty = fakeIO(dir, { tty: true });
    await runCodemodCommand(["atomic-mutation", "--dry"], tty);
    expect(tty.out()).toContain("\u001b[32m+        eventId: event.id,\u001b[39m");
    const noColor = fakeIO(dir, { tty: true });
    noColor.env.NO_COLOR = "1";
    await runCodemodCommand(["atomic-mutation", "--dry"], noColor);
    expect(noColor.out()).not.toContain("\u001b[");
  });

  it("applies the rewrite on a clean git tree, then a second run changes nothing", async () => {
    const dir = copyApp({ git: true });
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation"], io)).toBe(0);
    expect(io.out()).toMatch(/^Updated 2 files: app\/api\/webhooks\/stripe\/route\.ts, convex\/billing\.ts\.\n/);
    const expected = readTree(join(APP, "output"));
    const after = readTree(dir);
    after.delete(".git");
    for (const [file, text] of expected) expect(readFileSync(join(dir, file), "utf8"), file).toBe(text);
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", "codemod"], { cwd: dir });
    const again = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation"], again)).toBe(0);
    expect(again.out()).toBe("No changes.\n");
  });

  it("refuses a dirty git tree without --force (exit 2), and runs with --force", async () => {
    const dir = copyApp({ git: true });
    writeFileSync(join(dir, "convex", "billing.ts"), `${readFileSync(join(dir, "convex", "billing.ts"), "utf8")}// wip\n`);
    const before = readTree(dir);
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation"], io)).toBe(2);
    expect(io.err()).toBe(
      "webhook-lint codemod: the git working tree has uncommitted changes (1 file: convex/billing.ts).\n" +
        "Commit or stash them first so the codemod's changes can be reviewed and reverted on their own,\n" +
        "or preview with --dry, or pass --force.\n",
    );
    expect(readTree(dir)).toEqual(before);
    const forced = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "--force"], forced)).toBe(0);
    expect(readFileSync(join(dir, "convex", "billing.ts"), "utf8")).toContain("eventId: v.string(),");
  });

  it('"not a git repository" counts as clean', async () => {
    const dir = copyApp();
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "."], io)).toBe(0);
    expect(readFileSync(join(dir, "convex", "billing.ts"), "utf8")).toContain("eventId: v.string(),");
  });

  it("--json prints a machine-readable report", async () => {
    const dir = copyApp();
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "--dry", "--json"], io)).toBe(0);
    const report = JSON.parse(io.out()) as {
      codemod: string;
      dryRun: boolean;
      written: boolean;
      files: Array<{ file: string; created: boolean; diff: string }>;
      warnings: unknown[];
      exitCode: number;
    };
    expect(report.codemod).toBe("atomic-mutation");
    expect(report.dryRun).toBe(true);
    expect(report.written).toBe(false);
    expect(report.files.map((f) => [f.file, f.created])).toEqual([
      ["app/api/webhooks/stripe/route.ts", false],
      ["convex/billing.ts", false],
    ]);
    expect(report.files[1]!.diff).toContain("+    eventId: v.string(),");
    expect(report.warnings).toEqual([]);
    expect(report.exitCode).toBe(0);
  });

  it("--print prints the rewritten files and writes nothing", async () => {
    const dir = copyApp();
    const before = readTree(dir);
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "--print"], io)).toBe(0);
    expect(io.out()).toContain("// convex/billing.ts\nimport { v } from \"convex/values\";");
    expect(io.err()).toBe(
      "Would update 2 files: app/api/webhooks/stripe/route.ts, convex/billing.ts.\n" +
        "  - app/api/webhooks/stripe/route.ts: removed 2 separate check/record calls, passes the delivery id to 2 mutation calls\n" +
        '  - convex/billing.ts: grantCredits skips events already in "processed_events" and records new ones in the same transaction\n' +
        '  - convex/billing.ts: setPlan skips events already in "processed_events" and records new ones in the same transaction\n',
    );
    expect(readTree(dir)).toEqual(before);
  });

  it("unsafe sites are warnings with a code frame and exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "webhook-lint-codemod-"));
    temps.push(dir);
    cpSync(join(FIXTURES, "atomic-mutation", "refuse-two-mutations-same-event", "input"), dir, { recursive: true });
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "--dry"], io)).toBe(1);
    expect(io.err()).toContain("warning app/api/webhooks/stripe/route.ts:16:11: this handler calls credits.grant and audit.logPayment");
    expect(io.err()).toContain(
      "  > 16 |     await convex.mutation(api.audit.logPayment, { clerkUserId: session.client_reference_id!, amount: session.amount_total ?? 0 });\n" +
        "       |           ^\n",
    );
    expect(io.out()).toBe("No changes. 1 warning: the sites above were left alone.\n");
  });

  it("skips a file with a syntax error with a clear message, and still rewrites the rest", async () => {
    const dir = copyApp();
    writeFileSync(join(dir, "convex", "broken.ts"), 'import { mutation } from "./_generated/server";\nexport const x = mutation({ handler: async (ctx) => { ctx.db. } });\n');
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "--dry"], io)).toBe(1);
    expect(io.err()).toMatch(/^warning convex\/broken\.ts: has a syntax error at 2:\d+ \(.+\); file skipped\n/m);
    expect(io.out()).toContain("Would update 2 files");
    expect(io.out()).toContain("1 warning: the sites above were left alone.");
  });

  it("reports an unreadable file and skips it", async () => {
    const dir = copyApp();
    symlinkSync(join(dir, "does-not-exist.ts"), join(dir, "convex", "dangling.ts"));
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation", "--dry"], io)).toBe(1);
    expect(io.err()).toContain("warning convex/dangling.ts: cannot be read (ENOENT); file skipped\n");
  });

  it("a failure mid-run writes nothing", async () => {
    const dir = copyApp();
    const before = readTree(dir);
    const crashing: Codemod = {
      name: "crash",
      title: "Crashes after editing",
      description: "Test double.",
      crossFile: true,
      prefilter: /./,
      run(project) {
        project.edit("convex/billing.ts", [{ start: 0, end: 0, text: "// edited\n" }]);
        throw new Error("boom in step 2");
      },
    };
    const entry: CodemodEntry = { ...crashing, load: () => Promise.resolve(crashing) };
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["crash"], io, { codemods: [entry] })).toBe(1);
    expect(io.err()).toBe("webhook-lint codemod crash: failed: boom in step 2\nNo file was written.\n");
    expect(readTree(dir)).toEqual(before);
  });

  it("a write failure during the save leaves every file as it was", async () => {
    const dir = copyApp();
    const before = readTree(dir);
    let writes = 0;
    const sink: FileSink = {
      write(path, text) {
        writes++;
        if (writes === 2) throw new Error("ENOSPC: no space left on device");
        writeFileSync(path, text);
      },
      rename: () => {
        throw new Error("rename must not run");
      },
      remove: (path) => rmSync(path, { force: true }),
      mkdir: () => {},
    };
    const io = fakeIO(dir);
    expect(await runCodemodCommand(["atomic-mutation"], io, { sink })).toBe(1);
    expect(io.err()).toBe(
      "webhook-lint codemod atomic-mutation: could not write convex/billing.ts: ENOSPC: no space left on device; no file was changed\n",
    );
    expect(readTree(dir)).toEqual(before);
  });
});
