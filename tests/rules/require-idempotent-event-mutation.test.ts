import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/require-idempotent-event-mutation.js";
import { ruleTester } from "../rule-tester.js";

const CONVEX_FIX = "Check and record the event id inside this mutation (`npx webhook-lint codemod atomic-mutation`)";
const TRANSACTION_FIX =
  "Insert the event id into a unique-keyed table inside the same transaction as the write, or upsert by the provider object's id";

const CONVEX_HEAD = `import { v } from "convex/values";
import { internalMutation, mutation } from "./_generated/server";
`;

const STRIPE_ROUTE_HEAD = `import Stripe from "stripe";
import { prisma } from "@/lib/prisma";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
`;

ruleTester.run("require-idempotent-event-mutation", rule, {
  valid: [
    {
      name: "seed 003's handleStripeEvent: dedupe read and record in one mutation",
      filename: "convex/billing.ts",
      code: `${CONVEX_HEAD}
export const handleStripeEvent = internalMutation({
  args: { eventId: v.string(), type: v.string(), payload: v.any() },
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("processed_events")
      .withIndex("by_event_id", (q) => q.eq("eventId", args.eventId))
      .unique();
    if (existing) {
      return { status: "ignored" };
    }
    if (args.type === "payment_intent.succeeded") {
      const booking = await ctx.db
        .query("bookings")
        .withIndex("by_pi", (q) => q.eq("paymentIntentId", args.payload.id))
        .unique();
      if (booking && booking.status !== "succeeded") {
        await ctx.db.patch(booking._id, { status: "succeeded", paidAt: Date.now() });
      }
    }
    await ctx.db.insert("processed_events", { eventId: args.eventId, processedAt: Date.now() });
    return { status: "success" };
  },
});
`,
    },
    {
      name: "absolute patch keyed by the subscription id",
      filename: "convex/subscriptions.ts",
      code: `${CONVEX_HEAD}
export const syncSubscription = internalMutation({
  args: { stripeEventId: v.string(), subscriptionId: v.string(), status: v.string(), currentPeriodEnd: v.number() },
  handler: async (ctx, args) => {
    const sub = await ctx.db
      .query("subscriptions")
      .withIndex("by_subscription_id", (q) => q.eq("subscriptionId", args.subscriptionId))
      .unique();
    if (!sub) return;
    await ctx.db.patch(sub._id, { status: args.status, currentPeriodEnd: args.currentPeriodEnd });
  },
});
`,
    },
    {
      name: "upsert by the Clerk user id",
      filename: "convex/users.ts",
      code: `${CONVEX_HEAD}
export const upsertFromClerk = internalMutation({
  args: { svixId: v.string(), clerkUserId: v.string(), email: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (user) {
      await ctx.db.patch(user._id, { email: args.email });
    } else {
      await ctx.db.insert("users", { clerkUserId: args.clerkUserId, email: args.email, plan: "free", credits: 0 });
    }
  },
});
`,
    },
    {
      name: "delete on subscription.deleted",
      filename: "convex/subscriptions.ts",
      code: `${CONVEX_HEAD}
export const remove = internalMutation({
  args: { eventId: v.string(), subscriptionId: v.string() },
  handler: async (ctx, { subscriptionId }) => {
    const sub = await ctx.db
      .query("subscriptions")
      .withIndex("by_subscription_id", (q) => q.eq("subscriptionId", subscriptionId))
      .unique();
    if (sub) await ctx.db.delete(sub._id);
  },
});
`,
    },
    {
      name: "user-facing mutation that is not webhook-driven",
      filename: "convex/posts.ts",
      code: `${CONVEX_HEAD}
export const like = mutation({
  args: { postId: v.id("posts") },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    const post = await ctx.db.get(args.postId);
    await ctx.db.patch(args.postId, { likes: post!.likes + 1 });
  },
});
`,
    },
    {
      name: "calendar RSVP: eventId is a Convex document id",
      filename: "convex/rsvps.ts",
      code: `${CONVEX_HEAD}
export const rsvp = mutation({
  args: { eventId: v.id("events"), guests: v.number() },
  handler: async (ctx, args) => {
    const event = await ctx.db.get(args.eventId);
    await ctx.db.insert("rsvps", { eventId: args.eventId, guests: args.guests });
    await ctx.db.patch(args.eventId, { attendees: event!.attendees + args.guests });
  },
});
`,
    },
    {
      name: "analytics event name is a string, not a webhook event",
      filename: "convex/analytics.ts",
      code: `${CONVEX_HEAD}
export const track = mutation({
  args: { event: v.string(), properties: v.any() },
  handler: async (ctx, args) => {
    await ctx.db.insert("analytics", { event: args.event, properties: args.properties, at: Date.now() });
  },
});
`,
    },
    {
      name: "dedupe through ctx.runQuery and ctx.runMutation inside the same mutation",
      filename: "convex/credits.ts",
      code: `${CONVEX_HEAD}import { internal } from "./_generated/api";

export const grant = internalMutation({
  args: { eventId: v.string(), userId: v.id("users"), amount: v.number() },
  handler: async (ctx, args) => {
    if (await ctx.runQuery(internal.webhooks.isProcessed, { eventId: args.eventId })) return;
    const user = await ctx.db.get(args.userId);
    await ctx.db.patch(args.userId, { credits: user!.credits + args.amount });
    await ctx.runMutation(internal.webhooks.markProcessed, { eventId: args.eventId });
  },
});
`,
    },
    {
      name: "the mark-processed mutation itself",
      filename: "convex/webhooks.ts",
      code: `${CONVEX_HEAD}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), provider: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    if (args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "Prisma: unique insert of the event id in the same $transaction",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    await prisma.$transaction(async (tx) => {
      await tx.processedEvent.create({ data: { id: event.id } });
      await tx.user.update({ where: { id: session.client_reference_id! }, data: { credits: { increment: 100 } } });
    });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "Prisma: upsert by stripeSubscriptionId and absolute updates",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  const subscription = event.data.object as Stripe.Subscription;
  await prisma.subscription.upsert({
    where: { stripeSubscriptionId: subscription.id },
    create: { stripeSubscriptionId: subscription.id, status: subscription.status },
    update: { status: subscription.status },
  });
  await prisma.user.update({ where: { stripeCustomerId: subscription.customer as string }, data: { plan: "pro" } });
  return new Response("ok");
}
`,
    },
    {
      name: "Prisma: a payment row keyed by the event id (unique constraint)",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  const invoice = event.data.object as Stripe.Invoice;
  await prisma.payment.create({ data: { stripeEventId: event.id, invoiceId: invoice.id, amount: invoice.amount_paid } });
  return new Response("ok");
}
`,
    },
    {
      name: "Drizzle: insert with onConflictDoNothing",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";
import { db } from "@/db";
import { orders } from "@/db/schema";

export async function POST(req: Request) {
  const event = validateEvent(await req.text(), Object.fromEntries(req.headers), process.env.POLAR_WEBHOOK_SECRET!);
  if (event.type === "order.paid") {
    await db.insert(orders).values({ polarOrderId: event.data.id, amount: event.data.totalAmount }).onConflictDoNothing();
  }
  return new Response("ok");
}
`,
    },
    {
      name: "Supabase: upsert by the subscription id",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `import { createClient } from "npm:@supabase/supabase-js@2";

const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);

Deno.serve(async (req) => {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, secret);
  const sub = event.data.object;
  await supabase.from("subscriptions").upsert({ id: sub.id, status: sub.status }, { onConflict: "id" });
  return new Response("ok");
});
`,
    },
    {
      name: "non-webhook route creating rows",
      filename: "app/api/posts/route.js",
      code: `import { prisma } from "@/lib/prisma";

export async function POST(req) {
  const { title } = await req.json();
  const post = await prisma.post.create({ data: { title } });
  await prisma.user.update({ where: { id: 1 }, data: { postCount: { increment: 1 } } });
  return Response.json(post);
}
`,
    },
    {
      name: "seed 003 route: a single mutation receives the event",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import { ConvexHttpClient } from "convex/browser";
import { api } from "@/convex/_generated/api";

const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  await convex.mutation(api.billing.handleStripeEvent, { eventId: event.id, type: event.type, payload: event.data.object });
  return new Response("ok");
}
`,
    },
    {
      name: "plain JavaScript Convex upsert",
      filename: "convex/customers.js",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const linkCustomer = internalMutation({
  args: { stripeEventId: v.string(), clerkUserId: v.string(), stripeCustomerId: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (!user) return;
    await ctx.db.patch(user._id, { stripeCustomerId: args.stripeCustomerId });
  },
});
`,
    },
    {
      name: "calendar event object and a signed-in user's event id are not webhook events",
      filename: "convex/calendar.ts",
      code: `${CONVEX_HEAD}
export const createEvent = mutation({
  args: { event: v.object({ title: v.string(), start: v.number(), end: v.number() }) },
  handler: async (ctx, { event }) => {
    await ctx.db.insert("calendarEvents", event);
  },
});

export const importGoogleEvent = mutation({
  args: { eventId: v.string(), title: v.string() },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    await ctx.db.insert("calendarEvents", { googleEventId: args.eventId, title: args.title, owner: identity.subject });
  },
});
`,
    },
    {
      name: "Express webhook setting absolute values with Mongoose",
      filename: "server/routes/stripe-webhook.js",
      code: `import express from "express";
import { User } from "../models/user.js";

const router = express.Router();

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === "customer.subscription.updated") {
    await User.updateOne({ stripeCustomerId: event.data.object.customer }, { $set: { plan: "pro", status: event.data.object.status } });
  }
  res.json({ received: true });
});

export default router;
`,
    },
    {
      name: "Prisma get-or-create keyed by the product id (not an event id check)",
      filename: "pages/api/webhooks/stripe.ts",
      code: `import Stripe from "stripe";
import { prisma } from "@/lib/prisma";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    const stripe_product_id = event.data.object.metadata!.productId;
    const product = await prisma.stripe_products.findUnique({ where: { stripe_product_id } });
    if (!product) {
      await prisma.stripe_products.create({ data: { stripe_product_id } });
    }
    await prisma.user.update({ where: { id: event.data.object.metadata!.userId }, data: { plan: "pro" } });
  }
  res.json({ received: true });
}
`,
    },
    {
      name: "Prisma insert whose unique violation (P2002) is answered as already done",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    try {
      await prisma.user.create({ data: { clerkId: evt.data.id, email: evt.data.email_addresses[0]?.email_address } });
    } catch (error: any) {
      if (error.code === "P2002") return new Response("exists", { status: 200 });
      return new Response("error", { status: 500 });
    }
  }
  return new Response("ok");
}
`,
    },
    {
      name: "Supabase insert whose duplicate-key error (23505) is handled",
      filename: "supabase/functions/clerk-webhook/index.ts",
      code: `import { Webhook } from "npm:svix";
