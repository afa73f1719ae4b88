import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/require-webhook-signature.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";
const CLERK_ROUTE = "app/api/webhooks/clerk/route.ts";

ruleTester.run("require-webhook-signature", rule, {
  valid: [
    {
      name: "Stripe's App Router sample: raw text, constructEvent, 400 on failure",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { headers } from "next/headers";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const body = await req.text();
  const signature = (await headers()).get("stripe-signature");
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    return new Response("Webhook Error", { status: 400 });
  }
  switch (event.type) {
    case "checkout.session.completed":
      await fulfillOrder(event.data.object);
      break;
  }
  return Response.json({ received: true });
}
`,
    },
    {
      name: "Clerk's verifyWebhook(req) sample reads the body itself",
      filename: CLERK_ROUTE,
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { NextRequest } from "next/server";

export async function POST(req: NextRequest) {
  try {
    const evt = await verifyWebhook(req);
    if (evt.type === "user.created") {
      await syncUser(evt.data.id);
    }
    return new Response("Webhook received", { status: 200 });
  } catch (err) {
    return new Response("Error verifying webhook", { status: 400 });
  }
}
`,
    },
    {
      name: "Convex httpAction verifying with svix",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { Webhook } from "svix";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();

http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const payload = await request.text();
    const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
    const event = wh.verify(payload, {
      "svix-id": request.headers.get("svix-id")!,
      "svix-timestamp": request.headers.get("svix-timestamp")!,
      "svix-signature": request.headers.get("svix-signature")!,
    }) as { type: string; data: { id: string } };
    await ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
    return new Response(null, { status: 200 });
  }),
});

export default http;
`,
    },
    {
      name: "Convex Stripe template: the httpAction hands body and signature to a verifying action",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();

http.route({
  path: "/stripe",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const signature = request.headers.get("stripe-signature") as string;
    const result = await ctx.runAction(internal.stripe.fulfill, {
      signature,
      payload: await request.text(),
    });
    return new Response(null, { status: result.success ? 200 : 400 });
  }),
});

export default http;
`,
    },
    {
      name: "Polar's Webhooks() helper verifies by itself",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { Webhooks } from "@polar-sh/nextjs";

export const POST = Webhooks({
  webhookSecret: process.env.POLAR_WEBHOOK_SECRET!,
  onPayload: async (payload) => {
    if (payload.type === "order.paid") await grantAccess(payload.data);
  },
});
`,
    },
    {
      name: "handler that forwards the raw request to a verified SDK handler",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { Webhooks } from "@polar-sh/nextjs";

const handler = Webhooks({ webhookSecret: process.env.POLAR_WEBHOOK_SECRET!, onPayload: handlePolarEvent });

export async function POST(req: Request) {
  return handler(req);
}
`,
    },
    {
      name: "helper in another file verifies: its name says so and it gets the request",
      filename: STRIPE_ROUTE,
      code: `import { verifyStripeWebhook } from "@/lib/stripe";
import { api } from "@/convex/_generated/api";
import { fetchMutation } from "convex/nextjs";

export async function POST(req: Request) {
  const event = await verifyStripeWebhook(req);
  if (!event) return new Response("Invalid signature", { status: 400 });
  if (event.type === "customer.subscription.updated") {
    await fetchMutation(api.billing.syncSubscription, { subscription: event.data.object });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "a JSON route that is not a webhook",
      filename: "app/api/todos/route.ts",
      code: `import { auth } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const { userId } = await auth();
  const { title } = await req.json();
  await db.todo.create({ data: { title, userId } });
  return Response.json({ ok: true });
}
`,
    },
    {
      name: "jwt.verify in an API route is not a webhook verification, and the route is no webhook",
      filename: "app/api/session/route.ts",
      code: `import jwt from "jsonwebtoken";

