import { describe, expect, it } from "vitest";
import { ormCalls } from "../../src/model/orm.js";
import { analyzeSource } from "../../src/model/parse.js";

function calls(code: string, filename = "app/api/webhooks/stripe/route.ts") {
  const file = analyzeSource(code, filename);
  return ormCalls(file, file.program).map((c) => ({
    orm: c.orm,
    op: c.op,
    table: c.table,
    fields: c.conditions.map((k) => k.field),
    idempotent: c.idempotent,
    increments: c.increments.length,
    tx: c.transaction !== null,
  }));
}

describe("ormCalls", () => {
  it("classifies Prisma calls, increments, upserts and transactions", () => {
    const code = [
      'import { prisma } from "@/lib/prisma";',
      "await prisma.user.update({ where: { id: userId }, data: { credits: { increment: 100 } } });",
      "await prisma.user.update({ where: { id: userId }, data: { plan: 'pro' } });",
      "await prisma.subscription.upsert({ where: { stripeSubscriptionId: sub.id }, create: { stripeSubscriptionId: sub.id }, update: { status: sub.status } });",
      "await prisma.payment.createMany({ data: rows, skipDuplicates: true });",
      "await prisma.$transaction(async (tx) => {",
      "  await tx.processedEvent.create({ data: { id: event.id } });",
      "  await tx.wallet.update({ where: { userId }, data: { balance: { decrement: 5 } } });",
      "});",
      "await prisma.$transaction([prisma.order.create({ data: {} }), prisma.webhookEvent.findUnique({ where: { eventId: event.id } })]);",
      "const ctxCall = await ctx.prisma.invoice.delete({ where: { id } });",
    ].join("\n");
    expect(calls(code)).toEqual([
      { orm: "prisma", op: "update", table: "user", fields: ["id"], idempotent: false, increments: 1, tx: false },
      { orm: "prisma", op: "update", table: "user", fields: ["id"], idempotent: true, increments: 0, tx: false },
      { orm: "prisma", op: "upsert", table: "subscription", fields: ["stripeSubscriptionId"], idempotent: true, increments: 0, tx: false },
      { orm: "prisma", op: "create", table: "payment", fields: [], idempotent: true, increments: 0, tx: false },
      { orm: "prisma", op: "create", table: "processedEvent", fields: [], idempotent: false, increments: 0, tx: true },
      { orm: "prisma", op: "update", table: "wallet", fields: ["userId"], idempotent: false, increments: 1, tx: true },
      { orm: "prisma", op: "create", table: "order", fields: [], idempotent: false, increments: 0, tx: true },
      { orm: "prisma", op: "read", table: "webhookEvent", fields: ["eventId"], idempotent: true, increments: 0, tx: true },
      { orm: "prisma", op: "delete", table: "invoice", fields: ["id"], idempotent: true, increments: 0, tx: false },
    ]);
  });

  it("classifies Drizzle chains and relational reads", () => {
    const code = [
      'import { db } from "@/db";',
      'import { sql, eq, and } from "drizzle-orm";',
      "await db.update(users).set({ credits: sql`${users.credits} + ${amount}` }).where(eq(users.id, userId));",
      "await db.insert(payments).values({ invoiceId: invoice.id }).onConflictDoNothing({ target: payments.invoiceId });",
      "await db.insert(payments).values({ invoiceId: invoice.id }).returning();",
      "await db.select().from(processedEvents).where(and(eq(processedEvents.eventId, event.id), eq(processedEvents.provider, 'stripe')));",
      "await db.query.users.findFirst({ where: eq(users.clerkId, data.id) });",
      "await db.transaction(async (tx) => { await tx.delete(sessions).where(eq(sessions.userId, id)); });",
    ].join("\n");
    expect(calls(code)).toEqual([
      { orm: "drizzle", op: "update", table: "users", fields: ["id"], idempotent: false, increments: 1, tx: false },
      { orm: "drizzle", op: "create", table: "payments", fields: [], idempotent: true, increments: 0, tx: false },
      { orm: "drizzle", op: "create", table: "payments", fields: [], idempotent: false, increments: 0, tx: false },
      { orm: "drizzle", op: "read", table: "processedEvents", fields: ["eventId", "provider"], idempotent: true, increments: 0, tx: false },
      { orm: "drizzle", op: "read", table: "users", fields: ["clerkId"], idempotent: true, increments: 0, tx: false },
      { orm: "drizzle", op: "delete", table: "sessions", fields: ["userId"], idempotent: true, increments: 0, tx: true },
    ]);
  });

  it("classifies Supabase queries and rpc calls, and ignores Convex ctx.db", () => {
    const code = [
      'import { createClient } from "@supabase/supabase-js";',
      "const supabase = createClient(url, key);",
      "const { error } = await supabase.from('orders').insert({ order_id: order.id }).select().single();",
      "await supabase.from('subscriptions').upsert({ id: sub.id, status: sub.status }, { onConflict: 'id' });",
      "await supabase.from('profiles').update({ credits: profile.credits + 10 }).eq('id', userId);",
      "await supabase.from('processed_events').select('id').match({ event_id: event.id }).maybeSingle();",
      "await supabase.rpc('increment_credits', { user_id: userId, amount: 10 });",
      "await supabase.rpc('handle_stripe_event', { payload: event });",
      'await ctx.db.insert("users", { name });',
      "const client = new Anthropic();",
      "await client.messages.create({ model, messages });",
      "const admin = createAdminClient();",
      "await admin.from('credits').insert({ user_id: userId });",
      'await ctx.db.query("users").collect();',
    ].join("\n");
    expect(calls(code)).toEqual([
      { orm: "supabase", op: "create", table: "orders", fields: [], idempotent: false, increments: 0, tx: false },
      { orm: "supabase", op: "upsert", table: "subscriptions", fields: [], idempotent: true, increments: 0, tx: false },
      { orm: "supabase", op: "update", table: "profiles", fields: ["id"], idempotent: false, increments: 1, tx: false },
      { orm: "supabase", op: "read", table: "processed_events", fields: ["event_id"], idempotent: true, increments: 0, tx: false },
      { orm: "supabase", op: "rpc", table: "increment_credits", fields: [], idempotent: false, increments: 1, tx: false },
      { orm: "supabase", op: "rpc", table: "handle_stripe_event", fields: [], idempotent: true, increments: 0, tx: false },
      { orm: "supabase", op: "create", table: "credits", fields: [], idempotent: false, increments: 0, tx: false },
    ]);
  });

  it("classifies MongoDB $inc updates and nothing else of Mongo", () => {
    const code = [
      "await User.updateOne({ _id: userId }, { $inc: { credits: 100 } });",
      "await users.findOneAndUpdate({ stripeCustomerId }, { $inc: { credits: 10, purchases: 1 } }, { new: true });",
      "await User.updateOne({ _id: userId }, { $set: { plan: 'pro' } });",
    ].join("\n");
    expect(calls(code, "server/webhooks/stripe.ts")).toEqual([
      { orm: "mongo", op: "update", table: "User", fields: ["_id"], idempotent: false, increments: 1, tx: false },
      { orm: "mongo", op: "update", table: "users", fields: ["stripeCustomerId"], idempotent: false, increments: 2, tx: false },
    ]);
  });
});
