/**
 * Questions the codemods ask about a webhook handler that the rules do not need: which
 * variable holds the verified event, which expression identifies the delivery at a given
 * call site (`event.id`, the `svix-id` header), whether two calls can run in the same
 * delivery, and where `api.billing.fn` is defined. Built on the shared model
 * (`verifierCalls`, `headerReads`, `valueOrigin`, `alwaysExits`), never a second detector.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { ancestors, contains, findAll, isFunction, unwrap, walk, type FunctionNode, type Node } from "./ast.js";
import type { FileContext } from "./file.js";
import { alwaysExits } from "./flow.js";
import { functionOf } from "./routes.js";
import { resolveName, valueOrigin } from "./scope.js";
import { headerReads } from "./verification.js";
import type { VerifierCall, VerifierKind, WebhookHandler } from "./webhook.js";

export interface EventVariable {
  /** The variable holding the verified event (`event`, `evt`). */
  name: string;
  /** Its declaration. */
  id: TSESTree.Identifier;
  verifier: VerifierCall;
}

/** Walks up through `await`, `as`, `!` and parentheses from a value to the node that uses it. */
function valueParent(node: Node): Node | undefined {
  let current: Node = node;
  let parent = current.parent;
  while (
    parent &&
    (parent.type === "AwaitExpression" ||
      parent.type === "TSAsExpression" ||
      parent.type === "TSNonNullExpression" ||
      parent.type === "TSSatisfiesExpression" ||
      parent.type === "TSTypeAssertion")
  ) {
    current = parent;
    parent = current.parent;
  }
  return parent;
}

function assignedName(node: Node): TSESTree.Identifier | null {
  const parent = valueParent(node);
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") return parent.id;
  if (parent?.type === "AssignmentExpression" && parent.left.type === "Identifier") {
    const binding = resolveName(parent.left.name, parent.left);
    return binding ? binding.id : null;
  }
  return null;
}

/**
 * The variable that holds the verified event in a webhook handler: `const event =
 * stripe.webhooks.constructEvent(...)`, `event = ...` in a `try`, `const evt = await
 * verifyWebhook(req)`, `const payload = wh.verify(body, headers)`, or the result of a
 * same-file helper that returns the verifier's result.
 */
export function webhookEventVariable(file: FileContext, info: WebhookHandler): EventVariable | null {
  for (const verifier of info.verifiers) {
    let id: TSESTree.Identifier | null = null;
    if (contains(info.handler.fn, verifier.node)) {
      id = assignedName(verifier.node);
    } else {
      // Verified in a same-file helper: find the handler's call of that helper.
      const helper = [...ancestors(verifier.node)].find((n): n is FunctionNode => isFunction(n));
      if (!helper) continue;
      for (const call of findAll(info.handler.fn, ["CallExpression"])) {
        if (functionOf(call.callee, 1) === helper) {
          id = assignedName(call);
          if (id) break;
        }
      }
    }
    if (id) return { name: id.name, id, verifier };
  }
  return null;
}

/** The request header that identifies a delivery for each verifier (Svix and Standard Webhooks message ids). */
const DELIVERY_HEADER: Partial<Record<VerifierKind, string>> = {
  svix: "svix-id",
  clerk: "svix-id",
  "better-auth-sync": "svix-id",
  standardwebhooks: "webhook-id",
  polar: "webhook-id",
};

/** The event property that identifies a delivery, for verifiers that return the provider's event. */
const EVENT_ID_PROPERTY: Partial<Record<VerifierKind, string>> = {
  stripe: "id",
  "stripe-async": "id",
  paddle: "eventId",
};

export type DeliveryId = { ok: true; text: string; source: "event" | "header" } | { ok: false; reason: string };

function visibleAt(name: string, declaration: TSESTree.Identifier, at: Node): boolean {
  const binding = resolveName(name, at);
  return binding !== null && binding.id === declaration && declaration.range[0] < at.range[0];
}

/** True when a statement before `at` in the handler leaves it when `name` is falsy (`if (!svixId) return ...`). */
function narrowedBefore(fn: FunctionNode, name: string, at: Node): boolean {
  let found = false;
  walk(
    fn.body,
    (node) => {
      if (found || node.range[0] >= at.range[0]) return false;
      if (node.type === "IfStatement" && node.range[1] <= at.range[0] && alwaysExits(node.consequent)) {
        walk(node.test, (t) => {
          if (t.type === "UnaryExpression" && t.operator === "!" && unwrap(t.argument).type === "Identifier" && (unwrap(t.argument) as TSESTree.Identifier).name === name) {
            found = true;
          }
        });
      }
      return true;
    },
    { skipFunctions: true },
  );
  return found;
}

function nonNull(node: Node): boolean {
  const parent = node.parent;
  return parent?.type === "TSNonNullExpression" || (parent?.type === "LogicalExpression" && parent.operator === "??" && parent.left === node);
}

/**
 * The expression, valid at `at` inside the handler, that identifies the delivery: the
 * event's `id` for Stripe (stable across Stripe's retries), the `svix-id` header for Svix
 * and Clerk, `webhook-id` for Standard Webhooks and Polar. `typescript` adds a non-null
 * assertion where the header read's type is `string | null` (the verifier already failed
 * when the header was missing).
 */
