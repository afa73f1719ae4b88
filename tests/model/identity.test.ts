import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { findAll } from "../../src/model/ast.js";
import {
  emailIdentityFindings,
  emailLookups,
  identityContextAt,
  isComparedInFunction,
  isEmailField,
  isIdentityKey,
  isProviderEmailExpression,
  paymentCreates,
  requestSourceOf,
  sessionUserIdAt,
  shouldCarryIdentity,
} from "../../src/model/identity.js";
import { analyzeSource } from "../../src/model/parse.js";

function lookups(code: string, filename = "app/api/webhooks/stripe/route.ts") {
  return emailLookups(analyzeSource(code, filename)).map((l) => [l.kind, l.label, l.subject]);
}

function findings(code: string, filename = "app/api/webhooks/stripe/route.ts") {
  return emailIdentityFindings(analyzeSource(code, filename)).map((f) => [f.context, f.lookup ? f.lookup.label : `key:${f.key!.target}`]);
}

function creates(code: string, filename = "app/api/checkout/route.ts") {
  const file = analyzeSource(code, filename);
  return paymentCreates(file).map((c) => ({
    kind: c.kind,
    complete: c.complete,
    carriers: c.carriers.map((k) => `${k.location}:${k.key}`),
    mode: c.mode,
    email: c.emailLink ? c.emailLink.key.type === "Identifier" ? c.emailLink.key.name : "?" : null,
    mapped: c.mapped,
    carry: shouldCarryIdentity(file, c),
  }));
}

/** The source of the value of the first property named `key` in the file. */
function sourceOfProperty(code: string, key: string, filename = "app/api/checkout/route.ts") {
  const file = analyzeSource(code, filename);
  const prop = findAll(file.program, ["Property"]).find((p) => p.key.type === "Identifier" && p.key.name === key)!;
  return requestSourceOf(file, prop.value);
}

/** The session user id expression visible at the first call named `name`. */
function sessionAt(code: string, name = "create", filename = "app/api/checkout/route.ts") {
  const file = analyzeSource(code, filename);
  const call = findAll(file.program, ["CallExpression"]).find(
    (c) => c.callee.type === "MemberExpression" && c.callee.property.type === "Identifier" && c.callee.property.name === name,
  )!;
  const found = sessionUserIdAt(file, call);
  return found ? [found.text, found.via] : null;
}

describe("vocabulary", () => {
  it("reads email fields and identity keys from settings, ignoring case and underscores", () => {
    const file = analyzeSource("", "a.ts", { settings: { emailFields: ["contactMail"], identityFields: ["memberNumber"] } });
    expect(isEmailField(file, "email")).toBe(true);
    expect(isEmailField(file, "EMAIL_ADDRESS")).toBe(true);
    expect(isEmailField(file, "contact_mail")).toBe(true);
    expect(isEmailField(file, "name")).toBe(false);
    expect(isIdentityKey(file, "memberNumber")).toBe(true);
    expect(isIdentityKey(file, "clerk_user_id")).toBe(true);
  });

  it("accepts app-entity ids beyond the settings and rejects product ids", () => {
    const file = analyzeSource("", "a.ts");
    for (const key of ["supabaseUserId", "supabase_user_id", "tenant_id", "orderId", "uid", "convexUserId", "firebaseUID"]) {
      expect(isIdentityKey(file, key), key).toBe(true);
    }
    for (const key of ["priceId", "plan", "productId", "variant_id", "tier", "email", "source"]) {
      expect(isIdentityKey(file, key), key).toBe(false);
    }
  });
});

