import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import {
  analyzeSource,
  compileExclusionPattern,
  eventDispatchAt,
  exclusionComment,
  findAll,
  hasCommentedOutCode,
  httpResponseKind,
  isEventTypeExpression,
  isExclusionText,
  isLoggerCall,
  isLookupDispatch,
  mayContainProviderEventName,
  mayHoldEventDispatch,
  silentBranchReason,
  type EventDispatch,
  type FileContext,
} from "../../src/model/index.js";

const ROUTE = "app/api/webhooks/stripe/route.ts";

function switches(file: FileContext): TSESTree.SwitchStatement[] {
  return findAll(file.program, ["SwitchStatement"]);
}

function firstSwitch(code: string, filename = ROUTE): { file: FileContext; dispatch: EventDispatch | null } {
  const file = analyzeSource(code, filename);
  return { file, dispatch: eventDispatchAt(file, switches(file)[0]!) };
}

function firstIf(code: string, filename = ROUTE): { file: FileContext; dispatch: EventDispatch | null } {
  const file = analyzeSource(code, filename);
  return { file, dispatch: eventDispatchAt(file, findAll(file.program, ["IfStatement"])[0]!) };
}

/** The discriminant of the first switch in `code`, classified. */
function discriminantIsEventType(code: string, filename = ROUTE): boolean {
  const file = analyzeSource(code, filename);
  return isEventTypeExpression(file, switches(file)[0]!.discriminant);
}

const STRIPE_PRELUDE = `const event = stripe.webhooks.constructEvent(body, sig, secret);\n`;

describe("isEventTypeExpression", () => {
  it.each([
    ["event.type of a verified Stripe event", `${STRIPE_PRELUDE}switch (event.type) {}`],
    ["evt.type parameter", `function f(evt) { switch (evt.type) {} }`],
    ["payload.type", `function f(payload) { switch (payload.type) {} }`],
    ["body.type of a parsed body", `const body = await req.json();\nswitch (body.type) {}`],
    ["Lemon Squeezy body.meta.event_name", `const body = JSON.parse(raw);\nswitch (body.meta.event_name) {}`],
    ["type destructured from the event", `${STRIPE_PRELUDE}const { type, data } = event;\nswitch (type) {}`],
    ["an alias of event.type", `${STRIPE_PRELUDE}const eventType = event.type as string;\nswitch (eventType) {}`],
    ["a type assertion around the read", `function f(e: unknown) { switch ((e as WebhookEvent).type) {} }`],
    ["the parsed JSON itself (any name)", `const x = JSON.parse(raw);\nswitch (x.type) {}`],
    ["req.body.type in a Pages route", `function f(req) { switch (req.body.type) {} }`],
    ["a verified event with an unusual name", `const wh = new Webhook(secret);\nconst v = wh.verify(payload, headers);\nswitch (v.type) {}`],
    ["stripeEvent.type", `function f(stripeEvent) { switch (stripeEvent.type) {} }`],
  ])("accepts %s", (_name, code) => {
    expect(discriminantIsEventType(code)).toBe(true);
  });

  it.each([
    ["a reducer action", `function r(state, action) { switch (action.type) {} }`],
    ["type destructured from a reducer action", `function r(state, action) { const { type } = action;\nswitch (type) {} }`],
    ["the event's subject object (event.data.object.type)", `${STRIPE_PRELUDE}switch (event.data.object.type) {}`],
    ["a payment method read from the event", `${STRIPE_PRELUDE}const pm = event.data.object;\nswitch (pm.type) {}`],
    ["an item", `function f(item) { switch (item.type) {} }`],
    ["a property that is not a type", `function f(event) { switch (event.status) {} }`],
    ["Lemon Squeezy's resource type under data", `const body = JSON.parse(raw);\nswitch (body.data.type) {}`],
  ])("rejects %s", (_name, code) => {
    expect(discriminantIsEventType(code)).toBe(false);
  });
});

