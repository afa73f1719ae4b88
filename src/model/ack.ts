/**
 * Acknowledgements: what a webhook handler answers, and whether that answer tells the provider
 * the truth. Providers retry on anything but a 2xx, so the status decides whether an event is
 * redelivered. This module reads responses and their status codes (`new Response(body, { status })`,
 * `NextResponse.json(x)`, `res.status(400).json()`, Hono's `c.json(x, 400)`), finds the branches
 * that run when signature verification fails and the `catch` clauses that swallow processing
 * failures, and the slow work a handler awaits before it answers.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  calleeSegments,
  contains,
  findAll,
  isFunction,
  lastName,
  lookupTable,
  memberPath,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  unwrapAwait,
  walk,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { hmacComputations, isConstantTimeCompareCall } from "./compare.js";
import { convexCallAt } from "./convex.js";
import { isLogTable, LEDGER_TABLE, ledgerRoleByName, ledgerRoleOfRef } from "./dedupe.js";
import { eventDispatchAt, isEventTypeExpression } from "./event-switch.js";
import type { FileContext } from "./file.js";
import { certainlyCompletes } from "./flow.js";
import { ormCallAt, ormCalls } from "./orm.js";
import { isProviderEventName } from "./providers.js";
import { functionOf, type RouteHandler } from "./routes.js";
import { resolveName, valueOrigin } from "./scope.js";
import { envReadAt, nameTokens } from "./secrets.js";
import { awaitedCalls, isQueueEnqueueCall, sdkFamilyOf, slowSideEffectAt, type SlowSideEffect } from "./side-effects.js";
import { verifierCallAt, verifierCalls, webhookHandlers, type WebhookHandler } from "./webhook.js";

// ---------------------------------------------------------------------------------------
// Responses and status codes.

/** How a response is produced: a web `Response`, Node's `res` (Pages, Express) or Hono's `c`. */
export type ResponseForm = "web" | "node" | "hono";

export interface AckResponse {
  /** The expression that builds or sends the response. */
  node: TSESTree.Node;
  form: ResponseForm;
  /** The status code, or null when it cannot be read statically. */
  status: number | null;
  /** The expression that holds the status (a literal, a constant), or null when defaulted or unknown. */
  statusNode: TSESTree.Node | null;
  /** No status was given: the API's default applies (200, or a redirect's 302/307). */
  defaulted: boolean;
}

/** Names used by `http-status-codes` and similar constant tables. */
const STATUS_CONSTANTS = lookupTable<number>({
  OK: 200,
  CREATED: 201,
  ACCEPTED: 202,
  NO_CONTENT: 204,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  UNPROCESSABLE_ENTITY: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
});
const STATUS_TABLES = /^(?:StatusCodes|HttpStatus|HttpStatusCode|HTTP_STATUS|httpStatus|Status|STATUS)$/;

/** The numeric value of a status expression: a literal, a `const`, `StatusCodes.OK`, or a conditional of one class. */
export function statusValue(node: Node | null | undefined, hops = 3): number | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "number") return n.value;
  if (n.type === "Identifier" && hops > 0) {
    const binding = resolveName(n.name, n);
    if (binding?.kind === "variable" && binding.declarationKind === "const" && binding.path.length === 0) {
      return statusValue(binding.init, hops - 1);
    }
    return null;
  }
  if (n.type === "MemberExpression") {
    const path = memberPath(n);
    if (path && path.length === 2 && STATUS_TABLES.test(path[0]!)) return STATUS_CONSTANTS[path[1]!] ?? null;
    return null;
  }
  if (n.type === "ConditionalExpression") {
    const a = statusValue(n.consequent, hops);
    const b = statusValue(n.alternate, hops);
    return a !== null && b !== null && Math.floor(a / 100) === Math.floor(b / 100) ? a : null;
  }
  return null;
}

/** 200-299: the provider considers the event delivered and will not retry it. */
export function isSuccessStatus(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/** 400-599: the provider retries the event (Stripe for up to three days, Svix-based senders on a schedule). */
export function isFailureStatus(status: number | null): boolean {
  return status !== null && status >= 400 && status < 600;
}

function initStatus(response: Omit<AckResponse, "status" | "statusNode" | "defaulted">, init: Node | undefined, fallback: number): AckResponse {
  if (!init) return { ...response, status: fallback, statusNode: null, defaulted: true };
  let n = unwrap(init);
  if (n.type === "Identifier") {
    const binding = resolveName(n.name, n);
    if (binding?.kind === "variable" && binding.init && binding.path.length === 0 && binding.declarationKind === "const") {
      n = unwrap(binding.init);
    }
  }
  if (n.type === "Literal" && typeof n.value === "number") return { ...response, status: n.value, statusNode: n, defaulted: false };
  if (n.type !== "ObjectExpression") return { ...response, status: statusValue(n), statusNode: statusValue(n) === null ? null : n, defaulted: false };
  const status = objectProperties(n).get("status");
  if (status) return { ...response, status: statusValue(status.value), statusNode: status.value, defaulted: false };
  if (n.properties.some((p) => p.type === "SpreadElement")) return { ...response, status: null, statusNode: null, defaulted: false };
  return { ...response, status: fallback, statusNode: null, defaulted: true };
}

const FRAMEWORK_JSON_MODULES = /^(?:@remix-run\/\w+|@vercel\/remix|react-router|@sveltejs\/kit)$/;
const NODE_SENDS = new Set(["json", "send", "end", "sendStatus", "redirect", "jsonp"]);
const HONO_SENDS = new Set(["json", "text", "body", "html", "newResponse"]);

/** True when `name` denotes the web `Response` or Next.js's `NextResponse` in this file. */
function isResponseClass(file: FileContext, name: string): boolean {
  if (name === "Response") return !file.imports.has(name);
  if (name === "NextResponse") return true;
  const binding = file.imports.get(name);
  return !!binding && binding.imported === "NextResponse";
}

/** The names a handler answers through: its `res` parameter (Node) or `c` context (Hono). */
export interface ResponderNames {
  requestName: string | null;
  responseName: string | null;
  /** The handler is a Hono route (`app.post(path, (c) => c.json(...))`): `c.json(x, n)` answers. */
  hono?: boolean;
}

/** The responder names of a request handler. */
export function respondersOf(file: FileContext, handler: RouteHandler): ResponderNames {
  const hono =
    handler.kind === "express" &&
    !handler.responseName &&
    [...file.importSources].some((source) => source === "hono" || source.startsWith("hono/"));
  return { requestName: handler.requestName, responseName: handler.responseName, hono };
}

/**
 * What `node` answers, when it builds or sends a response: `new Response(body, { status })`,
 * `Response.json(x, init)`, `NextResponse.json(x)` (200), `new NextResponse(...)`,
 * `Response.redirect(url, status)`, Remix/SvelteKit `json(x, init)`, `res.status(n).json/send/end()`,
 * `res.sendStatus(n)`, `res.writeHead(n).end()`, `res.json(x)` after `res.statusCode = n`, and
 * Hono's `c.json(x, n)`/`c.text(...)`. Looks through `await`.
 */
export function responseAt(file: FileContext, node: Node, names: ResponderNames | null): AckResponse | null {
  const n = unwrapAwait(node);
  if (n.type === "NewExpression") {
    const callee = unwrap(n.callee);
    if (callee.type === "Identifier" && isResponseClass(file, callee.name)) {
      return initStatus({ node: n, form: "web" }, n.arguments[1], 200);
    }
    return null;
  }
  if (n.type !== "CallExpression") return null;
  const callee = unwrap(n.callee);
  if (callee.type === "Identifier") {
    const binding = file.imports.get(callee.name);
    if (binding && (binding.imported === "json" || binding.imported === "text") && FRAMEWORK_JSON_MODULES.test(binding.source)) {
      return initStatus({ node: n, form: "web" }, n.arguments[1], 200);
    }
    return null;
  }
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method) return null;
  const object = unwrap(callee.object);
  if (object.type === "Identifier" && isResponseClass(file, object.name)) {
    if (method === "json") return initStatus({ node: n, form: "web" }, n.arguments[1], 200);
    if (method === "redirect") {
      return initStatus({ node: n, form: "web" }, n.arguments[1], object.name === "Response" ? 302 : 307);
    }
    return null;
  }
  if (names?.responseName && NODE_SENDS.has(method)) {
    return nodeResponse(n, method, names.responseName);
  }
  if (names?.hono && names.requestName && HONO_SENDS.has(method) && object.type === "Identifier" && object.name === names.requestName) {
    const init = n.arguments[1];
    if (init) return initStatus({ node: n, form: "hono" }, init, 200);
    const earlier = statusSetBefore(n, names.requestName, "hono");
    return earlier ?? { node: n, form: "hono", status: 200, statusNode: null, defaulted: true };
  }
  return null;
}