describe("email lookups", () => {
  it("finds Convex index and filter lookups", () => {
    expect(
      lookups('const u = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", email)).unique();', "convex/stripe.ts"),
    ).toEqual([["convex-index", 'withIndex("by_email")', "users"]]);
    expect(
      lookups('await ctx.db.query("users").withIndex("by_contact", (q) => q.eq("email", email)).first();', "convex/stripe.ts"),
    ).toEqual([["convex-index", 'withIndex("by_contact", q.eq("email", ...))', "users"]]);
    expect(lookups('await ctx.db.query("users").filter((q) => q.eq(q.field("email"), e)).first();', "convex/stripe.ts")).toEqual([
      ["convex-filter", 'filter(q.eq(q.field("email"), ...))', "users"],
    ]);
  });

  it("finds ORM and query-builder lookups", () => {
    expect(lookups("await prisma.user.findUnique({ where: { email } });")).toEqual([["where-object", "findUnique({ where: { email } })", "user"]]);
    expect(lookups("await prisma.user.update({ where: { email: { equals: e } }, data: { plan } });")).toEqual([
      ["where-object", "update({ where: { email } })", "user"],
    ]);
    expect(lookups('await supabase.from("profiles").select("*").eq("email", e).single();')).toEqual([
      ["query-filter", 'eq("email", ...)', "profiles"],
    ]);
    expect(lookups("await db.select().from(users).where(eq(users.email, e));")).toEqual([["query-filter", "eq(email, ...)", "users"]]);
    expect(lookups("await User.findOne({ email: e });")).toEqual([["filter-object", "findOne({ email })", "User"]]);
    expect(lookups("await prisma.subscription.findFirst({ where: { user: { email: e } } });")).toEqual([
      ["where-object", "findFirst({ where: { email } })", "subscription"],
    ]);
    expect(lookups('await db.selectFrom("user").where("email", "=", e).executeTakeFirst();')).toEqual([
      ["query-filter", 'where("email", ...)', "user"],
    ]);
  });

  it("finds provider searches, named helpers and array searches", () => {
    expect(lookups("await stripe.customers.list({ email, limit: 1 });")).toEqual([
      ["provider-search", "customers.list({ email })", "Stripe customer"],
    ]);
    expect(lookups("await stripe.customers.search({ query: `email:'${email}'` });")).toEqual([
      ["provider-search", 'customers.search({ query: "email:..." })', "Stripe customer"],
    ]);
    expect(lookups("const { data } = await (await clerkClient()).users.getUserList({ emailAddress: [email] });")).toEqual([
      ["provider-search", "users.getUserList({ emailAddress })", "Clerk user"],
    ]);
    expect(lookups("await ctx.runQuery(internal.users.getByEmail, { email });", "convex/http.ts")).toEqual([
      ["named-lookup", "internal.users.getByEmail", "user"],
    ]);
    expect(lookups('import { getUserByEmail } from "@/lib/users";\nawait getUserByEmail(email);')).toEqual([
      ["named-lookup", "getUserByEmail(...)", "user"],
    ]);
    expect(lookups("const user = data.users.find((u) => u.email === email);")).toEqual([
      ["array-find", "find((x) => x.email === ...)", "users"],
    ]);
  });

  it("reports an index lookup once, not also the predicate inside it", () => {
    expect(lookups('ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", e));', "convex/stripe.ts")).toHaveLength(1);
  });

  it("ignores non-lookups and email-keyed tables", () => {
    expect(lookups("await prisma.user.findUnique({ where: { id } });")).toEqual([]);
    expect(lookups("await ctx.db.patch(user._id, { email });")).toEqual([]);
    expect(lookups('await ctx.db.query("invitations").withIndex("by_email", (q) => q.eq("email", e)).first();')).toEqual([]);
    expect(lookups("await resend.emails.send({ to: email, subject });")).toEqual([]);
    expect(lookups('await supabase.from("profiles").neq("email", e);')).toEqual([]);
    expect(lookups("async function getUserByEmail(e) { return null; }\nawait getUserByEmail(email);")).toEqual([]);
  });
});

