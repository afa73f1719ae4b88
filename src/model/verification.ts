/**
 * Signature verification inside webhook handlers: where a handler reads the request body,
 * what verifies it (a provider SDK, a hand-written HMAC that is compared, a helper it hands
 * the body and signature to, a shared-secret header check), what the verified payload was
 * made from (raw text, a parsed object, `JSON.stringify` of one, a Pages Router `req.body`),
 * what the handler did with the body before verifying, which provider the handler serves,
 * the runtime a verification runs in, and how many secrets a verification accepts.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  boundNames,
  calleeName,
  calleeSegments,
  contains,
  enclosingFunction,
  findAll,
  isEqualityOperator,
  isFunction,
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
import { hmacComputations, isConstantTimeCompareCall, type HmacComputation } from "./compare.js";
import { convexCallAt, convexFunctions, DB_WRITE_METHODS, enclosingConvexFunction } from "./convex.js";
import { hasDirective, isAppRouteFile, isConvexFolderFile, isPagesApiFile, type FileContext } from "./file.js";
import { declaredRuntimes, EDGE_RUNTIMES, functionOf, requestMethodCall, segmentConfigExports, type RouteHandler } from "./routes.js";
import { resolveName } from "./scope.js";
import { envObjectKind, envReadAt, envReads, isSecretLikeName } from "./secrets.js";
import { verifierCalls, webhookHandlers, type VerifierCall, type VerifierKind, type WebhookHandler } from "./webhook.js";

// ---------------------------------------------------------------------------------------
// Small helpers

function byPosition(a: { node: Node }, b: { node: Node }): number {
  return a.node.range[0] - b.node.range[0];
}

function programOf(node: Node): TSESTree.Program | null {
  let current: Node | undefined = node;
  while (current && current.type !== "Program") current = current.parent;
  return current ?? null;
}

/** True when an Identifier node is a reference to a variable (not a property key or member name). */
function isReference(node: TSESTree.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return true;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  // In `{ body }` the key and the value are separate nodes: only the value is a reference.
  if (parent.type === "Property" && parent.key === node && parent.value !== node && !parent.computed) return false;
  if ((parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === node) return false;
  return true;
}

/** True when `expression` contains a node `isSource` accepts or a reference to one of `names`. */
function mentions(expression: Node, names: ReadonlySet<string>, isSource?: (node: Node) => boolean): boolean {
  let found = false;
  walk(expression, (node) => {
    if (found) return false;
    if (isSource?.(node)) {
      found = true;
      return false;
    }
    if (node.type === "Identifier" && names.has(node.name) && isReference(node)) {
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

/**
 * Names in `root` whose values derive from a node `isSource` accepts: declarators and plain
 * assignments whose right-hand side mentions a source or an already-derived name, in source
 * order (one pass, so `const a = src; const b = a.x` taints both).
 */
export function derivedNames(root: Node, isSource: (node: Node) => boolean, seed: Iterable<string> = []): Set<string> {
  const names = new Set(seed);
  for (const node of findAll(root, ["VariableDeclarator", "AssignmentExpression"])) {
    if (node.type === "VariableDeclarator" && node.init && mentions(node.init, names, isSource)) {
      for (const name of boundNames(node.id)) names.add(name);
    } else if (node.type === "AssignmentExpression" && mentions(node.right, names, isSource)) {
      for (const name of boundNames(node.left)) names.add(name);
    }
  }
  return names;
}

function isIdentifierNamed(node: Node | null | undefined, name: string | null): boolean {
  if (!node || !name) return false;
  const n = unwrap(node);
  return n.type === "Identifier" && n.name === name;
}

function sourceText(file: FileContext, node: Node): string {
  return file.text.slice(node.range[0], node.range[1]);
}

/** The earliest of `nodes` in source order. */
function firstNode(nodes: readonly (Node | null)[]): Node | null {
  let best: Node | null = null;
  for (const node of nodes) if (node && (!best || node.range[0] < best.range[0])) best = node;
  return best;
}

// ---------------------------------------------------------------------------------------
// Body reads

export type BodyReadKind =
  | "json"
  | "text"
  | "arrayBuffer"
  | "formData"
  | "blob"
  | "bytes"
  | "body"
  | "raw-helper"
  | "parsed-helper"
  | "stream";

export interface BodyRead {
  /** `req.json()`, `req.text()`, `req.body`, `buffer(req)`, the `req` of `for await (... of req)`. */
  node: Node;
  kind: BodyReadKind;
  /** The read yields a parsed object (`req.json()`, `req.formData()`, micro's `json(req)`), not the bytes. */
  parsed: boolean;
}

const REQUEST_BODY_METHODS = new Set(["json", "text", "arrayBuffer", "formData", "blob", "bytes"]);
/** Functions that read a Node request stream into raw bytes or text (`micro`, `raw-body`, hand-written). */
const RAW_BODY_HELPERS =
  /^(?:buffer|rawBody|getRawBody|getRawBodyBuffer|readRawBody|rawBodyBuffer|readRawBodyBuffer|streamToBuffer|streamToString|readableStreamToBuffer|readBody|getBody|text)$/;
/** Functions that read a Node request stream and parse it (micro's `json(req)`). */
const PARSED_BODY_HELPERS = /^(?:json|parseBody|getJsonBody|readJson|readJsonBody)$/;

/** Where `fn` reads the body of the request held in `requestName`. */
export function requestBodyReads(fn: Node, requestName: string | null): BodyRead[] {
  if (!requestName) return [];
  const out: BodyRead[] = [];
  walk(fn, (node) => {
    if (node.type === "CallExpression") {
      const method = requestMethodCall(node, requestName);
      if (method && REQUEST_BODY_METHODS.has(method)) {
        out.push({ node, kind: method as BodyReadKind, parsed: method === "json" || method === "formData" });
        return false;
      }
      const callee = unwrap(node.callee);
      if (callee.type === "Identifier" && isIdentifierNamed(node.arguments[0], requestName)) {
        if (RAW_BODY_HELPERS.test(callee.name)) {
          out.push({ node, kind: "raw-helper", parsed: false });
          return false;
        }
        if (PARSED_BODY_HELPERS.test(callee.name)) {
          out.push({ node, kind: "parsed-helper", parsed: true });
          return false;
        }
      }
    } else if (node.type === "MemberExpression") {
      if (isIdentifierNamed(node.object, requestName) && propertyName(node) === "body") {
        out.push({ node, kind: "body", parsed: false });
        return false;
      }
    } else if (node.type === "ForOfStatement" && node.await && isIdentifierNamed(node.right, requestName)) {
      out.push({ node: node.right, kind: "stream", parsed: false });
    }
    return true;
  });
  return out.sort(byPosition);
}

/** A call in a handler to a same-file function that receives the request (`await readEvent(req)`). */
export interface RequestHelperCall {
  call: TSESTree.CallExpression;
  helper: FunctionNode;
  /** The helper's parameter that receives the request. */
  requestName: string;
}

function requestHelperCalls(fn: FunctionNode, requestName: string | null): RequestHelperCall[] {
  if (!requestName) return [];
  const out: RequestHelperCall[] = [];
  for (const call of findAll(fn, ["CallExpression"])) {
    if (unwrap(call.callee).type !== "Identifier") continue;
    const index = call.arguments.findIndex((arg) => isIdentifierNamed(arg, requestName));
    if (index < 0) continue;
    const helper = functionOf(call.callee, 1);
    if (!helper || contains(helper, call)) continue;
    const param = helper.params[index];
    const name =
      param?.type === "Identifier" ? param.name : param?.type === "AssignmentPattern" && param.left.type === "Identifier" ? param.left.name : null;
    if (name) out.push({ call, helper, requestName: name });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Header reads

export interface HeaderRead {
  node: Node;
  /** Lower-case header name; null when the whole headers object is read. */
  name: string | null;
}

const HEADERS_VARIABLE = /^(?:h|hdrs|headers|headersList|headerList|headerStore|headersStore|headerBag|reqHeaders|requestHeaders|allHeaders)$/;

function isHeadersObject(node: Node, depth = 2): boolean {
  const n = unwrapAwait(node);
  if (n.type === "MemberExpression") return propertyName(n) === "headers";
  if (n.type === "CallExpression") return calleeName(n) === "headers" && unwrap(n.callee).type === "Identifier";
  if (n.type === "Identifier") {
    if (HEADERS_VARIABLE.test(n.name)) return true;
    // `const headerPayload = request.headers` / `= await headers()`.
    const binding = resolveName(n.name, n);
    if (depth > 0 && binding?.kind === "variable" && binding.init && binding.path.length === 0) return isHeadersObject(binding.init, depth - 1);
  }
  return false;
}

const headerReadCache = new WeakMap<Node, readonly HeaderRead[]>();

/**
 * Header reads under `root`: `req.headers.get("x")`, `(await headers()).get("x")`, `req.headers["x"]`, `req.headers`.
 * Memoised by root (a handler is asked by several rules and models; the tree does not change).
 */
export function headerReads(root: Node): readonly HeaderRead[] {
  let reads = headerReadCache.get(root);
  if (!reads) {
    reads = collectHeaderReads(root);
    headerReadCache.set(root, reads);
  }
  return reads;
}

function collectHeaderReads(root: Node): HeaderRead[] {
  const out: HeaderRead[] = [];
  walk(root, (node) => {
    if (node.type === "CallExpression") {
      const callee = unwrap(node.callee);
      const method = calleeName(node);
      if (callee.type === "MemberExpression" && (method === "get" || method === "header")) {
        const name = staticString(node.arguments[0]);
        const object = unwrap(callee.object);
        const expressRequest = object.type === "Identifier" && /^(?:req|request)$/.test(object.name);
        if (name !== null && (isHeadersObject(object) || expressRequest)) {
          out.push({ node, name: name.toLowerCase() });
          return false;
        }
      }
    } else if (node.type === "MemberExpression" && propertyName(node) === "headers") {
      const parent = node.parent;
      if (parent?.type === "MemberExpression" && parent.object === node) {
        const grand = parent.parent;
        const calledMethod = grand?.type === "CallExpression" && grand.callee === parent;
        const name = propertyName(parent);
        if (!calledMethod) {
          if (name !== null) out.push({ node: parent, name: name.toLowerCase() });
          return false;
        }
        // `req.headers.entries()`, `.forEach(...)`: the whole headers object (`.get("x")` is read above).
        if (name !== "get" && name !== "has" && name !== "header") out.push({ node: grand, name: null });
        return true;
      }
      out.push({ node, name: null });
      return false;
    }
    return true;
  });
  return out.sort(byPosition);
}

/** Header names that carry a webhook signature or the metadata it signs (`svix-id`, `webhook-timestamp`). */
function isSignedHeaderName(name: string): boolean {
  return /signature|^svix-|^webhook-(?:id|timestamp)$|hmac/i.test(name);
}

// ---------------------------------------------------------------------------------------
// Hand-written HMAC verification

export interface HmacVerification {
  hmac: HmacComputation;
  /** The data that was signed (`.update(data)`, `subtle.sign(_, _, data)`), when visible. */
  data: Node | null;
  /** The HMAC key (`createHmac(alg, key)`, `subtle.verify(_, key, ...)`), when visible. */
  key: Node | null;
  /** The comparison that decides: `a !== b`, `timingSafeEqual(a, b)`, `subtle.verify(...)`. */
  compare: Node;
  constantTime: boolean;
}

const COMPARE_METHODS = new Set(["equals", "includes", "compare"]);

function comparisonIn(scope: Node, names: ReadonlySet<string>, isSource: (node: Node) => boolean): { node: Node; constantTime: boolean } | null {
  let found: { node: Node; constantTime: boolean } | null = null;
  walk(scope, (node) => {
    if (found) return false;
    if (node.type === "BinaryExpression" && isEqualityOperator(node.operator)) {
      if (mentions(node.left, names, isSource) || mentions(node.right, names, isSource)) {
        found = { node, constantTime: false };
        return false;
      }
    } else if (node.type === "CallExpression") {
      const constantTime = isConstantTimeCompareCall(node);
      const name = calleeName(node);
      if (constantTime || (name && COMPARE_METHODS.has(name))) {
        const callee = unwrap(node.callee);
        const receiver = callee.type === "MemberExpression" ? callee.object : null;
        const args = node.arguments.some((arg) => mentions(arg, names, isSource));
        if (args || (receiver && !constantTime && mentions(receiver, names, isSource))) {
          found = { node, constantTime };
          return false;
        }
      }
    }
    return true;
  });
  return found;
}

function returnsValue(fn: FunctionNode, names: ReadonlySet<string>, isSource: (node: Node) => boolean): boolean {
  if (fn.body.type !== "BlockStatement") return mentions(fn.body, names, isSource);
  let found = false;
  walk(
    fn.body,
    (node) => {
      if (found) return false;
      if (node.type === "ReturnStatement" && node.argument && mentions(node.argument, names, isSource)) found = true;
      return true;
    },
    { skipFunctions: true },
  );
  return found;
}

function updateData(scope: Node, names: ReadonlySet<string>): Node | null {
  for (const call of findAll(scope, ["CallExpression"])) {
    if (calleeName(call) !== "update") continue;
    const callee = unwrap(call.callee);
    if (callee.type === "MemberExpression" && mentions(callee.object, names)) return call.arguments[0] ?? null;
  }
  return null;
}

/**
 * Hand-written HMAC checks under `root`: an HMAC computation whose result is compared
 * (`===`, `timingSafeEqual`, `.equals`, `.includes`), or `crypto.subtle.verify("HMAC", ...)`.
 * The comparison may sit in the function that computes the HMAC or, when that function
 * returns it, in a same-file caller. HMACs that are only computed (to sign an outgoing
 * request) are not verifications.
 */
export function hmacVerifications(root: Node): HmacVerification[] {
  const out: HmacVerification[] = [];
  const program = programOf(root);
  for (const hmac of hmacComputations(root)) {
    if (hmac.kind === "subtle-verify") {
      out.push({ hmac, data: hmac.data, key: hmac.key, compare: hmac.node, constantTime: true });
      continue;
    }
    const isSource = (node: Node) => node === hmac.node;
    const scope: Node = enclosingFunction(hmac.node) ?? program ?? root;
    const names = derivedNames(scope, isSource);
    const data = hmac.data ?? updateData(scope, names);
    let compare = comparisonIn(scope, names, isSource);
    if (!compare && isFunction(scope) && program && returnsValue(scope, names, isSource)) {
      for (const call of findAll(program, ["CallExpression"])) {
        if (contains(scope, call) || functionOf(call.callee, 1) !== scope) continue;
        const callerScope: Node = enclosingFunction(call) ?? program;
        const isCall = (node: Node) => node === call;
        compare = comparisonIn(callerScope, derivedNames(callerScope, isCall), isCall);
        if (compare) break;
      }
    }
    if (compare) out.push({ hmac, data, key: hmac.key, compare: compare.node, constantTime: compare.constantTime });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Webhook providers

export type WebhookProvider = "stripe" | "clerk" | "polar" | "lemon-squeezy" | "paddle" | "better-auth-sync" | "svix";

export const PROVIDER_LABELS: Record<WebhookProvider, string> = {
  stripe: "Stripe",
  clerk: "Clerk",
  polar: "Polar",
  "lemon-squeezy": "Lemon Squeezy",
  paddle: "Paddle",
  "better-auth-sync": "Better Auth sync",
  svix: "Svix",
};

const PROVIDER_TOKENS = lookupTable<WebhookProvider>({
  stripe: "stripe",
  clerk: "clerk",
  polar: "polar",
  lemonsqueezy: "lemon-squeezy",
  lemon: "lemon-squeezy",
  paddle: "paddle",
  svix: "svix",
});

/** Services whose webhooks this project does not check (unless `settings.webhook.verifiers` is set). */
const OTHER_SERVICES = new Set([
  "github",
  "gitlab",
  "slack",
  "resend",
  "twilio",
  "sendgrid",
  "postmark",
  "mailgun",
  "shopify",
  "discord",
  "telegram",
  "linear",
  "vercel",
  "supabase",
  "qstash",
  "upstash",
  "inngest",
  "trigger",
  "calendly",
  "typeform",
  "zoom",
  "hubspot",
  "intercom",
  "sentry",
  "mux",
  "uploadthing",
  "replicate",
  "plaid",
  "paypal",
  "razorpay",
  "mollie",
  "coinbase",
  "whatsapp",
  "docusign",
  "mailchimp",
  "loops",
  "knock",
  "novu",
  "liveblocks",
  "pusher",
  "livekit",
  "vapi",
  "retell",
  "twitch",
  "square",
  "cal",
  // Auth providers whose user.* events look like Clerk's but are signed their own way.
  "kinde",
  "workos",
  "auth0",
  "stytch",
  "descope",
  "propelauth",
  "frontegg",
  "firebase",
]);

function providerOfModule(source: string): WebhookProvider | null {
  if (source === "stripe" || source.startsWith("@stripe/")) return "stripe";
  if (source.startsWith("@clerk/")) return "clerk";
  if (source.startsWith("@polar-sh/")) return "polar";
  if (source.startsWith("@lemonsqueezy/")) return "lemon-squeezy";
  if (source.startsWith("@paddle/")) return "paddle";
  if (source === "better-auth-sync" || source.startsWith("better-auth-sync/")) return "better-auth-sync";
  if (source === "svix" || source === "standardwebhooks") return "svix";
  return null;
}

function otherServiceOfModule(source: string): string | null {
  if (source.startsWith("@octokit/")) return "github";
  if (source.startsWith("@slack/")) return "slack";
  if (source === "twilio") return "twilio";
  if (source.startsWith("@shopify/")) return "shopify";
  if (source === "@upstash/qstash" || source.startsWith("@upstash/qstash/")) return "qstash";
  if (source === "inngest" || source.startsWith("inngest/")) return "inngest";
  if (source.startsWith("@trigger.dev/")) return "trigger";
  if (source.startsWith("@kinde-oss/") || source.startsWith("@kinde/")) return "kinde";
  if (source.startsWith("@workos-inc/")) return "workos";
  if (source === "auth0" || source.startsWith("@auth0/")) return "auth0";
  return null;
}

/** Env vars of out-of-scope services (`KINDE_ISSUER_URL`, `WORKOS_WEBHOOK_SECRET`). */
function otherServiceOfEnvName(name: string): string | null {
  const match = /^(KINDE|WORKOS|AUTH0|STYTCH|DESCOPE|PROPELAUTH|FRONTEGG)_/.exec(name.toUpperCase());
  return match ? match[1]!.toLowerCase() : null;
}

function providerOfHeader(name: string): WebhookProvider | null {
  if (name === "stripe-signature") return "stripe";
  if (name.startsWith("svix-") || /^webhook-(?:id|timestamp|signature)$/.test(name)) return "svix";
  if (name.startsWith("clerk-")) return "clerk";
  if (name === "paddle-signature") return "paddle";
  if (name === "x-event-name" || name === "x-signature") return "lemon-squeezy";
  if (name.startsWith("polar-")) return "polar";
  return null;
}

function otherServiceOfHeader(name: string): string | null {
  if (/^x-(?:hub-signature|github-)/.test(name)) return "github";
  if (name.startsWith("x-gitlab-")) return "gitlab";
  if (name.startsWith("x-slack-")) return "slack";
  if (name === "x-twilio-signature") return "twilio";
  if (name.startsWith("x-shopify-")) return "shopify";
  if (name === "upstash-signature") return "qstash";
  if (name === "x-signature-ed25519" || name === "x-signature-timestamp") return "discord";
  if (name.startsWith("x-telegram-")) return "telegram";
  if (name === "linear-signature") return "linear";
  if (name === "x-vercel-signature") return "vercel";
  if (name === "typeform-signature") return "typeform";
  if (name.startsWith("x-cal-")) return "cal";
  if (name.startsWith("x-zm-")) return "zoom";
  if (name.startsWith("x-twilio-email-event-webhook")) return "sendgrid";
  if (name.startsWith("x-mailgun")) return "mailgun";
  return null;
}

function providerOfEnvName(name: string): WebhookProvider | null {
  const upper = name.toUpperCase();
  if (upper.startsWith("STRIPE_")) return "stripe";
  if (upper.startsWith("CLERK_")) return "clerk";
  if (upper.startsWith("POLAR_")) return "polar";
  if (/^LEMON_?SQUEEZY_/.test(upper)) return "lemon-squeezy";
  if (upper.startsWith("PADDLE_")) return "paddle";
  if (upper.startsWith("SVIX_")) return "svix";
  return null;
}

function providerOfVerifier(kind: VerifierKind): WebhookProvider | null {
  switch (kind) {
    case "stripe":
    case "stripe-async":
      return "stripe";
    case "clerk":
      return "clerk";
    case "polar":
      return "polar";
    case "paddle":
      return "paddle";
    case "better-auth-sync":
      return "better-auth-sync";
    case "svix":
    case "standardwebhooks":
      return "svix";
    default:
      return null;
  }
}

function pathTokens(path: string): string[] {
  const tokens = path
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // `lemon-squeezy` / `lemon_squeezy` split into two tokens.
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === "lemon" && tokens[i + 1] === "squeezy") {
      out.push("lemonsqueezy");
      i++;
    } else {
      out.push(tokens[i]!);
    }
  }
  return out;
}

export interface ProviderEvidence {
  /** Providers pointed at by the handler's verifier, headers, path, env vars and imports, strongest first. */
  providers: WebhookProvider[];
  /** Out-of-scope services (GitHub, Slack, Resend, Twilio, ...) pointed at by the path, headers or receiver SDKs. */
  others: string[];
}

/** Identifiers referenced in `fn` that resolve to module-level declarations or imports. */
function moduleLevelInputs(file: FileContext, fn: Node): { inits: Node[]; sources: string[] } {
  const inits: Node[] = [];
  const sources: string[] = [];
  const seen = new Set<string>();
  for (const node of findAll(fn, ["Identifier"])) {
    if (!isReference(node) || seen.has(node.name)) continue;
    seen.add(node.name);
    const imported = file.imports.get(node.name);
    const binding = resolveName(node.name, node);
    if (!binding && imported) {
      sources.push(imported.source);
      continue;
    }
    if (binding?.kind === "variable" && binding.init && binding.declarator.parent?.parent?.type === "Program") inits.push(binding.init);
    if (binding?.kind === "variable" && binding.declarator.parent?.parent?.type === "ExportNamedDeclaration") {
      if (binding.init) inits.push(binding.init);
    }
  }
  return { inits, sources };
}

/** Which provider a webhook handler serves, from the strongest evidence down. */
export function providerEvidence(file: FileContext, info: WebhookHandler): ProviderEvidence {
  return file.memoAt(info.handler.fn, "verification:provider", () => {
    const ranked: WebhookProvider[] = [];
    const add = (provider: WebhookProvider | null) => {
      if (provider && !ranked.includes(provider)) ranked.push(provider);
    };
    const others = new Set<string>();
    const handler = info.handler;
    for (const verifier of info.verifiers) add(providerOfVerifier(verifier.kind));
    const roots: Node[] = [handler.fn, ...requestHelperCalls(handler.fn, handler.requestName).map((h) => h.helper)];
    const { inits, sources } = moduleLevelInputs(file, handler.fn);
    for (const root of [...roots, ...inits]) {
      for (const read of headerReads(root)) {
        if (read.name === null) continue;
        add(providerOfHeader(read.name));
        const other = otherServiceOfHeader(read.name);
        if (other) others.add(other);
      }
    }
    const path = handler.routePath !== null ? `${handler.routePath} ${handler.name ?? ""}` : `${file.path} ${handler.name ?? ""}`;
    for (const token of pathTokens(path)) {
      add(PROVIDER_TOKENS[token] ?? null);
      if (OTHER_SERVICES.has(token)) others.add(token);
    }
    const envNames: string[] = [];
    for (const root of [...roots, ...inits]) for (const read of envReads(file, root)) envNames.push(read.name);
    // Webhook secrets first: a Clerk handler that also reads STRIPE_SECRET_KEY is still Clerk's.
    for (const name of envNames) if (/WEBHOOK|SIGNING/i.test(name)) add(providerOfEnvName(name));
    const single = webhookHandlers(file).length === 1;
    const moduleSources = single ? [...file.importSources] : sources;
    for (const source of moduleSources) {
      add(providerOfModule(source));
      const other = otherServiceOfModule(source);
      if (other) others.add(other);
    }
    for (const name of envNames) {
      add(providerOfEnvName(name));
      const other = otherServiceOfEnvName(name);
      if (other) others.add(other);
    }
    return { providers: ranked, others: [...others] };
  });
}

// ---------------------------------------------------------------------------------------
// What verifies a handler

export type VerificationSite =
  | { kind: "sdk"; node: TSESTree.CallExpression; verifier: VerifierCall }
  | { kind: "hmac"; node: Node; hmac: HmacVerification }
  | {
      kind: "delegated";
      node: TSESTree.CallExpression;
      /** The call also receives the request itself, its headers or its signature. */
      withSignature: boolean;
    }
  /** The handler is wrapped by a function that verifies (`export const POST = verifySignatureAppRouter(async (req) => ...)`). */
  | { kind: "wrapped"; node: TSESTree.CallExpression }
  /** The event is fetched again from the provider's API by the id in the body (`stripe.events.retrieve(body.id)`). */
  | { kind: "refetch"; node: TSESTree.CallExpression }
  | { kind: "shared-secret"; node: Node }
  /**
   * The body is a signed JWT verified with a key (`jwt.verify(await req.text(), key)` from
   * `jsonwebtoken`, `jwtVerify` from `jose`): how Kinde signs its webhooks. Nothing in it needs
   * the raw bytes beyond the token itself.
   */
  | { kind: "jwt"; node: TSESTree.CallExpression };

export interface HandlerVerification {
  info: WebhookHandler;
  /** Body reads in the handler, and calls of same-file helpers that read the body from the request. */
  bodyReads: BodyRead[];
  /** Names in the handler bound to the body or values derived from it. */
  bodyNames: ReadonlySet<string>;
  /** True for nodes that read the body (including calls of body-reading helpers). */
  isBodySource: (node: Node) => boolean;
  sites: VerificationSite[];
  /** The earliest verification, as a node inside the handler (a helper's verification maps to the call of the helper). */
  anchor: Node | null;
}

const DELEGATE_NAME = /verif|valid|construct|authenticat/i;
const NOT_A_WEBHOOK_CHECK =
  /email|password|passwd|jwt|token|session|schema|captcha|turnstile|otp|phone|input|form|param|query|cookie|csrf|origin|address|user|auth(?!entic)/i;

/** A module of the project itself (relative, `@/`, `~/`, `#`), not a package. */
export function isProjectModule(source: string): boolean {
  return /^(?:\.{1,2}\/|@\/|~\/|#|src\/|lib\/|app\/|server\/|utils\/)/.test(source);
}

function importSourceOfCallee(file: FileContext, callee: Node): string | null {
  const n = unwrap(callee);
  const root = n.type === "Identifier" ? n : n.type === "MemberExpression" ? unwrap(calleeSegmentsRoot(n)) : null;
  if (!root || root.type !== "Identifier") return null;
  if (resolveName(root.name, root)) return null;
  return file.imports.get(root.name)?.source ?? null;
}

function calleeSegmentsRoot(member: TSESTree.MemberExpression): Node {
  let current: Node = member;
  while (current.type === "MemberExpression") current = unwrap(current.object);
  return current;
}

function isLoggerCall(file: FileContext, call: TSESTree.CallExpression): boolean {
  const segments = calleeSegments(call.callee);
  return segments.length > 0 && file.settings.loggers.has(segments[0]!);
}

const BUILTIN_ROOTS = new Set(["JSON", "Object", "Array", "Buffer", "String", "Number", "Response", "NextResponse", "Promise", "Math", "console"]);

/** Maps a node to the node inside `fn` that runs it: itself, or the call of the same-file helper it lives in. */
function anchorIn(fn: FunctionNode, node: Node): Node | null {
  if (contains(fn, node)) return node;
  for (const call of findAll(fn, ["CallExpression"])) {
    const helper = functionOf(call.callee, 1);
    if (helper && !contains(helper, call) && contains(helper, node)) return call;
  }
  return null;
}

/** Everything the model can see about how a webhook handler verifies its body. */
export function handlerVerification(file: FileContext, info: WebhookHandler): HandlerVerification {
  return file.memoAt(info.handler.fn, "verification:handler", () => computeHandlerVerification(file, info));
}

function computeHandlerVerification(file: FileContext, info: WebhookHandler): HandlerVerification {
  const { fn, requestName } = info.handler;
  const reads = requestBodyReads(fn, requestName);
  const readNodes = new Set<Node>(reads.map((r) => r.node));
  const helperCalls = requestHelperCalls(fn, requestName).filter(
    (h) => !readNodes.has(h.call) && requestBodyReads(h.helper, h.requestName).length > 0,
  );
  const bodyReads: BodyRead[] = [
    ...reads,
    ...helperCalls.map((h) => {
      const inner = requestBodyReads(h.helper, h.requestName);
      return { node: h.call, kind: inner[0]!.kind, parsed: inner.some((r) => r.parsed) } satisfies BodyRead;
    }),
  ].sort(byPosition);
  const bodySourceNodes = new Set<Node>(bodyReads.map((r) => r.node));
  const isBodySource = (node: Node) => bodySourceNodes.has(node);
  const bodyNames = derivedNames(fn, isBodySource);

  const headers = headerReads(fn);
  const signatureNodes = new Set<Node>(headers.filter((h) => h.name === null || isSignedHeaderName(h.name)).map((h) => h.node));
  const isSignatureSource = (node: Node) => signatureNodes.has(node);
  const signatureNames = derivedNames(fn, isSignatureSource);
  const headerNodes = new Set<Node>(headers.map((h) => h.node));
  const isHeaderSource = (node: Node) => headerNodes.has(node) || isQueryRead(node, requestName);
  const headerNames = derivedNames(fn, isHeaderSource);

  const sites: VerificationSite[] = [];
  const wrapper = verifyingWrapper(fn);
  if (wrapper) sites.push({ kind: "wrapped", node: wrapper });
  for (const verifier of info.verifiers) sites.push({ kind: "sdk", node: verifier.node, verifier });
  const hmacRoots: Node[] = [fn];
  for (const call of findAll(fn, ["CallExpression"])) {
    const helper = functionOf(call.callee, 1);
    if (helper && !contains(helper, call) && !hmacRoots.includes(helper)) hmacRoots.push(helper);
  }
  const seenHmac = new Set<Node>();
  for (const root of hmacRoots) {
    for (const hmac of hmacVerifications(root)) {
      if (seenHmac.has(hmac.hmac.node)) continue;
      seenHmac.add(hmac.hmac.node);
      sites.push({ kind: "hmac", node: hmac.compare, hmac });
    }
  }
  for (const call of findAll(fn, ["CallExpression"])) {
    const token = call.arguments[0];
    if (token && isJwtVerifyCall(file, call) && isRawBodyValue(token, bodyReads)) sites.push({ kind: "jwt", node: call });
  }
  const siteCalls = new Set<Node>(sites.map((s) => s.node));
  for (const call of findAll(fn, ["CallExpression"])) {
    if (siteCalls.has(call) || bodySourceNodes.has(call) || isLoggerCall(file, call) || isConstantTimeCompareCall(call)) continue;
    if (COMPARE_METHODS.has(calleeName(call) ?? "")) continue;
    const segments = calleeSegments(call.callee);
    if (segments[0] && BUILTIN_ROOTS.has(segments[0])) continue;
    const args = call.arguments;
    const passesBody = args.some((arg) => mentions(arg, bodyNames, isBodySource) || isIdentifierNamed(arg, requestName));
    const passesSignature = args.some((arg) => mentions(arg, signatureNames, isSignatureSource) || isIdentifierNamed(arg, requestName));
    const passesHeaders = passesSignature || args.some((arg) => mentions(arg, headerNames, isHeaderSource));
    const name = calleeName(call);
    const source = importSourceOfCallee(file, call.callee);
    if (source !== null && /^(?:node:|crypto$|buffer$)/.test(source)) continue;
    const namedVerifier =
      name !== null &&
      DELEGATE_NAME.test(name) &&
      !NOT_A_WEBHOOK_CHECK.test(name) &&
      source !== null &&
      (isProjectModule(source) || /webhook|signature/i.test(name));
    if (isEventRefetch(call) && passesBody) {
      sites.push({ kind: "refetch", node: call });
    } else if (namedVerifier && (passesBody || passesHeaders)) {
      sites.push({ kind: "delegated", node: call, withSignature: passesSignature });
    } else if (passesBody && passesSignature && !args.every((arg) => isIdentifierNamed(arg, requestName))) {
      // Hands the body and the signature on together (`ctx.runAction(internal.stripe.fulfill, { payload, signature })`).
      sites.push({ kind: "delegated", node: call, withSignature: true });
    }
  }
  for (const compare of sharedSecretChecks(file, fn, headerNames, isHeaderSource)) {
    if (!sites.some((s) => s.kind === "hmac" && contains(s.node, compare))) sites.push({ kind: "shared-secret", node: compare });
  }
  const anchor = firstNode(sites.filter((s) => s.kind !== "shared-secret").map((s) => anchorIn(fn, s.node)));
  return { info, bodyReads, bodyNames, isBodySource, sites: sites.sort(byPosition), anchor };
}

/** `node` is the raw body itself (`await req.text()`, a `const` holding it, `.trim()`/`String()` of it), not a field of a parsed one. */
function isRawBodyValue(node: Node, reads: readonly BodyRead[], hops = 4): boolean {
  if (hops < 0) return false;
  const n = unwrapAwait(node);
  const read = reads.find((r) => r.node === n);
  if (read) return !read.parsed && read.kind !== "body";
  if (n.type === "Identifier") {
    const binding = resolveName(n.name, n);
    return binding?.kind === "variable" && !!binding.init && binding.path.length === 0 && isRawBodyValue(binding.init, reads, hops - 1);
  }
  if (n.type === "CallExpression") {
    const name = calleeName(n);
    const callee = unwrap(n.callee);
    if ((name === "trim" || name === "toString") && callee.type === "MemberExpression") return isRawBodyValue(callee.object, reads, hops - 1);
    if (name === "String" && n.arguments[0]) return isRawBodyValue(n.arguments[0], reads, hops - 1);
  }
  return false;
}

const JWT_MODULES = /^(?:jsonwebtoken|jose|@tsndr\/cloudflare-worker-jwt|hono\/jwt|@hono\/jwt)$/;
const JOSE_VERIFIERS = new Set(["jwtVerify", "compactVerify", "flattenedVerify", "generalVerify"]);

/** `jwt.verify(token, key)` (jsonwebtoken), `jwtVerify(token, key)` / `jose.jwtVerify(...)` (jose): a signature check of a JWT. */
function isJwtVerifyCall(file: FileContext, call: TSESTree.CallExpression): boolean {
  const name = calleeName(call);
  if (!name || call.arguments.length < 2) return false;
  if (JOSE_VERIFIERS.has(name)) return true;
  if (name !== "verify") return false;
  const callee = unwrap(call.callee);
  const root = callee.type === "Identifier" ? callee : callee.type === "MemberExpression" ? unwrap(calleeSegmentsRoot(callee)) : null;
  if (!root || root.type !== "Identifier") return false;
  const source = file.imports.get(root.name)?.source;
  return source !== undefined ? JWT_MODULES.test(source) : /^(?:jwt|jsonwebtoken|jose)$/i.test(root.name);
}

const WRAPPER_NAME = /verif|signature|signed|webhook/i;

/** The call that wraps the handler function, when its name says it verifies (`withStripeWebhook(handler)`). */
function verifyingWrapper(fn: FunctionNode): TSESTree.CallExpression | null {
  let current: Node = fn;
  for (let depth = 0; depth < 3; depth++) {
    const parent: Node | undefined = current.parent;
    if (parent?.type !== "CallExpression" || !parent.arguments.includes(current as TSESTree.CallExpressionArgument)) return null;
    const name = calleeName(parent);
    if (name && WRAPPER_NAME.test(name)) return parent;
    current = parent;
  }
  return null;
}

/** `stripe.events.retrieve(id)`, `stripe.v2.core.events.retrieve(id)`: the provider's own copy of the event. */
function isEventRefetch(call: TSESTree.CallExpression): boolean {
  const segments = calleeSegments(call.callee);
  return segments.length >= 3 && segments[segments.length - 1] === "retrieve" && segments[segments.length - 2] === "events";
}

function isQueryRead(node: Node, requestName: string | null): boolean {
  if (node.type === "CallExpression" && calleeName(node) === "get") {
    const callee = unwrap(node.callee);
    if (callee.type !== "MemberExpression") return false;
    const object = unwrap(callee.object);
    return (object.type === "MemberExpression" && propertyName(object) === "searchParams") || isIdentifierNamed(object, "searchParams");
  }
  if (node.type === "MemberExpression" && propertyName(node) === "query" && isIdentifierNamed(node.object, requestName)) return true;
  return false;
}

/** Comparisons of a header (or query) value with a secret: `authorization !== \`Bearer ${process.env.CRON_SECRET}\``. */
function sharedSecretChecks(file: FileContext, fn: Node, headerNames: ReadonlySet<string>, isHeaderSource: (node: Node) => boolean): Node[] {
  const out: Node[] = [];
  const secretNames = derivedNames(fn, (node) => envReadAt(file, node)?.secretLike === true);
  const isSecret = (node: Node) =>
    envReadAt(file, node)?.secretLike === true || (node.type === "Identifier" && isReference(node) && isSecretLikeName(node.name, file.settings));
  for (const node of findAll(fn, ["BinaryExpression", "CallExpression"])) {
    let operands: Node[] | null = null;
    if (node.type === "BinaryExpression" && isEqualityOperator(node.operator)) operands = [node.left, node.right];
    else if (node.type === "CallExpression" && isConstantTimeCompareCall(node)) operands = [...node.arguments];
    if (!operands) continue;
    const fromHeader = operands.some((o) => mentions(o, headerNames, isHeaderSource));
    const withSecret = operands.some((o) => mentions(o, secretNames, isSecret));
    if (fromHeader && withSecret) out.push(node);
  }
  return out;
}

/** The earliest of `sites`, as the node inside the handler that runs it (see {@link HandlerVerification.anchor}). */
export function anchorOf(verification: HandlerVerification, sites: readonly VerificationSite[]): Node | null {
  return firstNode(sites.map((s) => anchorIn(verification.info.handler.fn, s.node)));
}

/** References to the variable `name` under `root` (not property keys, member names or the declaration itself). */
export function identifierReferences(root: Node, name: string): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  for (const node of findAll(root, ["Identifier"])) {
    if (node.name !== name || !isReference(node)) continue;
    const parent = node.parent;
    if (parent?.type === "VariableDeclarator" && parent.id === node) continue;
    out.push(node);
  }
  return out;
}

/** Verification sites that actually check the body's signature (not a shared-secret header compare). */
export function signatureSites(verification: HandlerVerification): VerificationSite[] {
  return verification.sites.filter((s) => s.kind !== "shared-secret");
}

// ---------------------------------------------------------------------------------------
// Acting on the body before verifying it

export interface EarlyEffect {
  node: TSESTree.CallExpression;
  /** `Convex mutation`, `database write`, `fetch call`, ... for messages. */
  label: string;
}

const PRISMA_WRITES = new Set(["create", "createMany", "update", "updateMany", "upsert", "delete", "deleteMany"]);
const DRIZZLE_WRITES = new Set(["insert", "update", "delete"]);
const SUPABASE_WRITES = new Set(["insert", "update", "upsert", "delete"]);

/** What kind of externally visible effect a call has, if any: a Convex write, a DB write, a fetch. */
export function effectLabel(file: FileContext, call: TSESTree.CallExpression): string | null {
  const convex = convexCallAt(file, call);
  if (convex) {
    if (convex.op === "mutation") return "Convex mutation";
    if (convex.op === "action") return "Convex action";
    if (convex.op === "schedule") return "scheduled Convex function";
    return null;
  }
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") return callee.name === "fetch" ? "fetch call" : null;
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method) return null;
  const segments = calleeSegments(callee);
  const receiver = segments[segments.length - 2];
  if (receiver === "db" && DB_WRITE_METHODS.has(method)) return "database write";
  const root = segments[0] ?? "";
  if (segments.length === 3 && PRISMA_WRITES.has(method) && /prisma|^db$/i.test(root)) return "database write";
  if (segments.length === 2 && DRIZZLE_WRITES.has(method) && /^(?:db|tx|database|drizzle)$/.test(root)) return "database write";
  if (SUPABASE_WRITES.has(method) && segments.includes("from") && segments[segments.indexOf("from") + 1] === "()") return "database write";
  if (memberPath(callee)?.join(".") === "globalThis.fetch") return "fetch call";
  return null;
}

/** The arguments of a call and of the calls chained on it (`db.insert(t).values(x)` -> `t`, `x`). */
function chainArguments(call: TSESTree.CallExpression): Node[] {
  const out: Node[] = [...call.arguments];
  let current: Node = call;
  for (;;) {
    const member: Node | undefined = current.parent;
    const next: Node | undefined = member?.parent;
    if (member?.type !== "MemberExpression" || member.object !== current || next?.type !== "CallExpression" || next.callee !== member) break;
    out.push(...next.arguments);
    current = next;
  }
  return out;
}

/** Effects in the handler that use the body and run before its first verification. */
export function effectsBeforeVerification(file: FileContext, verification: HandlerVerification): EarlyEffect[] {
  const anchor = verification.anchor;
  if (!anchor) return [];
  const out: EarlyEffect[] = [];
  const fn = verification.info.handler.fn;
  for (const call of findAll(fn, ["CallExpression"], { skipFunctions: true })) {
    if (call.range[0] >= anchor.range[0]) continue;
    const label = effectLabel(file, call);
    if (!label) continue;
    if (chainArguments(call).some((arg) => mentions(arg, verification.bodyNames, verification.isBodySource))) out.push({ node: call, label });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Payloads: what a verification is fed

export type PayloadProblem =
  /** The payload is (derived from) a parsed body: `req.json()`, micro's `json(req)`, `JSON.parse(...)`. */
  | { kind: "parsed"; node: Node; read: BodyRead | null }
  /** The payload is `JSON.stringify(...)` of something: never the bytes the provider signed. */
  | { kind: "stringified"; node: TSESTree.CallExpression; read: BodyRead | null }
  /** The payload is a Pages Router / Express `req.body`. */
  | { kind: "request-body"; node: Node; read: BodyRead };

const BYTE_WRAPPERS = new Set(["from", "toString", "encode", "String", "concat", "trim"]);

function jsonCall(node: Node, method: "stringify" | "parse"): TSESTree.CallExpression | null {
  return node.type === "CallExpression" && memberPath(node.callee)?.join(".") === `JSON.${method}` ? node : null;
}

/**
 * What the payload handed to a verification is made from, when that is a problem:
 * follows `const` aliases, `await`, `Buffer.from(x)`, `x.toString()`, template literals and
 * `+` concatenation back to a body read or a `JSON.stringify`/`JSON.parse` call.
 */
export function payloadProblem(verification: HandlerVerification, payload: Node, depth = 6): PayloadProblem | null {
  const reads = new Map<Node, BodyRead>(verification.bodyReads.map((r) => [r.node, r]));
  const visit = (node: Node, hops: number): PayloadProblem | null => {
    if (hops < 0) return null;
    const n = unwrapAwait(node);
    const read = reads.get(n);
    if (read) {
      if (read.parsed) return { kind: "parsed", node: n, read };
      if (read.kind === "body") return { kind: "request-body", node: n, read };
      return null;
    }
    const stringify = jsonCall(n, "stringify");
    if (stringify) {
      const inner = stringify.arguments[0] ? visit(stringify.arguments[0], hops - 1) : null;
      return { kind: "stringified", node: stringify, read: inner && inner.kind !== "stringified" ? inner.read : null };
    }
    if (jsonCall(n, "parse")) return { kind: "parsed", node: n, read: null };
    if (n.type === "Identifier") {
      const binding = resolveName(n.name, n);
      if (binding?.kind === "variable" && binding.init && binding.path.length === 0) return visit(binding.init, hops - 1);
      return null;
    }
    if (n.type === "TemplateLiteral") {
      for (const expression of n.expressions) {
        const found = visit(expression, hops - 1);
        if (found) return found;
      }
      return null;
    }
    if (n.type === "BinaryExpression" && n.operator === "+") return visit(n.left, hops - 1) ?? visit(n.right, hops - 1);
    if (n.type === "CallExpression" || n.type === "NewExpression") {
      const name = calleeName(n);
      if (!name || !BYTE_WRAPPERS.has(name)) return null;
      const callee = unwrap(n.callee);
      if (name === "toString" || name === "trim") return callee.type === "MemberExpression" ? visit(callee.object, hops - 1) : null;
      return n.arguments[0] ? visit(n.arguments[0], hops - 1) : null;
    }
    return null;
  };
  return visit(payload, depth);
}

/** The payloads the handler's verifications are fed: SDK payload arguments and HMAC data. */
export function verifiedPayloads(verification: HandlerVerification): { site: VerificationSite; payload: Node }[] {
  const out: { site: VerificationSite; payload: Node }[] = [];
  const requestName = verification.info.handler.requestName;
  for (const site of verification.sites) {
    if (site.kind === "sdk" && site.verifier.payload && !isIdentifierNamed(site.verifier.payload, requestName)) {
      out.push({ site, payload: site.verifier.payload });
    } else if (site.kind === "hmac" && site.hmac.data) {
      out.push({ site, payload: site.hmac.data });
    }
  }
  return out;
}

/** `export const config = { api: { bodyParser: false } }` (the export must be named `config`). */
export function pagesBodyParserDisabled(file: FileContext): boolean {
  return file.memo("verification:body-parser-disabled", () => {
    const config = segmentConfigExports(file).get("config");
    if (!config?.init) return false;
    const api = objectProperties(config.init).get("api");
    if (!api) return false;
    const bodyParser = objectProperties(api.value).get("bodyParser");
    if (!bodyParser) return false;
    const value = unwrap(bodyParser.value);
    return value.type === "Literal" && value.value === false;
  });
}

// ---------------------------------------------------------------------------------------
// Express body parsers

export type ExpressBodyParsing =
  /** `express.raw()`/`express.text()`/`bodyParser.raw()` runs first: `req.body` holds the bytes. */
  | { state: "raw"; parser: TSESTree.CallExpression }
  /** `express.json()`/`bodyParser.json()` runs first: `req.body` is a parsed object. */
  | { state: "parsed"; parser: TSESTree.CallExpression }
  /** A route of an app created in this file with no body parser at all: `req.body` is undefined. */
  | { state: "none"; parser: null }
  /** A router or an app from elsewhere (its parsers may be mounted in another file), or a custom middleware. */
  | { state: "unknown"; parser: null };

const BODY_PARSER_MODULE = /^(?:express|body-parser)$/;
const PARSED_BODY_PARSERS = new Set(["json"]);
const RAW_BODY_PARSERS = new Set(["raw", "text"]);
const PARSER_LIKE_NAME = /json|raw|body|pars/i;

function fromBodyParserModule(file: FileContext, root: TSESTree.Identifier): boolean {
  if (resolveName(root.name, root)?.kind === "parameter") return false;
  const binding = file.imports.get(root.name);
  return !!binding && BODY_PARSER_MODULE.test(binding.source);
}

interface MiddlewareParsing {
  /** `raw`, `parsed`, or `unknown` (custom code that may parse the body). */
  state: "raw" | "parsed" | "unknown";
  /** The body parser call (`express.json()`), also when reached through `const jsonParser = bodyParser.json()`. */
  parser: TSESTree.CallExpression | null;
}

/** What one Express middleware does to the body, or null when it does not touch it (`cors()`, a router). */
function middlewareParsing(file: FileContext, node: Node, depth = 2): MiddlewareParsing | null {
  const n = unwrap(node);
  if (n.type === "CallExpression") {
    const name = calleeName(n);
    const callee = unwrap(n.callee);
    const root = callee.type === "Identifier" ? callee : callee.type === "MemberExpression" ? unwrap(calleeSegmentsRoot(callee)) : null;
    if (!name || !root || root.type !== "Identifier" || !fromBodyParserModule(file, root)) return null;
    if (PARSED_BODY_PARSERS.has(name)) return { state: "parsed", parser: n };
    if (RAW_BODY_PARSERS.has(name)) return { state: "raw", parser: n };
    return null;
  }
  if (isFunction(n)) {
    const parses = findAll(n.body, ["CallExpression"]).some((call) => middlewareParsing(file, call, depth) !== null);
    return parses ? { state: "unknown", parser: null } : null;
  }
  if (n.type === "Identifier") {
    const binding = resolveName(n.name, n);
    if (depth > 0 && binding?.kind === "variable" && binding.init && binding.path.length === 0) {
      const inner = middlewareParsing(file, binding.init, depth - 1);
      if (inner) return inner;
    }
    return PARSER_LIKE_NAME.test(n.name) ? { state: "unknown", parser: null } : null;
  }
  return null;
}

/** `express()` / `require("express")()`: an app whose middleware this file registers. */
function isExpressAppCreation(file: FileContext, node: Node | null | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  if (n.type !== "CallExpression") return false;
  const callee = unwrap(n.callee);
  if (callee.type === "Identifier") return file.imports.get(callee.name)?.source === "express" && file.imports.get(callee.name)?.imported !== "Router";
  return callee.type === "CallExpression" && calleeName(callee) === "require" && staticString(callee.arguments[0]) === "express";
}

/**
 * Which body parser an Express route's handler sees: the `app.use(...)`/`router.use(...)`
 * middleware registered on the same object before the route (with a path prefix that matches),
 * then the route's own middleware, in order; the first body parser decides.
 */
export function expressBodyParsing(file: FileContext, handler: RouteHandler): ExpressBodyParsing {
  const unknown: ExpressBodyParsing = { state: "unknown", parser: null };
  const registration = handler.node;
  if (handler.kind !== "express" || registration.type !== "CallExpression") return unknown;
  const callee = unwrap(registration.callee);
  if (callee.type !== "MemberExpression") return unknown;
  const objectPath = memberPath(callee.object)?.join(".");
  if (!objectPath) return unknown;
  const middleware: Node[] = [];
  for (const call of findAll(file.program, ["CallExpression"])) {
    if (call.range[1] > registration.range[0] || calleeName(call) !== "use") continue;
    const use = unwrap(call.callee);
    if (use.type !== "MemberExpression" || memberPath(use.object)?.join(".") !== objectPath) continue;
    const [first, ...rest] = call.arguments;
    if (!first) continue;
    const prefix = staticString(first);
    if (prefix !== null) {
      if (handler.routePath === null || !handler.routePath.startsWith(prefix)) continue;
      middleware.push(...rest);
    } else {
      middleware.push(...call.arguments);
    }
  }
  middleware.push(...registration.arguments.slice(1, -1));
  for (const node of middleware) {
    if (node.type === "SpreadElement") return unknown;
    const parsing = middlewareParsing(file, node);
    if (!parsing) continue;
    if (parsing.state === "unknown" || !parsing.parser) return unknown;
    return { state: parsing.state, parser: parsing.parser };
  }
  const object = unwrap(callee.object);
  if (object.type !== "Identifier") return unknown;
  const binding = resolveName(object.name, object);
  const created = binding?.kind === "variable" && binding.path.length === 0 && isExpressAppCreation(file, binding.init);
  return created ? { state: "none", parser: null } : unknown;
}

// ---------------------------------------------------------------------------------------
// Runtimes and options of SDK verifiers

export type RestrictedRuntime = "edge" | "convex" | "deno";


/**
 * The runtime `node` runs in when it offers only SubtleCrypto: an App Router route with
 * `export const runtime = "edge"`, a Pages route with `config.runtime = "edge"`, or a
 * Convex function in a file without `"use node"` (the default Convex runtime).
 */
export function restrictedRuntimeAt(file: FileContext, node: Node): RestrictedRuntime | null {
  if (isDenoFile(file)) return "deno";
  const { runtime, configRuntime } = declaredRuntimes(file);
  if (isAppRouteFile(file) && runtime !== null && EDGE_RUNTIMES.has(runtime)) return "edge";
  if (isPagesApiFile(file) && configRuntime !== null && EDGE_RUNTIMES.has(configRuntime)) return "edge";
  if (hasDirective(file.program.body, "use node")) return null;
  if (enclosingConvexFunction(file, node)) return "convex";
  if (isConvexFolderFile(file) && convexFunctions(file).some((fn) => fn.kind === "httpAction")) return "convex";
  return null;
}

/** Module specifiers only Deno resolves: `https://esm.sh/stripe`, `npm:stripe@17`, `jsr:@std/http`, `https://deno.land/...`. */
const DENO_SPECIFIER = /^(?:npm:|jsr:|https?:\/\/(?:esm\.sh|deno\.land|cdn\.skypack\.dev|esm\.run|cdn\.jsdelivr\.net)\/)/;

/**
 * The file runs on Deno (a Supabase Edge Function): it lives under `supabase/functions/`, imports
 * Deno-only specifiers, or uses `Deno.serve`/`Deno.env`. Stripe's Deno build verifies with
 * SubtleCrypto, which only works asynchronously.
 */
export function isDenoFile(file: FileContext): boolean {
  return file.memo("verification:deno", () => {
    if (/(?:^|[\\/])supabase[\\/]functions[\\/]/.test(file.path)) return true;
    if ([...file.importSources].some((source) => DENO_SPECIFIER.test(source))) return true;
    return /\bDeno\.(?:serve|env)\b/.test(file.text);
  });
}

/** The local name of the Stripe class (`import Stripe from "https://esm.sh/stripe@14"`), for `Stripe.createSubtleCryptoProvider()`. */
export function stripeClassName(file: FileContext): string | null {
  for (const binding of file.imports.values()) {
    if ((binding.imported === "default" || binding.imported === "*" || binding.imported === "Stripe") && isStripeSpecifier(binding.source)) return binding.local;
  }
  return null;
}

function isStripeSpecifier(source: string): boolean {
  const bare = source.replace(DENO_SPECIFIER, "").replace(/^\/+/, "");
  return /^stripe(?:@[^/?]*)?(?:[/?]|$)/.test(bare);
}

/** Every SDK verification call in the file (not only inside handlers), in source order. */
export function fileVerifierCalls(file: FileContext): readonly VerifierCall[] {
  return file.memo("verification:file-verifiers", () => verifierCalls(file, file.program).sort(byPosition));
}

function numericValue(node: Node | null | undefined, depth = 3): number | null {
  if (!node || depth < 0) return null;
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "number") return n.value;
  if (n.type === "UnaryExpression" && n.operator === "-") {
    const inner = numericValue(n.argument, depth - 1);
    return inner === null ? null : -inner;
  }
  if (n.type === "Identifier") {
    const binding = resolveName(n.name, n);
    if (binding?.kind === "variable" && binding.declarationKind === "const" && binding.init && binding.path.length === 0) {
      return numericValue(binding.init, depth - 1);
    }
  }
  return null;
}

/** Stripe's tolerance argument when it is 0 or negative: Stripe then skips the timestamp check. */
export function disabledTolerance(verifier: VerifierCall): { node: Node; value: number } | null {
  if (verifier.kind !== "stripe" && verifier.kind !== "stripe-async") return null;
  const value = numericValue(verifier.tolerance);
  return verifier.tolerance && value !== null && value <= 0 ? { node: verifier.tolerance, value } : null;
}

/** The secret a verification uses: Stripe/Polar/Paddle's argument, or svix's `new Webhook(secret)`. */
export function verifierSecret(verifier: VerifierCall): Node | null {
  if (verifier.secret) return verifier.secret;
  if (verifier.kind !== "svix" && verifier.kind !== "standardwebhooks") return null;
  const callee = unwrap(verifier.node.callee);
  if (callee.type !== "MemberExpression") return null;
  let object = unwrap(callee.object);
  if (object.type === "Identifier") {
    const binding = resolveName(object.name, object);
    if (binding?.kind !== "variable" || !binding.init || binding.path.length > 0) return null;
    object = unwrap(binding.init);
  }
  return object.type === "NewExpression" ? (object.arguments[0] ?? null) : null;
}

// ---------------------------------------------------------------------------------------
// How many secrets a verification accepts

export type SecretCount = "one" | "many" | "unknown";

export interface SecretMultiplicity {
  count: SecretCount;
  /** The env var the single secret comes from, when visible. */
  envName: string | null;
}

const ITERATING_METHODS = new Set(["some", "every", "find", "findIndex", "findLast", "map", "flatMap", "forEach", "filter", "reduce"]);

function combine(results: SecretMultiplicity[]): SecretMultiplicity {
  const many = results.find((r) => r.count === "many");
  if (many) return many;
  const one = results.find((r) => r.count === "one" && r.envName) ?? results.find((r) => r.count === "one");
  return one ?? { count: "unknown", envName: null };
}

/**
 * Whether a secret expression holds one secret or is taken from several (a loop over
 * `[CURRENT, PREVIOUS]`, an array callback, `secrets[i]`). Follows `const` aliases, calls
 * that derive a key from it (`Buffer.from(secret, "base64")`, `importKey(..., encode(secret))`)
 * and, for a helper's parameter, the arguments of its same-file callers.
 */
export function secretMultiplicity(file: FileContext, node: Node, depth = 12): SecretMultiplicity {
  const unknown: SecretMultiplicity = { count: "unknown", envName: null };
  const visit = (expr: Node, hops: number, top: boolean): SecretMultiplicity => {
    if (hops < 0) return unknown;
    const n = unwrapAwait(expr);
    const env = envReadAt(file, n);
    if (env) return { count: "one", envName: env.name };
    switch (n.type) {
      case "Literal":
        return top && typeof n.value === "string" ? { count: "one", envName: null } : unknown;
      case "ArrayExpression":
        return top && n.elements.length > 1 ? { count: "many", envName: null } : unknown;
      case "MemberExpression":
        if (n.computed && staticString(n.property) === null && unwrap(n.property).type !== "Literal") return { count: "many", envName: null };
        return n.computed ? visit(n.object, hops - 1, false) : unknown;
      case "LogicalExpression":
        return combine([visit(n.left, hops - 1, top), visit(n.right, hops - 1, top)]);
      case "ConditionalExpression":
        return combine([visit(n.consequent, hops - 1, top), visit(n.alternate, hops - 1, top)]);
      case "TemplateLiteral":
        return combine(n.expressions.map((e) => visit(e, hops - 1, false)));
      case "CallExpression":
      case "NewExpression": {
        const callee = unwrap(n.callee);
        const parts: Node[] = [...n.arguments];
        if (callee.type === "MemberExpression") parts.unshift(callee.object);
        return combine(parts.map((p) => visit(p, hops - 1, false)));
      }
      case "Identifier":
        return identifier(n, hops);
      default:
        return unknown;
    }
  };
  const identifier = (id: TSESTree.Identifier, hops: number): SecretMultiplicity => {
    const binding = resolveName(id.name, id);
    if (!binding) return unknown;
    if (binding.kind === "variable") {
      const loop = binding.declarator.parent?.parent;
      if (loop && (loop.type === "ForOfStatement" || loop.type === "ForInStatement") && loop.left === binding.declarator.parent) {
        return { count: "many", envName: null };
      }
      if (binding.path.length > 0) {
        // `const { STRIPE_WEBHOOK_SECRET } = process.env` reads one env var; other destructuring is not followed.
        return binding.init && binding.path.length === 1 && envObjectKind(file, binding.init)
          ? { count: "one", envName: binding.path[0]! }
          : unknown;
      }
      return binding.init ? visit(binding.init, hops - 1, true) : unknown;
    }
    if (binding.kind === "parameter") {
      const fn = binding.fn;
      const parent = fn.parent;
      if (parent?.type === "CallExpression" && parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
        const method = calleeName(parent);
        if (method && ITERATING_METHODS.has(method)) return { count: "many", envName: null };
      }
      if (binding.path.length > 0) return unknown;
      const program = programOf(fn);
      if (!program) return unknown;
      const results: SecretMultiplicity[] = [];
      for (const call of findAll(program, ["CallExpression"])) {
        if (functionOf(call.callee, 1) !== fn || contains(fn, call)) continue;
        const arg = call.arguments[binding.index];
        results.push(arg ? visit(arg, hops - 1, true) : unknown);
      }
      if (results.length === 0 || results.some((r) => r.count === "unknown")) return combine(results.filter((r) => r.count === "many"));
      return combine(results);
    }
    return unknown;
  };
  return visit(node, depth, true);
}

export type RotationSubject = VerifierKind | "hmac";

export interface SingleSecretVerification {
  /** The node to report: the secret argument or the HMAC key. */
  node: Node;
  kind: RotationSubject;
  /** The env var name, or the secret's source text. */
  label: string;
}

function hmacInWebhookContext(file: FileContext, hmac: HmacVerification, webhookModule: boolean): boolean {
  if (webhookModule) return true;
  const fn = enclosingFunction(hmac.compare) ?? enclosingFunction(hmac.hmac.node);
  if (!fn) return false;
  const name = fn.type === "FunctionDeclaration" ? (fn.id?.name ?? "") : fn.parent?.type === "VariableDeclarator" && fn.parent.id.type === "Identifier" ? fn.parent.id.name : "";
  if (/webhook|signature|svix|stripe|clerk|polar|lemon|paddle/i.test(name)) return true;
  if (pathTokens(file.path).some((token) => PROVIDER_TOKENS[token] !== undefined)) return true;
  return headerReads(fn).some((h) => h.name !== null && isSignedHeaderName(h.name));
}

/**
 * Verifications that accept exactly one secret: hand-written HMAC checks in webhook code,
 * and SDK verifications of the given kinds. A function that verifies twice with different
 * secrets (`try { current } catch { previous }`) counts as rotation-aware.
 */
export function singleSecretVerifications(
  file: FileContext,
  subjects: ReadonlySet<RotationSubject>,
  webhookModule: boolean,
): SingleSecretVerification[] {
  const candidates: { node: Node; kind: RotationSubject; scope: Node | null }[] = [];
  if (subjects.has("hmac")) {
    for (const hmac of hmacVerifications(file.program)) {
      if (!hmac.key || !hmacInWebhookContext(file, hmac, webhookModule)) continue;
      candidates.push({ node: hmac.key, kind: "hmac", scope: enclosingFunction(hmac.hmac.node) });
    }
  }
  for (const verifier of fileVerifierCalls(file)) {
    if (!subjects.has(verifier.kind)) continue;
    const secret = verifierSecret(verifier);
    if (secret) candidates.push({ node: secret, kind: verifier.kind, scope: enclosingFunction(verifier.node) });
  }
  const out: SingleSecretVerification[] = [];
  for (const candidate of candidates) {
    const result = secretMultiplicity(file, candidate.node);
    if (result.count !== "one") continue;
    const label = result.envName ?? sourceText(file, candidate.node);
    const siblings = candidates.filter((c) => c !== candidate && c.scope === candidate.scope && c.kind === candidate.kind);
    const rotated = siblings.some((c) => {
      const other = secretMultiplicity(file, c.node);
      return (other.envName ?? sourceText(file, c.node)) !== label;
    });
    if (rotated) continue;
    out.push({ node: candidate.node, kind: candidate.kind, label });
  }
  return out.sort(byPosition);
}
