import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { fakeIO, tempProject } from "./helpers.js";

const EDGE_WEBHOOK = `import Stripe from "stripe";\nexport const runtime = "edge";\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`;
const CLEAN_ROUTE = `export async function GET() {\n  return Response.json({ ok: true });\n}\n`;

const root = join(import.meta.dirname, "..", "..");

describe("webhook-lint lint", () => {
  it("exits 1 and prints stylish findings with the rule id", async () => {
    const dir = tempProject({ "app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK, "app/api/health/route.ts": CLEAN_ROUTE });
    const io = fakeIO(dir);
    expect(await main(["lint"], io)).toBe(1);
    expect(io.out()).toContain("app/api/webhooks/stripe/route.ts");
    expect(io.out()).toMatch(/2:14\s+error\s+This App Router route opts into the "edge" runtime/);
    expect(io.out()).toContain("webhook/no-edge-runtime-on-billing");
    expect(io.err()).toBe("");
  });

  it("exits 0 on a clean project and says so", async () => {
    const dir = tempProject({ "app/api/health/route.ts": CLEAN_ROUTE });
    const io = fakeIO(dir);
    expect(await main(["lint"], io)).toBe(0);
    expect(io.out()).toBe("No webhook problems found in 1 file.\n");
  });

  it("--exit-zero reports but exits 0", async () => {
    const dir = tempProject({ "app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK });
    const io = fakeIO(dir);
    expect(await main(["lint", "--exit-zero"], io)).toBe(0);
    expect(io.out()).toContain("webhook/no-edge-runtime-on-billing");
  });

  it("ignores the project's own ESLint config, node_modules, .next and convex/_generated", async () => {
    const dir = tempProject({
      "eslint.config.mjs": "throw new Error('must not be loaded');\n",
      "node_modules/x/app/api/webhooks/route.ts": EDGE_WEBHOOK,
      ".next/server/app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK,
      "convex/_generated/api.js": "export const api = {};\n",
      "app/api/health/route.ts": CLEAN_ROUTE,
    });
    const io = fakeIO(dir);
    expect(await main(["lint"], io)).toBe(0);
    // eslint.config.mjs and the route: linted as files, the config never loaded.
    expect(io.out()).toBe("No webhook problems found in 2 files.\n");
  });

  it("--format json prints ESLint's JSON results", async () => {
    const dir = tempProject({ "app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK });
    const io = fakeIO(dir);
    expect(await main(["lint", "--format", "json"], io)).toBe(1);
    const results = JSON.parse(io.out()) as { filePath: string; messages: { ruleId: string; line: number; column: number }[] }[];
    expect(results).toHaveLength(1);
    expect(results[0]!.filePath).toBe(join(dir, "app/api/webhooks/stripe/route.ts"));
    expect(results[0]!.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([["webhook/no-edge-runtime-on-billing", 2, 14]]);
  });

  it("--format sarif writes a SARIF 2.1.0 log to --output-file", async () => {
    const dir = tempProject({ "app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK });
    const io = fakeIO(dir);
    expect(await main(["lint", "-f", "sarif", "-o", "report.sarif"], io)).toBe(1);
    expect(io.out()).toBe("");
    const sarif = JSON.parse(readFileSync(join(dir, "report.sarif"), "utf8")) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
      }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe("webhook-lint");
    const result = run.results[0]!;
    expect(result.ruleId).toBe("webhook/no-edge-runtime-on-billing");
    expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    expect(result.level).toBe("error");
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe("app/api/webhooks/stripe/route.ts");
    expect(result.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 2, startColumn: 14 });
  });

  it("--fix applies safe autofixes and then reports nothing", async () => {
    const dir = tempProject({ "app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK });
    const io = fakeIO(dir);
    expect(await main(["lint", "--fix"], io)).toBe(0);
    expect(readFileSync(join(dir, "app/api/webhooks/stripe/route.ts"), "utf8")).toBe(
      `import Stripe from "stripe";\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
    );
  });

  it("reports a syntax error as a parsing error (exit 1) and still lints the other files", async () => {
    const dir = tempProject({ "app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK, "app/api/broken/route.ts": "export const = ;\n" });
    const io = fakeIO(dir);
    expect(await main(["lint", "-f", "json"], io)).toBe(1);
    const results = JSON.parse(io.out()) as { filePath: string; messages: { ruleId: string | null; fatal?: boolean; message: string }[] }[];
    const broken = results.find((r) => r.filePath.endsWith(join("broken", "route.ts")))!;
    expect(broken.messages[0]!.fatal).toBe(true);
    expect(broken.messages[0]!.message).toMatch(/^Parsing error/);
    const stripe = results.find((r) => r.filePath.endsWith(join("stripe", "route.ts")))!;
    expect(stripe.messages.map((m) => m.ruleId)).toEqual(["webhook/no-edge-runtime-on-billing"]);
  });

  it("parses JSX in plain JavaScript files (Next.js pages and components)", async () => {
    const dir = tempProject({
      "pages/index.js": "export default function Home() {\n  return <main>Hello</main>;\n}\n",
      "components/Button.jsx": "export const Button = (props) => <button {...props} />;\n",
    });
    const io = fakeIO(dir);
    expect(await main(["lint"], io)).toBe(0);
    expect(io.out()).toBe("No webhook problems found in 2 files.\n");
  });

  it("ignores directives for other plugins' rules but honours ours", async () => {
    const dir = tempProject({
      "app/api/webhooks/stripe/route.ts": `/* eslint-disable @typescript-eslint/no-explicit-any */\n// eslint-disable-next-line webhook/no-edge-runtime-on-billing -- proxied to Node by our gateway\nexport const runtime = "edge";\nexport async function POST(req: any) {\n  // eslint-disable-next-line react-hooks/exhaustive-deps\n  return new Response("ok");\n}\n`,
    });
    const io = fakeIO(dir);
    expect(await main(["lint", "-f", "json"], io)).toBe(0);
    const results = JSON.parse(io.out()) as { messages: unknown[]; errorCount: number; warningCount: number }[];
    expect(results[0]).toMatchObject({ messages: [], errorCount: 0, warningCount: 0 });
  });

  it.each([
    [["lint", "--config", "loose"], 'unknown config "loose". Configs: recommended, strict, all.'],
    [["lint", "--format", "xml"], 'unknown format "xml". Formats: stylish, json, sarif.'],
    [["lint", "--frobnicate"], "Unknown option '--frobnicate'"],
    [["lint", "missing-folder"], "No files matching 'missing-folder' were found."],
    [["lintt"], 'unknown command "lintt". Commands: lint, codemod.'],
  ])("usage error %j exits 2 with a clear message", async (argv, message) => {
    const dir = tempProject({ "app/page.tsx": "export default function Page() { return null; }\n" });
    const io = fakeIO(dir);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err()).toContain('Run "webhook-lint --help" for usage.');
    expect(io.out()).toBe("");
  });

  it("--help and --version", async () => {
    const io = fakeIO(root);
    expect(await main(["lint", "--help"], io)).toBe(0);
    expect(io.out()).toContain("Usage: webhook-lint lint [paths..] [options]");
    const io2 = fakeIO(root);
    expect(await main(["--version"], io2)).toBe(0);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(io2.out()).toBe(`${pkg.version}\n`);
  });

  it("the built binary runs (shebang, ESM, exit code)", () => {
    const dir = tempProject({ "app/api/webhooks/stripe/route.ts": EDGE_WEBHOOK });
    const bin = join(root, "dist", "src", "cli", "bin.js");
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const run = spawnSync(process.execPath, [bin, "lint", "--format", "json"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
    expect(execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" })).toMatch(/^\d+\.\d+\.\d+/);
  });
});
