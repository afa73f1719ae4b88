import { describe, expect, it } from "vitest";
import { findAll, unwrap, walk } from "../../src/model/ast.js";
import { analyzeSource, parseSource } from "../../src/model/parse.js";
import { resolveSettings } from "../../src/model/settings.js";
import {
  describeFallback,
  envReadOf,
  envReads,
  isSecretLikeName,
  isSigningSecretName,
  isTestFile,
  LITERAL_FALLBACK_TYPES,
  literalFallback,
  secretFallbacks,
  secretNameStrength,
} from "../../src/model/secrets.js";

/** The secret fallbacks in `code`, as `[kind, name, fallback text, signing]`. */
function fallbacks(code: string, filename = "lib/auth.ts", settings?: unknown) {
  const file = analyzeSource(code, filename, { settings });
  return secretFallbacks(file).map((f) => [f.kind, f.name, file.text.slice(f.node.range[0], f.node.range[1]), f.signing]);
}

describe("secret-like names", () => {
  it("accepts secrets, keys and tokens (lead's draft, unchanged)", () => {
    for (const name of ["STRIPE_WEBHOOK_SECRET", "INTERNAL_API_SECRET", "internalSecret", "apiKey", "x-api-key", "CLERK_SECRET_KEY", "token", "password"]) {
      expect(isSecretLikeName(name), name).toBe(true);
    }
    for (const name of ["NEXT_PUBLIC_CONVEX_URL", "APP_ORIGIN", "WEBHOOK_URL", "queryKey", "STRIPE_PUBLISHABLE_KEY", "TOKEN_URL", "KEY_ID"]) {
      expect(isSecretLikeName(name), name).toBe(false);
    }
  });

  it("does not call public-by-design keys secrets (Supabase anon key, client-side keys and tokens)", () => {
    for (const name of ["SUPABASE_ANON_KEY", "supabaseAnonKey", "ANON_KEY", "PADDLE_CLIENT_TOKEN", "ADYEN_CLIENT_KEY", "anonymousKey", "BROWSER_KEY"]) {
      expect(isSecretLikeName(name), name).toBe(false);
    }
    for (const name of ["SUPABASE_SERVICE_ROLE_KEY", "CLIENT_SECRET", "GOOGLE_CLIENT_SECRET", "ANON_SECRET"]) {
      expect(isSecretLikeName(name), name).toBe(true);
    }
  });

  it("does not call LLM token counters or UI keys secrets (bug fix)", () => {
    for (const name of ["MAX_TOKENS", "OPENAI_MAX_TOKENS", "maxTokens", "prompt_tokens", "completion_tokens", "total_tokens", "selectedKey", "activeKey", "rowKey", "tabKey"]) {
      expect(isSecretLikeName(name), name).toBe(false);
    }
    expect(isSecretLikeName("cachedToken")).toBe(true);
  });

  it("does not call the name, store or form field of a secret a secret (bug fix)", () => {
    for (const name of ["secretEnvVar", "SECRET_ENV_VAR", "passwordSchema", "apiKeyPattern", "passwordError", "passwordInput", "showPassword", "passwordVisible", "secretsManager"]) {
      expect(isSecretLikeName(name), name).toBe(name === "showPassword");
    }
  });

  it("grades strength: credentials and qualified names are strong, bare tokens and passwords weak", () => {
    expect(secretNameStrength("INTERNAL_API_SECRET")).toBe("strong");
    expect(secretNameStrength("secret")).toBe("strong");
    expect(secretNameStrength("apiKey")).toBe("strong");
    expect(secretNameStrength("x-api-key")).toBe("strong");
    expect(secretNameStrength("privateKey")).toBe("strong");
    expect(secretNameStrength("expectedToken")).toBe("strong");
    expect(secretNameStrength("ADMIN_PASSWORD")).toBe("strong");
    expect(secretNameStrength("token")).toBe("weak");
    expect(secretNameStrength("accessToken")).toBe("weak");
    expect(secretNameStrength("password")).toBe("weak");
    expect(secretNameStrength("confirmPassword")).toBe("weak");
    expect(secretNameStrength("state")).toBe(null);
    expect(secretNameStrength("pin")).toBe(null);
    expect(secretNameStrength("pin", resolveSettings({ secretNamePattern: "^pin$" }))).toBe("strong");
  });

  it("tells signing secrets from API keys", () => {
    for (const name of ["WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET", "BETTER_AUTH_SECRET", "JWT_SECRET_KEY", "SIGNING_KEY", "CRON_SECRET", "internalSecret"]) {
      expect(isSigningSecretName(name), name).toBe(true);
    }
    for (const name of ["STRIPE_SECRET_KEY", "OPENAI_API_KEY", "CLERK_SECRET_KEY", "DATABASE_PASSWORD", "GOOGLE_CLIENT_SECRET", "APP_ORIGIN"]) {
      expect(isSigningSecretName(name), name).toBe(false);
    }
  });

  it("honours settings.webhook.secretNamePattern and nonSecretNamePattern", () => {
    const settings = { secretNamePattern: "^SHARED_PIN$", nonSecretNamePattern: "^DEMO_SECRET$" };
    expect(fallbacks('const pin = process.env.SHARED_PIN ?? "0000";\nconst demo = process.env.DEMO_SECRET ?? "demo";', "lib/env.ts", settings)).toEqual([
      ["logical", "SHARED_PIN", '"0000"', false],
    ]);
  });
});

