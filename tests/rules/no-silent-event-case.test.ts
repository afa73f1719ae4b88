import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-silent-event-case.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";

/** Seed 002's Pages Router Clerk handler, verbatim apart from the omitted imports' use. */
const SEED_002 = `import { WebhookEvent } from '@clerk/nextjs/server';
import { buffer } from 'micro';
import crypto from 'crypto';
import { NextApiRequest, NextApiResponse } from 'next';

export const config = {
  api: {
    bodyParser: false, // Clerk sends raw JSON, so disable bodyParser
  },
};

const CLERK_WEBHOOK_SECRET = process.env.CLERK_WEBHOOK_SECRET as string;

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'POST') {
    return res.status(405).json({ error: 'Method not allowed' });
  }

  const rawBody = await buffer(req);
  const signature = req.headers['clerk-signature'] as string;
  const expectedSignature = crypto.createHmac('sha256', CLERK_WEBHOOK_SECRET).update(rawBody).digest('hex');

  if (signature !== expectedSignature) {
    return res.status(401).json({ error: 'Invalid signature' });
  }

  const event: WebhookEvent = JSON.parse(rawBody.toString());

  switch (event.type) {
    case 'user.created':
      console.log('New user:', event.data);
      // Add logic (e.g., send welcome email)
      break;
    case 'user.updated':
      console.log('User updated:', event.data);
      // Update database records
      break;
    case 'user.deleted':
      console.log('User deleted:', event.data);
      // Handle account deletion
      break;
    default:
      console.log('Unhandled event:', event.type);
  }

  res.status(200).json({ received: true });
}
`;

/** Seed 003's hardened switch ("no bare breaks"), inside an App Router route. */
const SEED_003 = `import Stripe from "stripe";
import { stripe } from "@/lib/stripe";
import {
  handleSync,
  handleSubscriptionChange,
  handleSubscriptionDeletion,
  handlePaymentSuccess,
  handlePaymentFailure,
  handleEscrowRelease,
  handleRefund,
  handleDispute,
  handleCustomerCleanup,
} from "@/lib/billing/handlers";

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("Stripe-Signature");
  if (!signature) return new Response("No signature", { status: 400 });
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return new Response("Invalid signature", { status: 400 });
  }

  switch (event.type) {
    case 'checkout.session.completed':
      // Handshake: links Stripe customer to Clerk identity
      await handleSync(event);
      break;
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
      // Provisioning: update tier and feature flags
      await handleSubscriptionChange(event);
      break;
    case 'customer.subscription.deleted':
      // Deprovisioning: immediate downgrade to free tier
      await handleSubscriptionDeletion(event);
      break;
    case 'invoice.payment_succeeded':
      // Access Extension: update periodEnd to prevent False Expiration
      await handlePaymentSuccess(event);
      break;
    case 'invoice.payment_failed':
      // Dunning Logic: trigger email notifications via internalMutation
      await handlePaymentFailure(event);
      break;
    case 'payment_intent.succeeded':
      // Escrow Release: release encrypted assets for manual-capture flows
      await handleEscrowRelease(event);
      break;
    case 'charge.refunded':
      // Revenue Parity: revoke credits granted during the charge
      await handleRefund(event);
      break;
    case 'charge.dispute.created':
      // Fraud Prevention: lock account pending review
      await handleDispute(event);
      break;
    case 'customer.deleted':
      // GDPR/Cleanup: scrub synchronized customer mapping
      await handleCustomerCleanup(event);
      break;
    default:
      // Documented Exclusion: ignore unhandled event types
      console.debug(\`Event type \${event.type} not in scope for billing integrity.\`);
  }

  return new Response(null, { status: 200 });
}
`;

