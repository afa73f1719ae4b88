import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import {
  absenceSubjects,
  ackProblems,
  isBookkeepingCall,
  isIdentitySubject,
  isVerificationFailureTest,
  isVerifierName,
  recordsFailureDurably,
  responseAt,
  responsesIn,
  slowWorkBeforeAck,
  statusValue,
  tryBlockProcesses,
} from "../../src/model/ack.js";
import { findAll, type FunctionNode } from "../../src/model/ast.js";
import { analyzeSource } from "../../src/model/parse.js";

/** `[status, defaulted, form]` for every return/send in the first function of `code`. */
function statuses(code: string, names = { requestName: "req", responseName: null as string | null, hono: false }) {
  const file = analyzeSource(code, "app/api/webhooks/x/route.ts");
  const fn = findAll(file.program, ["FunctionDeclaration"])[0]!;
  return responsesIn(file, fn.body, names).map((r) => [r.status, r.defaulted, r.form]);
}

describe("responseAt / responsesIn", () => {
  it("reads web Response and NextResponse statuses, with their defaults", () => {
    expect(
      statuses(`import { NextResponse } from "next/server";
import { StatusCodes } from "http-status-codes";
function POST(req) {
  const BAD = 400;
  if (a) return new Response("ok");
  if (b) return new Response(null, { status: 204 });
  if (c) return Response.json({ ok: true }, { status: BAD });
  if (d) return NextResponse.json({ received: true });
  if (e) return NextResponse.json({ error: "x" }, { status: StatusCodes.INTERNAL_SERVER_ERROR });
  if (f) return new NextResponse("x", { status: cond ? 401 : 403 });
  if (g) return new Response("x", { status: cond ? 200 : 500 });
  if (h) return Response.redirect("https://x.y");
  if (i) return NextResponse.json({}, { headers: { a: "b" } });
  if (j) return new Response("x", init);
  return cond ? new Response("a", { status: 200 }) : new Response("b", { status: 500 });
}`),
    ).toEqual([
      [200, true, "web"],
      [204, false, "web"],
      [400, false, "web"],
      [200, true, "web"],
      [500, false, "web"],
      [401, false, "web"],
      [null, false, "web"],
      [302, true, "web"],
      [200, true, "web"],
      [null, false, "web"],
      [200, false, "web"],
      [500, false, "web"],
    ]);
  });

  it("reads Node res chains, res.statusCode and sendStatus", () => {
    expect(
      statuses(
        `function handler(req, res) {
  if (a) return res.status(405).json({ error: "Method not allowed" });
  if (b) { res.statusCode = 503; res.end("later"); return; }
  if (c) { res.writeHead(401); return res.end(); }
  if (d) return res.sendStatus(400);
  if (e) return res.setHeader("x", "y").status(202).send("ok");
  res.json({ received: true });
}`,
        { requestName: "req", responseName: "res", hono: false },
      ),
    ).toEqual([
      [405, false, "node"],
      [503, false, "node"],
      [401, false, "node"],
      [400, false, "node"],
      [202, false, "node"],
      [200, true, "node"],
    ]);
  });

  it("reads Hono c.json/c.text only for Hono handlers, and never mistakes req.json() for a response", () => {
    const hono = `function handler(c) {
  if (a) return c.json({ error: "bad" }, 400);
  if (b) return c.text("ok");
  return c.json({ ok: true }, { status: 500 });
}`;
    expect(statuses(hono, { requestName: "c", responseName: null, hono: true })).toEqual([
      [400, false, "hono"],
      [200, true, "hono"],
      [500, false, "hono"],
    ]);
    const file = analyzeSource(`async function POST(req) { return req.json(); }`, "app/api/webhooks/x/route.ts");
    const call = findAll(file.program, ["CallExpression"])[0]!;
    expect(responseAt(file, call, { requestName: "req", responseName: null })).toBeNull();
  });

  it("does not treat a shadowing import named Response as the web Response", () => {
    const file = analyzeSource(`import { Response } from "express";\nnew Response("x");`, "app/api/webhooks/x/route.ts");
    const node = findAll(file.program, ["NewExpression"])[0]!;
    expect(responseAt(file, node, null)).toBeNull();
  });
});

