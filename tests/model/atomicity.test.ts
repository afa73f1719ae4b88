import { describe, expect, it } from "vitest";
import { checkThenActPairs, checkThenActScopes, isDedupeCheckCall } from "../../src/model/atomicity.js";
import { convexCalls } from "../../src/model/convex.js";
import { analyzeSource } from "../../src/model/parse.js";
import type { FileContext } from "../../src/model/file.js";

function text(file: FileContext, node: { range: [number, number] } | null): string | null {
  return node ? file.text.slice(node.range[0], node.range[1]) : null;
}

function pairs(code: string, filename: string) {
  const file = analyzeSource(code, filename);
  return checkThenActPairs(file).map((p) => ({
    scope: p.scope,
    read: p.read.ref?.path.join(".") ?? null,
    write: p.write.ref?.path.join(".") ?? null,
    dependency: p.dependency,
    resultName: p.resultName,
    guardLine: p.guard?.loc.start.line ?? null,
    earlyExit: p.earlyExit,
    carriers: p.carriers.map((c) => text(file, c)),
  }));
}

const CLIENT = [
  'import { ConvexHttpClient } from "convex/browser";',
  'import { api } from "@/convex/_generated/api";',
  "const convex = new ConvexHttpClient(process.env.NEXT_PUBLIC_CONVEX_URL!);",
].join("\n");