export async function POST(req: Request) {
  const { token } = await req.json();
  const claims = jwt.verify(token, process.env.JWT_SECRET!);
  return Response.json({ claims });
}
`,
    },
    {
      name: "GitHub webhooks are out of scope without configured verifiers",
      filename: "app/api/webhooks/github/route.ts",
      code: `export async function POST(req: Request) {
  const event = req.headers.get("x-github-event");
  const payload = await req.json();
  if (event === "push") await triggerDeploy(payload.ref);
  return new Response("ok");
}
`,
    },
    {
      name: "Resend webhook (signed by Svix) is out of scope",
      filename: "app/api/webhooks/resend/route.ts",
      code: `export async function POST(req: Request) {
  const id = req.headers.get("svix-id");
  const event = await req.json();
  if (event.type === "email.bounced") await markBounced(event.data.to, id);
  return new Response("ok");
}
`,
    },
    {
      name: "Lemon Squeezy HMAC of the raw body compared in constant time",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const hmac = crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!);
  const digest = Buffer.from(hmac.update(rawBody).digest("hex"), "utf8");
  const signature = Buffer.from(request.headers.get("x-signature") ?? "", "utf8");
  if (digest.length !== signature.length || !crypto.timingSafeEqual(digest, signature)) {
    return new Response("Invalid signature", { status: 401 });
  }
  const payload = JSON.parse(rawBody);
  if (payload.meta.event_name === "subscription_created") await createSubscription(payload.data);
  return new Response("ok");
}
`,
    },
    {
      name: "Clerk webhook verified by hand with the real Svix headers",
      filename: CLERK_ROUTE,
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export async function POST(req: Request) {
  const body = await req.text();
  const id = req.headers.get("svix-id")!;
  const timestamp = req.headers.get("svix-timestamp")!;
  const signatures = req.headers.get("svix-signature")!.split(" ");
  const key = Buffer.from(process.env.CLERK_WEBHOOK_SECRET!.split("_")[1]!, "base64");
  const expected = createHmac("sha256", key).update(\`\${id}.\${timestamp}.\${body}\`).digest("base64");
  const ok = signatures.some((s) => {
    const sig = Buffer.from(s.split(",")[1] ?? "");
    return sig.length === expected.length && timingSafeEqual(sig, Buffer.from(expected));
  });
  if (!ok) return new Response("bad signature", { status: 400 });
  const evt = JSON.parse(body);
  if (evt.type === "user.created") await createUser(evt.data);
  return new Response("ok");
}
`,
    },
    {
      name: "seed 003: multi-secret loop",
      filename: STRIPE_ROUTE,
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
      name: "Convex action with \"use node\" may use the sync constructEvent",
      filename: "convex/stripe.ts",
      code: `"use node";
import Stripe from "stripe";
import { v } from "convex/values";
import { internalAction } from "./_generated/server";

const stripe = new Stripe(process.env.STRIPE_KEY!);

export const fulfill = internalAction({
  args: { signature: v.string(), payload: v.string() },
  handler: async (ctx, { signature, payload }) => {
    const event = stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOKS_SECRET!);
    return { success: event.type.length > 0 };
  },
});
`,
    },
    {
      name: "constructEventAsync on the Edge",
      filename: STRIPE_ROUTE,
      code: `export const runtime = "edge";

export async function POST(req: Request) {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, secret, 600);
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "suggested output: awaited constructEventAsync inside an httpAction",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";

export const stripeWebhook = httpAction(async (ctx, request) => {
  const event = await stripe.webhooks.constructEventAsync(await request.text(), request.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return new Response(event.id);
});
`,
    },
    {
      name: "suggested output: parenthesised await of constructEventAsync on the Edge",
      filename: STRIPE_ROUTE,
      code: `export const runtime = "edge";

export async function POST(req: Request) {
  const type = (await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, secret)).type;
  return Response.json({ type });
}
`,
    },
    {
      name: "Pages Router JavaScript handler with micro's buffer()",
      filename: "pages/api/webhooks/stripe.js",
      code: `import { buffer } from "micro";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const buf = await buffer(req);
  let event;
  try {
    event = stripe.webhooks.constructEvent(buf, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(\`Webhook Error: \${err.message}\`);
  }
  if (event.type === "invoice.paid") await markPaid(event.data.object);
  res.json({ received: true });
}
`,
    },
    {
      name: "internal event relay authenticated with a shared secret header",
      filename: "app/api/webhooks/internal/route.ts",
      code: `export async function POST(req: Request) {
  if (req.headers.get("authorization") !== \`Bearer \${process.env.INTERNAL_WEBHOOK_SECRET}\`) {
    return new Response("Unauthorized", { status: 401 });
  }
  const event = await req.json();
  if (event.type === "customer.subscription.deleted") await downgrade(event.data.object.customer);
  return new Response("ok");
}
`,
    },
    {
      name: "configured verifier for a provider the rule does not know",
      filename: "app/api/webhooks/shopify/route.ts",
      settings: { webhook: { verifiers: ["verifyShopifyHmac"] } },
      code: `export async function POST(req: Request) {
  const raw = await req.text();
  if (!verifyShopifyHmac(raw, req.headers.get("x-shopify-hmac-sha256"))) return new Response("no", { status: 401 });
  await handleOrder(JSON.parse(raw));
  return new Response("ok");
}
`,
    },
    {
      name: "GET on a webhook path (health check)",
      filename: STRIPE_ROUTE,
      code: `export async function GET(req: Request) {
  const url = new URL(req.url);
  return Response.json({ ok: true, path: url.pathname, body: await req.text() });
}
`,
    },
    {
      name: "verification first, then the Convex mutation",
      filename: STRIPE_ROUTE,
      code: `import { ConvexHttpClient } from "convex/browser";
import { api } from "@/convex/_generated/api";

const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);

export async function POST(req: Request) {
  const body = await req.text();
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  await convex.mutation(api.billing.handleStripeEvent, { eventId: event.id, type: event.type, payload: event.data.object });
  return new Response("ok");
}
`,
    },
    {
      name: "the event is fetched again from Stripe's API instead of trusting the body",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const { id } = await req.json();
  const event = await stripe.events.retrieve(id);
  if (event.type === "invoice.paid") await markPaid(event.data.object.id);
  return new Response("ok");
}
`,
    },
    {
      name: "Clerk's Svix scheme checked by hand in a same-file helper",
      filename: "src/app/api/webhooks/clerk/route.ts",
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

function verifySvix(body: string, headers: Headers): boolean {
  const id = headers.get("svix-id") ?? "";
  const ts = headers.get("svix-timestamp") ?? "";
  const key = Buffer.from((process.env.CLERK_WEBHOOK_SECRET ?? "").replace("whsec_", ""), "base64");
  const expected = Buffer.from(createHmac("sha256", key).update(\`\${id}.\${ts}.\${body}\`).digest("base64"));
  return (headers.get("svix-signature") ?? "").split(" ").some((entry) => {
    const given = Buffer.from(entry.split(",")[1] ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function POST(req: Request) {
  const body = await req.text();
  if (!verifySvix(body, req.headers)) return new Response("Invalid signature", { status: 400 });
  const evt = JSON.parse(body);
  if (evt.type === "user.deleted") await deleteUser(evt.data.id);
  return new Response("ok");
}
`,
    },
    {
      name: "handler wrapped by a verifying higher-order function",
      filename: STRIPE_ROUTE,
      code: `import { withStripeWebhook } from "@/lib/stripe/with-webhook";

export const POST = withStripeWebhook(async (req: Request) => {
  const event = await req.json();
  if (event.type === "invoice.paid") await markPaid(event.data.object.id);
  return new Response("ok");
});
`,
    },
    {
      name: "a reducer-like switch in a non-route module",
      filename: "src/lib/webhooks/reducer.ts",
      code: `export function reduce(state, event) {
  switch (event.type) {
    case "user.created":
      return { ...state, users: state.users + 1 };
    default:
      return state;
  }
}
`,
    },
    {
      name: "Kinde signs its webhooks as JWTs: the raw body verified with jwt.verify and a JWKS key",
      filename: "app/api/kinde-webhook/route.js",
      code: `import { NextResponse } from "next/server";
import jwksClient from "jwks-rsa";
import jwt from "jsonwebtoken";

const client = jwksClient({ jwksUri: \`\${process.env.KINDE_ISSUER_URL}/.well-known/jwks.json\` });

export async function POST(req) {
  try {
    const token = await req.text();
    const { header } = jwt.decode(token, { complete: true });
    const key = await client.getSigningKey(header.kid);
    const event = jwt.verify(token, key.getPublicKey());
    if (event.type === "user.created") await createUser(event.data.user);
  } catch (err) {
    return NextResponse.json({ message: err.message }, { status: 400 });
  }
  return NextResponse.json({ status: 200 });
}
`,
    },
    {
      name: "a signed JWT body verified with jose's jwtVerify",
      filename: "app/api/webhooks/route.ts",
      code: `import { createRemoteJWKSet, jwtVerify } from "jose";

const jwks = createRemoteJWKSet(new URL(\`\${process.env.AUTH_ISSUER_URL}/.well-known/jwks.json\`));

export async function POST(req: Request) {
  const { payload } = await jwtVerify(await req.text(), jwks);
  if (payload.type === "user.deleted") await deleteUser(String(payload.sub));
  return new Response("ok");
}
`,
    },
    {
      name: "Supabase Edge Function: constructEventAsync with the SubtleCrypto provider",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `import Stripe from "https://esm.sh/stripe@14.21.0";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
const cryptoProvider = Stripe.createSubtleCryptoProvider();

Deno.serve(async (req) => {
  const event = await stripe.webhooks.constructEventAsync(
    await req.text(),
    req.headers.get("stripe-signature")!,
    Deno.env.get("STRIPE_WEBHOOK_SECRET")!,
    undefined,
    cryptoProvider,
  );
  return new Response(event.id);
});
`,
    },
    {
      name: "suggested output: Deno constructEventAsync with Stripe.createSubtleCryptoProvider()",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `import Stripe from "https://esm.sh/stripe@14.21.0";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
Deno.serve(async (req) => {
  const body = await req.text();
  const event = await stripe.webhooks.constructEventAsync(body, req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!, undefined, Stripe.createSubtleCryptoProvider());
  return new Response(event.id);
});
`,
    },
  ],
  invalid: [
    {
      name: "Stripe events handled from req.json() without verification",
      filename: STRIPE_ROUTE,
      code: `import { NextResponse } from "next/server";

export async function POST(req: Request) {
  const event = await req.json();
  switch (event.type) {
    case "checkout.session.completed":
      await activatePlan(event.data.object.client_reference_id);
      break;
  }
  return NextResponse.json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "missingVerification", line: 4, column: 23 }],
    },
    {
      name: "Clerk events synced to Convex without verification",
      filename: CLERK_ROUTE,
      code: `import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const payload = await req.json();
  const { type, data } = payload;
  if (type === "user.created") {
    await fetchMutation(api.users.create, { clerkId: data.id });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "missingVerification", line: 5, column: 25 }],
    },
    {
      name: "Convex httpAction for Clerk that trusts the body",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();

http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await request.json();
    await ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
    return new Response(null, { status: 200 });
  }),
});

