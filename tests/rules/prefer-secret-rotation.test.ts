import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/prefer-secret-rotation.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";
const LEMON_ROUTE = "app/api/webhooks/lemonsqueezy/route.ts";

ruleTester.run("prefer-secret-rotation", rule, {
  valid: [
    {
      name: "seed 003: loop over the live and previous Stripe secrets (opted in)",
      filename: STRIPE_ROUTE,
      options: [{ providers: ["stripe"] }],
      code: `const secrets = [
  process.env.STRIPE_WEBHOOK_SECRET_LIVE?.trim(),
  process.env.STRIPE_WEBHOOK_SECRET_PREVIOUS?.trim(),
].filter((v): v is string => !!v && v.length > 0);

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("Stripe-Signature");
  if (!signature) return new Response("No signature", { status: 400 });
  let event: any = null;
  for (const secret of secrets) {
    try {
      event = stripe.webhooks.constructEvent(body, signature, secret);
      break;
    } catch (err) { /* silent retry with next secret */ }
  }
  if (!event) return new Response("Invalid signature", { status: 400 });
  return new Response("ok");
}
`,
    },
    {
      name: "one Stripe secret is fine unless the project opts in for Stripe",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "one svix secret is fine by default (Svix signs with every active secret)",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";
import { Webhook } from "svix";

export const clerk = httpAction(async (ctx, request) => {
  const event = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(await request.text(), Object.fromEntries(request.headers));
  return Response.json(event);
});
`,
    },
    {
      name: "hand-written HMAC tried with each secret in an array callback",
      filename: LEMON_ROUTE,
      code: `import crypto from "node:crypto";

const SECRETS = [process.env.LEMONSQUEEZY_WEBHOOK_SECRET, process.env.LEMONSQUEEZY_WEBHOOK_SECRET_OLD].filter(Boolean) as string[];

export async function POST(request: Request) {
  const raw = await request.text();
  const given = Buffer.from(request.headers.get("x-signature") ?? "", "utf8");
  const ok = SECRETS.some((secret) => {
    const digest = Buffer.from(crypto.createHmac("sha256", secret).update(raw).digest("hex"), "utf8");
    return digest.length === given.length && crypto.timingSafeEqual(digest, given);
  });
  if (!ok) return new Response("Invalid signature", { status: 401 });
  return new Response("ok");
}
`,
    },
    {
      name: "hand-written HMAC with a fallback to the previous secret",
      filename: LEMON_ROUTE,
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export async function POST(request: Request) {
  const raw = await request.text();
  const given = Buffer.from(request.headers.get("x-signature") ?? "");
  const current = Buffer.from(createHmac("sha256", process.env.LEMON_SQUEEZY_SECRET!).update(raw).digest("hex"));
  const previous = Buffer.from(createHmac("sha256", process.env.LEMON_SQUEEZY_SECRET_PREVIOUS!).update(raw).digest("hex"));
  const ok = (current.length === given.length && timingSafeEqual(current, given)) || (previous.length === given.length && timingSafeEqual(previous, given));
  return new Response(ok ? "ok" : "no", { status: ok ? 200 : 401 });
}
`,
    },
    {
      name: "HMAC that signs an outgoing request is not a verification",
      filename: "app/api/webhooks/forward/route.ts",
      code: `import { createHmac } from "node:crypto";

export async function POST(req: Request) {
  const body = await req.text();
  const signature = createHmac("sha256", process.env.PARTNER_SIGNING_SECRET!).update(body).digest("hex");
  await fetch(process.env.PARTNER_URL!, { method: "POST", body, headers: { "x-signature": signature } });
  return new Response("ok");
}
`,
    },
    {
      name: "signed cookie check outside webhook code",
      filename: "src/lib/session.ts",
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export function readSessionCookie(value: string) {
  const [payload, mac] = value.split(".");
  const expected = createHmac("sha256", process.env.SESSION_SECRET!).update(payload!).digest("base64url");
  return timingSafeEqual(Buffer.from(expected), Buffer.from(mac!)) ? payload : null;
}
`,
    },
    {
      name: "helper whose secret parameter has no visible callers",
      filename: "src/lib/webhooks/verify.ts",
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export function verifySignature(body: string, signature: string, secret: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("hex"));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
`,
    },
    {
      name: "Stripe secrets in an inline for...of (opted in)",
      filename: STRIPE_ROUTE,
      options: [{ providers: ["stripe"] }],
      code: `export async function POST(req: Request) {
  const body = await req.text();
  const sig = req.headers.get("stripe-signature")!;
  for (const secret of [process.env.STRIPE_WEBHOOK_SECRET!, process.env.STRIPE_WEBHOOK_SECRET_OLD!]) {
    try {
      const event = stripe.webhooks.constructEvent(body, sig, secret);
      return Response.json({ id: event.id });
    } catch {}
  }
  return new Response("Invalid signature", { status: 400 });
}
`,
    },
    {
      name: "Stripe current secret with a try/catch fallback to the previous one (opted in)",
      filename: STRIPE_ROUTE,
      options: [{ providers: ["stripe"] }],
      code: `export async function POST(req: Request) {
  const body = await req.text();
  const sig = req.headers.get("stripe-signature")!;
  let event;
  try {
    event = stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    event = stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET_PREVIOUS!);
  }
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "a secret read from a config object cannot be counted",
      filename: LEMON_ROUTE,
      code: `import crypto from "node:crypto";
import { config } from "@/lib/config";

export async function POST(request: Request) {
  const raw = await request.text();
  const digest = crypto.createHmac("sha256", config.lemonSqueezy.webhookSecret).update(raw).digest("hex");
  if (!crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(request.headers.get("x-signature") ?? ""))) {
    return new Response("no", { status: 401 });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "JavaScript: hand-written check over each configured secret",
      filename: "pages/api/webhooks/lemonsqueezy.js",
      code: `import crypto from "crypto";
import { buffer } from "micro";

export const config = { api: { bodyParser: false } };

const secrets = (process.env.LEMONSQUEEZY_WEBHOOK_SECRETS || "").split(",");

export default async function handler(req, res) {
  const raw = await buffer(req);
  const given = Buffer.from(req.headers["x-signature"] || "", "utf8");
  for (const secret of secrets) {
    const digest = Buffer.from(crypto.createHmac("sha256", secret).update(raw).digest("hex"), "utf8");
    if (digest.length === given.length && crypto.timingSafeEqual(digest, given)) return res.status(200).end();
  }
  res.status(401).end();
}
`,
    },
    {
      name: "Polar validateEvent over a secret list (opted in)",
      filename: "app/api/webhooks/polar/route.ts",
      options: [{ providers: ["polar"] }],
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";

const secrets = [process.env.POLAR_WEBHOOK_SECRET!, process.env.POLAR_WEBHOOK_SECRET_PREVIOUS!];

export async function POST(request: Request) {
  const body = await request.text();
  const headers = Object.fromEntries(request.headers);
  const event = secrets.map((secret) => {
    try {
      return validateEvent(body, headers, secret);
    } catch {
      return null;
    }
  }).find(Boolean);
  return event ? Response.json({ type: event.type }) : new Response("no", { status: 403 });
}
`,
    },
    {
      name: "unsubscribe token check is not webhook code",
      filename: "src/lib/unsubscribe.ts",
      code: `import { createHmac } from "node:crypto";

export function isValidUnsubscribeToken(email: string, token: string) {
  return createHmac("sha256", process.env.UNSUBSCRIBE_SECRET!).update(email).digest("hex") === token;
}
`,
    },
    {
      name: "helper that verifies with the secret its caller loops over",
      filename: STRIPE_ROUTE,
      options: [{ providers: ["stripe"] }],
      code: `const SECRETS = [process.env.STRIPE_WEBHOOK_SECRET!, process.env.STRIPE_WEBHOOK_SECRET_PREVIOUS!];

function tryConstruct(body: string, sig: string, secret: string) {
  try {
    return stripe.webhooks.constructEvent(body, sig, secret);
  } catch {
    return null;
  }
}

export async function POST(req: Request) {
  const body = await req.text();
  const sig = req.headers.get("stripe-signature")!;
  const event = SECRETS.map((secret) => tryConstruct(body, sig, secret)).find(Boolean);
  return event ? Response.json({ id: event.id }) : new Response("no", { status: 400 });
}
`,
    },
    {
      name: "Stripe opted in, but the secret comes from a function the rule cannot see",
      filename: STRIPE_ROUTE,
      options: [{ providers: ["stripe"] }],
      code: `import { getWebhookSecret } from "@/lib/secrets";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, await getWebhookSecret());
  return Response.json({ id: event.id });
}
`,
    },
  ],
  invalid: [
    {
      name: "Lemon Squeezy HMAC against one secret",
      filename: LEMON_ROUTE,
      code: `import crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const hmac = crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!);
  const digest = Buffer.from(hmac.update(rawBody).digest("hex"), "utf8");
  const signature = Buffer.from(request.headers.get("x-signature") ?? "", "utf8");
  if (digest.length !== signature.length || !crypto.timingSafeEqual(digest, signature)) {
    return new Response("Invalid signature", { status: 401 });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "singleSecret",
          line: 5,
          column: 44,
          data: { what: "hand-written HMAC check", secret: "LEMONSQUEEZY_WEBHOOK_SECRET" },
        },
      ],
    },
    {
      name: "seed 002: one Clerk secret through a module constant",
      filename: "pages/api/clerk-webhook.ts",
      code: `import { buffer } from "micro";
import crypto from "crypto";

export const config = { api: { bodyParser: false } };

const CLERK_WEBHOOK_SECRET = process.env.CLERK_WEBHOOK_SECRET as string;

export default async function handler(req, res) {
  const rawBody = await buffer(req);
  const signature = req.headers["clerk-signature"] as string;
  const expectedSignature = crypto.createHmac("sha256", CLERK_WEBHOOK_SECRET).update(rawBody).digest("hex");
  if (signature !== expectedSignature) {
    return res.status(401).json({ error: "Invalid signature" });
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 11, column: 57, data: { what: "hand-written HMAC check", secret: "CLERK_WEBHOOK_SECRET" } }],
    },
    {
      name: "SubtleCrypto HMAC verify in a Convex httpAction with one imported key",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";

export const lemonWebhook = httpAction(async (ctx, request) => {
  const body = await request.text();
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(process.env.LEMONSQUEEZY_WEBHOOK_SECRET!),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signature = hexToBytes(request.headers.get("x-signature") ?? "");
  const ok = await crypto.subtle.verify("HMAC", key, signature, new TextEncoder().encode(body));
  return new Response(null, { status: ok ? 200 : 401 });
});
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 13, column: 49, data: { what: "hand-written HMAC check", secret: "LEMONSQUEEZY_WEBHOOK_SECRET" } }],
    },
    {
      name: "helper verifies with the single secret its caller passes",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

function isValid(raw: string, header: string, secret: string) {
  const [ts, h1] = header.split(";").map((part) => part.split("=")[1]!);
  const expected = createHmac("sha256", secret).update(\`\${ts}:\${raw}\`).digest("hex");
  return timingSafeEqual(Buffer.from(expected), Buffer.from(h1!));
}

export async function POST(req: Request) {
  const raw = await req.text();
  if (!isValid(raw, req.headers.get("paddle-signature") ?? "", process.env.PADDLE_WEBHOOK_SECRET!)) {
    return new Response("no", { status: 401 });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 5, column: 41, data: { what: "hand-written HMAC check", secret: "PADDLE_WEBHOOK_SECRET" } }],
    },
    {
      name: "Stripe opted in: one secret",
      filename: STRIPE_ROUTE,
      options: [{ providers: ["stripe"] }],
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 2, column: 104, data: { what: "Stripe signature check", secret: "STRIPE_WEBHOOK_SECRET" } }],
    },
    {
      name: "Stripe opted in: secret destructured from process.env",
      filename: "src/app/api/webhooks/stripe/route.ts",
      options: [{ providers: ["stripe"] }],
      code: `const { STRIPE_WEBHOOK_SECRET } = process.env;

export async function POST(req: Request) {
  const body = await req.text();
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 5, column: 92, data: { what: "Stripe signature check", secret: "STRIPE_WEBHOOK_SECRET" } }],
    },
    {
      name: "svix opted in: one secret in the constructor",
      filename: "app/api/webhooks/clerk/route.ts",
      options: [{ providers: ["svix"] }],
      code: `import { Webhook } from "svix";

const wh = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!);

export async function POST(req: Request) {
  const evt = wh.verify(await req.text(), Object.fromEntries(req.headers));
  return Response.json(evt);
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 3, column: 24, data: { what: "svix verification", secret: "CLERK_WEBHOOK_SIGNING_SECRET" } }],
    },
    {
      name: "standardwebhooks opted in",
      filename: "app/api/webhooks/polar/route.ts",
      options: [{ providers: ["standardwebhooks"] }],
      code: `import { Webhook } from "standardwebhooks";

export async function POST(req: Request) {
  const secret = Buffer.from(process.env.POLAR_WEBHOOK_SECRET!).toString("base64");
  const event = new Webhook(secret).verify(await req.text(), Object.fromEntries(req.headers));
  return Response.json(event);
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 5, column: 29, data: { what: "Standard Webhooks verification", secret: "POLAR_WEBHOOK_SECRET" } }],
    },
    {
      name: "Polar opted in, with an empty-string fallback",
      filename: "app/api/webhooks/polar/route.ts",
      options: [{ providers: ["polar"] }],
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";

export async function POST(request: Request) {
  const event = validateEvent(await request.text(), Object.fromEntries(request.headers), process.env.POLAR_WEBHOOK_SECRET ?? "");
  return Response.json({ type: event.type });
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 4, column: 90, data: { what: "Polar signature check", secret: "POLAR_WEBHOOK_SECRET" } }],
    },
    {
      name: "Paddle opted in",
      filename: "app/api/webhooks/paddle/route.ts",
      options: [{ providers: ["paddle"] }],
      code: `export async function POST(req: Request) {
  const event = await paddle.webhooks.unmarshal(await req.text(), process.env.PADDLE_WEBHOOK_SECRET!, req.headers.get("paddle-signature")!);
  return Response.json({ type: event.eventType });
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 2, column: 67, data: { what: "Paddle signature check", secret: "PADDLE_WEBHOOK_SECRET" } }],
    },
    {
      name: "Stripe opted in: constructEventAsync on the Edge with a typed env secret",
      filename: STRIPE_ROUTE,
      options: [{ providers: ["stripe"] }],
      code: `import { env } from "@/env";

export const runtime = "edge";

export async function POST(req: Request) {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, env.STRIPE_WEBHOOK_SECRET);
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 6, column: 115, data: { what: "Stripe signature check", secret: "STRIPE_WEBHOOK_SECRET" } }],
    },
    {
      name: "JavaScript Pages handler with one Lemon Squeezy secret",
      filename: "pages/api/webhooks/lemonsqueezy.js",
      code: `import crypto from "crypto";
import { buffer } from "micro";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const raw = await buffer(req);
  const digest = crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET).update(raw).digest("hex");
  if (!crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(req.headers["x-signature"] || ""))) return res.status(401).end();
  res.status(200).end();
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 8, column: 46, data: { what: "hand-written HMAC check", secret: "LEMONSQUEEZY_WEBHOOK_SECRET" } }],
    },
    {
      name: "Express GitHub-style check on a webhook route",
      filename: "server/routes/webhooks.js",
      code: `const crypto = require("crypto");

function verifyHubSignature(req) {
  const expected = "sha256=" + crypto.createHmac("sha256", process.env.GITHUB_WEBHOOK_SECRET).update(req.rawBody).digest("hex");
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(req.get("x-hub-signature-256") || ""));
}