describe("email identity findings", () => {
  it("counts every lookup in webhook code", () => {
    const code = `import Stripe from "stripe";
export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const session = event.data.object;
  await prisma.user.update({ where: { email: session.customer_details.email }, data: { plan: "pro" } });
}`;
    expect(findings(code)).toEqual([["webhook", "update({ where: { email } })"]]);
  });

  it("in other billing code, counts provider searches, Convex functions and Stripe emails only", () => {
    const route = `import { auth } from "@/auth";
export async function POST() {
  const session = await auth();
  const user = await prisma.user.findUnique({ where: { email: session.user.email } });
  const existing = await stripe.customers.list({ email: user.email, limit: 1 });
}`;
    expect(findings(route, "app/api/checkout/route.ts")).toEqual([["billing", "customers.list({ email })"]]);
    const convex = `import { query } from "./_generated/server";
export const mine = query({ handler: async (ctx) => {
  const identity = await ctx.auth.getUserIdentity();
  return ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", identity.email)).unique();
} });`;
    expect(findings(convex, "convex/billing.ts")).toEqual([["billing", 'withIndex("by_email")']]);
    const stripeEmail = `export async function POST(req) {
  const data = await req.json();
  await prisma.user.update({ where: { email: data.data.object.customer_email }, data: { hasAccess: true } });
}`;
    expect(findings(stripeEmail, "app/api/stripe/route.ts")).toEqual([["billing", "update({ where: { email } })"]]);
  });

  it("treats Convex functions named for webhook work as webhook code wherever they live", () => {
    const code = `import { internalMutation } from "./_generated/server";
export const upsertFromClerk = internalMutation({ handler: async (ctx, { data }) => {
  await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", data.email_addresses[0].email_address)).unique();
} });
export const byEmail = internalMutation({ handler: async (ctx, { email }) => {
  await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", email)).unique();
} });`;
    expect(findings(code, "convex/users.ts")).toEqual([["webhook", 'withIndex("by_email")']]);
  });

  it("ignores lookups outside billing code and in email-provider webhooks", () => {
    const admin = 'export const search = query({ handler: (ctx, { email }) => ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", email)).first() });';
    expect(findings(admin, "convex/admin.ts")).toEqual([]);
    expect(findings("export async function POST(req) { await prisma.user.update({ where: { email }, data: { bounced: true } }); }", "app/api/webhooks/resend/route.ts")).toEqual([]);
    const clerkAtResendPath = `export async function POST(req) {
  const evt = await verify(req);
  if (evt.type === "user.created") await prisma.user.update({ where: { email: evt.data.email_addresses[0].email_address }, data: { clerkId: evt.data.id } });
}`;
    expect(findings(clerkAtResendPath, "app/api/webhooks/resend-welcome/route.ts")).toEqual([["webhook", "update({ where: { email } })"]]);
  });

  it("reports a Stripe email passed as the key of a mutation, not one stored beside the user id", () => {
    const code = `export const stripe = httpAction(async (ctx, request) => {
  const event = await stripe.webhooks.constructEventAsync(await request.text(), sig, secret);
  const session = event.data.object;
  await ctx.runMutation(internal.users.upgrade, { email: session.customer_details.email, plan: "pro" });
  await ctx.runMutation(internal.users.upgrade, { userId: session.metadata.userId, email: session.customer_details.email });
  await ctx.scheduler.runAfter(0, internal.emails.sendReceipt, { email: session.customer_details.email });
  await grantAccess(session.customer_email);
  headers.set("x-customer-email", session.customer_email);
  url.searchParams.set("prefilled_email", session.customer_details.email);
  await setCookie("email", session.customer_email);
});`;
    const file = analyzeSource(`import { httpAction } from "./_generated/server";\n${code}`, "convex/http.ts");
    expect(emailIdentityFindings(file).map((f) => f.key?.target)).toEqual(["internal.users.upgrade", "grantAccess"]);
  });
});