describe("env reads through aliases", () => {
  it("sees through string methods, String(), const aliases and env destructuring", () => {
    const code = `const { WEBHOOK_SECRET } = process.env;
const alias = process.env.CRON_SECRET;
let later = process.env.LET_SECRET;
a(process.env.A_SECRET?.trim());
b(String(env.B_SECRET));
c(alias);
d(WEBHOOK_SECRET);
e(later);`;
    const file = analyzeSource(`import { env } from "@/env";\n${code}`, "lib/x.ts");
    const calls = findAll(file.program, ["CallExpression"]).filter((c) => c.callee.type === "Identifier" && /^[a-e]$/.test(c.callee.name));
    expect(calls.map((c) => envReadOf(file, c.arguments[0])?.name ?? null)).toEqual(["A_SECRET", "B_SECRET", "CRON_SECRET", "WEBHOOK_SECRET", null]);
  });
});

describe("secret fallbacks", () => {
  it("reports seed 001's placeholder and not its APP_ORIGIN or WEBHOOK_URL fallbacks", () => {
    const code = `export const auth = betterAuth({
  plugins: [
    convexJwt({ issuer: process.env.APP_ORIGIN ?? 'https://your-app.com' }),
    syncPlugin({
      secret: process.env.WEBHOOK_SECRET ?? 'your-webhook-secret-placeholder',
      url: process.env.WEBHOOK_URL ?? '',
    }),
  ],
});`;
    expect(fallbacks(code)).toEqual([["logical", "WEBHOOK_SECRET", "'your-webhook-secret-placeholder'", true]]);
  });

  it("reports ||, empty strings, templates, chains that end in a literal and logical assignment", () => {
    const code = `const a = process.env.STRIPE_WEBHOOK_SECRET || "";
const b = process.env.JWT_SECRET ?? \`dev-\${name}\`;
const c = process.env.WEBHOOK_SECRET ?? process.env.WEBHOOK_SECRET_OLD ?? "whsec_test";
const d = process.env.WEBHOOK_SECRET ?? process.env.WEBHOOK_SECRET_OLD;
process.env.AUTH_SECRET ??= "dev-auth-secret";
const e = process.env.STRIPE_SECRET_KEY ?? (isDev ? "sk_test_123" : "");`;
    expect(fallbacks(code)).toEqual([
      ["logical", "STRIPE_WEBHOOK_SECRET", '""', true],
      ["logical", "JWT_SECRET", "`dev-${name}`", true],
      ["logical", "WEBHOOK_SECRET", '"whsec_test"', true],
      ["logical-assignment", "AUTH_SECRET", '"dev-auth-secret"', true],
      ["logical", "STRIPE_SECRET_KEY", '"sk_test_123"', false],
    ]);
  });

  it("reports ternaries, destructuring defaults and default parameters", () => {
    const code = `const a = process.env.CRON_SECRET ? process.env.CRON_SECRET : "dev";
const b = !process.env.CRON_SECRET ? "dev" : process.env.CRON_SECRET;
const { WEBHOOK_SECRET = "dev" } = process.env;
export function sign(payload: string, secret = "dev-secret") {}
export const verify = (body, { signingSecret = "whsec_local" } = {}) => body;
const c = process.env.NODE_ENV === "production" ? process.env.CRON_SECRET : "dev";`;
    expect(fallbacks(code)).toEqual([
      ["conditional", "CRON_SECRET", '"dev"', true],
      ["conditional", "CRON_SECRET", '"dev"', true],
      ["destructuring-default", "WEBHOOK_SECRET", '"dev"', true],
      ["parameter-default", "secret", '"dev-secret"', true],
      ["parameter-default", "signingSecret", '"whsec_local"', true],
    ]);
  });

  it("reports schema defaults of t3-env, zod env schemas and envalid", () => {
    const t3 = `import { createEnv } from "@t3-oss/env-nextjs";
export const env = createEnv({
  server: { WEBHOOK_SECRET: z.string().default("dev"), APP_URL: z.string().default("http://localhost:3000") },
  client: { NEXT_PUBLIC_KEY: z.string().default("pk") },
  runtimeEnv: process.env,
});`;
    expect(fallbacks(t3, "src/env.ts")).toEqual([["schema-default", "WEBHOOK_SECRET", '"dev"', true]]);
    const zod = `const schema = z.object({ STRIPE_SECRET_KEY: z.string().min(1).catch(() => "sk_test").describe("key") });
export const env = schema.parse(process.env);`;
    expect(fallbacks(zod, "src/env.ts")).toEqual([["schema-default", "STRIPE_SECRET_KEY", '"sk_test"', false]]);
    const envalid = `export const env = cleanEnv(process.env, {
  SESSION_SECRET: str({ default: "changeme" }),
  JWT_SECRET: str({ devDefault: "dev" }),
});`;
    expect(fallbacks(envalid, "src/env.ts")).toEqual([["schema-default", "SESSION_SECRET", '"changeme"', true]]);
  });

  it("does not report non-secrets, calls that throw, numbers or empty fallbacks that are checked", () => {
    const code = `const origin = process.env.APP_ORIGIN ?? "http://localhost:3000";
const port = process.env.PORT || 3000;
const tokens = Number(process.env.MAX_TOKENS || "1000");
const a = process.env.WEBHOOK_SECRET ?? throwMissing("WEBHOOK_SECRET");
const b = process.env.WEBHOOK_SECRET ?? undefined;
const secret = process.env.STRIPE_WEBHOOK_SECRET ?? "";
export async function POST(req: Request) {
  if (!secret) return new Response("Missing secret", { status: 500 });
}
if ((process.env.CRON_SECRET || "").length > 0) enableCron();
const { RESEND_WEBHOOK_SECRET: resendSecret = "" } = process.env;
if (!resendSecret) throw new Error("RESEND_WEBHOOK_SECRET is not set");
const key = (process.env.CLERK_WEBHOOK_SECRET || "").trim();
if (key.length === 0) throw new Error("CLERK_WEBHOOK_SECRET is not set");
export function Form({ apiKey = "" }) { return <input value={apiKey} />; }
export function fetchPage(url, token = "") {}`;
    expect(fallbacks(code, "lib/env.tsx")).toEqual([]);
  });

  it("does not treat an earlier check of another variable as a guard", () => {
    const code = `const secret = process.env.STRIPE_WEBHOOK_SECRET ?? "";
if (!other) throw new Error("x");`;
    expect(fallbacks(code)).toEqual([["logical", "STRIPE_WEBHOOK_SECRET", '""', true]]);
  });

  it("describes fallback values for messages", () => {
    const file = analyzeSource('a("", " ", "dev", `x${y}`, "' + "x".repeat(50) + '", c ? "a" : "b");', "x.ts");
    const call = findAll(file.program, ["CallExpression"])[0]!;
    expect(call.arguments.map((a) => describeFallback(a))).toEqual([
      "an empty string",
      "a blank string",
      '"dev"',
      "a template literal",
      `"${"x".repeat(37)}..."`,
      "a hard-coded value",
    ]);
  });

  it("knows test files", () => {
    expect(isTestFile(analyzeSource("", "tests/webhook.test.ts"))).toBe(true);
    expect(isTestFile(analyzeSource("", "src/__tests__/stripe.ts"))).toBe(true);
    expect(isTestFile(analyzeSource("", "app/api/webhooks/stripe/route.spec.ts"))).toBe(true);
    expect(isTestFile(analyzeSource("", "vitest.setup.ts"))).toBe(true);
    expect(isTestFile(analyzeSource("", "app/api/webhooks/stripe/route.ts"))).toBe(false);
    expect(isTestFile(analyzeSource("", "lib/contest.ts"))).toBe(false);
    expect(isTestFile(analyzeSource("", "apps/web/playwright.config.ts"))).toBe(true);
    expect(isTestFile(analyzeSource("", "src/Button.stories.tsx"))).toBe(true);
    expect(isTestFile(analyzeSource("", "E2E/checkout.ts"))).toBe(true);
    expect(isTestFile(analyzeSource("", "src/jest.config/stripe.ts"))).toBe(false);
    expect(isTestFile(analyzeSource("", "src/latest/stripe.ts"))).toBe(false);
    expect(isTestFile(analyzeSource("", "src/test-utils.ts"))).toBe(false);
  });
});

