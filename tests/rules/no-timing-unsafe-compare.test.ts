import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-timing-unsafe-compare.js";
import { ruleTester } from "../rule-tester.js";

// Suggested outputs: each also appears below as a valid case (the suggestion leaves clean code).
const FIXED_0_0 = `import { WebhookEvent } from '@clerk/nextjs/server';
import { buffer } from 'micro';
import crypto from 'crypto';
import { NextApiRequest, NextApiResponse } from 'next';

export const config = {
  api: {
    bodyParser: false,
  },
};

const CLERK_WEBHOOK_SECRET = process.env.CLERK_WEBHOOK_SECRET as string;

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const rawBody = await buffer(req);
  const signature = req.headers['clerk-signature'] as string;
  const expectedSignature = crypto.createHmac('sha256', CLERK_WEBHOOK_SECRET).update(rawBody).digest('hex');

  if (!constantTimeEqual(signature, expectedSignature)) {
    return res.status(401).json({ error: 'Invalid signature' });
  }

  const event: WebhookEvent = JSON.parse(rawBody.toString());
  res.status(200).json({ received: true, type: event.type });
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
`;

const FIXED_1_0 = `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const markEventProcessed = mutation({
  args: {
    eventId: v.string(),
    provider: v.string(),
    secret: v.string(),
  },
  handler: async (ctx, args) => {
    const expectedSecret = process.env.INTERNAL_API_SECRET;
    if (!expectedSecret || !constantTimeEqual(args.secret, expectedSecret)) {
      throw new Error("Unauthorized");
    }
    await ctx.db.insert("processedEvents", { eventId: args.eventId, provider: args.provider });
  },
});

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
`;

const FIXED_2_0 = `import { createHmac, timingSafeEqual } from "node:crypto";

export async function POST(request: Request) {
  const body = await request.text();
  const sig = request.headers.get("x-hub-signature-256") ?? "";
  const hmac = createHmac("sha256", process.env.GITHUB_WEBHOOK_SECRET!);
  if (constantTimeEqual("sha256=" + hmac.update(body).digest("hex"), sig)) {
    return Response.json({ ok: true });
  }
  return new Response("Invalid signature", { status: 401 });
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
`;

const FIXED_3_0 = `import * as crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const secret = process.env.LEMONSQUEEZY_WEBHOOK_SECRET!;
  const digest = crypto.createHmac("sha256", secret).update(rawBody).digest("hex");
  const signature = request.headers.get("X-Signature") ?? "";
  if (!constantTimeEqual(digest, signature)) {
    throw new Error("Invalid signature.");
  }
  return new Response("OK");
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
`;

const FIXED_4_0 = `import { NextResponse } from "next/server";
import { timingSafeEqual } from "node:crypto";

export async function GET(request: Request) {
  const authHeader = request.headers.get("authorization");
  if (!constantTimeEqual(authHeader, \`Bearer \${process.env.CRON_SECRET}\`)) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
  return NextResponse.json({ ok: true });
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
`;

const FIXED_5_0 = `export const runtime = "edge";

export async function POST(req: Request) {
  const body = await req.text();
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(process.env.PADDLE_WEBHOOK_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  const expected = Array.from(new Uint8Array(mac)).map((b) => b.toString(16).padStart(2, "0")).join("");
  const received = req.headers.get("paddle-signature")?.split("h1=")[1];
  if (!constantTimeEqual(received, expected)) return new Response("Invalid signature", { status: 400 });
  return new Response("ok");
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
`;

const FIXED_6_0 = `import { NextResponse, type NextRequest } from "next/server";

export function middleware(req: NextRequest) {
  if (!constantTimeEqual(req.headers.get("x-api-key"), process.env.INTERNAL_API_KEY)) {
    return new NextResponse("Unauthorized", { status: 401 });
  }
  return NextResponse.next();
}

export const config = { matcher: "/api/internal/:path*" };

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
`;

const FIXED_7_0 = `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();

http.route({
  path: "/webhooks/internal",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    if (!constantTimeEqual(request.headers.get("x-webhook-secret"), process.env.WEBHOOK_SECRET)) {
      return new Response("Unauthorized", { status: 401 });
    }
    await ctx.runMutation(internal.billing.sync, { payload: await request.json() });
    return new Response(null, { status: 200 });
  }),
});

export default http;

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
`;