describe("checkThenActPairs", () => {
  it("finds the isProcessed -> mutation race with an early return, and a data dependency", () => {
    const code = [
      CLIENT,
      "export async function POST(req: Request) {",
      "  const event = JSON.parse(await req.text());",
      "  const processed = await convex.query(api.webhooks.isProcessed, { eventId: event.id });",
      "  if (processed) {",
      '    console.log("duplicate", event.id);',
      '    return new Response("ok");',
      "  }",
      "  const user = await convex.query(api.users.getByClerkId, { clerkId: event.data.metadata.clerkUserId });",
      "  await convex.mutation(api.credits.grant, { userId: user._id, amount: 100 });",
      "  await convex.mutation(api.webhooks.markProcessed, { eventId: event.id });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(pairs(code, "app/api/webhooks/polar/route.ts")).toEqual([
      {
        scope: "route",
        read: "webhooks.isProcessed",
        write: "credits.grant",
        dependency: "control",
        resultName: "processed",
        guardLine: 7,
        earlyExit: true,
        carriers: [],
      },
      {
        scope: "route",
        read: "users.getByClerkId",
        write: "credits.grant",
        dependency: "data",
        resultName: "user",
        guardLine: null,
        earlyExit: false,
        carriers: ["user._id"],
      },
    ]);
  });

  it("leaves seed 003's single-mutation route alone", () => {
    const code = [
      CLIENT,
      "export async function POST(req: Request) {",
      "  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);",
      "  const result = await convex.mutation(api.billing.handleStripeEvent, { eventId: event.id, type: event.type, payload: event.data.object });",
      '  if (result.status === "unresolved_identity") return new Response("logged", { status: 200 });',
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(pairs(code, "app/api/webhooks/stripe/route.ts")).toEqual([]);
  });

  it("ignores reads used only for the response, reads after the write and unrelated guards", () => {
    const code = [
      CLIENT,
      "export async function POST(req: Request) {",
      "  const body = await req.json();",
      "  const settings = await convex.query(api.settings.get, {});",
      '  if (!settings.webhooksEnabled) return new Response("disabled");',
      "  await convex.mutation(api.orders.create, { sku: body.sku });",
      "  const order = await convex.query(api.orders.latest, {});",
      "  const stats = await convex.query(api.stats.summary, {});",
      "  return Response.json({ order, stats });",
      "}",
    ].join("\n");
    expect(pairs(code, "app/api/orders/route.ts")).toEqual([]);
  });

  it("does not treat an auth check before an unrelated write as a race", () => {
    const code = [
      '"use server";',
      'import { fetchMutation, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "export async function createPost(title: string, token: string) {",
      "  const viewer = await fetchQuery(api.users.viewer, {}, { token });",
      '  if (!viewer) throw new Error("Unauthorized");',
      "  await fetchMutation(api.posts.create, { title }, { token });",
      "}",
    ].join("\n");
    expect(pairs(code, "app/actions.ts")).toEqual([]);
  });

  it("reports a server action whose guard and write share an argument", () => {
    const code = [
      '"use server";',
      'import { fetchMutation, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "export async function ensureProfile(clerkId: string) {",
      "  const existing = await fetchQuery(api.profiles.byClerkId, { clerkId });",
      "  if (!existing) await fetchMutation(api.users.createProfile, { clerkId });",
      "}",
    ].join("\n");
    expect(pairs(code, "app/actions.ts")).toEqual([
      {
        scope: "server-action",
        read: "profiles.byClerkId",
        write: "users.createProfile",
        dependency: "control",
        resultName: "existing",
        guardLine: 6,
        earlyExit: false,
        carriers: [],
      },
    ]);
  });

  it("follows ctx.runQuery -> ctx.runMutation in httpActions and public actions, through destructuring and loops", () => {
    const code = [
      'import { httpAction, action } from "./_generated/server";',
      'import { internal, api } from "./_generated/api";',
      "export const clerk = httpAction(async (ctx, request) => {",
      "  const evt = await request.json();",
      "  const existing = await ctx.runQuery(internal.users.byClerkId, { clerkId: evt.data.id });",
      "  if (!existing) {",
      "    await ctx.runMutation(internal.users.insert, { clerkId: evt.data.id });",
      "  }",
      '  return new Response(null, { status: 200 });',
      "});",
      "export const checkout = action(async (ctx, { cartId }) => {",
      "  const { items } = await ctx.runQuery(api.carts.get, { cartId });",
      "  for (const item of items) {",
      "    await ctx.runMutation(api.orders.addLine, { sku: item.sku });",
      "  }",
      "});",
    ].join("\n");
    expect(pairs(code, "convex/http.ts")).toEqual([
      {
        scope: "http-action",
        read: "users.byClerkId",
        write: "users.insert",
        dependency: "control",
        resultName: "existing",
        guardLine: 6,
        earlyExit: false,
        carriers: [],
      },
      {
        scope: "action",
        read: "carts.get",
        write: "orders.addLine",
        dependency: "control",
        resultName: null,
        guardLine: null,
        earlyExit: false,
        carriers: ["item.sku"],
      },
    ]);
  });

  it("ignores reads and writes inside one Convex mutation (one transaction) and ctx.db reads", () => {
    const code = [
      'import { internalMutation } from "./_generated/server";',
      'import { internal } from "./_generated/api";',
      "export const apply = internalMutation({",
      "  handler: async (ctx, args) => {",
      "    const seen = await ctx.runQuery(internal.webhooks.isProcessed, { eventId: args.eventId });",
      "    if (seen) return;",
      '    const user = await ctx.db.query("users").first();',
      "    await ctx.runMutation(internal.credits.grant, { userId: user._id });",
      "  },",
      "});",
    ].join("\n");
    expect(pairs(code, "convex/billing.ts")).toEqual([]);
  });

  it("finds pairs in same-file helpers called from the handler", () => {
    const code = [
      'import { fetchMutation, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "async function handleUserCreated(data: { id: string; email: string }) {",
      "  const user = await fetchQuery(api.users.getByClerkId, { clerkId: data.id });",
      "  if (user) return;",
      "  await fetchMutation(api.users.create, { clerkId: data.id, email: data.email });",
      "}",
      "export async function POST(req: Request) {",
      "  const evt = await verifyWebhook(req);",
      '  if (evt.type === "user.created") await handleUserCreated(evt.data);',
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(pairs(code, "app/api/webhooks/clerk/route.ts")).toEqual([
      {
        scope: "helper",
        read: "users.getByClerkId",
        write: "users.create",
        dependency: "control",
        resultName: "user",
        guardLine: 5,
        earlyExit: true,
        carriers: [],
      },
    ]);
  });

  it("keeps Promise.all elements apart and does not carry values through provider SDK calls", () => {
    const code = [
      'import { fetchMutation, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "export async function POST(req: Request) {",
      "  const { orgId } = await req.json();",
      "  const [org, plans] = await Promise.all([fetchQuery(api.orgs.get, { orgId }), fetchQuery(api.plans.list, {})]);",
      "  const customer = await stripe.customers.create({ name: plans[0].name });",
      "  await fetchMutation(api.billing.saveCustomer, { customerId: customer.id, seats: org.seats });",
      "  return Response.json({ plans });",
      "}",
    ].join("\n");
    expect(pairs(code, "app/api/billing/setup/route.ts")).toEqual([
      {
        scope: "route",
        read: "orgs.get",
        write: "billing.saveCustomer",
        dependency: "data",
        resultName: null,
        guardLine: null,
        earlyExit: false,
        carriers: ["org.seats"],
      },
    ]);
  });

  it("carries a lost update through local computations and ternaries", () => {
    const code = [
      'import { fetchMutation, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "function nextBalance(current: number, delta: number) { return current + delta; }",
      "export async function POST(req: Request) {",
      "  const { userId, amount } = await req.json();",
      "  const wallet = await fetchQuery(api.wallets.get, { userId });",
      "  const balance = nextBalance(wallet?.balance ?? 0, amount);",
      "  await fetchMutation(api.wallets.set, { userId, balance: balance > 0 ? balance : 0 });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(pairs(code, "app/api/topup/route.ts").map((p) => [p.read, p.write, p.dependency, p.carriers])).toEqual([
      ["wallets.get", "wallets.set", "data", ["balance", "balance"]],
    ]);
  });

  it("skips client components and pages that only render", () => {
    const client = [
      '"use client";',
      'import { useConvex } from "convex/react";',
      'import { api } from "@/convex/_generated/api";',
      "export function Button() {",
      "  const convex = useConvex();",
      "  async function onClick() {",
      "    const existing = await convex.query(api.likes.mine, {});",
      "    if (!existing) await convex.mutation(api.likes.add, {});",
      "  }",
      "  return <button onClick={onClick}>Like</button>;",
      "}",
    ].join("\n");
    expect(pairs(client, "app/webhooks/like-button.tsx")).toEqual([]);
    const page = [
      'import { preloadQuery, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "export default async function Page() {",
      "  const tasks = await preloadQuery(api.tasks.list, {});",
      "  const user = await fetchQuery(api.users.current, {});",
      "  return <Tasks preloaded={tasks} user={user} />;",
      "}",
    ].join("\n");
    expect(pairs(page, "app/tasks/page.tsx")).toEqual([]);
  });

  it("treats throw, notFound() and continue as exits, and state checks as guards", () => {
    const code = [
      '"use server";',
      'import { notFound } from "next/navigation";',
      'import { fetchMutation, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "export async function claim(code: string) {",
      "  const invite = await fetchQuery(api.invites.byCode, { code });",
      "  if (invite.redeemedAt) notFound();",
      "  await fetchMutation(api.invites.redeem, { code });",
      "}",
      "export async function sync(ids: string[]) {",
      "  for (const id of ids) {",
      "    const row = await fetchQuery(api.rows.get, { id });",
      "    if (row) continue;",
      "    await fetchMutation(api.rows.create, { id });",
      "  }",
      "}",
    ].join("\n");
    expect(pairs(code, "app/invite/actions.ts").map((p) => [p.read, p.write, p.guardLine, p.earlyExit])).toEqual([
      ["invites.byCode", "invites.redeem", 7, true],
      ["rows.get", "rows.create", 13, true],
    ]);
  });
});

