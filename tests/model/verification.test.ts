import { describe, expect, it } from "vitest";
import type { TSESTree } from "@typescript-eslint/utils";
import { findAll } from "../../src/model/ast.js";
import { analyzeSource } from "../../src/model/parse.js";
import {
  derivedNames,
  disabledTolerance,
  effectsBeforeVerification,
  expressBodyParsing,
  fileVerifierCalls,
  handlerVerification,
  headerReads,
  hmacVerifications,
  identifierReferences,
  isProjectModule,
  pagesBodyParserDisabled,
  payloadProblem,
  providerEvidence,
  requestBodyReads,
  restrictedRuntimeAt,
  secretMultiplicity,
  singleSecretVerifications,
  stripeClassName,
  verifiedPayloads,
  verifierSecret,
} from "../../src/model/verification.js";
import { routeHandlers } from "../../src/model/routes.js";
import { verifierCalls, webhookHandlers } from "../../src/model/webhook.js";

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

function handler(code: string, filename: string, settings?: unknown) {
  const file = analyzeSource(code, filename, { settings });
  const info = only(webhookHandlers(file));
  return { file, info, verification: handlerVerification(file, info) };
}

function text(code: string, node: TSESTree.Node | null): string | null {
  return node ? code.slice(node.range[0], node.range[1]) : null;
}

describe("body reads", () => {
  it("finds the Web Request readers, Node stream helpers, req.body and for-await", () => {
    const code = `export default async function h(req, res) {
  await req.json(); await req.text(); await req.arrayBuffer(); await req.formData();
  await buffer(req); await json(req); req.body; for await (const chunk of req) {}
  await other.json(); await req.clone().json();
}`;
    const file = analyzeSource(code, "pages/api/x.ts");
    const fn = findAll(file.program, ["FunctionDeclaration"])[0]!;
    expect(requestBodyReads(fn, "req").map((r) => [r.kind, r.parsed])).toEqual([
      ["json", true],
      ["text", false],
      ["arrayBuffer", false],
      ["formData", true],
      ["raw-helper", false],
      ["parsed-helper", true],
      ["body", false],
      ["stream", false],
    ]);
    expect(requestBodyReads(fn, null)).toEqual([]);
  });

  it("counts a same-file helper that reads the request as a read at its call", () => {
    const code = `async function readEvent(r) { return r.json(); }
export async function POST(req) { const event = await readEvent(req); if (event.type === "invoice.paid") {} }`;
    const { verification } = handler(code, "app/api/webhooks/stripe/route.ts");
    expect(verification.bodyReads.map((r) => [r.kind, r.parsed, code.slice(r.node.range[0], r.node.range[1])])).toEqual([
      ["json", true, "readEvent(req)"],
    ]);
    expect([...verification.bodyNames]).toEqual(["event"]);
  });
});

describe("header reads", () => {
  it("reads names from the Fetch, Node and next/headers APIs, lower-cased", () => {
    const code = `async function f(req) {
  req.headers.get("Stripe-Signature"); (await headers()).get("svix-id"); req.headers["x-signature"]; req.headers.authorization;
  const h = await headers(); h.get("webhook-id"); const list = headers(); list.get("paddle-signature");
  Object.fromEntries(req.headers); req.get("x-hub-signature-256"); map.get("not-a-header");
  const headerPayload = req.headers; headerPayload.get("svix-signature"); Object.fromEntries(req.headers.entries());
}`;
    const file = analyzeSource(code, "a.ts");
    expect(headerReads(file.program).map((h) => h.name)).toEqual([
      "stripe-signature",
      "svix-id",
      "x-signature",
      "authorization",
      "webhook-id",
      "paddle-signature",
      null,
      "x-hub-signature-256",
      null,
      "svix-signature",
      null,
    ]);
  });
});

describe("derived names", () => {
  it("follows declarations and assignments in source order", () => {
    const code = `function f(req) { const raw = await req.text(); const event = JSON.parse(raw); let data; data = event.data; const other = 1; }`;
    const file = analyzeSource(code, "a.ts");
    const source = findAll(file.program, ["CallExpression"]).find((c) => code.slice(c.range[0], c.range[1]) === "req.text()")!;
    expect([...derivedNames(file.program, (n) => n === source)]).toEqual(["raw", "event", "data"]);
  });

  it("lists references, not property keys or the declaration", () => {
    const code = `const body = 1; use(body, { body: 2 }, x.body, { body });`;
    const file = analyzeSource(code, "a.ts");
    expect(identifierReferences(file.program, "body").map((id) => id.range[0])).toEqual([code.indexOf("body,"), code.lastIndexOf("body")]);
  });
});

