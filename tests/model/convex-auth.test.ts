import { describe, expect, it } from "vitest";
import {
  billingStateChanges,
  builderAddsNoAuth,
  builderSecretChecks,
  helperSecretChecks,
  convexArgShape,
  convexGuard,
  convexIdentityCheck,
  convexSecretCheck,
  failClosedRewrite,
  isAuthHelperName,
  isBillingFieldName,
  isBillingTableName,
  isProviderIdArgName,
  publicConvexFunctions,
  uncheckedSecretArgs,
  uncomparedSecretReads,
} from "../../src/model/convex-auth.js";
import { convexBuilders, convexFunctions } from "../../src/model/convex.js";
import { analyzeSource } from "../../src/model/parse.js";

const HEADER = 'import { v } from "convex/values";\nimport { action, internalMutation, mutation, query } from "./_generated/server";\n';

/** The single public function of a Convex module. */
function only(body: string, filename = "convex/webhooks.ts", settings?: unknown) {
  const file = analyzeSource(HEADER + body, filename, { settings });
  const fns = publicConvexFunctions(file);
  expect(fns).toHaveLength(1);
  return { file, fn: fns[0]! };
}

/** A mutation `m` with `args` whose handler runs `guard` before a write. */
function guarded(args: string, guard: string, params = "ctx, args") {
  return only(`export const m = mutation({
  args: ${args},
  handler: async (${params}) => {
    ${guard}
    await ctx.db.insert("processed_events", { eventId: "evt_1", provider: "stripe", processedAt: 0 });
  },
});`);
}

function problemOf(args: string, guard: string, params?: string) {
  const { file, fn } = guarded(args, guard, params);
  const problem = convexSecretCheck(file, fn).problem;
  return problem && { kind: problem.kind, effect: problem.effect, how: problem.how };
}

describe("convexArgShape", () => {
  it("reads what a caller may send from the validator", () => {
    const { fn } = only(`export const m = mutation({
  args: { a: v.string(), b: v.optional(v.string()), c: v.any(), d: v.union(v.string(), v.null()), e: v.nullable(v.string()) },
  handler: async () => {},
});`);
    const shapes = ["a", "b", "c", "d", "e", "f"].map((name) => {
      const s = convexArgShape(fn, name);
      return [name, s.kind, s.omittable, s.nullable];
    });
    expect(shapes).toEqual([
      ["a", "required", false, false],
      ["b", "optional", true, false],
      ["c", "any", true, true],
      ["d", "required", false, true],
      ["e", "required", false, true],
      ["f", "undeclared", true, false],
    ]);
  });

  it("treats the handler-only form as unvalidated and an opaque validator as unknown", () => {
    const file = analyzeSource(
      `${HEADER}export const a = mutation(async (ctx, { secret }) => {});\nconst shared = { secret: v.string() };\nexport const b = mutation({ args: shared, handler: async () => {} });\n`,
      "convex/x.ts",
    );
    const [a, b] = publicConvexFunctions(file);
    expect(convexArgShape(a!, "secret").kind).toBe("unvalidated");
    expect(convexArgShape(b!, "secret").kind).toBe("unknown");
  });
});