export default http;
`,
      output: null,
      errors: [{ messageId: "missingVerification", line: 11, column: 25 }],
    },
    {
      name: "Pages Router JavaScript handler acting on req.body",
      filename: "pages/api/webhooks/stripe.js",
      code: `export default async function handler(req, res) {
  const event = req.body;
  if (event.type === "invoice.payment_failed") {
    await notifyCustomer(event.data.object.customer);
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "missingVerification", line: 2, column: 17 }],
    },
    {
      name: "seed 002: hand-rolled HMAC with a made-up clerk-signature header",
      filename: "pages/api/clerk-webhook.ts",
      code: `import { WebhookEvent } from "@clerk/nextjs/server";
import { buffer } from "micro";
import crypto from "crypto";
import { NextApiRequest, NextApiResponse } from "next";

export const config = { api: { bodyParser: false } };

const CLERK_WEBHOOK_SECRET = process.env.CLERK_WEBHOOK_SECRET as string;

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    return res.status(405).json({ error: "Method not allowed" });
  }
  const rawBody = await buffer(req);
  const signature = req.headers["clerk-signature"] as string;
  const expectedSignature = crypto.createHmac("sha256", CLERK_WEBHOOK_SECRET).update(rawBody).digest("hex");
  if (signature !== expectedSignature) {
    return res.status(401).json({ error: "Invalid signature" });
  }
  const event: WebhookEvent = JSON.parse(rawBody.toString());
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "wrongSvixScheme", line: 16, column: 29, data: { provider: "Clerk", header: "the `clerk-signature` header" } }],
    },
    {
      name: "App Router Clerk route hand-rolling HMAC in constant time, still the wrong scheme",
      filename: CLERK_ROUTE,
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export async function POST(req: Request) {
  const body = await req.text();
  const given = Buffer.from(req.headers.get("x-clerk-signature") ?? "");
  const expected = Buffer.from(createHmac("sha256", process.env.CLERK_WEBHOOK_SECRET!).update(body).digest("hex"));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return new Response("bad", { status: 401 });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "wrongSvixScheme", line: 6, column: 32, data: { provider: "Clerk", header: "the `x-clerk-signature` header" } }],
    },
    {
      name: "Convex mutation with the body before constructEvent",
      filename: STRIPE_ROUTE,
      code: `import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const body = await req.text();
  await fetchMutation(api.webhooks.logDelivery, { body });
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return new Response(event.id);
}
`,
      output: null,
      errors: [{ messageId: "actedBeforeVerification", line: 6, column: 9, data: { effect: "Convex mutation", line: "7" } }],
    },
    {
      name: "body forwarded with fetch before svix verification",
      filename: CLERK_ROUTE,
      code: `import { Webhook } from "svix";