describe("hand-written HMAC verification", () => {
  it("pairs the HMAC with its comparison, chained or not, constant-time or not", () => {
    const code = `function a(raw, sig) { return crypto.createHmac("sha256", K).update(raw).digest("hex") === sig; }
function b(raw, sig) { const h = crypto.createHmac("sha256", K); h.update(raw); const d = Buffer.from(h.digest("hex")); return crypto.timingSafeEqual(d, Buffer.from(sig)); }
async function c(key, sig, data) { return crypto.subtle.verify("HMAC", key, sig, data); }
function d(raw) { return crypto.createHmac("sha256", K).update(raw).digest("hex"); }
function e(raw, sig) { return d(raw) !== sig; }
function sign(body) { return fetch(u, { headers: { s: crypto.createHmac("sha256", K).update(body).digest("hex") } }); }`;
    const file = analyzeSource(code, "a.ts");
    const found = hmacVerifications(file.program).map((h) => [h.constantTime, text(code, h.data), code.slice(h.compare.range[0], h.compare.range[1]).slice(0, 22)]);
    expect(found).toEqual([
      [false, "raw", 'crypto.createHmac("sha'],
      [true, "raw", "crypto.timingSafeEqual"],
      [true, "data", 'crypto.subtle.verify("'],
      [false, "raw", "d(raw) !== sig"],
    ]);
  });
});

describe("handler verification", () => {
  it("sees SDK, HMAC, delegated and shared-secret checks, and the earliest one as the anchor", () => {
    const code = `import { verifyStripeWebhook } from "@/lib/stripe";
export async function POST(req) {
  if (req.headers.get("authorization") !== process.env.CRON_SECRET) return new Response("", { status: 401 });
  const event = await verifyStripeWebhook(req);
  const again = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature"), s);
}`;
    const { verification } = handler(code, "app/api/webhooks/stripe/route.ts");
    expect(verification.sites.map((s) => s.kind)).toEqual(["shared-secret", "delegated", "sdk"]);
    expect(text(code, verification.anchor)).toBe("verifyStripeWebhook(req)");
  });

  it("treats handing the body and the signature on together as delegated verification", () => {
    const code = `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
const http = httpRouter();
http.route({ path: "/stripe", method: "POST", handler: httpAction(async (ctx, request) => {
  const signature = request.headers.get("stripe-signature");
  await ctx.runAction(internal.stripe.fulfill, { signature, payload: await request.text() });
  console.log(await request.text(), signature);
  return new Response(null);
}) });
export default http;`;
    const { verification } = handler(code, "convex/http.ts");
    expect(verification.sites.map((s) => [s.kind, s.kind === "delegated" && s.withSignature])).toEqual([["delegated", true]]);
  });

  it("does not mistake a body-only call or an unrelated validate() for verification", () => {
    const code = `import { validateEmail } from "@/lib/validate";
export async function POST(req) {
  const body = await req.json();
  validateEmail(body.email);
  await ctx.runMutation(internal.users.create, { body });
  if (body.type === "user.created") {}
}`;
    const { verification } = handler(code, "app/api/webhooks/clerk/route.ts");
    expect(verification.sites).toEqual([]);
  });

  it("counts re-fetching the event from Stripe's API by its id as verification", () => {
    const code = `export async function POST(req) { const body = await req.json(); const event = await stripe.events.retrieve(body.id); }`;
    const { verification } = handler(code, "app/api/webhooks/stripe/route.ts");
    expect(verification.sites.map((s) => s.kind)).toEqual(["refetch"]);
  });

  it("sees a verifying wrapper around the handler", () => {
    const code = `export const POST = withStripeWebhook(async (req) => { const e = await req.json(); if (e.type === "invoice.paid") {} });`;
    const { verification } = handler(code, "app/api/webhooks/stripe/route.ts");
    expect(verification.sites.map((s) => s.kind)).toEqual(["wrapped"]);
    expect(verification.anchor).toBe(null);
  });

  it("counts a JWT body verified with a key (Kinde), not a JWT read from a header or only decoded", () => {
    const body = `import jwt from "jsonwebtoken";
export async function POST(req) { const token = await req.text(); const event = jwt.verify(token, key); if (event.type === "user.created") {} }`;
    expect(handler(body, "app/api/kinde-webhook/route.js").verification.sites.map((s) => s.kind)).toEqual(["jwt"]);
    const jose = `import { jwtVerify } from "jose";
export async function POST(req) { const { payload } = await jwtVerify(await req.text(), jwks); if (payload.type === "user.created") {} }`;
    expect(handler(jose, "app/api/webhooks/route.ts").verification.sites.map((s) => s.kind)).toEqual(["jwt"]);
    const header = `import jwt from "jsonwebtoken";
export async function POST(req) { jwt.verify(req.headers.get("authorization"), key); const event = await req.json(); if (event.type === "user.created") {} }`;
    expect(handler(header, "app/api/webhooks/route.ts").verification.sites).toEqual([]);
    const field = `import jwt from "jsonwebtoken";
export async function POST(req) { const { token, data } = await req.json(); jwt.verify(token, key); if (data.type === "user.created") {} }`;
    expect(handler(field, "app/api/webhooks/route.ts").verification.sites).toEqual([]);
    const decoded = `import jwt from "jsonwebtoken";
export async function POST(req) { const event = jwt.decode(await req.text()); if (event.type === "user.created") {} }`;
    expect(handler(decoded, "app/api/webhooks/route.ts").verification.sites).toEqual([]);
  });

  it("maps a verification inside a same-file helper to the helper's call", () => {
    const code = `function check(raw, sig) { return stripe.webhooks.constructEvent(raw, sig, s); }
export async function POST(req) { const raw = await req.text(); const event = check(raw, req.headers.get("stripe-signature")); }`;
    const { verification } = handler(code, "app/api/webhooks/stripe/route.ts");
    expect(text(code, verification.anchor)).toBe('check(raw, req.headers.get("stripe-signature"))');
  });
});

