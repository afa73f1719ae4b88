/**
 * End to end: real ESLint (Node API, flat config) with the BUILT package, over every example
 * app in fixtures/apps/, compared with the app's expected.json. `npm test` builds first.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain JavaScript helper shared with scripts/update-expected.mjs
import { lintApp } from "../../scripts/lint-app.mjs";

const appsDir = join(import.meta.dirname, "..", "..", "fixtures", "apps");
const apps = readdirSync(appsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe("example apps", () => {
  it("has the bundled demo app and the hardened app", () => {
    expect(apps).toContain("saas-starter");
    expect(apps).toContain("hardened");
  });

  for (const app of apps) {
    it(`${app}: reports exactly the findings in expected.json`, async () => {
      const expectedFile = join(appsDir, app, "expected.json");
      expect(existsSync(expectedFile), `${app}/expected.json is missing`).toBe(true);
      const expected: unknown = JSON.parse(readFileSync(expectedFile, "utf8"));
      const actual: unknown = await lintApp(join(appsDir, app));
      expect(actual).toEqual(expected);
    });
  }

  it("hardened: the correct code produces no findings at all", () => {
    expect(JSON.parse(readFileSync(join(appsDir, "hardened", "expected.json"), "utf8"))).toEqual([]);
  });

  it("saas-starter: every rule of the plugin fires somewhere in the demo app", async () => {
    const { default: plugin } = await import("webhook-lint");
    const findings = JSON.parse(readFileSync(join(appsDir, "saas-starter", "expected.json"), "utf8")) as { ruleId: string }[];
    const fired = new Set(findings.map((f) => f.ruleId));
    const missing = Object.keys(plugin.rules).filter((id) => !fired.has(`webhook/${id}`));
    expect(missing).toEqual([]);
  });
});