describe("envReads", () => {
  it("finds the same reads over the whole file (from the shared node index) as statement by statement", () => {
    const code = [
      'import { env } from "@/env";',
      "const { STRIPE_SECRET_KEY, WEBHOOK_SECRET: secret } = process.env;",
      "export const key = process.env.API_KEY ?? env.OPENAI_API_KEY;",
      // A read's own sub-expressions are not searched: no read of SKIPPED.
      'const name = Deno.env.get("X", process.env.SKIPPED);',
      "export function f() { return `${process.env.A}${process.env[\"B\"]}` + process.env.C!; }",
      "export const hook = import.meta.env.WEBHOOK_SECRET;",
    ].join("\n");
    const file = analyzeSource(code, "lib/env.ts");
    const whole = envReads(file, file.program).map((r) => [r.name, r.via]);
    const byStatement = file.program.body.flatMap((s) => envReads(file, s)).map((r) => [r.name, r.via]);
    expect(whole).toEqual(byStatement);
    expect(whole).toEqual([
      ["STRIPE_SECRET_KEY", "process.env"],
      ["WEBHOOK_SECRET", "process.env"],
      ["API_KEY", "process.env"],
      ["OPENAI_API_KEY", "env"],
      ["X", "Deno.env"],
      ["A", "process.env"],
      ["B", "process.env"],
      ["C", "process.env"],
      ["WEBHOOK_SECRET", "import.meta.env"],
    ]);
  });
});

describe("LITERAL_FALLBACK_TYPES", () => {
  it("names every node type literalFallback accepts once unwrapped, and only those", () => {
    const program = parseSource(
      'const v = [`t`, "s", ("s" as string), c ? "a" : "b", c ? "a" : f(), 1, null, undefined, f(), x, `a${x}`, [], {}, !x];',
      "lib/v.ts",
    );
    const accepted = new Set<string>();
    walk(program, (node) => {
      if (literalFallback(node)) accepted.add(unwrap(node).type);
    });
    expect([...accepted].sort()).toEqual([...LITERAL_FALLBACK_TYPES].sort());
  });
});