describe("provider evidence", () => {
  it("ranks the verifier, headers and path above env vars and imports", () => {
    const code = `import Stripe from "stripe";
export async function POST(req) { const id = req.headers.get("svix-id"); const body = await req.json(); await stripe.customers.create({ email: body.email }); }`;
    const { file, info } = handler(code, "app/api/webhooks/clerk/route.ts");
    expect(providerEvidence(file, info)).toEqual({ providers: ["svix", "clerk", "stripe"], others: [] });
  });

  it("names out-of-scope senders from the path and headers only, not from services the handler calls", () => {
    const code = `import { Resend } from "resend";
export async function POST(req) { const e = req.headers.get("x-github-event"); await new Resend(process.env.RESEND_API_KEY).emails.send({}); }`;
    const { file, info } = handler(code, "app/api/webhooks/github/route.ts");
    expect(providerEvidence(file, info)).toEqual({ providers: [], others: ["github"] });
  });

  it("names auth providers whose user.* events look like Clerk's as out of scope", () => {
    const code = `const issuer = process.env.KINDE_ISSUER_URL;
export async function POST(req) { const e = await req.json(); console.log(issuer); if (e.type === "user.created") {} }`;
    const { file, info } = handler(code, "app/api/auth-events/route.ts");
    expect(providerEvidence(file, info)).toEqual({ providers: [], others: ["kinde"] });
    const workos = `import { WorkOS } from "@workos-inc/node";
export async function POST(req) { const e = await req.json(); if (e.event === "user.created") {} }`;
    const other = handler(workos, "app/api/webhooks/route.ts");
    expect(providerEvidence(other.file, other.info)).toEqual({ providers: [], others: ["workos"] });
  });

  it("looks at each Convex HTTP route on its own", () => {
    const code = `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
const http = httpRouter();
http.route({ path: "/stripe", method: "POST", handler: httpAction(async (ctx, request) => new Response(await request.text())) });
http.route({ path: "/clerk-users-webhook", method: "POST", handler: httpAction(async (ctx, request) => new Response(await request.text())) });
export default http;`;
    const file = analyzeSource(code, "convex/http.ts");
    expect(webhookHandlers(file).map((info) => providerEvidence(file, info).providers)).toEqual([["stripe"], ["clerk"]]);
  });
});