describe("statusValue", () => {
  it("reads literals, consts, status tables and same-class conditionals", () => {
    const file = analyzeSource(
      `const OK = 200;\nconst x = [200, OK, HttpStatus.NOT_FOUND, a ? 500 : 503, a ? 200 : 500, someStatus, "200"];`,
      "lib/x.ts",
    );
    const array = findAll(file.program, ["ArrayExpression"])[0]!;
    expect(array.elements.map((e) => statusValue(e as TSESTree.Node))).toEqual([200, 200, 404, 500, null, null, null]);
  });
});

describe("absenceSubjects", () => {
  it("finds the values a test checks for absence", () => {
    const file = analyzeSource(
      `if (!user) {}\nif (user == null || !user.id) {}\nif (typeof x === "undefined") {}\nif (rows.length === 0) {}\nif (!!user) {}\nif (user) {}`,
      "lib/x.ts",
    );
    const tests = findAll(file.program, ["IfStatement"]).map((s) => absenceSubjects(s.test).map((n) => file.text.slice(n.range[0], n.range[1])));
    expect(tests).toEqual([["user"], ["user", "user.id"], ["x"], ["rows"], [], []]);
  });
});

describe("isVerificationFailureTest", () => {
  function tests(code: string): boolean[] {
    const file = analyzeSource(code, "app/api/webhooks/x/route.ts");
    const fn = findAll(file.program, ["FunctionDeclaration"])[0] as FunctionNode;
    return findAll(fn, ["IfStatement"]).map((s) => isVerificationFailureTest(file, s.test, fn));
  }

  it("recognises failed verification, missing signatures and missing secrets", () => {
    expect(
      tests(`import crypto from "node:crypto";
async function POST(req) {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  const sig = req.headers.get("stripe-signature");
  const svixId = req.headers.get("svix-id");
  const header = req.headers.get("x-hub-signature-256");
  const expected = crypto.createHmac("sha256", secret).update(body).digest("hex");
  const isValid = crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
  let event;
  try { event = stripe.webhooks.constructEvent(body, sig, secret); } catch {}
  const checked = await validateRequest(req);
  if (!secret) {}
  if (!sig) {}
  if (!svixId || !header) {}
  if (header !== expected) {}
  if (!isValid) {}
  if (!event) {}
  if (!checked) {}
  if (!verifySignature(body, sig)) {}
  if (!user) {}
  if (event.type !== "checkout.session.completed") {}
  if (!process.env.NEXT_PUBLIC_APP_URL) {}
  if (event.id !== checked.id) {}
}`),
    ).toEqual([true, true, true, true, true, true, true, true, false, false, false, false]);
  });
});

describe("tryBlockProcesses", () => {
  function processes(code: string): boolean[] {
    const file = analyzeSource(code, "app/api/webhooks/x/route.ts");
    return findAll(file.program, ["TryStatement"]).map((t) => tryBlockProcesses(file, t.block, { requestName: "req", responseName: null }));
  }

  it("separates processing from parsing, verifying, logging and best-effort notifications", () => {
    expect(
      processes(`import { Resend } from "resend";
import { fetchMutation } from "convex/nextjs";
const resend = new Resend("x");
async function POST(req) {
  try { const body = await req.json(); } catch {}
  try { event = stripe.webhooks.constructEvent(await req.text(), sig, secret); } catch {}
  try { await resend.emails.send({}); console.log("sent"); } catch {}
  try { await fetchMutation(api.billing.apply, {}); } catch {}
  try { await prisma.user.update({}); } catch {}
  try { handleEvent(event); } catch {}
  try { JSON.parse(text); } catch {}
}
function handleEvent() {}`),
    ).toEqual([false, false, false, true, true, true, false]);
  });
});