describe("convexSecretCheck", () => {
  const ARGS = "{ secret: v.string() }";

  it("accepts seed 000's shape and its equivalents", () => {
    expect(problemOf(ARGS, `const expected = process.env.INTERNAL_API_SECRET; if (!expected || args.secret !== expected) throw new Error("Unauthorized");`)).toBeNull();
    expect(problemOf(ARGS, `if (!process.env.INTERNAL_API_SECRET) throw new Error("unset"); if (!(args.secret === process.env.INTERNAL_API_SECRET)) throw new Error("no");`)).toBeNull();
    expect(problemOf(ARGS, `const s = process.env.INTERNAL_API_SECRET; if (!s || secret != s) throw new Error("no");`, "ctx, { secret }")).toBeNull();
    expect(problemOf(ARGS, `const ok = [process.env.A_SECRET, process.env.B_SECRET].filter(Boolean).some((s) => s === args.secret); if (!ok) throw new Error("no");`)).toBeNull();
  });

  it("finds a fail-open comparison and says how it opens", () => {
    expect(problemOf(ARGS, `if (args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("no");`)).toEqual({
      kind: "fails-open-when-unset",
      effect: null,
      how: "undefined",
    });
    expect(problemOf(ARGS, `const e = process.env.INTERNAL_API_SECRET; if (e && args.secret !== e) throw new Error("no");`)?.how).toBe("skipped");
    expect(problemOf(ARGS, `const e = process.env.INTERNAL_API_SECRET || ""; if (args.secret !== e) throw new Error("no");`)?.how).toBe("empty");
    expect(problemOf(ARGS, `const e = process.env.INTERNAL_API_SECRET ?? ""; if (!(args.secret === e)) throw new Error("no");`)?.how).toBe("empty");
  });

  it("explores unknown and argument-dependent early exits before the check instead of giving up", () => {
    const check = 'if (args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("no");';
    const read = 'const existing = await ctx.db.query("admins").first();';
    expect(problemOf(ARGS, `${read} if (existing !== null) throw new Error("seeded"); ${check}`)?.kind).toBe("fails-open-when-unset");
    expect(problemOf(ARGS, `${read} if (existing) throw new Error("seeded"); ${check}`)?.kind).toBe("fails-open-when-unset");
    expect(problemOf(ARGS, `${read} if (typeof existing === "object") throw new Error("seeded"); ${check}`)?.kind).toBe("fails-open-when-unset");
    expect(problemOf("{ secret: v.string(), force: v.boolean() }", `if (args.force) throw new Error("no"); ${check}`)?.kind).toBe("fails-open-when-unset");
  });

  it("does not judge the secret by a path that another check it cannot see guards (the signed-in user)", () => {
    const e = "const e = process.env.INTERNAL_API_SECRET;";
    const viaUser = 'else { const me = await getAuthUserId(ctx); if (!me) throw new Error("no"); }';
    const args = "{ source: v.string(), secret: v.optional(v.string()) }";
    expect(problemOf(args, `if (args.source === "webhook") { ${e} if (!e || args.secret !== e) throw new Error("no"); } ${viaUser}`)).toBeNull();
    expect(problemOf(args, `if (args.source !== "user") { ${e} if (!e || args.secret !== e) throw new Error("no"); } ${viaUser}`)).toBeNull();
    // Without another check, the other branch is a way around the secret.
    expect(problemOf(args, `if (args.source === "webhook") { ${e} if (!e || args.secret !== e) throw new Error("no"); }`)?.kind).toBe("no-throw-on-mismatch");
  });

  it("distinguishes a silent return from carrying on", () => {
    const e = "const e = process.env.INTERNAL_API_SECRET;";
    expect(problemOf(ARGS, `${e} if (!e || args.secret !== e) return { ok: false };`)).toEqual({ kind: "no-throw-on-mismatch", effect: "returns", how: null });
    expect(problemOf(ARGS, `${e} if (!e || args.secret !== e) console.error("bad secret");`)).toEqual({ kind: "no-throw-on-mismatch", effect: "continues", how: null });
    expect(problemOf(ARGS, `${e} if (!e) return null; if (args.secret !== e) throw new Error("no");`)).toEqual({ kind: "no-throw-on-mismatch", effect: "returns", how: null });
  });

  it("reports an optional secret only when a call without it gets through", () => {
    const e = "const e = process.env.INTERNAL_API_SECRET; if (!e) throw new Error('unset');";
    expect(problemOf("{ secret: v.optional(v.string()) }", `${e} if (args.secret && args.secret !== e) throw new Error("no");`)?.kind).toBe("optional-secret-arg");
    expect(problemOf("{ secret: v.optional(v.string()) }", `${e} if (args.secret !== e) throw new Error("no");`)).toBeNull();
  });

  it("follows module constants and same-file helpers, and reports at the call", () => {
    const { file, fn } = only(`const SECRET = process.env.INTERNAL_API_SECRET;
function check(provided) { if (provided !== SECRET) throw new Error("no"); }
export const m = mutation({ args: { secret: v.string() }, handler: async (ctx, args) => { check(args.secret); await ctx.db.insert("x", {}); } });`);
    const check = convexSecretCheck(file, fn);
    expect(check.problem?.kind).toBe("fails-open-when-unset");
    expect(check.problem?.comparison.inHandler).toBe(false);
    expect(file.text.slice(...check.problem!.comparison.reportNode.range)).toBe("check(args.secret)");
  });

  it("treats a same-file length check on undefined as a throw (fail closed)", () => {
    expect(
      problemOf(
        ARGS,
        `const e = process.env.INTERNAL_API_SECRET;
    const same = (a, b) => { if (a.length !== b.length) return false; let d = 0; for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i); return d === 0; };
    if (!same(args.secret, e)) throw new Error("no");`,
      ),
    ).toBeNull();
  });

  it("records opaque checks without judging them", () => {
    const { file, fn } = only(`import { assertInternal } from "./lib/auth";
export const m = mutation({ args: { secret: v.string() }, handler: async (ctx, args) => { assertInternal(args.secret, process.env.INTERNAL_API_SECRET); await ctx.db.insert("x", {}); } });`);
    const check = convexSecretCheck(file, fn);
    expect(check.comparisons.map((c) => [c.argName, c.opaque])).toEqual([["secret", true]]);
    expect(check.problem).toBeNull();
  });

  it("needs protected work to judge a check", () => {
    const { file, fn } = only(`export const q = query({ args: { secret: v.string() }, handler: async (_ctx, args) => args.secret !== process.env.INTERNAL_API_SECRET ? false : true });`);
    expect(convexSecretCheck(file, fn).problem).toBeNull();
  });

  it("builds the fail-closed rewrite for simple if tests only", () => {
    const rewrite = (guard: string) => {
      const { file, fn } = guarded(ARGS, guard);
      const problem = convexSecretCheck(file, fn).problem;
      const r = problem && failClosedRewrite(problem.comparison);
      return r && [file.text.slice(...r.test.range), file.text.slice(...r.secret.range)];
    };
    expect(rewrite(`const e = process.env.INTERNAL_API_SECRET; if (args.secret !== e) throw new Error("no");`)).toEqual(["args.secret !== e", "e"]);
    expect(rewrite(`const e = process.env.INTERNAL_API_SECRET; if (e && e !== args.secret) { throw new Error("no"); }`)).toEqual(["e && e !== args.secret", "e"]);
    expect(rewrite(`const e = process.env.INTERNAL_API_SECRET; const bad = args.secret !== e; if (bad) throw new Error("no");`)).toBeNull();
  });
});

