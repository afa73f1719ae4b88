import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/require-accurate-ack.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";

/** Stripe's official App Router sample, shortened: 400 on a bad signature, 500 when processing fails. */
const STRIPE_SAMPLE = `import { NextResponse } from "next/server";
import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature") as string, process.env.STRIPE_WEBHOOK_SECRET as string);
  } catch (err) {
    const message = err instanceof Error ? err.message : "Unknown error";
    return NextResponse.json({ message: \`Webhook Error: \${message}\` }, { status: 400 });
  }
  try {
    switch (event.type) {
      case "checkout.session.completed":
        await fulfillCheckout(event.data.object.id);
        break;
      default:
        throw new Error(\`Unhandled event: \${event.type}\`);
    }
  } catch (error) {
    console.log(error);
    return NextResponse.json({ message: "Webhook handler failed" }, { status: 500 });
  }
  return NextResponse.json({ message: "Received" }, { status: 200 });
}
`;

ruleTester.run("require-accurate-ack", rule, {
  valid: [
    {
      name: "Stripe's App Router sample: 400 for a bad signature, 500 when processing fails",
      filename: STRIPE_ROUTE,
      code: STRIPE_SAMPLE,
    },
    {
      name: "seed 003: multi-secret loop, then 400 when no secret verified",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const secrets = [process.env.STRIPE_WEBHOOK_SECRET_LIVE?.trim(), process.env.STRIPE_WEBHOOK_SECRET_PREVIOUS?.trim()].filter((v): v is string => !!v);

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("Stripe-Signature");
  if (!signature) return new Response("No signature", { status: 400 });
  let event: Stripe.Event | null = null;
  for (const secret of secrets) {
    try {
      event = stripe.webhooks.constructEvent(body, signature, secret);
      break;
    } catch (err) { /* try the next secret */ }
  }
  if (!event) return new Response("Invalid signature", { status: 400 });
  return new Response("ok");
}
`,
    },
    {
      name: "seed 003: an unresolved identity is logged and answered with 200",
      filename: STRIPE_ROUTE,
      code: `import { ConvexHttpClient } from "convex/browser";
import { api } from "@/convex/_generated/api";
const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);

export async function POST(req: Request) {
  const event = await verify(req);
  const session = event.data.object;
  const result = await convex.mutation(api.billing.handleStripeEvent, {
    eventId: event.id,
    type: event.type,
    payload: session,
    clerkUserId: session.metadata?.clerkUserId,
  });
  if (result.status === "unresolved_identity") {
    console.error(\`Alert: Unresolvable identity for event \${event.id}\`);
    return new Response("Event Logged: Identity Unresolved", { status: 200 });
  }
  return new Response("ok", { status: 200 });
}
`,
    },
    {
      name: "Clerk's verifyWebhook sample answers 400 when verification fails",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import type { NextRequest } from "next/server";

export async function POST(req: NextRequest) {
  try {
    const evt = await verifyWebhook(req);
    console.log(\`Received webhook with ID \${evt.data.id} and event type of \${evt.type}\`);
    return new Response("Webhook received", { status: 200 });
  } catch (err) {
    console.error("Error verifying webhook:", err);
    return new Response("Error verifying webhook", { status: 400 });
  }
}
`,
    },
    {
      name: "a transient database error answers 500 so the provider retries",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";
import { db } from "@/lib/db";

export async function POST(request: Request) {
  const event = validateEvent(await request.text(), Object.fromEntries(request.headers), process.env.POLAR_WEBHOOK_SECRET!);
  try {
    await db.subscription.upsert({ where: { id: event.data.id }, create: { id: event.data.id }, update: {} });
  } catch (error) {
    console.error("db write failed", error);
    return Response.json({ error: "Temporary failure" }, { status: 500 });
  }
  return Response.json({ received: true });
}
`,
    },
    {
      name: "a catch that records the failed event in a dead-letter table before answering 200",
      filename: STRIPE_ROUTE,
      code: `import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  try {
    await fetchMutation(api.billing.applyEvent, { eventId: event.id, payload: event.data.object });
  } catch (err) {
    await fetchMutation(api.webhooks.recordFailure, { eventId: event.id, error: String(err) });
    return NextResponse.json({ received: true, deferred: true });
  }
  return NextResponse.json({ received: true });
}
`,
    },
    {
      name: "a catch that answers 200 only for duplicates and rethrows the rest",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const payload = await verifyLemonSqueezy(req);
  try {
    await prisma.webhookEvent.create({ data: { id: payload.meta.webhook_id, body: payload } });
  } catch (err: any) {
    if (err.code === "P2002") return Response.json({ received: true, duplicate: true });
    throw err;
  }
  return Response.json({ received: true });
}
`,
    },
    {
      name: "a best-effort notification email may fail without failing the event",
      filename: STRIPE_ROUTE,
      code: `import { NextResponse } from "next/server";
import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  await recordPayment(event);
  try {
    await resend.emails.send({ from: "billing@acme.dev", to: "ops@acme.dev", subject: "New payment", text: event.id });
  } catch (err) {
    console.warn("notification failed", err);
  }
  return NextResponse.json({ received: true });
}
`,
    },
    {
      name: "a swallowed best-effort write followed by the real processing",
      filename: STRIPE_ROUTE,
      code: `import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  try {
    await db.auditLog.create({ data: { kind: "stripe", eventId: event.id } });
  } catch (err) {
    console.warn("audit log failed", err);
  }
  await fetchMutation(api.billing.applyEvent, { eventId: event.id, payload: event.data.object });
  return Response.json({ received: true });
}
`,
    },
    {
      name: "an ordinary API route may answer 401 when the signed-in user is missing",
      filename: "app/api/projects/route.ts",
      code: `import { auth } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const { userId } = await auth();
  if (!userId) return new Response("Unauthorized", { status: 401 });
  try {
    return Response.json(await createProject(userId, await req.json()));
  } catch (err) {
    return Response.json({ ok: true });
  }
}
`,
    },
    {
      name: "an admin replay endpoint under /webhooks checks the session user, not an event identity",
      filename: "app/api/webhooks/replay/route.ts",
      code: `import { auth } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const { userId } = await auth();
  if (!userId) return new Response("Unauthorized", { status: 401 });
  const { eventId } = await req.json();
  await replayStripeEvent(eventId);
  return new Response("queued", { status: 202 });
}
`,
    },
    {
      name: "return await inside try lets the catch see the rejection",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await validateRequest(request);
    if (!event) return new Response("Error occured", { status: 400 });
    try {
      return await ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
    } catch (err) {
      return new Response("Retry later", { status: 500 });
    }
  }),
});
export default http;
`,
    },
    {
      name: "seed 002 Pages handler: 401 on a signature mismatch, 200 at the end (JavaScript)",
      filename: "pages/api/clerk-webhook.js",
      code: `import { buffer } from "micro";
import crypto from "crypto";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  if (req.method !== "POST") return res.status(405).json({ error: "Method not allowed" });
  const rawBody = await buffer(req);
  const signature = req.headers["clerk-signature"];
  const expectedSignature = crypto.createHmac("sha256", process.env.CLERK_WEBHOOK_SECRET).update(rawBody).digest("hex");
  if (signature !== expectedSignature) {
    return res.status(401).json({ error: "Invalid signature" });
  }
  const event = JSON.parse(rawBody.toString());
  console.log("event", event.type);
  res.status(200).json({ received: true });
}
`,
    },
    {
      name: "a try/catch that answers 200 in a data-fetching helper is not a webhook handler",
      filename: "lib/fetcher.ts",
      code: `export async function loadPlans() {
  try {
    return await fetch("/api/plans").then((r) => r.json());
  } catch (err) {
    return new Response("[]", { status: 200 });
  }
}
`,
    },
    {
      name: "a server action swallowing errors is not a webhook acknowledgement",
      filename: "app/billing/actions.ts",
      code: `"use server";
import { stripe } from "@/lib/stripe";

export async function cancelPlan(subscriptionId: string) {
  try {
    await stripe.subscriptions.cancel(subscriptionId);
  } catch (err) {
    console.error(err);
    return Response.json({ ok: false });
  }
  return Response.json({ ok: true });
}
`,
    },
    {
      name: "Hono webhook route answering 400 when the signature fails",
      filename: "src/server.ts",
      code: `import { Hono } from "hono";
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = new Hono();

app.post("/webhooks/stripe", async (c) => {
  const signature = c.req.header("stripe-signature");
  try {
    const event = await stripe.webhooks.constructEventAsync(await c.req.text(), signature!, process.env.STRIPE_WEBHOOK_SECRET!);
    await handleEvent(event);
    return c.json({ received: true });
  } catch (err) {
    return c.json({ error: "Webhook Error" }, 400);
  }
});
export default app;
`,
    },
    {
      name: "Convex Stripe template: the action verifies, 400 unless it succeeded",
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
    const result = await ctx.runAction(internal.stripe.fulfill, { signature, payload: await request.text() });
    if (result.success) {
      return new Response(null, { status: 200 });
    }
    return new Response("Webhook Error", { status: 400 });
  }),
});
export default http;
`,
    },
    {
      name: "an unknown customer is acknowledged with 200 after alerting",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `export async function POST(request: Request) {
  const event = await unmarshalPaddle(request);
  const customer = await findCustomer(event.data.customerId);
  if (!customer) {
    await alertOps(\`Unknown Paddle customer \${event.data.customerId}\`);
    return Response.json({ received: true });
  }
  await applyTransaction(customer, event);
  return Response.json({ received: true });
}
`,
    },
    {
      name: "suggested fix: 400 from the verification catch",
      filename: STRIPE_ROUTE,
      code: `import { NextResponse } from "next/server";
import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    console.error(err);
    return NextResponse.json({ received: true }, { status: 400 });
  }
  await fulfill(event);
  return NextResponse.json({ received: true });
}
`,
    },
    {
      name: "suggested fix: 200 for a user that cannot be found",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  const session = event.data.object as { client_reference_id: string | null };
  const user = await db.user.findUnique({ where: { id: session.client_reference_id ?? "" } });
  if (!user) return new Response("User not found", { status: 200 });
  await db.user.update({ where: { id: user.id }, data: { plan: "pro" } });
  return new Response("ok");
}
`,
    },
    {
      name: "suggested fix: return await inside try",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  try {
    return await handleEvent(event);
  } catch (err) {
    console.error(err);
    return new Response("Webhook handler failed", { status: 500 });
  }
}

async function handleEvent(event: { type: string }) {
  await recordEvent(event);
  return new Response("ok");
}
`,
    },
    {
      name: "an inbound webhook that authenticates its sender by API key may answer 401",
      filename: "app/api/webhooks/inbound/route.ts",
      code: `import { db } from "@/lib/db";

export async function POST(req: Request) {
  const account = await db.account.findFirst({ where: { apiKey: req.headers.get("x-api-key") ?? "" } });
  if (!account) return new Response("Unauthorized", { status: 401 });
  await db.inboundEvent.create({ data: { accountId: account.id, body: await req.text() } });
  return new Response("ok");
}
`,
    },
    {
      name: "event types the handler ignores are acknowledged with 200",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type !== "user.created") return new Response("Ignored", { status: 200 });
  await createUser(evt.data.id);
  return new Response("ok");
}
`,
    },
    {
      name: "a switch default that logs and falls through to 200",
      filename: "app/api/webhooks/polar/route.ts",
      code: `export async function POST(req: Request) {
  const event = await verifyPolar(req);
  switch (event.type) {
    case "order.paid":
      await fulfillOrder(event.data);
      break;
    default:
      console.log(\`Unhandled Polar event \${event.type}\`);
  }
  if (req.method !== "POST") return new Response("Method not allowed", { status: 405 });
  return Response.json({ received: true });
}
`,
    },
    {
      name: "suggested fix: 200 for an unhandled event type",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  switch (event.type) {
    case "invoice.paid":
      await extendAccess(event.data.object);
      break;
    default:
      return new Response(\`Unhandled event type \${event.type}\`, { status: 200 });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "a helper that picks a verified email address is not a signature check",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { verifiedWelcomeEmail } from "@/lib/welcome";
import { sendWelcome } from "@/lib/email";

export async function POST(req: Request) {
  let event;
  try {
    event = await verifyWebhook(req);
  } catch {
    return new Response("bad sig", { status: 401 });
  }
  const email = verifiedWelcomeEmail(event.data.email_addresses ?? []);
  if (!email) return Response.json({ ok: true, waitingForVerifiedEmail: true });
  const checked = validateEmailAddress(email);
  if (!checked) return Response.json({ ok: true });
  await sendWelcome(email);
  return Response.json({ ok: true });
}
`,
    },
    {
      name: "a failed mark-processed write after the work is a side step: the event was processed",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  await fetchMutation(api.billing.apply, { eventId: event.id });
  try {
    await fetchMutation(api.webhooks.markEventProcessed, { eventId: event.id });
  } catch (err) {
    console.warn("failed to mark event processed", err);
  }
  try {
    await fetchMutation(api.audit.note, { eventId: event.id });
  } catch (err) {
    console.warn("audit note failed", err);
  }
  return Response.json({ received: true });
}
`,
    },
    {
      name: "a failed audit-log insert after the work (Prisma) is a side step",
      filename: "pages/api/webhooks/stripe.ts",
      code: `import { prisma } from "@/lib/prisma";
import { stripe } from "@/lib/stripe";

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === "invoice.paid") {
    await prisma.user.update({ where: { stripeCustomerId: event.data.object.customer }, data: { plan: "pro" } });
  }
  try {
    await prisma.webhookLog.create({ data: { type: event.type } });
  } catch (error) {
    console.error(error);
  }
  res.status(200).json({ received: true });
}
`,
    },
    {
      name: "a record-not-found code answered 200 in a catch",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  try {
    await prisma.user.update({ where: { stripeCustomerId: String(event.data.object.customer) }, data: { plan: "free" } });
  } catch (error: any) {
    if (error.code === "P2025") return new Response("User not found", { status: 200 });
    return new Response("Internal error", { status: 500 });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "no-response-at-end: every path returns (if/else, switch with a default that returns)",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object.id);
      return new Response("ok");
    default:
      return new Response("ignored");
  }
}
`,
    },
    {
      name: "no-response-at-end: the end throws (a 500 on purpose) or is never reached",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "invoice.paid") {
    await markPaid(event.data.object.id);
    return new Response("ok");
  } else {
    return new Response("ignored");
  }
}
`,
    },
    {
      name: "no-response-at-end: a try whose block returns and whose catch answers 500 by falling through is not reported",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  try {
    const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
    await handle(event);
    return new Response("ok");
  } catch (error) {
    console.error(error);
    throw error;
  }
}
`,
    },
    {
      name: "no-response-at-end: a Pages Router handler answers through res, not a return value",
      filename: "pages/api/webhooks/stripe.ts",
      code: `import { stripe } from "@/lib/stripe";
export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  await handle(event);
  res.status(200).json({ received: true });
}
`,
    },
    {
      name: "no-response-at-end: an App Router route that is not a webhook handler (a cron job) is not this rule's business",
      filename: "app/api/cron/cleanup/route.ts",
      code: `export async function GET() {
  await cleanup();
}
`,
    },
  ],
  invalid: [
    {
      name: "no-response-at-end: an App Router handler that answers only its failures",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return new Response("bad signature", { status: 400 });
  }
  if (event.type === "checkout.session.completed") {
    await fulfill(event.data.object.id);
  }
}
`,
      output: null,
      errors: [
        {
          messageId: "noResponseAtEnd",
          line: 13,
          column: 1,
          data: { framework: "Next.js" },
          suggestions: [
            {
              messageId: "returnOk",
              output: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return new Response("bad signature", { status: 400 });
  }
  if (event.type === "checkout.session.completed") {
    await fulfill(event.data.object.id);
  }
  return new Response(null, { status: 200 });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "no-response-at-end: returns only for the event it handles, so every other event type gets a 500",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe"

export const POST = async (req: Request) => {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!)
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object.id)
      return Response.json({ received: true })
  }
}
`,
      output: null,
      errors: [
        {
          messageId: "noResponseAtEnd",
          line: 10,
          column: 1,
          data: { framework: "Next.js" },
          suggestions: [
            {
              messageId: "returnOk",
              output: `import { stripe } from "@/lib/stripe"

export const POST = async (req: Request) => {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!)
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object.id)
      return Response.json({ received: true })
  }
  return new Response(null, { status: 200 })
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "no-response-at-end: a Convex HTTP action that verifies, processes and returns nothing",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";
import { Webhook } from "svix";

const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const payload = await request.text();
    const event = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(payload, Object.fromEntries(request.headers)) as any;
    await ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
  }),
});
export default http;
`,
      output: null,
      errors: [
        {
          messageId: "noResponseAtEnd",
          line: 14,
          column: 3,
          data: { framework: "Convex" },
          suggestions: [
            {
              messageId: "returnOk",
              output: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";
import { Webhook } from "svix";

const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const payload = await request.text();
    const event = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(payload, Object.fromEntries(request.headers)) as any;
    await ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
            },
          ],
        },
      ],
    },
    {
      name: "no-response-at-end: a handler that loops over the event's items and never returns",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  for (const item of event.data.object.lines.data) {
    await grant(item.price.id);
  }
}
`,
      output: null,
      errors: [
        {
          messageId: "noResponseAtEnd",
          line: 8,
          column: 1,
          data: { framework: "Next.js" },
          suggestions: [
            {
              messageId: "returnOk",
              output: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  for (const item of event.data.object.lines.data) {
    await grant(item.price.id);
  }
  return new Response(null, { status: 200 });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Prisma's record-not-found code (P2025) answered 404 in a catch",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "customer.subscription.deleted") {
    try {
      await prisma.user.update({ where: { stripeCustomerId: String(event.data.object.customer) }, data: { plan: "free" } });
    } catch (error: any) {
      if (error.code === "P2025") return new Response("User not found", { status: 404 });
      return new Response("Internal error", { status: 500 });
    }
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnresolvedIdentity",
          line: 10,
          column: 42,
          data: { status: "404" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { stripe } from "@/lib/stripe";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "customer.subscription.deleted") {
    try {
      await prisma.user.update({ where: { stripeCustomerId: String(event.data.object.customer) }, data: { plan: "free" } });
    } catch (error: any) {
      if (error.code === "P2025") return new Response("User not found", { status: 200 });
      return new Response("Internal error", { status: 500 });
    }
  }
  return new Response("ok");
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "P2025 on a user delete answered 404 with a generic text",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { NextResponse } from "next/server";
import { Prisma } from "@prisma/client";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.deleted") {
    try {
      await prisma.user.delete({ where: { clerkId: evt.data.id } });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2025") {
        return NextResponse.json({ error: "Not found" }, { status: 404 });
      }
      throw e;
    }
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnresolvedIdentity",
          line: 13,
          column: 16,
          data: { status: "404" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { NextResponse } from "next/server";
import { Prisma } from "@prisma/client";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.deleted") {
    try {
      await prisma.user.delete({ where: { clerkId: evt.data.id } });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2025") {
        return NextResponse.json({ error: "Not found" }, { status: 200 });
      }
      throw e;
    }
  }
  return new Response("ok");
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "a failed profile lookup answered 404 (Supabase error result)",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `import Stripe from "https://esm.sh/stripe@14";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2";

Deno.serve(async (req) => {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  const customerId = String(event.data.object.customer);
  const { data: profile, error } = await supabase.from("profiles").select("id").eq("stripe_customer_id", customerId).single();
  if (error) return new Response(JSON.stringify({ error: "Profile not found for customer" }), { status: 404 });
  await supabase.from("profiles").update({ plan: "pro" }).eq("id", profile.id);
  return new Response("ok");
});
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnresolvedIdentity",
          line: 8,
          column: 21,
          data: { status: "404" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import Stripe from "https://esm.sh/stripe@14";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2";

Deno.serve(async (req) => {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  const customerId = String(event.data.object.customer);
  const { data: profile, error } = await supabase.from("profiles").select("id").eq("stripe_customer_id", customerId).single();
  if (error) return new Response(JSON.stringify({ error: "Profile not found for customer" }), { status: 200 });
  await supabase.from("profiles").update({ plan: "pro" }).eq("id", profile.id);
  return new Response("ok");
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "a catch around the work and its mark-processed write still swallows the work's failure",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  await fetchMutation(api.audit.note, { eventId: event.id });
  try {
    await fetchMutation(api.credits.grant, { eventId: event.id });
    await fetchMutation(api.webhooks.markEventProcessed, { eventId: event.id });
  } catch (err) {
    console.warn("grant failed", err);
  }
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "failureFallsThrough", line: 12, column: 5, data: { status: "200" } }],
    },
    {
      name: "verification catch answers 200 (NextResponse.json default)",
      filename: STRIPE_ROUTE,
      code: `import { NextResponse } from "next/server";
import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    console.error(err);
    return NextResponse.json({ received: true });
  }
  await fulfill(event);
  return NextResponse.json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "acceptedInvalidSignature",
          line: 10,
          column: 12,
          data: { status: "200" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "400" },
              output: `import { NextResponse } from "next/server";
import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    console.error(err);
    return NextResponse.json({ received: true }, { status: 400 });
  }
  await fulfill(event);
  return NextResponse.json({ received: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Svix verification catch answers an explicit 200",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { Webhook } from "svix";
import { headers } from "next/headers";

export async function POST(req: Request) {
  const headerPayload = await headers();
  const body = await req.text();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  let evt;
  try {
    evt = wh.verify(body, {
      "svix-id": headerPayload.get("svix-id")!,
      "svix-timestamp": headerPayload.get("svix-timestamp")!,
      "svix-signature": headerPayload.get("svix-signature")!,
    });
  } catch (err) {
    return new Response("Error verifying webhook", { status: 200 });
  }
  await syncUser(evt);
  return new Response("", { status: 200 });
}
`,
      output: null,
      errors: [
        {
          messageId: "acceptedInvalidSignature",
          line: 16,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "400" },
              output: `import { Webhook } from "svix";
import { headers } from "next/headers";

export async function POST(req: Request) {
  const headerPayload = await headers();
  const body = await req.text();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  let evt;
  try {
    evt = wh.verify(body, {
      "svix-id": headerPayload.get("svix-id")!,
      "svix-timestamp": headerPayload.get("svix-timestamp")!,
      "svix-signature": headerPayload.get("svix-signature")!,
    });
  } catch (err) {
    return new Response("Error verifying webhook", { status: 400 });
  }
  await syncUser(evt);
  return new Response("", { status: 200 });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "hand-rolled timingSafeEqual check acknowledges a mismatch",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const digest = Buffer.from(crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!).update(rawBody).digest("hex"), "utf8");
  const signature = Buffer.from(request.headers.get("X-Signature") ?? "", "utf8");
  const isValid = digest.length === signature.length && crypto.timingSafeEqual(digest, signature);
  if (!isValid) {
    return Response.json({ ok: true });
  }
  await handleLemonEvent(JSON.parse(rawBody));
  return Response.json({ ok: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "acceptedInvalidSignature",
          line: 9,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "400" },
              output: `import crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const digest = Buffer.from(crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!).update(rawBody).digest("hex"), "utf8");
  const signature = Buffer.from(request.headers.get("X-Signature") ?? "", "utf8");
  const isValid = digest.length === signature.length && crypto.timingSafeEqual(digest, signature);
  if (!isValid) {
    return Response.json({ ok: true }, { status: 400 });
  }
  await handleLemonEvent(JSON.parse(rawBody));
  return Response.json({ ok: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "seed 002 shape answering 200 on a signature mismatch (Pages, JavaScript)",
      filename: "pages/api/clerk-webhook.js",
      code: `import { buffer } from "micro";
import crypto from "crypto";

export default async function handler(req, res) {
  const rawBody = await buffer(req);
  const signature = req.headers["clerk-signature"];
  const expectedSignature = crypto.createHmac("sha256", process.env.CLERK_WEBHOOK_SECRET).update(rawBody).digest("hex");
  if (signature !== expectedSignature) {
    return res.status(200).json({ ignored: true });
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "acceptedInvalidSignature",
          line: 9,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "400" },
              output: `import { buffer } from "micro";
import crypto from "crypto";

export default async function handler(req, res) {
  const rawBody = await buffer(req);
  const signature = req.headers["clerk-signature"];
  const expectedSignature = crypto.createHmac("sha256", process.env.CLERK_WEBHOOK_SECRET).update(rawBody).digest("hex");
  if (signature !== expectedSignature) {
    return res.status(400).json({ ignored: true });
  }
  res.status(200).json({ received: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "a missing webhook secret is acknowledged, so nothing is ever retried",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";

export async function POST(request: Request) {
  const secret = process.env.POLAR_WEBHOOK_SECRET;
  if (!secret) {
    console.error("POLAR_WEBHOOK_SECRET is not set");
    return new Response("ok");
  }
  const event = validateEvent(await request.text(), Object.fromEntries(request.headers), secret);
  await applyPolarEvent(event);
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "acceptedInvalidSignature",
          line: 7,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "400" },
              output: `import { validateEvent } from "@polar-sh/sdk/webhooks";

export async function POST(request: Request) {
  const secret = process.env.POLAR_WEBHOOK_SECRET;
  if (!secret) {
    console.error("POLAR_WEBHOOK_SECRET is not set");
    return new Response("ok", { status: 400 });
  }
  const event = validateEvent(await request.text(), Object.fromEntries(request.headers), secret);
  await applyPolarEvent(event);
  return new Response("ok");
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "processing catch logs and answers 200 (Pages, JavaScript)",
      filename: "pages/api/webhooks/stripe.js",
      code: `import { buffer } from "micro";
import { stripe } from "../../../lib/stripe";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  try {
    await upsertSubscription(event.data.object);
  } catch (err) {
    console.error("Webhook handler failed", err);
    return res.status(200).json({ received: true });
  }
  res.json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "swallowedFailure",
          line: 12,
          column: 12,
          data: { status: "200" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "500" },
              output: `import { buffer } from "micro";
import { stripe } from "../../../lib/stripe";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  try {
    await upsertSubscription(event.data.object);
  } catch (err) {
    console.error("Webhook handler failed", err);
    return res.status(500).json({ received: true });
  }
  res.json({ received: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Sentry alone does not keep the event: the catch still acknowledges it",
      filename: STRIPE_ROUTE,
      code: `import * as Sentry from "@sentry/nextjs";
import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  try {
    await fetchMutation(api.billing.applyEvent, { eventId: event.id, payload: event.data.object });
  } catch (error) {
    Sentry.captureException(error);
    return NextResponse.json({ received: true });
  }
  return NextResponse.json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "swallowedFailure",
          line: 12,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "500" },
              output: `import * as Sentry from "@sentry/nextjs";
import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  try {
    await fetchMutation(api.billing.applyEvent, { eventId: event.id, payload: event.data.object });
  } catch (error) {
    Sentry.captureException(error);
    return NextResponse.json({ received: true }, { status: 500 });
  }
  return NextResponse.json({ received: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "catch that only logs, then the handler answers 200",
      filename: STRIPE_ROUTE,
      code: `import { ConvexHttpClient } from "convex/browser";
import { api } from "@/convex/_generated/api";
const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  try {
    await convex.mutation(api.billing.handleStripeEvent, { eventId: event.id, type: event.type, payload: event.data.object });
  } catch (err) {
    console.error("Failed to process", event.id, err);
  }
  return new Response(null, { status: 200 });
}
`,
      output: null,
      errors: [{ messageId: "failureFallsThrough", line: 9, column: 5, data: { status: "200" }, suggestions: [] }],
    },
    {
      name: "signature failure swallowed and answered by the next statement (Pages)",
      filename: "pages/api/webhooks/clerk.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";
import { buffer } from "micro";
import { Webhook } from "svix";

export const config = { api: { bodyParser: false } };

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const payload = (await buffer(req)).toString();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  let evt: any = null;
  if (req.method === "POST") {
    try {
      evt = wh.verify(payload, req.headers as Record<string, string>);
      await syncClerkUser(evt);
    } catch (err) {
      console.error("clerk webhook", err);
    }
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "signatureFailureFallsThrough", line: 15, column: 7, data: { status: "200" }, suggestions: [] }],
    },
    {
      name: "signature guard answers 400 but every other failure is acknowledged",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { NextResponse } from "next/server";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  try {
    const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
    await handleStripeEvent(event);
    return NextResponse.json({ received: true });
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      return NextResponse.json({ error: "Invalid signature" }, { status: 400 });
    }
    console.error(err);
    return NextResponse.json({ received: true }, { status: 200 });
  }
}
`,
      output: null,
      errors: [
        {
          messageId: "swallowedFailure",
          line: 15,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "500" },
              output: `import Stripe from "stripe";
import { NextResponse } from "next/server";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  try {
    const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
    await handleStripeEvent(event);
    return NextResponse.json({ received: true });
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      return NextResponse.json({ error: "Invalid signature" }, { status: 400 });
    }
    console.error(err);
    return NextResponse.json({ received: true }, { status: 500 });
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Hono: processing failure answered with c.json default 200",
      filename: "src/routes/webhooks.ts",
      code: `import { Hono } from "hono";
const app = new Hono();

app.post("/webhooks/polar", async (c) => {
  const event = await verifyPolar(c.req.raw);
  try {
    await grantBenefit(event.data);
  } catch (err) {
    console.error(err);
    return c.json({ ok: true });
  }
  return c.json({ ok: true });
});
export default app;
`,
      output: null,
      errors: [
        {
          messageId: "swallowedFailure",
          line: 10,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "500" },
              output: `import { Hono } from "hono";
const app = new Hono();

app.post("/webhooks/polar", async (c) => {
  const event = await verifyPolar(c.req.raw);
  try {
    await grantBenefit(event.data);
  } catch (err) {
    console.error(err);
    return c.json({ ok: true }, 500);
  }
  return c.json({ ok: true });
});
export default app;
`,
            },
          ],
        },
      ],
    },
    {
      name: "404 for a user that cannot be found",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  const session = event.data.object as { client_reference_id: string | null };
  const user = await db.user.findUnique({ where: { id: session.client_reference_id ?? "" } });
  if (!user) return new Response("User not found", { status: 404 });
  await db.user.update({ where: { id: user.id }, data: { plan: "pro" } });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnresolvedIdentity",
          line: 8,
          column: 21,
          data: { status: "404" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { stripe } from "@/lib/stripe";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  const session = event.data.object as { client_reference_id: string | null };
  const user = await db.user.findUnique({ where: { id: session.client_reference_id ?? "" } });
  if (!user) return new Response("User not found", { status: 200 });
  await db.user.update({ where: { id: user.id }, data: { plan: "pro" } });
  return new Response("ok");
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "400 when Stripe metadata has no clerkUserId (Pages, JavaScript)",
      filename: "pages/api/stripe-webhook.js",
      code: `import { stripe } from "../../lib/stripe";

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === "checkout.session.completed") {
    const clerkUserId = event.data.object.metadata?.clerkUserId;
    if (!clerkUserId) {
      return res.status(400).json({ error: "Missing clerkUserId in metadata" });
    }
    await grantPro(clerkUserId);
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnresolvedIdentity",
          line: 8,
          column: 14,
          data: { status: "400" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { stripe } from "../../lib/stripe";

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === "checkout.session.completed") {
    const clerkUserId = event.data.object.metadata?.clerkUserId;
    if (!clerkUserId) {
      return res.status(200).json({ error: "Missing clerkUserId in metadata" });
    }
    await grantPro(clerkUserId);
  }
  res.status(200).json({ received: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "Convex HTTP action answers 500 when the user row is missing",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/webhooks/polar",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await verifyPolarRequest(request);
    const user = await ctx.runQuery(internal.users.byPolarCustomer, { customerId: event.data.customer_id });
    if (user === null) {
      return new Response("no user for customer", { status: 500 });
    }
    await ctx.runMutation(internal.billing.grant, { userId: user._id, product: event.data.product_id });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnresolvedIdentity",
          line: 13,
          column: 14,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/webhooks/polar",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await verifyPolarRequest(request);
    const user = await ctx.runQuery(internal.users.byPolarCustomer, { customerId: event.data.customer_id });
    if (user === null) {
      return new Response("no user for customer", { status: 200 });
    }
    await ctx.runMutation(internal.billing.grant, { userId: user._id, product: event.data.product_id });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
            },
          ],
        },
      ],
    },
    {
      name: "a mutation result saying the user was not found, answered with 404",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  const result = await fetchMutation(api.users.applyClerkEvent, { type: evt.type, data: evt.data });
  if (result.status === "user_not_found") {
    return NextResponse.json({ error: "user not found" }, { status: 404 });
  }
  return NextResponse.json({ ok: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnresolvedIdentity",
          line: 10,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { NextResponse } from "next/server";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  const result = await fetchMutation(api.users.applyClerkEvent, { type: evt.type, data: evt.data });
  if (result.status === "user_not_found") {
    return NextResponse.json({ error: "user not found" }, { status: 200 });
  }
  return NextResponse.json({ ok: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "un-awaited promise returned inside try",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  try {
    return handleEvent(event);
  } catch (err) {
    console.error(err);
    return new Response("Webhook handler failed", { status: 500 });
  }
}

async function handleEvent(event: { type: string }) {
  await recordEvent(event);
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "unawaitedReturnInTry",
          line: 6,
          column: 12,
          suggestions: [
            {
              messageId: "returnAwait",
              output: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  try {
    return await handleEvent(event);
  } catch (err) {
    console.error(err);
    return new Response("Webhook handler failed", { status: 500 });
  }
}

async function handleEvent(event: { type: string }) {
  await recordEvent(event);
  return new Response("ok");
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "un-awaited ctx.runMutation returned inside try in a Convex HTTP action",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await validateRequest(request);
    if (!event) return new Response("Error occured", { status: 400 });
    try {
      return ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
    } catch (err) {
      return new Response("Retry later", { status: 500 });
    }
  }),
});
export default http;
`,
      output: null,
      errors: [
        {
          messageId: "unawaitedReturnInTry",
          line: 13,
          column: 14,
          suggestions: [
            {
              messageId: "returnAwait",
              output: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await validateRequest(request);
    if (!event) return new Response("Error occured", { status: 400 });
    try {
      return await ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
    } catch (err) {
      return new Response("Retry later", { status: 500 });
    }
  }),
});
export default http;
`,
            },
          ],
        },
      ],
    },
    {
      name: "res.statusCode = 200 in the catch of a Pages handler (JavaScript)",
      filename: "pages/api/webhooks/paddle.js",
      code: `export default async function handler(req, res) {
  const event = await paddle.webhooks.unmarshal(req.body, process.env.PADDLE_WEBHOOK_SECRET, req.headers["paddle-signature"]);
  try {
    await applyPaddleEvent(event);
  } catch (err) {
    console.error(err);
    res.statusCode = 200;
    res.end("ok");
    return;
  }
  res.end("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "swallowedFailure",
          line: 8,
          column: 5,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "500" },
              output: `export default async function handler(req, res) {
  const event = await paddle.webhooks.unmarshal(req.body, process.env.PADDLE_WEBHOOK_SECRET, req.headers["paddle-signature"]);
  try {
    await applyPaddleEvent(event);
  } catch (err) {
    console.error(err);
    res.statusCode = 500;
    res.end("ok");
    return;
  }
  res.end("ok");
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "400 in the default branch of the event switch",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  switch (event.type) {
    case "invoice.paid":
      await extendAccess(event.data.object);
      break;
    default:
      return new Response(\`Unhandled event type \${event.type}\`, { status: 400 });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnhandledEvent",
          line: 10,
          column: 14,
          data: { status: "400" },
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  switch (event.type) {
    case "invoice.paid":
      await extendAccess(event.data.object);
      break;
    default:
      return new Response(\`Unhandled event type \${event.type}\`, { status: 200 });
  }
  return new Response("ok");
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "400 for every event after the one the handler checks for",
      filename: "app/api/stripe/route.ts",
      code: `export async function POST(request: Request) {
  const data = await request.json();
  if (data.type === "checkout.session.completed") {
    await grantCredits(data.data.object);
    return new Response("OK", { status: 200 });
  }
  return new Response("Bad Request", { status: 400 });
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnhandledEvent",
          line: 7,
          column: 10,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `export async function POST(request: Request) {
  const data = await request.json();
  if (data.type === "checkout.session.completed") {
    await grantCredits(data.data.object);
    return new Response("OK", { status: 200 });
  }
  return new Response("Bad Request", { status: 200 });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "422 when the event type is not the one subscribed (Pages, JavaScript)",
      filename: "pages/api/webhooks/lemonsqueezy.js",
      code: `export default async function handler(req, res) {
  const payload = await verifyLemonSqueezy(req);
  if (payload.meta.event_name !== "order_created") {
    return res.status(422).json({ error: "unsupported event" });
  }
  await fulfillOrder(payload.data);
  res.status(200).json({ ok: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnhandledEvent",
          line: 4,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `export default async function handler(req, res) {
  const payload = await verifyLemonSqueezy(req);
  if (payload.meta.event_name !== "order_created") {
    return res.status(200).json({ error: "unsupported event" });
  }
  await fulfillOrder(payload.data);
  res.status(200).json({ ok: true });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "400 for event types outside the relevant set (subscription starter shape)",
      filename: "app/api/webhooks/route.ts",
      code: `import { stripe } from "@/utils/stripe/config";

const relevantEvents = new Set(["product.created", "checkout.session.completed"]);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (relevantEvents.has(event.type)) {
    await syncStripeObject(event);
  } else {
    return new Response(\`Unsupported event type: \${event.type}\`, { status: 400 });
  }
  return new Response(JSON.stringify({ received: true }));
}
`,
      output: null,
      errors: [
        {
          messageId: "retryForUnhandledEvent",
          line: 10,
          column: 12,
          suggestions: [
            {
              messageId: "answerStatus",
              data: { status: "200" },
              output: `import { stripe } from "@/utils/stripe/config";

const relevantEvents = new Set(["product.created", "checkout.session.completed"]);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (relevantEvents.has(event.type)) {
    await syncStripeObject(event);
  } else {
    return new Response(\`Unsupported event type: \${event.type}\`, { status: 200 });
  }
  return new Response(JSON.stringify({ received: true }));
}
`,
            },
          ],
        },
      ],
    },
  ],
});

describe("require-accurate-ack with ESLint's default parser (espree)", () => {
  it("reports a 200 from a Pages catch in plain JavaScript, with its suggestion", () => {
    const linter = new Linter({ configType: "flat" });
    const code = `export default async function handler(req, res) {
  const event = await verifyStripe(req);
  try {
    await upsertSubscription(event.data.object);
  } catch (err) {
    console.error(err);
    return res.status(200).json({ received: true });
  }
  res.json({ received: true });
}
`;
    const messages = linter.verify(
      code,
      [
        {
          files: ["**/*.js"],
          plugins: { webhook: { rules: { "require-accurate-ack": rule as never } } },
          rules: { "webhook/require-accurate-ack": "error" },
        },
      ],
      { filename: "pages/api/webhooks/stripe.js" },
    );
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line, m.column, m.suggestions?.length])).toEqual([
      ["webhook/require-accurate-ack", "swallowedFailure", 7, 12, 1],
    ]);
  });
});
