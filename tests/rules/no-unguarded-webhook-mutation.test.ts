import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-unguarded-webhook-mutation.js";
import { ruleTester } from "../rule-tester.js";

const MESSAGE_DATA = (fn: string, reason: string) => ({ fn, reason });

ruleTester.run("no-unguarded-webhook-mutation", rule, {
  valid: [
    {
      name: "internal mutation called from an httpAction",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const updateSubscription = internalMutation({
  args: { stripeCustomerId: v.string(), plan: v.union(v.literal("free"), v.literal("pro")) },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_stripe_customer", (q) => q.eq("stripeCustomerId", args.stripeCustomerId))
      .unique();
    if (user) await ctx.db.patch(user._id, { plan: args.plan });
  },
});
`,
    },
    {
      name: "identity-checked credit spend",
      filename: "convex/credits.ts",
      code: `import { mutation } from "./_generated/server";

export const spendCredit = mutation({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Not signed in");
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", identity.subject))
      .unique();
    if (!user || user.credits < 1) throw new Error("No credits left");
    await ctx.db.patch(user._id, { credits: user.credits - 1 });
  },
});
`,
    },
    {
      name: "Convex Auth getAuthUserId guards a cancellation",
      filename: "convex/subscriptions.ts",
      code: `import { getAuthUserId } from "@convex-dev/auth/server";
import { mutation } from "./_generated/server";

export const cancelAtPeriodEnd = mutation({
  args: {},
  handler: async (ctx) => {
    const userId = await getAuthUserId(ctx);
    if (userId === null) throw new Error("Unauthenticated");
    const subscription = await ctx.db
      .query("subscriptions")
      .withIndex("by_user", (q) => q.eq("userId", userId))
      .unique();
    if (subscription) await ctx.db.patch(subscription._id, { cancelAtPeriodEnd: true });
  },
});
`,
    },
    {
      name: "same-file getCurrentUserOrThrow helper, two levels deep",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { mutation, type QueryCtx } from "./_generated/server";

async function getCurrentUser(ctx: QueryCtx) {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null) return null;
  return await ctx.db
    .query("users")
    .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", identity.subject))
    .unique();
}

async function getCurrentUserOrThrow(ctx: QueryCtx) {
  const user = await getCurrentUser(ctx);
  if (!user) throw new Error("Can't get current user");
  return user;
}

export const chooseFreePlan = mutation({
  args: { confirm: v.boolean() },
  handler: async (ctx) => {
    const user = await getCurrentUserOrThrow(ctx);
    await ctx.db.patch(user._id, { plan: "free" });
  },
});
`,
    },
    {
      name: "imported requireUser(ctx) helper",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";
import { requireUser } from "./lib/auth";

export const setSeats = mutation({
  args: { seats: v.number() },
  handler: async (ctx, { seats }) => {
    const user = await requireUser(ctx);
    await ctx.db.patch(user._id, { seats });
  },
});
`,
    },
    {
      name: "convex-helpers builder that adds the user",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { customCtx, customMutation } from "convex-helpers/server/customFunctions";
import { mutation } from "./_generated/server";

const userMutation = customMutation(
  mutation,
  customCtx(async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    return { identity };
  }),
);

export const redeemCredits = userMutation({
  args: { userId: v.id("users"), credits: v.number() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId, { credits: args.credits });
  },
});
`,
    },
    {
      name: "seed 000: markEventProcessed checks the shared secret",
      filename: "convex/webhooks.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const markEventProcessed = mutation({
  args: { eventId: v.string(), provider: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expectedSecret = process.env.INTERNAL_API_SECRET;
    if (!expectedSecret || args.secret !== expectedSecret) {
      throw new Error("Unauthorized");
    }
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "secret checked by a same-file helper before a plan change",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

function assertInternalSecret(provided: string) {
  const expected = process.env.INTERNAL_API_SECRET;
  if (!expected || provided !== expected) throw new Error("Unauthorized");
}

export const activatePro = mutation({
  args: { clerkUserId: v.string(), secret: v.string() },
  handler: async (ctx, { clerkUserId, secret }) => {
    assertInternalSecret(secret);
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", clerkUserId))
      .unique();
    if (user) await ctx.db.patch(user._id, { plan: "pro" });
  },
});
`,
    },
    {
      name: "JavaScript: destructured secret compared in constant time",
      filename: "convex/credits.js",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

function safeEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export const addCredits = mutation({
  args: { stripeCustomerId: v.string(), credits: v.number(), secret: v.string() },
  handler: async (ctx, { stripeCustomerId, credits, secret }) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || !safeEqual(secret, expected)) throw new Error("Unauthorized");
    const user = await ctx.db
      .query("users")
      .withIndex("by_stripe_customer", (q) => q.eq("stripeCustomerId", stripeCustomerId))
      .unique();
    if (user) await ctx.db.patch(user._id, { credits: user.credits + credits });
  },
});
`,
    },
    {
      name: "a fail-open secret check is guarded here (require-convex-secret-check reports it)",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const setPlan = mutation({
  args: { userId: v.id("users"), plan: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    if (args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
    await ctx.db.patch(args.userId, { plan: args.plan });
  },
});
`,
    },
    {
      name: "todo app mutation without auth",
      filename: "convex/todos.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const addTodo = mutation({
  args: { text: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("todos", { text: args.text, done: false, createdAt: Date.now() });
  },
});
`,
    },
    {
      name: "query that reads the subscription",
      filename: "convex/subscriptions.ts",
      code: `import { v } from "convex/values";
import { query } from "./_generated/server";

export const byStripeCustomer = query({
  args: { stripeCustomerId: v.string() },
  handler: async (ctx, args) =>
    ctx.db
      .query("subscriptions")
      .withIndex("by_customer", (q) => q.eq("stripeCustomerId", args.stripeCustomerId))
      .unique(),
});
`,
    },
    {
      name: "identity-checked profile update (name, avatar)",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const updateProfile = mutation({
  args: { name: v.string(), avatarUrl: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", identity.subject))
      .unique();
    if (user) await ctx.db.patch(user._id, { name: args.name, avatarUrl: args.avatarUrl });
  },
});
`,
    },
    {
      name: "unguarded non-billing profile fields are out of scope",
      filename: "convex/profiles.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const setDisplayName = mutation({
  args: { profileId: v.id("profiles"), displayName: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.profileId, { displayName: args.displayName });
  },
});
`,
    },
    {
      name: "JavaScript internal mutation",
      filename: "convex/stripe.js",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const fulfill = internalMutation({
  args: { stripeCustomerId: v.string(), currentPeriodEnd: v.number() },
  handler: async (ctx, { stripeCustomerId, currentPeriodEnd }) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_stripe_customer", (q) => q.eq("stripeCustomerId", stripeCustomerId))
      .unique();
    if (user) await ctx.db.patch(user._id, { plan: "pro", currentPeriodEnd });
  },
});
`,
    },
    {
      name: "chat message with a role field",
      filename: "convex/messages.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const send = mutation({
  args: { threadId: v.id("threads"), content: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("messages", { threadId: args.threadId, role: "user", content: args.content });
  },
});
`,
    },
    {
      name: "calendar eventId outside a billing module",
      filename: "convex/events.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const rename = mutation({
  args: { eventId: v.id("events"), title: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.eventId, { title: args.title });
  },
});
`,
    },
    {
      name: "newsletter signup",
      filename: "convex/newsletter.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const subscribe = mutation({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("subscribers", { email: args.email, subscribed: true });
  },
});
`,
    },
    {
      name: "web push subscription",
      filename: "convex/push.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const saveSubscription = mutation({
  args: { endpoint: v.string(), p256dh: v.string(), auth: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("pushSubscriptions", { endpoint: args.endpoint, keys: { p256dh: args.p256dh, auth: args.auth } });
  },
});
`,
    },
    {
      name: "public action that verifies the session with Stripe before fulfilling",
      filename: "convex/stripe.ts",
      code: `"use node";
