/**
 * Webhook handlers: request handlers that verify a provider signature, act on provider
 * event names, or are mounted on a webhook path; and the verification calls themselves.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  calleeSegments,
  findAll,
  staticString,
  unwrap,
  type Node,
} from "./ast.js";
import { convexFunctions, type ConvexFunction } from "./convex.js";
import { importsModule, isBillingPath, isWebhookPath, type FileContext } from "./file.js";
import {
  isPaymentSdkModule,
  isProviderEventName,
  isWebhookVerifierModule,
  PAYMENT_SDK_MODULE_ANCHORS,
  WEBHOOK_VERIFIER_MODULE_ANCHORS,
} from "./providers.js";
import { functionOf, mayHaveWebhookHandlers, routeHandlers, type RouteHandler } from "./routes.js";
import { resolveName } from "./scope.js";

export type VerifierKind =
  | "stripe"
  | "stripe-async"
  | "svix"
  | "standardwebhooks"
  | "clerk"
  | "better-auth-sync"
  | "polar"
  | "paddle"
  | "custom";

export interface VerifierCall {
  node: TSESTree.CallExpression;
  kind: VerifierKind;
  /** The argument that carries the signed payload (the body), when the API has one. */
  payload: TSESTree.Node | null;
  /** The argument that carries the secret, when the API takes one. */
  secret: TSESTree.Node | null;
  /** Stripe's `tolerance` argument (4th), if passed. */
  tolerance: TSESTree.Node | null;
}

const STRIPE_SYNC = new Set(["constructEvent", "parseEventNotification"]);
const STRIPE_ASYNC = new Set(["constructEventAsync", "parseEventNotificationAsync"]);

function isWebhookConstructor(file: FileContext, node: Node): "svix" | "standardwebhooks" | null {
  const n = unwrap(node);
  if (n.type !== "NewExpression") return null;
  const callee = unwrap(n.callee);
  const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? calleeName(n) : null;
  if (name !== "Webhook") return null;
  const root = callee.type === "Identifier" ? callee.name : calleeSegments(callee)[0];
  const source = root ? file.imports.get(root)?.source : undefined;
  if (source === "standardwebhooks") return "standardwebhooks";
  if (source === undefined || source === "svix") return "svix";
  return null;
}

/** Classifies one call as a webhook signature verification, or returns null. */
export function verifierCallAt(file: FileContext, call: TSESTree.CallExpression): VerifierCall | null {
  const name = calleeName(call);
  if (!name) return null;
  const callee = unwrap(call.callee);
  const args = call.arguments;
  if (callee.type === "MemberExpression") {
    const segments = calleeSegments(callee);
    const receiver = segments[segments.length - 2];
    // `stripe.webhooks.constructEvent[Async]`, and `stripe.parseEventNotification[Async]` (thin events).
    const stripeCall = receiver === "webhooks" || name.startsWith("parseEventNotification");
    if (stripeCall && (STRIPE_SYNC.has(name) || STRIPE_ASYNC.has(name))) {
      return {
        node: call,
        kind: STRIPE_ASYNC.has(name) ? "stripe-async" : "stripe",
        payload: args[0] ?? null,
        secret: args[2] ?? null,
        tolerance: args[3] ?? null,
      };
    }
    // `stripe.webhooks.signature.verifyHeader[Async](payload, header, secret, tolerance)`: verifies without parsing.
    if (receiver === "signature" && segments[segments.length - 3] === "webhooks" && (name === "verifyHeader" || name === "verifyHeaderAsync")) {
      return {
        node: call,
        kind: name === "verifyHeaderAsync" ? "stripe-async" : "stripe",
        payload: args[0] ?? null,
        secret: args[2] ?? null,
        tolerance: args[3] ?? null,
      };
    }
    if (receiver === "webhooks" && name === "unmarshal") {
      return { node: call, kind: "paddle", payload: args[0] ?? null, secret: args[1] ?? null, tolerance: null };
    }
    if (name === "verify") {
      const object = unwrap(callee.object);
      let kind = isWebhookConstructor(file, object);
      if (!kind && object.type === "Identifier") {
        const binding = resolveName(object.name, object);
        if (binding?.kind === "variable" && binding.init && binding.path.length === 0) {
          kind = isWebhookConstructor(file, binding.init);
        }
      }
      if (kind) return { node: call, kind, payload: args[0] ?? null, secret: null, tolerance: null };
      return null;
    }
  }
  if (name === "verifyWebhook") {
    const local = callee.type === "Identifier" ? callee.name : null;
    const source = local ? file.imports.get(local)?.source : undefined;
    const kind: VerifierKind =
      source && source.startsWith("@clerk/")
        ? "clerk"
        : source && source.startsWith("better-auth-sync")
          ? "better-auth-sync"
          : "custom";
    return { node: call, kind, payload: args[0] ?? null, secret: null, tolerance: null };
  }
  if (name === "validateEvent") {
    const local = callee.type === "Identifier" ? callee.name : null;
    const source = local ? file.imports.get(local)?.source : undefined;
    if (source === undefined || source.startsWith("@polar-sh/")) {
      return { node: call, kind: "polar", payload: args[0] ?? null, secret: args[2] ?? null, tolerance: null };
    }
  }
  if (file.settings.verifiers.has(name)) {
    return { node: call, kind: "custom", payload: args[0] ?? null, secret: null, tolerance: null };
  }
  return null;
}

