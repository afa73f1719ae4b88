import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-email-identity-lookup.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";

ruleTester.run("no-email-identity-lookup", rule, {
  valid: [
    {
      name: "seed 003: metadata first, then the stored Stripe customer id",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const handleStripeEvent = internalMutation({
  args: { eventId: v.string(), clerkUserId: v.optional(v.string()), stripeCustomerId: v.optional(v.string()) },
  handler: async (ctx, args) => {
    let userId = args.clerkUserId;
    if (!userId && args.stripeCustomerId) {
      const user = await ctx.db
        .query("users")
        .withIndex("by_stripe_customer", (q) => q.eq("stripeCustomerId", args.stripeCustomerId))
        .unique();
      userId = user?.clerkUserId;
    }
    return { userId };
  },
});
`,
    },
    {
      name: "Clerk webhook storing the new email as a profile field",
      filename: "convex/clerk.ts",
      code: `import { internalMutation } from "./_generated/server";
import { v } from "convex/values";

export const upsertFromClerk = internalMutation({
  args: { data: v.any() },
  handler: async (ctx, { data }) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", data.id))
      .unique();
    if (user) await ctx.db.patch(user._id, { email: data.email_addresses[0]?.email_address });
  },
});
`,
    },
    {
      name: "sending a receipt email from a Stripe webhook",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { Resend } from "resend";

const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    await resend.emails.send({ from: "billing@example.com", to: session.customer_details!.email!, subject: "Thanks!" });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "admin search page looks users up by email (not webhook or billing code)",
      filename: "convex/admin.ts",
      code: `import { query } from "./_generated/server";
import { v } from "convex/values";

export const searchByEmail = query({
  args: { email: v.string() },
  handler: async (ctx, { email }) =>
    ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", email)).first(),
});
`,
    },
    {
      name: "Prisma lookup by id in a webhook",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const session = event.data.object;
  await prisma.user.update({ where: { id: session.metadata.userId }, data: { plan: "pro" } });
  return new Response(null, { status: 200 });
}
`,
    },
    {
      name: "Prisma findUnique by id",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `export async function POST(req: Request) {
  const { data } = await req.json();
  const user = await prisma.user.findUnique({ where: { id: data.id } });
  return Response.json({ ok: !!user });
}
`,
    },
    {
      name: "Next.js checkout route reading its own auth session's email from the database",
      filename: "app/api/checkout/route.ts",
      code: `import { auth } from "@/auth";

export async function POST() {
  const session = await auth();
  const user = await prisma.user.findUnique({ where: { email: session!.user!.email! } });
  return Response.json({ plan: user?.plan });
}
`,
    },
    {
      name: "Supabase profile form outside billing code",
      filename: "app/settings/actions.ts",
      code: `"use server";
export async function findProfile(email: string) {
  return supabase.from("profiles").select("*").eq("email", email).single();
}
`,
    },
    {
      name: "Clerk user.created webhook claiming pending invitations by email",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";

export async function POST(req) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    const email = evt.data.email_addresses[0].email_address;
    await prisma.invitation.updateMany({ where: { email }, data: { acceptedBy: evt.data.id } });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "Resend bounce webhook keys on the address by nature",
      filename: "app/api/webhooks/resend/route.ts",
      code: `export async function POST(req) {
  const event = await req.json();
  if (event.type === "email.bounced") {
    await prisma.user.update({ where: { email: event.data.to[0] }, data: { emailBounced: true } });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "Stripe email stored beside the user id from metadata",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

export const stripeWebhook = httpAction(async (ctx, request) => {
  const event = await stripe.webhooks.constructEventAsync(await request.text(), request.headers.get("stripe-signature"), secret);
  const session = event.data.object;
  await ctx.runMutation(internal.billing.activate, {
    clerkUserId: session.metadata.clerkUserId,
    email: session.customer_details.email,
  });
  return new Response(null, { status: 200 });
});
`,
    },
    {
      name: "scheduling a receipt email with the Stripe address",
      filename: "convex/stripe.ts",
      code: `import { internalAction } from "./_generated/server";
import { internal } from "./_generated/api";

export const fulfill = internalAction({
  handler: async (ctx, { session }) => {
    await ctx.scheduler.runAfter(0, internal.emails.sendReceipt, { email: session.customer_details.email });
  },
});
`,
    },
    {
      name: "the same-file helper is reported where it is defined, not at the call (JavaScript, helper looks up by id)",
      filename: "pages/api/webhooks/stripe.js",
      code: `async function findUserByEmail(id) {
  return db.user.findUnique({ where: { id } });
}

export default async function handler(req, res) {
  const user = await findUserByEmail(req.body.data.object.metadata.userId);
  res.status(200).json({ ok: !!user });
}
`,
    },
    {
      name: "logging the customer email in a webhook",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  console.log("checkout for", event.data.object.customer_details?.email);
  logger.info({ email: event.data.object.customer_email }, "checkout");
  return new Response("ok");
}
`,
    },
    {
      name: "a not-equal filter is not a lookup (JavaScript)",
      filename: "app/api/webhooks/stripe/route.js",
      code: `export async function POST(req) {
  const { data } = await supabase.from("profiles").select("id").neq("email", "").limit(10);
  return Response.json(data);
}
`,
    },
    {
      name: "comparing the event's email to the stored one after an id lookup",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const session = event.data.object;
  const user = await prisma.user.findUnique({ where: { stripeCustomerId: session.customer as string } });
  if (user && user.email !== session.customer_details?.email) console.warn("email changed");
  return new Response("ok");
}
`,
    },
    {
      name: "email lookup for a waitlist table in a webhook",
      filename: "convex/webhooks.ts",
      code: `import { internalMutation } from "./_generated/server";
export const join = internalMutation({
  handler: async (ctx, { email }) => {
    const entry = await ctx.db.query("waitlist").withIndex("by_email", (q) => q.eq("email", email)).first();
    if (!entry) await ctx.db.insert("waitlist", { email });
  },
});
`,
    },
    {
      name: "headers, cookies and prefilled URLs carrying the Checkout email are not keys",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const session = event.data.object;
  const next = new URL("https://example.com/welcome");
  next.searchParams.set("prefilled_email", session.customer_details!.email!);
  const headers = new Headers();
  headers.set("x-customer-email", session.customer_email ?? "");
  return new Response("ok", { headers });
}
`,
    },
    {
      name: "Convex user functions that look up by email but write no billing state from their caller",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { mutation, query } from "./_generated/server";

export const getOrCreateUser = mutation({
  args: { email: v.string(), name: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const existing = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", args.email)).unique();
    if (existing) return existing;
    const id = await ctx.db.insert("users", { email: args.email, name: args.name, tier: "free", credits: 0 });
    return await ctx.db.get(id);
  },
});

export const getUserTier = query({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", args.email)).unique();
    return user?.tier ?? "free";
  },
});

export const incrementChatUsage = mutation({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", args.email)).unique();
    if (!user) return { allowed: true };
    await ctx.db.patch(user._id, { chatQueriesThisMonth: (user.chatQueriesThisMonth ?? 0) + 1 });
    return { allowed: true };
  },
});

export const setRoleByEmail = mutation({
  args: { email: v.string(), role: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", args.email)).unique();
    if (user) await ctx.db.patch(user._id, { role: args.role });
  },
});
`,
    },
    {
      name: "a Polar or Lemon Squeezy buyer email sent as mail or stored beside the user id",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { Webhooks } from "@polar-sh/nextjs";
import { sendReceiptEmail, grantAccess } from "@/lib/billing";

export const POST = Webhooks({
  webhookSecret: process.env.POLAR_WEBHOOK_SECRET!,
  onOrderPaid: async (payload) => {
    await sendReceiptEmail(payload.data.customer.email);
    await grantAccess({ userId: payload.data.customer.externalId, email: payload.data.customer.email });
  },
});
`,
    },
  ],
  invalid: [
    {
      name: "a Polar customer email passed as the key of a grant helper (Polar's Next.js adapter)",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { updateUserPremiumStatus } from "@/lib/polar/update-premium";
import { Webhooks } from "@polar-sh/nextjs";

export const POST = Webhooks({
  webhookSecret: process.env.POLAR_WEBHOOK_SECRET!,
  onOrderPaid: async (payload) => {
    const email = payload.data.customer.email;
    if (!email) throw new Error("Customer email not found in order");
    await updateUserPremiumStatus({ email, orderId: payload.data.id });
  },
});
`,
      output: null,
      errors: [{ messageId: "emailAsKey", line: 9, column: 37, data: { email: "email", target: "updateUserPremiumStatus" } }],
    },
    {
      name: "a Lemon Squeezy order's user_email passed as the key of a mutation",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const body = await verifyLemonSqueezy(req);
  await fetchMutation(api.users.upgradePlan, { email: body.data.attributes.user_email, plan: "pro" });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "emailAsKey", line: 6, column: 55, data: { email: "body.data.attributes.user_email", target: "api.users.upgradePlan" } }],
    },
    {
      name: "a Convex mutation that writes the Stripe customer and tier of a user found by email is billing code, whatever its name",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const updateSubscription = internalMutation({
  args: { email: v.string(), tier: v.string(), stripeCustomerId: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", args.email)).unique();
    if (!user) throw new Error("User not found");
    await ctx.db.patch(user._id, { tier: args.tier, stripeCustomerId: args.stripeCustomerId });
  },
});

export const addCredits = internalMutation({
  args: { email: v.string(), amount: v.number() },
  handler: async (ctx, { email, amount }) => {
    const user = await ctx.db.query("users").filter((q) => q.eq(q.field("email"), email)).first();
    if (user) await ctx.db.patch(user._id, { credits: (user.credits ?? 0) + amount });
  },
});
`,
      output: null,
      errors: [
        { messageId: "emailLookup", line: 7, column: 24, data: { target: '"users"', lookup: 'withIndex("by_email")', context: "billing" } },
        { messageId: "emailLookup", line: 16, column: 24, data: { target: '"users"', lookup: 'filter(q.eq(q.field("email"), ...))', context: "billing" } },
      ],
    },
    {
      name: "Convex billing mutation finds the user by the email index",
      filename: "convex/billing.ts",
      code: `import { internalMutation } from "./_generated/server";
import { v } from "convex/values";

export const upgradeByEmail = internalMutation({
  args: { email: v.string() },
  handler: async (ctx, { email }) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .unique();
    if (user) await ctx.db.patch(user._id, { plan: "pro" });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "emailLookup",
          line: 7,
          column: 24,
          data: { target: '"users"', lookup: 'withIndex("by_email")', context: "billing" },
        },
      ],
    },
    {
      name: "Convex filter on the email field in a webhook module",
      filename: "convex/stripeWebhook.ts",
      code: `import { internalMutation } from "./_generated/server";

export const markPaid = internalMutation({
  handler: async (ctx, { email }) => {
    const user = await ctx.db.query("users").filter((q) => q.eq(q.field("email"), email)).first();
    if (user) await ctx.db.patch(user._id, { paid: true });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "emailLookup",
          line: 5,
          column: 24,
          data: { target: '"users"', lookup: 'filter(q.eq(q.field("email"), ...))', context: "webhook" },
        },
      ],
    },
    {
      name: "Prisma update keyed by the Checkout email in a Stripe webhook",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  if (event.type === "checkout.session.completed") {
    const session = event.data.object as Stripe.Checkout.Session;
    await prisma.user.update({
      where: { email: session.customer_details!.email! },
      data: { plan: "pro" },
    });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "emailLookup", line: 7, column: 11, data: { target: '"user"', lookup: "update({ where: { email } })", context: "webhook" } }],
    },
    {
      name: "unverified JSON 'webhook' on a Stripe path updating by customer_email (JavaScript)",
      filename: "app/api/stripe/route.js",
      code: `import prisma from "@/lib/db";

export async function POST(request) {
  const data = await request.json();
  await prisma.user.update({
    where: { email: data.data.object.customer_email },
    data: { hasAccess: true },
  });
  return Response.json(null, { status: 200 });
}
`,
      output: null,
      errors: [{ messageId: "emailLookup", line: 5, column: 9, data: { target: '"user"', lookup: "update({ where: { email } })", context: "billing" } }],
    },
    {
      name: "Drizzle eq(users.email, ...) in a webhook",
      filename: "src/app/api/webhooks/stripe/route.ts",
      code: `import { eq } from "drizzle-orm";
import { users } from "@/db/schema";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const email = event.data.object.customer_details?.email;
  await db.update(users).set({ plan: "pro" }).where(eq(users.email, email!));
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "emailLookup", line: 7, column: 53, data: { target: '"users"', lookup: "eq(email, ...)", context: "webhook" } }],
    },
    {
      name: "Supabase .eq('email', ...) in a Pages Router Stripe webhook (JavaScript)",
      filename: "pages/api/webhook/stripe.js",
      code: `import { buffer } from "micro";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(await buffer(req), req.headers["stripe-signature"], secret);
  const email = event.data.object.customer_details.email;
  const { data: profile } = await supabase.from("profiles").select("*").eq("email", email).single();
  res.status(200).json({ received: !!profile });
}
`,
      output: null,
      errors: [{ messageId: "emailLookup", line: 8, column: 35, data: { target: '"profiles"', lookup: 'eq("email", ...)', context: "webhook" } }],
    },
    {
      name: "stripe.customers.list({ email }) before creating a customer in a checkout route",
      filename: "app/api/checkout/route.ts",
      code: `import { currentUser } from "@clerk/nextjs/server";

export async function POST() {
  const user = await currentUser();
  const email = user!.emailAddresses[0]!.emailAddress;
  const existing = await stripe.customers.list({ email, limit: 1 });
  const customer = existing.data[0] ?? (await stripe.customers.create({ email, metadata: { userId: user!.id } }));
  return Response.json({ customer: customer.id });
}
`,
      output: null,
      errors: [
        {
          messageId: "emailLookup",
          line: 6,
          column: 26,
          data: { target: "Stripe customers", lookup: "customers.list({ email })", context: "billing" },
        },
      ],
    },
    {
      name: "stripe.customers.search on email in a webhook",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const { email } = event.data.object as { email: string };
  const found = await stripe.customers.search({ query: \`email:'\${email}'\` });
  return Response.json({ n: found.data.length });
}
`,
      output: null,
      errors: [
        {
          messageId: "emailLookup",
          line: 4,
          column: 23,
          data: { target: "Stripe customers", lookup: 'customers.search({ query: "email:..." })', context: "webhook" },
        },
      ],
    },
    {
      name: "Clerk getUserList by email address in a Stripe webhook",
      filename: STRIPE_ROUTE,
      code: `import { clerkClient } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const client = await clerkClient();
  const { data } = await client.users.getUserList({ emailAddress: [event.data.object.customer_email] });
  await client.users.updateUserMetadata(data[0].id, { publicMetadata: { plan: "pro" } });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "emailLookup",
          line: 6,
          column: 26,
          data: { target: "Clerk users", lookup: "users.getUserList({ emailAddress })", context: "webhook" },
        },
      ],
    },
    {
      name: "Convex httpAction calls an internal getByEmail query",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";
import { Webhook } from "svix";

const http = httpRouter();
http.route({
  path: "/stripe",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await stripe.webhooks.constructEventAsync(await request.text(), request.headers.get("stripe-signature")!, secret);
    const user = await ctx.runQuery(internal.users.getByEmail, { email: event.data.object.customer_email });
    return new Response(user ? "ok" : "unknown");
  }),
});
export default http;
`,
      output: null,
      errors: [
        {
          messageId: "emailLookup",
          line: 12,
          column: 24,
          data: { target: "the user", lookup: "internal.users.getByEmail", context: "webhook" },
        },
      ],
    },
    {
      name: "imported getUserByEmail helper in a Stripe webhook",
      filename: STRIPE_ROUTE,
      code: `import { getUserByEmail } from "@/lib/users";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const user = await getUserByEmail(event.data.object.customer_details?.email ?? "");
  return Response.json({ found: !!user });
}
`,
      output: null,
      errors: [{ messageId: "emailLookup", line: 5, column: 22, data: { target: "the user", lookup: "getUserByEmail(...)", context: "webhook" } }],
    },
    {
      name: "Supabase admin listUsers then find by email",
      filename: "supabase/functions/stripe-webhook/index.ts",
      code: `Deno.serve(async (req) => {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, secret);
  const { data } = await supabase.auth.admin.listUsers();
  const user = data.users.find((u) => u.email === event.data.object.customer_email);
  return new Response(user ? "ok" : "missing");
});
`,
      output: null,
      errors: [{ messageId: "emailLookup", line: 4, column: 16, data: { target: '"users"', lookup: "find((x) => x.email === ...)", context: "webhook" } }],
    },
    {
      name: "Stripe email passed as the key of a Convex mutation",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

export const stripeWebhook = httpAction(async (ctx, request) => {
  const event = await stripe.webhooks.constructEventAsync(await request.text(), request.headers.get("stripe-signature"), secret);
  const session = event.data.object;
  await ctx.runMutation(internal.users.setPlan, { email: session.customer_details.email, plan: "pro" });
  return new Response(null, { status: 200 });
});
`,
      output: null,
      errors: [
        {
          messageId: "emailAsKey",
          line: 7,
          column: 58,
          data: { email: "session.customer_details.email", target: "internal.users.setPlan" },
        },
      ],
    },
    {
      name: "Stripe email passed to a grant helper from a Next.js webhook via fetchMutation",
      filename: STRIPE_ROUTE,
      code: `import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), sig, secret);
  const session = event.data.object;
  await fetchMutation(api.billing.grantPro, { email: session.customer_email! });
  await grantCredits(session.customer_email, 100);
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "emailAsKey", line: 7, column: 54, data: { email: "session.customer_email!", target: "api.billing.grantPro" } },
        { messageId: "emailAsKey", line: 8, column: 22, data: { email: "session.customer_email", target: "grantCredits" } },
      ],
    },
    {
      name: "Mongoose findOne({ email }) in an Express Stripe webhook (JavaScript)",
      filename: "server/routes/stripe.js",
      code: `const express = require("express");
const router = express.Router();

router.post("/webhook", express.raw({ type: "application/json" }), async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], secret);
  const user = await User.findOne({ email: event.data.object.customer_details.email });
  res.json({ received: !!user });
});

module.exports = router;
`,
      output: null,
      errors: [{ messageId: "emailLookup", line: 6, column: 22, data: { target: '"User"', lookup: "findOne({ email })", context: "webhook" } }],
    },
    {
      name: "Clerk user.updated sync finds the row by the (new) email",
      filename: "convex/users.ts",
      code: `import { internalMutation } from "./_generated/server";
import { Webhook } from "svix";

export const syncFromClerk = internalMutation({
  handler: async (ctx, { data }) => {
    const email = data.email_addresses[0].email_address;
    const user = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", email)).unique();
    if (user) await ctx.db.patch(user._id, { name: data.first_name });
  },
});
`,
      output: null,
      errors: [
        { messageId: "emailLookup", line: 7, column: 24, data: { target: '"users"', lookup: 'withIndex("by_email")', context: "webhook" } },
      ],
    },
    {
      name: "convex/users.ts upsertFromClerk (called by convex/http.ts) matches by email",
      filename: "convex/users.ts",
      code: `import { internalMutation } from "./_generated/server";
import { v } from "convex/values";

export const upsertFromClerk = internalMutation({
  args: { data: v.any() },
  handler: async (ctx, { data }) => {
    const email = data.email_addresses[0]?.email_address;
    const existing = await ctx.db.query("users").withIndex("by_email", (q) => q.eq("email", email)).unique();
    if (existing) await ctx.db.patch(existing._id, { clerkUserId: data.id });
    else await ctx.db.insert("users", { clerkUserId: data.id, email, plan: "free", credits: 0 });
  },
});
`,
      output: null,
      errors: [
        { messageId: "emailLookup", line: 8, column: 28, data: { target: '"users"', lookup: 'withIndex("by_email")', context: "webhook" } },
      ],
    },
  ],
});

describe("no-email-identity-lookup with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = [
    {
      files: ["**/*.js", "**/*.mjs"],
      plugins: { webhook: { rules: { "no-email-identity-lookup": rule } } },
      rules: { "webhook/no-email-identity-lookup": "error" as const },
    },
  ];

  it("reports a Prisma lookup by the Checkout email in a .js App Router webhook", () => {
    const code = `export async function POST(req) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature"), secret);
  const email = event.data.object.customer_details?.email;
  await prisma.user.update({ where: { email }, data: { plan: "pro" } });
  return new Response("ok");
}
`;
    const messages = linter.verify(code, config as unknown as Linter.Config[], "app/api/webhooks/stripe/route.js");
    expect(messages.map((m) => [m.ruleId, m.messageId, m.line, m.column])).toEqual([["webhook/no-email-identity-lookup", "emailLookup", 4, 9]]);
  });

  it("leaves an .mjs admin script alone", () => {
    const code = `const user = await prisma.user.findUnique({ where: { email: process.argv[2] } });
console.log(user);
`;
    expect(linter.verify(code, config as unknown as Linter.Config[], "scripts/find-user.mjs")).toEqual([]);
  });
});
