import { describe, expect, it } from "vitest";
import { convexFunctions } from "../../src/model/convex.js";
import {
  dbReads,
  dedupeReads,
  eventDrivenReason,
  eventLedgerRole,
  isEventIdExpression,
  isEventLogRow,
  isLogTable,
  ledgerRoleByName,
  undedupedEventMutations,
  undedupedHandlerWrites,
} from "../../src/model/dedupe.js";
import type { FileContext } from "../../src/model/file.js";
import { analyzeSource } from "../../src/model/parse.js";
import { findAll } from "../../src/model/ast.js";
import { incrementsIn } from "../../src/model/increments.js";

function text(file: FileContext, node: { range: [number, number] } | null): string | null {
  return node ? file.text.slice(node.range[0], node.range[1]) : null;
}

const HEADER = ['import { v } from "convex/values";', 'import { internalMutation, mutation, query } from "./_generated/server";'].join("\n");

const SEED_003 = [
  HEADER,
  "export const handleStripeEvent = internalMutation({",
  "  args: { eventId: v.string(), type: v.string(), payload: v.any(), clerkUserId: v.optional(v.string()) },",
  "  handler: async (ctx, args) => {",
  "    const existing = await ctx.db",
  '      .query("processed_events")',
  '      .withIndex("by_event_id", (q) => q.eq("eventId", args.eventId))',
  "      .unique();",
  "    if (existing) {",
  '      return { status: "ignored" };',
  "    }",
  "    if (args.type === 'payment_intent.succeeded') {",
  "      const booking = await ctx.db",
  '        .query("bookings")',
  '        .withIndex("by_pi", (q) => q.eq("paymentIntentId", args.payload.id))',
  "        .unique();",
  "      if (booking && booking.status !== 'succeeded') {",
  "        await ctx.db.patch(booking._id, { status: 'succeeded', paidAt: Date.now() });",
  "      }",
  "    }",
  '    await ctx.db.insert("processed_events", { eventId: args.eventId, processedAt: Date.now() });',
  '    return { status: "success" };',
  "  },",
  "});",
].join("\n");

function findings(code: string, filename = "convex/billing.ts") {
  const file = analyzeSource(code, filename);
  return undedupedEventMutations(file).map((f) => ({
    name: f.fn.exportName,
    reason: f.reason,
    eventIdArg: f.eventIdArg,
    writes: f.writes.map((w) => text(file, w.callee)),
    increments: f.increments.map((i) => text(file, i)),
    split: f.split ? text(file, f.split.key) : null,
  }));
}

describe("dedupeReads", () => {
  it("reads table, index, field and key of seed 003's dedupe check", () => {
    const file = analyzeSource(SEED_003, "convex/billing.ts");
    const [fn] = convexFunctions(file);
    expect(dedupeReads(file, fn!).map((d) => [d.table, d.index, d.field, text(file, d.key)])).toEqual([
      ["processed_events", "by_event_id", "eventId", "args.eventId"],
    ]);
  });

  it("understands filter(), getOneFrom, helpers and ctx.runQuery in a mutation", () => {
    const file = analyzeSource(
      [
        HEADER,
        'import { getOneFrom } from "convex-helpers/server/relationships";',
        'import { internal } from "./_generated/api";',
        "async function findEvent(ctx, id: string) {",
        '  return await ctx.db.query("webhookEvents").withIndex("by_svix_id", (q) => q.eq("svixId", id)).first();',
        "}",
        "export const a = internalMutation({",
        "  args: { stripeEventId: v.string(), svixId: v.string(), deliveryId: v.string() },",
        "  handler: async (ctx, args) => {",
        '    await ctx.db.query("stripe_events").filter((q) => q.eq(q.field("stripeEventId"), args.stripeEventId)).first();',
        '    await getOneFrom(ctx.db, "deliveries", "by_deliveryId", args.deliveryId, "deliveryId");',
        "    await findEvent(ctx, args.svixId);",
        "    await ctx.runQuery(internal.webhooks.isProcessed, { eventId: args.stripeEventId });",
        '    await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", args.email)).unique();',
        "  },",
        "});",
      ].join("\n"),
      "convex/webhooks.ts",
    );
    const [fn] = convexFunctions(file);
    expect(dedupeReads(file, fn!).map((d) => [d.table, d.index, d.field, text(file, d.key), d.helper !== null])).toEqual([
      ["stripe_events", null, "stripeEventId", "args.stripeEventId", false],
      ["deliveries", "by_deliveryId", "deliveryId", "args.deliveryId", false],
      ["webhookEvents", "by_svix_id", "svixId", "id", true],
      [null, null, "eventId", "args.stripeEventId", false],
    ]);
  });

  it("parses read chains without mistaking convex.query(api.x) for a db read", () => {
    const file = analyzeSource(
      [
        'const a = await ctx.db.query("subs").withIndex("by_sub", (q) => q.eq("provider", "stripe").eq("subscriptionId", id)).order("desc").first();',
        "const b = await ctx.db.get(args.userId);",
        'const c = await ctx.db.get("users", args.userId);',
        "const d = await convex.query(api.users.get, {}).first();",
      ].join("\n"),
      "convex/x.ts",
    );
    expect(
      dbReads(file.program).map((r) => [r.table, r.index, r.method, r.conditions.map((c) => `${c.field}=${text(file, c.key)}`)]),
    ).toEqual([
      ["subs", "by_sub", "first", ['provider="stripe"', "subscriptionId=id"]],
      [null, null, "get", ["_id=args.userId"]],
      ["users", null, "get", ["_id=args.userId"]],
    ]);
  });
});