ruleTester.run("no-silent-event-case", rule, {
  valid: [
    {
      name: "seed 003's hardened switch: every case awaits a handler, default documented",
      filename: STRIPE_ROUTE,
      code: SEED_003,
    },
    {
      name: "seed 003's hardened switch with checkDefault: the default carries a documented exclusion",
      filename: STRIPE_ROUTE,
      code: SEED_003,
      options: [{ checkDefault: true }],
    },
    {
      name: "Redux reducer switch (action.type) returning state",
      filename: "src/store/cart-slice.ts",
      code: `export function cartReducer(state: CartState = initialState, action: CartAction): CartState {
  switch (action.type) {
    case "cart/itemAdded":
      return { ...state, items: [...state.items, action.payload] };
    case "cart/cleared":
      return state;
    default:
      return state;
  }
}
`,
    },
    {
      name: "React useReducer with provider-looking labels",
      filename: "components/subscription-banner.tsx",
      code: `import { useReducer } from "react";

function reducer(state: BannerState, action: { type: string }) {
  switch (action.type) {
    case "subscription.updated":
      return { ...state, dirty: true };
    case "invoice.paid":
      break;
  }
  return state;
}

export function SubscriptionBanner() {
  const [state, dispatch] = useReducer(reducer, { dirty: false });
  return <div onClick={() => dispatch({ type: "invoice.paid" })}>{String(state.dirty)}</div>;
}
`,
    },
    {
      name: "DOM event switch on e.type",
      filename: "src/lib/drag.ts",
      code: `export function onPointer(e: PointerEvent) {
  switch (e.type) {
    case "click":
      break;
    case "pointerdown":
      console.log("down", e.clientX);
      break;
  }
}
`,
    },
    {
      name: "XState-like machine in a UI component with non-provider labels",
      filename: "app/checkout/checkout-machine.ts",
      code: `export function transition(current: string, event: { type: string }) {
  switch (event.type) {
    case "SUBMIT":
      console.log("submitting");
      break;
    case "RETRY":
      break;
  }
  return current;
}
`,
    },
    {
      name: "client-side state machine (state, event) with provider labels",
      filename: "src/lib/billing-status.ts",
      code: `export function billingStatusMachine(state: Status, event: { type: string }) {
  switch (event.type) {
    case "invoice.paid":
      break;
    case "invoice.payment_failed":
      console.warn("payment failed");
      break;
  }
  return state;
}
`,
    },
    {
      name: "audit-log UI mapping that returns labels",
      filename: "src/lib/activity-labels.ts",
      code: `export function activityLabel(event: { type: string }) {
  switch (event.type) {
    case "user.created":
      return "Signed up";
    case "session.created":
      return "Signed in";
    case "user.deleted":
      break;
  }
  return "Unknown";
}
`,
    },
    {
      name: "activity feed component rendering provider events",
      filename: "components/activity-feed.tsx",
      code: `export function ActivityItem({ event }: { event: StoredEvent }) {
  let label = "Event";
  switch (event.type) {
    case "invoice.paid":
      label = "Invoice paid";
      break;
    case "customer.subscription.deleted":
      break;
  }
  return <li>{label}</li>;
}
`,
    },
    {
      name: "predicate over event types returning booleans",
      filename: "lib/stripe/relevant-events.ts",
      code: `import type Stripe from "stripe";

export function isRelevant(event: Stripe.Event): boolean {
  switch (event.type) {
    case "checkout.session.completed":
    case "customer.subscription.updated":
      return true;
    default:
      return false;
  }
}
`,
    },
    {
      name: "an assertion helper that returns for supported types and throws for the rest",
      filename: "lib/stripe/assert-supported.ts",
      code: `import type Stripe from "stripe";

export function assertSupportedEvent(event: Stripe.Event): void {
  switch (event.type) {
    case "checkout.session.completed":
    case "customer.subscription.updated":
      return;
    default:
      throw new Error(\`Unsupported event \${event.type}\`);
  }
}
`,
    },
    {
      name: "documented exclusions in each accepted phrasing",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "checkout.session.completed":
      await fulfillOrder(event.data.object);
      break;
    // Documented exclusion: trials are provisioned at checkout, not here.
    case "customer.subscription.trial_will_end":
      break;
    case "invoice.created": // Not in scope: invoices are finalised by Stripe automatically.
      break;
    case "invoice.finalized":
      // Out of scope: the invoice PDF is emailed by Stripe itself.
      break;
    case "payment_intent.created":
      // Intentionally ignored: the charge outcome arrives as payment_intent.succeeded.
      break;
    case "charge.succeeded":
      /* Deliberately skipped because checkout.session.completed already grants access. */
      break;
    case "customer.updated":
      // No-op: we keep no copy of customer profile fields.
      break;
    case "payment_method.attached":
      // We don't need this event: payment methods are read live from Stripe.
      break;
    case "customer.created":
      break; // Ignored because customers are created by our own checkout route.
  }
  return new Response(null, { status: 200 });
}
`,
    },
    {
      name: "documented exclusion spread over two comment lines",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    await createUser(evt.data);
  } else if (evt.type === "session.created") {
    // Documented exclusion:
    // sessions are tracked by Clerk; the app keeps no session table.
  }
  return new Response("ok");
}
`,
    },
    {
      name: "default that only logs (Stripe's and Convex's samples do this)",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object.id);
      break;
    default:
      console.log(\`Unhandled event type \${event.type}\`);
  }
  return NextResponse.json({ received: true });
}
`,
    },
    {
      name: "a case that throws makes the provider retry",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "checkout.session.completed":
      await fulfill(event.data.object);
      break;
    case "charge.dispute.created":
      throw new Error("Disputes must be handled before this endpoint goes live");
  }
  return new Response("ok");
}
`,
    },
    {
      name: "a case that awaits a Convex mutation",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { validateEvent } from "@polar-sh/sdk/webhooks";

export async function POST(request: Request) {
  const payload = validateEvent(await request.text(), Object.fromEntries(request.headers), process.env.POLAR_WEBHOOK_SECRET ?? "");
  switch (payload.type) {
    case "subscription.active":
      console.log("activating", payload.data.id);
      await fetchMutation(api.subscriptions.activate, { polarId: payload.data.id });
      break;
  }
  return new Response("", { status: 202 });
}
`,
    },
    {
      name: "a case that returns handle(event)",
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
    switch (event.type) {
      case "user.created":
      case "user.updated":
        return handleUpsert(ctx, event.data);
      case "user.deleted":
        return handleDelete(ctx, event.data.id!);
      default:
        console.log("Ignored Clerk webhook event", event.type);
    }
    return new Response(null, { status: 200 });
  }),
});