describe("checkThenActScopes", () => {
  it("lists route handlers, public actions and helpers, not internal actions outside webhook code", () => {
    const file = analyzeSource(
      [
        'import { action, internalAction } from "./_generated/server";',
        "export const pub = action(async () => {});",
        "export const priv = internalAction(async () => {});",
      ].join("\n"),
      "convex/ai.ts",
    );
    expect(checkThenActScopes(file).map((s) => s.scope)).toEqual(["action"]);
  });
});

describe("isDedupeCheckCall", () => {
  it("recognises reads keyed by the event id or named like a dedupe check", () => {
    const file = analyzeSource(
      [
        CLIENT,
        "export async function POST(req: Request) {",
        '  const svixId = req.headers.get("svix-id");',
        "  await convex.query(api.events.get, { id: svixId });",
        "  await convex.query(api.webhooks.alreadyProcessed, { key: 1 });",
        "  await convex.query(api.users.byEmail, { email: 'a' });",
        "}",
      ].join("\n"),
      "app/api/webhooks/clerk/route.ts",
    );
    expect(convexCalls(file).map(isDedupeCheckCall)).toEqual([true, true, false]);
  });
});

describe("checkThenActPairs and external resources", () => {
  it("leaves a get-or-create of a provider resource alone, but not a write fed by the read", () => {
    const code = [
      'import { action } from "./_generated/server";',
      'import { internal } from "./_generated/api";',
      "export const ensureCustomer = action(async (ctx) => {",
      "  const identity = await ctx.auth.getUserIdentity();",
      "  const existing = await ctx.runQuery(internal.customers.idFor, { clerkUserId: identity!.subject });",
      "  if (existing) return existing;",
      "  const customer = await stripe.customers.create({ metadata: { clerkUserId: identity!.subject } });",
      "  await ctx.runMutation(internal.customers.setId, { clerkUserId: identity!.subject, customerId: customer.id });",
      "  return customer.id;",
      "});",
      "export const ensureCustomerForOrg = action(async (ctx, { orgId }) => {",
      "  const org = await ctx.runQuery(internal.orgs.get, { orgId });",
      "  if (org.customerId) return org.customerId;",
      "  const customer = await stripe.customers.create({ name: org.name });",
      "  await ctx.runMutation(internal.orgs.setCustomer, { orgId: org._id, customerId: customer.id });",
      "});",
    ].join("\n");
    expect(pairs(code, "convex/customers.ts").map((p) => [p.read, p.write, p.dependency, p.carriers])).toEqual([
      ["orgs.get", "orgs.setCustomer", "control", ["org._id"]],
    ]);
  });
});