describe("eventLedgerRole", () => {
  it("tells check and mark functions from handlers that do work", () => {
    const file = analyzeSource(
      [
        HEADER,
        "export const isProcessed = query({",
        "  args: { eventId: v.string() },",
        "  handler: async (ctx, { eventId }) => {",
        '    const e = await ctx.db.query("processed_events").withIndex("by_event_id", (q) => q.eq("eventId", eventId)).first();',
        "    return e !== null;",
        "  },",
        "});",
        "export const markEventProcessed = mutation({",
        "  args: { eventId: v.string(), provider: v.string(), secret: v.string() },",
        "  handler: async (ctx, args) => {",
        '    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });',
        "  },",
        "});",
        "export const recordPayment = internalMutation({",
        "  args: { eventId: v.string(), amount: v.number() },",
        "  handler: async (ctx, args) => {",
        '    await ctx.db.insert("payments", { eventId: args.eventId, amount: args.amount });',
        "  },",
        "});",
      ].join("\n"),
      "convex/webhooks.ts",
    );
    expect(convexFunctions(file).map((fn) => eventLedgerRole(file, fn))).toEqual([
      { role: "check", table: "processed_events", index: "by_event_id", field: "eventId" },
      { role: "mark", table: "processed_events", index: null, field: "eventId" },
      null,
    ]);
  });
});

