/**
 * Identity mapping between the app and its payment/auth providers (seed 003, "metadata-first
 * identity mapping"): where code finds a user or customer by email, where it creates provider
 * objects (Checkout Sessions, customers, subscriptions, PaymentIntents, Polar and Lemon Squeezy
 * checkouts) with or without the app's own user id, where that id comes from (the server
 * session, or the request body a caller controls), and which expression holds the signed-in
 * user's id at a given point.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  calleeObject,
  calleeSegments,
  contains,
  findAll,
  functionStatements,
  hasSpread,
  isFunction,
  keyName,
  lookupTable,
  memberPath,
  nodesOfType,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  unwrapAwait,
  walk,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { billingStateChanges, isRoleFieldName } from "./convex-auth.js";
import { convexCallAt, convexFunctions, enclosingConvexFunction, type ConvexFunction } from "./convex.js";
import type { FileContext } from "./file.js";
import { enclosingRouteHandler, functionOf, routeHandlers, type RouteHandler } from "./routes.js";
import { resolveName, valueOrigin } from "./scope.js";
import type { ResolvedSettings } from "./settings.js";
import { isPaymentSdkModule, mentionsLemonSqueezy } from "./providers.js";
import { enclosingWebhookHandler, isBillingModule, isWebhookModule, providerEventLiterals, webhookDrivenConvexFunctions } from "./webhook.js";

// ---------------------------------------------------------------------------------------
// Vocabulary: email fields and identity keys.

const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, "");

interface Vocabulary {
  email: ReadonlySet<string>;
  identity: ReadonlySet<string>;
}

const vocabularies = new WeakMap<ResolvedSettings, Vocabulary>();

function vocabulary(settings: ResolvedSettings): Vocabulary {
  let found = vocabularies.get(settings);
  if (!found) {
    found = {
      email: new Set([...settings.emailFields].map(normalise)),
      identity: new Set([...settings.identityFields].map(normalise)),
    };
    vocabularies.set(settings, found);
  }
  return found;
}

/** True for a field that holds an email address (`settings.webhook.emailFields`, compared ignoring case and `_`). */
export function isEmailField(file: FileContext, name: string): boolean {
  return vocabulary(file.settings).email.has(normalise(name));
}

/** App-side entities whose id links a provider object back to the app. */
const IDENTITY_ENTITY =
  /(?:user|owner|member|profile|account|org|organization|organisation|team|workspace|tenant|clerk|auth|firebase|supabase|convex|app|customer|client|buyer|subscriber|order|cart|booking|purchase|student|patient)(?:id|uid|uuid|ref|reference)$/;

/**
 * True for a metadata key that carries the app's own id for the buyer: one of
 * `settings.webhook.identityFields` (compared ignoring case and `_`), or a name that ends in an
 * app entity plus `Id` (`supabaseUserId`, `tenant_id`, `orderId`, `uid`). Not `priceId`, `plan`.
 */
export function isIdentityKey(file: FileContext, name: string): boolean {
  const key = normalise(name);
  if (vocabulary(file.settings).identity.has(key)) return true;
  return key === "uid" || key === "user" || IDENTITY_ENTITY.test(key);
}

// ---------------------------------------------------------------------------------------
// Small expression helpers.

const PASS_THROUGH_METHODS = new Set(["toLowerCase", "toLocaleLowerCase", "trim", "toString", "normalize"]);

/** Looks through `x.toLowerCase()`, `x ?? ""`, `String(x)`, `x!`, `await x` to the value. */
export function stripValueWrappers(node: Node): Node {
  let current = unwrapAwait(node);
  for (;;) {
    if (current.type === "CallExpression") {
      const callee = unwrap(current.callee);
      if (callee.type === "MemberExpression" && PASS_THROUGH_METHODS.has(propertyName(callee) ?? "")) {
        current = unwrapAwait(callee.object);
        continue;
      }
      if (callee.type === "Identifier" && callee.name === "String" && current.arguments[0]) {
        current = unwrapAwait(current.arguments[0]);
        continue;
      }
      return current;
    }
    if (current.type === "LogicalExpression" && (current.operator === "??" || current.operator === "||")) {
      current = unwrapAwait(current.left);
      continue;
    }
    return current;
  }
}

/** The member chain of an expression and, through `const` aliases, where it came from. */
function accessPath(node: Node): { root: Node; path: string[] } {
  const origin = valueOrigin(stripValueWrappers(node));
  return { root: unwrapAwait(origin.root), path: origin.path };
}

function isNullish(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return n.value === null || n.value === "";
  if (n.type === "Identifier") return n.name === "undefined";
  return staticString(n) === "";
}

/** Resolves an identifier to the object literal of its `const` declaration (same file), else returns the node. */
function resolveObject(node: Node | null | undefined, depth = 2): Node | null {
  if (!node) return null;
  let n = unwrap(node);
  for (let i = 0; i < depth && n.type === "Identifier"; i++) {
    const binding = resolveName(n.name, n);
    if (binding?.kind !== "variable" || !binding.init || binding.path.length > 0 || binding.declarationKind !== "const") return n;
    n = unwrap(binding.init);
  }
  return n;
}

/** True when `name`'s object literal (const) is mutated later (`params.metadata = ...`), so it is not the whole story. */
function isMutatedLater(fn: Node, name: string, after: number): boolean {
  let mutated = false;
  walk(fn, (node) => {
    if (mutated) return false;
    if (node.type === "AssignmentExpression" && node.range[0] > after) {
      const path = memberPath(node.left);
      if (path && path.length > 1 && path[0] === name) mutated = true;
    } else if (node.type === "CallExpression" && node.range[0] > after && calleeName(node) === "assign") {
      const target = node.arguments[0];
      if (target && unwrap(target).type === "Identifier" && (unwrap(target) as TSESTree.Identifier).name === name) mutated = true;
    }
    return undefined;
  });
  return mutated;
}

// ---------------------------------------------------------------------------------------
// Where an identity value comes from.

const BODY_READERS = new Set(["json", "formData", "text"]);
const VALIDATORS = new Set(["parse", "safeParse", "parseAsync", "safeParseAsync", "validate", "validateSync", "fromEntries", "assert", "create"]);
const REQUEST_NAMES = new Set(["req", "request"]);

function isRequestObject(file: FileContext, node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Identifier") {
    if (REQUEST_NAMES.has(n.name)) return true;
    const handler = enclosingRouteHandler(file, n);
    if (handler && handler.requestName === n.name) return true;
    const origin = valueOrigin(n);
    return origin.parameter !== null && isRequestParameter(file, origin.parameter.fn, origin.parameter.index) && origin.path.length === 0;
  }
  if (n.type === "MemberExpression") {
    // Hono `c.req`, `event.request`
    const name = propertyName(n);
    return name === "req" || name === "request";
  }
  if (n.type === "CallExpression" && calleeName(n) === "clone") {
    const object = calleeObject(n);
    return object !== null && isRequestObject(file, object);
  }
  return false;
}

function isRequestParameter(file: FileContext, fn: FunctionNode, index: number): boolean {
  for (const handler of routeHandlers(file)) {
    if (handler.fn !== fn) continue;
    if (handler.kind === "http-action") return index === 1;
    if (handler.kind === "server-action") return false;
    return index === 0;
  }
  return false;
}

function isSearchParams(file: FileContext, node: Node, depth: number): boolean {
  const n = unwrap(node);
  const path = calleeSegments(n);
  if (path[path.length - 1] === "searchParams") return true;
  if (n.type === "Identifier") {
    const origin = valueOrigin(n);
    if (origin.path[origin.path.length - 1] === "searchParams") return true;
    const root = unwrapAwait(origin.root);
    if (root.type === "NewExpression" && calleeName(root) === "URLSearchParams") return true;
    if (root !== n && depth > 0) return isSearchParams(file, root, depth - 1);
  }
  return false;
}

/**
 * Where a value the caller controls enters: `await req.json()`, `formData.get(...)`, search
 * params, `req.body`/`req.query`, route params, a server action's arguments, or the args of a
 * public Convex function. Returns a short label for messages, or null when the value does not
 * (visibly) come from the request.
 */
