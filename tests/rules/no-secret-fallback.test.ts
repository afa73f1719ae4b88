import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-secret-fallback.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";

ruleTester.run("no-secret-fallback", rule, {
  valid: [
    {
      name: "seed 001: non-secret fallbacks for APP_ORIGIN and WEBHOOK_URL",
      filename: "lib/auth.ts",
      code: `import { betterAuth } from "better-auth";
import { syncPlugin } from "better-auth-sync";
import { convexJwt } from "better-auth-sync/jwt";

export const auth = betterAuth({
  plugins: [
    convexJwt({
      issuer: process.env.APP_ORIGIN ?? 'https://your-app.com',
      audience: process.env.APP_ORIGIN ?? 'https://your-app.com'
    }),
    syncPlugin({
      secret: process.env.WEBHOOK_SECRET!,
      url: process.env.WEBHOOK_URL ?? 'https://your-project.convex.site/auth-webhook',
      retryAttempts: 3
    })
  ]
});
`,
    },
    {
      name: "port and log level defaults",
      filename: "server.js",
      code: `const port = Number(process.env.PORT || 3000);\nconst level = process.env.LOG_LEVEL || "info";\n`,
    },
    {
      name: "empty fallback on a URL",
      filename: "convex/http.ts",
      code: `const siteUrl = process.env.CONVEX_SITE_URL ?? "";\nexport const redirect = new URL("/billing", siteUrl || "http://localhost:3000");\n`,
    },
    {
      name: "public keys are not secrets",
      filename: "lib/stripe-client.ts",
      code: `import { loadStripe } from "@stripe/stripe-js";\nexport const stripePromise = loadStripe(process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? "");\n`,
    },
    {
      name: "fallback to another env var (key rotation) without a literal at the end",
      filename: STRIPE_ROUTE,
      code: `const secret = process.env.STRIPE_WEBHOOK_SECRET_LIVE ?? process.env.STRIPE_WEBHOOK_SECRET;\n`,
    },
    {
      name: "fallback that throws",
      filename: "lib/env.ts",
      code: `function missing(name: string): never {\n  throw new Error(\`\${name} is not set\`);\n}\nexport const webhookSecret = process.env.WEBHOOK_SECRET ?? missing("WEBHOOK_SECRET");\n`,
    },
    {
      name: "empty fallback that is checked before use (fail fast with a 500)",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? "";

export async function POST(req: Request) {
  if (!webhookSecret) {
    return new Response("Webhook secret not configured", { status: 500 });
  }
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, webhookSecret);
  return Response.json({ received: event.id });
}
`,
    },
    {
      name: "trimmed empty fallback checked by length",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `const secret = (process.env.CLERK_WEBHOOK_SECRET || "").trim();\nif (secret.length === 0) throw new Error("CLERK_WEBHOOK_SECRET is not set");\n`,
    },
    {
      name: "empty destructuring default checked before use, and a presence check",
      filename: "convex/http.ts",
      code: `const { RESEND_WEBHOOK_SECRET: resendSecret = "" } = process.env;\nif (!resendSecret) throw new Error("RESEND_WEBHOOK_SECRET is not set");\nexport const cronEnabled = (process.env.CRON_SECRET || "").length > 0;\n`,
    },
    {
      name: "the fail-fast fix: read, check, throw",
      filename: "lib/env.ts",
      code: `export function requiredEnv(name: string): string {\n  const value = process.env[name];\n  if (!value) throw new Error(\`Missing \${name}\`);\n  return value;\n}\nexport const webhookSecret = requiredEnv("WEBHOOK_SECRET");\n`,
    },
    {
      name: "dev default gated on NODE_ENV is deliberate",
      filename: "lib/cron.ts",
      code: `export const cronSecret = process.env.NODE_ENV === "production" ? process.env.CRON_SECRET : "dev-cron";\n`,
    },
    {
      name: "fallbacks in test files",
      filename: "tests/webhooks/stripe.test.ts",
      code: `const secret = process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_test_secret";\n`,
    },
    {
      name: "React component props with an empty default",
      filename: "components/api-key-field.tsx",
      code: `export function ApiKeyField({ apiKey = "", onChange }) {\n  return <input value={apiKey} onChange={onChange} />;\n}\n`,
    },
    {
      name: "bare token parameter default is caller input",
      filename: "lib/github.js",
      code: `export async function listRepos(org, token = "") {\n  return fetch(\`https://api.github.com/orgs/\${org}/repos\`, { headers: { authorization: \`Bearer \${token}\` } });\n}\n`,
    },
    {
      name: "LLM token limits are numbers, not secrets",
      filename: "lib/ai.ts",
      code: `export const maxTokens = Number(process.env.OPENAI_MAX_TOKENS || "1024");\n`,
    },
    {
      name: "t3-env defaults for non-secret server and client vars",
      filename: "src/env.mjs",
      code: `import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

export const env = createEnv({
  server: {
    STRIPE_WEBHOOK_SECRET: z.string().min(1),
    APP_URL: z.string().url().default("http://localhost:3000"),
  },
  client: {
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: z.string().default(""),
  },
  runtimeEnv: process.env,
});
`,
    },
    {
      name: "envalid devDefault only applies in development",
      filename: "src/env.ts",
      code: `import { cleanEnv, str } from "envalid";\nexport const env = cleanEnv(process.env, {\n  SESSION_SECRET: str({ devDefault: "dev-session-secret" }),\n});\n`,
    },
    {
      name: "undefined and null fallbacks do not stand in for a key",
      filename: "lib/config.ts",
      code: `export const a = process.env.WEBHOOK_SECRET ?? undefined;\nexport const b = process.env.WEBHOOK_SECRET || null;\n`,
    },
    {
      name: "a form schema default that has nothing to do with the environment",
      filename: "lib/schemas.ts",
      code: `import { z } from "zod";\nexport const apiKeyForm = z.object({ label: z.string(), apiKey: z.string().default("") });\n`,
    },
    {
      name: "settings.webhook.nonSecretNamePattern opts a name out",
      filename: "lib/demo.ts",
      code: `export const demo = process.env.DEMO_SECRET ?? "demo";\n`,
      settings: { webhook: { nonSecretNamePattern: "^DEMO_" } },
    },
    {
      name: "public-by-design keys: the Supabase anon key, Paddle client-side token, an Adyen client key",
      filename: "supabase/functions/create-checkout/index.ts",
      code: `import { createClient } from "https://esm.sh/@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL") ?? "", Deno.env.get("SUPABASE_ANON_KEY") ?? "");
const anon = process.env.SUPABASE_ANON_KEY || "";
const paddleToken = process.env.PADDLE_CLIENT_TOKEN ?? "test_123";
const adyenKey = process.env.ADYEN_CLIENT_KEY ?? "";
`,
    },
  ],
  invalid: [
    {
      name: "seed 001: syncPlugin secret with a placeholder",
      filename: "lib/auth.ts",
      code: `import { betterAuth } from "better-auth";
import { syncPlugin } from "better-auth-sync";

export const auth = betterAuth({
  plugins: [
    syncPlugin({
      secret: process.env.WEBHOOK_SECRET ?? 'your-webhook-secret-placeholder',
      url: process.env.WEBHOOK_URL ?? 'https://your-project.convex.site/auth-webhook',
      retryAttempts: 3
    })
  ]
});
`,
      output: null,
      errors: [
        {
          messageId: "signingSecretFallback",
          line: 7,
          column: 45,
          data: { name: "WEBHOOK_SECRET", fallback: '"your-webhook-secret-placeholder"' },
        },
      ],
    },
    {
      name: "Stripe webhook secret || empty string, never checked",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET || "";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, endpointSecret);
  return Response.json({ received: event.id });
}
`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 4, column: 61, data: { name: "STRIPE_WEBHOOK_SECRET", fallback: "an empty string" } }],
    },
    {
      name: "inline fallback in constructEvent",
      filename: "pages/api/webhooks/stripe.ts",
      code: `const event = stripe.webhooks.constructEvent(buf, sig, process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_test");\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 93, data: { name: "STRIPE_WEBHOOK_SECRET", fallback: '"whsec_test"' } }],
    },
    {
      name: "Stripe API key with an empty fallback (not a signing secret)",
      filename: "lib/stripe.ts",
      code: `import Stripe from "stripe";\n\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? "", {\n  apiVersion: "2025-08-27.basil",\n});\n`,
      output: null,
      errors: [{ messageId: "secretFallback", line: 3, column: 67, data: { name: "STRIPE_SECRET_KEY", fallback: "an empty string" } }],
    },
    {
      name: "svix Webhook in a Convex httpAction",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { Webhook } from "svix";
import { httpAction } from "./_generated/server";

const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET ?? "whsec_placeholder");
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 10, column: 64, data: { name: "CLERK_WEBHOOK_SECRET", fallback: '"whsec_placeholder"' } }],
    },
    {
      name: "template literal fallback",
      filename: "lib/jwt.ts",
      code: "export const jwtSecret = process.env.JWT_SECRET ?? `${appName}-dev-secret`;\n",
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 52, data: { name: "JWT_SECRET", fallback: "a template literal" } }],
    },
    {
      name: "destructuring default from process.env in JavaScript",
      filename: "lib/config.js",
      code: `const { WEBHOOK_SECRET = "dev", APP_URL = "http://localhost:3000" } = process.env;\nmodule.exports = { WEBHOOK_SECRET, APP_URL };\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 26, data: { name: "WEBHOOK_SECRET", fallback: '"dev"' } }],
    },
    {
      name: "renamed destructuring default",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `const { CLERK_WEBHOOK_SIGNING_SECRET: signingSecret = "" } = process.env;\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 55, data: { name: "CLERK_WEBHOOK_SIGNING_SECRET", fallback: "an empty string" } }],
    },
    {
      name: "default parameter for a signing secret",
      filename: "lib/sign.js",
      code: `import { createHmac } from "node:crypto";\n\nexport function signPayload(payload, secret = "dev-secret") {\n  return createHmac("sha256", secret).update(payload).digest("hex");\n}\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 3, column: 47, data: { name: "secret", fallback: '"dev-secret"' } }],
    },
    {
      name: "default parameter whose default reads env with a fallback",
      filename: "lib/verify.ts",
      code: `export function verify(body: string, secret = process.env.WEBHOOK_SECRET ?? "dev") {\n  return body.length > 0 && secret.length > 0;\n}\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 77, data: { name: "WEBHOOK_SECRET", fallback: '"dev"' } }],
    },
    {
      name: "destructured options of a handler factory",
      filename: "lib/webhooks.ts",
      code: `export function createWebhookHandler({ secret = "whsec_test", onEvent }: Options) {\n  return async (req: Request) => onEvent(await req.text(), secret);\n}\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 49, data: { name: "secret", fallback: '"whsec_test"' } }],
    },
    {
      name: "ternary fallback",
      filename: "app/api/cron/route.ts",
      code: `const cronSecret = process.env.CRON_SECRET ? process.env.CRON_SECRET : "local-cron";\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 72, data: { name: "CRON_SECRET", fallback: '"local-cron"' } }],
    },
    {
      name: "t3-env schema default for a server secret",
      filename: "src/env.mjs",
      code: `import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

export const env = createEnv({
  server: {
    CLERK_WEBHOOK_SECRET: z.string().default("whsec_dev"),
  },
  runtimeEnv: process.env,
});
`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 6, column: 46, data: { name: "CLERK_WEBHOOK_SECRET", fallback: '"whsec_dev"' } }],
    },
    {
      name: "typed env object of an env module",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { env } from "@/env";\n\nconst secret = env.POLAR_WEBHOOK_SECRET ?? "";\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 3, column: 44, data: { name: "POLAR_WEBHOOK_SECRET", fallback: "an empty string" } }],
    },
    {
      name: "logical assignment on process.env",
      filename: "lib/auth-setup.ts",
      code: `process.env.BETTER_AUTH_SECRET ??= "better-auth-secret-123";\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 36, data: { name: "BETTER_AUTH_SECRET", fallback: '"better-auth-secret-123"' } }],
    },
    {
      name: "rotation chain that ends in a literal",
      filename: STRIPE_ROUTE,
      code: `const secrets = [process.env.STRIPE_WEBHOOK_SECRET_LIVE ?? process.env.STRIPE_WEBHOOK_SECRET_PREVIOUS ?? "whsec_test"];\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 106, data: { name: "STRIPE_WEBHOOK_SECRET_LIVE", fallback: '"whsec_test"' } }],
    },
    {
      name: "Supabase edge function on Deno",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `const endpointSecret = Deno.env.get("STRIPE_WEBHOOK_SIGNING_SECRET") ?? "";\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 1, column: 73, data: { name: "STRIPE_WEBHOOK_SIGNING_SECRET", fallback: "an empty string" } }],
    },
    {
      name: "API key list with an empty fallback",
      filename: "middleware.js",
      code: `const allowed = (process.env.INTERNAL_API_KEYS ?? "").split(",");\n`,
      output: null,
      errors: [{ messageId: "secretFallback", line: 1, column: 51, data: { name: "INTERNAL_API_KEYS", fallback: "an empty string" } }],
    },
    {
      name: "envalid default for a session secret",
      filename: "src/env.ts",
      code: `import { cleanEnv, str } from "envalid";\nexport const env = cleanEnv(process.env, {\n  SESSION_SECRET: str({ default: "changeme" }),\n});\n`,
      output: null,
      errors: [{ messageId: "signingSecretFallback", line: 3, column: 34, data: { name: "SESSION_SECRET", fallback: '"changeme"' } }],
    },
    {
      name: "settings.webhook.secretNamePattern adds a name",
      filename: "lib/kiosk.ts",
      code: `export const pin = process.env.KIOSK_PIN ?? "0000";\n`,
      settings: { webhook: { secretNamePattern: "_PIN$" } },
      output: null,
      errors: [{ messageId: "secretFallback", line: 1, column: 45, data: { name: "KIOSK_PIN", fallback: '"0000"' } }],
    },
  ],
});

describe("with ESLint's default parser (espree)", () => {
  it("reports a placeholder fallback in a plain JavaScript config module", () => {
    const linter = new Linter({ configType: "flat" });
    const code = `export const config = {\n  webhookSecret: process.env.WEBHOOK_SECRET || "your-webhook-secret",\n  port: process.env.PORT || 3000,\n};\n`;
    const messages = linter.verify(
      code,
      [{ files: ["**/*.mjs"], plugins: { webhook: { rules: { "no-secret-fallback": rule as never } } }, rules: { "webhook/no-secret-fallback": "error" } }],
      { filename: "config/webhooks.mjs" },
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line, m.column])).toEqual([["webhook/no-secret-fallback", "signingSecretFallback", 2, 48]]);
  });
});