describe("eventDispatchAt: recognition", () => {
  it("recognises a Stripe switch inside an App Router webhook route and groups fall-through cases", () => {
    const { dispatch } = firstSwitch(`export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  switch (event.type) {
    case "customer.subscription.created":
    case "customer.subscription.updated":
      await sync(event);
      break;
    case "invoice.paid":
      console.log("paid");
    case "invoice.finalized":
      break;
    default:
      console.log("unhandled");
  }
  return new Response("ok");
}`);
    expect(dispatch).not.toBeNull();
    expect(dispatch!.kind).toBe("switch");
    expect(dispatch!.providerLabels).toBe(true);
    expect(dispatch!.inWebhookHandler).toBe(true);
    expect(dispatch!.branches.map((b) => [b.labels, b.isDefault, b.fallsThrough, b.statements.length])).toEqual([
      [["customer.subscription.created", "customer.subscription.updated"], false, false, 2],
      [["invoice.paid"], false, true, 1],
      [["invoice.finalized"], false, false, 1],
      [[], true, false, 1],
    ]);
    expect(dispatch!.branches[0]!.node.type).toBe("SwitchCase");
    expect(dispatch!.branches[0]!.node.loc.start.line).toBe(4);
  });

  it("recognises switch (args.type) in a Convex mutation by its provider labels", () => {
    const { dispatch } = firstSwitch(
      `export const handle = internalMutation({ args: {}, handler: async (ctx, args) => {
  switch (args.type) {
    case "payment_intent.succeeded":
      break;
  }
} });`,
      "convex/billing.ts",
    );
    expect(dispatch?.inWebhookHandler).toBe(false);
    expect(dispatch?.providerLabels).toBe(true);
  });

  it("recognises a webhook switch whose labels are not provider names (Supabase database webhook)", () => {
    const { dispatch } = firstSwitch(
      `Deno.serve(async (req) => {
  const payload = await req.json();
  switch (payload.type) {
    case "INSERT":
      break;
  }
  return new Response("ok");
});`,
      "supabase/functions/on-user-webhook/index.ts",
    );
    expect(dispatch?.providerLabels).toBe(false);
    expect(dispatch?.inWebhookHandler).toBe(true);
  });

  it.each([
    ["a Redux reducer", "src/store/slice.ts", `function reducer(state, action) { switch (action.type) { case "invoice.paid": return state; } }`],
    ["a DOM event switch", "src/lib/dom.ts", `function on(e) { switch (e.type) { case "click": break; } }`],
    ["non-provider labels outside a webhook handler", "src/lib/machine.ts", `function t(event) { switch (event.type) { case "SUBMIT": break; case "RETRY": break; } }`],
    ["a React component", "src/lib/feed.ts", `export function FeedItem({ event }) { switch (event.type) { case "invoice.paid": break; } return null; }`],
    ["a hook", "src/lib/use-billing.ts", `export function useBillingEvents(event) { switch (event.type) { case "invoice.paid": break; } }`],
    ["a function that renders JSX", "src/lib/render.tsx", `export function render(event) { switch (event.type) { case "invoice.paid": break; } return <p />; }`],
    ["a reducer-shaped (state, event) function", "src/lib/status.ts", `function next(state, event) { switch (event.type) { case "invoice.paid": break; } return state; }`],
    ["any function in a .tsx file outside webhook paths", "components/billing/events.tsx", `function pick(event) { switch (event.type) { case "invoice.paid": break; } }`],
    ["a \"use client\" module", "src/lib/billing-events.ts", `"use client";\nexport function pick(event) { switch (event.type) { case "invoice.paid": break; } }`],
    ["a single non-static label", "src/lib/x.ts", `function f(x) { switch (x.kind) { case "invoice.paid": break; } }`],
  ])("returns null for %s", (_name, filename, code) => {
    expect(firstSwitch(code, filename).dispatch).toBeNull();
  });

  it("recognises an if/else-if chain with ===, || and includes, ending at an unrelated else-if", () => {
    const file = analyzeSource(
      `export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  if (event.type === "invoice.paid") {
    await markPaid(event);
  } else if ("invoice.voided" === event.type || event.type === "invoice.marked_uncollectible") {
    console.log("void");
  } else if (["charge.refunded", "charge.dispute.created"].includes(event.type)) {
    await revoke(event);
  } else if (req.headers.get("x-test")) {
    console.log("test");
  } else {
    console.log("other");
  }
  return new Response("ok");
}`,
      ROUTE,
    );
    const ifs = findAll(file.program, ["IfStatement"]);
    const dispatch = eventDispatchAt(file, ifs[0]!);
    expect(dispatch?.kind).toBe("if-chain");
    expect(dispatch!.branches.map((b) => b.labels)).toEqual([
      ["invoice.paid"],
      ["invoice.voided", "invoice.marked_uncollectible"],
      ["charge.refunded", "charge.dispute.created"],
    ]);
    expect(dispatch!.branches[1]!.node.type).toBe("LogicalExpression");
    // `else if` links are part of the head's chain, not chains of their own.
    expect(eventDispatchAt(file, ifs[1]!)).toBeNull();
  });

  it("gives an if-chain a default branch for its final else", () => {
    const { dispatch } = firstIf(`export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  if (event.type === "invoice.paid") {
    await markPaid(event);
  } else {
    console.log("other");
  }
  return new Response("ok");
}`);
    expect(dispatch!.branches.map((b) => [b.labels, b.isDefault, b.node.type])).toEqual([
      [["invoice.paid"], false, "BinaryExpression"],
      [[], true, "BlockStatement"],
    ]);
  });

  it("recognises args.type === provider event in a Convex function", () => {
    const { dispatch } = firstIf(
      `export const h = internalMutation({ handler: async (ctx, args) => {
  if (args.type === "payment_intent.succeeded") { console.log("ok"); }
} });`,
      "convex/billing.ts",
    );
    expect(dispatch?.branches[0]?.labels).toEqual(["payment_intent.succeeded"]);
  });

  it("reads `event && event.type === x` as the event test, but not a test combined with other conditions", () => {
    const labels = (test: string) =>
      firstIf(`export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  if (${test}) { console.log("x"); }
  return new Response("ok");
}`).dispatch?.branches[0]?.labels ?? null;
    expect(labels(`event && event.type === "invoice.paid"`)).toEqual(["invoice.paid"]);
    expect(labels(`event != null && event.data?.object && event.type === "invoice.paid"`)).toEqual(["invoice.paid"]);
    expect(labels(`!!event && (event.type === "invoice.paid" || event.type === "invoice.payment_failed")`)).toEqual(["invoice.paid", "invoice.payment_failed"]);
    expect(labels(`event.type === "invoice.paid" && !userId`)).toBeNull();
    expect(labels(`event.type === "invoice.paid" && event.data.object.paid`)).toBeNull();
    expect(labels(`user && event.type === "invoice.paid"`)).toBeNull();
    expect(labels(`event.type === "invoice.paid" && event.type === "invoice.created"`)).toBeNull();
  });

  it("does not treat a !== guard as a dispatch", () => {
    expect(firstIf(`export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  if (event.type !== "invoice.paid") return new Response("ignored");
  return new Response("ok");
}`).dispatch).toBeNull();
  });

  it("memoises the dispatch per node", () => {
    const file = analyzeSource(`${STRIPE_PRELUDE}switch (event.type) { case "invoice.paid": break; }`, ROUTE);
    const node = switches(file)[0]!;
    expect(eventDispatchAt(file, node)).toBe(eventDispatchAt(file, node));
  });
});

