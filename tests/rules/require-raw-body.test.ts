import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/require-raw-body.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";
const CLERK_ROUTE = "app/api/webhooks/clerk/route.ts";

ruleTester.run("require-raw-body", rule, {
  valid: [
    {
      name: "Stripe's App Router sample verifies await req.text()",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";
import { headers } from "next/headers";

export async function POST(req: Request) {
  const body = await req.text();
  const signature = (await headers()).get("stripe-signature")!;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return new Response("Webhook Error", { status: 400 });
  }
  return Response.json({ type: event.type });
}
`,
    },
    {
      name: "req.json() after Clerk's verifyWebhook(req), which read the body itself",
      filename: CLERK_ROUTE,
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";

export async function POST(req: Request) {
  const evt = await verifyWebhook(req);
  const body = await req.json();
  return Response.json({ type: evt.type, keys: Object.keys(body) });
}
`,
    },
    {
      name: "req.json() in a route that is not a webhook",
      filename: "app/api/checkout/route.ts",
      code: `export async function POST(req: Request) {
  const { priceId } = await req.json();
  const session = await stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: priceId, quantity: 1 }] });
  return Response.json({ url: session.url });
}
`,
    },
    {
      name: "req.text(), verify with svix, then JSON.parse",
      filename: CLERK_ROUTE,
      code: `import { Webhook } from "svix";

export async function POST(req: Request) {
  const payload = await req.text();
  new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!).verify(payload, {
    "svix-id": req.headers.get("svix-id")!,
    "svix-timestamp": req.headers.get("svix-timestamp")!,
    "svix-signature": req.headers.get("svix-signature")!,
  });
  const evt = JSON.parse(payload);
  return Response.json({ type: evt.type });
}
`,
    },
    {
      name: "seed 002's Pages handler reads the raw body with buffer() and bodyParser: false",
      filename: "pages/api/clerk-webhook.ts",
      code: `import { buffer } from "micro";
import crypto from "crypto";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const rawBody = await buffer(req);
  const signature = req.headers["clerk-signature"] as string;
  const expectedSignature = crypto.createHmac("sha256", process.env.CLERK_WEBHOOK_SECRET!).update(rawBody).digest("hex");
  if (signature !== expectedSignature) return res.status(401).end();
  res.status(200).json({ received: true });
}
`,
    },
    {
      name: "Pages JavaScript handler with raw-body and bodyParser: false",
      filename: "pages/api/webhooks/stripe.js",
      code: `import getRawBody from "raw-body";

export const config = {
  api: {
    bodyParser: false,
  },
};

export default async function handler(req, res) {
  const raw = await getRawBody(req);
  const event = stripe.webhooks.constructEvent(raw, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ id: event.id });
}
`,
    },
    {
      name: "Convex httpAction reads request.text() for svix",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";
import { Webhook } from "svix";

export const clerkWebhook = httpAction(async (ctx, request) => {
  const body = await request.text();
  const event = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(body, {
    "svix-id": request.headers.get("svix-id")!,
    "svix-timestamp": request.headers.get("svix-timestamp")!,
    "svix-signature": request.headers.get("svix-signature")!,
  });
  return Response.json(event);
});
`,
    },
    {
      name: "a clone is parsed for logging, the original body is verified",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const preview = await req.clone().json();
  console.log("stripe delivery", preview.id);
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "no verification at all is require-webhook-signature's business",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const event = await req.json();
  if (event.type === "invoice.paid") await markPaid(event.data.object.id);
  return new Response("ok");
}
`,
    },
    {
      name: "Lemon Squeezy HMAC over the raw text",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import crypto from "node:crypto";

export async function POST(request: Request) {
  const rawBody = await request.text();
  const digest = Buffer.from(crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!).update(rawBody).digest("hex"), "utf8");
  const signature = Buffer.from(request.headers.get("x-signature") ?? "", "utf8");
  if (digest.length !== signature.length || !crypto.timingSafeEqual(digest, signature)) return new Response("no", { status: 401 });
  return Response.json(JSON.parse(rawBody).meta);
}
`,
    },
    {
      name: "suggested output: the parsed body became the raw text",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const body = await req.text();
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "suggested output: raw text passed straight as the payload (JavaScript)",
      filename: "app/api/webhooks/stripe/route.js",
      code: `export async function POST(req) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "QStash's verifying wrapper has read the raw body before the handler parses it",
      filename: "app/api/webhooks/stripe-jobs/route.ts",
      code: `import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";

export const POST = verifySignatureAppRouter(async (req: Request) => {
  const body = await req.json();
  const event = stripe.webhooks.constructEvent(body.raw, body.signature, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
});
`,
    },
    {
      name: "Express route with express.raw(): req.body is a Buffer",
      filename: "server/webhooks.js",
      code: `const express = require("express");
const app = express();

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ received: event.id });
});
`,
    },
    {
      name: "jwt.verify on a webhook path is not a signature check of the body",
      filename: "app/api/webhooks/zapier/route.ts",
      code: `import jwt from "jsonwebtoken";

export async function POST(req: Request) {
  const { token, data } = await req.json();
  jwt.verify(token, process.env.ZAPIER_JWT_SECRET!);
  return Response.json({ ok: true, data });
}
`,
    },
    {
      name: "bcrypt.compare and verifyEmail() in a signup route",
      filename: "app/api/signup/route.ts",
      code: `import bcrypt from "bcryptjs";

export async function POST(req: Request) {
  const { email, password } = await req.json();
  const user = await findUser(email);
  if (!user || !(await bcrypt.compare(password, user.hash))) return new Response("no", { status: 401 });
  await verifyEmail(email);
  return Response.json({ ok: true });
}
`,
    },
    {
      name: "Polar validateEvent on the raw text",
      filename: "app/api/webhooks/polar/route.ts",
      code: `import { validateEvent } from "@polar-sh/sdk/webhooks";

export async function POST(request: Request) {
  const body = await request.text();
  const event = validateEvent(body, Object.fromEntries(request.headers), process.env.POLAR_WEBHOOK_SECRET!);
  return Response.json({ type: event.type });
}
`,
    },
    {
      name: "helper from another file is handed the raw text and the signature",
      filename: STRIPE_ROUTE,
      code: `import { constructStripeEvent } from "@/lib/stripe";

export async function POST(req: Request) {
  const body = await req.text();
  const event = await constructStripeEvent(body, req.headers.get("stripe-signature"));
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "arrayBuffer read, Buffer passed to constructEvent",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const buf = Buffer.from(await req.arrayBuffer());
  const event = stripe.webhooks.constructEvent(buf, req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
    },
    {
      name: "suggested output: raw text handed straight to svix in an httpAction",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";
import { Webhook } from "svix";

export const clerk = httpAction(async (ctx, request) => {
  const payload = await request.text();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const event = wh.verify(payload, Object.fromEntries(request.headers));
  return Response.json(event);
});
`,
    },
    {
      name: "Express: express.raw() mounted on the webhook path before the app-wide express.json()",
      filename: "server/index.js",
      code: `const express = require("express");
const app = express();

app.use("/api/webhooks", express.raw({ type: "application/json" }));
app.use(express.json());

app.post("/api/webhooks/stripe", (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ received: event.id });
});
`,
    },
    {
      name: "Express router: the raw parser may be mounted where the router is used",
      filename: "server/routes/stripe.js",
      code: `import { Router } from "express";

const router = Router();

router.post("/stripe", (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ received: event.id });
});

export default router;
`,
    },
    {
      name: "Express: a middleware that skips express.json() for the webhook path",
      filename: "server/index.ts",
      code: `import express from "express";

const app = express();
app.use((req, res, next) => (req.originalUrl === "/webhooks/stripe" ? next() : express.json()(req, res, next)));

app.post("/webhooks/stripe", express.raw({ type: "application/json" }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ received: event.id });
});
`,
    },
    {
      name: "Express: bodyParser.raw() on the route, bodyParser.json() registered after it",
      filename: "server/index.js",
      code: `const express = require("express");
const bodyParser = require("body-parser");
const app = express();

app.post("/webhooks/stripe", bodyParser.raw({ type: "*/*" }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ received: event.id });
});

app.use(bodyParser.json());
`,
    },
  ],
  invalid: [
    {
      name: "parsed body handed to constructEvent",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const body = await req.json();
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [
        {
          messageId: "parsedBeforeVerification",
          line: 2,
          column: 22,
          data: { call: "req.json()", request: "req" },
          suggestions: [
            {
              messageId: "readText",
              data: { request: "req" },
              output: `export async function POST(req: Request) {
  const body = await req.text();
  const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "await req.json() passed straight as the payload (JavaScript)",
      filename: "app/api/webhooks/stripe/route.js",
      code: `export async function POST(req) {
  const event = stripe.webhooks.constructEvent(await req.json(), req.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [
        {
          messageId: "parsedBeforeVerification",
          line: 2,
          column: 54,
          suggestions: [
            {
              messageId: "readText",
              output: `export async function POST(req) {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  return Response.json({ id: event.id });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "JSON.stringify of the parsed body as the payload",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const body = await req.json();
  const event = stripe.webhooks.constructEvent(JSON.stringify(body), req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "stringifiedPayload", line: 3, column: 48 }],
    },
    {
      name: "parsed body used after verification too: report, no suggestion",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {
  const body = await req.json();
  stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, process.env.STRIPE_WEBHOOK_SECRET!);
  if (body.type === "invoice.paid") await markPaid(body.data.object.id);
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "parsedBeforeVerification", line: 2, column: 22, suggestions: [] }],
    },
    {
      name: "Convex httpAction re-stringifies request.json() for svix",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";
import { Webhook } from "svix";

export const clerk = httpAction(async (ctx, request) => {
  const payload = await request.json();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const event = wh.verify(JSON.stringify(payload), Object.fromEntries(request.headers));
  return Response.json(event);
});
`,
      output: null,
      errors: [{ messageId: "stringifiedPayload", line: 7, column: 27 }],
    },
    {
      name: "Convex httpAction verifies the parsed request.json()",
      filename: "convex/http.ts",
      code: `import { httpAction } from "./_generated/server";
import { Webhook } from "svix";

export const clerk = httpAction(async (ctx, request) => {
  const payload = await request.json();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const event = wh.verify(payload, Object.fromEntries(request.headers));
  return Response.json(event);
});
`,
      output: null,
      errors: [
        {
          messageId: "parsedBeforeVerification",
          line: 5,
          column: 25,
          data: { call: "request.json()", request: "request" },
          suggestions: [
            {
              messageId: "readText",
              data: { request: "request" },
              output: `import { httpAction } from "./_generated/server";
import { Webhook } from "svix";

export const clerk = httpAction(async (ctx, request) => {
  const payload = await request.text();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const event = wh.verify(payload, Object.fromEntries(request.headers));
  return Response.json(event);
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "req.json() consumes the body before verifyWebhook(req) can read it",
      filename: CLERK_ROUTE,
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";

export async function POST(req: Request) {
  const body = await req.json();
  const evt = await verifyWebhook(req);
  return Response.json({ type: evt.type, id: body.data.id });
}
`,
      output: null,
      errors: [{ messageId: "parsedBeforeVerification", line: 4, column: 22, suggestions: [] }],
    },
    {
      name: "Express: app-wide express.json() before the Stripe webhook route",
      filename: "server/index.js",
      code: `const express = require("express");
const Stripe = require("stripe");
const stripe = Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();
app.use(express.json());
app.post("/api/webhooks/stripe", (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(\`Webhook Error: \${err.message}\`);
  }
  res.json({ received: event.id });
});
`,
      output: null,
      errors: [{ messageId: "expressParsedBody", line: 9, column: 44, data: { expr: "req.body", parser: "express.json()" } }],
    },
    {
      name: "Express router: bodyParser.json() on the router before the route",
      filename: "server/routes/billing.ts",
      code: `import express from "express";
import bodyParser from "body-parser";

const router = express.Router();
router.use(bodyParser.json());

router.post("/webhooks/stripe", async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ received: event.id });
});

export default router;
`,
      output: null,
      errors: [{ messageId: "expressParsedBody", line: 8, column: 48, data: { expr: "req.body", parser: "bodyParser.json()" } }],
    },
    {
      name: "Express: no raw parser anywhere on an app created in this file",
      filename: "server.js",
      code: `import express from "express";
import cors from "cors";

const app = express();
app.use(cors());

app.post("/webhook", async (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ received: event.id });
});

app.listen(3000);
`,
      output: null,
      errors: [{ messageId: "expressMissingRawBody", line: 8, column: 48, data: { expr: "req.body" } }],
    },
    {
      name: "Express (CommonJS): svix verifies JSON.stringify(req.body) after a route-level express.json()",
      filename: "endpoint/server.js",
      code: `const express = require("express");
const { Webhook } = require("svix");
const app = express();
app.post("/webhook", express.json(), async (req, res) => {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET);
  const evt = wh.verify(JSON.stringify(req.body), req.headers);
  res.status(200).json({ ok: evt.type });
});
`,
      output: null,
      errors: [{ messageId: "stringifiedPayload", line: 6, column: 25 }],
    },
    {
      name: "Express router: svix verifies JSON.stringify(req.body) with no parser in sight",
      filename: "backend/routes/webhooks.js",
      code: `import express from "express";
import { Webhook } from "svix";

const router = express.Router();

router.post("/webhooks/clerk", async (req, res) => {
  const webhook = new Webhook(process.env.CLERK_WEBHOOK_SECRET);
  try {
    webhook.verify(JSON.stringify(req.body), req.headers);
  } catch (err) {
    return res.status(400).json({ error: "invalid signature" });
  }
  res.status(200).json({ ok: true });
});

export default router;
`,
      output: null,
      errors: [{ messageId: "stringifiedPayload", line: 9, column: 20 }],
    },
    {
      name: "Pages handler verifies the parsed req.body",
      filename: "pages/api/webhooks/stripe.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"]!, process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "parsedRequestBody", line: 4, column: 48, data: { expr: "req.body" } }],
    },
    {
      name: "Pages JavaScript handler verifies JSON.stringify(req.body)",
      filename: "pages/api/stripe-webhook.js",
      code: `export default async function handler(req, res) {
  const sig = req.headers["stripe-signature"];
  const event = stripe.webhooks.constructEvent(JSON.stringify(req.body), sig, process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "parsedRequestBody", line: 3, column: 48, data: { expr: "req.body" } }],
    },
    {
      name: "bodyParser: false under another export name is ignored by Next.js",
      filename: "pages/api/webhooks/stripe.ts",
      code: `export const apiConfig = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const event = stripe.webhooks.constructEvent(req.body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "parsedRequestBody", line: 4, column: 48 }],
    },
    {
      name: "Lemon Squeezy HMAC over JSON.stringify(await request.json())",
      filename: "app/api/webhooks/lemonsqueezy/route.ts",
      code: `import crypto from "node:crypto";

export async function POST(request: Request) {
  const body = await request.json();
  const digest = crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!).update(JSON.stringify(body)).digest("hex");
  if (!crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(request.headers.get("x-signature") ?? ""))) {
    return new Response("Invalid signature", { status: 401 });
  }
  return Response.json({ event: body.meta.event_name });
}
`,
      output: null,
      errors: [{ messageId: "stringifiedPayload", line: 5, column: 95 }],
    },
    {
      name: "hand-rolled Svix signature over a re-serialised body",
      filename: CLERK_ROUTE,
      code: `import { createHmac, timingSafeEqual } from "node:crypto";

export async function POST(req: Request) {
  const evt = await req.json();
  const id = req.headers.get("svix-id");
  const ts = req.headers.get("svix-timestamp");
  const key = Buffer.from(process.env.CLERK_WEBHOOK_SECRET!.split("_")[1]!, "base64");
  const expected = createHmac("sha256", key).update(\`\${id}.\${ts}.\${JSON.stringify(evt)}\`).digest("base64");
  const given = req.headers.get("svix-signature")!.split(",")[1]!;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(given))) return new Response("no", { status: 400 });
  return Response.json({ type: evt.type });
}
`,
      output: null,
      errors: [{ messageId: "stringifiedPayload", line: 8, column: 68 }],
    },
    {
      name: "formData() before verification",
      filename: "app/api/webhooks/paddle/route.ts",
      code: `export async function POST(req: Request) {
  const form = await req.formData();
  const event = await paddle.webhooks.unmarshal(String(form.get("payload")), process.env.PADDLE_WEBHOOK_SECRET!, req.headers.get("paddle-signature")!);
  return Response.json({ type: event.eventType });
}
`,
      output: null,
      errors: [{ messageId: "parsedBeforeVerification", line: 2, column: 22, data: { call: "req.formData()", request: "req" }, suggestions: [] }],
    },
    {
      name: "parsed body handed to a verifying helper with the signature",
      filename: STRIPE_ROUTE,
      code: `import { verifyStripeWebhook } from "@/lib/stripe";

export async function POST(req: Request) {
  const body = await req.json();
  const event = await verifyStripeWebhook(body, req.headers.get("stripe-signature"));
  return Response.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "parsedBeforeVerification", line: 4, column: 22, suggestions: [] }],
    },
    {
      name: "micro's json(req) in a Pages handler",
      filename: "pages/api/webhooks/stripe.ts",
      code: `import { json } from "micro";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const body = await json(req);
  const event = stripe.webhooks.constructEvent(body, req.headers["stripe-signature"], process.env.STRIPE_WEBHOOK_SECRET!);
  res.json({ id: event.id });
}
`,
      output: null,
      errors: [{ messageId: "parsedBeforeVerification", line: 6, column: 22, data: { call: "json(req)", request: "req" }, suggestions: [] }],
    },
    {
      name: "Polar validateEvent fed a re-serialised body in a Convex httpAction",
      filename: "convex/http.ts",
      code: `import { httpRouter } from "convex/server";
import { validateEvent } from "@polar-sh/sdk/webhooks";
import { httpAction } from "./_generated/server";

const http = httpRouter();

http.route({
  path: "/polar/events",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const json = await request.json();
    const event = validateEvent(Buffer.from(JSON.stringify(json)), Object.fromEntries(request.headers), process.env.POLAR_WEBHOOK_SECRET!);
    return Response.json({ type: event.type });
  }),
});

export default http;
`,
      output: null,
      errors: [{ messageId: "stringifiedPayload", line: 12, column: 45 }],
    },
  ],
});

describe("require-raw-body with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = (options?: unknown[]) => [
    {
      files: ["**/*.js", "**/*.mjs"],
      plugins: { webhook: { rules: { "require-raw-body": rule as never } } },
      rules: { "webhook/require-raw-body": (options ? ["error", ...options] : "error") as never },
    },
  ];

  it("reports a parsed payload and leaves the raw text alone", () => {
    const parsed = `export async function POST(req) {
  const body = await req.json();
  const event = stripe.webhooks.constructEvent(JSON.stringify(body), req.headers.get("stripe-signature"), process.env.STRIPE_WEBHOOK_SECRET);
  return Response.json({ id: event.id });
}
`;
    expect(linter.verify(parsed, config(), { filename: "app/api/webhooks/stripe/route.js" }).map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["stringifiedPayload", 3, 48],
    ]);
    const raw = parsed.replace("await req.json()", "await req.text()").replace("JSON.stringify(body)", "body");
    expect(linter.verify(raw, config(), { filename: "app/api/webhooks/stripe/route.js" })).toEqual([]);
  });
});