function nodeResponse(call: TSESTree.CallExpression, method: string, resName: string): AckResponse | null {
  // Walk down `res.status(400).json(...)` to `res`, remembering a `.status(n)` / `.writeHead(n)` link.
  let statusNode: TSESTree.Node | null = null;
  let current: Node = unwrap(call.callee);
  while (current.type === "MemberExpression") {
    const object = unwrap(current.object);
    if (object.type === "Identifier") {
      if (object.name !== resName) return null;
      break;
    }
    if (object.type !== "CallExpression") return null;
    const link = calleeName(object);
    if ((link === "status" || link === "writeHead") && object.arguments[0]) statusNode = object.arguments[0];
    else if (link !== "setHeader" && link !== "set" && link !== "header" && link !== "type" && link !== "append") return null;
    current = unwrap(object.callee);
  }
  if (current.type !== "MemberExpression") return null;
  if (method === "sendStatus") {
    const arg = call.arguments[0] ?? null;
    return { node: call, form: "node", status: statusValue(arg), statusNode: arg, defaulted: false };
  }
  if (statusNode) return { node: call, form: "node", status: statusValue(statusNode), statusNode, defaulted: false };
  if (method === "redirect") {
    const first = call.arguments[0];
    if (call.arguments.length > 1 && first) return { node: call, form: "node", status: statusValue(first), statusNode: first, defaulted: false };
    return { node: call, form: "node", status: 302, statusNode: null, defaulted: true };
  }
  return statusSetBefore(call, resName, "node") ?? { node: call, form: "node", status: 200, statusNode: null, defaulted: true };
}

/** `res.statusCode = n;`, `res.status(n);`, `res.writeHead(n);` or Hono `c.status(n);` earlier in the same block. */
function statusSetBefore(call: TSESTree.CallExpression, name: string, form: ResponseForm): AckResponse | null {
  let statement: Node = call;
  while (statement.parent && !isStatementList(statement.parent)) statement = statement.parent;
  const list = statement.parent ? statementList(statement.parent) : null;
  if (!list) return null;
  const index = list.indexOf(statement);
  for (let i = index - 1; i >= 0; i--) {
    const previous = list[i]!;
    if (previous.type !== "ExpressionStatement") continue;
    const e = unwrap(previous.expression);
    if (e.type === "AssignmentExpression" && memberPath(e.left)?.join(".") === `${name}.statusCode`) {
      return { node: call, form, status: statusValue(e.right), statusNode: e.right, defaulted: false };
    }
    if (e.type === "CallExpression" && (calleeName(e) === "status" || calleeName(e) === "writeHead")) {
      const object = memberPath(unwrap(e.callee));
      if (object && object.length === 2 && object[0] === name && e.arguments[0]) {
        return { node: call, form, status: statusValue(e.arguments[0]), statusNode: e.arguments[0], defaulted: false };
      }
    }
  }
  return null;
}

function isStatementList(node: Node): boolean {
  return node.type === "BlockStatement" || node.type === "SwitchCase" || node.type === "Program" || node.type === "StaticBlock";
}

function statementList(node: Node): readonly TSESTree.Node[] | null {
  if (node.type === "BlockStatement" || node.type === "Program" || node.type === "StaticBlock") return node.body;
  if (node.type === "SwitchCase") return node.consequent;
  return null;
}

/** The responses a `return` statement's argument may produce (both arms of a conditional). */
function returnedResponses(file: FileContext, argument: Node, names: ResponderNames | null): AckResponse[] {
  const n = unwrapAwait(argument);
  if (n.type === "ConditionalExpression") {
    return [...returnedResponses(file, n.consequent, names), ...returnedResponses(file, n.alternate, names)];
  }
  const response = responseAt(file, n, names);
  return response ? [response] : [];
}

/**
 * Every response produced under `root` (not in nested functions): returned responses, and
 * Node-style sends (`res.status(200).json(...)`) used as statements. Source order.
 */
export function responsesIn(file: FileContext, root: Node, names: ResponderNames | null): AckResponse[] {
  const out: AckResponse[] = [];
  if (isFunction(root) && root.body.type !== "BlockStatement") return returnedResponses(file, root.body, names);
  walk(
    root,
    (node) => {
      if (node.type === "ReturnStatement") {
        if (node.argument) out.push(...returnedResponses(file, node.argument, names));
        return false;
      }
      if (node.type === "ExpressionStatement") {
        const response = responseAt(file, node.expression, names);
        if (response && response.form !== "web") {
          out.push(response);
          return false;
        }
      }
      return true;
    },
    { skipFunctions: true },
  );
  return out;
}

// ---------------------------------------------------------------------------------------
// Verification failures.

