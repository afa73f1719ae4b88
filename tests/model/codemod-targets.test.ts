import { describe, expect, it } from "vitest";
import { findAll } from "../../src/model/ast.js";
import { convexModuleFiles, deliveryIdAt, derivesFromEvent, mutuallyExclusive, repeatsWithin, webhookEventVariable } from "../../src/model/codemod-targets.js";
import { convexCalls } from "../../src/model/convex.js";
import { analyzeSource } from "../../src/model/parse.js";
import { webhookHandlers } from "../../src/model/webhook.js";

const STRIPE_ROUTE = `
import Stripe from "stripe";
import { api } from "@/convex/_generated/api";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(req: Request) {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, "whsec");
  } catch {
    return new Response("bad", { status: 400 });
  }
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      await convex.mutation(api.billing.grant, { userId: session.metadata!.userId });
      break;
    }
    case "invoice.paid":
      await convex.mutation(api.billing.extend, { id: "x" });
    case "invoice.payment_failed":
      await convex.mutation(api.billing.dun, { id: "y" });
      break;
  }
  for (const item of [1, 2]) await convex.mutation(api.billing.line, { item });
  return new Response("ok");
}
`;

function stripeFile() {
  const file = analyzeSource(STRIPE_ROUTE, "app/api/webhooks/stripe/route.ts");
  const info = webhookHandlers(file)[0]!;
  const calls = convexCalls(file, info.handler.fn).map((c) => c.node);
  return { file, info, calls };
}

describe("codemod targets", () => {
  it("finds the verified event assigned in a try block, and event.id at each call", () => {
    const { file, info, calls } = stripeFile();
    expect(webhookEventVariable(file, info)?.name).toBe("event");
    expect(deliveryIdAt(file, info, calls[0]!, true)).toEqual({ ok: true, text: "event.id", source: "event" });
  });

  it("tells event-derived arguments from constants", () => {
    const { file, info, calls } = stripeFile();
    const event = webhookEventVariable(file, info);
    expect(derivesFromEvent(event, calls[0]!)).toBe(true);
    expect(derivesFromEvent(event, calls[1]!.arguments[1]!)).toBe(false);
  });

  it("knows which calls can run in the same delivery", () => {
    const { info, calls } = stripeFile();
    const fn = info.handler.fn;
    expect(mutuallyExclusive(calls[0]!, calls[1]!, fn)).toBe(true);
    // `invoice.paid` falls through into `invoice.payment_failed`.
    expect(mutuallyExclusive(calls[1]!, calls[2]!, fn)).toBe(false);
    expect(mutuallyExclusive(calls[0]!, calls[3]!, fn)).toBe(false);
    expect(repeatsWithin(calls[3]!, fn)).toBe(true);
    expect(repeatsWithin(calls[0]!, fn)).toBe(false);
  });

  it("uses the svix-id header for svix, narrowed or with a non-null assertion", () => {
    const code = `
import { Webhook } from "svix";
export async function POST(req: Request) {
  const payload = await req.text();
  const svixId = req.headers.get("svix-id");
  if (!svixId) return new Response("missing", { status: 400 });
  const evt = new Webhook("whsec_x").verify(payload, { "svix-id": svixId }) as { type: string; data: { id: string } };
  await convex.mutation(api.users.upsert, { id: evt.data.id });
}
`;
    const file = analyzeSource(code, "app/api/webhooks/clerk/route.ts");
    const info = webhookHandlers(file)[0]!;
    const call = findAll(info.handler.fn, ["CallExpression"]).find((c) => c.arguments.length === 2 && c.callee.type === "MemberExpression" && c.callee.property.type === "Identifier" && c.callee.property.name === "mutation")!;
    expect(deliveryIdAt(file, info, call, true)).toEqual({ ok: true, text: "svixId", source: "header" });
    const clerk = analyzeSource(
      `import { verifyWebhook } from "@clerk/nextjs/webhooks";\nexport async function POST(req: Request) {\n  const evt = await verifyWebhook(req);\n  await convex.mutation(api.users.upsert, { id: evt.data.id });\n}\n`,
      "app/api/webhooks/clerk/route.ts",
    );
    const clerkInfo = webhookHandlers(clerk)[0]!;
    const clerkCall = convexCalls(clerk, clerkInfo.handler.fn)[0]!.node;
    expect(deliveryIdAt(clerk, clerkInfo, clerkCall, true)).toEqual({ ok: true, text: 'req.headers.get("svix-id")!', source: "header" });
    expect(deliveryIdAt(clerk, clerkInfo, clerkCall, false)).toEqual({ ok: true, text: 'req.headers.get("svix-id")', source: "header" });
  });

  it("maps a module path to its candidate files", () => {
    expect(convexModuleFiles("convex", ["stripe", "webhooks"])[0]).toBe("convex/stripe/webhooks.ts");
    expect(convexModuleFiles("", ["billing"])[0]).toBe("billing.ts");
  });
});