describe("mayHoldEventDispatch (whole-file pre-filter)", () => {
  it.each([
    ["a quoted Stripe event name", `const x = "invoice.paid";`, true],
    ["a template literal Clerk event name", "const x = `user.created`;", true],
    ["a Lemon Squeezy event name", `const x = 'order_created';`, true],
    ["a dotted string of another vocabulary", `const x = "react.element"; const y = "todos/added";`, false],
    ["an unquoted mention", `// invoice.paid`, false],
  ])("mayContainProviderEventName: %s", (_name, text, expected) => {
    expect(mayContainProviderEventName(text)).toBe(expected);
  });

  it("is false for a reducer file and true for a webhook route with non-provider labels", () => {
    expect(mayHoldEventDispatch(analyzeSource(`function r(state, action) { switch (action.type) { case "add": return state; } }`, "src/store.ts"))).toBe(false);
    expect(
      mayHoldEventDispatch(
        analyzeSource(
          `export default async function handler(req, res) {\n  switch (req.body.type) { case "INSERT": break; }\n  res.status(200).end();\n}`,
          "pages/api/webhooks/supabase.ts",
        ),
      ),
    ).toBe(true);
  });

  it("is false for a file with event names but none of the shapes a dispatch takes (case, === \"...\", .includes)", () => {
    const names = `const EVENTS = ["invoice.paid", "customer.subscription.deleted"];\nexport const subscribe = () => register(EVENTS);`;
    expect(mayHoldEventDispatch(analyzeSource(names, "lib/events.ts"))).toBe(false);
    expect(mayHoldEventDispatch(analyzeSource(`${names}\nexport const handles = (t: string) => EVENTS.includes(t);`, "lib/events.ts"))).toBe(true);
    expect(mayHoldEventDispatch(analyzeSource(`${names}\nif (event.type === "invoice.paid") grant();`, "lib/events.ts"))).toBe(true);
  });

  it("finds a handler verified by a custom verifier from settings.webhook.verifiers", () => {
    const code = `export async function POST(req: Request) {\n  const body = await checkSignature(req);\n  switch (body.type) { case "INSERT": break; }\n  return new Response("ok");\n}`;
    expect(mayHoldEventDispatch(analyzeSource(code, "app/api/sync/route.ts"))).toBe(false);
    expect(mayHoldEventDispatch(analyzeSource(code, "app/api/sync/route.ts", { settings: { verifiers: ["checkSignature"] } }))).toBe(true);
  });
});