import Stripe from "stripe";
import { v } from "convex/values";
import { internal } from "./_generated/api";
import { action } from "./_generated/server";

export const confirmCheckout = action({
  args: { sessionId: v.string() },
  handler: async (ctx, { sessionId }) => {
    const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    if (session.payment_status !== "paid") return false;
    await ctx.runMutation(internal.billing.fulfillCheckout, { sessionId });
    return true;
  },
});
`,
    },
    {
      name: "Better Auth component guards an upgrade request",
      filename: "convex/billing.ts",
      code: `import { mutation } from "./_generated/server";
import { authComponent } from "./auth";

export const requestUpgrade = mutation({
  args: {},
  handler: async (ctx) => {
    const user = await authComponent.getAuthUser(ctx);
    if (!user) throw new Error("Unauthenticated");
    await ctx.db.insert("upgradeRequests", { userId: user._id, plan: "pro", requestedAt: Date.now() });
  },
});
`,
    },
    {
      name: "identity-checked mutation that patches another user's plan is not reported (authorization is out of scope)",
      filename: "convex/admin.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const setUserPlan = mutation({
  args: { userId: v.id("users"), plan: v.string() },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    await ctx.db.patch(args.userId, { plan: args.plan });
  },
});
`,
    },
    {
      name: "authFunctions option names a custom guard",
      filename: "convex/billing.ts",
      options: [{ authFunctions: ["gate"] }],
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";
import { gate } from "./lib/permissions";

export const adjustCredits = mutation({
  args: { userId: v.id("users"), credits: v.number() },
  handler: async (ctx, args) => {
    await gate(ctx, "billing:write");
    await ctx.db.patch(args.userId, { credits: args.credits });
  },
});
`,
    },
    {
      name: "invite token looked up before the role is granted",
      filename: "convex/members.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const acceptInvite = mutation({
  args: { inviteToken: v.string(), userId: v.id("users") },
  handler: async (ctx, args) => {
    const invite = await ctx.db
      .query("invites")
      .withIndex("by_token", (q) => q.eq("token", args.inviteToken))
      .unique();
    if (!invite || invite.expiresAt < Date.now()) throw new Error("Invalid invite");
    await ctx.db.insert("members", { teamId: invite.teamId, userId: args.userId, role: invite.role });
    await ctx.db.delete(invite._id);
  },
});
`,
    },
    {
      name: "suggested fix: only registrar in the file",
      filename: "convex/credits.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const grantCredits = internalMutation({
  args: { userId: v.id("users"), credits: v.number() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId, { credits: args.credits });
  },
});
`,
    },
    {
      name: "suggested fix: import added next to mutation",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { mutation, internalMutation, query } from "./_generated/server";

export const updateSubscription = internalMutation({
  args: { clerkUserId: v.string(), stripeCustomerId: v.string(), subscriptionStatus: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (!user) throw new Error("User not found");
    await ctx.db.patch(user._id, { stripeCustomerId: args.stripeCustomerId, subscriptionStatus: args.subscriptionStatus });
  },
});

export const rename = mutation({
  args: { name: v.string() },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    await ctx.db.insert("renames", { name: args.name });
  },
});

export const me = query({ args: {}, handler: async (ctx) => ctx.auth.getUserIdentity() });
`,
    },
    {
      name: "suggested fix: internalMutationGeneric from convex/server",
      filename: "convex/webhooks.js",
      code: `import { internalMutationGeneric } from "convex/server";
import { v } from "convex/values";

export const markEventProcessed = internalMutationGeneric({
  args: { eventId: v.string(), provider: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "suggested fix: handler-only form",
      filename: "convex/stripe.ts",
      code: `import { internalMutation } from "./_generated/server";

export const linkCustomer = internalMutation(async (ctx, { userId, stripeCustomerId }) => {
  await ctx.db.patch(userId, { stripeCustomerId });
});
`,
    },
    {
      name: "suggested fix: helper-written plan",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { internalMutation, type MutationCtx } from "./_generated/server";
import type { Id } from "./_generated/dataModel";

async function setUserPlan(ctx: MutationCtx, userId: Id<"users">, plan: "free" | "pro") {
  await ctx.db.patch(userId, { plan });
}

export const activatePro = internalMutation({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => {
    await setUserPlan(ctx, userId, "pro");
  },
});
`,
    },
    {
      name: "suggested fix: default export",
      filename: "convex/polar.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export default internalMutation({
  args: { userId: v.id("users"), polarCustomerId: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId, { polarCustomerId: args.polarCustomerId });
  },
});
`,
    },
  ],
  invalid: [
    {
      name: "public updateSubscription patched by Clerk id",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { mutation, query } from "./_generated/server";

export const updateSubscription = mutation({
  args: { clerkUserId: v.string(), stripeCustomerId: v.string(), subscriptionStatus: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (!user) throw new Error("User not found");
    await ctx.db.patch(user._id, { stripeCustomerId: args.stripeCustomerId, subscriptionStatus: args.subscriptionStatus });
  },
});

export const rename = mutation({
  args: { name: v.string() },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    await ctx.db.insert("renames", { name: args.name });
  },
});

export const me = query({ args: {}, handler: async (ctx) => ctx.auth.getUserIdentity() });
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 35,
          data: MESSAGE_DATA("updateSubscription", "writes stripeCustomerId and subscriptionStatus"),
          suggestions: [
            {
              messageId: "makeInternal",
              data: { fn: "updateSubscription" },
              output: `import { v } from "convex/values";
