import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { findAll, isFunction, type FunctionNode } from "../../src/model/ast.js";
import { analyzeSource } from "../../src/model/parse.js";
import { awaitedCalls, calleeText, isQueueEnqueueCall, sdkFamilyOf, slowSideEffectAt } from "../../src/model/side-effects.js";

/** Every call in `code` classified: `[callee, kind]` for slow calls only. */
function slow(code: string, filename = "app/api/webhooks/stripe/route.ts"): [string, string][] {
  const file = analyzeSource(code, filename);
  const out: [string, string][] = [];
  for (const call of findAll(file.program, ["CallExpression"])) {
    const found = slowSideEffectAt(file, call);
    if (found) out.push([found.callee, found.kind]);
  }
  return out;
}

describe("slowSideEffectAt", () => {
  it("recognises email senders through the imports table", () => {
    expect(
      slow(`import { Resend } from "resend";
import sgMail from "@sendgrid/mail";
import nodemailer from "nodemailer";
import postmark from "postmark";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
const resend = new Resend("re_123");
const transporter = nodemailer.createTransport({});
const pm = new postmark.ServerClient("token");
const ses = new SESClient({});
await resend.emails.send({});
await resend.batch.send([]);
await sgMail.send({});
await transporter.sendMail({});
await pm.sendEmailWithTemplate({});
await ses.send(new SendEmailCommand({}));
resend.domains.list();
sgMail.setApiKey("x");`),
    ).toEqual([
      ["resend.emails.send", "email"],
      ["resend.batch.send", "email"],
      ["sgMail.send", "email"],
      ["transporter.sendMail", "email"],
      ["pm.sendEmailWithTemplate", "email"],
      ["ses.send", "email"],
    ]);
  });

  it("recognises project mail helpers by name, or by a send... name from a mail module", () => {
    expect(
      slow(`import { sendWelcomeEmail } from "@/lib/notifications";
import { sendAccountWelcome } from "@/lib/email";
import { sendReceipt } from "~/server/mailer";
import { sendToCrm } from "@/lib/crm";
import { sendEvent } from "@/lib/analytics";
import { sendInvite } from "email-sdk-lookalike";
await sendWelcomeEmail("a");
await sendAccountWelcome({});
await sendReceipt({});
await sendToCrm({});
await sendEvent({});
await sendInvite({});`),
    ).toEqual([
      ["sendWelcomeEmail", "email"],
      ["sendAccountWelcome", "email"],
      ["sendReceipt", "email"],
    ]);
  });

  it("recognises AI SDK calls, but not webhook verification or model factories", () => {
    expect(
      slow(`import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { generateText, streamText, tool } from "ai";
import { openai as provider } from "@ai-sdk/openai";
import { GoogleGenerativeAI } from "@google/generative-ai";
const openai = new OpenAI();
const anthropic = new Anthropic();
const genAI = new GoogleGenerativeAI("key");
const model = genAI.getGenerativeModel({ model: "gemini-pro" });
await openai.responses.create({});
await anthropic.messages.create({});
await generateText({ model: provider("gpt-4o"), prompt: "x" });
streamText({ model: provider("gpt-4o"), prompt: "x" });
tool({});
await model.generateContent("x");
await openai.webhooks.unwrap("", {});
await openai.batches.retrieve("batch_1");
await openai.files.content("file_1");`),
    ).toEqual([
      ["openai.responses.create", "ai"],
      ["anthropic.messages.create", "ai"],
      ["generateText", "ai"],
      ["streamText", "ai"],
      ["model.generateContent", "ai"],
    ]);
  });

  it("counts provider writes, not the reads needed to process an event", () => {
    expect(
      slow(`import Stripe from "stripe";
import { clerkClient } from "@clerk/nextjs/server";
import { stripe as libStripe } from "@/lib/stripe";
const stripe = new Stripe("sk");
await stripe.subscriptions.retrieve("sub_1");
await stripe.checkout.sessions.listLineItems("cs_1");
await stripe.customers.search({ query: "" });
await stripe.invoices.createPreview({});
await stripe.customers.update("cus_1", {});
await stripe.subscriptions.cancel("sub_1");
await libStripe.refunds.create({});
stripe.webhooks.constructEvent("", "", "");
const client = await clerkClient();
await client.users.getUser("user_1");
await client.users.updateUserMetadata("user_1", {});
await (await clerkClient()).organizations.createOrganization({});`),
    ).toEqual([
      ["stripe.customers.update", "provider-write"],
      ["stripe.subscriptions.cancel", "provider-write"],
      ["libStripe.refunds.create", "provider-write"],
      ["client.users.updateUserMetadata", "provider-write"],
      ["clerkClient().organizations.createOrganization", "provider-write"],
    ]);
  });

  it("counts third-party HTTP writes, not GETs, relative URLs or key-set reads", () => {
    expect(
      slow(`import axios from "axios";
await fetch("https://hooks.slack.com/services/x", { method: "POST", body: "{}" });
await fetch(process.env.WEBHOOK_URL!, { body: "{}" });
await fetch("https://api.example.com/rates");
await fetch("https://api.example.com/things", { method: "GET" });
await fetch("/api/revalidate", { method: "POST" });
await fetch("https://issuer.example.com/.well-known/jwks.json", { method: "POST" });
await axios.post("https://crm.example.com/contacts", {});
await axios.get("https://crm.example.com/contacts");`),
    ).toEqual([
      ["fetch", "http"],
      ["fetch", "http"],
      ["axios.post", "http"],
    ]);
  });

  it("counts Convex actions except ones that verify the webhook", () => {
    expect(
      slow(
        `import { fetchAction } from "convex/nextjs";
import { api, internal } from "./_generated/api";
await ctx.runAction(internal.ai.generate, { id });
await ctx.runAction(internal.stripe.fulfill, { signature, payload });
await ctx.runAction(internal.webhooks.verifySvix, { body });
await ctx.runMutation(internal.users.upsert, {});
await ctx.scheduler.runAfter(0, internal.emails.send, {});
await fetchAction(api.emails.sendWelcome, {});`,
        "convex/http.ts",
      ),
    ).toEqual([
      ["ctx.runAction", "action"],
      ["fetchAction", "action"],
    ]);
  });

  it("treats the Convex Resend component and project send-mail helpers by their origin", () => {
    expect(
      slow(`import { Resend } from "@convex-dev/resend";
import { sendReceiptEmail } from "@/lib/email";
import { sendEmail as vendorSend } from "some-vendor";
const resend = new Resend(components.resend, {});
await resend.sendEmail(ctx, {});
await sendReceiptEmail("a@b.c");
await vendorSend({});`),
    ).toEqual([["sendReceiptEmail", "email"]]);
  });
});