describe("EventBranch.comments", () => {
  const code = `export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  switch (event.type) {
    // above a
    case "invoice.paid": // after a
      await markPaid(event);
      break; // trailing a
    // above b
    case "invoice.created":
    // between b and c
    case "invoice.finalized":
      /* inside c */
      break;
    default:
      // inside default
  }
  return new Response("ok");
}`;
  it("collects own-line comments above a case, comments after a case label, inside it and trailing its break", () => {
    const { dispatch } = firstSwitch(code);
    expect(dispatch!.branches.map((b) => b.comments.map((c) => c.value.trim()))).toEqual([
      ["above a", "after a", "trailing a"],
      ["above b", "between b and c", "inside c"],
      ["inside default"],
    ]);
  });

  it("collects own-line comments directly above an if-chain head, not those separated by code", () => {
    const { dispatch } = firstIf(`export async function POST(req: Request) {
  // unrelated
  ${STRIPE_PRELUDE}  // Documented exclusion: nothing here needs work
  // second line
  if (event.type === "invoice.paid") {
    // inside
  } else if (event.type === "invoice.created") { // trailing the else-if
  }
  return new Response("ok");
}`);
    expect(dispatch!.branches.map((b) => b.comments.map((c) => c.value.trim()))).toEqual([
      ["Documented exclusion: nothing here needs work", "second line", "inside"],
      ["trailing the else-if"],
    ]);
  });
});