export async function POST(req: Request) {
  const payload = await req.text();
  await fetch(process.env.ANALYTICS_URL!, { method: "POST", body: payload });
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!);
  const evt = wh.verify(payload, Object.fromEntries(req.headers));
  return Response.json({ ok: !!evt });
}
`,
      output: null,
      errors: [{ messageId: "actedBeforeVerification", line: 5, column: 9, data: { effect: "fetch call", line: "7" } }],
    },
    {
      name: "database write before the Polar verification",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";

export async function POST(request: Request) {
  const raw = await request.text();
  const parsed = JSON.parse(raw);
  await prisma.order.upsert({ where: { id: parsed.data.id }, create: parsed.data, update: parsed.data });
  const event = validateEvent(raw, Object.fromEntries(request.headers), process.env.POLAR_WEBHOOK_SECRET!);
  return new Response(event.type);
}
`,
      output: null,
      errors: [{ messageId: "actedBeforeVerification", line: 6, column: 9, data: { effect: "database write", line: "7" } }],
    },
    {
      name: "tolerance 0 switches off replay protection",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!, 0);
  return new Response(event.id);
}
`,
      output: null,
      errors: [{ messageId: "toleranceDisabled", line: 2, column: 140, data: { value: "0" } }],
    },
    {
      name: "negative tolerance through a constant",
      filename: "src/lib/stripe-webhook.ts",
      code: `const NO_TOLERANCE = -1;