describe("effects before verification", () => {
  it("reports Convex calls, DB writes and fetches that use the body before the anchor", () => {
    const code = `export async function POST(req) {
  const body = await req.text();
  await fetchMutation(api.log.add, { body });
  await db.insert(events).values({ body });
  await supabase.from("events").insert({ body });
  await prisma.event.create({ data: { body } });
  await fetch("https://example.com", { method: "POST", body });
  await fetchQuery(api.users.get, { body });
  await fetchMutation(api.metrics.bump, {});
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature"), s);
  await fetchMutation(api.billing.apply, { event });
}`;
    const { file, verification } = handler(code, "app/api/webhooks/stripe/route.ts");
    expect(effectsBeforeVerification(file, verification).map((e) => [e.label, e.node.loc.start.line])).toEqual([
      ["Convex mutation", 3],
      ["database write", 4],
      ["database write", 5],
      ["database write", 6],
      ["fetch call", 7],
    ]);
  });
});

describe("payload problems", () => {
  it("traces payloads back to parsed reads, JSON.stringify and req.body", () => {
    const code = `export default async function handler(req, res) {
  const parsed = await req.json();
  const raw = await req.text();
  stripe.webhooks.constructEvent(parsed, sig, s);
  stripe.webhooks.constructEvent(Buffer.from(JSON.stringify(parsed)), sig, s);
  stripe.webhooks.constructEvent(req.body, sig, s);
  stripe.webhooks.constructEvent(\`\${id}.\${raw}\`, sig, s);
  stripe.webhooks.constructEvent(raw.toString(), sig, s);
  stripe.webhooks.constructEvent(JSON.parse(raw), sig, s);
}`;
    const { verification } = handler(code, "pages/api/webhooks/stripe.ts");
    expect(verifiedPayloads(verification).map((p) => payloadProblem(verification, p.payload)?.kind ?? null)).toEqual([
      "parsed",
      "stringified",
      "request-body",
      null,
      null,
      "parsed",
    ]);
  });

  it("reads bodyParser: false only from an export named config", () => {
    expect(pagesBodyParserDisabled(analyzeSource("export const config = { api: { bodyParser: false } };", "pages/api/a.ts"))).toBe(true);
    expect(pagesBodyParserDisabled(analyzeSource("export const apiConfig = { api: { bodyParser: false } };", "pages/api/a.ts"))).toBe(false);
    expect(pagesBodyParserDisabled(analyzeSource("export const config = { api: { bodyParser: true } };", "pages/api/a.ts"))).toBe(false);
  });
});

describe("runtimes, tolerance and secrets of SDK verifiers", () => {
  it("knows the Edge and the default Convex runtime", () => {
    const call = (code: string, filename: string) => {
      const file = analyzeSource(code, filename);
      return restrictedRuntimeAt(file, only(fileVerifierCalls(file)).node);
    };
    expect(call('export const runtime = "edge";\nexport async function POST(r) { stripe.webhooks.constructEvent(a, b, c); }', "app/api/x/route.ts")).toBe("edge");
    expect(call('export const config = { runtime: "edge" };\nexport default function h(r) { stripe.webhooks.constructEvent(a, b, c); }', "pages/api/x.ts")).toBe("edge");
    expect(call('import { httpAction } from "./_generated/server";\nexport const h = httpAction(async (ctx, r) => { stripe.webhooks.constructEvent(a, b, c); });', "convex/http.ts")).toBe("convex");
    expect(call('"use node";\nimport { action } from "./_generated/server";\nexport const f = action({ handler: async () => { stripe.webhooks.constructEvent(a, b, c); } });', "convex/stripe.ts")).toBe(null);
    expect(call("export async function POST(r) { stripe.webhooks.constructEvent(a, b, c); }", "app/api/x/route.ts")).toBe(null);
  });

  it("knows Deno (Supabase Edge Functions) by path, specifiers and the Deno global", () => {
    const call = (code: string, filename: string) => {
      const file = analyzeSource(code, filename);
      return [restrictedRuntimeAt(file, only(fileVerifierCalls(file)).node), stripeClassName(file)];
    };
    expect(call("Deno.serve(async (r) => { stripe.webhooks.constructEvent(a, b, c); });", "functions/hook.ts")).toEqual(["deno", null]);
    expect(call('import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";\nstripe.webhooks.constructEvent(a, b, c);', "lib/stripe.ts")).toEqual(["deno", "Stripe"]);
    expect(call('import S from "npm:stripe@17";\nstripe.webhooks.constructEvent(a, b, c);', "lib/stripe.ts")).toEqual(["deno", "S"]);
    expect(call('import Stripe from "stripe";\nstripe.webhooks.constructEvent(a, b, c);', "supabase/functions/stripe/index.ts")).toEqual(["deno", "Stripe"]);
    expect(call('import Stripe from "stripe";\nstripe.webhooks.constructEvent(a, b, c);', "server/stripe.ts")).toEqual([null, "Stripe"]);
    expect(call('import Stripe from "https://esm.sh/stripe-extra@1";\nstripe.webhooks.constructEvent(a, b, c);', "lib/x.ts")).toEqual(["deno", null]);
  });

  it("reads a disabled tolerance through constants", () => {
    const tolerance = (code: string) => {
      const file = analyzeSource(code, "a.ts");
      return disabledTolerance(only(fileVerifierCalls(file)))?.value ?? null;
    };
    expect(tolerance("stripe.webhooks.constructEvent(a, b, c, 0)")).toBe(0);
    expect(tolerance("const T = -5; stripe.webhooks.constructEvent(a, b, c, T)")).toBe(-5);
    expect(tolerance("stripe.webhooks.constructEvent(a, b, c, 300)")).toBe(null);
    expect(tolerance("stripe.webhooks.constructEvent(a, b, c)")).toBe(null);
  });

  it("finds svix's secret in the constructor", () => {
    const code = 'import { Webhook } from "svix";\nconst wh = new Webhook(process.env.S);\nwh.verify(p, h);\nnew Webhook(other).verify(p, h);';
    const file = analyzeSource(code, "a.ts");
    expect(verifierCalls(file, file.program).map((v) => text(code, verifierSecret(v)))).toEqual(["process.env.S", "other"]);
  });
});

