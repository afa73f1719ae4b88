import { describe, expect, it } from "vitest";
import { convexCalls, convexFunctions, convexRegistrars } from "../../src/model/convex.js";
import { analyzeSource } from "../../src/model/parse.js";

describe("convexFunctions", () => {
  it("reads registrars, visibility, export names, args and handler params", () => {
    const file = analyzeSource(
      [
        'import { v } from "convex/values";',
        'import { mutation, internalMutation, query as q } from "./_generated/server";',
        "export const pay = mutation({",
        "  args: { secret: v.string(), note: v.optional(v.string()) },",
        "  handler: async (ctx, args) => {},",
        "});",
        "export const grant = internalMutation({ args: v.object({ eventId: v.string() }), handler: async (ctx, { eventId }) => {} });",
        "const list = q(async (ctx) => []);",
        "export { list };",
      ].join("\n"),
      "convex/billing.ts",
    );
    expect(
      convexFunctions(file).map((fn) => ({
        kind: fn.kind,
        visibility: fn.visibility,
        exportName: fn.exportName,
        args: fn.args?.map((a) => [a.name, a.optional]) ?? null,
        ctxName: fn.ctxName,
        hasHandler: fn.handler !== null,
      })),
    ).toEqual([
      { kind: "mutation", visibility: "public", exportName: "pay", args: [["secret", false], ["note", true]], ctxName: "ctx", hasHandler: true },
      { kind: "mutation", visibility: "internal", exportName: "grant", args: [["eventId", false]], ctxName: "ctx", hasHandler: true },
      { kind: "query", visibility: "public", exportName: "list", args: null, ctxName: "ctx", hasHandler: true },
    ]);
  });

  it("recognises convex/server generics, convex-helpers builders and aliases", () => {
    const file = analyzeSource(
      [
        'import { mutationGeneric, internalActionGeneric } from "convex/server";',
        'import { customMutation } from "convex-helpers/server/customFunctions";',
        'import { mutation } from "../_generated/server";',
        "const authed = customMutation(mutation, {});",
        "const m = mutationGeneric;",
      ].join("\n"),
      "src/convex/x.ts",
    );
    expect(Object.fromEntries(convexRegistrars(file))).toEqual({
      mutationGeneric: { kind: "mutation", visibility: "public" },
      internalActionGeneric: { kind: "action", visibility: "internal" },
      mutation: { kind: "mutation", visibility: "public" },
      authed: { kind: "mutation", visibility: "public" },
      m: { kind: "mutation", visibility: "public" },
    });
  });

  it("accepts un-imported registrars only in a Convex folder and only with a handler", () => {
    const code = "export const f = mutation({ args: {}, handler: async () => {} });\nexport const g = mutation('x');";
    expect(convexFunctions(analyzeSource(code, "convex/snippet.ts")).map((f) => f.exportName)).toEqual(["f"]);
    expect(convexFunctions(analyzeSource(code, "lib/react-query.ts"))).toEqual([]);
  });

  it("does not treat locally defined functions named like registrars as Convex", () => {
    const code = "function mutation(x) { return x }\nexport const f = mutation({ handler: async () => {} });";
    expect(convexFunctions(analyzeSource(code, "convex/local.ts"))).toEqual([]);
  });
});

describe("convexCalls", () => {
  it("does not mistake Object.prototype methods for Convex calls (`ctx.toString()`, `constructor(...)`)", () => {
    const file = analyzeSource(
      [
        'import { api } from "./_generated/api";',
        'import { mutation } from "./_generated/server";',
        "export const f = mutation({",
        "  handler: async (ctx) => {",
        "    const s = ctx.toString();",
        "    constructor(api.a.b);",
        "    const own = ctx.hasOwnProperty(api.a.b);",
        "    await ctx.runMutation(api.a.b, {});",
        "  },",
        "});",
      ].join("\n"),
      "convex/a.ts",
    );
    expect(convexCalls(file).map((c) => [c.via, c.op, c.node.loc.start.line])).toEqual([["ctx", "mutation", 8]]);
  });

  it("classifies client, Next.js helper, ctx and scheduler calls with their function refs", () => {
    const file = analyzeSource(
      [
        'import { api, internal } from "@/convex/_generated/api";',
        'import { fetchMutation, fetchQuery } from "convex/nextjs";',
        "async function f(ctx, convex) {",
        "  await convex.query(api.webhooks.isProcessed, { eventId: 'e' });",
        "  await convex.mutation(api.billing.handle, {});",
        "  await fetchQuery(api.users.get, {});",
        "  await fetchMutation(api.users.set, {});",
        "  await ctx.runQuery(internal.ledger.seen, {});",
        "  await ctx.runMutation(internal.ledger.mark, {});",
        "  await ctx.scheduler.runAfter(0, internal.email.send, {});",
        "  await ctx.db.query('users').collect();",
        "  await queryClient.query({ queryKey: ['x'] });",
        "}",
      ].join("\n"),
      "app/api/webhooks/stripe/route.ts",
    );
    expect(convexCalls(file).map((c) => [c.op, c.via, c.ref?.visibility, c.ref?.path.join(".")])).toEqual([
      ["query", "client", "public", "webhooks.isProcessed"],
      ["mutation", "client", "public", "billing.handle"],
      ["query", "nextjs", "public", "users.get"],
      ["mutation", "nextjs", "public", "users.set"],
      ["query", "ctx", "internal", "ledger.seen"],
      ["mutation", "ctx", "internal", "ledger.mark"],
      ["schedule", "scheduler", "internal", "email.send"],
    ]);
  });
});