/** Verification calls inside `root`, including in same-file helper functions it calls (one level). */
export function verifierCalls(file: FileContext, root: Node): VerifierCall[] {
  const out: VerifierCall[] = [];
  const seen = new Set<Node>();
  const visit = (node: Node, depth: number) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const call of findAll(node, ["CallExpression"])) {
      if (seen.has(call)) continue;
      const found = verifierCallAt(file, call);
      if (found) {
        seen.add(call);
        out.push(found);
        continue;
      }
      if (depth > 0 && unwrap(call.callee).type === "Identifier") {
        const helper = functionOf(call.callee, 1);
        if (helper && !(helper.range[0] <= call.range[0] && call.range[1] <= helper.range[1])) visit(helper, depth - 1);
      }
    }
  };
  visit(root, 1);
  return out;
}

/** String literals inside `root` that are provider event names (`"checkout.session.completed"`). */
export function providerEventLiterals(root: Node): TSESTree.StringLiteral[] {
  const literals = findAll(root, ["Literal"]).filter(
    (node): node is TSESTree.StringLiteral => typeof node.value === "string" && isProviderEventName(node.value),
  );
  const templates = findAll(root, ["TemplateLiteral"]).filter((node) => {
    const value = node.expressions.length === 0 ? staticString(node) : null;
    return value !== null && isProviderEventName(value);
  }) as unknown as TSESTree.StringLiteral[];
  // Neither contains the other (a template without expressions has no literals in it): source order.
  return templates.length === 0 ? literals : [...literals, ...templates].sort((a, b) => a.range[0] - b.range[0]);
}

export type WebhookReason = "verifier" | "event-names" | "path";

export interface WebhookHandler {
  handler: RouteHandler;
  reasons: WebhookReason[];
  verifiers: VerifierCall[];
}

/** A URL path segment naming a provider that sends signed webhooks. */
const PROVIDER_ROUTE = /(?:^|\/)(?:stripe|clerk|polar|lemon-?squeezy|paddle|svix|better-auth)(?:[-_.][a-z-]*)?(?:\/(?:events?|hooks?))?\/?$/i;

function handlerPathSaysWebhook(file: FileContext, handler: RouteHandler): boolean {
  const pattern = file.settings.webhookPath;
  if (handler.kind === "app-route" || handler.kind === "pages-api" || handler.kind === "deno-serve") {
    return isWebhookPath(file);
  }
  if (handler.kind === "http-action" || handler.kind === "express") {
    if (handler.routePath !== null) {
      // Convex mounts provider webhooks at `/stripe`, `/clerk-users-webhook`, `/polar/events`: an
      // HTTP action whose path names an event-sending provider receives its webhooks.
      return pattern.test(handler.routePath) || (handler.kind === "http-action" && PROVIDER_ROUTE.test(handler.routePath));
    }
    if (handler.name !== null && pattern.test(handler.name)) return true;
    return isWebhookPath(file);
  }
  return false;
}