const FIXED_8_0 = `const express = require("express");
const crypto = require("crypto");

const app = express();

app.post("/webhooks/shopify", express.raw({ type: "application/json" }), (req, res) => {
  const hmacHeader = req.get("X-Shopify-Hmac-Sha256");
  const expected = crypto.createHmac("sha256", process.env.SHOPIFY_API_SECRET).update(req.body).digest("base64");
  if (constantTimeEqual(hmacHeader, expected)) {
    res.sendStatus(200);
  } else {
    res.sendStatus(401);
  }
});

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a, b) {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
`;

const FIXED_9_0 = `import { timingSafeEqual } from "node:crypto";

export default async function handler(req, res) {
  if (!constantTimeEqual(req.query.secret, process.env.REVALIDATE_SECRET)) {
    return res.status(401).json({ message: "Invalid token" });
  }
  await res.revalidate("/pricing");
  return res.json({ revalidated: true });
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a, b) {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
`;

const FIXED_10_0 = `import { v } from "convex/values";
import { query } from "./_generated/server";

export const checkKey = query({
  args: { keyId: v.id("apiKeys"), apiKey: v.string() },
  handler: async (ctx, args) => {
    const row = await ctx.db.get(args.keyId);
    return row !== null && constantTimeEqual(row.apiKey, args.apiKey);
  },
});

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
`;

const FIXED_11_0 = `import { computeSignature } from "./signing";
import { timingSafeEqual } from "node:crypto";

export function verifySignature(payload: string, header: string, secret: string): boolean {
  const expected = computeSignature(payload, secret);
  return constantTimeEqual(header, expected);
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
`;

const FIXED_12_0 = `"use node";

import { v } from "convex/values";
import { internalAction } from "./_generated/server";
import { timingSafeEqual } from "node:crypto";

export const verify = internalAction({
  args: { signature: v.string(), payload: v.string() },
  handler: async (ctx, args) => {
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", process.env.WEBHOOK_SECRET!).update(args.payload).digest("hex");
    return constantTimeEqual(args.signature, expected);
  },
});

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
`;

const FIXED_13_0 = `import { createHmac } from "crypto";

function constantTimeEqual(a: string, b: string) {
  return a.length === b.length && a === b;
}

export async function POST(req: Request) {
  const body = await req.text();
  const expected = createHmac("sha256", process.env.RESEND_WEBHOOK_SECRET!).update(body).digest("base64");
  if (!constantTimeEqual(req.headers.get("x-signature"), expected)) return new Response(null, { status: 401 });
  return new Response(null, { status: 204 });
}
`;

const FIXED_14_0 = `import { timingSafeEqual } from "node:crypto"

export async function POST(req: Request) {
  const { password } = await req.json()
  if (!constantTimeEqual(password, process.env.ADMIN_PASSWORD)) return new Response("Forbidden", { status: 403 })
  return new Response("ok")
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
`;

const FIXED_TYPE_IMPORT = `import type { BinaryLike } from "node:crypto";
import { timingSafeEqual } from "node:crypto";

export function isValidApiKey(apiKey: BinaryLike, expectedKey: string) {
  return constantTimeEqual(apiKey, expectedKey);
}

// Constant-time string comparison: the time taken does not depend on where a and b differ.
function constantTimeEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
`;