import { createClient } from "npm:@supabase/supabase-js@2";

const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);

Deno.serve(async (req) => {
  const evt = new Webhook(Deno.env.get("CLERK_WEBHOOK_SECRET")!).verify(await req.text(), Object.fromEntries(req.headers));
  if (evt.type === "user.created") {
    const { error } = await supabase.from("profiles").insert({ clerk_id: evt.data.id });
    if (error && error.code !== "23505") return new Response(error.message, { status: 500 });
  }
  return new Response("ok");
});
`,
    },
    {
      name: "append-only webhook event table that stores the payload and no event id",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import crypto from "node:crypto";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const raw = await req.text();
  const digest = crypto.createHmac("sha256", process.env.LEMON_SQUEEZY_WEBHOOK_SECRET!).update(raw).digest("hex");
  if (!crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(req.headers.get("x-signature") ?? ""))) {
    return new Response("invalid", { status: 401 });
  }
  const body = JSON.parse(raw);
  await prisma.lemonSqueezyWebhookEvent.create({ data: { eventName: body.meta.event_name, payload: body } });
  if (body.meta.event_name === "subscription_updated") {
    await prisma.subscription.update({ where: { lemonSqueezyId: String(body.data.id) }, data: { status: body.data.attributes.status } });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "event recorded first, and the record released when the work fails",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  await prisma.stripeEvent.create({ data: { id: event.id } });
  try {
    await prisma.order.update({ where: { id: event.data.object.metadata!.orderId }, data: { status: "paid" } });
  } catch (error) {
    await prisma.stripeEvent.delete({ where: { id: event.id } });
    throw error;
  }
  return Response.json({ received: true });
}
`,
    },
    {
      name: "event recorded after the absolute updates it guards",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  await prisma.order.update({ where: { id: event.data.object.metadata!.orderId }, data: { status: "paid" } });
  await prisma.stripeEvent.create({ data: { id: event.id } });
  return Response.json({ received: true });
}
`,
    },
    {
      name: "event recorded first in the same $transaction as absolute updates",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  await prisma.$transaction(async (tx) => {
    await tx.stripeEvent.create({ data: { id: event.id } });
    await tx.order.update({ where: { id: event.data.object.metadata!.orderId }, data: { status: "paid" } });
  });
  return Response.json({ received: true });
}
`,
    },
    {
      name: "an imported claim helper whose answer is only logged does not guard the work",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `import { paddle } from "@/lib/paddle";
import { recordWebhookEvent } from "@/lib/webhook-events";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const event = await paddle.webhooks.unmarshal(await req.text(), process.env.PADDLE_WEBHOOK_SECRET!, req.headers.get("paddle-signature")!);
  const isNew = await recordWebhookEvent("paddle", event.eventId);
  console.log("first delivery?", isNew);
  await prisma.subscription.update({ where: { paddleId: event.data.id }, data: { status: event.data.status } });
  return Response.json({ received: true });
}
`,
    },
    {
      name: "Redis absolute values and a rate-limit counter in a webhook route",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { redis } from "@/lib/redis";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  await redis.incr(\`ratelimit:webhooks:\${req.headers.get("x-forwarded-for")}\`);
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "customer.subscription.updated") {
    await redis.set(\`plan:\${event.data.object.metadata.userId}\`, "pro");
  }
  return Response.json({ received: true });
}
`,
    },
    {
      name: "Supabase rpc that sets a status (one transaction, absolute values)",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  await supabase.rpc("update_subscription_status", { subscription_id: event.data.object.id, new_status: "active" });
  return new Response("ok");
}
`,
    },
    {
      name: "event recorded after an imported project handler processed it, and package calls after a record",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { headers } from "next/headers";
import { revalidateTag } from "next/cache";
import { db } from "@/db";
import { webhookEvents } from "@/db/schema";
import { handleStripeEvent } from "@/lib/stripe/handlers";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), (await headers()).get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  await handleStripeEvent(event);
  await db.insert(webhookEvents).values({ eventId: event.id, type: event.type });
  await revalidateTag("billing");
  return Response.json({ received: true });
}
`,
    },
  ],
  invalid: [
    {
      name: "credits increment without dedupe (seed 003's double credit)",
      filename: "convex/credits.ts",
      code: `${CONVEX_HEAD}
export const addCredits = mutation({
  args: { eventId: v.string(), clerkUserId: v.string(), amount: v.number() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (!user) throw new Error("User not found");
    await ctx.db.patch(user._id, { credits: user.credits + args.amount });
  },
});
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 12, column: 36, data: { field: "credits", fix: CONVEX_FIX } }],
    },
    {
      name: "insert driven by an event object",
      filename: "convex/payments.ts",
      code: `${CONVEX_HEAD}
export const recordInvoicePaid = internalMutation({
  args: { event: v.any() },
  handler: async (ctx, { event }) => {
    const invoice = event.data.object;
    await ctx.db.insert("payments", { invoiceId: invoice.id, amount: invoice.amount_paid, paidAt: Date.now() });
  },
});
`,
      output: null,
      errors: [{ messageId: "writeWithoutDedupe", line: 8, column: 11, data: { operation: "insert", fix: CONVEX_FIX } }],
    },
    {
      name: "scheduled email on every delivery",
      filename: "convex/emails.ts",
      code: `${CONVEX_HEAD}import { internal } from "./_generated/api";

export const onPaymentFailed = internalMutation({
  args: { stripeEventId: v.string(), customerEmail: v.string() },
  handler: async (ctx, args) => {
    await ctx.scheduler.runAfter(0, internal.emails.sendDunning, { to: args.customerEmail });
  },
});
`,
      output: null,
      errors: [{ messageId: "writeWithoutDedupe", line: 8, column: 11, data: { operation: "scheduled function", fix: CONVEX_FIX } }],
    },
    {
      name: "dedupe check whose record is written in another transaction",
      filename: "convex/billing.ts",
      code: `${CONVEX_HEAD}
export const grantCredits = internalMutation({
  args: { eventId: v.string(), userId: v.id("users") },
  handler: async (ctx, args) => {
    const seen = await ctx.db
      .query("processed_events")
      .withIndex("by_event_id", (q) => q.eq("eventId", args.eventId))
      .unique();
    if (seen) return;
    const user = await ctx.db.get(args.userId);
    await ctx.db.patch(args.userId, { credits: user!.credits + 100 });
  },
});
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 7, column: 24, data: { how: "checked here but recorded in", fix: CONVEX_FIX } }],
    },
    {
      name: "internal mutation in a webhook module inserts without a check",
      filename: "convex/webhooks.ts",
      code: `${CONVEX_HEAD}
export const createUser = internalMutation({
  args: { clerkUserId: v.string(), email: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("users", { clerkUserId: args.clerkUserId, email: args.email, plan: "free", credits: 0 });
  },
});
`,
      output: null,
      errors: [{ messageId: "writeWithoutDedupe", line: 7, column: 11 }],
    },
    {
      name: "mutation called from the httpAction in the same file",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { v } from "convex/values";
import { httpAction, internalMutation } from "./_generated/server";
import { internal } from "./_generated/api";

export const topUp = internalMutation({
  args: { customerId: v.string(), amount: v.number() },
  handler: async (ctx, args) => {
    const wallet = await ctx.db
      .query("wallets")
      .withIndex("by_customer", (q) => q.eq("customerId", args.customerId))
      .unique();
    await ctx.db.patch(wallet!._id, { balance: wallet!.balance + args.amount });
  },
});

const http = httpRouter();
http.route({
  path: "/lemonsqueezy",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const body = await request.json();
    await ctx.runMutation(internal.http.topUp, { customerId: body.data.attributes.customer_id, amount: 100 });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 13, column: 39, data: { field: "balance", fix: CONVEX_FIX } }],
    },
    {
      name: "increment inside a same-file helper",
      filename: "convex/credits.ts",
      code: `${CONVEX_HEAD}
async function addCredits(ctx, userId, amount) {
  const user = await ctx.db.get(userId);
  await ctx.db.patch(userId, { credits: user.credits + amount });
}

export const onOrderPaid = internalMutation({
  args: { polarEventId: v.string(), userId: v.id("users") },
  handler: async (ctx, args) => {
    await addCredits(ctx, args.userId, 500);
  },
});
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 6, column: 32, data: { field: "credits", fix: CONVEX_FIX } }],
    },
    {
      name: "array append on every delivery",
      filename: "convex/orders.ts",
      code: `${CONVEX_HEAD}
export const addPurchase = internalMutation({
  args: { webhookId: v.string(), userId: v.id("users"), productId: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db.get(args.userId);
    await ctx.db.patch(args.userId, { purchases: [...user!.purchases, args.productId] });
  },
});
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 8, column: 39, data: { field: "purchases", fix: CONVEX_FIX } }],
    },
    {
      name: "Prisma increment in a Stripe webhook route",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    await prisma.user.update({
      where: { id: session.client_reference_id! },
      data: { credits: { increment: 100 } },
    });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 12, column: 15, data: { field: "credits", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Prisma create in a Pages Router Clerk webhook",
      filename: "pages/api/webhooks/clerk.js",
      code: `import { Webhook } from "svix";
import { buffer } from "micro";
import { prisma } from "../../../lib/prisma";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const payload = (await buffer(req)).toString();
  const evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET).verify(payload, req.headers);
  if (evt.type === "user.created") {
    await prisma.user.create({ data: { clerkId: evt.data.id, email: evt.data.email_addresses[0].email_address } });
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "writeWithoutDedupe", line: 11, column: 11, data: { operation: "insert", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Prisma dedupe check and record outside a transaction",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  const seen = await prisma.webhookEvent.findUnique({ where: { id: event.id } });
  if (seen) return new Response("duplicate");
  await prisma.user.update({ where: { stripeCustomerId: String(event.data.object.customer) }, data: { credits: { increment: 100 } } });
  await prisma.webhookEvent.create({ data: { id: event.id } });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 8, column: 22, data: { how: "checked in", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Prisma marks the event seen before processing it, outside a transaction",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  await prisma.processedEvent.create({ data: { id: event.id } });
  await prisma.order.create({ data: { sessionId: event.data.object.id } });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 8, column: 9, data: { how: "recorded in", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Supabase upsert whose payload increments a value read earlier",
      filename: "pages/api/webhooks/stripe.ts",
      code: `import Stripe from "stripe";
import { buffer } from "micro";
import { supabase } from "@/lib/supabase";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    const userId = event.data.object.metadata!.userId;
    const { data: stats } = await supabase.from("user_stats").select("credits").eq("user_id", userId).single();
    await supabase.from("user_stats").upsert({ user_id: userId, credits: stats.credits + 100 });
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "incrementWithoutDedupe",
          line: 12,
          column: 65,
          data: { field: "credits", fix: "Record the event id and write in one database function (`rpc`), or upsert by the provider object's id" },
        },
      ],
    },
    {
      name: "Drizzle upsert whose conflict update increments",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { wallets } from "@/db/schema";

export async function POST(req: Request) {
  const event = validateEvent(await req.text(), Object.fromEntries(req.headers), process.env.POLAR_WEBHOOK_SECRET!);
  if (event.type === "order.paid") {
    await db
      .insert(wallets)
      .values({ userId: event.data.customer.externalId, credits: 100 })
      .onConflictDoUpdate({ target: wallets.userId, set: { credits: sql\`\${wallets.credits} + 100\` } });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 12, column: 60, data: { field: "credits", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Prisma records the event before absolute updates, outside a transaction",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  await prisma.stripeEvent.create({ data: { id: event.id } });
  if (event.type === "checkout.session.completed") {
    await prisma.order.update({ where: { id: event.data.object.metadata!.orderId }, data: { status: "paid" } });
  }
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 8, column: 9, data: { how: "recorded in", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Supabase event insert whose duplicate answers 200 before the work (Pages Router)",
      filename: "pages/api/stripe/webhook.js",
      code: `import Stripe from "stripe";
import { db } from "../../../lib/db";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
  const event = stripe.webhooks.constructEvent(await readRaw(req), req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  const { error } = await db.from("stripe_events").insert({ id: event.id, event_type: event.type });
  if (error?.code === "23505") return res.status(200).json({ duplicate: true });
  if (event.type === "checkout.session.completed") {
    await db.from("registrations").update({ status: "paid" }).eq("id", event.data.object.metadata.registrationId);
  }
  return res.status(200).json({ received: true });
}

async function readRaw(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}
`,
      output: null,
      errors: [
        {
          messageId: "dedupeSplit",
          line: 9,
          column: 27,
          data: { how: "recorded in", fix: "Record the event id and write in one database function (`rpc`), or upsert by the provider object's id" },
        },
      ],
    },
    {
      name: "event recorded before a same-file helper does the work",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { prisma } from "@/lib/prisma";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

async function activate(customerId: string) {
  await prisma.user.update({ where: { stripeCustomerId: customerId }, data: { plan: "pro" } });
}

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  const seen = await prisma.webhookEvent.findUnique({ where: { id: event.id } });
  if (seen) return Response.json({ duplicate: true });
  await prisma.webhookEvent.upsert({ where: { id: event.id }, create: { id: event.id }, update: {} });
  if (event.type === "customer.subscription.created") await activate(String(event.data.object.customer));
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 14, column: 9, data: { how: "recorded in", fix: TRANSACTION_FIX } }],
    },
    {
      name: "an imported helper claims the event id before the work it guards",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `import { paddle } from "@/lib/paddle";
import { addCredits } from "@/lib/credits";
import { recordWebhookEvent } from "@/lib/webhook-events";

export async function POST(req: Request) {
  const event = await paddle.webhooks.unmarshal(await req.text(), process.env.PADDLE_WEBHOOK_SECRET!, req.headers.get("paddle-signature")!);
  const isNew = await recordWebhookEvent("paddle", event.eventId);
  if (!isNew) return Response.json({ received: true });
  if (event.eventType === "transaction.completed") {
    await addCredits(event.data.customData.userId, 100);
  }
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 7, column: 23, data: { how: "recorded in", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Convex check and mark-processed around an email sent apart from them",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { Resend } from "resend";
import { ConvexHttpClient } from "convex/browser";
import { api } from "@/convex/_generated/api";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const resend = new Resend(process.env.RESEND_API_KEY);
const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (await convex.query(api.webhooks.isEventProcessed, { stripeEventId: event.id })) return Response.json({ duplicate: true });
  if (event.type === "checkout.session.completed") {
    await resend.emails.send({ from: "shop@example.com", to: event.data.object.customer_details!.email!, subject: "Thanks", html: "<p>Thanks</p>" });
  }
  await convex.mutation(api.webhooks.markEventProcessed, { stripeEventId: event.id });
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "dedupeSplit",
          line: 16,
          column: 9,
          data: {
            how: "recorded in",
            fix: "Pass the event id to the mutation that does the work and check and record it there (`npx webhook-lint codemod atomic-mutation`)",
          },
        },
      ],
    },
    {
      name: "Redis credit increment in a MULTI",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import redis from "@/lib/redis";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    const userId = event.data.object.metadata!.userId;
    await redis.multi().incrby(\`user:credits:\${userId}\`, 400000).del(\`pending:credits:\${userId}\`).exec();
  }
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [
        {
          messageId: "incrementWithoutDedupe",
          line: 10,
          column: 25,
          data: {
            field: "user:credits:${userId}",
            fix: "Claim the event id and increment in one Lua script (`SET` the event key `NX`, then `INCRBY` only if it was set)",
          },
        },
      ],
    },
    {
      name: "Supabase rpc that grants an amount of credits",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${STRIPE_ROUTE_HEAD}  const session = event.data.object;
  await supabase.rpc("update_credits", { user_id: session.client_reference_id, credit_amount: Number(session.metadata?.credits) });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "incrementWithoutDedupe",
          line: 9,
          column: 9,
          data: { field: "update_credits", fix: "Record the event id and write in one database function (`rpc`), or upsert by the provider object's id" },
        },
      ],
    },
    {
      name: "event recorded before an imported project handler processes it",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import { db } from "@/db";
import { webhookEvents } from "@/db/schema";
import { handleStripeEvent } from "@/lib/stripe/handlers";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  await db.insert(webhookEvents).values({ eventId: event.id, type: event.type });
  await handleStripeEvent(event);
  return Response.json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 10, column: 9, data: { how: "recorded in", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Drizzle sql increment",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";
import { sql, eq } from "drizzle-orm";
import { db } from "@/db";
import { users } from "@/db/schema";

export async function POST(req: Request) {
  const event = validateEvent(await req.text(), Object.fromEntries(req.headers), process.env.POLAR_WEBHOOK_SECRET!);
  if (event.type === "order.paid") {
    await db.update(users).set({ credits: sql\`\${users.credits} + 100\` }).where(eq(users.polarCustomerId, event.data.customerId));
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 9, column: 34, data: { field: "credits", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Supabase insert in an edge function webhook",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `import { createClient } from "npm:@supabase/supabase-js@2";

const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);

Deno.serve(async (req) => {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, secret);
  const { error } = await supabase.from("orders").insert({ session_id: event.data.object.id, status: "paid" });
  if (error) return new Response(error.message, { status: 500 });
  return new Response("ok");
});
`,
      output: null,
      errors: [
        {
          messageId: "writeWithoutDedupe",
          line: 7,
          column: 27,
          data: { operation: "insert", fix: "Record the event id and write in one database function (`rpc`), or upsert by the provider object's id" },
        },
      ],
    },
    {
      name: "Supabase rpc that increments",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import { createClient } from "@/utils/supabase/server";

export async function POST(req: Request) {
  const payload = await req.json();
  const supabase = await createClient();
  if (payload.meta.event_name === "order_created") {
    await supabase.rpc("increment_credits", { user_id: payload.meta.custom_data.user_id, amount: 50 });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 7, column: 11 }],
    },
    {
      name: "Express webhook with a Mongoose $inc",
      filename: "server/routes/stripe-webhook.js",
      code: `import express from "express";
import { User } from "../models/user.js";

const router = express.Router();

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === "checkout.session.completed") {
    await User.updateOne({ _id: event.data.object.client_reference_id }, { $inc: { credits: 100 } });
  }
  res.json({ received: true });
});

export default router;
`,
      output: null,
      errors: [{ messageId: "incrementWithoutDedupe", line: 9, column: 84, data: { field: "credits", fix: TRANSACTION_FIX } }],
    },
    {
      name: "Convex mark-processed called apart from the work (seed 000 route)",
      filename: "app/api/webhook/route.ts",
      code: `import { ConvexHttpClient } from "convex/browser";
import { api } from "@/convex/_generated/api";

const client = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);

export async function POST(req: Request) {
  const event = validateEvent(await req.text(), Object.fromEntries(req.headers), process.env.POLAR_WEBHOOK_SECRET!);
  await client.mutation(api.credits.grantForOrder, { orderId: event.data.id });
  await client.mutation(api.webhooks.markEventProcessed, {
    eventId: event.id,
    provider: "polar",
    secret: process.env.INTERNAL_API_SECRET,
  });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "dedupeSplit",
          line: 9,
          column: 9,
          data: {
            how: "recorded in",
            fix: "Pass the event id to the mutation that does the work and check and record it there (`npx webhook-lint codemod atomic-mutation`)",
          },
        },
      ],
    },
    {
      name: "httpAction records the event in its own mutation before the work",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/clerk-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const svixId = request.headers.get("svix-id")!;
    const evt = await verify(request);
    await ctx.runMutation(internal.webhooks.recordEvent, { svixId });
    await ctx.runMutation(internal.users.syncFromClerk, { data: evt.data });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
      output: null,
      errors: [{ messageId: "dedupeSplit", line: 12, column: 11 }],
    },
  ],
});