describe("silentBranchReason", () => {
  function reasons(body: string, filename = ROUTE): (string | null)[] {
    const { file, dispatch } = firstSwitch(
      `export async function POST(req: Request) {\n  ${STRIPE_PRELUDE}  let data;\n  switch (event.type) {\n${body}\n  }\n  return new Response("ok");\n}`,
      filename,
    );
    return dispatch!.branches.map((b) => silentBranchReason(file, dispatch!, b));
  }

  it.each([
    ["a bare break", `case "a.b": break;`, "break"],
    ["continue", `case "a.b": continue;`, "break"],
    ["a bare return", `case "a.b": return;`, "return"],
    ["return undefined", `case "a.b": return undefined;`, "return"],
    ["console.log then break", `case "a.b": console.log("x", event.id); break;`, "log"],
    ["logger.info", `case "a.b": logger.info({ id: event.id }, "x"); break;`, "log"],
    ["this.logger.warn", `case "a.b": this.logger.warn("x"); break;`, "log"],
    ["req.log.info", `case "a.b": req.log.info("x"); break;`, "log"],
    ["log()", `case "a.b": log("x"); break;`, "log"],
    ["await logger.flush()", `case "a.b": await logger.flush(); break;`, "log"],
    ["a log-only if", `case "a.b": if (event.livemode) { console.log("live"); } else { console.debug("test"); } break;`, "log"],
    ["a log-only try", `case "a.b": try { console.log("x"); } catch (e) { console.error(e); } break;`, "log"],
    ["a pure declaration and a log", `case "a.b": { const s = event.data.object; console.log(\`\${s.id} \${JSON.stringify(s)}\`); break; }`, "log"],
    ["a local assigned and only logged", `case "a.b": data = event.data.object; console.log(data.id); break;`, "log"],
    ["new Response()", `case "a.b": return new Response("ok");`, "ack"],
    ["Response.json with status 200", `case "a.b": return Response.json({ received: true }, { status: 200 });`, "ack"],
    ["NextResponse.json", `case "a.b": return NextResponse.json({ received: true });`, "ack"],
    ["a literal", `case "a.b": return true;`, "ack"],
    ["an object of literals", `case "a.b": return { received: true, ignored: ["x", 1] };`, "ack"],
    ["an empty block", `case "a.b": {}`, "empty"],
    ["an empty last case", `case "a.b":`, "empty"],
    ["commented-out code", `case "a.b":\n      // await handleRefund(event);\n      break;`, "commented-out"],
    ["a pure declaration only", `case "a.b": const x = event.id; break;`, "break"],
    ["a pure declaration without break", `case "a.b": const x = event.id;`, "no-op"],
  ])("%s", (_name, body, expected) => {
    expect(reasons(body)).toEqual([expected]);
  });

  it.each([
    ["an awaited call", `case "a.b": await handle(event); break;`],
    ["a plain call", `case "a.b": void handle(event); break;`],
    ["a throw", `case "a.b": throw new Error("unsupported");`],
    ["a member assignment", `case "a.b": user.plan = "pro"; break;`],
    ["an update", `case "a.b": count++; break;`],
    ["a local used after the switch", `case "a.b": data = event.data.object; await save(data); break;`],
    ["return handle(event)", `case "a.b": return handle(event);`],
    ["return of a computed value", `case "a.b": return event.data.object;`],
    ["a 400 response", `case "a.b": return new Response("unsupported", { status: 400 });`],
    ["NextResponse.json with a 500", `case "a.b": return NextResponse.json({ error: "x" }, { status: 500 });`],
    ["a response with a non-static status", `case "a.b": return new Response("x", { status: code });`],
    ["a logger call hiding an await", `case "a.b": console.log(await db.insert(row)); break;`],
    ["a declaration that calls something", `case "a.b": const user = await getUser(event.data.id); break;`],
    ["an if whose test calls something", `case "a.b": if (await alreadyProcessed(event.id)) { console.log("dupe"); } break;`],
    ["a loop", `case "a.b": for (const item of event.data.object.lines.data) console.log(item); break;`],
  ])("is null for %s", (_name, body) => {
    expect(reasons(body)).toEqual([null]);
  });

  it("judges a case that falls through with the cases it runs into", () => {
    expect(
      reasons(`case "a.b": console.log("a");\n    case "c.d": await handle(event); break;\n    case "e.f": console.log("e");\n    case "g.h": break;`),
    ).toEqual([null, null, "log", "break"]);
  });

  it("reports nothing in a value mapping outside the handler body, and is a mapping only without effects", () => {
    const mapping = analyzeSource(
      `export function label(event) {\n  switch (event.type) {\n    case "user.created": return "Signed up";\n    case "user.deleted": break;\n    default: throw new Error("unknown");\n  }\n}`,
      "src/lib/labels.ts",
    );
    const dispatch = eventDispatchAt(mapping, switches(mapping)[0]!)!;
    expect(isLookupDispatch(mapping, dispatch)).toBe(true);
    expect(dispatch.branches.map((b) => silentBranchReason(mapping, dispatch, b))).toEqual([null, null, null]);

    const handler = analyzeSource(
      `export async function handleEvent(event) {\n  switch (event.type) {\n    case "user.created": await create(event); return true;\n    case "user.deleted": return false;\n  }\n}`,
      "lib/clerk/handle-event.ts",
    );
    const acting = eventDispatchAt(handler, switches(handler)[0]!)!;
    expect(isLookupDispatch(handler, acting)).toBe(false);
    expect(acting.branches.map((b) => silentBranchReason(handler, acting, b))).toEqual([null, "ack"]);
  });

  it("treats an assertion helper (returns for some types, throws for the rest) as a validator, not a handler", () => {
    const file = analyzeSource(
      `export function assertSupported(event: Stripe.Event) {\n  switch (event.type) {\n    case "checkout.session.completed":\n    case "invoice.paid":\n      return;\n    default:\n      throw new Error("unsupported");\n  }\n}`,
      "lib/stripe/assert-supported.ts",
    );
    const dispatch = eventDispatchAt(file, switches(file)[0]!)!;
    expect(isLookupDispatch(file, dispatch)).toBe(true);
    expect(silentBranchReason(file, dispatch, dispatch.branches[0]!)).toBeNull();
  });

  it("still reports bare breaks beside a throwing default in the handler's own body", () => {
    const file = analyzeSource(
      `export async function POST(req: Request) {\n  ${STRIPE_PRELUDE}  switch (event.type) {\n    case "invoice.paid": break;\n    default: throw new Error("unhandled");\n  }\n  return new Response("ok");\n}`,
      ROUTE,
    );
    const dispatch = eventDispatchAt(file, switches(file)[0]!)!;
    expect(isLookupDispatch(file, dispatch)).toBe(false);
    expect(silentBranchReason(file, dispatch, dispatch.branches[0]!)).toBe("break");
  });

  it("is never a value mapping directly in the webhook handler's body", () => {
    const file = analyzeSource(
      `export async function POST(req: Request) {\n  ${STRIPE_PRELUDE}  switch (event.type) {\n    case "user.created": return true;\n  }\n}`,
      ROUTE,
    );
    const dispatch = eventDispatchAt(file, switches(file)[0]!)!;
    expect(isLookupDispatch(file, dispatch)).toBe(false);
    expect(silentBranchReason(file, dispatch, dispatch.branches[0]!)).toBe("ack");
  });
});