const SIGNATURE_NAME = /^(?:sig|signature|\w*Signature|\w*_signature|sigHeader|svix(?:Id|Timestamp|Signature)|svix_(?:id|timestamp|signature)|webhook(?:Id|Timestamp|Signature)|hmac\w*|\w*Hmac)$/i;
const SIGNATURE_HEADER = /signature|^svix-|^webhook-(?:id|timestamp|signature)$|hmac/i;
const VERIFIED_FLAG = /^(?:is)?(?:valid|verified|authentic|authenticated|signatureValid|validSignature|signatureOk|sigOk|isSignatureValid|hasValidSignature)$/i;

/** Verbs of a verifier's name: `verifyWebhook`, `validateSignature`, `checkSignature`, `isValid`. */
const VERIFY_VERBS = new Set(["verify", "verifies", "validate", "validates", "check", "checks", "authenticate", "authenticates", "valid", "authentic"]);
/** What a verifier verifies, and the words around it (`verifyAndParseStripeWebhook`, `isValidSvixSignature`). */
const VERIFIED_THINGS = new Set([
  "signature",
  "signatures",
  "sig",
  "hmac",
  "webhook",
  "webhooks",
  "event",
  "events",
  "payload",
  "request",
  "req",
  "body",
  "message",
  "header",
  "headers",
  "incoming",
  "raw",
  "secret",
  "is",
  "has",
  "and",
  "parse",
  "construct",
  "with",
  "from",
  "async",
  "sync",
  "stripe",
  "clerk",
  "svix",
  "polar",
  "paddle",
  "lemon",
  "squeezy",
  "lemonsqueezy",
  "github",
  "shopify",
  "kinde",
  "resend",
  "standard",
  "app",
  "router",
  "route",
  "edge",
  "node",
  "provider",
  "delivery",
  "notification",
  "callback",
  "hook",
  "sender",
]);
/** Words that say a name compares a signature rather than verifying one (`signatureMatches`, `compareHmac`). */
const SIGNATURE_COMPARE_VERBS = new Set(["match", "matches", "compare", "equal", "equals", "ok"]);

/**
 * True when a function's name says it verifies the request: a verb of verifying and otherwise
 * only words for what is verified (`verifyWebhook`, `validateStripeSignature`, `isValidSignature`,
 * `verify`), or a signature/HMAC comparison (`signatureMatches`). Not `verifiedWelcomeEmail` or
 * `validateEmail`: what they check is not the request.
 */
export function isVerifierName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.length === 0) return false;
  const verb = tokens.some((t) => VERIFY_VERBS.has(t));
  const signature = tokens.some((t) => t === "signature" || t === "signatures" || t === "sig" || t === "hmac");
  const compares = signature && tokens.some((t) => SIGNATURE_COMPARE_VERBS.has(t));
  if (!verb && !compares) return false;
  return tokens.every((t) => VERIFY_VERBS.has(t) || VERIFIED_THINGS.has(t) || (compares && SIGNATURE_COMPARE_VERBS.has(t)));
}

/** Subjects a test checks for absence: `!x`, `x == null`, `x === undefined`, `x === false`, across `||`/`&&`. */
export function absenceSubjects(test: Node): Node[] {
  const n = unwrap(test);
  if (n.type === "UnaryExpression" && n.operator === "!") {
    const inner = unwrap(n.argument);
    return inner.type === "UnaryExpression" && inner.operator === "!" ? [] : [inner];
  }
  if (n.type === "LogicalExpression" && n.operator !== "??") return [...absenceSubjects(n.left), ...absenceSubjects(n.right)];
  if (n.type === "BinaryExpression" && (n.operator === "==" || n.operator === "===")) {
    if (isNullish(n.right) || isFalse(n.right)) return [unwrap(n.left)];
    if (isNullish(n.left) || isFalse(n.left)) return [unwrap(n.right)];
    // `typeof x === "undefined"`, `xs.length === 0`
    const left = unwrap(n.left);
    if (left.type === "UnaryExpression" && left.operator === "typeof" && staticString(n.right) === "undefined") return [unwrap(left.argument)];
    if (left.type === "MemberExpression" && propertyName(left) === "length" && isZero(n.right)) return [unwrap(left.object)];
  }
  return [];
}

/** Subjects a test checks for presence: `if (user)`, `x != null`, `x !== undefined`, across `&&`. */
function presenceSubjects(test: Node): Node[] {
  const n = unwrap(test);
  if (n.type === "Identifier" || n.type === "MemberExpression") return [n];
  if (n.type === "LogicalExpression" && n.operator === "&&") return [...presenceSubjects(n.left), ...presenceSubjects(n.right)];
  if (n.type === "BinaryExpression" && (n.operator === "!=" || n.operator === "!==")) {
    if (isNullish(n.right)) return [unwrap(n.left)];
    if (isNullish(n.left)) return [unwrap(n.right)];
  }
  return [];
}

function isNullish(node: Node): boolean {
  const n = unwrap(node);
  return (n.type === "Literal" && n.value === null && !("regex" in n)) || (n.type === "Identifier" && n.name === "undefined");
}

function isFalse(node: Node): boolean {
  const n = unwrap(node);
  return n.type === "Literal" && n.value === false;
}

function isZero(node: Node): boolean {
  const n = unwrap(node);
  return n.type === "Literal" && n.value === 0;
}

function containsVerification(file: FileContext, root: Node): boolean {
  for (const call of findAll(root, ["CallExpression"])) {
    if (verifierCallAt(file, call) || isConstantTimeCompareCall(call)) return true;
  }
  return hmacComputations(root).length > 0;
}

/** A value that results from verifying: its initialiser (or a later assignment in `fn`) verifies. */
function isVerificationResult(file: FileContext, subject: Node, fn: FunctionNode): boolean {
  const n = unwrap(subject);
  if (n.type === "CallExpression") {
    if (verifierCallAt(file, n) || isConstantTimeCompareCall(n)) return true;
    const name = calleeName(n);
    return name !== null && isVerifierName(name);
  }
  if (n.type !== "Identifier") return false;
  if (VERIFIED_FLAG.test(n.name)) return true;
  const binding = resolveName(n.name, n);
  if (binding?.kind === "variable") {
    if (binding.init && verifiesValue(file, binding.init)) return true;
    for (const assignment of findAll(fn, ["AssignmentExpression"])) {
      const left = unwrap(assignment.left);
      if (left.type === "Identifier" && left.name === n.name && verifiesValue(file, assignment.right)) return true;
    }
  }
  return false;
}

/** An expression that verifies: a verifier call (also in a same-file helper), or a call named like one (`validateRequest`). */
function verifiesValue(file: FileContext, expression: Node): boolean {
  if (verifierCalls(file, expression).length > 0 || containsVerification(file, expression)) return true;
  const call = unwrapAwait(expression);
  if (call.type !== "CallExpression") return false;
  const name = calleeName(call);
  return name !== null && isVerifierName(name);
}