export function requestSourceOf(file: FileContext, expression: Node, depth = 4): string | null {
  if (depth < 0) return null;
  const { root, path } = accessPath(expression);
  if (root.type === "CallExpression") {
    const name = calleeName(root);
    const object = calleeObject(root);
    if (name && BODY_READERS.has(name) && object && isRequestObject(file, object)) return `the request body (\`${name}()\`)`;
    if ((name === "get" || name === "getAll") && object) {
      if (isSearchParams(file, object, 2)) return "the URL search params";
      const inner = requestSourceOf(file, object, depth - 1);
      if (inner) return inner.includes("formData") ? "the submitted form data" : inner;
      const objectOrigin = valueOrigin(object);
      if (objectOrigin.parameter && isServerActionParameter(file, objectOrigin.parameter.fn)) return "the submitted form data";
      return null;
    }
    if (name && VALIDATORS.has(name)) {
      for (const argument of root.arguments) {
        const inner = requestSourceOf(file, argument, depth - 1);
        if (inner) return inner;
      }
    }
    return null;
  }
  if (root.type === "Identifier") {
    const origin = valueOrigin(root);
    const parameter = origin.parameter;
    if (!parameter) return null;
    const fullPath = [...origin.path, ...path];
    if (isServerActionParameter(file, parameter.fn)) return "a server action argument";
    for (const handler of routeHandlers(file)) {
      if (handler.fn !== parameter.fn) continue;
      if (handler.kind === "app-route" && parameter.index === 1) return "the route params";
      if ((handler.kind === "pages-api" || handler.kind === "express") && parameter.index === 0) {
        const first = fullPath[0];
        if (first === "body" || first === "query" || first === "params") return `\`req.${first}\``;
      }
    }
    const convex = convexFunctions(file).find((fn) => fn.handler === parameter.fn);
    if (convex && convex.visibility === "public" && convex.kind !== "httpAction" && parameter.index === 1) {
      return "the arguments of a public Convex function";
    }
    const rpc = rpcInputOf(parameter.fn, fullPath);
    if (rpc) return rpc;
  }
  return null;
}

/**
 * True when the value is compared with something else in its function (`if (userId !==
 * session.user.id) return forbidden()`): a request-supplied id that is checked against the
 * session is not trusted blindly.
 */
export function isComparedInFunction(value: Node): boolean {
  const fn = enclosingFunctionOf(value);
  if (!fn) return false;
  const key = originKey(value);
  if (!key) return false;
  let compared = false;
  walk(fn.body, (node) => {
    if (compared) return false;
    if (node.type !== "BinaryExpression" || !isEquality(node.operator)) return undefined;
    for (const [side, other] of [
      [node.left, node.right],
      [node.right, node.left],
    ] as const) {
      if (originKey(side) === key && unwrap(other).type !== "Literal" && !isNullish(other)) compared = true;
    }
    return undefined;
  });
  return compared;
}

function isEquality(operator: string): boolean {
  return operator === "===" || operator === "!==" || operator === "==" || operator === "!=";
}

/** Identity of a value's origin: the root node's position plus the property path. */
function originKey(node: Node): string | null {
  if (node.type === "PrivateIdentifier") return null;
  const { root, path } = accessPath(node);
  return `${root.range[0]}:${root.range[1]}:${path.join(".")}`;
}

/**
 * tRPC `procedure.input(...).mutation(({ input }) => ...)` and next-safe-action
 * `client.schema(...).action(({ parsedInput }) => ...)`: the input is what the browser sent.
 */