describe("checkThenActPairs and presence guards", () => {
  it("leaves writes that only run when the record was found, unless the read is a yes/no question", () => {
    const code = [
      'import { fetchMutation, fetchQuery } from "convex/nextjs";',
      'import { api } from "@/convex/_generated/api";',
      "export async function POST(req: Request) {",
      "  const { clerkId, amount } = await req.json();",
      "  const user = await fetchQuery(api.users.byClerkId, { clerkId });",
      '  if (!user) return new Response("not found", { status: 404 });',
      "  await fetchMutation(api.users.touch, { clerkId });",
      "  const sub = await fetchQuery(api.subs.byClerkId, { clerkId });",
      "  sub !== null && (await fetchMutation(api.subs.cancel, { clerkId }));",
      "  const enough = await fetchQuery(api.credits.hasEnough, { clerkId, amount });",
      '  if (!enough) return new Response("payment required", { status: 402 });',
      "  await fetchMutation(api.credits.consume, { clerkId, amount });",
      "  const profile = await fetchQuery(api.profiles.byClerkId, { clerkId });",
      "  if (profile === null) await fetchMutation(api.profiles.create, { clerkId });",
      '  return new Response("ok");',
      "}",
    ].join("\n");
    expect(pairs(code, "app/api/account/route.ts").map((p) => [p.read, p.write])).toEqual([
      ["credits.hasEnough", "credits.consume"],
      ["profiles.byClerkId", "profiles.create"],
    ]);
  });
});

describe("checkThenActPairs through same-file helpers", () => {
  it("pairs a read made by a helper with a write made by another, reporting the call sites", () => {
    const code = [
      CLIENT,
      "async function alreadyHandled(eventId: string) {",
      "  return await convex.query(api.webhooks.isProcessed, { eventId });",
      "}",
      "async function remember(eventId: string) {",
      "  await convex.mutation(api.webhooks.markProcessed, { eventId });",
      "}",
      "export async function POST(req: Request) {",
      "  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get('stripe-signature')!, secret);",
      "  if (await alreadyHandled(event.id)) return new Response('ok');",
      "  await remember(event.id);",
      "  return new Response('ok');",
      "}",
    ].join("\n");
    const file = analyzeSource(code, "app/api/webhooks/stripe/route.ts");
    expect(
      checkThenActPairs(file).map((p) => ({
        scope: p.scope,
        read: p.read.ref?.path.join("."),
        write: p.write.ref?.path.join("."),
        readSite: text(file, p.readSite),
        writeSite: text(file, p.writeSite),
        earlyExit: p.earlyExit,
      })),
    ).toEqual([
      {
        scope: "route",
        read: "webhooks.isProcessed",
        write: "webhooks.markProcessed",
        readSite: "alreadyHandled(event.id)",
        writeSite: "remember(event.id)",
        earlyExit: true,
      },
    ]);
  });
});

describe("checkThenActScopes and verifying internal actions", () => {
  it("checks an internal action that verifies a Stripe signature itself", () => {
    const code = [
      '"use node";',
      'import { internalAction } from "./_generated/server";',
      'import { internal } from "./_generated/api";',
      "export const fulfill = internalAction(async (ctx, { signature, payload }) => {",
      "  const event = stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOKS_SECRET!);",
      "  const order = await ctx.runQuery(internal.orders.bySession, { sessionId: event.data.object.id });",
      '  if (order.status === "paid") return { success: true };',
      "  await ctx.runMutation(internal.orders.markPaid, { orderId: order._id });",
      "  return { success: true };",
      "});",
    ].join("\n");
    expect(pairs(code, "convex/stripe.ts").map((p) => [p.scope, p.read, p.write, p.dependency])).toEqual([
      ["action", "orders.bySession", "orders.markPaid", "control"],
    ]);
  });
});

describe("checkThenActPairs and provider resources in let variables", () => {
  it("leaves `let customerId = user.stripeCustomerId; if (!customerId) customerId = (await create()).id` alone", () => {
    const code = [
      'import { action } from "./_generated/server";',
      'import { internal } from "./_generated/api";',
      "export const checkout = action(async (ctx, { userId, priceId }) => {",
      "  const user = await ctx.runQuery(internal.users.getUserById, { userId });",
      '  if (!user) throw new Error("User not found");',
      "  let customerId = user.stripeCustomerId;",
      "  if (!customerId) {",
      "    const customer = await stripe.customers.create({ email: user.email });",
      "    customerId = customer.id;",
      "    await ctx.runMutation(internal.users.setStripeCustomerId, { userId, customerId });",
      "  }",
      "  const session = await stripe.checkout.sessions.create({ customer: customerId, line_items: [{ price: priceId, quantity: 1 }] });",
      "  return session.url;",
      "});",
    ].join("\n");
    expect(pairs(code, "convex/billing.ts")).toEqual([]);
  });
});