ruleTester.run("no-timing-unsafe-compare", rule, {
  valid: [
    {
      name: "sentinel checks eslint-plugin-security flags: undefined, empty string, typeof, length",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `export async function POST(req: Request) {
  const token = req.headers.get("authorization")?.slice(7);
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (token === undefined) return new Response(null, { status: 401 });
  if (secret === "") throw new Error("STRIPE_WEBHOOK_SECRET is empty");
  if (typeof secret === "string" && secret.length !== 38) console.warn("unexpected secret length");
  return new Response("ok");
}
`,
    },
    {
      name: "signature format checks",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `export async function POST(request: Request) {
  const sig = request.headers.get("x-signature") ?? "";
  if (sig.length !== 64 || sig === null) return new Response("Bad signature", { status: 400 });
  return new Response("ok");
}
`,
    },
    {
      name: "OAuth state is a CSRF nonce, not a secret",
      filename: "app/api/auth/callback/github/route.ts",
      code: `import { cookies } from "next/headers";

export async function GET(request: Request) {
  const url = new URL(request.url);
  const state = url.searchParams.get("state");
  const storedState = (await cookies()).get("github_oauth_state")?.value ?? null;
  if (!state || !storedState || state !== storedState) {
    return new Response(null, { status: 400 });
  }
  return new Response(null, { status: 302, headers: { Location: "/" } });
}
`,
    },
    {
      name: "token type and event type comparisons",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `export async function POST(req: Request) {
  const { token, event } = await req.json();
  if (token.type === "bearer" && event.type === "user.created") {
    return new Response("ok");
  }
  return new Response(null, { status: 204 });
}
`,
    },
    {
      name: "API key prefix and shape checks",
      filename: "app/api/keys/route.ts",
      code: `export async function POST(req: Request) {
  const { apiKey } = await req.json();
  if (!apiKey.startsWith("sk_") || apiKey.includes(" ")) {
    return Response.json({ error: "Malformed key" }, { status: 400 });
  }
  return Response.json({ ok: true });
}
`,
    },
    {
      name: "signup form: password === confirmPassword is user input against user input",
      filename: "app/api/signup/route.ts",
      code: `export async function POST(req: Request) {
  const { email, password, confirmPassword } = await req.json();
  if (password !== confirmPassword) {
    return Response.json({ error: "Passwords do not match" }, { status: 400 });
  }
  return Response.json({ email });
}
`,
    },
    {
      name: "id comparisons in a Convex mutation",
      filename: "convex/teams.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const leave = mutation({
  args: { teamId: v.id("teams") },
  handler: async (ctx, { teamId }) => {
    const identity = await ctx.auth.getUserIdentity();
    const team = await ctx.db.get(teamId);
    if (!identity || !team || team.ownerId === identity.subject) throw new Error("Forbidden");
  },
});
`,
    },
    {
      name: "client component comparing an API key field",
      filename: "components/api-key-form.tsx",
      code: `"use client";

export function ApiKeyForm({ apiKey, savedApiKey }: { apiKey: string; savedApiKey: string }) {
  const dirty = apiKey !== savedApiKey;
  return <button disabled={!dirty}>Save</button>;
}
`,
    },
    {
      name: "test files compare signatures to assert on them",
      filename: "tests/webhooks/signature.test.ts",
      code: `import { createHmac } from "node:crypto";

const expected = createHmac("sha256", "whsec_test").update("{}").digest("hex");
if (signPayload("{}") !== expected) throw new Error("signature mismatch");
`,
    },
    {
      name: "two env vars: no attacker-controlled side",
      filename: "lib/env.ts",
      code: `if (process.env.STRIPE_WEBHOOK_SECRET === process.env.STRIPE_SECRET_KEY) {
  throw new Error("STRIPE_WEBHOOK_SECRET must not be the API key");
}
`,
    },
    {
      name: "UI keys in a tabs component",
      filename: "components/tabs.tsx",
      code: `export function Tabs({ items, selectedKey }) {
  return items.map((item) => <Tab key={item.key} active={item.key === selectedKey} />);
}
`,
    },
    {
      name: "NODE_ENV and non-secret env comparisons",
      filename: "app/api/webhooks/polar/route.ts",
      code: `export async function POST(req: Request) {
  if (process.env.NODE_ENV === "development") console.log("polar webhook");
  if (req.headers.get("origin") !== process.env.APP_ORIGIN) return new Response(null, { status: 403 });
  return new Response("ok");
}
`,
    },
    {
      name: "constant header name",
      filename: "app/api/webhooks/custom/route.ts",
      code: `const SIGNATURE_HEADER = "x-signature";

export async function POST(req: Request) {
  for (const [name] of req.headers) {
    if (name.toLowerCase() === SIGNATURE_HEADER) return new Response("ok");
  }
  return new Response(null, { status: 400 });
}
`,
    },
    {
      name: "correct Node.js check with a length guard and timingSafeEqual",
      filename: "app/api/webhooks/hook/route.ts",
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export async function POST(req: Request) {
  const body = await req.text();
  const signature = Buffer.from(req.headers.get("x-signature") ?? "", "hex");
  const expected = createHmac("sha256", process.env.WEBHOOK_SECRET!).update(body).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    return new Response("Invalid signature", { status: 401 });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "e-signature settings in a component",
      filename: "components/email-signature-editor.tsx",
      code: `export function EmailSignatureEditor({ settings, draft, save }) {
  if (settings.signature !== draft.signature) save(draft);
  return null;
}
`,
    },
    {
      name: "correct Edge check with crypto.subtle.verify",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `export const runtime = "edge";

export async function POST(req: Request) {
  const body = await req.text();
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(process.env.PADDLE_WEBHOOK_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const ok = await crypto.subtle.verify("HMAC", key, hexToBytes(req.headers.get("paddle-signature") ?? ""), new TextEncoder().encode(body));
  if (ok === false) return new Response("Invalid signature", { status: 400 });
  return new Response("ok");
}
`,
    },
    {
      name: "Express route in JavaScript comparing content type and event type",
      filename: "server.js",
      code: `const express = require("express");
const app = express();

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  if (req.headers["content-type"] !== "application/json") return res.sendStatus(415);
  const event = JSON.parse(req.body);
  if (event.type === "checkout.session.completed") console.log(event.id);
  res.sendStatus(200);
});
`,
    },
    {
      name: "the loop inside a hand-written constant-time helper",
      filename: "lib/crypto.ts",
      code: `export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let result = 0;
  for (let i = 0; i < a.length; i++) result |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return result === 0;
}
`,
    },
    {
      name: "ObjectId equals in a data layer",
      filename: "lib/db.ts",
      code: `export function ownsDocument(doc, userId) {
  return doc.ownerId.equals(userId);
}
`,
    },
    { name: "suggested output: seed 002: Clerk webhook compares the header with the computed HMAC", filename: "pages/api/clerk-webhook.ts", code: FIXED_0_0 },
    { name: "suggested output: seed 000: Convex mutation compares args.secret with INTERNAL_API_SECRET", filename: "convex/webhooks.ts", code: FIXED_1_0 },
    { name: "suggested output: GitHub: string concatenation with a digest compared to the header", filename: "app/api/webhooks/github/route.ts", code: FIXED_2_0 },
    { name: "suggested output: Lemon Squeezy: digest != X-Signature with a namespace crypto import", filename: "app/api/webhooks/lemonsqueezy/route.ts", code: FIXED_3_0 },
    { name: "suggested output: Vercel cron: Bearer template with CRON_SECRET", filename: "app/api/cron/sync/route.ts", code: FIXED_4_0 },
    { name: "suggested output: Edge route with a SubtleCrypto signature", filename: "app/api/webhooks/paddle/route.ts", code: FIXED_5_0 },
    { name: "suggested output: Next.js middleware runs on the Edge", filename: "middleware.ts", code: FIXED_6_0 },
    { name: "suggested output: Convex httpAction comparing a shared-secret header", filename: "convex/http.ts", code: FIXED_7_0 },
    { name: "suggested output: Express (CommonJS) Shopify webhook with ==", filename: "server.js", code: FIXED_8_0 },
    { name: "suggested output: Pages API revalidate secret in JavaScript", filename: "pages/api/revalidate.js", code: FIXED_9_0 },
    { name: "suggested output: Convex query comparing stored and provided API keys", filename: "convex/apiKeys.ts", code: FIXED_10_0 },
    { name: "suggested output: helper named like a check compares with a computed signature", filename: "lib/webhook-signature.ts", code: FIXED_11_0 },
    { name: "suggested output: Convex \"use node\" action gets the Node.js advice", filename: "convex/stripeNode.ts", code: FIXED_12_0 },
    { name: "suggested output: an existing constantTimeEqual helper is reused", filename: "app/api/webhooks/resend/route.ts", code: FIXED_13_0 },
    { name: "suggested output: admin password from env, file without semicolons", filename: "app/api/admin/route.ts", code: FIXED_14_0 },
    { name: "suggested output: a type-only crypto import gets a value import beside it", filename: "lib/api-keys.ts", code: FIXED_TYPE_IMPORT },
  ],
  invalid: [
    {
      name: "a type-only crypto import gets a value import beside it",
      filename: "lib/api-keys.ts",
      code: `import type { BinaryLike } from "node:crypto";

