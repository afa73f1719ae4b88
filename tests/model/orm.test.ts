import { describe, expect, it } from "vitest";
import { handlesDuplicate, ormCalls } from "../../src/model/orm.js";
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
  it("does not take Object.prototype methods for ORM operations (`prisma.user.toString()`)", () => {
    const code = [
      'import { prisma } from "@/lib/prisma";',
      "const label = prisma.user.toString();",
      "const same = prisma.user.valueOf();",
      "await prisma.user.update({ where: { id: userId }, data: { plan: 'pro' } });",
    ].join("\n");
    expect(calls(code).map((c) => [c.op, c.table])).toEqual([["update", "user"]]);
  });

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

  it("counts increments in upserts: Supabase payloads and Drizzle conflict updates", () => {
    const code = [
      'import { db } from "@/db";',
      'import { sql } from "drizzle-orm";',
      'import { supabase } from "@/lib/supabase";',
      "await supabase.from('user_stats').upsert({ user_id: userId, credits: stats.credits + 100 });",
      "await supabase.from('user_stats').upsert({ user_id: userId, credits: 100 });",
      "await db.insert(wallets).values({ userId, credits: 100 }).onConflictDoUpdate({ target: wallets.userId, set: { credits: sql`${wallets.credits} + 100` } });",
      "await db.insert(wallets).values({ userId, credits: 100 }).onConflictDoUpdate({ target: wallets.userId, set: { credits: 100 } });",
      "await prisma.wallet.upsert({ where: { userId }, create: { userId, credits: 100 }, update: { credits: { increment: 100 } } });",
    ].join("\n");
    expect(calls(code)).toEqual([
      { orm: "supabase", op: "upsert", table: "user_stats", fields: [], idempotent: false, increments: 1, tx: false },
      { orm: "supabase", op: "upsert", table: "user_stats", fields: [], idempotent: true, increments: 0, tx: false },
      { orm: "drizzle", op: "create", table: "wallets", fields: [], idempotent: false, increments: 1, tx: false },
      { orm: "drizzle", op: "create", table: "wallets", fields: [], idempotent: true, increments: 0, tx: false },
      { orm: "prisma", op: "upsert", table: "wallet", fields: ["userId"], idempotent: false, increments: 1, tx: false },
    ]);
  });
});

describe("ormCalls: Redis counters and balance rpc", () => {
  it("classifies Redis increments on a Redis client, not rate limits or other objects", () => {
    const code = [
      'import redis from "@/lib/redis";',
      'import { Redis } from "@upstash/redis";',
      "const kv = Redis.fromEnv();",
      "await redis.multi().incrby(`user:credits:${userId}`, 100).del(`pending:${userId}`).exec();",
      "await kv.hincrby(`user:${userId}`, 'credits', 100);",
      "await redis.incr(`ratelimit:${ip}`);",
      "await counter.incr();",
      "await redis.set(`plan:${userId}`, 'pro');",
    ].join("\n");
    expect(calls(code)).toEqual([
      { orm: "redis", op: "update", table: "user:credits:${userId}", fields: [], idempotent: false, increments: 1, tx: false },
      { orm: "redis", op: "update", table: "user:${userId}", fields: [], idempotent: false, increments: 1, tx: false },
    ]);
  });

  it("takes an rpc on a balance that receives an amount for an increment", () => {
    const code = [
      'import { supabase } from "@/lib/supabase";',
      "await supabase.rpc('update_credits', { user_id: userId, credit_amount: 100 });",
      "await supabase.rpc('set_credits', { user_id: userId, amount: 100 });",
      "await supabase.rpc('update_credits', { user_id: userId, credits: 100 });",
      "await supabase.rpc('record_payment', { user_id: userId, amount: 100 });",
    ].join("\n");
    expect(calls(code).map((c) => [c.table, c.increments])).toEqual([
      ["update_credits", 1],
      ["set_credits", 0],
      ["update_credits", 0],
      ["record_payment", 0],
    ]);
  });
});

describe("handlesDuplicate", () => {
  function creates(code: string) {
    const file = analyzeSource(code, "app/api/webhooks/clerk/route.ts");
    return ormCalls(file, file.program)
      .filter((c) => c.op === "create")
      .map((c) => [c.table, handlesDuplicate(c.node), c.idempotent]);
  }

  it("accepts inserts whose unique-key violation is recognised", () => {
    const code = [
      'import { prisma } from "@/lib/prisma";',
      'import { supabase } from "@/lib/supabase";',
      "export async function POST(req: Request) {",
      '  try { await prisma.user.create({ data: { clerkId } }); } catch (e: any) { if (e.code === "P2002") return ok(); throw e; }',
      "  await prisma.member.create({ data: { clerkId } }).catch((e) => { if (isUniqueConstraintError(e)) return null; throw e; });",
      '  const { error } = await supabase.from("profiles").insert({ clerk_id: clerkId });',
      '  if (error && error.code !== "23505") throw error;',
      '  try { await prisma.team.create({ data: { clerkId } }); } catch (e: any) { switch (e.code) { case "P2002": break; default: throw e; } }',
      '  try { await prisma.org.create({ data: { clerkId } }); } catch (e: any) { if (String(e.message).includes("Unique constraint")) return ok(); }',
      "}",
    ].join("\n");
    expect(creates(code)).toEqual([
      ["user", true, true],
      ["member", true, true],
      ["profiles", true, true],
      ["team", true, true],
      ["org", true, true],
    ]);
  });

  it("does not accept inserts whose errors are not told apart, or tested before the insert", () => {
    const code = [
      'import { prisma } from "@/lib/prisma";',
      'import { supabase } from "@/lib/supabase";',
      "export async function POST(req: Request) {",
      '  try { await prisma.user.create({ data: { clerkId } }); } catch (e) { return new Response("error", { status: 500 }); }',
      '  try { await prisma.user.update({ where: { id }, data: {} }); } catch (e: any) { if (e.code === "P2025") return ok(); }',
      '  if (previous?.code === "23505") return ok();',
      '  const { error } = await supabase.from("profiles").insert({ clerk_id: clerkId });',
      '  if (error) throw error;',
      '  const { error: other } = await supabase.from("teams").insert({ clerk_id: clerkId });',
      '  if (previous?.code === "23505") return ok();',
      "}",
    ].join("\n");
    expect(creates(code)).toEqual([
      ["user", false, false],
      ["profiles", false, false],
      ["teams", false, false],
    ]);
  });
});