describe("secret multiplicity", () => {
  function count(code: string, marker = "SECRET_ARG") {
    const file = analyzeSource(code, "a.ts");
    const id = findAll(file.program, ["Identifier"]).find((n) => n.name === marker)!;
    const arg = (id.parent as TSESTree.CallExpression).arguments[0]!;
    return secretMultiplicity(file, arg);
  }

  it("counts env reads, loops, callbacks, element access and callers", () => {
    expect(count("SECRET_ARG(process.env.A)")).toEqual({ count: "one", envName: "A" });
    expect(count("const { A } = process.env; SECRET_ARG(A)")).toEqual({ count: "one", envName: "A" });
    expect(count("const k = Buffer.from(process.env.A.split('_')[1], 'base64'); SECRET_ARG(k)")).toEqual({ count: "one", envName: "A" });
    expect(count("SECRET_ARG(process.env.A ?? process.env.B)")).toEqual({ count: "one", envName: "A" });
    expect(count("for (const s of list) SECRET_ARG(s)")).toEqual({ count: "many", envName: null });
    expect(count("list.some((s) => SECRET_ARG(s))")).toEqual({ count: "many", envName: null });
    expect(count("for (let i = 0; i < list.length; i++) SECRET_ARG(list[i])")).toEqual({ count: "many", envName: null });
    expect(count("function f(s) { SECRET_ARG(s) } f(process.env.A);")).toEqual({ count: "one", envName: "A" });
    expect(count("function f(s) { SECRET_ARG(s) } for (const x of xs) f(x);")).toEqual({ count: "many", envName: null });
    expect(count("function f(s) { SECRET_ARG(s) }")).toEqual({ count: "unknown", envName: null });
    expect(count("SECRET_ARG(config.secret)")).toEqual({ count: "unknown", envName: null });
  });

  it("lists hand-written HMAC checks and opted-in SDK calls with one secret, not rotation-aware ones", () => {
    const code = `export async function POST(req) {
  const raw = await req.text();
  const a = createHmac("sha256", process.env.ONE).update(raw).digest("hex") === req.headers.get("x-signature");
  stripe.webhooks.constructEvent(raw, sig, process.env.STRIPE_WEBHOOK_SECRET);
}
function both(raw, sig) {
  try { return stripe.webhooks.constructEvent(raw, sig, process.env.CURRENT); } catch { return stripe.webhooks.constructEvent(raw, sig, process.env.PREVIOUS); }
}`;
    const file = analyzeSource(code, "app/api/webhooks/x/route.ts");
    expect(singleSecretVerifications(file, new Set(["hmac"]), true).map((s) => [s.kind, s.label])).toEqual([["hmac", "ONE"]]);
    expect(singleSecretVerifications(file, new Set(["hmac", "stripe"]), true).map((s) => [s.kind, s.label])).toEqual([
      ["hmac", "ONE"],
      ["stripe", "STRIPE_WEBHOOK_SECRET"],
    ]);
  });
});