export function deliveryIdAt(file: FileContext, info: WebhookHandler, at: Node, typescript: boolean): DeliveryId {
  const event = webhookEventVariable(file, info);
  const kind = info.verifiers[0]?.kind ?? null;
  if (!kind) return { ok: false, reason: "no signature verification found in the handler, so the codemod cannot tell which value identifies a delivery" };
  const property = EVENT_ID_PROPERTY[kind];
  if (property) {
    if (!event) return { ok: false, reason: "the verified event is not assigned to a variable" };
    if (!visibleAt(event.name, event.id, at)) {
      return { ok: false, reason: `the verified event \`${event.name}\` is not in scope at this call (pass the event to the helper that makes it)` };
    }
    return { ok: true, text: `${event.name}.${property}`, source: "event" };
  }
  const header = DELIVERY_HEADER[kind];
  if (!header) return { ok: false, reason: `cannot tell which value identifies a ${kind} delivery` };
  const fn = info.handler.fn;
  const reads = headerReads(fn).filter((r) => r.name === header && r.node.range[0] < at.range[0]);
  for (const read of reads) {
    const parent = valueParent(read.node);
    if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier" && visibleAt(parent.id.name, parent.id, at)) {
      const name = parent.id.name;
      const safe = !typescript || nonNull(read.node) || narrowedBefore(fn, name, at);
      return { ok: true, text: safe ? name : `${name}!`, source: "header" };
    }
  }
  for (const read of reads) {
    if (read.node.type !== "CallExpression") continue;
    const root = valueOrigin(read.node.callee).root;
    const rootName = root.type === "Identifier" ? root.name : null;
    if (rootName && resolveName(rootName, at) !== resolveName(rootName, read.node)) continue;
    const text = file.text.slice(read.node.range[0], read.node.range[1]);
    return { ok: true, text: typescript ? `${text}!` : text, source: "header" };
  }
  const request = info.handler.requestName;
  if (request && resolveName(request, at)?.id === resolveName(request, fn.body)?.id) {
    const text = `${request}.headers.get("${header}")`;
    return { ok: true, text: typescript ? `${text}!` : text, source: "header" };
  }
  return { ok: false, reason: `no \`${header}\` header read or request parameter in scope to identify the delivery` };
}

/** True when `node` reads the verified event (`event.data.object.metadata.userId` or a `const` derived from it). */
export function derivesFromEvent(event: EventVariable | null, node: Node, depth = 4): boolean {
  if (!event) return false;
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type !== "Identifier") return true;
    const binding = resolveName(n.name, n);
    if (!binding) return true;
    if (binding.id === event.id) found = true;
    else if (depth > 0 && binding.kind === "variable" && binding.init && binding.declarator.id !== n && !contains(binding.declarator, node)) {
      found = derivesFromEvent(event, binding.init, depth - 1);
    }
    return true;
  });
  return found;
}

/** True when `node` sits in a loop or an array callback inside `within` (it may run more than once per delivery). */
export function repeatsWithin(node: Node, within: Node): boolean {
  for (const ancestor of ancestors(node)) {
    if (ancestor === within) return false;
    switch (ancestor.type) {
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "WhileStatement":
      case "DoWhileStatement":
        return true;
      default:
        if (isFunction(ancestor) && ancestor.parent?.type === "CallExpression") return true;
    }
  }
  return false;
}

function caseEnds(switchCase: TSESTree.SwitchCase): boolean {
  return switchCase.consequent.some((s) => alwaysExits(s, true));
}

/**
 * True when `a` and `b` cannot both run in one call of `within`: they sit in different
 * branches of an `if`/`else`, or in different `switch` cases with no fall-through between.
 */
export function mutuallyExclusive(a: Node, b: Node, within: Node): boolean {
  const chainA = [a, ...ancestors(a)];
  for (let i = 1; i < chainA.length; i++) {
    const ancestor = chainA[i]!;
    if (!contains(ancestor, b)) continue;
    if (!contains(within, ancestor)) return false;
    const childA = chainA[i - 1]!;
    if (ancestor.type === "IfStatement") {
      const inConsequentA = contains(ancestor.consequent, a);
      const inConsequentB = contains(ancestor.consequent, b);
      const inAlternateA = ancestor.alternate !== null && contains(ancestor.alternate, a);
      const inAlternateB = ancestor.alternate !== null && contains(ancestor.alternate, b);
      return (inConsequentA && inAlternateB) || (inAlternateA && inConsequentB);
    }
    if (ancestor.type === "ConditionalExpression") {
      return (contains(ancestor.consequent, a) && contains(ancestor.alternate, b)) || (contains(ancestor.alternate, a) && contains(ancestor.consequent, b));
    }
    if (ancestor.type === "SwitchStatement" && childA.type === "SwitchCase") {
      const cases = ancestor.cases;
      const ia = cases.indexOf(childA);
      const ib = cases.findIndex((c) => contains(c, b));
      if (ia === ib || ib === -1) return false;
      const [from, to] = ia < ib ? [ia, ib] : [ib, ia];
      for (let k = from; k < to; k++) if (caseEnds(cases[k]!)) return true;
      return false;
    }
    return false;
  }
  return false;
}

/** Candidate files of a Convex module path (`["stripe", "webhooks"]` -> `convex/stripe/webhooks.ts`, ...). */
export function convexModuleFiles(convexDir: string, modulePath: readonly string[]): string[] {
  const base = [convexDir, ...modulePath].filter((s) => s !== "").join("/");
  return [".ts", ".tsx", ".js", ".jsx", ".mts", ".mjs"].map((ext) => `${base}${ext}`);
}