describe("isVerifierName", () => {
  it("matches names that verify the request by what they verify, not any substring", () => {
    const names = [
      "verify",
      "verifyWebhook",
      "verifyStripeWebhook",
      "validateSignature",
      "isValidSignature",
      "checkSignature",
      "verifyAndParseWebhook",
      "validateRequest",
      "isValid",
      "signatureMatches",
      "verifySignatureAppRouter",
      "verifiedWelcomeEmail",
      "validateEmail",
      "verifyUserSession",
      "validateData",
      "getSignature",
      "createHmac",
      "isVerifiedUser",
    ];
    expect(names.filter(isVerifierName)).toEqual([
      "verify",
      "verifyWebhook",
      "verifyStripeWebhook",
      "validateSignature",
      "isValidSignature",
      "checkSignature",
      "verifyAndParseWebhook",
      "validateRequest",
      "isValid",
      "signatureMatches",
      "verifySignatureAppRouter",
    ]);
  });
});

describe("isBookkeepingCall", () => {
  it("accepts mark-processed and audit/log writes, not the work", () => {
    const file = analyzeSource(
      `import { fetchMutation } from "convex/nextjs";
import { api } from "@/convex/_generated/api";
import { markEventProcessed, grantCredits } from "@/lib/billing";
async function POST(req) {
  await fetchMutation(api.webhooks.markEventProcessed, { eventId });
  await fetchMutation(api.audit.note, { eventId });
  await prisma.webhookLog.create({ data: { type } });
  await prisma.processedEvent.create({ data: { id: eventId } });
  await markEventProcessed(eventId);
  await fetchMutation(api.billing.apply, { eventId });
  await prisma.user.update({ where: { id }, data: { plan: "pro" } });
  await grantCredits(userId);
  await fetchMutation(api.webhooks.isEventProcessed, { eventId });
}`,
      "app/api/webhooks/x/route.ts",
    );
    const calls = findAll(file.program, ["AwaitExpression"]).map((a) => a.argument as TSESTree.CallExpression);
    expect(calls.map((c) => isBookkeepingCall(file, c))).toEqual([true, true, true, true, true, false, false, false, false]);
  });
});

describe("recordsFailureDurably", () => {
  it("accepts mutations, scheduled retries, inserts and enqueues, not alerts", () => {
    const file = analyzeSource(
      `import { fetchMutation } from "convex/nextjs";
import * as Sentry from "@sentry/nextjs";
async function a() { try {} catch (e) { await fetchMutation(api.webhooks.recordFailure, {}); } }
async function b() { try {} catch (e) { await ctx.scheduler.runAfter(60000, internal.webhooks.retry, {}); } }
async function c() { try {} catch (e) { await db.insert(deadLetters).values({ id }); } }
async function d() { try {} catch (e) { await inngest.send({ name: "retry" }); } }
async function f() { try {} catch (e) { Sentry.captureException(e); console.error(e); } }
async function g() { try {} catch (e) { await stripe.customers.update("cus", {}); } }`,
      "app/api/webhooks/x/route.ts",
    );
    expect(findAll(file.program, ["CatchClause"]).map((c) => recordsFailureDurably(file, c.body))).toEqual([true, true, true, true, false, false]);
  });
});

describe("isIdentitySubject", () => {
  it("matches the app's user/customer/account and identity fields, not request auth", () => {
    const file = analyzeSource(
      `async function POST(req) {
  const { userId: sessionUser } = await auth();
  const session = await getServerSession();
  const user = await db.user.findUnique({});
  const clerkUserId = event.data.object.metadata?.clerkUserId;
  const existingCustomer = await findCustomer();
  const plan = await findPlan();
  const account = await db.account.findFirst({ where: { apiKey: req.headers.get("x-api-key") } });
  [sessionUser, session.user, user, clerkUserId, existingCustomer, plan, event.data.object.client_reference_id, account];
}`,
      "app/api/webhooks/x/route.ts",
    );
    const array = findAll(file.program, ["ArrayExpression"])[0]!;
    expect(array.elements.map((e) => isIdentitySubject(file, e as TSESTree.Node))).toEqual([false, false, true, true, true, false, true, false]);
  });
});