module.exports = { verifyHubSignature };
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 4, column: 60, data: { what: "hand-written HMAC check", secret: "GITHUB_WEBHOOK_SECRET" } }],
    },
    {
      name: "hand-written Stripe-style t=/v1= check with one secret",
      filename: "src/lib/stripe-signature.ts",
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export function verifyStripeSignature(payload: string, header: string) {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=") as [string, string]));
  const expected = createHmac("sha256", process.env.STRIPE_WEBHOOK_SECRET!).update(\`\${parts.t}.\${payload}\`).digest("hex");
  return timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1 ?? ""));
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 5, column: 41, data: { what: "hand-written HMAC check", secret: "STRIPE_WEBHOOK_SECRET" } }],
    },
    {
      name: "hand-written Svix check in a Convex helper with a base64-decoded secret",
      filename: "convex/lib/svix.ts",
      code: `export async function verifySvix(body: string, id: string, ts: string, signatures: string) {
  const secret = process.env.CLERK_WEBHOOK_SECRET!;
  const bytes = Uint8Array.from(atob(secret.split("_")[1]!), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(\`\${id}.\${ts}.\${body}\`));
  const expected = btoa(String.fromCharCode(...new Uint8Array(mac)));
  return signatures.split(" ").some((s) => s.split(",")[1] === expected);
}
`,
      output: null,
      errors: [{ messageId: "singleSecret", line: 5, column: 48, data: { what: "hand-written HMAC check", secret: "CLERK_WEBHOOK_SECRET" } }],
    },
  ],
});

describe("prefer-secret-rotation with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = (options?: unknown[]) => [
    {
      files: ["**/*.js", "**/*.mjs"],
      plugins: { webhook: { rules: { "prefer-secret-rotation": rule as never } } },
      rules: { "webhook/prefer-secret-rotation": (options ? ["error", ...options] : "error") as never },
    },
  ];

  it("reports one secret and accepts a loop over two, opted in for Stripe", () => {
    const single = `export async function POST(req) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  return Response.json({ id: event.id });
}
`;
    const options = [{ providers: ["stripe"] }];
    expect(linter.verify(single, config(options), { filename: "app/api/webhooks/stripe/route.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["singleSecret", 2, 103],
    ]);
    expect(linter.verify(single, config(), { filename: "app/api/webhooks/stripe/route.js" })).toEqual([]);
    const rotating = `const secrets = [process.env.STRIPE_WEBHOOK_SECRET, process.env.STRIPE_WEBHOOK_SECRET_PREVIOUS];
export async function POST(req) {
  const body = await req.text();
  for (const secret of secrets) {
    try {
      return Response.json({ id: stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature"), secret).id });
    } catch {}
  }
  return new Response("Invalid signature", { status: 400 });
}
`;
    expect(linter.verify(rotating, config(options), { filename: "app/api/webhooks/stripe/route.js" })).toEqual([]);
  });
});