describe("provider emails", () => {
  it("recognises emails on Stripe objects", () => {
    const code = `const session = event.data.object;
const a = session.customer_details.email;
const b = session.customer_email;
const c = (await stripe.customers.retrieve(id)).email;
const d = user.email;
const e = invoice.customer_email?.toLowerCase();`;
    const file = analyzeSource(code, "app/api/webhooks/stripe/route.ts");
    const values = findAll(file.program, ["VariableDeclarator"]).slice(1).map((d) => isProviderEmailExpression(file, d.init!));
    expect(values).toEqual([true, true, true, false, true]);
  });
});

describe("identity context", () => {
  it("distinguishes webhook modules, webhook-driven Convex functions and billing modules", () => {
    const file = analyzeSource('export const x = internalMutation({ handler: async (ctx) => { await ctx.db.get("a"); } });', "convex/billing.ts");
    const call = findAll(file.program, ["CallExpression"]).at(-1)!;
    expect(identityContextAt(file, call)).toBe("billing");
    const hook = analyzeSource("export async function POST(req) { lookup(); }", "app/api/webhooks/clerk/route.ts");
    expect(identityContextAt(hook, findAll(hook.program, ["CallExpression"])[0]!)).toBe("webhook");
    const profile = analyzeSource("export async function POST(req) { lookup(); }", "app/api/profile/route.ts");
    expect(identityContextAt(profile, findAll(profile.program, ["CallExpression"])[0]!)).toBe(null);
  });

  it("treats a Convex function that writes billing state it is handed as billing code, whatever its name", () => {
    const file = analyzeSource(
      `import { v } from "convex/values";
import { internalMutation, mutation, query } from "./_generated/server";
export const updateSubscription = internalMutation({ args: { email: v.string(), tier: v.string() }, handler: async (ctx, args) => { lookup(); await ctx.db.patch(id, { tier: args.tier }); } });
export const recordPayment = mutation({ args: {}, handler: async (ctx) => { lookup(); await ctx.db.insert("payments", { amount: 1 }); } });
export const createUser = mutation({ args: {}, handler: async (ctx) => { lookup(); await ctx.db.insert("users", { tier: "free", credits: 0 }); } });
export const setRole = mutation({ args: { role: v.string() }, handler: async (ctx, args) => { lookup(); await ctx.db.patch(id, { role: args.role }); } });
export const tierOf = query({ args: {}, handler: async (ctx) => { lookup(); return 1; } });`,
      "convex/users.ts",
    );
    const lookups = findAll(file.program, ["CallExpression"]).filter((c) => c.callee.type === "Identifier" && c.callee.name === "lookup");
    expect(lookups.map((c) => identityContextAt(file, c))).toEqual(["billing", "billing", null, null, null]);
  });
});