describe("undedupedEventMutations", () => {
  it("accepts seed 003's handleStripeEvent", () => {
    expect(findings(SEED_003)).toEqual([]);
  });

  it("reports an increment without dedupe (the worst case)", () => {
    const code = [
      HEADER,
      "export const addCredits = mutation({",
      "  args: { eventId: v.string(), clerkUserId: v.string(), amount: v.number() },",
      "  handler: async (ctx, args) => {",
      '    const user = await ctx.db.query("users").withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId)).unique();',
      '    if (!user) throw new Error("no user");',
      "    await ctx.db.patch(user._id, { credits: user.credits + args.amount });",
      "  },",
      "});",
    ].join("\n");
    expect(findings(code, "convex/credits.ts")).toEqual([
      {
        name: "addCredits",
        reason: "event-id-arg",
        eventIdArg: "eventId",
        writes: ["ctx.db.patch"],
        increments: ["credits: user.credits + args.amount"],
        split: null,
      },
    ]);
  });

  it("accepts absolute patches keyed by the provider object id, upserts and deletes", () => {
    const code = [
      HEADER,
      "export const syncSubscription = internalMutation({",
      "  args: { stripeEventId: v.string(), subscriptionId: v.string(), status: v.string(), priceId: v.string() },",
      "  handler: async (ctx, args) => {",
      '    const sub = await ctx.db.query("subscriptions").withIndex("by_subscription_id", (q) => q.eq("subscriptionId", args.subscriptionId)).unique();',
      "    if (sub) {",
      "      await ctx.db.patch(sub._id, { status: args.status, priceId: args.priceId, updatedAt: Date.now() });",
      "    } else {",
      '      await ctx.db.insert("subscriptions", { subscriptionId: args.subscriptionId, status: args.status, priceId: args.priceId });',
      "    }",
      "  },",
      "});",
      "export const deleteSubscription = internalMutation({",
      "  args: { stripeEventId: v.string(), subscriptionId: v.string() },",
      "  handler: async (ctx, args) => {",
      '    const sub = await ctx.db.query("subscriptions").withIndex("by_subscription_id", (q) => q.eq("subscriptionId", args.subscriptionId)).unique();',
      "    if (sub) await ctx.db.delete(sub._id);",
      "  },",
      "});",
    ].join("\n");
    expect(findings(code)).toEqual([]);
  });

  it("reports inserts and scheduling without dedupe, and a check whose record is elsewhere", () => {
    const code = [
      HEADER,
      'import { internal } from "./_generated/api";',
      "export const recordPayment = internalMutation({",
      "  args: { event: v.any() },",
      "  handler: async (ctx, { event }) => {",
      '    await ctx.db.insert("payments", { invoiceId: event.data.object.id, amount: event.data.object.amount_paid });',
      "    await ctx.scheduler.runAfter(0, internal.emails.sendReceipt, { invoiceId: event.data.object.id });",
      "  },",
      "});",
      "export const grant = internalMutation({",
      "  args: { svixId: v.string(), userId: v.id('users') },",
      "  handler: async (ctx, args) => {",
      '    const seen = await ctx.db.query("processed_events").withIndex("by_event_id", (q) => q.eq("eventId", args.svixId)).unique();',
      "    if (seen) return;",
      '    await ctx.db.insert("grants", { userId: args.userId });',
      "  },",
      "});",
    ].join("\n");
    expect(findings(code)).toEqual([
      {
        name: "recordPayment",
        reason: "event-arg",
        eventIdArg: "event",
        writes: ["ctx.db.insert", "ctx.scheduler.runAfter"],
        increments: [],
        split: null,
      },
      {
        name: "grant",
        reason: "event-id-arg",
        eventIdArg: "svixId",
        writes: ["ctx.db.insert"],
        increments: [],
        split: "args.svixId",
      },
    ]);
  });

  it("accepts a dedupe through ctx.runQuery/ctx.runMutation inside the same mutation", () => {
    const code = [
      HEADER,
      'import { internal } from "./_generated/api";',
      "export const apply = internalMutation({",
      "  args: { eventId: v.string(), userId: v.id('users') },",
      "  handler: async (ctx, args) => {",
      "    if (await ctx.runQuery(internal.webhooks.isProcessed, { eventId: args.eventId })) return;",
      '    const user = await ctx.db.get(args.userId);',
      "    await ctx.db.patch(args.userId, { credits: user!.credits + 100 });",
      "    await ctx.runMutation(internal.webhooks.markProcessed, { eventId: args.eventId });",
      "  },",
      "});",
    ].join("\n");
    expect(findings(code)).toEqual([]);
  });

  it("ignores mutations that are not webhook-driven", () => {
    const code = [
      HEADER,
      "export const rsvp = mutation({",
      "  args: { eventId: v.id('events') },",
      "  handler: async (ctx, args) => {",
      '    await ctx.db.insert("rsvps", { eventId: args.eventId });',
      "  },",
      "});",
      "export const track = mutation({",
      "  args: { event: v.string(), props: v.any() },",
      "  handler: async (ctx, args) => {",
      '    await ctx.db.insert("analytics", { event: args.event, props: args.props });',
      "  },",
      "});",
      "export const like = mutation({",
      "  args: { postId: v.id('posts') },",
      "  handler: async (ctx, args) => {",
      "    const post = await ctx.db.get(args.postId);",
      "    await ctx.db.patch(args.postId, { likes: post!.likes + 1 });",
      "  },",
      "});",
    ].join("\n");
    expect(findings(code, "convex/events.ts")).toEqual([]);
  });

  it("counts internal mutations in a webhook module and those called from its webhook handler", () => {
    const code = [
      HEADER,
      'import { httpAction } from "./_generated/server";',
      'import { internal } from "./_generated/api";',
      "export const createUser = internalMutation({",
      "  args: { clerkId: v.string(), email: v.string() },",
      "  handler: async (ctx, args) => {",
      '    await ctx.db.insert("users", { clerkId: args.clerkId, email: args.email });',
      "  },",
      "});",
      "export const upsertUser = internalMutation({",
      "  args: { clerkId: v.string(), email: v.string() },",
      "  handler: async (ctx, args) => {",
      '    const user = await ctx.db.query("users").withIndex("by_clerk_id", (q) => q.eq("clerkId", args.clerkId)).unique();',
      "    if (user) return await ctx.db.patch(user._id, { email: args.email });",
      '    await ctx.db.insert("users", { clerkId: args.clerkId, email: args.email });',
      "  },",
      "});",
      "export const updateProfile = mutation({",
      "  args: { name: v.string() },",
      "  handler: async (ctx, args) => {",
      "    const identity = await ctx.auth.getUserIdentity();",
      '    await ctx.db.insert("profiles", { name: args.name, subject: identity!.subject });',
      "  },",
      "});",
    ].join("\n");
    expect(findings(code, "convex/webhooks.ts").map((f) => [f.name, f.reason, f.writes])).toEqual([
      ["createUser", "webhook-module", ["ctx.db.insert"]],
    ]);
    const file = analyzeSource(code.replace("internalMutation({\n  args: { clerkId", "mutation({\n  args: { clerkId"), "convex/users.ts");
    expect(convexFunctions(file).map((fn) => eventDrivenReason(file, fn))).toEqual([null, null, null]);
  });
});

