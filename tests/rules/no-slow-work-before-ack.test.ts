import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/no-slow-work-before-ack.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";

ruleTester.run("no-slow-work-before-ack", rule, {
  valid: [
    {
      name: "the mutation schedules the email action (seed 003), atomically with its writes",
      filename: "convex/billing.ts",
      code: `import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { internal } from "./_generated/api";

export const handleStripeEvent = internalMutation({
  args: { eventId: v.string(), email: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("processed_events", { eventId: args.eventId, processedAt: Date.now() });
    await ctx.scheduler.runAfter(0, internal.emails.sendReceipt, { email: args.email });
  },
});
`,
    },
    {
      name: "the scheduled Convex action sends the email: not a webhook handler",
      filename: "convex/emails.ts",
      code: `"use node";
import { v } from "convex/values";
import { Resend } from "resend";
import { internalAction } from "./_generated/server";

const resend = new Resend(process.env.RESEND_API_KEY);

export const sendReceipt = internalAction({
  args: { email: v.string() },
  handler: async (_ctx, { email }) => {
    await resend.emails.send({ from: "billing@acme.dev", to: email, subject: "Receipt", html: "<p>Thanks!</p>" });
  },
});
`,
    },
    {
      name: "fetching the JWKS to verify the request is a read needed to verify",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";
import { createLocalJWKSet, jwtVerify } from "jose";

const http = httpRouter();
http.route({
  path: "/auth-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const jwks = await fetch(\`\${process.env.BETTER_AUTH_URL}/.well-known/jwks.json\`).then((r) => r.json());
    const { payload } = await jwtVerify(request.headers.get("authorization")!.slice(7), createLocalJWKSet(jwks));
    await ctx.runMutation(internal.auth.syncUser, { user: payload.user });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
    },
    {
      name: "provider reads needed to process the event",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    const subscription = await stripe.subscriptions.retrieve(session.subscription as string);
    const lineItems = await stripe.checkout.sessions.listLineItems(session.id);
    await fetchMutation(api.billing.activate, { subscriptionId: subscription.id, items: lineItems.data.length });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "reading the Clerk user is a read, not a write",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { clerkClient } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  const client = await clerkClient();
  const user = await client.users.getUser(evt.data.id as string);
  await saveUser(user.id, user.primaryEmailAddressId);
  return new Response("ok");
}
`,
    },
    {
      name: "work inside after() runs after the response",
      filename: STRIPE_ROUTE,
      code: `import { after } from "next/server";
import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  await recordEvent(event);
  after(async () => {
    await resend.emails.send({ from: "billing@acme.dev", to: "ops@acme.dev", subject: event.type, text: event.id });
  });
  return Response.json({ received: true });
}
`,
    },
    {
      name: "a promise handed to waitUntil is not awaited before the response",
      filename: STRIPE_ROUTE,
      code: `import { waitUntil } from "@vercel/functions";
import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  waitUntil(resend.emails.send({ from: "billing@acme.dev", to: "ops@acme.dev", subject: event.type, text: event.id }));
  return Response.json({ received: true });
}
`,
    },
    {
      name: "an un-awaited send is out of scope for this rule",
      filename: "app/api/webhooks/resend/route.ts",
      code: `import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const payload = await verifySvix(req);
  void resend.emails.send({ from: "a@acme.dev", to: "b@acme.dev", subject: payload.type, text: "" });
  return new Response("ok");
}
`,
    },
    {
      name: "queue enqueues hand the work off durably",
      filename: STRIPE_ROUTE,
      code: `import { inngest } from "@/inngest/client";
import { tasks } from "@trigger.dev/sdk/v3";
import { Client } from "@upstash/qstash";
const qstash = new Client({ token: process.env.QSTASH_TOKEN! });

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  await inngest.send({ name: "stripe/event.received", data: { id: event.id } });
  await tasks.trigger("send-receipt", { eventId: event.id });
  await qstash.publishJSON({ url: "https://acme.dev/api/jobs/receipt", body: { id: event.id } });
  return new Response("ok");
}
`,
    },
    {
      name: "the Convex Stripe template runs a verifying action and schedules the rest",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/stripe",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const signature = request.headers.get("stripe-signature") as string;
    const result = await ctx.runAction(internal.stripe.fulfill, { signature, payload: await request.text() });
    if (result.success) {
      await ctx.scheduler.runAfter(0, internal.emails.sendReceipt, { id: result.id });
      return new Response(null, { status: 200 });
    }
    return new Response("Webhook Error", { status: 400 });
  }),
});
export default http;
`,
    },
    {
      name: "an ordinary contact-form route may send email",
      filename: "app/api/contact/route.ts",
      code: `import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const { email, message } = await req.json();
  await resend.emails.send({ from: "site@acme.dev", to: "hello@acme.dev", replyTo: email, subject: "Contact", text: message });
  return Response.json({ ok: true });
}
`,
    },
    {
      name: "an AI chat route streams a model response",
      filename: "app/api/chat/route.ts",
      code: `import { openai } from "@ai-sdk/openai";
import { streamText } from "ai";

export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({ model: openai("gpt-4o"), messages });
  return result.toDataStreamResponse();
}
`,
    },
    {
      name: "a server action that emails is not a webhook handler",
      filename: "app/settings/actions.ts",
      code: `"use server";
import { sendWelcomeEmail } from "@/lib/email";

export async function resendWelcome(email: string) {
  await sendWelcomeEmail(email);
}
`,
    },
    {
      name: "Pages handler acknowledges first, then sends (after the ack; JavaScript)",
      filename: "pages/api/webhooks/clerk.js",
      code: `import sgMail from "@sendgrid/mail";

export default async function handler(req, res) {
  const evt = await verifyClerk(req);
  res.status(200).json({ received: true });
  await sgMail.send({ to: evt.data.email_addresses[0].email_address, from: "hi@acme.dev", subject: "Welcome", text: "Hi" });
}
`,
    },
    {
      name: "alerting in the branch that gives up on an unresolved user (seed 003)",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  const user = await findUserByCustomer(event.data.object.customer);
  if (!user) {
    await fetch(process.env.SLACK_ALERTS_URL!, { method: "POST", body: JSON.stringify({ text: \`Unresolved customer \${event.id}\` }) });
    return Response.json({ received: true });
  }
  await grantAccess(user, event);
  return Response.json({ received: true });
}
`,
    },
    {
      name: "an alert email on the error path",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { sendAlertEmail } from "@/lib/email";

export async function POST(req: Request) {
  const event = await verifyPolar(req);
  try {
    await applyPolarEvent(event);
  } catch (err) {
    await sendAlertEmail("Polar webhook failed", String(err));
    return new Response("failed", { status: 500 });
  }
  return new Response("ok");
}
`,
    },
    {
      name: "the Convex Resend component queues the email durably",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { Resend } from "@convex-dev/resend";
import { httpAction } from "./_generated/server";
import { components } from "./_generated/api";

const resend = new Resend(components.resend, {});
const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await validateRequest(request);
    await resend.sendEmail(ctx, { from: "hi@acme.dev", to: event.data.email, subject: "Welcome", html: "<p>Hi</p>" });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
    },
    {
      name: "a GET to a third-party API is a read needed to process",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `export async function POST(req: Request) {
  const payload = await verifyLemonSqueezy(req);
  const res = await fetch(\`https://api.lemonsqueezy.com/v1/subscriptions/\${payload.data.id}\`, {
    headers: { Authorization: \`Bearer \${process.env.LEMONSQUEEZY_API_KEY}\` },
  });
  const subscription = await res.json();
  await saveSubscription(subscription);
  return new Response("ok");
}
`,
    },
    {
      name: "OpenAI's own webhook verification is not an AI call",
      filename: "app/api/webhooks/openai/route.ts",
      code: `import OpenAI from "openai";
const client = new OpenAI({ webhookSecret: process.env.OPENAI_WEBHOOK_SECRET });

export async function POST(req: Request) {
  const event = await client.webhooks.unwrap(await req.text(), req.headers);
  await markBatchDone(event.data.id);
  return new Response("ok");
}
`,
    },
    {
      name: "an OpenAI batch webhook reads the finished batch and its output file",
      filename: "app/api/webhooks/openai/route.ts",
      code: `import OpenAI from "openai";
const openai = new OpenAI({ webhookSecret: process.env.OPENAI_WEBHOOK_SECRET });

export async function POST(req: Request) {
  const event = await openai.webhooks.unwrap(await req.text(), req.headers);
  if (event.type === "batch.completed") {
    const batch = await openai.batches.retrieve(event.data.id);
    const output = await openai.files.content(batch.output_file_id!);
    await saveBatchResults(batch.id, await output.text());
  }
  return new Response("ok");
}
`,
    },
    {
      name: "rendering a React Email template is not sending it",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { render } from "@react-email/render";
import { inngest } from "@/inngest/client";
import WelcomeEmail from "@/emails/welcome";

export async function POST(req: Request) {
  const evt = await verifyClerkWebhook(req);
  const html = await render(WelcomeEmail({ name: evt.data.first_name }));
  await inngest.send({ name: "email/send", data: { to: evt.data.id, html } });
  return new Response("ok");
}
`,
    },
    {
      name: "an awaited timer or a promise wrapper around fast work is not slow work",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import { stripe } from "@/lib/stripe";
import transporter from "@/lib/nodemailer";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise<void>((resolve) => {
    queueMicrotask(() => {
      transporter.sendMail({ to: "ops@example.com", subject: "later" });
      resolve();
    });
  });
  new Promise((resolve) => transporter.sendMail({ to: "a@b.c", subject: "not awaited" }, resolve));
  return new Response("ok");
}
`,
    },
  ],
  invalid: [
    {
      name: "nodemailer's callback API wrapped in an awaited Promise",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import Stripe from "stripe";
import transporter from "@/lib/nodemailer";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "payment_intent.succeeded") {
    await new Promise((resolve, reject) => {
      transporter.sendMail({ to: "a@b.c", subject: "Booked" }, (err, info) => (err ? reject(err) : resolve(info)));
    });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 9, column: 7, data: { kind: "email send", callee: "transporter.sendMail" } }],
    },
    {
      name: "Resend email awaited in the event switch",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { Resend } from "resend";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  switch (event.type) {
    case "checkout.session.completed":
      await resend.emails.send({ from: "billing@acme.dev", to: event.data.object.customer_details!.email!, subject: "Welcome", html: "<p>Hi</p>" });
      break;
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "slowWorkBeforeAck",
          line: 10,
          column: 13,
          data: { kind: "email send", callee: "resend.emails.send" },
        },
      ],
    },
    {
      name: "OpenAI chat completion before answering",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import OpenAI from "openai";
import { verifyWebhook } from "@clerk/nextjs/webhooks";
const openai = new OpenAI();

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    const bio = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Write a greeting" }] });
    await saveGreeting(evt.data.id, bio.choices[0]!.message.content);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 8, column: 23, data: { kind: "AI call", callee: "openai.chat.completions.create" } }],
    },
    {
      name: "Vercel AI SDK generateText before answering",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { generateText } from "ai";
import { openai } from "@ai-sdk/openai";

export async function POST(req: Request) {
  const event = await verifyPolar(req);
  const { text } = await generateText({ model: openai("gpt-4o"), prompt: \`Summarise order \${event.data.id}\` });
  await saveSummary(event.data.id, text);
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 6, column: 26, data: { kind: "AI call", callee: "generateText" } }],
    },
    {
      name: "POST to a Slack webhook before answering",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  await fetch(process.env.SLACK_WEBHOOK_URL!, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text: \`New event \${event.type}\` }),
  });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 3, column: 9, data: { kind: "third-party HTTP request", callee: "fetch" } }],
    },
    {
      name: "Stripe customer update before answering",
      filename: STRIPE_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    await stripe.customers.update(session.customer as string, { metadata: { userId: session.client_reference_id! } });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 7, column: 11, data: { kind: "provider API write", callee: "stripe.customers.update" } }],
    },
    {
      name: "Stripe subscription cancel before answering (JavaScript)",
      filename: "app/api/webhooks/stripe/route.js",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);

export async function POST(req) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === "charge.dispute.created") {
    await stripe.subscriptions.cancel(event.data.object.metadata.subscriptionId);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 7, column: 11, data: { kind: "provider API write", callee: "stripe.subscriptions.cancel" } }],
    },
    {
      name: "Clerk metadata write before answering",
      filename: STRIPE_ROUTE,
      code: `import { clerkClient } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  const userId = event.data.object.metadata.clerkUserId;
  await (await clerkClient()).users.updateUserMetadata(userId, { publicMetadata: { plan: "pro" } });
  return new Response("ok");
}
`,
      output: null,
      errors: [
        {
          messageId: "slowWorkBeforeAck",
          line: 6,
          column: 9,
          data: { kind: "provider API write", callee: "clerkClient().users.updateUserMetadata" },
        },
      ],
    },
    {
      name: "ctx.runAction in a Convex HTTP action",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { internal } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/clerk-users-webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const event = await validateRequest(request);
    await ctx.runMutation(internal.users.upsertFromClerk, { data: event.data });
    await ctx.runAction(internal.onboarding.generateAvatar, { userId: event.data.id });
    return new Response(null, { status: 200 });
  }),
});
export default http;
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 12, column: 11, data: { kind: "Convex action", callee: "ctx.runAction" } }],
    },
    {
      name: "same-file helper awaited by the handler sends the email",
      filename: STRIPE_ROUTE,
      code: `import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  if (event.type === "checkout.session.completed") await handleCheckoutCompleted(event);
  return new Response("ok");
}

async function handleCheckoutCompleted(event: { data: { object: { customer_email: string } } }) {
  await resend.emails.send({ from: "billing@acme.dev", to: event.data.object.customer_email, subject: "Thanks", html: "<p>Thanks</p>" });
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 11, column: 9, data: { kind: "email send", callee: "resend.emails.send" } }],
    },
    {
      name: "SendGrid send before the Pages response (JavaScript)",
      filename: "pages/api/webhooks/clerk.js",
      code: `import sgMail from "@sendgrid/mail";
sgMail.setApiKey(process.env.SENDGRID_API_KEY);

export default async function handler(req, res) {
  const evt = await verifyClerk(req);
  if (evt.type === "user.created") {
    await sgMail.send({ to: evt.data.email_addresses[0].email_address, from: "hi@acme.dev", subject: "Welcome", text: "Hi" });
  }
  res.status(200).json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 7, column: 11, data: { kind: "email send", callee: "sgMail.send" } }],
    },
    {
      name: "nodemailer transport in a Pages webhook (JavaScript)",
      filename: "pages/api/stripe-webhook.js",
      code: `import nodemailer from "nodemailer";
const transporter = nodemailer.createTransport({ host: process.env.SMTP_HOST, port: 587 });

export default async function handler(req, res) {
  const event = await verifyStripe(req);
  if (event.type === "invoice.payment_failed") {
    await transporter.sendMail({ to: event.data.object.customer_email, subject: "Payment failed", text: "Please update your card." });
  }
  res.json({ received: true });
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 7, column: 11, data: { kind: "email send", callee: "transporter.sendMail" } }],
    },
    {
      name: "email and AI awaited together with Promise.all",
      filename: STRIPE_ROUTE,
      code: `import { Resend } from "resend";
import Anthropic from "@anthropic-ai/sdk";
const resend = new Resend(process.env.RESEND_API_KEY);
const anthropic = new Anthropic();

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  await Promise.all([
    resend.emails.send({ from: "a@acme.dev", to: "b@acme.dev", subject: "Paid", text: event.id }),
    anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: event.id }] }),
  ]);
  return new Response("ok");
}
`,
      output: null,
      errors: [
        { messageId: "slowWorkBeforeAck", line: 9, column: 5, data: { kind: "email send", callee: "resend.emails.send" } },
        { messageId: "slowWorkBeforeAck", line: 10, column: 5, data: { kind: "AI call", callee: "anthropic.messages.create" } },
      ],
    },
    {
      name: "one email per seat with Promise.all over map",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const event = await verifyPolar(req);
  await Promise.all(
    event.data.seats.map(async (seat: { email: string }) => {
      await resend.emails.send({ from: "a@acme.dev", to: seat.email, subject: "You're in", text: "Welcome" });
    }),
  );
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 8, column: 13, data: { kind: "email send", callee: "resend.emails.send" } }],
    },
    {
      name: "Replicate image generation before answering",
      filename: STRIPE_ROUTE,
      code: `import Replicate from "replicate";
const replicate = new Replicate();

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  const output = await replicate.run("black-forest-labs/flux-schnell", { input: { prompt: event.data.object.metadata.prompt } });
  await saveAsset(event.id, output);
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 6, column: 24, data: { kind: "AI call", callee: "replicate.run" } }],
    },
    {
      name: "Convex action run from a Next.js route with fetchAction",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { fetchAction } from "convex/nextjs";
import { api } from "@/convex/_generated/api";

export async function POST(req: Request) {
  const evt = await verifyClerkWebhook(req);
  await fetchAction(api.emails.sendWelcome, { userId: evt.data.id });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 6, column: 9, data: { kind: "Convex action", callee: "fetchAction" } }],
    },
    {
      name: "Hono route posting to a CRM before answering",
      filename: "src/server.ts",
      code: `import { Hono } from "hono";
const app = new Hono();

app.post("/webhooks/stripe", async (c) => {
  const event = await verifyStripe(c.req.raw);
  await fetch("https://api.hubapi.com/crm/v3/objects/contacts", {
    method: "POST",
    body: JSON.stringify({ properties: { email: event.data.object.customer_email } }),
  });
  return c.json({ received: true });
});
export default app;
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 6, column: 9, data: { kind: "third-party HTTP request", callee: "fetch" } }],
    },
    {
      name: "project email helper imported from @/lib/email",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { sendWelcomeEmail } from "@/lib/email";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    await sendWelcomeEmail(evt.data.email_addresses[0]!.email_address);
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 7, column: 11, data: { kind: "email send", callee: "sendWelcomeEmail" } }],
    },
    {
      name: "a send... helper from the project's email module (sendAccountWelcome from @/lib/email)",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";
import { sendAccountWelcome } from "@/lib/email";
import { sendToCrm } from "@/lib/crm";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    await sendToCrm(evt.data.id);
    await sendAccountWelcome({ to: evt.data.email_addresses[0]!.email_address, clerkUserId: evt.data.id });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 9, column: 11, data: { kind: "email send", callee: "sendAccountWelcome" } }],
    },
    {
      name: "Postmark client in a Lemon Squeezy webhook (JavaScript)",
      filename: "app/api/webhooks/lemonsqueezy/route.js",
      code: `import postmark from "postmark";
const client = new postmark.ServerClient(process.env.POSTMARK_TOKEN);

export async function POST(request) {
  const payload = await verifyLemonSqueezy(request);
  await client.sendEmail({ From: "hi@acme.dev", To: payload.data.attributes.user_email, Subject: "License", TextBody: "Thanks" });
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 6, column: 9, data: { kind: "email send", callee: "client.sendEmail" } }],
    },
    {
      name: "Gemini content generation before answering",
      filename: "app/api/webhooks/stripe/route.ts",
      code: `import { GoogleGenAI } from "@google/genai";
const ai = new GoogleGenAI({});

export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  const response = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: \`Thank-you note for \${event.id}\` });
  await saveNote(event.id, response.text);
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "slowWorkBeforeAck", line: 6, column: 26, data: { kind: "AI call", callee: "ai.models.generateContent" } }],
    },
  ],
});

describe("no-slow-work-before-ack with ESLint's default parser (espree)", () => {
  it("reports an awaited email send in a plain JavaScript route", () => {
    const linter = new Linter({ configType: "flat" });
    const code = `import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req) {
  const evt = await verifyClerk(req);
  await resend.emails.send({ from: "a@acme.dev", to: evt.data.email, subject: "Hi", text: "Hi" });
  return new Response("ok");
}
`;
    const messages = linter.verify(
      code,
      [
        {
          files: ["**/*.js"],
          plugins: { webhook: { rules: { "no-slow-work-before-ack": rule as never } } },
          rules: { "webhook/no-slow-work-before-ack": "error" },
        },
      ],
      { filename: "app/api/webhooks/clerk/route.js" },
    );
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([["webhook/no-slow-work-before-ack", 6, 9]]);
  });
});
