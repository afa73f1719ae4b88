/**
 * The jscodeshift adapter: the same transform, one file at a time, cross-file parts reported.
 * Once in-process through the adapter function, once through the real jscodeshift runner on a
 * fixture copy (with the built transform, as users run it from node_modules).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import transform, { parser } from "../../codemods/atomic-mutation/jscodeshift.js";
import { FIXTURES } from "./fixtures.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CASE = join(FIXTURES, "atomic-mutation", "event-id-arg-in-place");
const temps: string[] = [];

function copyOf(dir: string): string {
  const temp = mkdtempSync(join(tmpdir(), "webhook-lint-jscodeshift-"));
  temps.push(temp);
  cpSync(dir, temp, { recursive: true });
  return temp;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe("atomic-mutation as a jscodeshift transform", () => {
  it("rewrites a mutation that already receives the event id, and reports the schema part", () => {
    const dir = copyOf(join(CASE, "input"));
    const path = join(dir, "convex", "seats.ts");
    const reports: string[] = [];
    const out = transform({ path, source: readFileSync(path, "utf8") }, { report: (m) => reports.push(m) }, {});
    expect(out).toBe(readFileSync(join(CASE, "output", "convex", "seats.ts"), "utf8"));
    expect(reports).toEqual([
      'convex/schema.ts: the rewritten mutations read "processed_events" by index "by_event_id" on "eventId": add that table and index to the schema (the webhook-lint CLI does this; single-file mode does not)',
    ]);
    expect(parser).toBe("tsx");
  });

  it("leaves a route alone and reports the cross-file rewrite it cannot do from one file", () => {
    const dir = copyOf(join(FIXTURES, "atomic-mutation", "app-router-query-then-mutation", "input"));
    const path = join(dir, "app", "api", "webhooks", "stripe", "route.ts");
    const reports: string[] = [];
    const out = transform({ path, source: readFileSync(path, "utf8") }, { report: (m) => reports.push(m) }, {});
    expect(out).toBeUndefined();
    expect(reports).toEqual([
      "app/api/webhooks/stripe/route.ts:10:8: this webhook handler calls Convex functions defined in other files (webhooks.isProcessed, billing.grantCredits, billing.setPlan, webhooks.markProcessed), which single-file mode cannot rewrite; run `webhook-lint codemod atomic-mutation` for the cross-file rewrite",
    ]);
  });

  it("runs under the jscodeshift runner (no file writes inside the transform)", () => {
    const built = join(root, "dist", "codemods", "atomic-mutation", "jscodeshift.js");
    expect(existsSync(built), "run `npm run build` first").toBe(true);
    const dir = copyOf(join(CASE, "input"));
    const bin = join(root, "node_modules", "jscodeshift", "bin", "jscodeshift.js");
    const run = spawnSync(
      process.execPath,
      [bin, "--no-babel", "--run-in-band", "--extensions=ts", "-t", built, join(dir, "convex", "seats.ts"), join(dir, "convex", "http.ts")],
      { cwd: dir, encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("1 ok");
    expect(run.stdout).toContain("0 errors");
    expect(readFileSync(join(dir, "convex", "seats.ts"), "utf8")).toBe(readFileSync(join(CASE, "output", "convex", "seats.ts"), "utf8"));
    expect(readFileSync(join(dir, "convex", "http.ts"), "utf8")).toBe(readFileSync(join(CASE, "input", "convex", "http.ts"), "utf8"));
    expect(readFileSync(join(dir, "convex", "schema.ts"), "utf8")).toBe(readFileSync(join(CASE, "input", "convex", "schema.ts"), "utf8"));
  });
});