describe("ackProblems", () => {
  it("reports each kind once, in source order, only in webhook handlers", () => {
    const file = analyzeSource(
      `import { NextResponse } from "next/server";
export async function POST(req: Request) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, secret);
  } catch {
    return NextResponse.json({ received: true });
  }
  const user = await findUser(event.data.object.customer);
  if (!user) return new Response("User not found", { status: 404 });
  try {
    return handle(event);
  } catch (err) {
    console.error(err);
    return new Response("ok", { status: 200 });
  }
}
async function handle(event) {}`,
      "app/api/webhooks/stripe/route.ts",
    );
    expect(ackProblems(file).map((p) => [p.kind, p.node.loc.start.line, p.response?.status ?? null])).toEqual([
      ["accepted-invalid-signature", 7, 200],
      ["retry-for-unresolved-identity", 10, 404],
      ["unawaited-return-in-try", 12, null],
      ["swallowed-failure", 15, 200],
    ]);
    const notWebhook = analyzeSource(file.text, "lib/stripe-events.ts");
    expect(ackProblems(notWebhook)).toEqual([]);
  });
});

describe("unhandled event types", () => {
  it("reports failure statuses for event types the handler does not process, not 200s or method checks", () => {
    const file = analyzeSource(
      `export async function POST(req: Request) {
  const event = await verifyStripeEvent(req);
  if (req.method !== "POST") return new Response("Method not allowed", { status: 405 });
  if (event.type !== "invoice.paid" && event.type !== "invoice.payment_failed") return new Response("skip", { status: 400 });
  if (!["invoice.paid"].includes(event.type)) return new Response("ignored", { status: 200 });
  switch (event.type) {
    case "invoice.paid":
      await extend(event);
      break;
    default:
      return Response.json({ error: "unhandled" }, { status: 501 });
  }
  if (event.type === "invoice.payment_failed") {
    await dun(event);
    return new Response("ok");
  }
  return new Response("Unknown event", { status: 400 });
}
const relevantEvents = new Set(["invoice.paid"]);
export async function PUT(req: Request) {
  const event = await verifyStripeEvent(req);
  if (relevantEvents.has(event.type)) {
    await extend(event);
  } else {
    return new Response(\`Unsupported event type: \${event.type}\`, { status: 400 });
  }
  return new Response("ok");
}`,
      "app/api/webhooks/stripe/route.ts",
    );
    expect(ackProblems(file).map((p) => [p.kind, p.node.loc.start.line, p.response?.status ?? null])).toEqual([
      ["retry-for-unhandled-event", 4, 400],
      ["retry-for-unhandled-event", 11, 501],
      ["retry-for-unhandled-event", 17, 400],
      ["retry-for-unhandled-event", 25, 400],
    ]);
  });
});

describe("slowWorkBeforeAck", () => {
  it("skips failure branches that leave and Pages work after an early 200", () => {
    const file = analyzeSource(
      `import { Resend } from "resend";
const resend = new Resend("x");
export default async function handler(req, res) {
  const event = await verify(req);
  if (!event.data.user) {
    await resend.emails.send({ subject: "orphan" });
    return res.status(200).end();
  }
  if (!event.data.existing) {
    await resend.emails.send({ subject: "welcome" });
  }
  res.status(200).json({ received: true });
  await resend.emails.send({ subject: "after ack" });
}`,
      "pages/api/webhooks/clerk.js",
    );
    expect(slowWorkBeforeAck(file).map((w) => [w.kind, w.node.loc.start.line])).toEqual([["email", 10]]);
  });
});
