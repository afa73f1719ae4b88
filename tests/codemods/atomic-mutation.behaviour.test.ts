// @vitest-environment edge-runtime
/// <reference types="vite/client" />
/**
 * Runs the fixture apps before and after the codemod on convex-test (the official mock
 * Convex backend) and delivers signed events the way providers do: twice in a row, twice
 * concurrently, and once more after the first mutation committed but its response was lost
 * (seed 003's "ghost retry"). Before the rewrite the route's separate check lets duplicates
 * through; after it, state changes exactly once.
 */
import { join } from "node:path";
import { convexTest } from "convex-test";
import { anyApi, makeFunctionReference, type FunctionReference, type GenericSchema, type SchemaDefinition } from "convex/server";
import Stripe from "stripe";
import { Webhook } from "svix";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { FIXTURES } from "./fixtures.js";

// Fixture modules are imported by path at run time so the project's own type-check does not
// pull the fixture apps (they have their own tsconfig.json, checked by typecheck.test.ts).
const APP = join(FIXTURES, "atomic-mutation", "app-router-query-then-mutation");
const SVIX = join(FIXTURES, "atomic-mutation", "http-action-svix");
async function load<T>(path: string): Promise<T> {
  return (await import(/* @vite-ignore */ path)) as T;
}
type Schema = SchemaDefinition<GenericSchema, boolean>;
async function schemaOf(dir: string): Promise<Schema> {
  return (await load<{ default: Schema }>(join(dir, "convex", "schema.ts"))).default;
}
const creditsOf = makeFunctionReference<"query", { clerkUserId: string }, number>("billing:creditsOf");
const byClerkId = makeFunctionReference<"query", { clerkUserId: string }, { signIns: number } | null>("users:byClerkId");

type Backend = ReturnType<typeof convexTest>;

/** The ConvexHttpClient the route uses, routed to the current convex-test backend. */
interface ClientBackend {
  query(ref: FunctionReference<"query">, args: Record<string, unknown>): Promise<unknown>;
  mutation(ref: FunctionReference<"mutation">, args: Record<string, unknown>): Promise<unknown>;
}
const client = vi.hoisted(() => ({
  backend: null as unknown as ClientBackend,
  /** When set, the next mutation commits and then its response is lost (the client throws). */
  loseNextMutationResponse: false,
}));

vi.mock("convex/browser", () => ({
  ConvexHttpClient: class {
    query(ref: FunctionReference<"query">, args: Record<string, unknown>): Promise<unknown> {
      return client.backend.query(ref, args);
    }
    async mutation(ref: FunctionReference<"mutation">, args: Record<string, unknown>): Promise<unknown> {
      const result = await client.backend.mutation(ref, args);
      if (client.loseNextMutationResponse) {
        client.loseNextMutationResponse = false;
        throw new Error("fetch failed: the connection closed before the response arrived");
      }
      return result;
    }
  },
}));
vi.mock("@/convex/_generated/api", () => ({ api: anyApi, internal: anyApi }));

const STRIPE_SECRET = "whsec_test_codemod";
const CLERK_SECRET = `whsec_${btoa("clerk-webhook-secret-for-tests")}`;
const stripe = new Stripe("sk_test_codemod");

type RouteModule = { POST: (req: Request) => Promise<Response> };
let inputRoute: RouteModule;
let outputRoute: RouteModule;

beforeAll(async () => {
  process.env.STRIPE_SECRET_KEY = "sk_test_codemod";
  process.env.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET;
  process.env.NEXT_PUBLIC_CONVEX_URL = "https://example.convex.cloud";
  process.env.CLERK_WEBHOOK_SECRET = CLERK_SECRET;
  inputRoute = await load<RouteModule>(join(APP, "input", "app", "api", "webhooks", "stripe", "route.ts"));
  outputRoute = await load<RouteModule>(join(APP, "output", "app", "api", "webhooks", "stripe", "route.ts"));
});