/** Classifies a request handler as a webhook handler, with the evidence. Null when it is not one. */
export function webhookHandlerInfo(file: FileContext, handler: RouteHandler): WebhookHandler | null {
  if (handler.kind === "server-action") return null;
  const reasons: WebhookReason[] = [];
  const verifiers = verifierCalls(file, handler.fn);
  if (verifiers.length > 0) reasons.push("verifier");
  if (providerEventLiterals(handler.fn).length > 0) reasons.push("event-names");
  if (handlerPathSaysWebhook(file, handler)) reasons.push("path");
  if (reasons.length === 0) return null;
  // A GET on a webhook path (health check, OAuth callback) is not an event receiver.
  if (reasons.length === 1 && reasons[0] === "path" && handler.method !== null && handler.method !== "POST" && handler.method !== "PUT") {
    return null;
  }
  return { handler, reasons, verifiers };
}

/** Every webhook handler in the file. */
export function webhookHandlers(file: FileContext): readonly WebhookHandler[] {
  return file.memo("webhook:handlers", () => {
    if (!mayHaveWebhookHandlers(file)) return [];
    const out: WebhookHandler[] = [];
    for (const handler of routeHandlers(file)) {
      const info = webhookHandlerInfo(file, handler);
      if (info) out.push(info);
    }
    return out;
  });
}

/** The webhook handler whose function contains `node` (innermost), if any. */
export function enclosingWebhookHandler(file: FileContext, node: Node): WebhookHandler | null {
  let best: WebhookHandler | null = null;
  for (const info of webhookHandlers(file)) {
    const r = info.handler.fn.range;
    if (r[0] <= node.range[0] && node.range[1] <= r[1] && (!best || r[0] >= best.handler.fn.range[0])) best = info;
  }
  return best;
}

/**
 * The file is about webhooks: its path says so, it has a webhook handler, or it imports a
 * webhook verification library. Convex and ORM functions in such modules are "webhook context".
 */
export function isWebhookModule(file: FileContext): boolean {
  return file.memo("webhook:module", () => {
    if (isWebhookPath(file)) return true;
    if (importsModule(file, isWebhookVerifierModule, WEBHOOK_VERIFIER_MODULE_ANCHORS)) return true;
    return webhookHandlers(file).length > 0;
  });
}

/** Cheap test before {@link isWebhookModule}: false means it is false, without finding handlers. */
export function mayBeWebhookModule(file: FileContext): boolean {
  return isWebhookPath(file) || importsModule(file, isWebhookVerifierModule, WEBHOOK_VERIFIER_MODULE_ANCHORS) || mayHaveWebhookHandlers(file);
}

/** Webhook module, or billing by path or by importing a payment provider SDK. */
export function isBillingModule(file: FileContext): boolean {
  return file.memo("webhook:billing-module", () => {
    if (isBillingPath(file)) return true;
    if (importsModule(file, isPaymentSdkModule, PAYMENT_SDK_MODULE_ANCHORS)) return true;
    return isWebhookModule(file);
  });
}

/**
 * Names of Convex functions (`module:function`-style paths relative to the Convex folder are
 * not known here, so just the exported names) that a webhook handler in this file calls with
 * `ctx.runMutation(internal.x.fn, ...)`: `fn` is then webhook-driven even if its own module
 * does not look like one.
 */
export function functionsCalledFromWebhooks(file: FileContext): ReadonlySet<string> {
  return file.memo("webhook:called-functions", () => {
    const names = new Set<string>();
    for (const info of webhookHandlers(file)) {
      for (const call of findAll(info.handler.fn, ["CallExpression"])) {
        const callee = unwrap(call.callee);
        if (callee.type !== "MemberExpression") continue;
        const method = calleeName(call);
        if (method !== "runMutation" && method !== "mutation" && method !== "runAction") continue;
        const segments = calleeSegments(call.arguments[0] ?? callee);
        const last = segments[segments.length - 1];
        if (last) names.add(last);
      }
    }
    return names;
  });
}

/** Convex functions in this file that handle webhook traffic: in a webhook/billing module, or called from a webhook handler here. */
export function webhookDrivenConvexFunctions(file: FileContext): readonly ConvexFunction[] {
  return file.memo("webhook:convex-functions", () => {
    const called = functionsCalledFromWebhooks(file);
    const module = isWebhookModule(file);
    return convexFunctions(file).filter(
      (fn) => fn.kind !== "httpAction" && (module || (fn.exportName !== null && called.has(fn.exportName))),
    );
  });
}