describe("payment object creation", () => {
  it("counts a customer as a carrier only when it links to the user, not when it was found by email", () => {
    const customerCarrier = (setup: string) =>
      creates(`import { stripe } from "@/lib/stripe";
async function go(userId: string, email: string, storedId: string) {
  ${setup}
  return stripe.checkout.sessions.create({ mode: "payment", customer: customerId });
}`)
        .find((c) => c.kind === "stripe-checkout")!
        .carriers.includes("customer:customer");
    expect(customerCarrier(`const customerId = storedId;`)).toBe(true);
    expect(customerCarrier(`const user = await db.user.findUnique({ where: { id: userId } }); const customerId = user!.stripeCustomerId;`)).toBe(true);
    expect(customerCarrier(`const customerId = (await stripe.customers.create({ email, metadata: { userId } })).id;`)).toBe(true);
    expect(customerCarrier(`const customerId = (await stripe.customers.list({ email })).data[0]?.id;`)).toBe(false);
    expect(customerCarrier(`const found = await stripe.customers.search({ query: \`email:'\${email}'\` }); let customerId = storedId; if (!customerId) customerId = found.data[0]?.id;`)).toBe(false);
    expect(customerCarrier(`const customerId = (await getStripeCustomerByEmail(email)).id;`)).toBe(false);
    expect(customerCarrier(`const customer = await stripe.customers.create({ email }); const customerId = customer.id;`)).toBe(false);
    expect(customerCarrier(`const customer = await stripe.customers.create({ email }); await db.user.update({ where: { id: userId }, data: { stripeCustomerId: customer.id } }); const customerId = customer.id;`)).toBe(true);
  });

  it("reads Stripe Checkout identity carriers", () => {
    expect(
      creates(`const s = await stripe.checkout.sessions.create({ mode: "subscription", client_reference_id: userId, metadata: { userId, plan }, subscription_data: { metadata: { userId } } });`),
    ).toEqual([
      {
        kind: "stripe-checkout",
        complete: true,
        carriers: ["metadata:userId", "client_reference_id:client_reference_id", "subscription_data.metadata:userId"],
        mode: "subscription",
        email: null,
        mapped: false,
        carry: true,
      },
    ]);
  });

  it("treats spreads and opaque metadata as unknown, and resolves const params", () => {
    expect(creates("stripe.checkout.sessions.create({ ...base, mode: 'payment' });")[0]!.complete).toBe(false);
    expect(creates("stripe.checkout.sessions.create({ metadata: buildMetadata(user) });")[0]!.complete).toBe(false);
    expect(creates("stripe.checkout.sessions.create({ metadata: { ...extra } });")[0]!.complete).toBe(false);
    const resolved = creates(`async function go(userId) {
  const params = { mode: "payment", metadata: { userId } };
  return stripe.checkout.sessions.create(params);
}`)[0]!;
    expect([resolved.complete, resolved.carriers]).toEqual([true, ["metadata:userId"]]);
    const patched = creates(`async function go(userId) {
  const params = { mode: "payment" };
  params.metadata = { userId };
  return stripe.checkout.sessions.create(params);
}`)[0]!;
    expect(patched.complete).toBe(false);
  });

  it("recognises customers, subscriptions and PaymentIntents only on a Stripe receiver", () => {
    expect(creates('import Stripe from "stripe";\nconst stripe = new Stripe(key);\nawait stripe.customers.create({ email });').map((c) => [c.kind, c.email, c.carry])).toEqual([
      ["stripe-customer", "email", true],
    ]);
    expect(creates("await getStripe().paymentIntents.create({ amount, currency, metadata: { orderId } });").map((c) => c.carriers)).toEqual([
      ["metadata:orderId"],
    ]);
    expect(creates("await this.stripe.subscriptions.create({ customer: customerId, items });").map((c) => c.carriers)).toEqual([
      ["customer:customer"],
    ]);
    expect(creates("await db.customers.create({ email });")).toEqual([]);
    expect(creates("await paddle.customers.create({ email });")).toEqual([]);
  });

  it("recognises Polar and Lemon Squeezy checkouts", () => {
    expect(
      creates('import { Polar } from "@polar-sh/sdk";\nawait polar.checkouts.create({ products: [id], customerExternalId: user.id });').map((c) => [c.kind, c.carriers]),
    ).toEqual([["polar-checkout", ["external_customer_id:customerExternalId"]]]);
    expect(creates('await polar.checkouts.custom.create({ productPriceId, customerEmail: email, metadata: {} });').map((c) => [c.kind, c.carriers, c.email])).toEqual([
      ["polar-checkout", [], "customerEmail"],
    ]);
    expect(
      creates('import { createCheckout } from "@lemonsqueezy/lemonsqueezy.js";\nawait createCheckout(storeId, variantId, { checkoutData: { email, custom: { user_id: userId } } });').map((c) => [
        c.kind,
        c.carriers,
      ]),
    ).toEqual([["lemon-squeezy-checkout", ["custom:user_id"]]]);
    expect(
      creates(`await fetch("https://api.lemonsqueezy.com/v1/checkouts", { method: "POST", body: JSON.stringify({ data: { type: "checkouts", attributes: { checkout_data: { email } } } }) });`).map((c) => [
        c.kind,
        c.carriers,
        c.email,
      ]),
    ).toEqual([["lemon-squeezy-rest", [], "email"]]);
  });

  it("counts a created id stored against the user as a mapping, not one returned to the browser", () => {
    const stored = `export const create = action({ handler: async (ctx) => {
  const customer = await stripe.customers.create({ email });
  await ctx.runMutation(internal.users.setStripeId, { userId, stripeCustomerId: customer.id });
} });`;
    expect(creates(stored, "convex/stripe.ts").map((c) => c.mapped)).toEqual([true]);
    const returned = `export async function POST() {
  const session = await stripe.checkout.sessions.create({ customer_email: email });
  return Response.json({ id: session.id, url: session.url });
}`;
    expect(creates(returned).map((c) => c.mapped)).toEqual([false]);
    const helper = "async function getOrCreateCustomer(email) { const c = await stripe.customers.create({ email }); return c.id; }";
    expect(creates(helper, "lib/stripe.ts").map((c) => c.mapped)).toEqual([true]);
  });

  it("asks for an id only when the buyer is known: email prefill, subscription, or a session user in sight", () => {
    expect(creates("stripe.checkout.sessions.create({ mode: 'payment', line_items })").map((c) => c.carry)).toEqual([false]);
    expect(creates("stripe.checkout.sessions.create({ mode: 'subscription', line_items })").map((c) => c.carry)).toEqual([true]);
    expect(
      creates('import { auth } from "@clerk/nextjs/server";\nexport async function POST() { const { userId } = await auth(); await stripe.checkout.sessions.create({ mode: "payment" }); }').map(
        (c) => c.carry,
      ),
    ).toEqual([true]);
  });
});

