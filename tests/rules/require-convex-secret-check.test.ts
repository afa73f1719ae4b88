import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/require-convex-secret-check.js";
import { ruleTester } from "../rule-tester.js";

const RETURNS =
  "returns without an error when the secret is wrong or missing, so the caller (and the webhook provider) sees success and the work is silently skipped";
const RUNS_ON = "runs on when the secret is wrong or missing, so any caller gets through";
const HOW_UNDEFINED = "a caller that sends no secret compares `undefined` with `undefined`, which matches";
const HOW_SKIPPED = "the comparison is skipped when the variable is missing";
const HOW_EMPTY = "a caller that sends an empty string matches the empty fallback";

const IMPORTS = `import { v } from "convex/values";
import { action, internalMutation, mutation, query } from "./_generated/server";
`;

/** Seed 000's `markEventProcessed`, the correct shape. */
const SEED_000 = `${IMPORTS}
export const markEventProcessed = mutation({
  args: {
    eventId: v.string(),
    provider: v.string(),
    secret: v.string(), // Passed from Next.js
  },
  handler: async (ctx, args) => {
    const expectedSecret = process.env.INTERNAL_API_SECRET; // Read from Convex env
    if (!expectedSecret || args.secret !== expectedSecret) {
      throw new Error("Unauthorized");
    }
    await ctx.db.insert("processed_events", {
      eventId: args.eventId,
      provider: args.provider,
      processedAt: Date.now(),
    });
  },
});
`;