function stripeDelivery(eventId: string): () => Request {
  const payload = JSON.stringify({
    id: eventId,
    object: "event",
    type: "checkout.session.completed",
    data: { object: { id: "cs_test_1", object: "checkout.session", metadata: { clerkUserId: "user_1", credits: "100" } } },
  });
  // Each delivery is a new request with a fresh signature, like Stripe's retries.
  return () =>
    new Request("https://app.example.com/api/webhooks/stripe", {
      method: "POST",
      body: payload,
      headers: { "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET }) },
    });
}

/** Delivers like Stripe: a thrown error or a 5xx is a failed delivery. */
async function deliver(route: RouteModule, request: Request): Promise<number> {
  try {
    return (await route.POST(request)).status;
  } catch {
    return 500;
  }
}

async function appBackend(which: "input" | "output"): Promise<Backend> {
  const t =
    which === "input"
      ? convexTest(await schemaOf(join(APP, "input")), import.meta.glob("../../fixtures/codemods/atomic-mutation/app-router-query-then-mutation/input/convex/**/*.*s"))
      : convexTest(await schemaOf(join(APP, "output")), import.meta.glob("../../fixtures/codemods/atomic-mutation/app-router-query-then-mutation/output/convex/**/*.*s"));
  await t.run(async (ctx) => {
    await ctx.db.insert("users", { clerkUserId: "user_1", email: "ada@example.com", plan: "free", credits: 0 });
  });
  client.backend = t;
  client.loseNextMutationResponse = false;
  return t;
}

async function credits(t: Backend): Promise<number> {
  return await t.query(creditsOf, { clerkUserId: "user_1" });
}

describe("App Router route + ConvexHttpClient (app-router-query-then-mutation)", () => {
  const scenarios = {
    "delivered twice in a row": async (route: RouteModule, next: () => Request) => {
      expect(await deliver(route, next())).toBe(200);
      expect(await deliver(route, next())).toBe(200);
    },
    "delivered twice concurrently": async (route: RouteModule, next: () => Request) => {
      expect(await Promise.all([deliver(route, next()), deliver(route, next())])).toEqual([200, 200]);
    },
    "redelivered after the first mutation's response was lost": async (route: RouteModule, next: () => Request) => {
      client.loseNextMutationResponse = true;
      expect(await deliver(route, next())).toBe(500);
      expect(await deliver(route, next())).toBe(200);
    },
  };
  const before: Record<keyof typeof scenarios, number> = {
    "delivered twice in a row": 100,
    "delivered twice concurrently": 200,
    "redelivered after the first mutation's response was lost": 200,
  };
  for (const [name, scenario] of Object.entries(scenarios) as Array<[keyof typeof scenarios, (typeof scenarios)[keyof typeof scenarios]]>) {
    it(`${name}: input app credits ${before[name]}, rewritten app credits 100 once`, async () => {
      const input = await appBackend("input");
      await scenario(inputRoute, stripeDelivery("evt_1"));
      expect(await credits(input)).toBe(before[name]);

      const output = await appBackend("output");
      await scenario(outputRoute, stripeDelivery("evt_1"));
      expect(await credits(output)).toBe(100);
    });
  }

  it("a different event is still applied after the rewrite", async () => {
    const output = await appBackend("output");
    expect(await deliver(outputRoute, stripeDelivery("evt_1")())).toBe(200);
    expect(await deliver(outputRoute, stripeDelivery("evt_2")())).toBe(200);
    expect(await credits(output)).toBe(200);
  });
});

describe("Convex httpAction with svix (http-action-svix)", () => {
  const payload = JSON.stringify({
    type: "user.updated",
    data: { id: "user_1", email_addresses: [{ email_address: "ada@example.com" }], first_name: "Ada" },
  });
  function svixDelivery(msgId: string): RequestInit {
    const signature = new Webhook(CLERK_SECRET).sign(msgId, new Date(), payload);
    return {
      method: "POST",
      body: payload,
      headers: { "svix-id": msgId, "svix-timestamp": String(Math.floor(Date.now() / 1000)), "svix-signature": signature },
    };
  }

  async function svixBackend(which: "input" | "output"): Promise<Backend> {
    const t =
      which === "input"
        ? convexTest(await schemaOf(join(SVIX, "input")), import.meta.glob("../../fixtures/codemods/atomic-mutation/http-action-svix/input/convex/**/*.*s"))
        : convexTest(await schemaOf(join(SVIX, "output")), import.meta.glob("../../fixtures/codemods/atomic-mutation/http-action-svix/output/convex/**/*.*s"));
    await t.run(async (ctx) => {
      await ctx.db.insert("users", { clerkUserId: "user_1", email: "ada@example.com", signIns: 0 });
    });
    return t;
  }

  async function signIns(t: Backend): Promise<number> {
    const user = await t.query(byClerkId, { clerkUserId: "user_1" });
    return user!.signIns;
  }

  it("twice in a row and twice concurrently: the input app counts the concurrent pair twice, the rewritten app once", async () => {
    const input = await svixBackend("input");
    expect((await input.fetch("/clerk-users-webhook", svixDelivery("msg_1"))).status).toBe(200);
    expect((await input.fetch("/clerk-users-webhook", svixDelivery("msg_1"))).status).toBe(200);
    expect(await signIns(input)).toBe(1);
    const responses = await Promise.all([input.fetch("/clerk-users-webhook", svixDelivery("msg_2")), input.fetch("/clerk-users-webhook", svixDelivery("msg_2"))]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await signIns(input)).toBe(3);

    const output = await svixBackend("output");
    expect((await output.fetch("/clerk-users-webhook", svixDelivery("msg_1"))).status).toBe(200);
    expect((await output.fetch("/clerk-users-webhook", svixDelivery("msg_1"))).status).toBe(200);
    expect(await signIns(output)).toBe(1);
    const again = await Promise.all([output.fetch("/clerk-users-webhook", svixDelivery("msg_2")), output.fetch("/clerk-users-webhook", svixDelivery("msg_2"))]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(await signIns(output)).toBe(2);
  });
});
