import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-query-then-mutation.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";
const CONVEX_CLIENT = `import { ConvexHttpClient } from "convex/browser";
import { api } from "@/convex/_generated/api";

const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);
`;

ruleTester.run("no-query-then-mutation", rule, {
  valid: [
    {
      name: "seed 003 route: one mutation receives the whole event",
      filename: STRIPE_ROUTE,
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  const result = await convex.mutation(api.billing.handleStripeEvent, {
    eventId: event.id,
    type: event.type,
    payload: event.data.object,
  });
  if (result.status === "unresolved_identity") {
    return new Response("Event Logged: Identity Unresolved", { status: 200 });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "seed 003 mutation: check and write inside one internalMutation",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const handleStripeEvent = internalMutation({
  args: { eventId: v.string() },
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("processed_events")
      .withIndex("by_event_id", (q) => q.eq("eventId", args.eventId))
      .unique();
    if (existing) return { status: "ignored" };
    await ctx.db.insert("processed_events", { eventId: args.eventId, processedAt: Date.now() });
    return { status: "success" };
  },
});
`,
    },
    {
      name: "ctx.runQuery and ctx.runMutation inside a mutation share its transaction",
      filename: "convex/credits.ts",
      code: `import { internalMutation } from "./_generated/server";
import { internal } from "./_generated/api";

export const grant = internalMutation({
  handler: async (ctx, args) => {
    const seen = await ctx.runQuery(internal.webhooks.isProcessed, { eventId: args.eventId });
    if (seen) return;
    await ctx.runMutation(internal.webhooks.markProcessed, { eventId: args.eventId });
  },
});
`,
    },
    {
      name: "read used only for the response body",
      filename: "app/api/orders/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const { sku } = await req.json();
  const id = await convex.mutation(api.orders.create, { sku });
  const order = await convex.query(api.orders.get, { id });
  return Response.json(order);
}
`,
    },
    {
      name: "read after the write",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  await fetchMutation(api.users.upsertFromClerk, { data: evt.data });
  const user = await fetchQuery(api.users.byClerkId, { clerkId: evt.data.id });
  console.log("synced", user?._id);
  return new Response("ok");
}
`,
    },
    {
      name: "feature flag read and an unrelated write",
      filename: "app/api/webhooks/polar/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = validateEvent(await req.text(), Object.fromEntries(req.headers), process.env.POLAR_WEBHOOK_SECRET!);
  const settings = await convex.query(api.settings.get, {});
  if (!settings.billingEnabled) return new Response("disabled", { status: 200 });
  await convex.mutation(api.billing.handlePolarEvent, { eventId: event.id, type: event.type });
  return new Response("ok");
}
`,
    },
    {
      name: "auth check in a server action before an unrelated write",
      filename: "app/posts/actions.ts",
      code: `"use server";
import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function createPost(title: string, token: string) {
  const viewer = await fetchQuery(api.users.viewer, {}, { token });
  if (!viewer) throw new Error("Unauthorized");
  await fetchMutation(api.posts.create, { title }, { token });
}
`,
    },
    {
      name: "React component with useQuery and useMutation",
      filename: "app/dashboard/credits.tsx",
      code: `"use client";
import { useMutation, useQuery } from "convex/react";
import { api } from "@/convex/_generated/api";

export function Credits() {
  const credits = useQuery(api.credits.mine);
  const buy = useMutation(api.credits.buy);
  return <button disabled={!credits} onClick={() => buy({ amount: 10 })}>{credits?.balance}</button>;
}
`,
    },
    {
      name: "client component calling convex.query and convex.mutation",
      filename: "components/like-button.tsx",
      code: `"use client";
import { useConvex } from "convex/react";
import { api } from "@/convex/_generated/api";

export function LikeButton({ postId }) {
  const convex = useConvex();
  async function onClick() {
    const liked = await convex.query(api.likes.mine, { postId });
    if (!liked) await convex.mutation(api.likes.add, { postId });
  }
  return <button onClick={onClick}>Like</button>;
}
`,
    },
    {
      name: "page that fetches for rendering",
      filename: "app/billing/page.tsx",
      code: `import { fetchQuery, preloadQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export default async function BillingPage() {
  const plan = await fetchQuery(api.billing.currentPlan, {});
  const invoices = await preloadQuery(api.billing.invoices, {});
  return <Billing plan={plan} preloaded={invoices} />;
}
`,
    },
    {
      name: "read feeds only a provider SDK call; the write is unrelated",
      filename: "app/api/billing/portal/route.ts",
      code: `import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const { userId } = await req.json();
  const user = await fetchQuery(api.users.get, { id: userId });
  const portal = await stripe.billingPortal.sessions.create({ customer: user.stripeCustomerId });
  await fetchMutation(api.audit.log, { action: "portal_opened", url: portal.url });
  return Response.json({ url: portal.url });
}
`,
    },
    {
      name: "action that reads and calls out but writes nothing to Convex",
      filename: "convex/ai.ts",
      code: `import { action } from "./_generated/server";
import { api } from "./_generated/api";

export const summarize = action(async (ctx, { docId }) => {
  const doc = await ctx.runQuery(api.docs.get, { docId });
  const res = await fetch("https://api.openai.com/v1/responses", { method: "POST", body: JSON.stringify({ input: doc.text }) });
  return res.json();
});
`,
    },
    {
      name: "internal action outside webhook code is not checked",
      filename: "convex/embeddings.ts",
      code: `import { internalAction } from "./_generated/server";
import { internal } from "./_generated/api";

export const embed = internalAction(async (ctx, { docId }) => {
  const doc = await ctx.runQuery(internal.docs.get, { docId });
  await ctx.runMutation(internal.docs.saveEmbedding, { docId, vector: await embedText(doc.text) });
});
`,
    },
    {
      name: "read in GET, write in POST",
      filename: "app/api/settings/route.ts",
      code: `${CONVEX_CLIENT}
export async function GET() {
  return Response.json(await convex.query(api.settings.get, {}));
}

export async function POST(req: Request) {
  await convex.mutation(api.settings.update, await req.json());
  return new Response(null, { status: 204 });
}
`,
    },
    {
      name: "plain JavaScript Pages route that only logs what it read",
      filename: "pages/api/webhooks/clerk.js",
      code: `import { ConvexHttpClient } from "convex/browser";
import { api } from "../../../convex/_generated/api";

const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL);

export default async function handler(req, res) {
  const count = await convex.query(api.users.count, {});
  console.log("users before sync", count);
  await convex.mutation(api.users.syncFromClerk, { data: req.body.data });
  res.status(200).json({ received: true });
}
`,
    },
    {
      name: "httpAction that hands the event to one internal mutation",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/stripe",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await verify(request);
    const customer = await ctx.runQuery(internal.customers.count, {});
    await ctx.runMutation(internal.billing.handleStripeEvent, { eventId: event.id, payload: event.data.object });
    return new Response(JSON.stringify({ customer }), { status: 200 });
  }),
});
export default http;
`,
    },
    {
      name: "get-or-create of a Stripe customer: the provider call sits between read and write",
      filename: "convex/billing.ts",
      code: `import { action } from "./_generated/server";