export default http;
`,
    },
    {
      name: "fall-through group whose last case acts",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      await syncSubscription(event.data.object);
      break;
  }
  return new Response("ok");
}
`,
    },
    {
      name: "a case that logs, then falls through into one that acts",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.payment_succeeded":
      console.log("renewal paid");
    case "invoice.paid":
      await extendAccess(event.data.object);
      break;
  }
  return new Response("ok");
}
`,
    },
    {
      name: "GitHub-style switch with non-provider labels in a non-webhook file",
      filename: "src/lib/github/labels.ts",
      code: `export function describe(payload: { action: string; type: string }) {
  switch (payload.type) {
    case "opened":
      break;
    case "closed":
      console.log("closed");
      break;
  }
}
`,
    },
    {
      name: "game engine test with switch (event.type)",
      filename: "packages/engine/src/__tests__/input.test.ts",
      code: `import { describe, it, expect } from "vitest";

describe("input", () => {
  it("routes events", () => {
    const seen: string[] = [];
    for (const event of queue) {
      switch (event.type) {
        case "keydown":
          break;
        case "collision":
          console.log("hit");
          break;
      }
    }
    expect(seen).toEqual([]);
  });
});
`,
    },
    {
      name: "payment method type switch below event.data.object is not the event type",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (event.type === "payment_method.attached") {
    const paymentMethod = event.data.object;
    switch (paymentMethod.type) {
      case "card":
        await saveCard(paymentMethod);
        break;
      case "sepa_debit":
        break;
    }
  }
  return new Response("ok");
}
`,
    },
    {
      name: "a case that answers 400 makes the provider retry",
      filename: "pages/api/webhooks/stripe.ts",
      code: `export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], secret);
  switch (event.type) {
    case "checkout.session.completed":
      await fulfill(event.data.object);
      break;
    case "checkout.session.async_payment_failed":
      return res.status(400).json({ error: "Async payments are not supported yet" });
  }
  res.status(200).json({ received: true });
}
`,
    },
    {
      name: "a local assigned in cases and used after the switch",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `export async function POST(request: Request) {
  const body = JSON.parse(await request.text());
  let plan = "free";
  switch (body.meta.event_name) {
    case "subscription_created":
      plan = "pro";
      break;
    case "subscription_expired":
      plan = "free";
      break;
  }
  await db.update(users).set({ plan }).where(eq(users.id, body.meta.custom_data.user_id));
  return new Response("OK");
}
`,
    },
    {
      name: "early return for other event types is not a case",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (event.type !== "checkout.session.completed") {
    return NextResponse.json({ received: true });
  }
  await fulfill(event.data.object);
  return NextResponse.json({ received: true });
}
`,
    },
    {
      name: "if/else-if chain with includes where every branch acts",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/polar/events",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await verifyPolar(request);
    if (["subscription.created", "subscription.updated"].includes(event.type)) {
      await ctx.runMutation(internal.billing.upsertSubscription, { subscription: event.data });
    } else if (event.type === "order.paid") {
      await ctx.runMutation(internal.billing.recordOrder, { order: event.data });
    }
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
    },
    {
      name: "an if whose log guards an awaited write still acts",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      if (!session.metadata?.clerkUserId) {
        console.error("missing clerkUserId", session.id);
        break;
      }
      await convex.mutation(api.billing.handleStripeEvent, { eventId: event.id, type: event.type, payload: session });
      break;
    }
  }
  return new Response("ok");
}
`,
    },
    {
      name: "plain JavaScript Pages route where every case acts",
      filename: "pages/api/webhooks/clerk.js",
      code: `import { Webhook } from "svix";

export default async function handler(req, res) {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET);
  const evt = wh.verify(JSON.stringify(req.body), req.headers);
  switch (evt.type) {
    case "user.created":
      await prisma.user.create({ data: { clerkId: evt.data.id } });
      break;
    case "user.deleted":
      await prisma.user.delete({ where: { clerkId: evt.data.id } });
      break;
  }
  res.status(200).end();
}
`,
    },
    {
      name: "custom exclusionPattern accepted",
      filename: STRIPE_ROUTE,
      options: [{ exclusionPattern: "@webhook-ignore" }],
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object);
      break;
    case "invoice.upcoming":
      // @webhook-ignore reminders are sent by Stripe Billing
      break;
  }
  return new Response("ok");
}
`,
    },
    {
      name: "a branch that schedules work with ctx.scheduler",
      filename: "convex/stripe.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { internal } from "./_generated/api";

export const handleStripeEvent = internalMutation({
  args: { eventId: v.string(), type: v.string(), payload: v.any() },
  handler: async (ctx, args) => {
    if (args.type === "payment_intent.succeeded") {
      await ctx.scheduler.runAfter(0, internal.assets.release, { paymentIntentId: args.payload.id });
    } else if (args.type === "charge.refunded") {
      await ctx.db.patch(args.payload.metadata.bookingId, { status: "refunded" });
    }
  },
});
`,
    },
    {
      name: "default in a fall-through group that only logs",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object);
      break;
    case "invoice.created":
    default:
      console.log("ignored", event.type);
  }
  return new Response("ok");
}
`,
    },
    {
      name: "guards that combine the event type with another condition are not event branches",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  const session = event.data.object;
  if (event.type === "checkout.session.completed" && !session.metadata?.userId) {
    console.warn("checkout without a user id", session.id);
    return new Response("ok");
  }
  if (event.type === "checkout.session.completed" && session.payment_status !== "paid") {
    console.log("not paid yet");
  }
  if (event && event.type === "invoice.paid" && event.data.object.amount_paid === 0) {
    console.log("free invoice");
  }
  if (event.data && event.type === "customer.subscription.updated" && session.cancel_at_period_end) {
    console.log("cancels at period end");
  }
  await fulfill(session);
  return new Response("ok");
}
`,
    },
    {
      name: "a guarded event chain where every branch acts",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `export async function POST(request: Request) {
  const event = await paddle.webhooks.unmarshal(await request.text(), secret, request.headers.get("paddle-signature")!);
  if (event && event.eventType === "transaction.completed") {
    await db.markPro(event.data.customData.userId);
  } else if (event?.data && event.eventType === "subscription.canceled") {
    await db.markFree(event.data.customData.userId);
  }
  return Response.json({ received: true });
}
`,
    },
  ],
  invalid: [
    {
      name: "event && event.eventType === ... chains: a branch that only logs (Paddle)",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `import { paddle } from "@/lib/paddle";
import { db } from "@/lib/db";

export async function POST(request: Request) {
  const raw = await request.text();
  const event = await paddle.webhooks.unmarshal(raw, process.env.PADDLE_WEBHOOK_SECRET!, request.headers.get("paddle-signature")!);
  if (event && event.eventType === "transaction.completed") {
    await db.markPro(event.data.customData.userId);
  } else if (event && event.eventType === "subscription.updated") {
    console.log("subscription updated", event.data.id);
  } else if (event != null && event.data && event.eventType === "subscription.canceled") {
    // TODO
  }
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 9, column: 14, data: { subject: 'branch for "subscription.updated"', reason: "only logs" } },
        { messageId: "silentCase", line: 11, column: 14, data: { subject: 'branch for "subscription.canceled"', reason: "is empty" } },
      ],
    },
    {
      name: "seed 002's Clerk handler: three cases that only log",
      filename: "pages/api/clerk-webhook.ts",
      code: SEED_002,
      output: null,
      errors: [
        { messageId: "silentCase", line: 30, column: 5, data: { subject: 'case for "user.created"', reason: "only logs" } },
        { messageId: "silentCase", line: 34, column: 5, data: { subject: 'case for "user.updated"', reason: "only logs" } },
        { messageId: "silentCase", line: 38, column: 5, data: { subject: 'case for "user.deleted"', reason: "only logs" } },
      ],
    },
    {
      name: "seed 002 with checkDefault also reports the log-only default",
      filename: "pages/api/clerk-webhook.ts",
      code: SEED_002,
      options: [{ checkDefault: true }],
      output: null,
      errors: [
        { messageId: "silentCase", line: 30, column: 5 },
        { messageId: "silentCase", line: 34, column: 5 },
        { messageId: "silentCase", line: 38, column: 5 },
        { messageId: "silentCase", line: 42, column: 5, data: { subject: "default case", reason: "only logs" } },
      ],
    },
    {
      name: "Stripe switch with bare break cases",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  switch (event.type) {
    case "checkout.session.completed":
      await grantAccess(event.data.object);
      break;
    case "payment_intent.succeeded":
      break;
    case "charge.refunded":
      break;
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 11, column: 5, data: { subject: 'case for "payment_intent.succeeded"', reason: "only breaks" } },
        { messageId: "silentCase", line: 13, column: 5, data: { subject: 'case for "charge.refunded"', reason: "only breaks" } },
      ],
    },
    {
      name: "log-only if/else-if chain",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    console.log("userId:", evt.data.id);
  } else if (evt.type === "user.updated" || evt.type === "user.deleted") {
    console.log("user changed", evt.data.id);
  }
  return new Response("Webhook received", { status: 200 });
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 5, column: 7, data: { subject: 'branch for "user.created"', reason: "only logs" } },
        {
          messageId: "silentCase",
          line: 7,
          column: 14,
          data: { subject: 'branch for "user.updated", "user.deleted"', reason: "only logs" },
        },
      ],
    },
    {
      name: "Stripe's docs sample: a body that is only commented-out code",
      filename: "app/api/stripe/webhook/route.ts",
      code: `export async function POST(request: Request) {
  const event = stripe.webhooks.constructEvent(await request.text(), request.headers.get("stripe-signature")!, endpointSecret);
  switch (event.type) {
    case "payment_method.attached":
      const paymentMethod = event.data.object;
      // Then define and call a method to handle the successful attachment of a PaymentMethod.
      // handlePaymentMethodAttached(paymentMethod);
      break;
    default:
      console.log(\`Unhandled event type \${event.type}.\`);
  }
  return new Response(null, { status: 200 });
}
`,
      output: null,
      errors: [
        {
          messageId: "silentCase",
          line: 4,
          column: 5,
          data: { subject: 'case for "payment_method.attached"', reason: "holds only commented-out code" },
        },
      ],
    },
    {
      name: "a TODO comment is not an exclusion",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "charge.refunded":
      // TODO: revoke credits
      break;
    case "charge.dispute.created":
      // TODO: documented exclusion, explain why disputes are out of scope
      break;
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 4, column: 5, data: { subject: 'case for "charge.refunded"', reason: "only breaks" } },
        { messageId: "silentCase", line: 7, column: 5 },
      ],
    },
    {
      name: "an exclusion marker without a reason is not an exclusion",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.upcoming":
      // Intentionally ignored
      break;
    case "invoice.created":
      // Documented exclusion: <why>
      break;
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 4, column: 5 },
        { messageId: "silentCase", line: 7, column: 5 },
      ],
    },
    {
      name: "a case that only returns NextResponse.json({ received: true })",
      filename: "src/app/api/webhooks/stripe/route.ts",
      code: `import { NextResponse } from "next/server";
import { headers } from "next/headers";

export async function POST(req: Request) {
  const sig = (await headers()).get("stripe-signature")!;
  const event = stripe.webhooks.constructEvent(await req.text(), sig, process.env.STRIPE_WEBHOOK_SECRET!);
  switch (event.type) {
    case "checkout.session.completed":
      await fulfillCheckout(event.data.object.id);
      break;
    case "checkout.session.expired":
      return NextResponse.json({ received: true });
  }
  return NextResponse.json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "silentCase",
          line: 11,
          column: 5,
          data: { subject: 'case for "checkout.session.expired"', reason: "only returns an acknowledgement" },
        },
      ],
    },
    {
      name: "Lemon Squeezy switch (body.meta.event_name)",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const body = JSON.parse(rawBody);
  switch (body.meta.event_name) {
    case "order_created":
      await recordOrder(body.data);
      break;
    case "subscription_cancelled":
      console.info("subscription cancelled", body.data.id);
      break;
  }
  return new Response("OK", { status: 200 });
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 10, column: 5, data: { subject: 'case for "subscription_cancelled"', reason: "only logs" } },
      ],
    },
    {
      name: "Clerk evt.type in a Convex httpAction",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { Webhook } from "svix";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();

http.route({
  path: "/clerk-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const payload = await request.text();
    const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
    const evt = wh.verify(payload, {
      "svix-id": request.headers.get("svix-id")!,
      "svix-timestamp": request.headers.get("svix-timestamp")!,
      "svix-signature": request.headers.get("svix-signature")!,
    }) as WebhookEvent;
    switch (evt.type) {
      case "user.created":
        await ctx.runMutation(internal.users.upsertFromClerk, { data: evt.data });
        break;
      case "user.deleted":
        break;
    }
    return new Response(null, { status: 200 });
  }),
});

export default http;
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 23, column: 7, data: { subject: 'case for "user.deleted"', reason: "only breaks" } }],
    },
    {
      name: "Polar switch (payload.type)",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";

export async function POST(request: Request) {
  const payload = validateEvent(await request.text(), Object.fromEntries(request.headers), process.env.POLAR_WEBHOOK_SECRET ?? "");
  switch (payload.type) {
    case "order.paid":
      await grantCredits(payload.data.customerId, payload.data.amount);
      break;
    case "subscription.revoked":
      logger.warn({ id: payload.data.id }, "subscription revoked");
      break;
  }
  return new Response("", { status: 202 });
}
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 9, column: 5, data: { subject: 'case for "subscription.revoked"', reason: "only logs" } }],
    },
    {
      name: "switch (type) after const { type, data } = event",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { Webhook } from "svix";
import type { WebhookEvent } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const body = await req.text();
  const event = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!).verify(body, Object.fromEntries(req.headers)) as WebhookEvent;
  const { type, data } = event;
  switch (type) {
    case "user.created":
      await db.insert(users).values({ clerkId: data.id });
      break;
    case "organization.created":
      console.log("org", data.id);
      break;
  }
  return new Response("", { status: 200 });
}
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 12, column: 5, data: { subject: 'case for "organization.created"', reason: "only logs" } }],
    },
    {
      name: "fall-through group that only breaks",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "checkout.session.completed":
      await fulfill(event.data.object);
      break;
    case "customer.subscription.paused":
    case "customer.subscription.resumed":
      break;
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "silentCase",
          line: 7,
          column: 5,
          data: { subject: 'case for "customer.subscription.paused", "customer.subscription.resumed"', reason: "only breaks" },
        },
      ],
    },
    {
      name: "checkDefault: true reports a log-only default",
      filename: STRIPE_ROUTE,
      options: [{ checkDefault: true }],
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object);
      break;
    default:
      console.log(\`Unhandled event type \${event.type}\`);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 7, column: 5, data: { subject: "default case", reason: "only logs" } }],
    },
    {
      name: "checkDefault: true names the labels of a group that includes default",
      filename: STRIPE_ROUTE,
      options: [{ checkDefault: true }],
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object);
      break;
    case "invoice.created":
    default:
      console.log("ignored", event.type);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 7, column: 5, data: { subject: 'case for "invoice.created", default', reason: "only logs" } }],
    },
    {
      name: "checkDefault: true reports a log-only final else at the else keyword",
      filename: STRIPE_ROUTE,
      options: [{ checkDefault: true }],
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (event.type === "invoice.paid") {
    await markPaid(event.data.object);
  } else {
    console.log("ignored", event.type);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 5, column: 5, data: { subject: "else branch", reason: "only logs" } }],
    },
    {
      name: "plain JavaScript Pages route that acknowledges with res.status(200)",
      filename: "pages/api/webhooks/stripe.js",
      code: `import { buffer } from "micro";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  switch (event.type) {
    case "invoice.payment_failed":
      res.status(200).json({ received: true });
      return;
    case "invoice.paid":
      await markPaid(event.data.object);
      break;
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "silentCase",
          line: 8,
          column: 5,
          data: { subject: 'case for "invoice.payment_failed"', reason: "only returns an acknowledgement" },
        },
      ],
    },
    {
      name: "includes() branch that only logs",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (["product.created", "product.updated"].includes(event.type)) {
    console.log("product changed", event.data.object.id);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "silentCase",
          line: 3,
          column: 7,
          data: { subject: 'branch for "product.created", "product.updated"', reason: "only logs" },
        },
      ],
    },
    {
      name: "seed 003's escrow incident: a Convex mutation that only logs payment_intent.succeeded",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const handleStripeEvent = internalMutation({
  args: { eventId: v.string(), type: v.string(), payload: v.any() },
  handler: async (ctx, args) => {
    if (args.type === "payment_intent.succeeded") {
      console.log("payment succeeded", args.payload.id);
    }
    await ctx.db.insert("processed_events", { eventId: args.eventId, processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 7, column: 9, data: { subject: 'branch for "payment_intent.succeeded"', reason: "only logs" } }],
    },
    {
      name: "Stripe's Next.js sample: assigning a local that is only logged",
      filename: "app/api/webhooks/route.ts",
      code: `import type { Stripe } from "stripe";
import { NextResponse } from "next/server";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await (await req.blob()).text(), req.headers.get("stripe-signature") as string, process.env.STRIPE_WEBHOOK_SECRET as string);
  let data;
  switch (event.type) {
    case "checkout.session.completed":
      data = event.data.object as Stripe.Checkout.Session;
      console.log(\`CheckoutSession status: \${data.payment_status}\`);
      break;
    case "payment_intent.succeeded":
      data = event.data.object as Stripe.PaymentIntent;
      console.log(\`PaymentIntent status: \${data.status}\`);
      break;
    default:
      throw new Error(\`Unhandled event: \${event.type}\`);
  }
  return NextResponse.json({ message: "Received" }, { status: 200 });
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 8, column: 5, data: { subject: 'case for "checkout.session.completed"', reason: "only logs" } },
        { messageId: "silentCase", line: 12, column: 5, data: { subject: 'case for "payment_intent.succeeded"', reason: "only logs" } },
      ],
    },
    {
      name: "a handler helper with a Stripe.Event parameter that returns a literal",
      filename: "lib/stripe/handle-event.ts",
      code: `import type Stripe from "stripe";

export async function handleStripeEvent(event: Stripe.Event) {
  switch (event.type) {
    case "customer.subscription.updated":
      await upsertSubscription(event.data.object);
      return { handled: true };
    case "customer.subscription.trial_will_end":
      return { handled: false };
    case "invoice.upcoming":
      return;
  }
  return { handled: false };
}
`,
      output: null,
      errors: [
        {
          messageId: "silentCase",
          line: 8,
          column: 5,
          data: { subject: 'case for "customer.subscription.trial_will_end"', reason: "only returns an acknowledgement" },
        },
        { messageId: "silentCase", line: 10, column: 5, data: { subject: 'case for "invoice.upcoming"', reason: "only returns" } },
      ],
    },
    {
      name: "Express route with a logger configured in settings.webhook.loggers",
      filename: "server/routes/billing.ts",
      settings: { webhook: { loggers: ["Sentry"] } },
      code: `import express from "express";

const app = express();

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], secret);
  switch (event.type) {
    case "charge.dispute.created":
      Sentry.captureMessage(\`Dispute \${event.data.object.id}\`);
      break;
    case "charge.refunded":
      await revokeCredits(event.data.object);
      break;
  }
  res.json({ received: true });
});
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 8, column: 5, data: { subject: 'case for "charge.dispute.created"', reason: "only logs" } }],
    },
    {
      name: "custom exclusionPattern replaces the built-in phrases",
      filename: STRIPE_ROUTE,
      options: [{ exclusionPattern: "@webhook-ignore" }],
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "invoice.upcoming":
      // Documented exclusion: reminders are sent by Stripe Billing.
      break;
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 4, column: 5 }],
    },
    {
      name: "an empty last case and an empty if branch",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (event.type === "invoice.voided") {
  }
  switch (event.type) {
    case "invoice.paid":
      await markPaid(event.data.object);
      break;
    case "invoice.marked_uncollectible":
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 3, column: 7, data: { subject: 'branch for "invoice.voided"', reason: "is empty" } },
        { messageId: "silentCase", line: 9, column: 5, data: { subject: 'case for "invoice.marked_uncollectible"', reason: "is empty" } },
      ],
    },
    {
      name: "Supabase database webhook with its own labels (INSERT/DELETE) in a webhook route",
      filename: "pages/api/webhooks/supabase.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.headers["x-webhook-secret"] !== process.env.SUPABASE_WEBHOOK_SECRET) return res.status(401).end();
  const payload = req.body;
  switch (payload.type) {
    case "INSERT":
      await searchIndex.upsert(payload.record);
      break;
    case "DELETE":
      break;
  }
  res.status(200).json({ ok: true });
}
`,
      output: null,
      errors: [{ messageId: "silentCase", line: 10, column: 5, data: { subject: 'case for "DELETE"', reason: "only breaks" } }],
    },
    {
      name: "a log-only case that falls through into a break",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  switch (event.type) {
    case "payout.failed":
      console.error("payout failed", event.data.object.id);
    case "payout.canceled":
      break;
    case "payout.paid":
      await recordPayout(event.data.object);
      break;
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "silentCase", line: 4, column: 5, data: { subject: 'case for "payout.failed"', reason: "only logs" } },
        { messageId: "silentCase", line: 6, column: 5, data: { subject: 'case for "payout.canceled"', reason: "only breaks" } },
      ],
    },
  ],
});

describe("no-silent-event-case with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = [{ files: ["**/*.js", "**/*.mjs"], plugins: { webhook: { rules: { "no-silent-event-case": rule } } }, rules: { "webhook/no-silent-event-case": "error" as const } }];

  it("reports seed 002's handler written as a .js Pages route", () => {
    const code = `export default async function handler(req, res) {
  const event = JSON.parse((await buffer(req)).toString());
  switch (event.type) {
    case "user.created":
      console.log("New user:", event.data);
      break;
    // Documented exclusion: sessions live in Clerk only.
    case "session.created":
      break;
  }
  res.status(200).json({ received: true });
}
`;
    const messages = linter.verify(code, config as unknown as Linter.Config[], "pages/api/clerk-webhook.js");
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([["webhook/no-silent-event-case", 4, 5]]);
  });

  it("leaves an .mjs reducer alone", () => {
    const code = `export function reducer(state, action) {
  switch (action.type) {
    case "invoice.paid":
      return state;
    default:
      return state;
  }
}
`;
    expect(linter.verify(code, config as unknown as Linter.Config[], "src/store/reducer.mjs")).toEqual([]);
  });
});