import { mutation, internalMutation, query } from "./_generated/server";

export const updateSubscription = internalMutation({
  args: { clerkUserId: v.string(), stripeCustomerId: v.string(), subscriptionStatus: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (!user) throw new Error("User not found");
    await ctx.db.patch(user._id, { stripeCustomerId: args.stripeCustomerId, subscriptionStatus: args.subscriptionStatus });
  },
});

export const rename = mutation({
  args: { name: v.string() },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Unauthenticated");
    await ctx.db.insert("renames", { name: args.name });
  },
});

export const me = query({ args: {}, handler: async (ctx) => ctx.auth.getUserIdentity() });
`,
            },
          ],
        },
      ],
    },
    {
      name: "seed 000's markEventProcessed without the secret",
      filename: "convex/webhooks.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const markEventProcessed = mutation({
  args: { eventId: v.string(), provider: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 35,
          data: MESSAGE_DATA("markEventProcessed", "writes to the processed_events table"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const markEventProcessed = internalMutation({
  args: { eventId: v.string(), provider: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "grantCredits by user id",
      filename: "convex/credits.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const grantCredits = mutation({
  args: { userId: v.id("users"), credits: v.number() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId, { credits: args.credits });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 29,
          data: MESSAGE_DATA("grantCredits", "writes credits"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const grantCredits = internalMutation({
  args: { userId: v.id("users"), credits: v.number() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId, { credits: args.credits });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "role change without a check",
      filename: "convex/members.ts",
      code: `import { v } from "convex/values";