describe("incrementsIn", () => {
  it("finds increments, appends and computed balances, not absolute values", () => {
    const file = analyzeSource(
      [
        "async function apply(ctx, args) {",
        "const next = user.balance - cost;",
        "patch(id, {",
        "  credits: (user.credits ?? 0) + args.amount,",
        "  balance: next,",
        "  seats: Math.max(0, org.seats - 1),",
        "  items: [...doc.items, item],",
        "  tags: doc.tags.concat(tag),",
        "  stats: { count: stats.count + 1 },",
        "  plan: args.plan,",
        "  name: user.firstName + ' ' + user.lastName,",
        "  total: args.total + 1,",
        "});",
        "}",
      ].join("\n"),
      "convex/x.ts",
    );
    const call = findAll(file.program, ["CallExpression"]).find((c) => c.callee.type === "Identifier" && c.callee.name === "patch")!;
    expect(incrementsIn(call.arguments[1]!).map((p) => text(file, p.key))).toEqual(["credits", "balance", "seats", "items", "tags", "count"]);
  });
});

describe("event id vocabulary", () => {
  it("recognises event id expressions", () => {
    const file = analyzeSource(
      [
        "function f(args, req, event, session) {",
        '  const svixId = req.headers.get("svix-id");',
        "  const { id } = event;",
        "  use(args.eventId, event.id, args.event.id, svixId, id, session.id, args.userId, req.headers['webhook-id']);",
        "}",
      ].join("\n"),
      "lib/x.ts",
    );
    const use = findAll(file.program, ["CallExpression"]).find((c) => c.callee.type === "Identifier" && c.callee.name === "use")!;
    expect(use.arguments.map((a) => isEventIdExpression(a))).toEqual([true, true, true, true, true, false, false, true]);
  });

  it("names ledger functions", () => {
    expect(
      ["isProcessed", "hasProcessedEvent", "markEventProcessed", "recordWebhookEvent", "eventExists", "getUser", "createEvent", "processedEvents"].map(
        ledgerRoleByName,
      ),
    ).toEqual(["check", "check", "mark", "mark", "check", null, "mark", "check"]);
  });
});