describe("uncomparedSecretReads and uncheckedSecretArgs", () => {
  it("reports a secret that is only checked for presence or logged", () => {
    const { file, fn } = guarded("{ eventId: v.string() }", `const s = process.env.INTERNAL_API_SECRET; if (!s) throw new Error("unset"); console.log("ok", s.length);`);
    expect(uncomparedSecretReads(file, fn).map((r) => r.name)).toEqual(["INTERNAL_API_SECRET"]);
  });

  it("leaves secrets that are compared or used for something else", () => {
    const compared = guarded("{ eventId: v.string() }", `const s = process.env.INTERNAL_API_SECRET; if (s === someHeader()) throw new Error("x");`);
    expect(uncomparedSecretReads(compared.file, compared.fn)).toEqual([]);
    const signing = guarded("{ eventId: v.string() }", `const token = await sign(args.eventId, process.env.SIGNING_SECRET);`);
    expect(uncomparedSecretReads(signing.file, signing.fn)).toEqual([]);
    const outbound = guarded("{ eventId: v.string() }", `if (!process.env.OPENAI_API_KEY) throw new Error("unset");`);
    expect(uncomparedSecretReads(outbound.file, outbound.fn)).toEqual([]);
    const scheduled = guarded("{ eventId: v.string() }", `if (!process.env.INTERNAL_API_SECRET) throw new Error("unset"); await ctx.scheduler.runAfter(0, internal.x.y, {});`);
    expect(uncomparedSecretReads(scheduled.file, scheduled.fn)).toEqual([]);
  });

  it("finds declared secret arguments the handler never reads", () => {
    const unused = guarded("{ eventId: v.string(), secret: v.string() }", "", "ctx, { eventId }");
    expect(uncheckedSecretArgs(unused.file, unused.fn).map((a) => a.name)).toEqual(["secret"]);
    const logged = guarded("{ token: v.string() }", "console.log(args.token);");
    expect(uncheckedSecretArgs(logged.file, logged.fn).map((a) => a.name)).toEqual(["token"]);
    const lookedUp = guarded("{ token: v.string() }", `await ctx.db.query("invites").withIndex("by_token", (q) => q.eq("token", args.token)).unique();`);
    expect(uncheckedSecretArgs(lookedUp.file, lookedUp.fn)).toEqual([]);
    const handedOn = guarded("{ secret: v.string() }", "await check(ctx, args);");
    expect(uncheckedSecretArgs(handedOn.file, handedOn.fn)).toEqual([]);
    const rest = guarded("{ eventId: v.string(), secret: v.string() }", "await record(ctx, rest);", "ctx, { eventId, ...rest }");
    expect(uncheckedSecretArgs(rest.file, rest.fn)).toEqual([]);
  });
});