import { mutation, query } from "./_generated/server";

export const setRole = mutation({
  args: { memberId: v.id("members"), role: v.union(v.literal("member"), v.literal("admin")) },
  handler: async (ctx, { memberId, role }) => {
    await ctx.db.patch(memberId, { role });
  },
});

export const list = query({ args: {}, handler: async (ctx) => ctx.db.query("members").collect() });
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 24,
          data: MESSAGE_DATA("setRole", "writes role"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation, query } from "./_generated/server";

export const setRole = internalMutation({
  args: { memberId: v.id("members"), role: v.union(v.literal("member"), v.literal("admin")) },
  handler: async (ctx, { memberId, role }) => {
    await ctx.db.patch(memberId, { role });
  },
});

export const list = query({ args: {}, handler: async (ctx) => ctx.db.query("members").collect() });
`,
            },
          ],
        },
      ],
    },
    {
      name: "public wrapper around an internal billing mutation",
      filename: "convex/checkout.ts",
      code: `import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, mutation } from "./_generated/server";

export const completeCheckout = mutation({
  args: { sessionId: v.string(), userId: v.id("users") },
  handler: async (ctx, args) => {
    await ctx.runMutation(internal.billing.fulfillCheckout, { sessionId: args.sessionId, userId: args.userId });
  },
});

export const noop = internalMutation({ args: {}, handler: async () => {} });
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 5,
          column: 33,
          data: MESSAGE_DATA("completeCheckout", "runs internal.billing.fulfillCheckout"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internal } from "./_generated/api";
import { internalMutation, mutation } from "./_generated/server";

export const completeCheckout = internalMutation({
  args: { sessionId: v.string(), userId: v.id("users") },
  handler: async (ctx, args) => {
    await ctx.runMutation(internal.billing.fulfillCheckout, { sessionId: args.sessionId, userId: args.userId });
  },
});

export const noop = internalMutation({ args: {}, handler: async () => {} });
`,
            },
          ],
        },
      ],
    },
    {
      name: "JavaScript mutationGeneric for processed events",
      filename: "convex/webhooks.js",
      code: `import { mutationGeneric } from "convex/server";
import { v } from "convex/values";