ruleTester.run("require-convex-secret-check", rule, {
  valid: [
    { name: "seed 000: markEventProcessed fails closed and throws", filename: "convex/webhooks.ts", code: SEED_000 },
    {
      name: "internal mutation that only checks the variable is set",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const recordEvent = internalMutation({
  args: { eventId: v.string() },
  handler: async (ctx, args) => {
    if (!process.env.INTERNAL_API_SECRET) throw new Error("INTERNAL_API_SECRET is not set");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "action that reads STRIPE_SECRET_KEY to call Stripe",
      filename: "convex/stripe.ts",
      code: `"use node";
import Stripe from "stripe";
import { v } from "convex/values";
import { action } from "./_generated/server";

export const createPortalSession = action({
  args: { customerId: v.string() },
  handler: async (ctx, { customerId }) => {
    const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
    const session = await stripe.billingPortal.sessions.create({
      customer: customerId,
      return_url: \`\${process.env.SITE_URL}/billing\`,
    });
    return session.url;
  },
});
`,
    },
    {
      name: "query that reads SITE_URL",
      filename: "convex/http.ts",
      code: `${IMPORTS}
export const checkoutUrls = query({
  args: {},
  handler: async () => {
    const site = process.env.SITE_URL ?? "http://localhost:3000";
    return { success: \`\${site}/billing?success=1\`, cancel: \`\${site}/billing\` };
  },
});
`,
    },
    {
      name: "early throw when unset, then a negated === on a destructured argument",
      filename: "convex/billing.ts",
      code: `${IMPORTS}
export const grantCredits = mutation({
  args: { userId: v.id("users"), credits: v.number(), secret: v.string() },
  handler: async (ctx, { userId, credits, secret }) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected) {
      throw new Error("INTERNAL_API_SECRET is not set in this Convex deployment");
    }
    if (!(secret === expected)) throw new Error("Unauthorized");
    const user = await ctx.db.get(userId);
    if (!user) throw new Error("User not found");
    await ctx.db.patch(userId, { credits: user.credits + credits });
  },
});
`,
    },
    {
      name: "same-file helper assertSecret(args.secret) does the whole check",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
function assertSecret(provided: string) {
  const expected = process.env.INTERNAL_API_SECRET;
  if (!expected || provided !== expected) {
    throw new Error("Unauthorized");
  }
}

export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    assertSecret(args.secret);
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "polar", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "module-level constant and a requireInternalSecret(ctx, args) helper",
      filename: "convex/users.ts",
      code: `${IMPORTS}
const INTERNAL_API_SECRET = process.env.INTERNAL_API_SECRET;

async function requireInternalSecret(_ctx: unknown, args: { secret: string }) {
  if (!INTERNAL_API_SECRET || args.secret !== INTERNAL_API_SECRET) {
    throw new Error("Unauthorized");
  }
}

export const setPlan = mutation({
  args: { clerkUserId: v.string(), plan: v.union(v.literal("free"), v.literal("pro")), secret: v.string() },
  handler: async (ctx, args) => {
    await requireInternalSecret(ctx, args);
    const user = await ctx.db
      .query("users")
      .withIndex("by_clerk_user_id", (q) => q.eq("clerkUserId", args.clerkUserId))
      .unique();
    if (user) await ctx.db.patch(user._id, { plan: args.plan });
  },
});
`,
    },
    {
      name: "constant-time comparison helper in the same file",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
function safeCompare(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || !safeCompare(args.secret, expected)) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "loose != with the unset check",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.CONVEX_INTERNAL_SECRET;
    if (!expected || args.secret != expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "JavaScript Convex file with the seed 000 shape",
      filename: "convex/webhooks.js",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expectedSecret = process.env.INTERNAL_API_SECRET;
    if (!expectedSecret || args.secret !== expectedSecret) {
      throw new Error("Unauthorized");
    }
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "polar", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "args: v.object({...}) with a correct check",
      filename: "convex/billing.ts",
      code: `${IMPORTS}
export const recordPayment = mutation({
  args: v.object({ paymentIntentId: v.string(), amount: v.number(), secret: v.string() }),
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("payments", { paymentIntentId: args.paymentIntentId, amount: args.amount });
  },
});
`,
    },
    {
      name: "query that checks the secret before returning data",
      filename: "convex/admin.ts",
      code: `${IMPORTS}
export const listCustomers = query({
  args: { secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.ADMIN_API_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Unauthorized");
    return await ctx.db.query("users").collect();
  },
});
`,
    },
    {
      name: "todo app mutation with identity check and no secret",
      filename: "convex/todos.ts",
      code: `${IMPORTS}
export const addTodo = mutation({
  args: { text: v.string() },
  handler: async (ctx, args) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Not signed in");
    await ctx.db.insert("todos", { text: args.text, owner: identity.subject, done: false });
  },
});
`,
    },
    {
      name: "secret used as a signing key, not a caller check",
      filename: "convex/newsletter.ts",
      code: `${IMPORTS}
async function signUnsubscribeToken(email: string, key: string) {
  const data = new TextEncoder().encode(\`\${email}:\${key}\`);
  const digest = await crypto.subtle.digest("SHA-256", data);
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

export const subscribe = mutation({
  args: { email: v.string() },
  handler: async (ctx, args) => {
    const token = await signUnsubscribeToken(args.email, process.env.UNSUBSCRIBE_SECRET!);
    await ctx.db.insert("subscribers", { email: args.email, unsubscribeToken: token });
  },
});
`,
    },
    {
      name: "convex-helpers builder consumes the secret before the handler",
      filename: "convex/internalApi.ts",
      code: `import { v } from "convex/values";
import { customMutation } from "convex-helpers/server/customFunctions";
import { mutation } from "./_generated/server";

const secretMutation = customMutation(mutation, {
  args: { secret: v.string() },
  input: async (ctx, { secret }) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || secret !== expected) throw new Error("Unauthorized");
    return { ctx: {}, args: {} };
  },
});

export const markPaid = secretMutation({
  args: { orderId: v.id("orders") },
  handler: async (ctx, { orderId }) => {
    await ctx.db.patch(orderId, { paid: true });
  },
});
`,
    },
    {
      name: "imported helper receives the secret argument",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}import { requireInternalSecret } from "./lib/internalAuth";

export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    requireInternalSecret(args.secret);
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "two secrets during a rotation, filtered and compared",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const accepted = [process.env.INTERNAL_API_SECRET, process.env.INTERNAL_API_SECRET_PREVIOUS].filter(Boolean);
    if (!accepted.includes(args.secret)) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "invite token used to look up the invite",
      filename: "convex/invites.ts",
      code: `${IMPORTS}
export const acceptInvite = mutation({
  args: { token: v.string() },
  handler: async (ctx, args) => {
    const invite = await ctx.db
      .query("invites")
      .withIndex("by_token", (q) => q.eq("token", args.token))
      .unique();
    if (!invite) throw new Error("Invalid invite");
    await ctx.db.patch(invite._id, { acceptedAt: Date.now() });
  },
});
`,
    },
    {
      name: "React component calling a mutation is not a Convex function",
      filename: "src/app/settings/page.tsx",
      code: `"use client";
import { useMutation } from "convex/react";
import { api } from "@/convex/_generated/api";

export default function Settings() {
  const save = useMutation(api.users.updateName);
  const key = process.env.NEXT_PUBLIC_CONVEX_URL;
  return <button onClick={() => save({ name: "Ada" })}>{key}</button>;
}
`,
    },
    {
      name: "registered but not exported, so not callable",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
const draft = mutation({
  args: { secret: v.string() },
  handler: async (ctx) => {
    if (!process.env.INTERNAL_API_SECRET) throw new Error("missing");
    await ctx.db.insert("drafts", {});
  },
});
void draft;
`,
    },
    {
      name: "JavaScript handler-only form with a fail-closed check",
      filename: "convex/legacy.js",
      code: `import { mutation } from "./_generated/server";

export const markEventProcessed = mutation(async (ctx, { eventId, secret }) => {
  const expected = process.env.INTERNAL_API_SECRET;
  if (!expected || secret !== expected) throw new Error("Unauthorized");
  await ctx.db.insert("processed_events", { eventId, provider: "stripe", processedAt: Date.now() });
});
`,
    },
    {
      name: "query that returns whether a secret matches (no protected work)",
      filename: "convex/health.ts",
      code: `${IMPORTS}
export const secretMatches = query({
  args: { secret: v.string() },
  handler: async (_ctx, args) => args.secret === process.env.INTERNAL_API_SECRET,
});
`,
    },
    {
      name: "optional secret with a fail-closed check rejects a missing argument",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "suggested fix of a bare !== check",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "suggested fix of an expected && check",
      filename: "convex/billing.ts",
      code: `${IMPORTS}
export const grantCredits = mutation({
  args: { userId: v.id("users"), amount: v.number(), secret: v.string() },
  handler: async (ctx, args) => {
    const secret = process.env.INTERNAL_API_SECRET;
    if (!secret || args.secret !== secret) {
      throw new Error("Unauthorized");
    }
    await ctx.db.patch(args.userId, { credits: args.amount });
  },
});
`,
    },
    {
      name: "suggested fix of a direct process.env comparison",
      filename: "convex/users.ts",
      code: `${IMPORTS}
export const setStripeCustomer = mutation({
  args: { userId: v.id("users"), stripeCustomerId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    if (!process.env.INTERNAL_API_SECRET || args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
    await ctx.db.patch(args.userId, { stripeCustomerId: args.stripeCustomerId });
  },
});
`,
    },
    {
      name: "suggested fix of an empty-string fallback",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET ?? "";
    if (!expected || args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
    },
    {
      name: "exported helper that fails closed",
      filename: "convex/lib/adminAuth.ts",
      code: `export function requireAdmin(adminSecret: string | undefined): void {
  const expected = process.env.CONVEX_ADMIN_SECRET;
  if (!expected) {
    throw new Error("CONVEX_ADMIN_SECRET environment variable is not set");
  }
  if (!adminSecret || adminSecret !== expected) {
    throw new Error("Unauthorized: invalid admin secret");
  }
}
`,
    },
    {
      name: "exported predicate helper that fails closed",
      filename: "convex/lib/internal.ts",
      code: `export function isValidInternalSecret(provided: string): boolean {
  const expected = process.env.INTERNAL_API_SECRET;
  return !!expected && provided === expected;
}
`,
    },
    {
      name: "secret helper outside Convex code is out of scope",
      filename: "lib/cron.ts",
      code: `export function isCronRequest(authorization: string | null) {
  return authorization === \`Bearer \${process.env.CRON_SECRET}\`;
}
`,
    },
    {
      name: "suggested fix of a builder input",
      filename: "convex/apiFunctions.ts",
      code: `import { v } from "convex/values";
import { customMutation } from "convex-helpers/server/customFunctions";
import { mutation } from "./_generated/server";

export const apiMutation = customMutation(mutation, {
  args: { apiToken: v.string() },
  input: async (_ctx, args) => {
    if (!process.env.CONVEX_API_TOKEN || args.apiToken !== process.env.CONVEX_API_TOKEN) {
      throw new Error("Invalid API Token");
    }
    return { ctx: {}, args: {} };
  },
});
`,
    },
    {
      name: "suggested fix of an exported helper",
      filename: "convex/auth.ts",
      code: `export function requireAuth(token: string | undefined) {
  if (!process.env.CONVEX_WRITE_TOKEN || token !== process.env.CONVEX_WRITE_TOKEN) {
    throw new Error("Unauthorized");
  }
}
`,
    },
    {
      name: "a secret check for the webhook caller and an identity check for everyone else",
      filename: "convex/credits.ts",
      code: `${IMPORTS}import { getAuthUserId } from "@convex-dev/auth/server";
export const grantCredits = mutation({
  args: { source: v.string(), secret: v.optional(v.string()), userId: v.id("users") },
  handler: async (ctx, args) => {
    if (args.source === "webhook") {
      const expected = process.env.INTERNAL_API_SECRET;
      if (!expected || !args.secret || !constantTimeEqual(args.secret, expected)) throw new Error("Unauthorized");
    } else {
      const me = await getAuthUserId(ctx);
      if (!me || me !== args.userId) throw new Error("Unauthorized");
    }
    await ctx.db.patch(args.userId, { credits: 10 });
  },
});
function constantTimeEqual(a: string, b: string) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
`,
    },
  ],
  invalid: [
    {
      name: "a DB read compared with null before the check does not hide a check that fails open",
      filename: "convex/admin.ts",
      code: `${IMPORTS}
export const seedAdmin = mutation({
  args: { secret: v.string() },
  handler: async (ctx, args) => {
    const existing = await ctx.db.query("admins").first();
    if (existing !== null) throw new Error("seeded");
    const expected = process.env.ADMIN_SEED_SECRET;
    if (args.secret !== expected) throw new Error("Invalid seed secret");
    await ctx.db.insert("admins", { addedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 10,
          column: 9,
          data: { fn: "seedAdmin", name: "ADMIN_SEED_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              data: { name: "ADMIN_SEED_SECRET" },
              output: `${IMPORTS}
export const seedAdmin = mutation({
  args: { secret: v.string() },
  handler: async (ctx, args) => {
    const existing = await ctx.db.query("admins").first();
    if (existing !== null) throw new Error("seeded");
    const expected = process.env.ADMIN_SEED_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Invalid seed secret");
    await ctx.db.insert("admins", { addedAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "an argument-dependent early exit before the check does not hide a check that fails open",
      filename: "convex/admin.ts",
      code: `${IMPORTS}
export const seedAdminUnlessForced = mutation({
  args: { secret: v.string(), force: v.boolean() },
  handler: async (ctx, args) => {
    if (args.force) throw new Error("use the dashboard");
    const expected = process.env.ADMIN_SEED_SECRET;
    if (args.secret !== expected) throw new Error("Invalid seed secret");
    await ctx.db.insert("admins", { addedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 9,
          column: 9,
          data: { fn: "seedAdminUnlessForced", name: "ADMIN_SEED_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              data: { name: "ADMIN_SEED_SECRET" },
              output: `${IMPORTS}
export const seedAdminUnlessForced = mutation({
  args: { secret: v.string(), force: v.boolean() },
  handler: async (ctx, args) => {
    if (args.force) throw new Error("use the dashboard");
    const expected = process.env.ADMIN_SEED_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Invalid seed secret");
    await ctx.db.insert("admins", { addedAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "a comparison of a DB read's field before the check does not hide a check that fails open",
      filename: "convex/admin.ts",
      code: `${IMPORTS}
export const seedAdminChecked = mutation({
  args: { secret: v.string() },
  handler: async (ctx, args) => {
    const count = (await ctx.db.query("admins").collect()).length;
    const existing = await ctx.db.query("admins").first();
    if (existing?.addedAt === undefined && count > 5) throw new Error("inconsistent");
    const expected = process.env.ADMIN_SEED_SECRET;
    if (args.secret !== expected) throw new Error("Invalid seed secret");
    await ctx.db.insert("admins", { addedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 11,
          column: 9,
          data: { fn: "seedAdminChecked", name: "ADMIN_SEED_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              data: { name: "ADMIN_SEED_SECRET" },
              output: `${IMPORTS}
export const seedAdminChecked = mutation({
  args: { secret: v.string() },
  handler: async (ctx, args) => {
    const count = (await ctx.db.query("admins").collect()).length;
    const existing = await ctx.db.query("admins").first();
    if (existing?.addedAt === undefined && count > 5) throw new Error("inconsistent");
    const expected = process.env.ADMIN_SEED_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Invalid seed secret");
    await ctx.db.insert("admins", { addedAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "secret read and checked for presence, never compared",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expectedSecret = process.env.INTERNAL_API_SECRET;
    if (!expectedSecret) throw new Error("Server misconfigured");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "polar", processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [{ messageId: "secretNotCompared", line: 7, column: 28, data: { fn: "markEventProcessed", name: "INTERNAL_API_SECRET" } }],
    },
    {
      name: "module-level secret only logged",
      filename: "convex/billing.ts",
      code: `${IMPORTS}
const INTERNAL_SECRET = process.env.CONVEX_INTERNAL_SECRET;

export const grantCredits = mutation({
  args: { userId: v.id("users"), credits: v.number() },
  handler: async (ctx, args) => {
    console.log("internal secret configured:", !!INTERNAL_SECRET);
    await ctx.db.patch(args.userId, { credits: args.credits });
  },
});
`,
      output: null,
      errors: [{ messageId: "secretNotCompared", line: 4, column: 25, data: { fn: "grantCredits", name: "CONVEX_INTERNAL_SECRET" } }],
    },
    {
      name: "JavaScript: destructured from process.env and never compared",
      filename: "convex/webhooks.js",
      code: `import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const markEventProcessed = mutation({
  args: { eventId: v.string() },
  handler: async (ctx, { eventId }) => {
    const { INTERNAL_API_SECRET } = process.env;
    if (INTERNAL_API_SECRET === undefined) throw new Error("Missing INTERNAL_API_SECRET");
    await ctx.db.insert("processed_events", { eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [{ messageId: "secretNotCompared", line: 7, column: 13, data: { fn: "markEventProcessed", name: "INTERNAL_API_SECRET" } }],
    },
    {
      name: "returns silently on a wrong secret",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || args.secret !== expected) {
      return { ok: false };
    }
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
    return { ok: true };
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "noThrowOnMismatch",
          line: 8,
          column: 22,
          data: { fn: "markEventProcessed", arg: "secret", name: "INTERNAL_API_SECRET", effect: RETURNS },
        },
      ],
    },
    {
      name: "only logs a wrong secret and carries on",
      filename: "convex/billing.ts",
      code: `${IMPORTS}
export const grantCredits = mutation({
  args: { userId: v.id("users"), credits: v.number(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || args.secret !== expected) {
      console.warn("grantCredits: bad internal secret");
    }
    await ctx.db.patch(args.userId, { credits: args.credits });
  },
});
`,
      output: null,
      errors: [{ messageId: "noThrowOnMismatch", line: 8, column: 22, data: { fn: "grantCredits", arg: "secret", name: "INTERNAL_API_SECRET", effect: RUNS_ON } }],
    },
    {
      name: "JavaScript mutationGeneric returning null on mismatch",
      filename: "convex/webhooks.js",
      code: `import { mutationGeneric } from "convex/server";
import { v } from "convex/values";

export const recordEvent = mutationGeneric({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected) return null;
    if (args.secret !== expected) return null;
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
    return null;
  },
});
`,
      output: null,
      errors: [{ messageId: "noThrowOnMismatch", line: 9, column: 9, data: { fn: "recordEvent", arg: "secret", name: "INTERNAL_API_SECRET", effect: RETURNS } }],
    },
    {
      name: "query that returns null instead of throwing",
      filename: "convex/admin.ts",
      code: `${IMPORTS}
export const revenueReport = query({
  args: { secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.ADMIN_API_SECRET;
    if (!expected || args.secret !== expected) return null;
    return await ctx.db.query("payments").collect();
  },
});
`,
      output: null,
      errors: [{ messageId: "noThrowOnMismatch", line: 8, column: 22, data: { fn: "revenueReport", arg: "secret", name: "ADMIN_API_SECRET", effect: RETURNS } }],
    },
    {
      name: "bare !== passes when the variable is unset",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 8,
          column: 9,
          data: { fn: "markEventProcessed", name: "INTERNAL_API_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              data: { name: "INTERNAL_API_SECRET" },
              output: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "expected && check skips the comparison when unset",
      filename: "convex/billing.ts",
      code: `${IMPORTS}
export const grantCredits = mutation({
  args: { userId: v.id("users"), amount: v.number(), secret: v.string() },
  handler: async (ctx, args) => {
    const secret = process.env.INTERNAL_API_SECRET;
    if (secret && args.secret !== secret) {
      throw new Error("Unauthorized");
    }
    await ctx.db.patch(args.userId, { credits: args.amount });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 8,
          column: 19,
          data: { fn: "grantCredits", name: "INTERNAL_API_SECRET", arg: "secret", value: "args.secret", how: HOW_SKIPPED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              output: `${IMPORTS}
export const grantCredits = mutation({
  args: { userId: v.id("users"), amount: v.number(), secret: v.string() },
  handler: async (ctx, args) => {
    const secret = process.env.INTERNAL_API_SECRET;
    if (!secret || args.secret !== secret) {
      throw new Error("Unauthorized");
    }
    await ctx.db.patch(args.userId, { credits: args.amount });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "direct process.env comparison",
      filename: "convex/users.ts",
      code: `${IMPORTS}
export const setStripeCustomer = mutation({
  args: { userId: v.id("users"), stripeCustomerId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    if (args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
    await ctx.db.patch(args.userId, { stripeCustomerId: args.stripeCustomerId });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 7,
          column: 9,
          data: { fn: "setStripeCustomer", name: "INTERNAL_API_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              output: `${IMPORTS}
export const setStripeCustomer = mutation({
  args: { userId: v.id("users"), stripeCustomerId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    if (!process.env.INTERNAL_API_SECRET || args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
    await ctx.db.patch(args.userId, { stripeCustomerId: args.stripeCustomerId });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "empty-string fallback matches an empty secret",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET ?? "";
    if (args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 8,
          column: 9,
          data: { fn: "markEventProcessed", name: "INTERNAL_API_SECRET", arg: "secret", value: "args.secret", how: HOW_EMPTY },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              output: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET ?? "";
    if (!expected || args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "fail-open check inside a same-file helper is reported at the call",
      filename: "convex/users.ts",
      code: `${IMPORTS}
const INTERNAL_API_SECRET = process.env.INTERNAL_API_SECRET;

function requireInternalSecret(args: { secret: string }) {
  if (args.secret !== INTERNAL_API_SECRET) throw new Error("Unauthorized");
}

export const setPlan = mutation({
  args: { userId: v.id("users"), plan: v.string(), secret: v.string() },
  handler: async (ctx, args) => {
    requireInternalSecret(args);
    await ctx.db.patch(args.userId, { plan: args.plan });
  },
});
`,
      output: null,
      errors: [
        { messageId: "failsOpenWhenUnset", line: 13, column: 5, data: { fn: "setPlan", name: "INTERNAL_API_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED } },
      ],
    },
    {
      name: "JavaScript handler-only form with no validator",
      filename: "convex/legacy.js",
      code: `import { mutation } from "./_generated/server";

export const markEventProcessed = mutation(async (ctx, { eventId, secret }) => {
  if (secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
  await ctx.db.insert("processed_events", { eventId, provider: "stripe", processedAt: Date.now() });
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 4,
          column: 7,
          data: { fn: "markEventProcessed", name: "INTERNAL_API_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              output: `import { mutation } from "./_generated/server";

export const markEventProcessed = mutation(async (ctx, { eventId, secret }) => {
  if (!process.env.INTERNAL_API_SECRET || secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
  await ctx.db.insert("processed_events", { eventId, provider: "stripe", processedAt: Date.now() });
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "mutationGeneric with v.object args and a loose != check",
      filename: "convex/billing.ts",
      code: `import { mutationGeneric } from "convex/server";
import { v } from "convex/values";

export const recordPayment = mutationGeneric({
  args: v.object({ paymentIntentId: v.string(), secret: v.union(v.string(), v.null()) }),
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (args.secret != expected) throw new Error("Unauthorized");
    await ctx.db.insert("payments", { paymentIntentId: args.paymentIntentId });
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 8,
          column: 9,
          data: { fn: "recordPayment", name: "INTERNAL_API_SECRET", arg: "secret", value: "args.secret", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              output: `import { mutationGeneric } from "convex/server";
import { v } from "convex/values";

export const recordPayment = mutationGeneric({
  args: v.object({ paymentIntentId: v.string(), secret: v.union(v.string(), v.null()) }),
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected || args.secret != expected) throw new Error("Unauthorized");
    await ctx.db.insert("payments", { paymentIntentId: args.paymentIntentId });
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "optional secret that is only checked when sent",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected) throw new Error("INTERNAL_API_SECRET is not set");
    if (args.secret && args.secret !== expected) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId: args.eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [
        { messageId: "optionalSecretArg", line: 5, column: 40, data: { fn: "markEventProcessed", arg: "secret", value: "args.secret", validator: "optional (`v.optional`)" } },
      ],
    },
    {
      name: "JavaScript v.any() secret checked only when defined",
      filename: "convex/credits.js",
      code: `import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const addCredits = mutation({
  args: { userId: v.id("users"), amount: v.number(), apiSecret: v.any() },
  handler: async (ctx, { userId, amount, apiSecret }) => {
    const expected = process.env.CREDITS_API_SECRET;
    if (!expected) throw new Error("CREDITS_API_SECRET missing");
    if (apiSecret !== undefined && apiSecret !== expected) {
      throw new Error("Unauthorized");
    }
    const user = await ctx.db.get(userId);
    await ctx.db.patch(userId, { credits: (user?.credits ?? 0) + amount });
  },
});
`,
      output: null,
      errors: [{ messageId: "optionalSecretArg", line: 5, column: 65, data: { fn: "addCredits", arg: "apiSecret", value: "args.apiSecret", validator: "not validated (`v.any()`)" } }],
    },
    {
      name: "secret argument declared but the handler never reads it",
      filename: "convex/webhooks.ts",
      code: `${IMPORTS}
export const markEventProcessed = mutation({
  args: { eventId: v.string(), provider: v.string(), secret: v.string() },
  handler: async (ctx, { eventId, provider }) => {
    await ctx.db.insert("processed_events", { eventId, provider, processedAt: Date.now() });
  },
});
`,
      output: null,
      errors: [{ messageId: "secretArgUnchecked", line: 5, column: 54, data: { fn: "markEventProcessed", arg: "secret" } }],
    },
    {
      name: "handler without an args parameter",
      filename: "convex/crons.ts",
      code: `${IMPORTS}
export const resetDailyCredits = mutation({
  args: { cronSecret: v.string() },
  handler: async (ctx) => {
    const users = await ctx.db.query("users").collect();
    for (const user of users) await ctx.db.patch(user._id, { credits: 10 });
  },
});
`,
      output: null,
      errors: [{ messageId: "secretArgUnchecked", line: 5, column: 11, data: { fn: "resetDailyCredits", arg: "cronSecret" } }],
    },
    {
      name: "JavaScript: secret argument only logged",
      filename: "convex/sync.js",
      code: `import { mutation } from "./_generated/server";
import { v } from "convex/values";

export const upsertUser = mutation({
  args: { clerkUserId: v.string(), email: v.string(), apiKey: v.string() },
  handler: async (ctx, args) => {
    console.log("sync from", args.clerkUserId, args.apiKey);
    await ctx.db.insert("users", { clerkUserId: args.clerkUserId, email: args.email, plan: "free", credits: 0 });
  },
});
`,
      output: null,
      errors: [{ messageId: "secretArgUnchecked", line: 5, column: 55, data: { fn: "upsertUser", arg: "apiKey" } }],
    },
    {
      name: "convex-helpers builder input that fails open",
      filename: "convex/apiFunctions.ts",
      code: `import { v } from "convex/values";
import { customMutation } from "convex-helpers/server/customFunctions";
import { mutation } from "./_generated/server";

export const apiMutation = customMutation(mutation, {
  args: { apiToken: v.string() },
  input: async (_ctx, args) => {
    if (args.apiToken !== process.env.CONVEX_API_TOKEN) {
      throw new Error("Invalid API Token");
    }
    return { ctx: {}, args: {} };
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 8,
          column: 9,
          data: { fn: "apiMutation", name: "CONVEX_API_TOKEN", arg: "apiToken", value: "args.apiToken", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              output: `import { v } from "convex/values";
import { customMutation } from "convex-helpers/server/customFunctions";
import { mutation } from "./_generated/server";

export const apiMutation = customMutation(mutation, {
  args: { apiToken: v.string() },
  input: async (_ctx, args) => {
    if (!process.env.CONVEX_API_TOKEN || args.apiToken !== process.env.CONVEX_API_TOKEN) {
      throw new Error("Invalid API Token");
    }
    return { ctx: {}, args: {} };
  },
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "exported helper imported by other modules fails open",
      filename: "convex/auth.ts",
      code: `export function requireAuth(token: string | undefined) {
  if (token !== process.env.CONVEX_WRITE_TOKEN) {
    throw new Error("Unauthorized");
  }
}
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 2,
          column: 7,
          data: { fn: "requireAuth", name: "CONVEX_WRITE_TOKEN", arg: "token", value: "token", how: HOW_UNDEFINED },
          suggestions: [
            {
              messageId: "rejectWhenUnset",
              output: `export function requireAuth(token: string | undefined) {
  if (!process.env.CONVEX_WRITE_TOKEN || token !== process.env.CONVEX_WRITE_TOKEN) {
    throw new Error("Unauthorized");
  }
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "JavaScript exported helper that only logs, used in the same file",
      filename: "convex/cron.js",
      code: `import { v } from "convex/values";
import { mutation } from "./_generated/server";

export function checkCronSecret(secret) {
  const expected = process.env.CRON_SECRET;
  if (!expected || secret !== expected) console.error("cron: bad secret");
}

export const resetCredits = mutation({
  args: { secret: v.string() },
  handler: async (ctx, { secret }) => {
    checkCronSecret(secret);
    for (const user of await ctx.db.query("users").collect()) await ctx.db.patch(user._id, { credits: 10 });
  },
});
`,
      output: null,
      errors: [{ messageId: "noThrowOnMismatch", line: 6, column: 20, data: { fn: "checkCronSecret", arg: "secret", name: "CRON_SECRET", effect: RUNS_ON } }],
    },
    {
      name: "exported predicate that matches when unset",
      filename: "convex/lib/appSecret.ts",
      code: `export function isValidAppSecret(appSecret?: string) {
  return appSecret === process.env.APP_SECRET;
}
`,
      output: null,
      errors: [
        {
          messageId: "failsOpenWhenUnset",
          line: 2,
          column: 10,
          data: { fn: "isValidAppSecret", name: "APP_SECRET", arg: "appSecret", value: "appSecret", how: HOW_UNDEFINED },
        },
      ],
    },
  ],
});

describe("require-convex-secret-check with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = [
    {
      files: ["**/*.js"],
      plugins: { webhook: { rules: { "require-convex-secret-check": rule as never } } },
      rules: { "webhook/require-convex-secret-check": "error" as const },
    },
  ];

  it("judges optional chaining, destructuring and helpers in plain JavaScript", () => {
    const failOpen = `import { v } from "convex/values";
import { mutation } from "./_generated/server";

const SECRET = process.env?.INTERNAL_API_SECRET;

export const markEventProcessed = mutation({
  args: { eventId: v.string(), secret: v.optional(v.string()) },
  handler: async (ctx, { eventId, secret }) => {
    if (secret?.trim() !== SECRET) throw new Error("Unauthorized");
    await ctx.db.insert("processed_events", { eventId, provider: "stripe", processedAt: Date.now() });
  },
});
`;
    expect(linter.verify(failOpen, config, { filename: "convex/webhooks.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["failsOpenWhenUnset", 9, 9],
    ]);
    const closed = failOpen.replace("if (secret?.trim() !== SECRET)", "if (!SECRET || secret?.trim() !== SECRET)");
    expect(linter.verify(closed, config, { filename: "convex/webhooks.js" })).toEqual([]);
  });
});