describe("require-idempotent-event-mutation with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = [
    {
      files: ["**/*.js", "**/*.mjs"],
      plugins: { webhook: { rules: { "require-idempotent-event-mutation": rule as never } } },
      rules: { "webhook/require-idempotent-event-mutation": "error" as const },
    },
  ];

  it("reports a Convex increment in plain JavaScript and accepts the deduplicated version", () => {
    const code = `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const addCredits = internalMutation({
  args: { eventId: v.string(), userId: v.id("users"), amount: v.number() },
  handler: async (ctx, args) => {
    const user = await ctx.db.get(args.userId);
    await ctx.db.patch(args.userId, { credits: user.credits + args.amount });
  },
});
`;
    expect(linter.verify(code, config, { filename: "convex/credits.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["incrementWithoutDedupe", 8, 39],
    ]);
    const fixed = code.replace(
      "    const user = await ctx.db.get(args.userId);",
      `    const seen = await ctx.db.query("processed_events").withIndex("by_event_id", (q) => q.eq("eventId", args.eventId)).unique();
    if (seen) return;
    await ctx.db.insert("processed_events", { eventId: args.eventId, processedAt: Date.now() });
    const user = await ctx.db.get(args.userId);`,
    );
    expect(linter.verify(fixed, config, { filename: "convex/credits.js" })).toEqual([]);
  });
});