export const markEventProcessed = mutationGeneric({
  args: { eventId: v.string(), provider: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 35,
          data: MESSAGE_DATA("markEventProcessed", "writes to the processed_events table"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { internalMutationGeneric } from "convex/server";
import { v } from "convex/values";

export const markEventProcessed = internalMutationGeneric({
  args: { eventId: v.string(), provider: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: args.provider, processedAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "args: v.object with subscription fields",
      filename: "convex/subscriptions.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const sync = mutation({
  args: v.object({ subscriptionId: v.id("subscriptions"), subscriptionStatus: v.string(), currentPeriodEnd: v.number() }),
  handler: async (ctx, { subscriptionId, subscriptionStatus, currentPeriodEnd }) => {
    await ctx.db.patch(subscriptionId, { subscriptionStatus, currentPeriodEnd });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 21,
          data: MESSAGE_DATA("sync", "writes subscriptionStatus and currentPeriodEnd"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const sync = internalMutation({
  args: v.object({ subscriptionId: v.id("subscriptions"), subscriptionStatus: v.string(), currentPeriodEnd: v.number() }),
  handler: async (ctx, { subscriptionId, subscriptionStatus, currentPeriodEnd }) => {
    await ctx.db.patch(subscriptionId, { subscriptionStatus, currentPeriodEnd });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "old handler-only form",
      filename: "convex/stripe.ts",
      code: `import { mutation } from "./_generated/server";

export const linkCustomer = mutation(async (ctx, { userId, stripeCustomerId }) => {
  await ctx.db.patch(userId, { stripeCustomerId });
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 3,
          column: 29,
          data: MESSAGE_DATA("linkCustomer", "writes stripeCustomerId"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { internalMutation } from "./_generated/server";

export const linkCustomer = internalMutation(async (ctx, { userId, stripeCustomerId }) => {
  await ctx.db.patch(userId, { stripeCustomerId });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "JavaScript Clerk user sync keyed by clerkUserId",
      filename: "convex/users.js",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const upsertFromClerk = mutation({
  args: { clerkUserId: v.string(), email: v.string(), name: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (existing) {
      await ctx.db.patch(existing._id, { email: args.email, name: args.name });
      return existing._id;
    }
    return await ctx.db.insert("users", { clerkUserId: args.clerkUserId, email: args.email, name: args.name });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 32,
          data: MESSAGE_DATA("upsertFromClerk", "writes clerkUserId"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const upsertFromClerk = internalMutation({
  args: { clerkUserId: v.string(), email: v.string(), name: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (existing) {
      await ctx.db.patch(existing._id, { email: args.email, name: args.name });
      return existing._id;
    }
    return await ctx.db.insert("users", { clerkUserId: args.clerkUserId, email: args.email, name: args.name });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "identity looked up but never checked",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const upgrade = mutation({
  args: { userId: v.id("users") },
  handler: async (ctx, args) => {
    await ctx.auth.getUserIdentity();
    await ctx.db.patch(args.userId, { isPro: true });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 24,
          data: MESSAGE_DATA("upgrade", "writes isPro"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const upgrade = internalMutation({
  args: { userId: v.id("users") },
  handler: async (ctx, args) => {
    await ctx.auth.getUserIdentity();
    await ctx.db.patch(args.userId, { isPro: true });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "zod builder with NoOp adds no auth",
      filename: "convex/billing.ts",
      code: `import { z } from "zod";
import { NoOp } from "convex-helpers/server/customFunctions";
import { zCustomMutation } from "convex-helpers/server/zod";
import { mutation } from "./_generated/server";

const zMutation = zCustomMutation(mutation, NoOp);

export const setTier = zMutation({
  args: { userId: z.string(), tier: z.enum(["free", "pro", "team"]) },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId as never, { tier: args.tier });
  },
});
`,
      output: null,
      errors: [{ messageId: "unguardedMutation", line: 8, column: 24, data: MESSAGE_DATA("setTier", "writes tier"), suggestions: [] }],
    },
    {
      name: "triggers builder adds no auth",
      filename: "convex/credits.ts",
      code: `import { v } from "convex/values";
import { customCtx, customMutation } from "convex-helpers/server/customFunctions";
import { Triggers } from "convex-helpers/server/triggers";
import { mutation as rawMutation } from "./_generated/server";
import type { DataModel } from "./_generated/dataModel";

const triggers = new Triggers<DataModel>();
const mutation = customMutation(rawMutation, customCtx(triggers.wrapDB));

export const topUp = mutation({
  args: { userId: v.id("users"), amount: v.number() },
  handler: async (ctx, args) => {
    const user = await ctx.db.get(args.userId);
    await ctx.db.patch(args.userId, { creditBalance: (user?.creditBalance ?? 0) + args.amount });
  },
});
`,
      output: null,
      errors: [{ messageId: "unguardedMutation", line: 10, column: 22, data: MESSAGE_DATA("topUp", "writes creditBalance"), suggestions: [] }],
    },
    {
      name: "insert into the subscriptions table",
      filename: "convex/subscriptions.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const create = mutation({
  args: { userId: v.id("users"), status: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("subscriptions", { userId: args.userId, status: args.status, createdAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 23,
          data: MESSAGE_DATA("create", "writes to the subscriptions table"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const create = internalMutation({
  args: { userId: v.id("users"), status: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("subscriptions", { userId: args.userId, status: args.status, createdAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "rest of args patched onto the user",
      filename: "convex/users.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const setPro = mutation({
  args: { userId: v.id("users"), isPro: v.boolean(), proExpiresAt: v.optional(v.number()) },
  handler: async (ctx, args) => {
    const { userId, ...updates } = args;
    await ctx.db.patch(userId, updates);
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 23,
          data: MESSAGE_DATA("setPro", "writes isPro and proExpiresAt"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export const setPro = internalMutation({
  args: { userId: v.id("users"), isPro: v.boolean(), proExpiresAt: v.optional(v.number()) },
  handler: async (ctx, args) => {
    const { userId, ...updates } = args;
    await ctx.db.patch(userId, updates);
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "same-file helper writes the plan",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { mutation, type MutationCtx } from "./_generated/server";
import type { Id } from "./_generated/dataModel";

async function setUserPlan(ctx: MutationCtx, userId: Id<"users">, plan: "free" | "pro") {
  await ctx.db.patch(userId, { plan });
}

export const activatePro = mutation({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => {
    await setUserPlan(ctx, userId, "pro");
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 9,
          column: 28,
          data: MESSAGE_DATA("activatePro", "writes plan"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation, type MutationCtx } from "./_generated/server";
import type { Id } from "./_generated/dataModel";

async function setUserPlan(ctx: MutationCtx, userId: Id<"users">, plan: "free" | "pro") {
  await ctx.db.patch(userId, { plan });
}

export const activatePro = internalMutation({
  args: { userId: v.id("users") },
  handler: async (ctx, { userId }) => {
    await setUserPlan(ctx, userId, "pro");
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "Polar customer id stored without a check (default export)",
      filename: "convex/polar.ts",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export default mutation({
  args: { userId: v.id("users"), polarCustomerId: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId, { polarCustomerId: args.polarCustomerId });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "unguardedMutation",
          line: 4,
          column: 16,
          data: MESSAGE_DATA("default", "writes polarCustomerId"),
          suggestions: [
            {
              messageId: "makeInternal",
              output: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";

export default internalMutation({
  args: { userId: v.id("users"), polarCustomerId: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.patch(args.userId, { polarCustomerId: args.polarCustomerId });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "aliased registrar import gets no suggestion",
      filename: "convex/stripeEvents.ts",
      code: `import { v } from "convex/values";
import { mutation as publicMutation } from "./_generated/server";

export const recordStripeEvent = publicMutation({
  args: { stripeEventId: v.string(), type: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("events", { externalId: args.stripeEventId, type: args.type });
  },
});
`,
      output: null,
      errors: [{ messageId: "unguardedMutation", line: 4, column: 34, data: MESSAGE_DATA("recordStripeEvent", "takes stripeEventId"), suggestions: [] }],
    },
  ],
});

describe("no-unguarded-webhook-mutation with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = [
    {
      files: ["**/*.js"],
      plugins: { webhook: { rules: { "no-unguarded-webhook-mutation": rule as never } } },
      rules: { "webhook/no-unguarded-webhook-mutation": "error" as const },
    },
  ];

  it("reports an unguarded plan change and leaves the identity-checked one alone", () => {
    const open = `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const setPlan = mutation({
  args: { userId: v.id("users"), plan: v.string() },
  handler: async (ctx, args) => {
    const user = await ctx.db.get(args.userId);
    await ctx.db.patch(args.userId, { plan: args.plan, credits: user?.credits ?? 0 });
  },
});
`;
    expect(linter.verify(open, config, { filename: "convex/billing.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["unguardedMutation", 4, 24],
    ]);
    const guardedCode = open.replace(
      "const user = await ctx.db.get(args.userId);",
      'const identity = await ctx.auth.getUserIdentity();\n    if (!identity) throw new Error("Unauthenticated");\n    const user = await ctx.db.get(args.userId);',
    );
    expect(linter.verify(guardedCode, config, { filename: "convex/billing.js" })).toEqual([]);
  });
});