describe("request sources", () => {
  it("follows values back to the request body, form data, search params and route params", () => {
    expect(sourceOfProperty("export async function POST(req) { const { userId } = await req.json(); f({ userId }); }", "userId")).toBe(
      "the request body (`json()`)",
    );
    expect(sourceOfProperty("export async function POST(request) { const body = await request.json(); f({ u: body.userId }); }", "u")).toBe(
      "the request body (`json()`)",
    );
    expect(sourceOfProperty("export async function POST(req) { const form = await req.formData(); f({ u: form.get('userId') }); }", "u")).toBe(
      "the submitted form data",
    );
    expect(sourceOfProperty("export async function GET(req) { f({ u: new URL(req.url).searchParams.get('uid') }); }", "u")).toBe(
      "the URL search params",
    );
    expect(sourceOfProperty("export async function POST(req) { const { userId } = schema.parse(await req.json()); f({ userId }); }", "userId")).toBe(
      "the request body (`json()`)",
    );
    expect(sourceOfProperty("export default async function handler(req, res) { f({ u: req.body.userId }); }", "u", "pages/api/checkout.ts")).toBe(
      "`req.body`",
    );
  });

  it("treats server action arguments and public Convex args as caller-controlled, internal args as trusted", () => {
    expect(sourceOfProperty('"use server";\nexport async function checkout(userId: string) { f({ userId }); }', "userId", "app/actions/billing.ts")).toBe(
      "a server action argument",
    );
    const convex = (registrar: string) =>
      `import { ${registrar} } from "./_generated/server";\nexport const pay = ${registrar}({ args: {}, handler: async (ctx, args) => { f({ u: args.userId }); } });`;
    expect(sourceOfProperty(convex("action"), "u", "convex/stripe.ts")).toBe("the arguments of a public Convex function");
    expect(sourceOfProperty(convex("internalAction"), "u", "convex/stripe.ts")).toBe(null);
  });

  it("treats tRPC and next-safe-action inputs as caller-controlled", () => {
    expect(
      sourceOfProperty("export const r = router({ pay: protectedProcedure.input(schema).mutation(async ({ ctx, input }) => { f({ u: input.userId }); }) });", "u", "server/api/routers/stripe.ts"),
    ).toBe("the tRPC procedure input");
    expect(sourceOfProperty("export const pay = actionClient.schema(s).action(async ({ parsedInput: { userId } }) => { f({ userId }); });", "userId", "app/actions.ts")).toBe(
      "the server action input",
    );
    expect(sourceOfProperty("export const r = router({ pay: protectedProcedure.mutation(async ({ ctx }) => { f({ u: ctx.session.user.id }); }) });", "u", "server/api/routers/stripe.ts")).toBe(
      null,
    );
  });

  it("does not taint values from the server session", () => {
    expect(sourceOfProperty('import { auth } from "@clerk/nextjs/server";\nexport async function POST(req) { const { userId } = await auth(); f({ userId }); }', "userId")).toBe(
      null,
    );
  });
});