/** A signature header (`req.headers.get("stripe-signature")`), by name or by where it was read. */
function isSignatureHeader(subject: Node): boolean {
  const name = lastName(subject);
  if (name !== null && SIGNATURE_NAME.test(name)) return true;
  const origin = valueOrigin(subject);
  const root = unwrapAwait(origin.root);
  if (root.type === "CallExpression" && calleeName(root) === "get") return SIGNATURE_HEADER.test(staticString(root.arguments[0]) ?? "");
  if (root.type === "MemberExpression") return SIGNATURE_HEADER.test(propertyName(root) ?? "");
  const last = origin.path[origin.path.length - 1];
  return last !== undefined && SIGNATURE_HEADER.test(last);
}

/** A missing webhook secret (`if (!process.env.STRIPE_WEBHOOK_SECRET)` or its `const`). */
function isSecretRead(file: FileContext, subject: Node): boolean {
  const direct = envReadAt(file, subject);
  if (direct) return direct.secretLike;
  const n = unwrap(subject);
  if (n.type !== "Identifier") return false;
  const binding = resolveName(n.name, n);
  if (binding?.kind !== "variable" || !binding.init) return false;
  const init = unwrap(binding.init);
  const read = envReadAt(file, init.type === "LogicalExpression" ? init.left : init);
  return !!read && read.secretLike;
}

/**
 * True when an `if` test is true exactly when verification failed or cannot run: `!event` after
 * `event = constructEvent(...)`, `!isValid`, `!verify(...)`, `!timingSafeEqual(a, b)`,
 * `signature !== expected` (an HMAC digest), a missing signature header or a missing secret.
 */