describe("httpResponseKind and isLoggerCall", () => {
  function firstCall(code: string, filename = "pages/api/webhooks/stripe.ts"): { file: FileContext; call: TSESTree.Node } {
    const file = analyzeSource(code, filename);
    const statement = findAll(file.program, ["ExpressionStatement"]).at(-1)!;
    return { file, call: statement.expression };
  }

  it.each([
    [`res.status(200).json({ received: true });`, "ack"],
    [`res.status(204).end();`, "ack"],
    [`res.sendStatus(200);`, "ack"],
    [`res.setHeader("x", "y").send("ok");`, "ack"],
    [`res.status(400).json({ error: "bad" });`, "error"],
    [`reply.code(500).send();`, "error"],
    [`c.json({ ok: true }, 201);`, "ack"],
    [`c.text("nope", 422);`, "error"],
    [`new Response(null, { status: 200 });`, "ack"],
    [`new NextResponse("x", { status: 401 });`, "error"],
    [`client.send(command);`, null],
    [`res.status(200);`, null],
  ])("%s -> %s", (code, expected) => {
    const { file, call } = firstCall(`export default function handler(req, out) {}\n${code}`);
    expect(httpResponseKind(file, call)).toBe(expected);
  });

  it("uses the Pages handler's own response name", () => {
    const file = analyzeSource(`export default function handler(request, response2) {\n  response2.status(200).end();\n}`, "pages/api/webhooks/x.ts");
    const call = findAll(file.program, ["ExpressionStatement"])[0]!.expression;
    expect(httpResponseKind(file, call)).toBe("ack");
  });

  it.each([
    [`console.log("x");`, true],
    [`logger.child({ id }).info("x");`, true],
    [`this.log("x");`, true],
    [`pino.info("x");`, false],
    [`prisma.log.create({ data });`, false],
    [`ctx.db.insert("logs", {});`, false],
    [`audit.logger.error("x");`, true],
  ])("%s is a logger call: %s", (code, expected) => {
    const file = analyzeSource(code, "lib/x.ts");
    const call = findAll(file.program, ["CallExpression"]).find((c) => c.parent.type === "ExpressionStatement")!;
    expect(isLoggerCall(file, call)).toBe(expected);
  });

  it("honours settings.webhook.loggers", () => {
    const file = analyzeSource(`pino.info("x");`, "lib/x.ts", { settings: { loggers: ["pino"] } });
    expect(isLoggerCall(file, findAll(file.program, ["CallExpression"])[0]!)).toBe(true);
  });
});