describe("undedupedHandlerWrites", () => {
  function handlerFindings(code: string, filename = "app/api/webhooks/stripe/route.ts") {
    const file = analyzeSource(code, filename);
    return undedupedHandlerWrites(file).map((f) => [f.problem, f.store, f.ledger, f.detail, f.node.loc.start.line]);
  }
  const ROUTE_HEAD = [
    'import Stripe from "stripe";',
    'import { prisma } from "@/lib/prisma";',
    "export async function POST(req: Request) {",
    '  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);',
  ];

  it("reports increments and inserts without dedupe, not upserts or absolute updates", () => {
    const code = [
      ...ROUTE_HEAD,
      '  if (event.type === "checkout.session.completed") {',
      "    await prisma.user.update({ where: { id: userId }, data: { credits: { increment: 100 } } });",
      "    await prisma.payment.create({ data: { sessionId: session.id, amount: session.amount_total } });",
      "    await prisma.subscription.upsert({ where: { stripeSubscriptionId: sub.id }, create: { stripeSubscriptionId: sub.id }, update: {} });",
      "    await prisma.user.update({ where: { stripeCustomerId: customerId }, data: { plan: 'pro' } });",
      "  }",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code)).toEqual([
      ["increment", "prisma", null, "credits", 6],
      ["write", "prisma", null, "insert", 7],
    ]);
  });

  it("accepts a unique insert of the event id in the same $transaction", () => {
    const code = [
      ...ROUTE_HEAD,
      "  await prisma.$transaction(async (tx) => {",
      "    await tx.processedEvent.create({ data: { id: event.id } });",
      "    await tx.user.update({ where: { id: userId }, data: { credits: { increment: 100 } } });",
      "  });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code)).toEqual([]);
  });

  it("reports a check and a record in other transactions than the work", () => {
    const code = [
      ...ROUTE_HEAD,
      "  const seen = await prisma.webhookEvent.findUnique({ where: { id: event.id } });",
      '  if (seen) return new Response("duplicate");',
      "  await prisma.user.update({ where: { id: userId }, data: { credits: { increment: 100 } } });",
      "  await prisma.webhookEvent.create({ data: { id: event.id } });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code)).toEqual([["split", "prisma", "check", "webhookEvent", 5]]);
  });

  it("reports a Convex mark-processed mutation called apart from the work", () => {
    const code = [
      'import { ConvexHttpClient } from "convex/browser";',
      'import { api } from "@/convex/_generated/api";',
      "const client = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);",
      "export async function POST(req: Request) {",
      '  const event = validateEvent(await req.text(), Object.fromEntries(req.headers), process.env.POLAR_WEBHOOK_SECRET ?? "");',
      "  await client.mutation(api.webhooks.markEventProcessed, { eventId: event.id });",
      "  await client.mutation(api.credits.grant, { userId: event.data.customer.externalId });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code, "app/api/webhooks/polar/route.ts")).toEqual([["split", "convex", "mark", "webhooks.markEventProcessed", 6]]);
  });

  it("counts work done by a same-file helper when the event is recorded apart from it", () => {
    const code = [
      'import { internalAction } from "./_generated/server";',
      'import { internal } from "./_generated/api";',
      "async function handleCheckout(ctx, event) {",
      "  await ctx.runMutation(internal.payments.markCompleted, { sessionId: event.data.object.id });",
      "}",
      "export const fulfill = internalAction(async (ctx, { payload, signature }) => {",
      "  const event = await stripe.webhooks.constructEventAsync(payload, signature, process.env.STRIPE_WEBHOOK_SECRET!);",
      '  if (event.type === "checkout.session.completed") await handleCheckout(ctx, event);',
      "  await ctx.runMutation(internal.stripeEvents.recordEvent, { eventId: event.id, processedAt: Date.now() });",
      "});",
    ].join("\n");
    expect(handlerFindings(code, "convex/stripe.ts")).toEqual([["split", "convex", "mark", "stripeEvents.recordEvent", 9]]);
  });

  it("does not take a log row without the event id for a dedupe record, nor report the log row", () => {
    const code = [
      ...ROUTE_HEAD,
      "  await prisma.webhookLog.create({ data: { type: event.type, receivedAt: new Date() } });",
      "  await prisma.user.update({ where: { id: userId }, data: { credits: { increment: 100 } } });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code)).toEqual([["increment", "prisma", null, "credits", 6]]);
  });

  it("takes a get-or-create keyed by a provider object id for an upsert, not for an event-id check", () => {
    const code = [
      ...ROUTE_HEAD,
      "  const product = await prisma.stripeProduct.findUnique({ where: { stripeProductId: productId } });",
      "  if (!product) await prisma.stripeProduct.create({ data: { stripeProductId: productId } });",
      "  const price = await prisma.price.findUnique({ where: { stripePriceId: priceId } });",
      "  await prisma.price.create({ data: { stripePriceId: priceId } });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code)).toEqual([["write", "prisma", null, "insert", 8]]);
  });

  it("accepts inserts whose unique violation is handled and rows that only log the delivery", () => {
    const code = [
      ...ROUTE_HEAD,
      '  try { await prisma.user.create({ data: { clerkId } }); } catch (e: any) { if (e.code !== "P2002") throw e; }',
      "  await prisma.lemonSqueezyWebhookEvent.create({ data: { eventName: body.meta.event_name, payload: body } });",
      "  await prisma.paddleNotification.create({ data: { payload: body, receivedAt: new Date() } });",
      "  await prisma.order.create({ data: { payload: body } });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code)).toEqual([["write", "prisma", null, "insert", 8]]);
  });

  it("reports an event recorded before any work outside its transaction, unless released or completed", () => {
    const recordFirst = [
      ...ROUTE_HEAD,
      "  await prisma.stripeEvent.create({ data: { id: event.id } });",
      "  await prisma.order.update({ where: { id: orderId }, data: { status: 'paid' } });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(recordFirst)).toEqual([["split", "prisma", "mark", "stripeEvent", 5]]);
    const completed = recordFirst.replace(
      '  return new Response("ok");',
      "  await prisma.stripeEvent.update({ where: { id: event.id }, data: { status: 'processed' } });\n  return new Response(\"ok\");",
    );
    expect(handlerFindings(completed)).toEqual([]);
    const upsertNoCheck = recordFirst.replace("prisma.stripeEvent.create({ data: { id: event.id } })", "prisma.stripeEvent.upsert({ where: { id: event.id }, create: { id: event.id }, update: {} })");
    expect(handlerFindings(upsertNoCheck)).toEqual([]);
    const swallowed = recordFirst.replace(
      "  await prisma.stripeEvent.create({ data: { id: event.id } });",
      "  try { await prisma.stripeEvent.create({ data: { id: event.id } }); } catch (e) { console.warn(e); }",
    );
    expect(handlerFindings(swallowed)).toEqual([]);
    const inTransaction = [
      ...ROUTE_HEAD,
      "  await prisma.$transaction(async (tx) => {",
      "    await tx.stripeEvent.create({ data: { id: event.id } });",
      "    await tx.order.update({ where: { id: orderId }, data: { status: 'paid' } });",
      "  });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(inTransaction)).toEqual([]);
  });

  it("reports a record only when a duplicate of it ends the handler before the work", () => {
    const work = "  await prisma.order.update({ where: { id: orderId }, data: { status: 'paid' } });";
    const run = (record: string) => handlerFindings([...ROUTE_HEAD, record, work, '  return new Response("ok");', "}"].join("\n")).map((f) => f[0]);
    expect(run('  try { await prisma.stripeEvent.create({ data: { id: event.id } }); } catch (e: any) { if (e.code === "P2002") return new Response("dup"); throw e; }')).toEqual(["split"]);
    expect(run('  try { await prisma.stripeEvent.create({ data: { id: event.id } }); } catch (e: any) { if (e.code !== "P2002") throw e; }')).toEqual([]);
    expect(run('  await prisma.stripeEvent.create({ data: { id: event.id } }).catch((e) => { if (e.code !== "P2002") throw e; });')).toEqual([]);
    expect(run("  await db.insert(stripeEvents).values({ id: event.id }).onConflictDoNothing();")).toEqual([]);
    expect(
      run('  const claimed = await db.insert(stripeEvents).values({ id: event.id }).onConflictDoNothing().returning();\n  if (claimed.length === 0) return new Response("dup");'),
    ).toEqual(["split"]);
  });

  it("reports a Supabase event insert whose error is read before the work, not one whose error is ignored", () => {
    const head = [
      'import { createClient } from "npm:@supabase/supabase-js@2";',
      "const supabase = createClient(url, key);",
      "Deno.serve(async (req) => {",
      '  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, secret);',
    ];
    const read = [
      ...head,
      '  const { error } = await supabase.from("stripe_events").insert({ id: event.id });',
      '  if (error) return new Response("duplicate");',
      '  await supabase.from("orders").update({ status: "paid" }).eq("session_id", event.data.object.id);',
      '  return new Response("ok");',
      "});",
    ].join("\n");
    expect(handlerFindings(read, "supabase/functions/stripe-webhook/index.ts")).toEqual([["split", "supabase", "mark", "stripe_events", 5]]);
    const ignored = read.replace('  const { error } = await supabase.from("stripe_events")', '  await supabase.from("stripe_events")').replace('  if (error) return new Response("duplicate");\n', "");
    expect(handlerFindings(ignored, "supabase/functions/stripe-webhook/index.ts")).toEqual([]);
    const letThrough = read.replace('  if (error) return new Response("duplicate");', '  if (error && error.code !== "23505") throw error;');
    expect(handlerFindings(letThrough, "supabase/functions/stripe-webhook/index.ts")).toEqual([]);
  });

  it("reports a claim made by an imported helper whose answer ends the handler before the work", () => {
    const code = [
      'import { claimEvent } from "@/lib/events";',
      'import { grantCredits } from "@/lib/credits";',
      "export async function POST(req: Request) {",
      '  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);',
      "  if (!(await claimEvent({ eventId: event.id }))) return new Response(\"duplicate\");",
      "  await grantCredits(event.data.object.client_reference_id, 100);",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code)).toEqual([["split", "helper", "mark", "claimEvent", 5]]);
    const byName = code.replace(
      "  if (!(await claimEvent({ eventId: event.id }))) return new Response(\"duplicate\");",
      "  const eventId = event.id || event.event_id;\n  const isNew = await claimEvent(\"stripe\", eventId);\n  if (!isNew) return new Response(\"duplicate\");",
    );
    expect(handlerFindings(byName)).toEqual([["split", "helper", "mark", "claimEvent", 6]]);
    expect(handlerFindings(code.replace("  await grantCredits(event.data.object.client_reference_id, 100);\n", ""))).toEqual([]);
  });

  it("ignores handlers that are not webhooks and ORM calls in non-webhook routes", () => {
    const code = [
      'import { prisma } from "@/lib/prisma";',
      "export async function POST(req: Request) {",
      "  const { title } = await req.json();",
      "  await prisma.post.create({ data: { title } });",
      "  await prisma.user.update({ where: { id: 1 }, data: { posts: { increment: 1 } } });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(handlerFindings(code, "app/api/posts/route.ts")).toEqual([]);
  });
});

describe("isLogTable", () => {
  it("knows append-only log tables from words that end in log", () => {
    expect(["webhookLogs", "audit_log", "webhook_log", "logs", "auditTrail", "catalog", "blogs", "dialog", "payments"].map(isLogTable)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("isEventLogRow", () => {
  it("tells rows that log a delivery from ledger records and state", () => {
    expect(
      [
        isEventLogRow("webhookLogs", ["eventId"], true),
        isEventLogRow("lemonSqueezyWebhookEvent", ["eventName", "payload"], false),
        isEventLogRow("stripe_events", ["type"], false),
        isEventLogRow("stripe_events", ["id", "type"], true),
        isEventLogRow("paddleNotifications", ["payload", "receivedAt"], false),
        isEventLogRow("orders", ["payload"], false),
        isEventLogRow("orders", ["sessionId"], false),
      ],
    ).toEqual([true, true, true, false, true, false, false]);
  });
});