function rpcInputOf(fn: FunctionNode, path: readonly string[]): string | null {
  const call = fn.parent;
  if (call?.type !== "CallExpression" || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return null;
  const method = calleeName(call);
  const segments = calleeSegments(call.callee);
  if ((method === "mutation" || method === "query") && path[0] === "input" && segments.some((s) => /procedure$/i.test(s))) {
    return "the tRPC procedure input";
  }
  if ((method === "action" || method === "stateAction") && path[0] === "parsedInput") return "the server action input";
  return null;
}

function isServerActionParameter(file: FileContext, fn: FunctionNode): boolean {
  return routeHandlers(file).some((h) => h.kind === "server-action" && h.fn === fn);
}

// ---------------------------------------------------------------------------------------
// The signed-in user's id at a point in the code.

export interface SessionUserId {
  /** Source text of an expression that evaluates to the user id at the point asked about. */
  text: string;
  /** The declaration or parameter it was read from. */
  node: Node;
  /** How the user was obtained, for messages and docs: `auth()`, `ctx.auth.getUserIdentity()`. */
  via: string;
}

type SessionShape = "clerk-auth" | "identity" | "user" | "session" | "id";

const CLERK_MODULES = /^@clerk\//;

/** Classifies a call as reading the server-side session/user, and what it returns. */
function sessionCallShape(file: FileContext, call: TSESTree.CallExpression): { shape: SessionShape; via: string } | null {
  const name = calleeName(call);
  if (!name) return null;
  const callee = unwrap(call.callee);
  const segments = calleeSegments(callee);
  const dotted = segments.join(".");
  if (name === "getUserIdentity") return { shape: "identity", via: "ctx.auth.getUserIdentity()" };
  if (name === "getAuthUserId") return { shape: "id", via: "getAuthUserId(ctx)" };
  if (name === "getServerSession" || name === "getServerAuthSession") return { shape: "session", via: `${name}()` };
  if (name === "getSession" && segments.includes("api")) return { shape: "session", via: "auth.api.getSession()" };
  if (callee.type === "Identifier") {
    const source = file.imports.get(callee.name)?.source ?? "";
    if (name === "auth" || name === "getAuth") {
      return CLERK_MODULES.test(source) ? { shape: "clerk-auth", via: `${name}()` } : { shape: "session", via: `${name}()` };
    }
    if (name === "currentUser") return { shape: "user", via: "currentUser()" };
    if (/^(?:get|require|fetch|load|ensure|assert)(?:Current|LoggedIn|Authed|Authenticated|SignedIn)?User(?:OrThrow|OrRedirect)?$/.test(name)) {
      return { shape: "user", via: `${name}()` };
    }
    if (/^(?:get|require|ensure|validate|assert)(?:Current|Server|Auth)?Session(?:OrThrow|OrRedirect)?$|^validateRequest$/.test(name)) {
      return { shape: "session", via: `${name}()` };
    }
    if (/^(?:get|require|ensure)(?:Current|Auth)?UserId(?:OrThrow)?$/.test(name)) return { shape: "id", via: `${name}()` };
    return null;
  }
  // supabase.auth.getUser(), ctx.auth.getUser()
  if (name === "getUser" && segments[segments.length - 2] === "auth") return { shape: "user", via: `${dotted}()` };
  return null;
}

function idExpression(shape: SessionShape, base: string, path: readonly string[]): string | null {
  const last = path[path.length - 1];
  if (last !== undefined) {
    // Destructured: `{ userId } = await auth()`, `{ user } = await getSession()`, `{ data: { user } }`.
    if (last === "userId" || last === "subject" || (shape === "id" && path.length === 1)) return base;
    if (last === "user") return `${base}.id`;
    if (last === "session" && shape === "session") return `${base}.user.id`;
    return null;
  }
  switch (shape) {
    case "clerk-auth":
      return `${base}.userId`;
    case "identity":
      return `${base}.subject`;
    case "user":
      return `${base}.id`;
    case "session":
      return `${base}.user.id`;
    case "id":
      return base;
  }
}

/** The id expression for a session-reading declarator, if any. */
function sessionIdOfDeclarator(file: FileContext, declarator: TSESTree.VariableDeclarator): SessionUserId | null {
  if (!declarator.init) return null;
  const init = unwrapAwait(declarator.init);
  if (init.type !== "CallExpression") return null;
  const shape = sessionCallShape(file, init);
  if (!shape) return null;
  if (declarator.id.type === "Identifier") {
    const text = idExpression(shape.shape, declarator.id.name, []);
    return text ? { text, node: declarator, via: shape.via } : null;
  }
  // Destructuring: find the most useful bound name.
  const candidates: { name: string; path: string[] }[] = [];
  const visit = (pattern: Node, path: string[]) => {
    if (pattern.type === "Identifier") candidates.push({ name: pattern.name, path });
    else if (pattern.type === "AssignmentPattern") visit(pattern.left, path);
    else if (pattern.type === "ObjectPattern") {
      for (const prop of pattern.properties) {
        if (prop.type === "Property") visit(prop.value, [...path, keyName(prop) ?? "[]"]);
      }
    }
  };
  visit(declarator.id, []);
  for (const candidate of candidates) {
    const text = idExpression(shape.shape, candidate.name, candidate.path);
    if (text) return { text, node: declarator, via: shape.via };
  }
  return null;
}

/**
 * The expression that holds the signed-in user's id at `node`, read from the server session in
 * an enclosing function before `node` (`const { userId } = await auth()` -> `userId`,
 * `const user = await currentUser()` -> `user.id`, `ctx.auth.getUserIdentity()` -> `identity.subject`,
 * `getServerSession()` / `auth.api.getSession()` -> `session.user.id`), or from a parameter named
 * like an identity key (`userId`) or `user`. Null when none is in sight.
 */
export function sessionUserIdAt(file: FileContext, node: Node): SessionUserId | null {
  for (let fn = enclosingFunctionOf(node); fn; fn = enclosingFunctionOf(fn)) {
    let found: SessionUserId | null = null;
    walk(
      fn.body,
      (inner) => {
        if (found) return false;
        if (inner.type === "VariableDeclarator" && inner.range[1] <= node.range[0]) {
          const candidate = sessionIdOfDeclarator(file, inner);
          if (candidate && visibleAt(candidate, node)) found = candidate;
        }
        return undefined;
      },
      { skipFunctions: true },
    );
    if (found) return found;
    for (const param of fn.params) {
      const id = param.type === "AssignmentPattern" ? param.left : param;
      if (id.type !== "Identifier") continue;
      // A server action's or public function's argument is what the browser sent, not the session.
      if (requestSourceOf(file, id) !== null) continue;
      if (isIdentityKey(file, id.name) && /id$/i.test(id.name)) return { text: id.name, node: id, via: `the \`${id.name}\` parameter` };
      if (id.name === "user" || id.name === "currentUser") return { text: `${id.name}.id`, node: id, via: `the \`${id.name}\` parameter` };
    }
  }
  return null;
}

function visibleAt(candidate: SessionUserId, node: Node): boolean {
  const base = /^[A-Za-z_$][\w$]*/.exec(candidate.text)?.[0];
  if (!base) return false;
  const binding = resolveName(base, node);
  return binding?.kind === "variable" && binding.declarator === candidate.node;
}

function enclosingFunctionOf(node: Node): FunctionNode | null {
  let current = node.parent;
  while (current) {
    if (isFunction(current)) return current;
    current = current.parent;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Where a lookup by email matters: webhook code, and billing code.

export type IdentityContext = "webhook" | "billing";

/** Inbound-email and email-delivery webhooks key on the address by nature (a bounce is about an address). */
const EMAIL_PROVIDER_PATH =
  /(?:^|[/_.-])(?:resend|postmark|sendgrid|mailgun|mailchimp|mailersend|brevo|sendinblue|customer-?io|plunk|ses|inbound-?e?mails?|e?mail-?events?|bounces?)(?:[/_.-]|$)/i;

/** Event families of email providers (Resend `email.bounced`, `contact.created`, `domain.updated`). */
const EMAIL_EVENT_FAMILIES = new Set(["email", "contact", "domain"]);

/**
 * An email-delivery or inbound-email webhook module: its path names such a provider and every
 * provider event name in it is an email event (so a Clerk `user.created` handler that happens
 * to live at `webhooks/resend-welcome` is still identity code).
 */
export function isEmailProviderModule(file: FileContext): boolean {
  return file.memo("identity:email-provider-module", () => {
    if (!EMAIL_PROVIDER_PATH.test(file.path)) return false;
    for (const source of file.importSources) if (source.startsWith("@clerk/") || isPaymentSdkModule(source)) return false;
    return providerEventLiterals(file.program).every((literal) => EMAIL_EVENT_FAMILIES.has(String(literal.value).split(".")[0]!));
  });
}

/**
 * `webhook` inside a webhook handler, anywhere in a webhook module, or inside a Convex
 * function driven by webhooks; `billing` elsewhere in a billing module; null otherwise (an
 * admin search page, a profile form) and in email-provider webhook modules.
 */
/** Cheap whole-file test: some node may have an identity context (what {@link identityContextAt} needs). */
function mayHaveIdentityContext(file: FileContext): boolean {
  if (isEmailProviderModule(file)) return false;
  const fns = convexFunctions(file);
  return fns.some(isWebhookNamedConvexFunction) || isBillingModule(file) || fns.some((fn) => writesBillingState(file, fn));
}

export function identityContextAt(file: FileContext, node: Node): IdentityContext | null {
  if (isEmailProviderModule(file)) return null;
  const convex = enclosingConvexFunction(file, node);
  if (convex && isWebhookNamedConvexFunction(convex)) return "webhook";
  if (!isBillingModule(file)) return convex && writesBillingState(file, convex) ? "billing" : null;
  if (isWebhookModule(file) || enclosingWebhookHandler(file, node)) return "webhook";
  if (convex && webhookDrivenConvexFunctions(file).includes(convex)) return "webhook";
  return "billing";
}

/**
 * A Convex mutation or action that writes billing or provider state it is handed
 * (`stripeCustomerId: args.stripeCustomerId`, `tier: args.tier`, `credits: user.credits + amount`),
 * inserts into a billing table or runs an internal billing function: billing identity code
 * whatever its name or module (`updateSubscription` in `convex/users.ts`). Defaults written at
 * sign-up (`tier: "free"`, `credits: 0`) and roles do not make it so.
 */
export function writesBillingState(file: FileContext, fn: ConvexFunction): boolean {
  if (fn.kind === "query" || fn.kind === "httpAction" || !fn.handler) return false;
  return file.memoAt(fn.node, "identity:writes-billing", () =>
    billingStateChanges(file, fn).some((change) => {
      if (change.kind === "table" || change.kind === "internal-call") return true;
      if (change.kind !== "field" || isRoleFieldName(change.name)) return false;
      const prop = change.node.parent;
      return !(prop?.type === "Property" && prop.key === change.node && isConstantValue(prop.value));
    }),
  );
}

/** A literal written as is: `"free"`, `0`, `false`, `null`, a template without expressions. */
function isConstantValue(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return true;
  if (n.type === "TemplateLiteral") return n.expressions.length === 0;
  if (n.type === "Identifier") return n.name === "undefined";
  if (n.type === "UnaryExpression") return isConstantValue(n.argument);
  return false;
}

const WEBHOOK_FUNCTION_NAME = /webhook|from(?:clerk|stripe|polar|paddle|lemon)|(?:stripe|clerk|polar|paddle|lemon\w*)(?:event|webhook)|^handle\w*event/i;

/**
 * A Convex function named for webhook work (`upsertFromClerk`, `handleStripeEvent`,
 * `fulfillFromWebhook`), wherever it lives: the `convex/users.ts` that `convex/http.ts` calls.
 */
export function isWebhookNamedConvexFunction(fn: ConvexFunction): boolean {
  return fn.kind !== "httpAction" && fn.exportName !== null && WEBHOOK_FUNCTION_NAME.test(fn.exportName);
}

// ---------------------------------------------------------------------------------------
// Lookups by email.

export type EmailLookupKind =
  | "convex-index"
  | "convex-filter"
  | "query-filter"
  | "where-object"
  | "filter-object"
  | "provider-search"
  | "named-lookup"
  | "array-find";

export interface EmailLookup {
  /** The call that performs the lookup (reported). */
  node: TSESTree.CallExpression;
  kind: EmailLookupKind;
  /** The email field, index name or helper name the lookup goes through. */
  field: string;
  /** A short description for messages: `withIndex("by_email")`, `where: { email }`. */
  label: string;
  /** What is looked up: `users` (a table or model), `Stripe customer`, `Clerk user`; `record` when unknown. */
  subject: string;
  /** The value compared with the email field, when the model can see it. */
  value: Node | null;
}

/** Tables keyed by email by nature: invitations, waitlists, newsletter contacts, verification tokens. */
const EMAIL_KEYED_TABLES =
  /invit|waitlist|newsletter|contact|lead|bounce|suppress|allow_?list|whitelist|block_?list|blacklist|otp|verification|magic|token|unsubscribe|audience|e?mails?$/i;

const QUERY_TARGET_METHODS = new Set(["query", "from", "table", "selectFrom", "updateTable", "deleteFrom", "collection", "into", "model"]);

/** The table/model a query chain reads: `ctx.db.query("users")`, `prisma.user`, `.from("profiles")`, `User`. */
function queryTarget(call: TSESTree.CallExpression): string | null {
  let current: Node = call;
  for (let i = 0; i < 12; i++) {
    if (current.type !== "CallExpression") return null;
    const callee = unwrap(current.callee);
    if (callee.type !== "MemberExpression") return null;
    const object = unwrapAwait(callee.object);
    if (object.type === "CallExpression") {
      const name = calleeName(object);
      if (name && QUERY_TARGET_METHODS.has(name)) {
        const arg = object.arguments[0];
        const value = staticString(arg) ?? (arg ? memberPath(arg)?.join(".") ?? null : null);
        if (value) return value;
      }
      current = object;
      continue;
    }
    if (object.type === "MemberExpression") return propertyName(object);
    if (object.type === "Identifier") return object.name;
    return null;
  }
  return null;
}

function isEmailKeyedTable(target: string | null): boolean {
  return target !== null && EMAIL_KEYED_TABLES.test(target.split(".").pop() ?? target);
}

/** `q.field("email")`, a `users.email` column, or the string `"email"`. */
function emailFieldOf(file: FileContext, node: Node | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  const literal = staticString(n);
  if (literal !== null) return isEmailField(file, literal) ? literal : null;
  if (n.type === "CallExpression" && calleeName(n) === "field") {
    const name = staticString(n.arguments[0]);
    return name !== null && isEmailField(file, name) ? name : null;
  }
  if (n.type === "MemberExpression") {
    const name = propertyName(n);
    return name !== null && isEmailField(file, name) ? name : null;
  }
  return null;
}

const PREDICATE_METHODS = new Set(["eq", "ilike", "like", "equals", "equalTo", "where", "andWhere", "orWhere", "whereEqualTo"]);
const FILTER_OBJECT_METHODS = new Set([
  "findOne",
  "findOneBy",
  "findBy",
  "find",
  "findOneAndUpdate",
  "findOneAndReplace",
  "findOneAndDelete",
  "updateOne",
  "deleteOne",
  "exists",
  "where",
  "andWhere",
  "match",
]);

/**
 * An object literal filter with an email key: `{ email }`, `{ email: { equals: x } }`,
 * `{ OR: [{ email }] }`; with `relations`, also a relation filter `{ user: { email } }`.
 */
function emailKeyIn(file: FileContext, node: Node | undefined, depth = 2, relations = false): TSESTree.Property | null {
  if (!node || depth < 0) return null;
  const object = unwrap(node);
  if (object.type === "ArrayExpression") {
    for (const element of object.elements) {
      const found = element && element.type !== "SpreadElement" ? emailKeyIn(file, element, depth) : null;
      if (found) return found;
    }
    return null;
  }
  if (object.type !== "ObjectExpression") return null;
  for (const prop of object.properties) {
    if (prop.type !== "Property") continue;
    const key = keyName(prop);
    if (key === null) continue;
    if (isEmailField(file, key)) return prop;
    if (key === "AND" || key === "OR" || key === "$or" || key === "$and" || key === "or" || key === "and" || (relations && key !== "NOT")) {
      const found = emailKeyIn(file, prop.value, depth - 1, relations);
      if (found) return found;
    }
  }
  return null;
}

function propertyValue(prop: TSESTree.Property): Node {
  const value = unwrap(prop.value);
  if (value.type === "ObjectExpression") {
    const inner = objectProperties(value);
    const equals = inner.get("equals") ?? inner.get("eq") ?? inner.get("$eq");
    if (equals) return equals.value;
  }
  return prop.value;
}

const NAMED_LOOKUP = /by_?e?mail(?:address)?$|^(?:find|get|lookup|fetch|load|resolve|query)(?:user|customer|account|profile|member|subscriber)s?(?:from|via|with|for|by)e?mail/i;

/** `getUserByEmail`, `findCustomerByEmail`, `api.users.getByEmail`. */
export function isNamedEmailLookup(name: string): boolean {
  return NAMED_LOOKUP.test(name);
}

const PROVIDER_NAMES: Record<string, string> = {
  stripe: "Stripe customer",
  polar: "Polar customer",
  paddle: "Paddle customer",
  clerk: "Clerk user",
};

function providerOf(segments: readonly string[], fallback: string): string {
  for (const segment of segments) {
    const lower = segment.toLowerCase();
    for (const [key, label] of Object.entries(PROVIDER_NAMES)) if (lower.includes(key)) return label;
  }
  return fallback;
}

/** `stripe.customers.search({ query: "email:'a@b.c'" })`: a search string that filters on email. */
function searchesEmail(node: Node | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  const text =
    n.type === "TemplateLiteral" ? n.quasis.map((q) => q.value.cooked ?? "").join("${}") : (staticString(n) ?? "");
  return /\bemail\s*[:~]/i.test(text);
}

function singular(target: string | null): string {
  if (!target) return "record";
  return target.split(".").pop() ?? target;
}

/** Classifies one call as a lookup of a user/customer by email, or returns null. */
export function emailLookupAt(file: FileContext, call: TSESTree.CallExpression): EmailLookup | null {
  const name = calleeName(call);
  if (!name) return null;
  const callee = unwrap(call.callee);
  const segments = calleeSegments(callee);
  const first = call.arguments[0];

  // Convex: .withIndex("by_email", (q) => q.eq("email", x)) and .filter((q) => q.eq(q.field("email"), x)).
  if (name === "withIndex" && callee.type === "MemberExpression") {
    const index = staticString(first);
    const range = call.arguments[1];
    const predicate = range ? emailPredicateIn(file, range) : null;
    const indexSaysEmail = index !== null && /e-?mail/i.test(index);
    if (indexSaysEmail || predicate) {
      const target = queryTarget(call);
      if (isEmailKeyedTable(target)) return null;
      return {
        node: call,
        kind: "convex-index",
        field: indexSaysEmail ? index : predicate!.field,
        label: indexSaysEmail ? `withIndex("${index}")` : `withIndex("${index ?? "..."}", q.eq("${predicate!.field}", ...))`,
        subject: singular(target),
        value: predicate?.value ?? null,
      };
    }
    return null;
  }
  if (name === "filter" && callee.type === "MemberExpression" && first && isFunction(unwrap(first))) {
    const fn = unwrap(first) as FunctionNode;
    // Convex `q.field(...)` filters; array filters are handled as array-find below.
    const predicate = emailPredicateIn(file, fn, true);
    if (predicate) {
      const target = queryTarget(call);
      if (isEmailKeyedTable(target)) return null;
      return {
        node: call,
        kind: "convex-filter",
        field: predicate.field,
        label: `filter(q.eq(q.field("${predicate.field}"), ...))`,
        subject: singular(target),
        value: predicate.value,
      };
    }
  }

  // Provider APIs: stripe.customers.list({ email }), stripe.customers.search({ query: "email:..." }),
  // clerkClient.users.getUserList({ emailAddress }), lemonSqueezy listCustomers({ filter: { email } }).
  const receiver = segments[segments.length - 2];
  if (receiver === "customers" && name === "list") {
    const prop = emailKeyIn(file, first, 0);
    if (prop) {
      const subject = providerOf(segments, "provider customer");
      return { node: call, kind: "provider-search", field: keyName(prop) ?? "email", label: `customers.list({ ${keyName(prop)} })`, subject, value: propertyValue(prop) };
    }
  }
  if (receiver === "customers" && name === "search") {
    const query = objectProperties(first).get("query");
    if (query && searchesEmail(query.value)) {
      return { node: call, kind: "provider-search", field: "email", label: 'customers.search({ query: "email:..." })', subject: providerOf(segments, "Stripe customer"), value: null };
    }
  }
  if (receiver === "users" && (name === "getUserList" || name === "list")) {
    const prop = emailKeyIn(file, first, 0);
    if (prop) {
      return { node: call, kind: "provider-search", field: keyName(prop) ?? "emailAddress", label: `users.${name}({ ${keyName(prop)} })`, subject: providerOf(segments, "Clerk user"), value: propertyValue(prop) };
    }
  }
  if (name === "listCustomers") {
    const filter = objectProperties(first).get("filter");
    const prop = filter ? emailKeyIn(file, filter.value, 0) : null;
    if (prop) {
      return { node: call, kind: "provider-search", field: keyName(prop) ?? "email", label: `listCustomers({ filter: { ${keyName(prop)} } })`, subject: "Lemon Squeezy customer", value: propertyValue(prop) };
    }
  }

  // Query builders: .eq("email", x) (Supabase), .where("email", "=", x) (Kysely/Knex/Firestore), eq(users.email, x) (Drizzle).
  if (PREDICATE_METHODS.has(name) && first && !isConvexPredicate(call)) {
    const field = emailFieldOf(file, first);
    if (field !== null && call.arguments.length >= 2 && !(unwrap(first).type === "MemberExpression" && callee.type === "MemberExpression")) {
      const target = unwrap(first).type === "MemberExpression" ? (memberPath(unwrap(first))?.slice(-2, -1)[0] ?? null) : queryTarget(call);
      if (isEmailKeyedTable(target)) return null;
      const value = call.arguments[call.arguments.length - 1] ?? null;
      return { node: call, kind: "query-filter", field, label: `${name}(${staticString(first) !== null ? `"${field}"` : field}, ...)`, subject: singular(target), value };
    }
  }

  // ORMs: prisma.user.findUnique({ where: { email } }), findOne({ where: { email } }).
  if (callee.type === "MemberExpression" && first) {
    const where = objectProperties(first).get("where");
    const prop = where ? emailKeyIn(file, where.value, 2, true) : null;
    if (prop) {
      const target = queryTarget(call);
      if (isEmailKeyedTable(target)) return null;
      return { node: call, kind: "where-object", field: keyName(prop)!, label: `${name}({ where: { ${keyName(prop)} } })`, subject: singular(target), value: propertyValue(prop) };
    }
    // Mongoose/TypeORM/Knex: User.findOne({ email }), repo.findOneBy({ email }), .where({ email }), .match({ email }).
    if (FILTER_OBJECT_METHODS.has(name)) {
      const direct = emailKeyIn(file, first);
      if (direct) {
        const target = queryTarget(call);
        if (isEmailKeyedTable(target)) return null;
        return { node: call, kind: "filter-object", field: keyName(direct)!, label: `${name}({ ${keyName(direct)} })`, subject: singular(target), value: propertyValue(direct) };
      }
    }
  }

  // Array search: users.find((u) => u.email === email) (e.g. after supabase.auth.admin.listUsers()).
  if ((name === "find" || name === "findIndex" || name === "filter") && callee.type === "MemberExpression" && first) {
    const fn = unwrap(first);
    if (isFunction(fn)) {
      const compared = arrayPredicateEmail(file, fn);
      if (compared) {
        const target = lastSegment(unwrap(callee.object));
        return { node: call, kind: "array-find", field: compared.field, label: `${name}((x) => x.${compared.field} === ...)`, subject: target ?? "record", value: compared.value };
      }
    }
  }

  // Named helpers and Convex functions: getUserByEmail(email), ctx.runQuery(internal.users.getByEmail, { email }).
  const convexCall = convexCallAt(file, call);
  if (convexCall?.ref) {
    const last = convexCall.ref.path[convexCall.ref.path.length - 1] ?? "";
    if (isNamedEmailLookup(last)) {
      const label = `${convexCall.ref.visibility === "internal" ? "internal" : "api"}.${convexCall.ref.path.join(".")}`;
      const value = emailKeyIn(file, convexCall.argsNode ?? undefined);
      return { node: call, kind: "named-lookup", field: last, label, subject: "user", value: value ? propertyValue(value) : null };
    }
    return null;
  }
  if (isNamedEmailLookup(name) && !definedInFile(call)) {
    const objectArg = emailKeyIn(file, first);
    return { node: call, kind: "named-lookup", field: name, label: `${name}(...)`, subject: "user", value: objectArg ? propertyValue(objectArg) : (first ?? null) };
  }
  return null;
}

/** A `q.eq(...)` inside a Convex `withIndex`/`filter` callback: judged with its query, not alone. */
function isConvexPredicate(call: TSESTree.CallExpression): boolean {
  const fn = enclosingFunctionOf(call);
  const parent = fn?.parent;
  if (!fn || parent?.type !== "CallExpression" || !parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const name = calleeName(parent);
  return name === "withIndex" || name === "filter" || name === "withSearchIndex";
}

function lastSegment(node: Node): string | null {
  const segments = calleeSegments(node);
  const last = segments.filter((s) => s !== "()" && s !== "?" && s !== "[]").pop();
  return last ?? null;
}

/** A same-file helper is analysed where it is defined; reporting its call sites too would be noise. */
function definedInFile(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") return functionOf(callee, 1) !== null;
  if (callee.type === "MemberExpression" && unwrap(callee.object).type === "ThisExpression") return true;
  return false;
}

/** `q.eq("email", x)` or `q.eq(q.field("email"), x)` inside a Convex range/filter callback. */
function emailPredicateIn(file: FileContext, root: Node, fieldCallsOnly = false): { field: string; value: Node | null } | null {
  for (const inner of findAll(root, ["CallExpression"])) {
    if (calleeName(inner) !== "eq") continue;
    const [a, b] = inner.arguments;
    for (const [side, other] of [
      [a, b],
      [b, a],
    ] as const) {
      if (!side) continue;
      const n = unwrap(side);
      if (fieldCallsOnly && !(n.type === "CallExpression" && calleeName(n) === "field")) continue;
      const field = emailFieldOf(file, n);
      if (field !== null && (n.type === "CallExpression" || staticString(n) !== null)) return { field, value: other ?? null };
    }
  }
  return null;
}

/** `(u) => u.email === email` (also `.toLowerCase()`d and with a block body returning it). */
function arrayPredicateEmail(file: FileContext, fn: FunctionNode): { field: string; value: Node } | null {
  const param = fn.params[0];
  if (!param || param.type !== "Identifier") return null;
  let body: Node | null = fn.body;
  if (body.type === "BlockStatement") {
    const statements = functionStatements(fn) ?? [];
    const last = statements[statements.length - 1];
    body = statements.length === 1 && last?.type === "ReturnStatement" ? last.argument : null;
  }
  if (!body) return null;
  const comparison = unwrap(body);
  if (comparison.type !== "BinaryExpression" || (comparison.operator !== "===" && comparison.operator !== "==")) return null;
  for (const [side, other] of [
    [comparison.left, comparison.right],
    [comparison.right, comparison.left],
  ] as const) {
    const path = memberPath(stripValueWrappers(side));
    if (path && path.length === 2 && path[0] === param.name && isEmailField(file, path[1]!)) return { field: path[1]!, value: other };
  }
  return null;
}

/** Every lookup by email in the file, outermost first (an index lookup hides the predicates inside it). */
export function emailLookups(file: FileContext): readonly EmailLookup[] {
  return file.memo("identity:email-lookups", () => {
    const out: EmailLookup[] = [];
    for (const call of nodesOfType(file.program, "CallExpression")) {
      if (out.some((found) => found.node !== call && contains(found.node, call) && isInsideArguments(found.node, call))) continue;
      const lookup = emailLookupAt(file, call);
      if (lookup) out.push(lookup);
    }
    return out;
  });
}

function isInsideArguments(outer: TSESTree.CallExpression, inner: Node): boolean {
  return outer.arguments.some((argument) => contains(argument, inner));
}

// ---------------------------------------------------------------------------------------
// Provider emails (the address on a Stripe object) used as a key.

const STRIPE_EMAIL_LEAVES = new Set(["customer_email", "receipt_email"]);
const STRIPE_EMAIL_PARENTS = new Set(["customer_details", "billing_details"]);

/** Objects of a provider event payload that hold the buyer (Polar `data.customer`, Lemon Squeezy `data.attributes`). */
const PAYLOAD_BUYER_PARENTS = new Set(["customer", "attributes", "buyer", "purchaser"]);
const PAYLOAD_BUYER_EMAIL = /^(?:customer|user|buyer)_?email$/i;

/**
 * True for the email on a provider object: Stripe's `session.customer_details.email`,
 * `customer_email`, `receipt_email`, `billing_details.email`, the `email` of `event.data.object` or
 * of a customer from `stripe.customers.retrieve()`; the buyer in another provider's event payload
 * (Polar `payload.data.customer.email`, `data.customerEmail`, Lemon Squeezy
 * `data.attributes.user_email`). These are what the buyer typed at checkout and go stale.
 */
export function isProviderEmailExpression(file: FileContext, node: Node): boolean {
  const { root, path } = accessPath(node);
  const leaf = path[path.length - 1];
  if (leaf === undefined) return false;
  if (STRIPE_EMAIL_LEAVES.has(leaf)) return true;
  if (!isEmailField(file, leaf)) return false;
  if (path.slice(0, -1).some((segment) => STRIPE_EMAIL_PARENTS.has(segment))) return true;
  if (path.length >= 3 && path[0] === "data" && path[1] === "object") return true;
  if (path.length >= 2 && path[0] === "data" && (PAYLOAD_BUYER_EMAIL.test(leaf) || path.slice(1, -1).some((segment) => PAYLOAD_BUYER_PARENTS.has(segment)))) {
    return true;
  }
  if (root.type === "CallExpression") {
    const segments = calleeSegments(root.callee);
    if (segments[segments.length - 2] === "customers" && segments[segments.length - 1] === "retrieve") return true;
  }
  return false;
}

/** The provider's id of the event's own object (`payload.data.id`, `event.data.object.id`): an order id, not the app's user. */
function isProviderObjectId(node: Node): boolean {
  const { path } = accessPath(node);
  const key = path.join(".");
  return key === "data.id" || key === "data.object.id";
}

export interface EmailKeyUse {
  /** The provider email expression (reported). */
  node: Node;
  /** The call it is passed to. */
  call: TSESTree.CallExpression;
  /** `internal.users.upgradeByEmail`, `grantAccess` for messages. */
  target: string;
}

const KEY_VERBS =
  /^(?:update|upgrade|downgrade|grant|revoke|activate|deactivate|provision|deprovision|set|mark|credit|add|give|link|upsert|fulfil|fulfill|unlock|enable|disable|cancel|extend|renew|record|save|apply|assign|sync|handle|find|get|lookup|fetch|load|resolve)[A-Z_]/;
/** What such a helper acts on: `grantAccess`, `upgradeUser`, `fulfillOrder`, `addCredits` (not `setHeader`). */
const KEY_ENTITIES = /user|customer|account|profile|member|subscri|plan|tier|credit|access|order|purchase|premium|pro(?:[A-Z_]|$)|licen[cs]e|entitlement|seat|billing/i;
const NOT_A_KEY = /mail|send|notif|log|track|capture|identify|welcome|receipt|invite|newsletter|resend|alert/i;

/**
 * A Stripe email passed as the key of a mutation or helper: `ctx.runMutation(internal.users.setPro,
 * { email: session.customer_details.email })` (no identity key beside it), `grantAccess(session.customer_email)`.
 * Not sending email, logging, or storing the email next to the user id.
 */
export function providerEmailKeyAt(file: FileContext, call: TSESTree.CallExpression): EmailKeyUse | null {
  const convexCall = convexCallAt(file, call);
  let target: string | null = null;
  let candidates: readonly Node[] = [];
  if (convexCall) {
    if (!convexCall.ref) return null;
    target = `${convexCall.ref.visibility === "internal" ? "internal" : "api"}.${convexCall.ref.path.join(".")}`;
    if (convexCall.ref.path.some((segment) => NOT_A_KEY.test(segment))) return null;
    candidates = convexCall.argsNode ? [convexCall.argsNode] : [];
  } else {
    const name = calleeName(call);
    if (!name || !KEY_VERBS.test(name) || !KEY_ENTITIES.test(name) || NOT_A_KEY.test(name)) return null;
    const segments = calleeSegments(call.callee);
    if (segments.some((segment) => NOT_A_KEY.test(segment) || segment === "console")) return null;
    target = name;
    candidates = call.arguments;
  }
  for (const candidate of candidates) {
    const n = unwrap(candidate);
    if (n.type === "ObjectExpression") {
      if (hasSpread(n)) continue;
      const props = [...objectProperties(n).entries()];
      if (props.some(([key, prop]) => isIdentityKey(file, key) && !isNullish(prop.value) && !isProviderObjectId(prop.value))) continue;
      for (const [key, prop] of props) {
        if (isEmailField(file, key) && isProviderEmailExpression(file, prop.value)) return { node: prop.value, call, target };
      }
    } else if (n.type !== "SpreadElement" && isProviderEmailExpression(file, n)) {
      return { node: n, call, target };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// What a rule reports: email lookups and email keys where they matter.

export interface EmailIdentityFinding {
  context: IdentityContext;
  lookup: EmailLookup | null;
  key: EmailKeyUse | null;
}

/**
 * The email-as-identity findings of the file. In webhook context every lookup by email counts.
 * In other billing code only provider searches (`stripe.customers.list({ email })`), lookups
 * inside Convex functions, and lookups keyed by a Stripe email do: a Next.js route that reads
 * its own auth session's email is left alone.
 */
export function emailIdentityFindings(file: FileContext): readonly EmailIdentityFinding[] {
  return file.memo("identity:email-findings", () => {
    if (!mayHaveIdentityContext(file)) return [];
    const out: EmailIdentityFinding[] = [];
    const lookupCalls = new Set<Node>();
    for (const lookup of emailLookups(file)) {
      lookupCalls.add(lookup.node);
      const context = identityContextAt(file, lookup.node);
      if (!context) continue;
      if (context === "billing" && !countsInBillingCode(file, lookup)) continue;
      out.push({ context, lookup, key: null });
    }
    for (const call of nodesOfType(file.program, "CallExpression")) {
      if (lookupCalls.has(call)) continue;
      if ([...lookupCalls].some((outer) => contains(outer, call))) continue;
      const key = providerEmailKeyAt(file, call);
      if (!key) continue;
      const context = identityContextAt(file, call);
      if (context) out.push({ context, lookup: null, key });
    }
    return out.sort((a, b) => (a.lookup ?? a.key)!.node.range[0] - (b.lookup ?? b.key)!.node.range[0]);
  });
}

function countsInBillingCode(file: FileContext, lookup: EmailLookup): boolean {
  if (lookup.kind === "provider-search") return true;
  const convex = enclosingConvexFunction(file, lookup.node);
  if (convex && convex.kind !== "httpAction") return true;
  return lookup.value !== null && isProviderEmailExpression(file, lookup.value);
}

// ---------------------------------------------------------------------------------------
// Provider objects created with (or without) the app's user id.

export type PaymentCreateKind =
  | "stripe-checkout"
  | "stripe-customer"
  | "stripe-subscription"
  | "stripe-payment-intent"
  | "polar-checkout"
  | "lemon-squeezy-checkout"
  | "lemon-squeezy-rest";

export type IdentityLocation =
  | "metadata"
  | "client_reference_id"
  | "subscription_data.metadata"
  | "payment_intent_data.metadata"
  | "customer"
  | "external_customer_id"
  | "customer_metadata"
  | "custom";

export interface IdentityCarrier {
  location: IdentityLocation;
  /** The key as written: `userId`, `client_reference_id`, `customer`. */
  key: string;
  property: TSESTree.Property;
  value: Node;
}

export interface PaymentCreate {
  /** The create call, or the REST request body object for Lemon Squeezy. */
  node: TSESTree.CallExpression | TSESTree.ObjectExpression;
  kind: PaymentCreateKind;
  /** `checkout.sessions.create`, `customers.create`, `polar.checkouts.create`, `createCheckout`. */
  label: string;
  /** The parameters object literal (resolved through a same-function `const`), or null. */
  params: TSESTree.ObjectExpression | null;
  /** False when an id could hide somewhere the model cannot see (a spread, a variable, a call). */
  complete: boolean;
  carriers: IdentityCarrier[];
  /** Stripe Checkout `mode` when static. */
  mode: string | null;
  /** The email field that prefills the buyer (`customer_email`, `email`, `receipt_email`, `customerEmail`). */
  emailLink: TSESTree.Property | null;
  /** Object literal that holds (or should hold) the metadata: `metadata`, `checkoutData.custom`, or null when absent. */
  metadataObject: TSESTree.ObjectExpression | null;
  /** Stripe Checkout `subscription_data`: its object literal, `null` when absent, `"opaque"` when not a literal. */
  subscriptionData: TSESTree.ObjectExpression | null | "opaque";
  /** The created object's id is stored against the user right after (`ctx.runMutation(..., { stripeCustomerId: customer.id })`). */
  mapped: boolean;
}

const STRIPE_CREATES = lookupTable<PaymentCreateKind>({
  "checkout.sessions.create": "stripe-checkout",
  "customers.create": "stripe-customer",
  "subscriptions.create": "stripe-subscription",
  "paymentIntents.create": "stripe-payment-intent",
});

function isStripeReceiver(file: FileContext, segments: readonly string[], at: Node): boolean {
  const head = segments.slice(0, -2);
  if (head.some((segment) => /stripe/i.test(segment))) return true;
  const root = head[0];
  if (!root) return false;
  const binding = file.imports.get(root);
  if (binding && (binding.source === "stripe" || /stripe/i.test(binding.source))) return true;
  const declared = resolveName(root, at);
  if (declared?.kind === "variable" && declared.init) {
    const init = unwrapAwait(declared.init);
    if (init.type === "NewExpression" && calleeName(init) === "Stripe") return true;
  }
  return false;
}

function isPolarReceiver(file: FileContext, segments: readonly string[]): boolean {
  if (segments.some((segment) => /polar/i.test(segment))) return true;
  for (const source of file.importSources) if (source.startsWith("@polar-sh/")) return true;
  return false;
}

interface Collected {
  carriers: IdentityCarrier[];
  complete: boolean;
}

/** Identity keys inside a metadata-like value (object literal or a const that holds one). */
function identityKeysIn(file: FileContext, value: Node, location: IdentityLocation): Collected & { object: TSESTree.ObjectExpression | null } {
  const resolved = resolveObject(value);
  if (!resolved) return { carriers: [], complete: true, object: null };
  if (isNullish(resolved)) return { carriers: [], complete: true, object: null };
  if (resolved.type !== "ObjectExpression") return { carriers: [], complete: false, object: null };
  const carriers: IdentityCarrier[] = [];
  for (const prop of resolved.properties) {
    if (prop.type !== "Property") continue;
    const key = keyName(prop);
    if (key !== null && isIdentityKey(file, key) && !isNullish(prop.value)) carriers.push({ location, key, property: prop, value: prop.value });
  }
  const complete = carriers.length > 0 || !hasSpread(resolved);
  return { carriers, complete, object: resolved };
}

function collect(into: Collected, found: Collected): void {
  into.carriers.push(...found.carriers);
  if (!found.complete) into.complete = false;
}

/** A plain carrier property (`client_reference_id`, `customer`, `customerExternalId`) when set to something. */
function carrierProperty(props: Map<string, TSESTree.Property>, key: string, location: IdentityLocation): IdentityCarrier | null {
  const prop = props.get(key);
  if (!prop || isNullish(prop.value)) return null;
  return { location, key, property: prop, value: prop.value };
}

function staticValue(node: Node | undefined): string | null {
  if (!node) return null;
  const direct = staticString(node);
  if (direct !== null) return direct;
  const resolved = resolveObject(node);
  return resolved && resolved !== unwrap(node) ? staticString(resolved) : null;
}

/** Resolves the params argument: an object literal, or a const in scope that holds one (and is not patched later). */
function paramsObject(call: TSESTree.CallExpression, argument: Node | undefined): { params: TSESTree.ObjectExpression | null; complete: boolean } {
  if (!argument) return { params: null, complete: true };
  const direct = unwrap(argument);
  if (direct.type === "ObjectExpression") return { params: direct, complete: true };
  if (direct.type === "Identifier") {
    const resolved = resolveObject(direct, 1);
    if (resolved && resolved.type === "ObjectExpression") {
      const fn = enclosingFunctionOf(call) ?? call;
      if (!isMutatedLater(fn, direct.name, resolved.range[1])) return { params: resolved, complete: true };
    }
  }
  return { params: null, complete: false };
}

/** Classifies one call as the creation of a provider object that should carry the user id. */
export function paymentCreateAt(file: FileContext, call: TSESTree.CallExpression): PaymentCreate | null {
  const name = calleeName(call);
  if (!name) return null;
  const callee = unwrap(call.callee);
  if (name === "create" && callee.type === "MemberExpression") {
    const segments = calleeSegments(callee);
    const tail3 = segments.slice(-3).join(".");
    const tail2 = segments.slice(-2).join(".");
    // `checkout.sessions` is Stripe's alone; `customers`/`subscriptions` need a Stripe-looking receiver.
    if (tail3 === "checkout.sessions.create") return stripeCreate(file, call, "stripe-checkout", tail3);
    if (STRIPE_CREATES[tail2] && isStripeReceiver(file, segments, call)) {
      return stripeCreate(file, call, STRIPE_CREATES[tail2], tail2);
    }
    const checkoutsAt = segments.lastIndexOf("checkouts");
    if (checkoutsAt >= 0 && (checkoutsAt === segments.length - 2 || (segments[checkoutsAt + 1] === "custom" && checkoutsAt === segments.length - 3)) && isPolarReceiver(file, segments)) {
      return polarCreate(file, call, segments.slice(checkoutsAt - 1 >= 0 ? checkoutsAt - 1 : 0).join("."));
    }
    return null;
  }
  if (callee.type === "Identifier") {
    const binding = file.imports.get(callee.name);
    if (binding && binding.source === "@lemonsqueezy/lemonsqueezy.js" && binding.imported === "createCheckout") {
      return lemonSqueezyCreate(file, call, callee.name);
    }
  }
  return null;
}

function stripeCreate(file: FileContext, call: TSESTree.CallExpression, kind: PaymentCreateKind, label: string): PaymentCreate {
  const { params, complete: paramsVisible } = paramsObject(call, call.arguments[0]);
  const result: Collected = { carriers: [], complete: paramsVisible };
  let mode: string | null = null;
  let emailLink: TSESTree.Property | null = null;
  let metadataObject: TSESTree.ObjectExpression | null = null;
  let subscriptionData: TSESTree.ObjectExpression | null | "opaque" = null;
  if (params) {
    if (hasSpread(params)) result.complete = false;
    const props = objectProperties(params);
    const metadata = props.get("metadata");
    if (metadata) {
      const found = identityKeysIn(file, metadata.value, "metadata");
      collect(result, found);
      metadataObject = found.object;
    }
    const customer = carrierProperty(props, "customer", "customer");
    if (customer && isLinkedCustomer(file, customer.value)) result.carriers.push(customer);
    if (kind === "stripe-checkout") {
      const reference = carrierProperty(props, "client_reference_id", "client_reference_id");
      if (reference) result.carriers.push(reference);
      mode = staticValue(props.get("mode")?.value);
      for (const [key, location] of [
        ["subscription_data", "subscription_data.metadata"],
        ["payment_intent_data", "payment_intent_data.metadata"],
      ] as const) {
        const prop = props.get(key);
        if (!prop) continue;
        const inner = resolveObject(prop.value);
        if (!inner || inner.type !== "ObjectExpression") {
          if (key === "subscription_data") subscriptionData = "opaque";
          result.complete = false;
          continue;
        }
        if (key === "subscription_data") subscriptionData = hasSpread(inner) ? "opaque" : inner;
        if (hasSpread(inner)) result.complete = false;
        const innerMetadata = objectProperties(inner).get("metadata");
        if (innerMetadata) {
          const found = identityKeysIn(file, innerMetadata.value, location);
          collect(result, found);
          if (key === "subscription_data" && !found.complete) subscriptionData = "opaque";
        }
      }
      emailLink = props.get("customer_email") ?? null;
    } else if (kind === "stripe-customer") {
      emailLink = props.get("email") ?? null;
    } else if (kind === "stripe-payment-intent") {
      emailLink = props.get("receipt_email") ?? null;
    }
  }
  return {
    node: call,
    kind,
    label,
    params,
    complete: result.complete,
    carriers: result.carriers,
    mode,
    emailLink: emailLink && !isNullish(emailLink.value) ? emailLink : null,
    metadataObject,
    subscriptionData,
    mapped: isResultIdStored(file, call, kind === "stripe-customer"),
  };
}

/**
 * Where a `customer` id may come from: the expressions it is read from, through `const`/`let`
 * (and later assignments), `await`, `?.`/`.data[0].id` reads, conditionals and `??`/`||`.
 * Stops at calls, parameters and anything it cannot see through.
 */
function valueSources(value: Node, depth = 6, seen = new Set<Node>()): Node[] {
  const n = unwrap(value);
  if (seen.has(n) || depth < 0) return [];
  seen.add(n);
  switch (n.type) {
    case "AwaitExpression":
      return valueSources(n.argument, depth, seen);
    case "MemberExpression":
      return valueSources(n.object, depth, seen);
    case "ConditionalExpression":
      return [...valueSources(n.consequent, depth, seen), ...valueSources(n.alternate, depth, seen)];
    case "LogicalExpression":
      return [...valueSources(n.left, depth, seen), ...valueSources(n.right, depth, seen)];
    case "Identifier": {
      const binding = resolveName(n.name, n);
      if (binding?.kind !== "variable") return [n];
      const out: Node[] = binding.init ? valueSources(binding.init, depth - 1, seen) : [];
      if (binding.declarationKind !== "const") {
        const scope = enclosingFunctionOf(binding.declarator) ?? binding.declarator;
        for (const node of findAll(scope, ["AssignmentExpression"])) {
          if (node.left.type === "Identifier" && node.left.name === n.name) out.push(...valueSources(node.right, depth - 1, seen));
        }
      }
      return out;
    }
    default:
      return [n];
  }
}

const STRIPE_CUSTOMER_CREATE = /^customers\.create$/;

/**
 * True when a `customer` id links the object to the app's user: it is not a customer found by
 * email at the provider (`customers.list({ email })`, `customers.search({ query: "email:..." })`,
 * `getCustomerByEmail(email)`), which may be anyone's who typed that address, nor a customer
 * created here with neither the user id in its metadata nor its id stored for the user. Ids read
 * from the app's own store, passed in by a caller, or created with the user id do link it.
 */
export function isLinkedCustomer(file: FileContext, value: Node): boolean {
  for (const source of valueSources(value)) {
    if (source.type !== "CallExpression") continue;
    const lookup = emailLookupAt(file, source);
    if (lookup && (lookup.kind === "provider-search" || (lookup.kind === "named-lookup" && /customer/i.test(lookup.field)))) return false;
    const callee = unwrap(source.callee);
    if (callee.type === "MemberExpression" && STRIPE_CUSTOMER_CREATE.test(calleeSegments(callee).slice(-2).join("."))) {
      const created = paymentCreateAt(file, source);
      if (created && created.complete && created.carriers.length === 0 && !created.mapped) return false;
    }
  }
  return true;
}

function polarCreate(file: FileContext, call: TSESTree.CallExpression, label: string): PaymentCreate {
  const { params, complete: paramsVisible } = paramsObject(call, call.arguments[0]);
  const result: Collected = { carriers: [], complete: paramsVisible };
  let metadataObject: TSESTree.ObjectExpression | null = null;
  let emailLink: TSESTree.Property | null = null;
  if (params) {
    if (hasSpread(params)) result.complete = false;
    const props = objectProperties(params);
    for (const [key, location] of [
      ["metadata", "metadata"],
      ["customerMetadata", "customer_metadata"],
    ] as const) {
      const prop = props.get(key);
      if (!prop) continue;
      const found = identityKeysIn(file, prop.value, location);
      collect(result, found);
      if (key === "metadata") metadataObject = found.object;
    }
    for (const key of ["customerExternalId", "externalCustomerId", "customer_external_id", "external_customer_id"]) {
      const carrier = carrierProperty(props, key, "external_customer_id");
      if (carrier) result.carriers.push(carrier);
    }
    for (const key of ["customerId", "customer_id"]) {
      const carrier = carrierProperty(props, key, "customer");
      if (carrier) result.carriers.push(carrier);
    }
    emailLink = props.get("customerEmail") ?? props.get("customer_email") ?? null;
  }
  return {
    node: call,
    kind: "polar-checkout",
    label,
    params,
    complete: result.complete,
    carriers: result.carriers,
    mode: null,
    emailLink: emailLink && !isNullish(emailLink.value) ? emailLink : null,
    metadataObject,
    subscriptionData: null,
    mapped: isResultIdStored(file, call, false),
  };
}

/** `checkoutData.custom` (SDK) / `checkout_data.custom` (REST) of a Lemon Squeezy checkout. */
function lemonSqueezyCustom(
  file: FileContext,
  options: TSESTree.ObjectExpression,
  dataKey: "checkoutData" | "checkout_data",
): Collected & { emailLink: TSESTree.Property | null; custom: TSESTree.ObjectExpression | null } {
  const result: Collected & { emailLink: TSESTree.Property | null; custom: TSESTree.ObjectExpression | null } = {
    carriers: [],
    complete: !hasSpread(options),
    emailLink: null,
    custom: null,
  };
  const data = objectProperties(options).get(dataKey);
  if (!data) return result;
  const dataObject = resolveObject(data.value);
  if (!dataObject || dataObject.type !== "ObjectExpression") {
    result.complete = false;
    return result;
  }
  if (hasSpread(dataObject)) result.complete = false;
  const props = objectProperties(dataObject);
  const email = props.get("email") ?? null;
  result.emailLink = email && !isNullish(email.value) ? email : null;
  const custom = props.get("custom");
  if (custom) {
    const found = identityKeysIn(file, custom.value, "custom");
    collect(result, found);
    result.custom = found.object;
  }
  return result;
}

function lemonSqueezyCreate(file: FileContext, call: TSESTree.CallExpression, local: string): PaymentCreate {
  const { params, complete } = paramsObject(call, call.arguments[2]);
  const found = params ? lemonSqueezyCustom(file, params, "checkoutData") : { carriers: [], complete, emailLink: null, custom: null };
  return {
    node: call,
    kind: "lemon-squeezy-checkout",
    label: `${local}()`,
    params,
    complete: complete && found.complete,
    carriers: found.carriers,
    mode: null,
    emailLink: found.emailLink,
    metadataObject: found.custom,
    subscriptionData: null,
    mapped: false,
  };
}

/** `{ data: { type: "checkouts", attributes: { checkout_data: { custom } } } }` sent to the Lemon Squeezy REST API. */
export function lemonSqueezyRestCheckoutAt(file: FileContext, object: TSESTree.ObjectExpression): PaymentCreate | null {
  const props = objectProperties(object);
  if (staticString(props.get("type")?.value) !== "checkouts") return null;
  const attributes = props.get("attributes");
  if (!attributes) return null;
  const attributesObject = resolveObject(attributes.value);
  const visible = !!attributesObject && attributesObject.type === "ObjectExpression";
  const found = visible
    ? lemonSqueezyCustom(file, attributesObject, "checkout_data")
    : { carriers: [], complete: false, emailLink: null, custom: null };
  return {
    node: object,
    kind: "lemon-squeezy-rest",
    label: "the Lemon Squeezy checkout request",
    params: visible ? (attributesObject) : null,
    complete: found.complete,
    carriers: found.carriers,
    mode: null,
    emailLink: found.emailLink,
    metadataObject: found.custom,
    subscriptionData: null,
    mapped: false,
  };
}

const RESPONSE_CALLS = new Set(["json", "redirect", "send", "stringify", "log", "info", "warn", "error", "debug", "end", "write", "push", "replace"]);

/**
 * True when the created object's id is stored by the app right after creation, which maps it to
 * the user without metadata: `await ctx.runMutation(internal.users.setStripeId, { userId,
 * stripeCustomerId: customer.id })`, `await kv.set(key, customer.id)`, `user.stripeCustomerId =
 * customer.id`. Returning it to the browser (`Response.json({ id: session.id })`) does not count.
 * With `returnsCount`, a helper that returns the object (`getOrCreateCustomer`) counts too: its
 * caller may store it.
 */
function isResultIdStored(file: FileContext, call: TSESTree.CallExpression, returnsCount: boolean): boolean {
  let parent: Node | undefined = call.parent;
  while (parent && (parent.type === "AwaitExpression" || parent.type === "TSAsExpression" || parent.type === "TSNonNullExpression")) parent = parent.parent;
  const fn = enclosingFunctionOf(call);
  if (!parent || !fn) return false;
  if (parent.type === "ReturnStatement" || (parent === fn.body && fn.body.type !== "BlockStatement")) {
    return returnsCount && !isRequestEntryPoint(file, fn);
  }
  if (parent.type !== "VariableDeclarator" || parent.id.type !== "Identifier") return false;
  const name = parent.id.name;
  let stored = false;
  walk(fn.body, (node) => {
    if (stored) return false;
    if (node.type !== "Identifier" || node.name !== name || node.range[0] <= parent.range[1]) return undefined;
    const use = node.parent;
    if (!use) return undefined;
    const idRead = use.type === "MemberExpression" && use.object === node && propertyName(use) === "id" ? use : null;
    const value: Node = idRead ?? node;
    if (idRead === null && use.type !== "ReturnStatement") return undefined;
    if (use.type === "ReturnStatement" || value.parent?.type === "ReturnStatement") {
      if (returnsCount && !isRequestEntryPoint(file, fn)) stored = true;
      return undefined;
    }
    let holder: Node | undefined = value.parent;
    for (let depth = 0; holder && depth < 6; depth++) {
      if (holder.type === "AssignmentExpression" && holder.right === value) {
        stored = unwrap(holder.left).type === "MemberExpression";
        break;
      }
      if (holder.type === "CallExpression" || holder.type === "NewExpression") {
        const callName = calleeName(holder);
        const segments = calleeSegments(holder.callee);
        // Handing the id to another provider object (`checkout.sessions.create({ customer: customer.id })`) is not storing it.
        const providerCreate = STRIPE_CREATES[segments.slice(-2).join(".")] !== undefined || segments.slice(-3).join(".") === "checkout.sessions.create";
        stored = !!callName && !RESPONSE_CALLS.has(callName) && !segments.includes("console") && !/Response$/.test(segments[0] ?? "") && !providerCreate;
        break;
      }
      if (holder.type !== "Property" && holder.type !== "ObjectExpression" && holder.type !== "ArrayExpression" && holder.type !== "TemplateLiteral") break;
      holder = holder.parent;
    }
    return undefined;
  });
  return stored;
}

function isRequestEntryPoint(file: FileContext, fn: FunctionNode): boolean {
  if (routeHandlers(file).some((h: RouteHandler) => h.fn === fn)) return true;
  return convexFunctions(file).some((c: ConvexFunction) => c.handler === fn && c.visibility === "public");
}

/** Every provider-object creation in the file that should carry the user id. */
export function paymentCreates(file: FileContext): readonly PaymentCreate[] {
  return file.memo("identity:payment-creates", () => {
    const out: PaymentCreate[] = [];
    const restPossible = mentionsLemonSqueezy(file.text);
    for (const node of findAll(file.program, restPossible ? ["CallExpression", "ObjectExpression"] : ["CallExpression"])) {
      const found = node.type === "CallExpression" ? paymentCreateAt(file, node) : lemonSqueezyRestCheckoutAt(file, node);
      if (found) out.push(found);
    }
    return out;
  });
}

/**
 * True when a creation without any id should be reported: it prefills the buyer's email (the
 * only link left is the email), it starts a subscription, or the signed-in user's id is in
 * sight and was left out. A guest checkout with none of these is fine.
 */
export function shouldCarryIdentity(file: FileContext, create: PaymentCreate): boolean {
  if (create.emailLink) return true;
  if (create.kind === "stripe-checkout" && create.mode === "subscription") return true;
  return sessionUserIdAt(file, create.node) !== null;
}