export function isVerificationFailureTest(file: FileContext, test: Node, fn: FunctionNode): boolean {
  const n = unwrap(test);
  if (n.type === "LogicalExpression") return isVerificationFailureTest(file, n.left, fn) || isVerificationFailureTest(file, n.right, fn);
  if (n.type === "BinaryExpression" && (n.operator === "!==" || n.operator === "!=")) {
    if (isNullish(n.left) || isNullish(n.right)) return false;
    // A digest compared with the header; a verified event's fields (`evt.type !== "x"`) are not.
    const derived = (side: Node) => hmacComputations(valueOrigin(side).root).length > 0;
    const named = (side: Node) => {
      const name = lastName(side);
      return name !== null && /sig|signature|digest|hmac|hash/i.test(name);
    };
    return derived(n.left) || derived(n.right) || (named(n.left) && named(n.right));
  }
  for (const subject of absenceSubjects(n)) {
    if (isVerificationResult(file, subject, fn) || isSignatureHeader(subject) || isSecretRead(file, subject)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Catch clauses.

function isLogging(file: FileContext, call: TSESTree.CallExpression): boolean {
  const segments = calleeSegments(call.callee);
  const root = segments[0] ?? "";
  if (file.settings.loggers.has(root)) return true;
  return /^(?:Sentry|sentry|bugsnag|Bugsnag|rollbar|Rollbar|honeybadger|Honeybadger|posthog|analytics|mixpanel|amplitude|segment)$/.test(root);
}

const BODY_READS = new Set(["text", "json", "arrayBuffer", "blob", "formData", "clone"]);
const RAW_BODY_HELPERS = /^(?:buffer|rawBody|getRawBody|readRawBody|readBody|text|headers|cookies)$/;
const BUILTIN_ROOTS = new Set(["JSON", "Object", "Array", "String", "Number", "Buffer", "Math", "Date", "crypto", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "console", "Promise"]);

/** Calls that parse, verify, log or answer: a `catch` around only these does not lose an event. */
function isTrivialCall(file: FileContext, call: TSESTree.CallExpression, names: ResponderNames): boolean {
  if (isLogging(file, call) || verifierCallAt(file, call) || isConstantTimeCompareCall(call)) return true;
  if (responseAt(file, call, names)) return true;
  const callee = unwrap(call.callee);
  const name = calleeName(call) ?? "";
  if (callee.type === "Identifier") {
    if (RAW_BODY_HELPERS.test(name) || name === "String" || name === "Number" || name === "Boolean") return true;
  } else if (callee.type === "MemberExpression") {
    const segments = calleeSegments(callee);
    const root = segments[0] ?? "";
    if (BUILTIN_ROOTS.has(root)) return true;
    if (BODY_READS.has(name) && (root === names.requestName || /^(?:req|request|r)$/.test(root))) return true;
    if (name === "get" && segments.includes("headers")) return true;
  }
  // A best-effort notification (email, AI, third-party HTTP) is not the event's processing.
  const slow = slowSideEffectAt(file, call);
  return !!slow && slow.kind !== "provider-write" && slow.kind !== "action";
}

/** A call that does some of the event's work: a Convex call, awaited non-trivial work, or a same-file or imported function. */
function isProcessingCall(file: FileContext, call: TSESTree.CallExpression, names: ResponderNames): boolean {
  if (isTrivialCall(file, call, names)) return false;
  if (convexCallAt(file, call)) return true;
  const parent = call.parent;
  if (parent?.type === "AwaitExpression" || parent?.type === "ReturnStatement") return true;
  const callee = unwrap(call.callee);
  return callee.type === "Identifier" && (file.imports.has(callee.name) || !!functionOf(callee, 1));
}

/** The processing calls under `root` (not in nested functions, not inside another processing call's arguments). */
function processingCalls(file: FileContext, root: Node, names: ResponderNames, first: boolean): TSESTree.CallExpression[] {
  const out: TSESTree.CallExpression[] = [];
  walk(
    root,
    (node) => {
      if (first && out.length > 0) return false;
      if (node.type !== "CallExpression") return true;
      if (!isProcessingCall(file, node, names)) return true;
      out.push(node);
      return false;
    },
    { skipFunctions: true },
  );
  return out;
}

/**
 * True when a `try` block processes the event rather than only parsing, verifying, logging or
 * sending a best-effort notification: it calls into Convex, awaits non-trivial work, or calls a
 * same-file or imported function that is not a logger, a body read or a notification.
 */
export function tryBlockProcesses(file: FileContext, block: Node, names: ResponderNames): boolean {
  return processingCalls(file, block, names, true).length > 0;
}

/** Words of Convex modules and functions, tables and helpers that keep books about events rather than process them. */
const BOOKKEEPING_TOKENS = new Set(["audit", "audits", "log", "logs", "logging", "telemetry", "metric", "metrics", "analytics", "stats"]);

/**
 * A call that only keeps books about an event: marks it processed (`markEventProcessed`,
 * `api.webhooks.markProcessed`, an insert into `processed_events`) or writes an audit or log
 * row (`api.audit.note`, `prisma.webhookLog.create`). When one fails, no work is lost.
 */
export function isBookkeepingCall(file: FileContext, call: TSESTree.CallExpression): boolean {
  const bookkeepingName = (name: string) => nameTokens(name).some((t) => BOOKKEEPING_TOKENS.has(t));
  const convex = convexCallAt(file, call);
  if (convex) {
    if (convex.op !== "mutation" || !convex.ref) return false;
    return ledgerRoleOfRef(file, convex.ref.path) === "mark" || convex.ref.path.some(bookkeepingName);
  }
  const orm = ormCallAt(file, call);
  if (orm) return (orm.op === "create" || orm.op === "upsert") && (isLogTable(orm.table) || (orm.table !== null && LEDGER_TABLE.test(orm.table)));
  const callee = unwrap(call.callee);
  const name = calleeName(call);
  if (!name || callee.type !== "Identifier") return false;
  return ledgerRoleByName(name) === "mark" || bookkeepingName(name);
}

/**
 * True when the handler did some of the event's work before `statement` (outside `catch`
 * clauses): a Convex mutation or action, or another processing call that is not bookkeeping.
 */
function workedBefore(file: FileContext, statement: Node, fn: FunctionNode, names: ResponderNames): boolean {
  let found = false;
  walk(
    fn.body,
    (node) => {
      if (found || node.range[0] >= statement.range[0] || node.type === "CatchClause") return false;
      if (node.type !== "CallExpression" || !isProcessingCall(file, node, names)) return true;
      const convex = convexCallAt(file, node);
      if ((convex && convex.op === "query") || isBookkeepingCall(file, node)) return true;
      const ledger = ledgerRoleByName(calleeName(node) ?? "");
      if (ledger === "check") return true;
      found = true;
      return false;
    },
    { skipFunctions: true },
  );
  return found;
}

/**
 * A `try` that only keeps books after the work is done (`try { await markEventProcessed(id) }
 * catch { log }`): swallowing its failure loses nothing, the event was processed.
 */
function isBookkeepingSideStep(file: FileContext, statement: TSESTree.TryStatement, fn: FunctionNode, names: ResponderNames): boolean {
  const calls = processingCalls(file, statement.block, names, false);
  if (calls.length === 0 || !calls.every((call) => isBookkeepingCall(file, call))) return false;
  return workedBefore(file, statement, fn, names);
}

/** Names that carry the caught error: the catch parameter and `const`s derived from it. */
function errorNames(clause: TSESTree.CatchClause): Set<string> {
  const names = new Set<string>();
  if (clause.param) for (const id of findAll(clause.param, ["Identifier"])) names.add(id.name);
  for (const declarator of findAll(clause.body, ["VariableDeclarator"], { skipFunctions: true })) {
    if (!declarator.init) continue;
    if (findAll(declarator.init, ["Identifier"]).some((id) => names.has(id.name))) {
      for (const id of findAll(declarator.id, ["Identifier"])) names.add(id.name);
    }
  }
  return names;
}

function references(node: Node, names: ReadonlySet<string>): boolean {
  return findAll(node, ["Identifier"]).some((id) => names.has(id.name));
}

/** The test of the nearest conditional between `node` and `stop` that inspects the error, if any. */
function errorGuard(node: Node, stop: Node, names: ReadonlySet<string>): Node | null {
  let current: Node | undefined = node;
  while (current && current !== stop) {
    const parent: Node | undefined = current.parent;
    if (!parent) break;
    if (parent.type === "IfStatement" && current !== parent.test && references(parent.test, names)) return parent.test;
    if (parent.type === "ConditionalExpression" && current !== parent.test && references(parent.test, names)) return parent.test;
    if (parent.type === "SwitchCase" && parent.parent?.type === "SwitchStatement" && references(parent.parent.discriminant, names)) {
      return parent.parent.discriminant;
    }
    if (parent.type === "LogicalExpression" && current === parent.right && references(parent.left, names)) return parent.left;
    current = parent;
  }
  return null;
}

/** The catch classifies errors: it rethrows, or answers differently depending on the error. */
function classifiesErrors(clause: TSESTree.CatchClause, names: ReadonlySet<string>, file: FileContext, responders: ResponderNames): boolean {
  if (findAll(clause.body, ["ThrowStatement"], { skipFunctions: true }).length > 0) return true;
  for (const statement of findAll(clause.body, ["IfStatement", "SwitchStatement"], { skipFunctions: true })) {
    const test = statement.type === "IfStatement" ? statement.test : statement.discriminant;
    if (!references(test, names) || isSignatureErrorTest(file, test)) continue;
    const branch = statement.type === "IfStatement" ? statement.consequent : statement;
    const exits = findAll(branch, ["ReturnStatement"], { skipFunctions: true }).length > 0 || responsesIn(file, branch, responders).length > 0;
    if (exits) return true;
  }
  return false;
}

/** `err instanceof Stripe.errors.StripeSignatureVerificationError`, `err.type === "StripeSignatureVerificationError"`. */
function isSignatureErrorTest(file: FileContext, test: Node): boolean {
  return /signature|verif|WebhookVerificationError/i.test(file.text.slice(test.range[0], test.range[1]));
}

/** The catch records the failure durably: a Convex mutation or scheduled retry, a DB insert/update, a queue enqueue. */
export function recordsFailureDurably(file: FileContext, root: Node): boolean {
  for (const call of findAll(root, ["CallExpression"], { skipFunctions: true })) {
    if (isLogging(file, call)) continue;
    const convex = convexCallAt(file, call);
    if (convex) {
      if (convex.op === "mutation" || convex.op === "schedule") return true;
      continue;
    }
    if (isQueueEnqueueCall(file, call)) return true;
    const callee = unwrap(call.callee);
    if (callee.type !== "MemberExpression") continue;
    const family = sdkFamilyOf(file, callee.object);
    if (family && family !== "queue") continue;
    if (calleeSegments(callee).some((s) => /^(?:insert|create|createMany|upsert|update|updateMany|patch|replace|enqueue|publish|publishJSON)$/.test(s))) {
      return true;
    }
  }
  return false;
}

function exitsOrResponds(file: FileContext, root: Node, names: ResponderNames): boolean {
  return (
    findAll(root, ["ReturnStatement", "ThrowStatement"], { skipFunctions: true }).length > 0 || responsesIn(file, root, names).length > 0
  );
}

/**
 * The response the handler sends when control leaves `statement` normally, if it can be seen:
 * the next `return`/`res.*` send after it, climbing out of blocks, `if`s, `try`s and `switch`es
 * (not loops). Null when something in between may exit or answer first, or awaits more work.
 * With `immediate`, only the very next statement counts.
 */
function nextResponse(file: FileContext, statement: Node, fn: FunctionNode, names: ResponderNames, immediate: boolean): AckResponse | null {
  let current: Node = statement;
  for (let hops = 0; hops < 32; hops++) {
    const parent: Node | undefined = current.parent;
    if (!parent || current === fn.body) return null;
    const list = statementList(parent);
    if (!list) {
      if (
        parent.type === "IfStatement" ||
        parent.type === "TryStatement" ||
        parent.type === "CatchClause" ||
        parent.type === "SwitchStatement" ||
        parent.type === "LabeledStatement"
      ) {
        current = parent;
        continue;
      }
      return null; // loops, functions, expressions
    }
    let leftSwitch: Node | null = null;
    for (let i = list.indexOf(current) + 1; i < list.length; i++) {
      const next = list[i]!;
      if (next.type === "BreakStatement" && !next.label && parent.type === "SwitchCase") {
        leftSwitch = parent.parent ?? null;
        break;
      }
      if (next.type === "ReturnStatement") {
        const responses = next.argument ? returnedResponses(file, next.argument, names) : [];
        return responses.length === 1 ? responses[0]! : null;
      }
      if (next.type === "ExpressionStatement") {
        const response = responseAt(file, next.expression, names);
        if (response && response.form !== "web") return response;
      }
      if (immediate || next.type === "BreakStatement" || next.type === "ContinueStatement") return null;
      if (exitsOrResponds(file, next, names)) return null;
      // More awaited work before the answer: what was swallowed was a side step, not the processing.
      if (findAll(next, ["AwaitExpression"], { skipFunctions: true }).length > 0) return null;
    }
    if (immediate || parent === fn.body) return null;
    current = leftSwitch ?? (parent.type === "SwitchCase" ? (parent.parent ?? parent) : parent);
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Identity.

const IDENTITY_NAME = /^(?:(?:existing|db|app|convex|local|matched|target|found|current|stripe|clerk|our|internal)_?)?(?:user|profile|account|customer|member|owner|subscriber|tenant|org|organization|team|workspace)(?:_?(?:id|record|doc|row|data))?$/i;
const AUTH_CALLS = /^(?:auth|currentUser|getAuth|getServerSession|getSession|getServerAuthSession|getToken|getUserIdentity|validateRequest|getKindeServerSession)$/;
const IDENTITY_NOT_FOUND =
  /\b(?:user|customer|account|profile|member|organi[sz]ation|team|tenant|clerk ?user|identity)\b[^.!?]{0,40}\b(?:not found|missing|unknown|does ?n[o']t exist|not exist|no such|unresolved|not resolved|could not be (?:found|resolved))|\bno (?:such )?(?:user|customer|account)\b|\bunknown (?:user|customer|account)\b|\b(?:user|customer|account|identity)_(?:not_found|missing|unresolved|unknown)\b|\bunresolved[_ ]identity\b|\bmissing (?:clerk ?)?(?:user|customer|account)\b/i;

/** True when `subject` names the app's user/customer/account (or the id of one), not request auth. */
export function isIdentitySubject(file: FileContext, subject: Node): boolean {
  const path = memberPath(subject) ?? (lastName(subject) ? [lastName(subject)!] : []);
  const matches = path.some((name) => IDENTITY_NAME.test(name) || file.settings.identityFields.has(name));
  if (!matches) return false;
  const origin = valueOrigin(subject);
  const root = unwrapAwait(origin.root);
  if (root.type === "CallExpression") {
    const name = calleeName(root);
    if (name && AUTH_CALLS.test(name)) return false;
    if (calleeSegments(root.callee).includes("auth")) return false;
    // The sender's account looked up by its API key or bearer token authenticates the request
    // (a verified event's fields are event data, even though the verifier reads headers).
    if (verifiesValue(file, root)) return true;
    if (findAll(root, ["Identifier", "Literal"]).some((n) => CREDENTIAL_NAME.test(n.type === "Identifier" ? n.name : String(n.value)))) return false;
  }
  return true;
}

/**
 * Error codes and classes that mean "no such record": Prisma's P2025 (and P2001/P2018),
 * PostgREST's PGRST116 (`.single()` found no row), `NotFoundError`, `RecordNotFound`.
 */
const RECORD_NOT_FOUND = /\bP2025\b|\bP2001\b|\bP2018\b|\bPGRST116\b|NotFound(?:Error|Exception)|RecordNotFound|EntityNotFound|DocumentNotFound/;
const ERROR_NAME = /^(?:e|err|error|\w*Error|\w*_error)$/;

/** A test that inspects an error: `if (error)`, `if (err.code === "x")`, `if (e instanceof NotFoundError)`. */
function isErrorTest(test: Node): boolean {
  return findAll(test, ["Identifier"]).some((id) => ERROR_NAME.test(id.name) && !(id.parent?.type === "MemberExpression" && id.parent.property === id && !id.parent.computed));
}

const IDENTITY_TABLE_TOKENS = new Set(["user", "users", "profile", "profiles", "account", "accounts", "customer", "customers", "member", "members", "subscriber", "subscribers"]);

/** The `if` sits in a `catch` whose `try` reads or writes the user's row (`prisma.user.update`, `from("profiles")`). */
function failedIdentityRecordWrite(file: FileContext, statement: Node): boolean {
  let current: Node | undefined = statement.parent;
  while (current && current.type !== "CatchClause" && !isFunction(current)) current = current.parent;
  const tryStatement = current?.type === "CatchClause" ? current.parent : null;
  if (tryStatement?.type !== "TryStatement") return false;
  return ormCalls(file, tryStatement.block).some((call) => call.table !== null && nameTokens(call.table).some((t) => IDENTITY_TABLE_TOKENS.has(t)));
}

const CREDENTIAL_NAME = /^(?:authorization|x-api-key|api[-_]?key|apiKey|bearer|token|accessToken|access_token|secret|headers)$/i;

function responseText(file: FileContext, response: AckResponse): string {
  return file.text.slice(response.node.range[0], response.node.range[1]);
}

// ---------------------------------------------------------------------------------------
// Unhandled event types.

/** `event.type !== "x"`, `!["x", "y"].includes(event.type)`: true for the event types not handled. */
function isNegatedEventTest(file: FileContext, test: Node): boolean {
  const n = unwrap(test);
  if (n.type === "LogicalExpression" && n.operator === "&&") return isNegatedEventTest(file, n.left) && isNegatedEventTest(file, n.right);
  if (n.type === "BinaryExpression" && (n.operator === "!==" || n.operator === "!=")) {
    const [subject, label] = staticString(n.right) !== null ? [n.left, staticString(n.right)!] : [n.right, staticString(n.left)];
    if (label === null) return false;
    return isEventTypeExpression(file, subject) || (isProviderEventName(label) && isTypeLikeRead(subject));
  }
  if (n.type === "UnaryExpression" && n.operator === "!") {
    const inner = unwrap(n.argument);
    if (inner.type === "CallExpression" && calleeName(inner) === "includes" && inner.arguments[0] && inner.arguments[0].type !== "SpreadElement") {
      return isEventTypeExpression(file, inner.arguments[0]);
    }
  }
  return false;
}

/** `relevantEvents.has(event.type)`, `HANDLED.includes(event.type)`: true for the event types handled. */
function isMembershipEventTest(file: FileContext, test: Node): boolean {
  const n = unwrap(test);
  if (n.type !== "CallExpression") return false;
  const name = calleeName(n);
  const subject = n.arguments[0];
  if ((name !== "has" && name !== "includes") || !subject || subject.type === "SpreadElement") return false;
  return isEventTypeExpression(file, subject) || isTypeLikeRead(subject);
}

/** `x.type`, `payload.meta.event_name`: a read of an event-type-like property. */
function isTypeLikeRead(node: Node): boolean {
  const n = unwrap(node);
  return n.type === "MemberExpression" && /^(?:type|eventType|event_type|eventName|event_name)$/.test(propertyName(n) ?? "");
}

function leaves(statements: readonly TSESTree.Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return false;
  if (last.type === "BlockStatement") return leaves(last.body);
  return last.type === "ReturnStatement" || last.type === "ThrowStatement";
}

/**
 * Failure responses for event types the handler does not process: the `default:` branch or final
 * `else` of an event dispatch, the branch of `if (event.type !== "x")`, the `else` of
 * `if (relevantEvents.has(event.type))`, and the statement after an `if (event.type === "x") {
 * ...; return }` chain without `else`.
 */
function unhandledEventResponses(file: FileContext, fn: FunctionNode, names: ResponderNames): AckResponse[] {
  const out: AckResponse[] = [];
  for (const node of findAll(fn.body, ["SwitchStatement", "IfStatement"], { skipFunctions: true })) {
    const dispatch = eventDispatchAt(file, node);
    if (dispatch) {
      for (const branch of dispatch.branches) {
        if (!branch.isDefault) continue;
        for (const statement of branch.statements) out.push(...responsesIn(file, statement, names).filter((r) => isFailureStatus(r.status)));
      }
      const hasDefault = dispatch.branches.some((b) => b.isDefault);
      if (dispatch.kind === "if-chain" && !hasDefault && dispatch.branches.every((b) => leaves(b.statements))) {
        const next = nextResponse(file, node, fn, names, true);
        if (next && isFailureStatus(next.status)) out.push(next);
      }
      continue;
    }
    if (node.type !== "IfStatement") continue;
    if (isNegatedEventTest(file, node.test)) {
      out.push(...responsesIn(file, node.consequent, names).filter((r) => isFailureStatus(r.status)));
    } else if (node.alternate && node.alternate.type !== "IfStatement" && isMembershipEventTest(file, node.test)) {
      out.push(...responsesIn(file, node.alternate, names).filter((r) => isFailureStatus(r.status)));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Problems.

export type AckProblemKind =
  | "accepted-invalid-signature"
  | "signature-failure-falls-through"
  | "swallowed-failure"
  | "failure-falls-through"
  | "retry-for-unresolved-identity"
  | "retry-for-unhandled-event"
  | "unawaited-return-in-try"
  /** An App Router handler or Convex HTTP action can reach its end without returning a Response. */
  | "no-response-at-end";

export interface AckProblem {
  kind: AckProblemKind;
  /** Where to report: the response, the `catch` clause, or the returned call. */
  node: TSESTree.Node;
  /** The response whose status is wrong, when the problem is one response (not a fall-through). */
  response: AckResponse | null;
  handler: WebhookHandler;
}

/** Nodes of one type in `fn`'s own body (not in nested functions). */
function ownNodes<T extends "TryStatement" | "IfStatement" | "ReturnStatement">(fn: FunctionNode, type: T) {
  return findAll(fn.body, [type], { skipFunctions: true });
}

const PROMISE_NAME = /^(?:handle|process|dispatch|sync|fulfill|route|forward|run|execute|upsert|save|update|create|delete|insert|record|send|notify|provision|grant|revoke|apply|on[A-Z])\w*$/;

/** True when a returned call (not awaited) evaluates to a promise that may reject. */
function returnsPromise(file: FileContext, call: TSESTree.CallExpression, names: ResponderNames): boolean {
  if (responseAt(file, call, names) || isLogging(file, call)) return false;
  if (convexCallAt(file, call) || slowSideEffectAt(file, call)) return true;
  const callee = unwrap(call.callee);
  const name = calleeName(call);
  if (!name) return false;
  if (callee.type === "MemberExpression") {
    if (name === "then" || name === "catch" || name === "finally") return true;
    return calleeSegments(callee)[0] === "Promise";
  }
  if (name === "fetch") return true;
  const helper = functionOf(callee, 1);
  if (helper) return helper.async;
  const binding = file.imports.get(name);
  return !!binding && PROMISE_NAME.test(name);
}

function ackProblemsOf(file: FileContext, info: WebhookHandler): AckProblem[] {
  const out: AckProblem[] = [];
  const fn = info.handler.fn;
  const names = respondersOf(file, info.handler);
  const add = (kind: AckProblemKind, node: TSESTree.Node, response: AckResponse | null) => out.push({ kind, node, response, handler: info });

  // 1 and 2: catch clauses.
  for (const statement of ownNodes(fn, "TryStatement")) {
    const clause = statement.handler;
    if (!clause) continue;
    const verifies = verifierCalls(file, statement.block).length > 0 || containsVerification(file, statement.block);
    const processes = tryBlockProcesses(file, statement.block, names) && !isBookkeepingSideStep(file, statement, fn, names);
    if (!verifies && !processes) continue;
    const errors = errorNames(clause);
    const responses = responsesIn(file, clause.body, names);
    const signatureGuarded = responses.some((r) => {
      const guard = errorGuard(r.node, clause, errors);
      return guard !== null && isSignatureErrorTest(file, guard) && !isSuccessStatus(r.status);
    });
    const unguardedSuccess = responses.filter((r) => isSuccessStatus(r.status) && errorGuard(r.node, clause, errors) === null);
    const signatureCase = verifies && !signatureGuarded;
    if (processes && (classifiesErrors(clause, errors, file, names) || recordsFailureDurably(file, clause.body))) continue;
    if (unguardedSuccess.length > 0) {
      for (const response of unguardedSuccess) add(signatureCase ? "accepted-invalid-signature" : "swallowed-failure", response.node, response);
      continue;
    }
    if (exitsOrResponds(file, clause.body, names)) continue;
    const next = nextResponse(file, statement, fn, names, signatureCase && !processes);
    if (next && isSuccessStatus(next.status)) add(signatureCase ? "signature-failure-falls-through" : "failure-falls-through", clause, next);
  }

  // 1 (if branches) and 3.
  for (const statement of ownNodes(fn, "IfStatement")) {
    if (isVerificationFailureTest(file, statement.test, fn)) {
      for (const response of responsesIn(file, statement.consequent, names)) {
        if (isSuccessStatus(response.status)) add("accepted-invalid-signature", response.node, response);
      }
      continue;
    }
    const absent = absenceSubjects(statement.test);
    const identityAbsent = absent.some((s) => isIdentitySubject(file, s));
    const identityPresent = presenceSubjects(statement.test).some((s) => isIdentitySubject(file, s));
    const testText = file.text.slice(statement.test.range[0], statement.test.range[1]);
    const resultSaysUnresolved = IDENTITY_NOT_FOUND.test(testText);
    // `catch (e) { if (e.code === "P2025") ... }` after a write to the user's row: the row is not there.
    const recordMissing = RECORD_NOT_FOUND.test(testText);
    const identityRecordMissing = recordMissing && failedIdentityRecordWrite(file, statement);
    const branches: Node[] = [];
    if (identityAbsent || resultSaysUnresolved || absent.length > 0 || recordMissing || isErrorTest(statement.test)) branches.push(statement.consequent);
    if (identityPresent && statement.alternate) branches.push(statement.alternate);
    for (const branch of branches) {
      for (const response of responsesIn(file, branch, names)) {
        if (!isFailureStatus(response.status)) continue;
        const byName =
          (branch === statement.consequent && (identityAbsent || resultSaysUnresolved || identityRecordMissing)) ||
          (branch === statement.alternate && identityPresent);
        if (byName || IDENTITY_NOT_FOUND.test(responseText(file, response))) add("retry-for-unresolved-identity", response.node, response);
      }
    }
  }

  // 3b: a failure status for an event type the handler does not process.
  for (const response of unhandledEventResponses(file, fn, names)) add("retry-for-unhandled-event", response.node, response);

  // 5: a handler that must return a Response (App Router, Convex HTTP action) can finish without one:
  // the framework answers 500 and the provider redelivers an event that was handled.
  const mustReturn = info.handler.kind === "app-route" || info.handler.kind === "http-action";
  if (mustReturn && fn.body.type === "BlockStatement" && certainlyCompletes(fn.body.body)) add("no-response-at-end", fn.body, null);

  // 4: `try { return handle(event) } catch {}` in an async handler.
  if (fn.async) {
    for (const statement of ownNodes(fn, "TryStatement")) {
      if (!statement.handler) continue;
      for (const ret of findAll(statement.block, ["ReturnStatement"], { skipFunctions: true })) {
        if (!ret.argument) continue;
        const argument = unwrap(ret.argument);
        if (argument.type !== "CallExpression" || !returnsPromise(file, argument, names)) continue;
        // Only the innermost try matters: a return inside a nested try's block is that try's business.
        let inner: Node | undefined = ret.parent;
        while (inner && inner !== statement && inner.type !== "TryStatement") inner = inner.parent;
        if (inner !== statement && inner?.type === "TryStatement" && inner.handler && contains(inner.block, ret)) continue;
        add("unawaited-return-in-try", argument, null);
      }
    }
  }
  return out;
}

/** Every inaccurate acknowledgement in the file's webhook handlers, in source order, one per node. */
export function ackProblems(file: FileContext): readonly AckProblem[] {
  return file.memo("ack:problems", () => {
    const seen = new Set<Node>();
    const out: AckProblem[] = [];
    for (const info of webhookHandlers(file)) {
      for (const problem of ackProblemsOf(file, info)) {
        if (seen.has(problem.node)) continue;
        seen.add(problem.node);
        out.push(problem);
      }
    }
    return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
  });
}

// ---------------------------------------------------------------------------------------
// Slow work before the acknowledgement.

export interface SlowWorkBeforeAck extends SlowSideEffect {
  handler: WebhookHandler;
  /** The same-file helper the call is in, when the handler reached it through `await helper(...)`. */
  via: FunctionNode | null;
}

/** A branch that handles a failure and leaves: `catch`, or `if (!x) { ...; return }` / `if (error) { ...; throw }`. */
function inFailurePath(node: Node, fn: FunctionNode): boolean {
  let current: Node = node;
  while (current.parent && current !== fn) {
    const parent: Node = current.parent;
    if (parent.type === "CatchClause") return true;
    if (parent.type === "IfStatement" && current === parent.consequent && isFailureTest(parent.test) && endsByLeaving(parent.consequent)) {
      return true;
    }
    current = parent;
  }
  return false;
}

function isFailureTest(test: Node): boolean {
  const n = unwrap(test);
  if (absenceSubjects(n).length > 0) return true;
  const text = findAll(n, ["Identifier", "Literal"])
    .map((x) => (x.type === "Identifier" ? x.name : typeof x.value === "string" ? x.value : ""))
    .join(" ");
  return /\b(?:err|error|errors|failed|failure)\b|unresolved|not_?found|missing|invalid/i.test(text);
}

function endsByLeaving(statement: Node): boolean {
  const last = statement.type === "BlockStatement" ? statement.body[statement.body.length - 1] : statement;
  return !!last && (last.type === "ReturnStatement" || last.type === "ThrowStatement");
}

/** Top-level `res.status(200).json(...)`-style sends in a Node handler: the ack has been sent after this. */
function earlyAckEnd(file: FileContext, handler: RouteHandler): number | null {
  if (!handler.responseName || handler.fn.body.type !== "BlockStatement") return null;
  const names = respondersOf(file, handler);
  for (const statement of handler.fn.body.body) {
    const expression = statement.type === "ExpressionStatement" ? statement.expression : statement.type === "ReturnStatement" ? statement.argument : null;
    if (!expression) continue;
    const response = responseAt(file, expression, names);
    if (response && response.form === "node" && isSuccessStatus(response.status)) return statement.range[1];
  }
  return null;
}

/**
 * Slow side effects (email, AI, third-party HTTP writes, provider API writes, Convex actions) a
 * webhook handler awaits before it answers, directly or in a same-file helper it awaits. Work in
 * `after()`/`waitUntil()` callbacks, un-awaited promises, error and failure branches that leave,
 * and (Pages/Express) work after an early `res.status(200)` are not included.
 */
export function slowWorkBeforeAck(file: FileContext): readonly SlowWorkBeforeAck[] {
  return file.memo("ack:slow-work", () => {
    const out: SlowWorkBeforeAck[] = [];
    const seen = new Set<Node>();
    for (const info of webhookHandlers(file)) {
      const fn = info.handler.fn;
      const ackEnd = earlyAckEnd(file, info.handler);
      for (const { call, via, site } of awaitedCalls(fn, 1)) {
        if (seen.has(call)) continue;
        const slow = slowSideEffectAt(file, call);
        if (!slow) continue;
        if (ackEnd !== null && site.range[0] >= ackEnd) continue;
        if (inFailurePath(site, fn) || (via && inFailurePath(call, via))) continue;
        seen.add(call);
        out.push({ ...slow, handler: info, via });
      }
    }
    return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
  });
}