describe("convexIdentityCheck", () => {
  const via = (body: string, extra?: ReadonlySet<string>) => {
    const file = analyzeSource(HEADER + body, "convex/users.ts");
    const fn = publicConvexFunctions(file).at(-1)!;
    return convexIdentityCheck(file, fn, extra)?.via ?? null;
  };

  it("recognises the identity sources", () => {
    expect(via(`export const m = mutation({ args: {}, handler: async (ctx) => { const id = await ctx.auth.getUserIdentity(); if (!id) throw new Error("x"); } });`)).toBe("get-user-identity");
    expect(via(`export const m = mutation({ args: {}, handler: async ({ auth, db }) => { const { subject } = (await auth.getUserIdentity())!; await db.insert("x", { subject }); } });`)).toBe("get-user-identity");
    expect(via(`import { getAuthUserId } from "@convex-dev/auth/server";\nexport const m = mutation({ args: {}, handler: async (ctx) => { const u = await getAuthUserId(ctx); if (!u) throw new Error("x"); } });`)).toBe("convex-auth");
    expect(via(`import { authComponent } from "./auth";\nexport const m = mutation({ args: {}, handler: async (ctx) => { const u = await authComponent.safeGetAuthUser(ctx); if (!u) return; } });`)).toBe("better-auth");
    expect(via(`import { mustGetCurrentUser } from "./lib/users";\nexport const m = mutation({ args: {}, handler: async (ctx) => { await mustGetCurrentUser(ctx); } });`)).toBe("auth-helper");
    expect(via(`async function me(ctx) { const i = await ctx.auth.getUserIdentity(); if (!i) throw new Error("x"); return i; }\nexport const m = mutation({ args: {}, handler: async (ctx) => { await me(ctx); } });`)).toBe("helper");
    expect(via(`import { gate } from "./perm";\nexport const m = mutation({ args: {}, handler: async (ctx) => { await gate(ctx); } });`, new Set(["gate"]))).toBe("option");
  });

  it("ignores unused lookups and look-alike helpers", () => {
    expect(via(`export const m = mutation({ args: {}, handler: async (ctx) => { await ctx.auth.getUserIdentity(); } });`)).toBeNull();
    expect(via(`export const m = mutation({ args: {}, handler: async (ctx) => { const identity = await ctx.auth.getUserIdentity(); } });`)).toBeNull();
    expect(via(`import { getUserByStripeCustomerId } from "./users";\nexport const m = mutation({ args: { c: v.string() }, handler: async (ctx, a) => { const u = await getUserByStripeCustomerId(ctx, a.c); if (!u) throw new Error("x"); } });`)).toBeNull();
    expect(via(`import { getCurrentUser } from "./users";\nexport const m = mutation({ args: {}, handler: async (ctx) => { await getCurrentUser(ctx); } });`)).toBeNull();
  });

  it("names auth helpers, not lookups", () => {
    expect(["requireUser", "requireAuth", "ensureOrgMember", "assertIsAdmin", "getCurrentUserOrThrow", "getViewer", "getAuthUser", "isAuthenticated", "checkPermission"].filter((n) => !isAuthHelperName(n, 1))).toEqual([]);
    expect(["getUserByEmail", "getAuthorName", "checkStripeCustomer", "loadPlans", "getUser"].filter((n) => isAuthHelperName(n, 2))).toEqual([]);
    expect(isAuthHelperName("getUser", 1)).toBe(true);
  });
});