describe("SDKs wrapped in monorepo packages", () => {
  it("recognises `@repo/resend`-style wrappers but not public scopes like `@ai-sdk/openai`", () => {
    expect(
      slow(`import { Resend } from "@repo/resend";
import { openai } from "@ai-sdk/openai";
import { stripe } from "@acme/stripe";
const resend = new Resend("re_123");
await resend.emails.send({});
await openai.chat("gpt-4o");
await stripe.subscriptions.update("sub_1", {});`),
    ).toEqual([
      ["resend.emails.send", "email"],
      ["stripe.subscriptions.update", "provider-write"],
    ]);
  });
});

describe("sdkFamilyOf", () => {
  it("follows constants, factories and conventional names, not the results of calls", () => {
    const file = analyzeSource(
      `import Stripe from "stripe";
import { resend } from "@/lib/resend";
import { getStripe } from "@/lib/stripe";
import OpenAI from "openai";
const stripe = new Stripe("sk");
const local = stripe;
const openai = new OpenAI();
const file = await openai.files.content("file_1");
const models = openai.withOptions({ timeout: 5 });
stripe; resend; getStripe(); local; unknownThing; file; models;`,
      "lib/x.ts",
    );
    const expressions = file.program.body
      .filter((s): s is TSESTree.ExpressionStatement => s.type === "ExpressionStatement")
      .map((s) => sdkFamilyOf(file, s.expression));
    expect(expressions).toEqual(["stripe", "resend", "stripe", "stripe", null, null, "openai"]);
  });
});

describe("isQueueEnqueueCall", () => {
  it("recognises durable hand-offs", () => {
    const file = analyzeSource(
      `import { inngest } from "@/inngest/client";
import { tasks } from "@trigger.dev/sdk/v3";
import { Client } from "@upstash/qstash";
import { Queue } from "bullmq";
import { sendReceipt } from "@/trigger/receipts";
const qstash = new Client({ token: "" });
const queue = new Queue("webhooks");
await inngest.send({ name: "a" });
await tasks.trigger("b", {});
await qstash.publishJSON({ url: "", body: {} });
await queue.add("c", {});
await sendReceipt.trigger({});
await ctx.scheduler.runAfter(0, internal.a.b, {});
await ctx.runMutation(internal.a.b, {});
await resend.emails.send({});`,
      "app/api/webhooks/x/route.ts",
    );
    expect(findAll(file.program, ["CallExpression"]).filter((c) => c.parent.type === "AwaitExpression").map((c) => isQueueEnqueueCall(file, c))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("awaitedCalls", () => {
  function awaited(code: string): string[] {
    const file = analyzeSource(code, "app/api/webhooks/x/route.ts");
    const fn = findAll(file.program, ["FunctionDeclaration"])[0] as FunctionNode;
    return awaitedCalls(fn).map(({ call, via }) => `${calleeText(call)}${via ? " (helper)" : ""}`);
  }

  it("collects the calls in an awaited Promise executor, not those in its callbacks or in un-awaited promises", () => {
    expect(
      awaited(`async function POST(req) {
  await new Promise((resolve, reject) => {
    transporter.sendMail(opts, (err, info) => (err ? reject(err) : resolve(logged(info))));
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  new Promise((resolve) => notAwaited(resolve));
  return new Promise((resolve) => returned(resolve));
}`),
    ).toEqual(["transporter.sendMail", "setTimeout", "returned"]);
  });

  it("collects awaited, returned and Promise.all calls, not nested callbacks or un-awaited ones", () => {
    expect(
      awaited(`async function POST(req) {
  const event = await verify(req);
  void notify(event);
  after(async () => { await later(event); });
  const pending = sendLater(event);
  await Promise.all([a(), b().then(() => c())]);
  await Promise.all(items.map(async (item) => { await perItem(item); }));
  await pending;
  await x.catch(() => {});
  return respond(event);
}`),
    ).toEqual(["verify", "a", "b", "perItem", "sendLater", "respond"]);
  });

  it("follows same-file helpers one level", () => {
    expect(
      awaited(`async function POST(req) {
  await handle(req);
  return new Response("ok");
}
async function handle(req) {
  await inner(req);
  await deeper(req);
}
async function inner(req) {
  await tooDeep(req);
}`),
    ).toEqual(["handle", "inner (helper)", "deeper (helper)"]);
  });

  it("works on expression-bodied arrows", () => {
    const file = analyzeSource(`const POST = async (req) => send(req);`, "app/api/webhooks/x/route.ts");
    const fn = findAll(file.program, ["ArrowFunctionExpression"])[0]!;
    expect(isFunction(fn)).toBe(true);
    expect(awaitedCalls(fn).map(({ call }) => calleeText(call))).toEqual(["send"]);
  });
});