export function isValidApiKey(apiKey: BinaryLike, expectedKey: string) {
  return apiKey === expectedKey;
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 4,
          column: 10,
          data: { what: "a secret (`apiKey`)", operator: "===" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_TYPE_IMPORT }],
        },
      ],
    },
    {
      name: "seed 002: Clerk webhook compares the header with the computed HMAC",
      filename: "pages/api/clerk-webhook.ts",
      code: `import { WebhookEvent } from '@clerk/nextjs/server';
import { buffer } from 'micro';
import crypto from 'crypto';
import { NextApiRequest, NextApiResponse } from 'next';

export const config = {
  api: {
    bodyParser: false,
  },
};

const CLERK_WEBHOOK_SECRET = process.env.CLERK_WEBHOOK_SECRET as string;

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const rawBody = await buffer(req);
  const signature = req.headers['clerk-signature'] as string;
  const expectedSignature = crypto.createHmac('sha256', CLERK_WEBHOOK_SECRET).update(rawBody).digest('hex');

  if (signature !== expectedSignature) {
    return res.status(401).json({ error: 'Invalid signature' });
  }

  const event: WebhookEvent = JSON.parse(rawBody.toString());
  res.status(200).json({ received: true, type: event.type });
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 19,
          column: 7,
          data: { what: "an HMAC digest", operator: "!==" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_0_0 }],
        },
      ],
    },
    {
      name: "seed 000: Convex mutation compares args.secret with INTERNAL_API_SECRET",
      filename: "convex/webhooks.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const markEventProcessed = mutation({
  args: {
    eventId: v.string(),
    provider: v.string(),
    secret: v.string(),
  },
  handler: async (ctx, args) => {
    const expectedSecret = process.env.INTERNAL_API_SECRET;
    if (!expectedSecret || args.secret !== expectedSecret) {
      throw new Error("Unauthorized");
    }
    await ctx.db.insert("processedEvents", { eventId: args.eventId, provider: args.provider });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompareConvex",
          line: 12,
          column: 28,
          data: { what: "the secret INTERNAL_API_SECRET", operator: "!==" },
          suggestions: [{ messageId: "useConstantTimeHelper", output: FIXED_1_0 }],
        },
      ],
    },
    {
      name: "GitHub: string concatenation with a digest compared to the header",
      filename: "app/api/webhooks/github/route.ts",
      code: `import { createHmac } from "node:crypto";

export async function POST(request: Request) {
  const body = await request.text();
  const sig = request.headers.get("x-hub-signature-256") ?? "";
  const hmac = createHmac("sha256", process.env.GITHUB_WEBHOOK_SECRET!);
  if ("sha256=" + hmac.update(body).digest("hex") === sig) {
    return Response.json({ ok: true });
  }
  return new Response("Invalid signature", { status: 401 });
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 7,
          column: 7,
          data: { what: "an HMAC digest", operator: "===" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_2_0 }],
        },
      ],
    },
    {
      name: "Lemon Squeezy: digest != X-Signature with a namespace crypto import",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import * as crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const secret = process.env.LEMONSQUEEZY_WEBHOOK_SECRET!;
  const digest = crypto.createHmac("sha256", secret).update(rawBody).digest("hex");
  const signature = request.headers.get("X-Signature") ?? "";
  if (digest != signature) {
    throw new Error("Invalid signature.");
  }
  return new Response("OK");
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 8,
          column: 7,
          data: { what: "an HMAC digest", operator: "!=" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_3_0 }],
        },
      ],
    },
    {
      name: "Vercel cron: Bearer template with CRON_SECRET",
      filename: "app/api/cron/sync/route.ts",
      code: `import { NextResponse } from "next/server";

export async function GET(request: Request) {
  const authHeader = request.headers.get("authorization");
  if (authHeader !== \`Bearer \${process.env.CRON_SECRET}\`) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
  return NextResponse.json({ ok: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 5,
          column: 7,
          data: { what: "the secret CRON_SECRET", operator: "!==" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_4_0 }],
        },
      ],
    },
    {
      name: "Edge route with a SubtleCrypto signature",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `export const runtime = "edge";

export async function POST(req: Request) {
  const body = await req.text();
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(process.env.PADDLE_WEBHOOK_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  const expected = Array.from(new Uint8Array(mac)).map((b) => b.toString(16).padStart(2, "0")).join("");
  const received = req.headers.get("paddle-signature")?.split("h1=")[1];
  if (received !== expected) return new Response("Invalid signature", { status: 400 });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompareEdge",
          line: 9,
          column: 7,
          data: { what: "an HMAC digest", operator: "!==" },
          suggestions: [{ messageId: "useConstantTimeHelper", output: FIXED_5_0 }],
        },
      ],
    },
    {
      name: "Next.js middleware runs on the Edge",
      filename: "middleware.ts",
      code: `import { NextResponse, type NextRequest } from "next/server";

export function middleware(req: NextRequest) {
  if (req.headers.get("x-api-key") !== process.env.INTERNAL_API_KEY) {
    return new NextResponse("Unauthorized", { status: 401 });
  }
  return NextResponse.next();
}

export const config = { matcher: "/api/internal/:path*" };
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompareEdge",
          line: 4,
          column: 7,
          data: { what: "the secret INTERNAL_API_KEY", operator: "!==" },
          suggestions: [{ messageId: "useConstantTimeHelper", output: FIXED_6_0 }],
        },
      ],
    },
    {
      name: "Convex httpAction comparing a shared-secret header",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();

http.route({
  path: "/webhooks/internal",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    if (request.headers.get("x-webhook-secret") !== process.env.WEBHOOK_SECRET) {
      return new Response("Unauthorized", { status: 401 });
    }
    await ctx.runMutation(internal.billing.sync, { payload: await request.json() });
    return new Response(null, { status: 200 });
  }),
});

export default http;
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompareConvex",
          line: 11,
          column: 9,
          data: { what: "the secret WEBHOOK_SECRET", operator: "!==" },
          suggestions: [{ messageId: "useConstantTimeHelper", output: FIXED_7_0 }],
        },
      ],
    },
    {
      name: "Express (CommonJS) Shopify webhook with ==",
      filename: "server.js",
      code: `const express = require("express");
const crypto = require("crypto");

const app = express();

app.post("/webhooks/shopify", express.raw({ type: "application/json" }), (req, res) => {
  const hmacHeader = req.get("X-Shopify-Hmac-Sha256");
  const expected = crypto.createHmac("sha256", process.env.SHOPIFY_API_SECRET).update(req.body).digest("base64");
  if (hmacHeader == expected) {
    res.sendStatus(200);
  } else {
    res.sendStatus(401);
  }
});
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 9,
          column: 7,
          data: { what: "an HMAC digest", operator: "==" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_8_0 }],
        },
      ],
    },
    {
      name: "Pages API revalidate secret in JavaScript",
      filename: "pages/api/revalidate.js",
      code: `export default async function handler(req, res) {
  if (req.query.secret !== process.env.REVALIDATE_SECRET) {
    return res.status(401).json({ message: "Invalid token" });
  }
  await res.revalidate("/pricing");
  return res.json({ revalidated: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 2,
          column: 7,
          data: { what: "the secret REVALIDATE_SECRET", operator: "!==" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_9_0 }],
        },
      ],
    },
    {
      name: "Convex query comparing stored and provided API keys",
      filename: "convex/apiKeys.ts",
      code: `import { v } from "convex/values";
import { query } from "./_generated/server";

export const checkKey = query({
  args: { keyId: v.id("apiKeys"), apiKey: v.string() },
  handler: async (ctx, args) => {
    const row = await ctx.db.get(args.keyId);
    return row !== null && row.apiKey === args.apiKey;
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompareConvex",
          line: 8,
          column: 28,
          data: { what: "a secret (`row.apiKey`)", operator: "===" },
          suggestions: [{ messageId: "useConstantTimeHelper", output: FIXED_10_0 }],
        },
      ],
    },
    {
      name: "helper named like a check compares with a computed signature",
      filename: "lib/webhook-signature.ts",
      code: `import { computeSignature } from "./signing";

export function verifySignature(payload: string, header: string, secret: string): boolean {
  const expected = computeSignature(payload, secret);
  return header === expected;
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 5,
          column: 10,
          data: { what: "a signature (`computeSignature()`)", operator: "===" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_11_0 }],
        },
      ],
    },
    {
      name: "Convex \"use node\" action gets the Node.js advice",
      filename: "convex/stripeNode.ts",
      code: `"use node";

import { v } from "convex/values";
import { internalAction } from "./_generated/server";

export const verify = internalAction({
  args: { signature: v.string(), payload: v.string() },
  handler: async (ctx, args) => {
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", process.env.WEBHOOK_SECRET!).update(args.payload).digest("hex");
    return args.signature === expected;
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 11,
          column: 12,
          data: { what: "an HMAC digest", operator: "===" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_12_0 }],
        },
      ],
    },
    {
      name: "an existing constantTimeEqual helper is reused",
      filename: "app/api/webhooks/resend/route.ts",
      code: `import { createHmac } from "crypto";

function constantTimeEqual(a: string, b: string) {
  return a.length === b.length && a === b;
}

export async function POST(req: Request) {
  const body = await req.text();
  const expected = createHmac("sha256", process.env.RESEND_WEBHOOK_SECRET!).update(body).digest("base64");
  if (req.headers.get("x-signature") !== expected) return new Response(null, { status: 401 });
  return new Response(null, { status: 204 });
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 10,
          column: 7,
          data: { what: "an HMAC digest", operator: "!==" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_13_0 }],
        },
      ],
    },
    {
      name: "admin password from env, file without semicolons",
      filename: "app/api/admin/route.ts",
      code: `export async function POST(req: Request) {
  const { password } = await req.json()
  if (password !== process.env.ADMIN_PASSWORD) return new Response("Forbidden", { status: 403 })
  return new Response("ok")
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 3,
          column: 7,
          data: { what: "the secret ADMIN_PASSWORD", operator: "!==" },
          suggestions: [{ messageId: "useTimingSafeEqual", output: FIXED_14_0 }],
        },
      ],
    },
    {
      name: "Array#includes over a list of API keys",
      filename: "pages/api/keys.js",
      code: `export default function handler(req, res) {
  const apiKey = req.headers["x-api-key"];
  if (!process.env.API_KEYS.split(",").includes(apiKey)) return res.status(401).end();
  res.status(200).end();
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 3,
          column: 8,
          data: { what: "the secret API_KEYS", operator: "includes()" },
          suggestions: [],
        },
      ],
    },
    {
      name: "localeCompare and Buffer#equals on secrets",
      filename: "app/api/webhooks/svix/route.ts",
      code: `export async function POST(req: Request) {
  const token = req.headers.get("x-admin-token") ?? "";
  if (token.localeCompare(process.env.ADMIN_TOKEN!) !== 0) return new Response(null, { status: 401 });
  const expected = Buffer.from(process.env.SVIX_SECRET!);
  if (!Buffer.from(token).equals(expected)) return new Response(null, { status: 401 });
  return new Response(null, { status: 204 });
}
`,
      output: null,
      errors: [
        {
          messageId: "timingUnsafeCompare",
          line: 3,
          column: 7,
          data: { what: "the secret ADMIN_TOKEN", operator: "localeCompare()" },
          suggestions: [],
        },
        {
          messageId: "timingUnsafeCompare",
          line: 5,
          column: 8,
          data: { what: "the secret SVIX_SECRET", operator: "equals()" },
          suggestions: [],
        },
      ],
    },
  ],
});

describe("with ESLint's default parser (espree)", () => {
  it("reports a plain JavaScript Express handler and suggests timingSafeEqual", () => {
    const linter = new Linter({ configType: "flat" });
    const code = `import crypto from "node:crypto";\n\nexport function verify(req, res, next) {\n  const digest = crypto.createHmac("sha256", process.env.WEBHOOK_SECRET).update(req.rawBody).digest("hex");\n  if (req.get("x-signature") !== digest) return res.sendStatus(401);\n  next();\n}\n`;
    const messages = linter.verify(
      code,
      [{ files: ["**/*.js"], plugins: { webhook: { rules: { "no-timing-unsafe-compare": rule as never } } }, rules: { "webhook/no-timing-unsafe-compare": "error" } }],
      { filename: "lib/verify.js" },
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line, m.column, m.suggestions?.map((s) => s.messageId)])).toEqual([
      ["webhook/no-timing-unsafe-compare", "timingUnsafeCompare", 5, 7, ["useTimingSafeEqual"]],
    ]);
  });
});