describe("builders", () => {
  it("records the builder a function was registered through", () => {
    const file = analyzeSource(
      `import { customCtx, customMutation, NoOp } from "convex-helpers/server/customFunctions";
import { zCustomMutation } from "convex-helpers/server/zod";
import { mutation as raw } from "./_generated/server";
const authed = customMutation(raw, customCtx(async (ctx) => ({ user: await ctx.auth.getUserIdentity() })));
const alias = authed;
const zm = zCustomMutation(raw, NoOp);
const triggered = customMutation(raw, customCtx(triggers.wrapDB));
export const a = alias({ args: {}, handler: async () => {} });
export const b = zm({ args: {}, handler: async () => {} });
export const c = triggered({ args: {}, handler: async () => {} });
export const d = raw({ args: {}, handler: async () => {} });
`,
      "convex/fns.ts",
    );
    expect([...convexBuilders(file).keys()]).toEqual(["authed", "alias", "zm", "triggered"]);
    const fns = convexFunctions(file);
    expect(fns.map((f) => [f.exportName, f.viaBuilder, f.builder ? builderAddsNoAuth(f.builder) : null])).toEqual([
      ["a", true, false],
      ["b", true, true],
      ["c", true, true],
      ["d", false, null],
    ]);
    expect(convexIdentityCheck(file, fns[0]!)?.via).toBe("builder");
    expect(convexIdentityCheck(file, fns[1]!)).toBeNull();
  });
});

describe("billing state", () => {
  it("classifies field, table and argument names", () => {
    const fields = ["plan", "planId", "currentPlan", "tier", "credits", "creditBalance", "isPro", "paid", "subscriptionStatus", "currentPeriodEnd", "stripeCustomerId", "clerkUserId", "role", "isAdmin", "permissions", "trialEndsAt"];
    expect(fields.filter((f) => !isBillingFieldName(f))).toEqual([]);
    const notFields = ["name", "avatarUrl", "mealPlan", "subscription", "subscribed", "pushSubscription", "status", "title", "customerId", "tokensUsed"];
    expect(notFields.filter((f) => isBillingFieldName(f))).toEqual([]);
    expect(isBillingFieldName("customerId", { billingModule: true })).toBe(true);
    expect(isBillingFieldName("role", { siblings: ["role", "content"] })).toBe(false);
    expect(isBillingFieldName("aiMinutes", { billingFields: new Set(["aiMinutes"]) })).toBe(true);
    expect(["subscriptions", "payments", "processed_events", "webhookEvents", "creditTransactions"].filter((t) => !isBillingTableName(t))).toEqual([]);
    expect(["pushSubscriptions", "events", "todos", "messages", "newsletterSubscriptions"].filter((t) => isBillingTableName(t))).toEqual([]);
    expect(["stripeCustomerId", "polarSubscriptionId", "clerkUserId", "paymentIntentId", "svixId", "checkoutSessionId"].filter((n) => !isProviderIdArgName(n, false))).toEqual([]);
    expect(["eventId", "customerId", "userId", "orderId"].filter((n) => isProviderIdArgName(n, false))).toEqual([]);
    expect(["eventId", "customerId"].filter((n) => isProviderIdArgName(n, true))).toEqual(["eventId", "customerId"]);
  });

  it("collects what a mutation changes, through spreads, helpers and internal calls", () => {
    const file = analyzeSource(
      `import { v } from "convex/values";
import { internal } from "./_generated/api";
import { mutation } from "./_generated/server";
async function setPlan(ctx, id, plan) { await ctx.db.patch("users", id, { plan }); }
export const a = mutation({
  args: { userId: v.id("users"), isPro: v.boolean(), note: v.string() },
  handler: async (ctx, args) => {
    const { userId, ...rest } = args;
    await ctx.db.patch(userId, rest);
    await setPlan(ctx, userId, "pro");
    await ctx.db.insert("payments", { userId, amount: 5 });
    await ctx.scheduler.runAfter(0, internal.billing.sendReceipt, { userId });
  },
});
export const b = mutation({
  args: { stripeCustomerId: v.string() },
  handler: async (ctx, { stripeCustomerId }) => { await ctx.db.insert("audit", { who: stripeCustomerId }); },
});
export const c = mutation({ args: { stripeCustomerId: v.string() }, handler: async () => null });
`,
      "convex/users.ts",
    );
    const [a, b, c] = publicConvexFunctions(file);
    expect(billingStateChanges(file, a!).map((x) => `${x.kind}:${x.name}`)).toEqual([
      "field:plan",
      "field:isPro",
      "table:payments",
      "internal-call:internal.billing.sendReceipt",
    ]);
    expect(billingStateChanges(file, b!).map((x) => `${x.kind}:${x.name}`)).toEqual(["provider-id:stripeCustomerId"]);
    expect(billingStateChanges(file, c!)).toEqual([]);
  });

  it("counts a used credential argument and an opaque secret check as guards", () => {
    const file = analyzeSource(
      `${HEADER}import { verifyInternal } from "./lib/internal";
export const a = mutation({ args: { apiKey: v.string(), credits: v.number() }, handler: async (ctx, args) => {
  const key = await ctx.db.query("apiKeys").withIndex("by_key", (q) => q.eq("key", args.apiKey)).unique();
  if (!key) throw new Error("no");
  await ctx.db.patch(key.userId, { credits: args.credits });
} });
export const b = mutation({ args: { secret: v.string(), credits: v.number() }, handler: async (ctx, args) => {
  verifyInternal(args.secret);
  await ctx.db.patch("users", "u1", { credits: args.credits });
} });
`,
      "convex/credits.ts",
    );
    const [a, b] = publicConvexFunctions(file);
    expect(convexGuard(file, a!).credentialArg?.name).toBe("apiKey");
    const guardB = convexGuard(file, b!);
    expect(guardB.opaqueSecretCheck !== null).toBe(true);
    expect(guardB.identity).toBeNull();
  });
});