export function readStripeEvent(body: string, signature: string) {
  return stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!, NO_TOLERANCE);
}
`,
      output: null,
      errors: [{ messageId: "toleranceDisabled", line: 4, column: 94, data: { value: "-1" } }],
    },
    {
      name: "sync constructEvent in a Convex httpAction",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";

export const stripeWebhook = httpAction(async (ctx, request) => {
  const event = stripe.webhooks.constructEvent(await request.text(), request.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return new Response(event.id);
});
`,
      output: null,
      errors: [
        {
          messageId: "syncVerifierInRuntime",
          line: 4,
          column: 33,
          data: { method: "constructEvent", runtime: "default Convex runtime", replacement: "stripe.webhooks.constructEventAsync" },
          suggestions: [
            {
              messageId: "useAsyncVerifier",
              data: { replacement: "stripe.webhooks.constructEventAsync" },
              output: `import { httpAction } from "./_generated/server";

export const stripeWebhook = httpAction(async (ctx, request) => {
  const event = await stripe.webhooks.constructEventAsync(await request.text(), request.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return new Response(event.id);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "sync constructEvent in a Supabase Edge Function (Deno)",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `import Stripe from "https://esm.sh/stripe@14.21.0";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
Deno.serve(async (req) => {
  const body = await req.text();
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  return new Response(event.id);
});
`,
      output: null,
      errors: [
        {
          messageId: "syncVerifierInDeno",
          line: 5,
          column: 33,
          data: { method: "constructEvent", replacement: "stripe.webhooks.constructEventAsync", provider: "Stripe.createSubtleCryptoProvider()" },
          suggestions: [
            {
              messageId: "useAsyncVerifierWithProvider",
              data: { replacement: "stripe.webhooks.constructEventAsync", provider: "Stripe.createSubtleCryptoProvider()" },
              output: `import Stripe from "https://esm.sh/stripe@14.21.0";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
Deno.serve(async (req) => {
  const body = await req.text();
  const event = await stripe.webhooks.constructEventAsync(body, req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!, undefined, Stripe.createSubtleCryptoProvider());
  return new Response(event.id);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "sync constructEvent in a shared Supabase function module with an npm: import",
      filename: "supabase/functions/_shared/stripe.ts",
      code: `import StripeSDK from "npm:stripe@17";

export const stripe = new StripeSDK(Deno.env.get("STRIPE_SECRET_KEY")!);

export function readEvent(body: string, signature: string) {
  return stripe.webhooks.constructEvent(body, signature, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
}
`,
      output: null,
      errors: [
        {
          messageId: "syncVerifierInDeno",
          line: 6,
          column: 26,
          data: { method: "constructEvent", replacement: "stripe.webhooks.constructEventAsync", provider: "StripeSDK.createSubtleCryptoProvider()" },
          suggestions: [],
        },
      ],
    },
    {
      name: "sync constructEvent on the Edge, used as an operand",
      filename: STRIPE_ROUTE,
      code: `export const runtime = "edge";

export async function POST(req: Request) {
  const type = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret).type;
  return Response.json({ type });
}
`,
      output: null,
      errors: [
        {
          messageId: "syncVerifierInRuntime",
          line: 4,
          column: 32,
          data: { method: "constructEvent", runtime: "Edge runtime", replacement: "stripe.webhooks.constructEventAsync" },
          suggestions: [
            {
              messageId: "useAsyncVerifier",
              data: { replacement: "stripe.webhooks.constructEventAsync" },
              output: `export const runtime = "edge";

export async function POST(req: Request) {
  const type = (await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, secret)).type;
  return Response.json({ type });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "sync constructEvent on the Edge inside a sync helper: no suggestion",
      filename: "app/api/stripe/events/route.ts",
      code: `export const runtime = "edge";

function readEvent(body: string, signature: string) {
  return getStripe().webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
}

export async function POST(req: Request) {
  const event = readEvent(await req.text(), req.headers.get("stripe-signature")!);
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "syncVerifierInRuntime", line: 4, column: 31, suggestions: [] }],
    },
    {
      name: "a JWT field of the parsed body is verified, the rest of the body is not",
      filename: CLERK_ROUTE,
      code: `import jwt from "jsonwebtoken";

export async function POST(req: Request) {
  const { token, data } = await req.json();
  jwt.verify(token, process.env.CLERK_JWT_KEY!);
  if (data.type === "user.created") await createUser(data.data);
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "missingVerification",
          line: 4,
          column: 33,
          data: {
            handler: "Clerk webhook handler",
            advice: "`verifyWebhook(req)` from `@clerk/nextjs/webhooks` (or svix's `new Webhook(secret).verify(rawBody, headers)`)",
          },
        },
      ],
    },
    {
      name: "Polar events without validateEvent",
      filename: "app/api/webhooks/polar/route.ts",
      code: `export async function POST(req: Request) {
  const body = await req.json();
  if (body.type === "order.paid") {
    await grantAccess(body.data.customer.external_id);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "missingVerification",
          line: 2,
          column: 22,
          data: { handler: "Polar webhook handler", advice: "`validateEvent(rawBody, headers, secret)` from `@polar-sh/sdk/webhooks`" },
        },
      ],
    },
    {
      name: "Lemon Squeezy events without the X-Signature check",
      filename: "src/app/api/webhooks/lemon-squeezy/route.ts",
      code: `export async function POST(request: Request) {
  const payload = await request.json();
  if (payload.meta.event_name === "subscription_created") {
    await createSubscription(payload.meta.custom_data.user_id, payload.data);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "missingVerification",
          line: 2,
          column: 25,
          data: {
            handler: "Lemon Squeezy webhook handler",
            advice: "an HMAC-SHA256 of the raw body compared in constant time with the `X-Signature` header",
          },
        },
      ],
    },
    {
      name: "configured verifiers bring other providers into scope",
      filename: "app/api/webhooks/github/route.ts",
      settings: { webhook: { verifiers: ["verifyGithubSignature"] } },
      code: `export async function POST(req: Request) {
  const payload = await req.json();
  await enqueueBuild(payload.repository.full_name);
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "missingVerification",
          line: 2,
          column: 25,
          data: { handler: "webhook handler", advice: "the provider's SDK (or a function listed in `settings.webhook.verifiers`)" },
        },
      ],
    },
    {
      name: "Express route on a webhook path",
      filename: "server/index.js",
      code: `const express = require("express");
const app = express();

app.post("/webhooks/stripe", express.json(), async (req, res) => {
  const event = req.body;
  if (event.type === "payment_intent.succeeded") await shipOrder(event.data.object.metadata.orderId);
  res.sendStatus(200);
});
`,
      output: null,
      errors: [{ messageId: "missingVerification", line: 5, column: 17 }],
    },
  ],
});

describe("require-webhook-signature with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = (options?: unknown[]) => [
    {
      files: ["**/*.js", "**/*.mjs"],
      plugins: { webhook: { rules: { "require-webhook-signature": rule as never } } },
      rules: { "webhook/require-webhook-signature": (options ? ["error", ...options] : "error") as never },
    },
  ];

  it("reports an unverified Pages handler and a sync constructEvent in an httpAction, and leaves the verified one alone", () => {
    const unverified = `export default async function handler(req, res) {
  const event = req.body;
  if (event.type === "customer.subscription.deleted") await cancel(event.data.object.id);
  res.status(200).end();
}
`;
    expect(linter.verify(unverified, config(), { filename: "pages/api/webhooks/stripe.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["missingVerification", 2, 17],
    ]);
    const sync = `import { httpAction } from "./_generated/server";

export const stripeWebhook = httpAction(async (ctx, request) => {
  const event = stripe.webhooks.constructEvent(await request.text(), request.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  return new Response(event.id);
});
`;
    expect(linter.verify(sync, config(), { filename: "convex/http.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["syncVerifierInRuntime", 4, 33],
    ]);
    const verified = `export async function POST(req) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === "invoice.paid") await markPaid(event.data.object.id);
  return new Response("ok");
}
`;
    expect(linter.verify(verified, config(), { filename: "app/api/webhooks/stripe/route.mjs" })).toEqual([]);
  });
});