describe("project modules", () => {
  it("tells the project's own modules from packages", () => {
    expect(["./verify", "../lib/x", "@/lib/stripe", "~/server/x", "#lib", "src/lib/x"].every(isProjectModule)).toBe(true);
    expect(["stripe", "@clerk/nextjs", "svix", "node:crypto"].some(isProjectModule)).toBe(false);
  });
});

describe("webhook.ts additions", () => {
  it("recognises stripe.webhooks.signature.verifyHeader[Async] as Stripe verification", () => {
    const code = "stripe.webhooks.signature.verifyHeader(raw, sig, secret, 0);\nawait stripe.webhooks.signature.verifyHeaderAsync(raw, sig, secret);\nother.signature.verifyHeader(a, b, c);";
    const file = analyzeSource(code, "a.ts");
    expect(verifierCalls(file, file.program).map((v) => [v.kind, text(code, v.payload), text(code, v.secret), text(code, v.tolerance)])).toEqual([
      ["stripe", "raw", "secret", "0"],
      ["stripe-async", "raw", "secret", null],
    ]);
  });

  it("treats a Convex HTTP route mounted at a provider's name as a webhook route", () => {
    const route = (path: string, method = "POST") =>
      webhookHandlers(
        analyzeSource(
          `import { httpRouter } from "convex/server";\nimport { httpAction } from "./_generated/server";\nconst http = httpRouter();\nhttp.route({ path: "${path}", method: "${method}", handler: httpAction(async (ctx, req) => new Response("")) });\nexport default http;`,
          "convex/http.ts",
        ),
      ).map((w) => w.reasons);
    expect(route("/stripe")).toEqual([["path"]]);
    expect(route("/clerk-users-webhook")).toEqual([["path"]]);
    expect(route("/lemon-squeezy")).toEqual([["path"]]);
    expect(route("/api/polar")).toEqual([["path"]]);
    expect(route("/polar/events")).toEqual([["path"]]);
    expect(route("/stripe", "GET")).toEqual([]);
    expect(route("/stripe/portal-session/create-link")).toEqual([]);
    expect(route("/products")).toEqual([]);
  });
});

describe("Express body parsers", () => {
  function parsing(code: string, filename = "server/index.js") {
    const file = analyzeSource(code, filename);
    return routeHandlers(file)
      .filter((h) => h.kind === "express")
      .map((h) => {
        const result = expressBodyParsing(file, h);
        return [h.routePath, result.state, text(code, result.parser)];
      });
  }

  it("takes the first body parser registered before the route, then the route's own", () => {
    const code = [
      'const express = require("express");',
      'const bodyParser = require("body-parser");',
      "const app = express();",
      'app.post("/early", (req, res) => res.end());',
      'app.use("/webhooks", express.raw({ type: "application/json" }));',
      "app.use(cors());",
      "app.use(bodyParser.json());",
      'app.post("/webhooks/stripe", (req, res) => res.end());',
      'app.post("/api/orders", (req, res) => res.end());',
      "const textParser = express.text();",
      'app.post("/api/text", textParser, (req, res) => res.end());',
    ].join("\n");
    expect(parsing(code)).toEqual([
      ["/early", "none", null],
      ["/webhooks/stripe", "raw", 'express.raw({ type: "application/json" })'],
      ["/api/orders", "parsed", "bodyParser.json()"],
      ["/api/text", "parsed", "bodyParser.json()"],
    ]);
  });

  it("cannot tell for routers, imported apps, custom middleware and parameters named like the SDK", () => {
    const code = [
      'import express, { Router } from "express";',
      'import { app } from "./app";',
      "const router = Router();",
      'router.post("/stripe", (req, res) => res.end());',
      'app.post("/stripe", (req, res) => res.end());',
      "const server = express();",
      'server.use((req, res, next) => (req.originalUrl === "/hook" ? next() : express.json()(req, res, next)));',
      'server.post("/hook", (req, res) => res.end());',
    ].join("\n");
    expect(parsing(code)).toEqual([
      ["/stripe", "unknown", null],
      ["/stripe", "unknown", null],
      ["/hook", "unknown", null],
    ]);
  });
});