describe("settings", () => {
  it("secretNamePattern makes a custom argument name count as a secret", () => {
    const { file, fn } = only(
      `export const m = mutation({ args: { passkey: v.string() }, handler: async (ctx, { passkey }) => { await ctx.db.insert("x", {}); } });`,
      "convex/x.ts",
      { secretNamePattern: "^passkey$" },
    );
    expect(uncheckedSecretArgs(file, fn).map((a) => a.name)).toEqual(["passkey"]);
  });
});

describe("shared checks", () => {
  it("judges a builder's input once, with the builder's args", () => {
    const file = analyzeSource(
      `import { v } from "convex/values";
import { customMutation } from "convex-helpers/server/customFunctions";
import { mutation } from "./_generated/server";
export const strict = customMutation(mutation, {
  args: { apiKey: v.string() },
  input: async (ctx, { apiKey }) => {
    const expected = process.env.BRIDGE_API_KEY;
    if (!expected || apiKey !== expected) throw new Error("Unauthorized");
    return { ctx, args: {} };
  },
});
export const loose = customMutation(mutation, {
  args: { apiKey: v.optional(v.string()) },
  input: async (ctx, args) => {
    if (args.apiKey && args.apiKey !== process.env.BRIDGE_API_KEY) throw new Error("Unauthorized");
    return { ctx, args: {} };
  },
});
export const plain = customMutation(mutation, { args: {}, input: async (ctx) => ({ ctx, args: {} }) });
`,
      "convex/functions.ts",
    );
    expect(builderSecretChecks(file).map((c) => [c.name, c.check.comparisons.length, c.check.problem?.kind ?? null])).toEqual([
      ["strict", 1, null],
      ["loose", 1, "optional-secret-arg"],
      ["plain", 0, null],
    ]);
  });

  it("judges exported assertion and predicate helpers, not other exports", () => {
    const file = analyzeSource(
      `export function requireSecret(provided?: string) {
  const expected = process.env.INTERNAL_API_SECRET;
  if (!expected || provided !== expected) throw new Error("Unauthorized");
}
export const looseSecret = (provided: string | undefined) => {
  if (provided !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
};
export function isInternal(provided: string) {
  return provided === process.env.INTERNAL_API_SECRET;
}
export function mask(value: string) {
  return value === process.env.INTERNAL_API_SECRET ? "***" : value;
}
export function requireBody(ctx: unknown, args: { secret?: string }) {
  if (args.secret !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
}
function internalOnly(provided: string) {
  if (provided !== process.env.INTERNAL_API_SECRET) throw new Error("Unauthorized");
}
`,
      "convex/lib/secrets.ts",
    );
    expect(helperSecretChecks(file).map((c) => [c.name, c.check.problem?.kind ?? null, c.check.problem?.how ?? null])).toEqual([
      ["requireSecret", null, null],
      ["looseSecret", "fails-open-when-unset", "undefined"],
      ["isInternal", "fails-open-when-unset", "undefined"],
      ["mask", null, null],
      ["requireBody", "fails-open-when-unset", "undefined"],
    ]);
  });
});