describe("documented exclusions", () => {
  it.each([
    "Documented Exclusion: ignore unhandled event types",
    "Not in scope: invoices are finalised by Stripe automatically.",
    "Out of scope for v1 because we sell no physical goods",
    "Intentionally ignored: the outcome arrives as payment_intent.succeeded.",
    "Intentionally not handled, access is granted at checkout",
    "Deliberately skipped because checkout already grants access.",
    "No-op: we keep no copy of customer profile fields.",
    "Ignored because customers are created by our own checkout route.",
    "We don't need this event: payment methods are read live from Stripe.",
    "We do not handle this one since refunds are manual",
    "Not needed because the subscription.updated case covers it",
    "Handled by the invoice.paid case below",
    "Refunds are processed manually in the dashboard, so this is intentionally ignored.",
    "Documented exclusion:\nsessions are tracked by Clerk; the app keeps no session table.",
    "We don't need to handle this event because refunds are manual",
    "Ignored: we only sell subscriptions",
    "Handled in the checkout.session.completed case",
    "Not handled here: Stripe emails the receipt",
  ])("accepts %j", (text) => {
    expect(isExclusionText(text)).toBe(true);
  });

  it.each([
    ["a TODO", "TODO: handle refunds"],
    ["a TODO with an exclusion phrase", "TODO: documented exclusion, explain why disputes are out of scope"],
    ["a FIXME", "FIXME out of scope for now but customers need it"],
    ["add logic", "Add logic (e.g., send welcome email)"],
    ["handle this", "Not in scope yet, handle this later please"],
    ["implement", "Out of scope: implement this when billing ships"],
    ["no reason", "Intentionally ignored"],
    ["a bare marker with punctuation", "Documented exclusion: ..."],
    ["a placeholder reason", "Documented exclusion: <why>"],
    ["a one-word reason", "Out of scope: v2"],
    ["no marker", "Update database records"],
    ["seed 002's comment", "Handle account deletion"],
    ["not handled yet", "Not handled here yet, see the billing ticket"],
    ["not in scope yet", "Not in scope yet because we have no refunds table"],
    ["to be implemented", "Out of scope until refunds are to be implemented properly"],
    ["a bare ignore", "ignore"],
  ])("rejects %s", (_name, text) => {
    expect(isExclusionText(text)).toBe(false);
  });

  it("uses a custom pattern instead of the built-in phrases, still requiring a reason", () => {
    const pattern = compileExclusionPattern("@webhook-ignore");
    expect(isExclusionText("@webhook-ignore reminders are sent by Stripe", pattern)).toBe(true);
    expect(isExclusionText("@webhook-ignore", pattern)).toBe(false);
    expect(isExclusionText("Documented exclusion: reminders are sent by Stripe", pattern)).toBe(false);
  });

  it("throws a readable error for an invalid pattern", () => {
    expect(() => compileExclusionPattern("(unclosed")).toThrow(/exclusionPattern is not a valid regular expression/);
  });

  it("finds the exclusion among a branch's comments and those of the branch it falls into", () => {
    const { dispatch } = firstSwitch(`export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  switch (event.type) {
    case "invoice.created":
      console.log("created");
    case "invoice.finalized":
      // Out of scope: Stripe emails finalised invoices itself.
      break;
    // TODO: revisit
    case "invoice.voided":
      break;
  }
  return new Response("ok");
}`);
    const [created, finalized, voided] = dispatch!.branches;
    expect(exclusionComment(dispatch!, created!)?.value.trim()).toBe("Out of scope: Stripe emails finalised invoices itself.");
    expect(exclusionComment(dispatch!, finalized!)?.value.trim()).toBe("Out of scope: Stripe emails finalised invoices itself.");
    expect(exclusionComment(dispatch!, voided!)).toBeNull();
  });

  it("joins consecutive line comments into one block, but not a TODO block with an exclusion block", () => {
    const { dispatch } = firstSwitch(`export async function POST(req: Request) {
  ${STRIPE_PRELUDE}  switch (event.type) {
    case "invoice.created":
      // TODO: remove the old handler

      // Documented exclusion: invoices are finalised automatically.
      break;
  }
  return new Response("ok");
}`);
    expect(exclusionComment(dispatch!, dispatch!.branches[0]!)?.value.trim()).toBe(
      "Documented exclusion: invoices are finalised automatically.",
    );
  });

  it("tells commented-out code from prose", () => {
    const file = analyzeSource(
      `// handlePaymentIntentSucceeded(paymentIntent);\n// Then define and call a method to handle the successful payment intent.\n/* await grantCredits(userId) */\n// Add logic (e.g., send welcome email)\n// user.plan = "pro"\n`,
      "x.ts",
    );
    expect(file.comments.map((c) => hasCommentedOutCode([c]))).toEqual([true, false, true, false, true]);
  });
});