import { internal } from "./_generated/api";

export const getOrCreateCustomer = action(async (ctx) => {
  const identity = await ctx.auth.getUserIdentity();
  if (!identity) throw new Error("Not signed in");
  const known = await ctx.runQuery(internal.billing.customerFor, { clerkUserId: identity.subject });
  if (known) return known;
  const customer = await stripe.customers.create(
    { metadata: { clerkUserId: identity.subject } },
    { idempotencyKey: \`customer-\${identity.subject}\` },
  );
  await ctx.runMutation(internal.billing.saveCustomer, { clerkUserId: identity.subject, customerId: customer.id });
  return customer.id;
});
`,
    },
    {
      name: "write that only runs when the record exists (404 otherwise)",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = await paddle.webhooks.unmarshal(await req.text(), secret, req.headers.get("paddle-signature")!);
  const customerId = event.data.customerId;
  const account = await convex.query(api.accounts.byPaddleCustomer, { customerId });
  if (!account) throw new Error("unknown customer");
  await convex.mutation(api.accounts.setStatus, { customerId, status: event.data.status });
  return new Response("ok");
}
`,
    },
    {
      name: "ternary and && that only act on an existing record",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const payload = await req.json();
  const sub = await convex.query(api.subscriptions.byLemonId, { lemonId: payload.data.id });
  const result = sub
    ? await convex.mutation(api.subscriptions.update, { lemonId: payload.data.id, status: payload.data.attributes.status })
    : null;
  sub && (await convex.mutation(api.subscriptions.touch, { lemonId: payload.data.id }));
  return Response.json({ ok: result !== null });
}
`,
    },
  ],
  invalid: [
    {
      name: "seed 000 style route: isProcessed query, then mutations",
      filename: "app/api/webhooks/polar/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = validateEvent(await req.text(), Object.fromEntries(req.headers), process.env.POLAR_WEBHOOK_SECRET!);
  const processed = await convex.query(api.webhooks.isProcessed, { eventId: event.id });
  if (processed) {
    return new Response("Already processed", { status: 200 });
  }
  await convex.mutation(api.webhooks.markEventProcessed, {
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
          messageId: "queryThenMutation",
          line: 8,
          column: 27,
          data: { read: "api.webhooks.isProcessed", relation: "decides whether the code calls", write: "api.webhooks.markEventProcessed" },
        },
      ],
    },
    {
      name: "Clerk user.created: existence check then create",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    const existing = await fetchQuery(api.users.getByClerkId, { clerkId: evt.data.id });
    if (!existing) {
      await fetchMutation(api.users.create, { clerkId: evt.data.id, email: evt.data.email_addresses[0]?.email_address });
    }
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 8, column: 28 }],
    },
    {
      name: "user looked up by Stripe customer, id passed to the write",
      filename: STRIPE_ROUTE,
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  const subscription = event.data.object;
  const user = await convex.query(api.users.getByStripeCustomer, { customerId: subscription.customer });
  await convex.mutation(api.users.setPlan, { userId: user._id, plan: "pro" });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "queryThenMutation",
          line: 9,
          column: 22,
          data: { read: "api.users.getByStripeCustomer", relation: "is passed to", write: "api.users.setPlan" },
        },
      ],
    },
    {
      name: "httpAction: runQuery dedupe check then runMutation",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/polar/events",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await verify(request);
    const seen = await ctx.runQuery(internal.webhooks.isProcessed, { eventId: event.id });
    if (seen) return new Response(null, { status: 200 });
    await ctx.runMutation(internal.billing.grantCredits, { customerId: event.data.customer_id, amount: 100 });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 11, column: 24 }],
    },
    {
      name: "public action: destructured read feeds the write",
      filename: "convex/checkout.ts",
      code: `import { action } from "./_generated/server";
import { api } from "./_generated/api";

export const start = action(async (ctx, { cartId }) => {
  const { total, userId } = await ctx.runQuery(api.carts.get, { cartId });
  const intent = await stripe.paymentIntents.create({ amount: total, currency: "usd" });
  await ctx.runMutation(api.orders.create, { userId, intentId: intent.id });
  return intent.client_secret;
});
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 5, column: 35 }],
    },
    {
      name: "server action: lost update on a balance",
      filename: "app/wallet/actions.ts",
      code: `"use server";
import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function topUp(userId: string, amount: number) {
  const wallet = await fetchQuery(api.wallets.get, { userId });
  await fetchMutation(api.wallets.setBalance, { userId, balance: wallet.balance + amount });
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 6, column: 24 }],
    },
    {
      name: "plain JavaScript Pages API webhook",
      filename: "pages/api/webhooks/stripe.js",
      code: `import { ConvexHttpClient } from "convex/browser";
import { api } from "../../../convex/_generated/api";

const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL);

export default async function handler(req, res) {
  const event = req.body;
  const order = await convex.query(api.orders.byPaymentIntent, { paymentIntentId: event.data.object.id });
  if (order.status === "paid") return res.status(200).end();
  await convex.mutation(api.orders.markPaid, { orderId: order._id });
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 8, column: 23 }],
    },
    {
      name: "ternary: create only when the lookup found nothing",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const payload = await req.json();
  const sub = await convex.query(api.subscriptions.byLemonId, { lemonId: payload.data.id });
  const created = sub
    ? null
    : await convex.mutation(api.subscriptions.create, { lemonId: payload.data.id, status: payload.data.attributes.status });
  return Response.json({ created: created !== null });
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 8, column: 21 }],
    },
    {
      name: "&& on a missing membership",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  const member = await fetchQuery(api.members.get, { orgId: evt.data.organization.id, userId: evt.data.public_user_data.user_id });
  !member && (await fetchMutation(api.members.add, { orgId: evt.data.organization.id, userId: evt.data.public_user_data.user_id }));
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 6, column: 24 }],
    },
    {
      name: "loop over the read result",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  const seats = await convex.query(api.seats.forSubscription, { subscriptionId: event.data.object.id });
  for (const seat of seats) {
    await convex.mutation(api.seats.deactivate, { seatId: seat._id });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 8, column: 23 }],
    },
    {
      name: "same-file helper called from the handler",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

async function handleUserDeleted(clerkId: string) {
  const user = await fetchQuery(api.users.getByClerkId, { clerkId });
  if (!user) return;
  await fetchMutation(api.users.softDelete, { userId: user._id });
}

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.deleted") await handleUserDeleted(evt.data.id!);
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 5, column: 22 }],
    },
    {
      name: "state check on the record, then a write keyed by the same value",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = await paddle.webhooks.unmarshal(await req.text(), secret, req.headers.get("paddle-signature")!);
  const customerId = event.data.customerId;
  const account = await convex.query(api.accounts.byPaddleCustomer, { customerId });
  if (account.status === "active") return new Response("ok");
  await convex.mutation(api.accounts.activate, { customerId });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 9, column: 25 }],
    },
    {
      name: "read inline in the if test",
      filename: STRIPE_ROUTE,
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (await convex.query(api.webhooks.isProcessed, { eventId: event.id })) return new Response("ok");
  await convex.mutation(api.billing.applyEvent, { type: event.type, object: event.data.object });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 8, column: 13 }],
    },
    {
      name: "Express webhook route",
      filename: "server/index.js",
      code: `import express from "express";
import { ConvexHttpClient } from "convex/browser";
import { api } from "../convex/_generated/api.js";

const app = express();
const convex = new ConvexHttpClient(process.env.CONVEX_URL);

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], secret);
  const done = await convex.query(api.webhooks.isProcessed, { eventId: event.id });
  if (done) return res.sendStatus(200);
  await convex.mutation(api.billing.apply, { eventId: event.id, payload: event.data.object });
  res.sendStatus(200);
});
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 10, column: 22 }],
    },
    {
      name: "result assigned to a let, then an early return",
      filename: "app/api/webhooks/svix/route.ts",
      code: `import { fetchMutation, fetchQuery } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const svixId = req.headers.get("svix-id")!;
  let delivery = null;
  delivery = await fetchQuery(api.deliveries.get, { svixId });
  if (delivery !== null) return new Response("duplicate");
  await fetchMutation(api.deliveries.record, { svixId, body: await req.text() });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 7, column: 20 }],
    },
    {
      name: "dedupe check wrapped in a same-file helper",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `${CONVEX_CLIENT}
async function wasHandled(eventId: string) {
  return await convex.query(api.webhooks.isProcessed, { eventId });
}

export async function POST(req: Request) {
  const payload = await req.json();
  const eventId = req.headers.get("x-event-id")!;
  if (await wasHandled(eventId)) return new Response("ok");
  await convex.mutation(api.licenses.issue, { orderId: payload.data.id });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "queryThenMutation", line: 13, column: 13, data: { read: "api.webhooks.isProcessed", relation: "decides whether the code calls", write: "api.licenses.issue" } }],
    },
    {
      name: "two reads deciding two writes",
      filename: STRIPE_ROUTE,
      code: `${CONVEX_CLIENT}
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  const session = event.data.object;
  const user = await convex.query(api.users.byClerkId, { clerkId: session.metadata.clerkUserId });
  await convex.mutation(api.users.linkCustomer, { userId: user._id, customerId: session.customer });
  const credits = await convex.query(api.credits.balance, { userId: user._id });
  await convex.mutation(api.credits.set, { userId: user._id, balance: credits + 100 });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "queryThenMutation", line: 9, column: 22 },
        { messageId: "queryThenMutation", line: 11, column: 25 },
      ],
    },
  ],
});

describe("no-query-then-mutation with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = [
    {
      files: ["**/*.js", "**/*.mjs"],
      plugins: { webhook: { rules: { "no-query-then-mutation": rule as never } } },
      rules: { "webhook/no-query-then-mutation": "error" as const },
    },
  ];

  it("reports an httpAction in plain JavaScript and leaves the single-mutation version alone", () => {
    const racy = `import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

export const clerkWebhook = httpAction(async (ctx, request) => {
  const evt = await verify(request);
  const user = await ctx.runQuery(internal.users.byClerkId, { clerkId: evt.data.id });
  if (user) return new Response(null, { status: 200 });
  await ctx.runMutation(internal.users.create, { clerkId: evt.data.id });
  return new Response(null, { status: 200 });
});
`;
    expect(linter.verify(racy, config, { filename: "convex/http.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["queryThenMutation", 6, 22],
    ]);
    const atomic = `import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

export const clerkWebhook = httpAction(async (ctx, request) => {
  const evt = await verify(request);
  await ctx.runMutation(internal.users.upsertFromClerk, { clerkId: evt.data.id });
  return new Response(null, { status: 200 });
});
`;
    expect(linter.verify(atomic, config, { filename: "convex/http.js" })).toEqual([]);
  });
});