describe("request-supplied ids checked against the session", () => {
  it("sees a comparison of the same value in the function", () => {
    const code = `export async function POST(req) {
  const { userId } = await req.json();
  const session = await auth();
  if (userId !== session.userId) return new Response(null, { status: 403 });
  f({ userId });
}`;
    const file = analyzeSource(code, "app/api/checkout/route.ts");
    const prop = findAll(file.program, ["Property"]).at(-1)!;
    expect(isComparedInFunction(prop.value)).toBe(true);
    const unchecked = analyzeSource("export async function POST(req) { const { userId } = await req.json(); if (!userId) return; if (userId === '') return; f({ userId }); }", "a/route.ts");
    expect(isComparedInFunction(findAll(unchecked.program, ["Property"]).at(-1)!.value)).toBe(false);
  });
});

describe("session user id", () => {
  it("finds the user id from each auth library", () => {
    expect(sessionAt('import { auth } from "@clerk/nextjs/server";\nexport async function POST() { const { userId } = await auth(); stripe.x.create({}); }')).toEqual([
      "userId",
      "auth()",
    ]);
    expect(sessionAt('import { currentUser } from "@clerk/nextjs/server";\nexport async function POST() { const user = await currentUser(); stripe.x.create({}); }')).toEqual([
      "user.id",
      "currentUser()",
    ]);
    expect(sessionAt("export const a = action({ handler: async (ctx) => { const identity = await ctx.auth.getUserIdentity(); stripe.x.create({}); } });", "create", "convex/stripe.ts")).toEqual([
      "identity.subject",
      "ctx.auth.getUserIdentity()",
    ]);
    expect(sessionAt('import { getServerSession } from "next-auth";\nexport async function POST() { const session = await getServerSession(authOptions); stripe.x.create({}); }')).toEqual([
      "session.user.id",
      "getServerSession()",
    ]);
    expect(sessionAt('import { auth } from "@/lib/auth";\nexport async function POST(req) { const session = await auth.api.getSession({ headers: req.headers }); stripe.x.create({}); }')).toEqual([
      "session.user.id",
      "auth.api.getSession()",
    ]);
    expect(sessionAt("export async function POST() { const { data: { user } } = await supabase.auth.getUser(); stripe.x.create({}); }")).toEqual([
      "user.id",
      "supabase.auth.getUser()",
    ]);
    expect(sessionAt("async function checkout(userId: string, priceId: string) { stripe.x.create({}); }")).toEqual(["userId", "the `userId` parameter"]);
  });

  it("does not offer a server action's own argument as the session user", () => {
    expect(sessionAt('"use server";\nexport async function checkout(userId: string) { stripe.x.create({}); }', "create", "app/actions/billing.ts")).toBe(null);
  });

  it("ignores sessions read after the call or in another function", () => {
    expect(sessionAt('import { auth } from "@clerk/nextjs/server";\nexport async function POST() { stripe.x.create({}); const { userId } = await auth(); }')).toBe(null);
    expect(sessionAt('import { auth } from "@clerk/nextjs/server";\nasync function a() { const { userId } = await auth(); }\nasync function b() { stripe.x.create({}); }')).toBe(null);
  });
});

export type { TSESTree };
