import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/model/parse.js";
import { isProviderEventName } from "../../src/model/providers.js";
import { isBillingModule, isWebhookModule, verifierCalls, webhookHandlers } from "../../src/model/webhook.js";

function reasons(code: string, filename: string) {
  return webhookHandlers(analyzeSource(code, filename)).map((w) => [w.handler.kind, w.reasons]);
}

function verifiers(code: string, filename = "app/api/hook/route.ts") {
  const file = analyzeSource(code, filename);
  return verifierCalls(file, file.program).map((v) => v.kind);
}

describe("verifier calls", () => {
  it("recognises each provider's verification API", () => {
    expect(verifiers("stripe.webhooks.constructEvent(body, sig, secret)")).toEqual(["stripe"]);
    expect(verifiers("await getStripe().webhooks.constructEventAsync(body, sig, secret)")).toEqual(["stripe-async"]);
    expect(verifiers("stripe.parseEventNotification(body, sig, secret)")).toEqual(["stripe"]);
    expect(verifiers('import { Webhook } from "svix";\nconst wh = new Webhook(secret);\nwh.verify(payload, headers);')).toEqual(["svix"]);
    expect(verifiers('import { Webhook } from "standardwebhooks";\nnew Webhook(secret).verify(payload, headers);')).toEqual([
      "standardwebhooks",
    ]);
    expect(verifiers('import { verifyWebhook } from "@clerk/nextjs/webhooks";\nawait verifyWebhook(req);')).toEqual(["clerk"]);
    expect(verifiers('import { verifyWebhook } from "better-auth-sync/convex";\nawait verifyWebhook(request, secret);')).toEqual([
      "better-auth-sync",
    ]);
    expect(verifiers('import { validateEvent } from "@polar-sh/sdk/webhooks";\nvalidateEvent(body, headers, secret);')).toEqual(["polar"]);
    expect(verifiers("paddle.webhooks.unmarshal(body, secret, signature)")).toEqual(["paddle"]);
  });

  it("does not mistake unrelated verify calls for webhook verification", () => {
    expect(verifiers('import jwt from "jsonwebtoken";\njwt.verify(token, key);')).toEqual([]);
    expect(verifiers("await bcrypt.compare(a, b); crypto.verify('sha256', data, key, sig);")).toEqual([]);
    expect(verifiers('import { Webhook } from "discord.js";\nnew Webhook(x).verify(y);')).toEqual([]);
  });

  it("follows same-file helpers one level", () => {
    const code = "async function readEvent(req) { return stripe.webhooks.constructEvent(await req.text(), '', ''); }\nexport async function POST(req) { const event = await readEvent(req); }";
    expect(verifiers(code)).toEqual(["stripe"]);
    expect(reasons(code, "app/api/events/route.ts")).toEqual([["app-route", ["verifier"]]]);
  });

  it("reads settings.webhook.verifiers", () => {
    const file = analyzeSource("verifyShopifyHmac(req);", "a.ts", { settings: { verifiers: ["verifyShopifyHmac"] } });
    expect(verifierCalls(file, file.program).map((v) => v.kind)).toEqual(["custom"]);
  });
});

describe("webhook handlers", () => {
  it("gives the evidence for each handler", () => {
    expect(reasons("export async function POST(req: Request) { return new Response(); }", "app/api/webhooks/clerk/route.ts")).toEqual([
      ["app-route", ["path"]],
    ]);
    expect(
      reasons('export async function POST(req) { const e = await req.json(); if (e.type === "checkout.session.completed") {} }', "app/api/x/route.ts"),
    ).toEqual([["app-route", ["event-names"]]]);
    expect(reasons("export async function POST(req) { return Response.json({}); }", "app/api/search/route.ts")).toEqual([]);
  });

  it("does not call a GET on a webhook path a webhook handler", () => {
    expect(reasons("export async function GET() { return new Response('ok'); }", "app/api/webhooks/stripe/route.ts")).toEqual([]);
  });

  it("classifies modules", () => {
    expect(isWebhookModule(analyzeSource("export const x = 1;", "convex/webhooks.ts"))).toBe(true);
    expect(isWebhookModule(analyzeSource('import { Webhook } from "svix";', "convex/http.ts"))).toBe(true);
    expect(isWebhookModule(analyzeSource("export const x = 1;", "convex/users.ts"))).toBe(false);
    expect(isBillingModule(analyzeSource("export const x = 1;", "convex/billing.ts"))).toBe(true);
    expect(isBillingModule(analyzeSource('import Stripe from "stripe";', "lib/server.ts"))).toBe(true);
    expect(isBillingModule(analyzeSource("export const x = 1;", "src/hooks/useToggle.ts"))).toBe(false);
  });
});

describe("isProviderEventName", () => {
  it.each([
    "checkout.session.completed",
    "customer.subscription.created",
    "invoice.payment_succeeded",
    "charge.dispute.created",
    "payment_intent.succeeded",
    "user.created",
    "organizationMembership.deleted",
    "order.paid",
    "subscription.active",
    "subscription_payment_success",
    "transaction.completed",
  ])("accepts %s", (name) => expect(isProviderEventName(name)).toBe(true));

  it.each(["click", "todos/added", "INCREMENT", "SET_USER", "keydown", "user", "done.invoke.fetch", "app.start", "https://x.y", "user.created "])(
    "rejects %s",
    (name) => expect(isProviderEventName(name)).toBe(false),
  );
});
