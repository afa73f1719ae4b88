/**
 * Event dispatch: `switch (event.type)`, `switch (type)` after `const { type } = evt`,
 * `payload.type`, `body.meta.event_name`, and `if (event.type === "...") ... else if`
 * chains, split into branches (fall-through groups) with their labels, statements and
 * comments; and what each branch does: whether it is silent (only breaks, logs, returns an
 * acknowledgement, is empty or commented out) and whether a comment documents why.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  calleeSegments,
  enclosingFunction,
  isFunction,
  keyName,
  lastName,
  memberPath,
  propertyName,
  staticString,
  unwrap,
  walk,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { fileFact, hasDirective, isConvexFolderFile, isWebhookPath, type FileContext } from "./file.js";
import { isProviderEventName, mayContainProviderEventName } from "./providers.js";
import { enclosingRouteHandler, mayHaveWebhookHandlers } from "./routes.js";
import { resolveName, valueOrigin } from "./scope.js";
import { callsWord, comparesWithString, hasWord } from "./text.js";
import { enclosingWebhookHandler, verifierCallAt, webhookHandlers } from "./webhook.js";

/** Properties that hold an event's type. */
const EVENT_TYPE_PROPERTIES = new Set(["type", "eventType", "event_type", "eventName", "event_name", "event"]);

/** Names of objects that hold a webhook event (`event`, `evt`, `payload`, `stripeEvent`, ...). */
const EVENT_OBJECT = /^(?:e|ev|evt|data|json|parsed|msg|message|meta|hook|wh|result|verified)$|(?:event|evt|payload|body|webhook|notification)s?$/i;

/**
 * Property names that hold the event itself below a verified or parsed payload:
 * `body.meta.event_name` (Lemon Squeezy), `payload.event.type`. Others (`event.data.object`)
 * hold the event's subject, whose `type` is something else (a payment method's `card`).
 */
const EVENT_HOLDER_PROPERTIES = new Set(["meta", "event"]);

/** Identifiers that are an event type by name, when their origin cannot be seen. */
const EVENT_TYPE_NAME = /^(?:type|eventType|event_type|eventName|event_name|topic)$/;

/** Objects that are never webhook events: reducer actions and state. */
const NOT_EVENT_OBJECT = /^(?:action|state|prevState|draft|props|node|token|field|column|element|el|item|input|schema|def)$/;

/** First parameters of reducers and state machines (`(state, action) => ...`). */
const REDUCER_STATE_PARAM = /^(?:state|prevState|previousState|currentState|draft|ctx\w*State|context)$/;

/** React components (PascalCase) and hooks (`useSomething`). */
const UI_FUNCTION_NAME = /^(?:[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*|use[A-Z]\w*)$/;

export interface EventBranch {
  /** Event names this branch handles (static strings only). */
  labels: string[];
  /** Every label expression of the branch (also non-static ones, `case Events.Paid:`). */
  labelNodes: TSESTree.Node[];
  /** `default:` (alone or in the group) or a final `else`. */
  isDefault: boolean;
  /** The statements that run for this branch (for a fall-through group: the last case's). */
  statements: TSESTree.Statement[];
  /** The node to report: the first `case` of the group, the `if` test, or the `else` block. */
  node: TSESTree.Node;
  /** Comments that belong to this branch (inside it, or on their own lines just before it). */
  comments: TSESTree.Comment[];
  /** The statements can complete normally, so control falls into the next branch (switch only). */
  fallsThrough: boolean;
}

export interface EventDispatch {
  kind: "switch" | "if-chain";
  node: TSESTree.SwitchStatement | TSESTree.IfStatement;
  discriminant: TSESTree.Node;
  branches: EventBranch[];
  /** At least one label is a provider event name. */
  providerLabels: boolean;
  /** The dispatch lies inside a webhook request handler. */
  inWebhookHandler: boolean;
}

/**
 * True when `node` reads an event's type: a `.type`-like property of an event-like object,
 * or a variable initialised from one, or a verified event (`constructEvent(...)`).
 */
export function isEventTypeExpression(file: FileContext, node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === "MemberExpression") {
    const property = propertyName(n);
    if (!property || !EVENT_TYPE_PROPERTIES.has(property)) return false;
    return isEventObject(file, n.object);
  }
  if (n.type === "Identifier") {
    const origin = valueOrigin(n);
    if (origin.root === n && origin.path.length === 0) return EVENT_TYPE_NAME.test(n.name);
    const last = origin.path[origin.path.length - 1];
    if (last === undefined) return EVENT_TYPE_NAME.test(n.name);
    if (!EVENT_TYPE_PROPERTIES.has(last)) return false;
    return isEventObjectOrigin(file, origin.root, origin.path.slice(0, -1));
  }
  return false;
}

function isEventObject(file: FileContext, node: TSESTree.Node): boolean {
  const origin = valueOrigin(node);
  return isEventObjectOrigin(file, origin.root, origin.path);
}

function isEventObjectOrigin(file: FileContext, root: Node, path: string[]): boolean {
  const r = unwrap(root);
  if (path.length > 0) {
    // Below the root: only named holders of the event (`body.meta`, `req.body`, `payload.event`).
    const name = path[path.length - 1]!;
    if (NOT_EVENT_OBJECT.test(name)) return false;
    if (EVENT_HOLDER_PROPERTIES.has(name)) return true;
    if (name === "data" || name === "object") return false;
    return EVENT_OBJECT.test(name);
  }
  if (r.type === "CallExpression" && verifierCallAt(file, r)) return true;
  const name = lastName(r);
  if (name && NOT_EVENT_OBJECT.test(name)) return false;
  if (name && EVENT_OBJECT.test(name)) return true;
  // `JSON.parse(body)` and `await req.json()` are parsed payloads.
  if (r.type === "CallExpression") {
    const callee = unwrap(r.callee);
    const method = callee.type === "MemberExpression" ? propertyName(callee) : null;
    if (method === "parse" || method === "json") return true;
  }
  return false;
}

/** The name of the object a discriminant reads from (`action` for `action.type`, also through `const { type } = action`). */
function discriminantObjectName(node: TSESTree.Node): string | null {
  const origin = valueOrigin(node);
  if (origin.path.length === 0) return null;
  if (origin.path.length >= 2) return origin.path[origin.path.length - 2]!;
  const root = unwrap(origin.root);
  // A destructured parameter (`({ type }) => ...`) has no object name.
  if (origin.parameter && root.type === "Identifier" && root.name === origin.path[0]) return null;
  return lastName(root);
}

/** `x.type`-like reads (or a `type`-named variable) not taken from a reducer action or state. */
function isTypeLikeExpression(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  let property: string | null = null;
  if (n.type === "MemberExpression") property = propertyName(n);
  else if (n.type === "Identifier") {
    const origin = valueOrigin(n);
    property = origin.path[origin.path.length - 1] ?? (EVENT_TYPE_NAME.test(n.name) ? "type" : null);
  }
  if (!property || !EVENT_TYPE_PROPERTIES.has(property)) return false;
  return !isReducerDiscriminant(n);
}

function isReducerDiscriminant(node: TSESTree.Node): boolean {
  const name = discriminantObjectName(node);
  return name !== null && NOT_EVENT_OBJECT.test(name);
}

interface TestMatch {
  discriminant: TSESTree.Node;
  labels: TSESTree.Node[];
}

function testLabels(file: FileContext, test: TSESTree.Node): TestMatch | null {
  const n = unwrap(test);
  if (n.type === "BinaryExpression" && (n.operator === "===" || n.operator === "==")) {
    for (const [subject, other] of [
      [n.left, n.right],
      [n.right, n.left],
    ] as const) {
      const label = staticString(other);
      if (label !== null && isEventSubject(file, subject, [label])) {
        return { discriminant: subject, labels: [other] };
      }
    }
    return null;
  }
  if (n.type === "LogicalExpression" && n.operator === "||") {
    const left = testLabels(file, n.left);
    const right = testLabels(file, n.right);
    if (left && right) return { discriminant: left.discriminant, labels: [...left.labels, ...right.labels] };
    return null;
  }
  // `event && event.type === "x"`: the event test behind presence checks of the event itself. A
  // test combined with anything else (`event.type === "x" && !userId`) is a guard, not a branch.
  if (n.type === "LogicalExpression" && n.operator === "&&") {
    const conjuncts = andOperands(n);
    let match: TestMatch | null = null;
    for (const conjunct of conjuncts) {
      if (isPresenceCheck(conjunct)) continue;
      if (match) return null;
      match = testLabels(file, conjunct);
      if (!match) return null;
    }
    if (!match) return null;
    const holder = eventHolderPath(match.discriminant);
    if (!holder) return null;
    for (const conjunct of conjuncts) {
      if (!isPresenceCheck(conjunct)) continue;
      if (!isPresenceOfEvent(presenceSubject(conjunct), holder)) return null;
    }
    return match;
  }
  // `["a", "b"].includes(event.type)`
  if (n.type === "CallExpression" && n.callee.type === "MemberExpression" && propertyName(n.callee) === "includes") {
    const list = unwrap(n.callee.object);
    const subject = n.arguments[0];
    if (list.type === "ArrayExpression" && subject && subject.type !== "SpreadElement") {
      const labels = list.elements.filter((e): e is TSESTree.Expression => !!e && staticString(e) !== null);
      const values = labels.map((l) => staticString(l)!);
      if (labels.length > 0 && isEventSubject(file, subject, values)) return { discriminant: subject, labels };
    }
  }
  return null;
}

function andOperands(node: TSESTree.Node): TSESTree.Node[] {
  const n = unwrap(node);
  if (n.type === "LogicalExpression" && n.operator === "&&") return [...andOperands(n.left), ...andOperands(n.right)];
  return [n];
}

/** `x`, `x.y`, `x?.y`, `x != null`, `x !== undefined`, `!!x`: a test that only asks whether a value is there. */
function isPresenceCheck(node: TSESTree.Node): boolean {
  return presenceSubject(node) !== null;
}

function presenceSubject(node: TSESTree.Node): TSESTree.Node | null {
  const n = unwrap(node);
  if (n.type === "Identifier" || n.type === "MemberExpression") return n;
  if (n.type === "UnaryExpression" && n.operator === "!") {
    const inner = unwrap(n.argument);
    return inner.type === "UnaryExpression" && inner.operator === "!" ? presenceSubject(inner.argument) : null;
  }
  if (n.type === "BinaryExpression" && (n.operator === "!=" || n.operator === "!==")) {
    const nullish = (x: TSESTree.Node) => {
      const u = unwrap(x);
      return (u.type === "Literal" && u.value === null && !("regex" in u)) || (u.type === "Identifier" && u.name === "undefined");
    };
    if (nullish(n.right) && !nullish(n.left)) return presenceSubject(n.left);
    if (nullish(n.left) && !nullish(n.right)) return presenceSubject(n.right);
  }
  return null;
}

/** Properties that hold the event or its payload, below the event object (`event.data`, `payload.data.object`). */
const EVENT_PAYLOAD_PROPERTIES = new Set(["data", "object", "payload", "event", "meta", "body", "attributes"]);

/** The event object a discriminant reads its type from, as a member path (`["event"]` for `event.eventType`). */
function eventHolderPath(discriminant: TSESTree.Node): string[] | null {
  const n = unwrap(discriminant);
  if (n.type !== "MemberExpression") return null;
  const path = memberPath(n.object);
  return path && path.length > 0 ? path : null;
}

/** True when `subject` is the event object (`event`), a holder above it, or its payload (`event.data`). */
function isPresenceOfEvent(subject: TSESTree.Node | null, holder: readonly string[]): boolean {
  if (!subject) return false;
  const path = memberPath(subject);
  if (!path || path.length === 0 || path[0] !== holder[0]) return false;
  for (let i = 1; i < path.length; i++) {
    if (i < holder.length && path[i] === holder[i]) continue;
    if (i < holder.length) return false;
    if (!EVENT_PAYLOAD_PROPERTIES.has(path[i]!)) return false;
  }
  return true;
}

/**
 * Syntax alone allows `node` to be an event type read: a `.type`-like property, or an
 * identifier that is type-named or compared with provider event names. Checked before any
 * scope lookup, so `req.method === "POST"` and `mode === "dark"` cost nothing.
 */
function mayBeEventSubject(node: TSESTree.Node, providerLabels: boolean): boolean {
  const n = unwrap(node);
  if (n.type === "MemberExpression") {
    const property = propertyName(n);
    return property !== null && EVENT_TYPE_PROPERTIES.has(property);
  }
  return n.type === "Identifier" && (providerLabels || EVENT_TYPE_NAME.test(n.name));
}

/** An event type read, or a `.type`-like read compared with a provider event name (`args.type === "invoice.paid"`). */
function isEventSubject(file: FileContext, subject: TSESTree.Node, labels: string[]): boolean {
  if (!mayBeEventSubject(subject, labels.some(isProviderEventName))) return false;
  if (isReducerDiscriminant(subject)) return false;
  if (isEventTypeExpression(file, subject)) return true;
  return labels.some(isProviderEventName) && isTypeLikeExpression(subject);
}

function statementsOf(node: TSESTree.Statement): TSESTree.Statement[] {
  return node.type === "BlockStatement" ? node.body : [node];
}

function commentsBetween(file: FileContext, start: number, end: number): TSESTree.Comment[] {
  return file.comments.filter((c) => c.range[0] >= start && c.range[1] <= end);
}

/** Start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  const nl = text.lastIndexOf("\n", offset - 1);
  return nl + 1;
}

function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl + 1;
}

/** True when the last statement cannot complete normally (`break`, `return`, `throw`, `continue`, or both arms of an `if`). */
function endsAbruptly(statements: readonly TSESTree.Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return false;
  switch (last.type) {
    case "BreakStatement":
    case "ContinueStatement":
    case "ReturnStatement":
    case "ThrowStatement":
      return true;
    case "BlockStatement":
      return endsAbruptly(last.body);
    case "IfStatement":
      return !!last.alternate && endsAbruptly([last.consequent]) && endsAbruptly([last.alternate]);
    case "TryStatement":
      if (last.finalizer && endsAbruptly(last.finalizer.body)) return true;
      return endsAbruptly(last.block.body) && (!last.handler || endsAbruptly(last.handler.body.body));
    default:
      return false;
  }
}

function switchBranches(file: FileContext, node: TSESTree.SwitchStatement): EventBranch[] {
  const groups: TSESTree.SwitchCase[][] = [];
  let current: TSESTree.SwitchCase[] = [];
  for (const switchCase of node.cases) {
    current.push(switchCase);
    if (switchCase.consequent.length > 0) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) groups.push(current);

  // A group's comments run from just after the previous group's last statement's line (so a
  // comment trailing `break;` stays with its group) to just before the next group's own-line
  // leading comments.
  const bodyStart = file.text.indexOf("{", node.discriminant.range[1]) + 1;
  const bodyEnd = node.range[1] - 1;
  const groupEnd = (group: TSESTree.SwitchCase[]) => group[group.length - 1]!.range[1];
  return groups.map((group, index) => {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const labels = group.filter((c) => c.test !== null).map((c) => c.test!);
    const start =
      index === 0
        ? bodyStart
        : Math.min(nextLineStart(file.text, groupEnd(groups[index - 1]!)), lineStart(file.text, first.range[0]));
    const end =
      index + 1 < groups.length
        ? Math.min(nextLineStart(file.text, groupEnd(group)), lineStart(file.text, groups[index + 1]![0]!.range[0]))
        : bodyEnd;
    return {
      labels: labels.map((l) => staticString(l)).filter((s): s is string => s !== null),
      labelNodes: labels,
      isDefault: group.some((c) => c.test === null),
      statements: last.consequent,
      node: first,
      comments: commentsBetween(file, start, end),
      fallsThrough: index + 1 < groups.length && last.consequent.length > 0 && !endsAbruptly(last.consequent),
    };
  });
}

/** Start of the own-line comments directly above `offset` (only whitespace between them), or `offset`. */
function leadingCommentsStart(file: FileContext, offset: number): number {
  let start = offset;
  for (let i = file.comments.length - 1; i >= 0; i--) {
    const comment = file.comments[i]!;
    if (comment.range[1] > start) continue;
    if (file.text.slice(comment.range[1], start).trim() !== "") break;
    const from = lineStart(file.text, comment.range[0]);
    if (file.text.slice(from, comment.range[0]).trim() !== "") break;
    start = from;
  }
  return start;
}

function ifChainBranches(
  file: FileContext,
  head: TSESTree.IfStatement,
): { discriminant: TSESTree.Node; branches: EventBranch[] } | null {
  const first = testLabels(file, head.test);
  if (!first) return null;
  const branches: EventBranch[] = [];
  let current: TSESTree.IfStatement | null = head;
  let isHead = true;
  while (current) {
    const match = isHead ? first : testLabels(file, current.test);
    if (!match) {
      // `else if (somethingElse)`: the chain of event branches ends here.
      break;
    }
    const from = isHead ? leadingCommentsStart(file, lineStart(file.text, current.range[0])) : current.range[0];
    branches.push({
      labels: match.labels.map((l) => staticString(l)).filter((s): s is string => s !== null),
      labelNodes: match.labels,
      isDefault: false,
      statements: statementsOf(current.consequent),
      node: current.test,
      comments: commentsBetween(file, from, current.consequent.range[1]),
      fallsThrough: false,
    });
    isHead = false;
    const alternate: TSESTree.Statement | null = current.alternate;
    if (alternate && alternate.type !== "IfStatement") {
      branches.push({
        labels: [],
        labelNodes: [],
        isDefault: true,
        statements: statementsOf(alternate),
        node: alternate,
        comments: commentsBetween(file, current.consequent.range[1], alternate.range[1]),
        fallsThrough: false,
      });
      current = null;
    } else {
      current = alternate;
    }
  }
  return { discriminant: first.discriminant, branches };
}

function isChainHead(node: TSESTree.IfStatement): boolean {
  const parent = node.parent;
  return !(parent?.type === "IfStatement" && parent.alternate === node);
}

/** The name a function is declared or assigned under, if any. */
function functionName(fn: FunctionNode): string | null {
  if ((fn.type === "FunctionDeclaration" || fn.type === "FunctionExpression") && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") return parent.id.name;
  if ((parent?.type === "Property" || parent?.type === "MethodDefinition") && !parent.computed) return keyName(parent);
  return null;
}

function containsJsx(fn: FunctionNode): boolean {
  let found = false;
  walk(
    fn.body,
    (node) => {
      if (found) return false;
      if (node.type === "JSXElement" || node.type === "JSXFragment") found = true;
      return !found;
    },
    { skipFunctions: true },
  );
  return found;
}

/**
 * Code that maps event names for people or state, not for a provider: React components and
 * hooks, functions that render JSX, reducers and state machines (`(state, event) => ...`),
 * `"use client"` modules, and `.tsx`/`.jsx` files outside webhook paths and Convex folders.
 */
function isClientSideCode(file: FileContext, node: Node): boolean {
  if (hasDirective(file.program.body, "use client")) return true;
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const name = functionName(fn);
    if (name && UI_FUNCTION_NAME.test(name)) return true;
    const first = fn.params[0];
    if (first?.type === "Identifier" && REDUCER_STATE_PARAM.test(first.name) && fn.params.length >= 2) return true;
    if (containsJsx(fn)) return true;
  }
  return /\.[jt]sx$/i.test(file.path) && !isWebhookPath(file) && !isConvexFolderFile(file);
}

/**
 * Cheap whole-file test, before any listener runs: an event dispatch takes one of a few shapes
 * (a switch `case`, an `=== "..."` test, an `.includes(...)` of event names), and needs a string
 * that may be a provider event name (`"invoice.paid"`) or a webhook handler in the file.
 */
export function mayHoldEventDispatch(file: FileContext): boolean {
  return file.fact(MAY_HOLD_EVENT_DISPATCH);
}

const MAY_HOLD_EVENT_DISPATCH = fileFact((file) => {
  const text = file.text;
  if (!hasWord(text, "case") && !comparesWithString(text) && !callsWord(text, ".includes")) return false;
  if (mayContainProviderEventName(text)) return true;
  if (!mayHaveWebhookHandlers(file)) return false;
  // Without provider event names, a webhook handler needs a webhook path or a verifier
  // (every built-in verifier's call or import mentions "webhook", Polar's is validateEvent).
  const mayVerify =
    isWebhookPath(file) ||
    /webhook|validateEvent|parseEventNotification/i.test(file.text) ||
    [...file.settings.verifiers].some((name) => file.text.includes(name));
  return mayVerify && webhookHandlers(file).length > 0;
});

/**
 * Classifies one `switch` or `if` as an event dispatch, or returns null. Outside a webhook
 * handler it must name provider events (`"invoice.paid"`) and not sit in UI or reducer code.
 * Memoised per node.
 */
export function eventDispatchAt(
  file: FileContext,
  node: TSESTree.SwitchStatement | TSESTree.IfStatement,
): EventDispatch | null {
  return file.memoAt(node, "event-switch:dispatch", () => computeDispatch(file, node));
}

function computeDispatch(file: FileContext, node: TSESTree.SwitchStatement | TSESTree.IfStatement): EventDispatch | null {
  let kind: EventDispatch["kind"];
  let discriminant: TSESTree.Node;
  let branches: () => EventBranch[];
  let labels: string[];
  if (node.type === "SwitchStatement") {
    const tests = node.cases.filter((c) => c.test !== null).map((c) => staticString(c.test));
    const provider = tests.filter((l) => l !== null && isProviderEventName(l)).length;
    const allProvider = tests.length >= 2 && provider === tests.length;
    const shaped = mayBeEventSubject(node.discriminant, provider > 0);
    if (!shaped && !allProvider) return null;
    if (isReducerDiscriminant(node.discriminant)) return null;
    const eventTyped = shaped && isEventTypeExpression(file, node.discriminant);
    const typeLike = shaped && provider > 0 && isTypeLikeExpression(node.discriminant);
    if (!eventTyped && !typeLike && !allProvider) return null;
    kind = "switch";
    discriminant = node.discriminant;
    labels = tests.filter((l): l is string => l !== null);
    branches = () => switchBranches(file, node);
  } else {
    if (!isChainHead(node)) return null;
    const chain = ifChainBranches(file, node);
    if (!chain) return null;
    kind = "if-chain";
    discriminant = chain.discriminant;
    labels = chain.branches.flatMap((b) => b.labels);
    branches = () => chain.branches;
  }
  const providerLabels = labels.some(isProviderEventName);
  const inWebhookHandler = enclosingWebhookHandler(file, node) !== null;
  if (!inWebhookHandler && (!providerLabels || isClientSideCode(file, node))) return null;
  return { kind, node, discriminant, branches: branches(), providerLabels, inWebhookHandler };
}

// ---------------------------------------------------------------------------------------
// What a branch does
// ---------------------------------------------------------------------------------------

/**
 * Why a branch does nothing for its event:
 * - `break`: only `break`/`continue`;
 * - `return`: only a bare `return;`;
 * - `log`: only logs (`console.*`, `logger.*`, `settings.webhook.loggers`), maybe with breaks;
 * - `ack`: only returns or sends an acknowledgement (`NextResponse.json({ received: true })`,
 *   `res.status(200).end()`, `return true`);
 * - `empty`: no statements at all;
 * - `commented-out`: its only content is commented-out code (`// await handleRefund(event)`);
 * - `no-op`: only declarations and expressions without effects.
 */
export type SilentReason = "break" | "return" | "log" | "ack" | "empty" | "commented-out" | "no-op";

/** What a branch's statements do, summed over all of them. */
export interface BranchEffects {
  /** Calls something other than a logger, awaits, assigns state, or sends a non-2xx response. */
  active: boolean;
  /** Throws (the provider sees an error and retries: not silent). */
  throws: boolean;
  /** Returns a computed value (`return state`, `return <Badge />`, `return event.data.object`). */
  value: boolean;
  /** Returns a literal (`return true`, `return { status: "ignored" }`). */
  literal: boolean;
  log: boolean;
  /** Sends or returns a 2xx HTTP response. */
  ack: boolean;
  /** `break` or `continue`. */
  breaks: boolean;
  /** A bare `return;` (or `return undefined`). */
  returns: boolean;
  /** Declarations or expressions without effects. */
  neutral: boolean;
}

function noEffects(): BranchEffects {
  return {
    active: false,
    throws: false,
    value: false,
    literal: false,
    log: false,
    ack: false,
    breaks: false,
    returns: false,
    neutral: false,
  };
}

function mergeEffects(a: BranchEffects, b: BranchEffects): BranchEffects {
  const out = noEffects();
  for (const key of Object.keys(out) as (keyof BranchEffects)[]) out[key] = a[key] || b[key];
  return out;
}

/** Names of HTTP response objects (`res.status(200).json()`, Hono's `c.json()`, Fastify's `reply.send()`). */
const RESPONSE_OBJECTS = new Set(["res", "response", "reply", "c"]);
/** Methods that send a response. */
const RESPONSE_SENDERS = new Set(["json", "send", "end", "sendStatus", "text", "body"]);
/** Methods that set a response's status or headers on the way. */
const RESPONSE_SETTERS = new Set(["status", "code", "writeHead", "setHeader", "header", "set", "type"]);
/** Methods and functions that compute without side effects, allowed in "neutral" expressions. */
const PURE_FUNCTIONS = new Set([
  "String",
  "Number",
  "Boolean",
  "stringify",
  "toString",
  "toFixed",
  "toISOString",
  "toLocaleString",
  "toLocaleDateString",
  "toLowerCase",
  "toUpperCase",
  "trim",
  "slice",
  "substring",
  "join",
  "includes",
  "startsWith",
  "endsWith",
  "keys",
  "values",
  "entries",
  "at",
  "floor",
  "round",
  "ceil",
  "max",
  "min",
  "abs",
  "now",
  "format",
]);
const PURE_CONSTRUCTORS = new Set(["Date", "URL", "Error"]);
/** Methods that only log on an object that is not itself a logger (`req.log.info`, `this.logger.warn`). */
const LOG_METHODS = new Set([
  "log",
  "info",
  "warn",
  "warning",
  "error",
  "debug",
  "trace",
  "fatal",
  "verbose",
  "silly",
  "notice",
  "critical",
]);

/** True for a call that only logs: `console.*`, `logger.*`, `log(...)`, `this.logger.warn`, `req.log.info`, configured names. */
export function isLoggerCall(file: FileContext, call: TSESTree.CallExpression): boolean {
  const loggers = file.settings.loggers;
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") return loggers.has(callee.name);
  if (callee.type !== "MemberExpression") return false;
  const segments = calleeSegments(callee);
  const method = segments[segments.length - 1]!;
  if (loggers.has(segments[0]!)) return true;
  for (let i = 1; i < segments.length - 1; i++) {
    if (loggers.has(segments[i]!) && LOG_METHODS.has(method)) return true;
  }
  return segments.length === 2 && segments[0] === "this" && loggers.has(method);
}

/** A side effect hides in the arguments of a logger call (`console.log(await db.insert(...))`). */
function hasHiddenEffect(nodes: readonly Node[]): boolean {
  let found = false;
  for (const root of nodes) {
    walk(
      root,
      (node) => {
        if (found) return false;
        if (node.type === "AwaitExpression" || node.type === "AssignmentExpression" || node.type === "UpdateExpression") {
          found = true;
        }
        return !found;
      },
      { skipFunctions: true },
    );
  }
  return found;
}

/** An expression that computes a value without side effects: reads, literals, operators, JSX and a few pure calls. */
export function isPureExpression(node: Node | null | undefined): boolean {
  if (!node) return true;
  const n = unwrap(node);
  switch (n.type) {
    case "Identifier":
    case "Literal":
    case "ThisExpression":
    case "Super":
      return true;
    case "TemplateLiteral":
      return n.expressions.every(isPureExpression);
    case "MemberExpression":
      return isPureExpression(n.object) && (!n.computed || isPureExpression(n.property));
    case "ObjectExpression":
      return n.properties.every((p) =>
        p.type === "SpreadElement"
          ? isPureExpression(p.argument)
          : (!p.computed || isPureExpression(p.key)) && !isFunction(p.value) && isPureExpression(p.value),
      );
    case "ArrayExpression":
      return n.elements.every((e) => !e || isPureExpression(e.type === "SpreadElement" ? e.argument : e));
    case "BinaryExpression":
    case "LogicalExpression":
      return isPureExpression(n.left) && isPureExpression(n.right);
    case "ConditionalExpression":
      return isPureExpression(n.test) && isPureExpression(n.consequent) && isPureExpression(n.alternate);
    case "UnaryExpression":
      return n.operator !== "delete" && isPureExpression(n.argument);
    case "CallExpression": {
      const name = calleeName(n);
      if (!name || !PURE_FUNCTIONS.has(name)) return false;
      const callee = unwrap(n.callee);
      if (callee.type === "MemberExpression" && !isPureExpression(callee.object)) return false;
      return n.arguments.every((a) => isPureExpression(a.type === "SpreadElement" ? a.argument : a));
    }
    case "NewExpression": {
      const name = calleeName(n);
      return !!name && PURE_CONSTRUCTORS.has(name) && n.arguments.every((a) => isPureExpression(a));
    }
    case "JSXElement":
    case "JSXFragment":
      return true;
    default:
      return false;
  }
}

/** A literal, or an object/array literal of literals (`{ received: true }`). */
function isLiteralValue(node: Node): boolean {
  const n = unwrap(node);
  switch (n.type) {
    case "Literal":
      return !("regex" in n && n.regex);
    case "TemplateLiteral":
      return n.expressions.length === 0;
    case "UnaryExpression":
      return (n.operator === "-" || n.operator === "!" || n.operator === "+") && isLiteralValue(n.argument);
    case "ObjectExpression":
      return n.properties.every((p) => p.type === "Property" && !p.computed && p.kind === "init" && !p.method && isLiteralValue(p.value));
    case "ArrayExpression":
      return n.elements.every((e) => !!e && e.type !== "SpreadElement" && isLiteralValue(e));
    default:
      return false;
  }
}

function isUndefined(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Identifier") return n.name === "undefined";
  return n.type === "UnaryExpression" && n.operator === "void" && unwrap(n.argument).type === "Literal";
}

/** The HTTP status in `{ status: 400 }` or a bare number; `undefined` when absent, null when not static. */
function statusOf(node: Node | undefined): number | null | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "number") return n.value;
  if (n.type === "ObjectExpression") {
    for (const p of n.properties) {
      if (p.type === "Property" && keyName(p) === "status") {
        const value = unwrap(p.value);
        return value.type === "Literal" && typeof value.value === "number" ? value.value : null;
      }
    }
    return undefined;
  }
  return null;
}

function statusKind(status: number | null | undefined): "ack" | "error" | null {
  if (status === undefined) return "ack";
  if (status === null) return null;
  return status >= 200 && status < 300 ? "ack" : "error";
}

/**
 * A 2xx HTTP response (`new Response("ok")`, `NextResponse.json({ received: true })`,
 * `res.status(200).json(...)`, `c.json(...)`): "ack"; a non-2xx one: "error"; otherwise null.
 */
export function httpResponseKind(file: FileContext, node: Node): "ack" | "error" | null {
  const n = unwrap(node);
  if (n.type === "NewExpression") {
    const name = calleeName(n);
    if (name !== "Response" && name !== "NextResponse") return null;
    return statusKind(statusOf(n.arguments[1]));
  }
  if (n.type !== "CallExpression") return null;
  const callee = unwrap(n.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method) return null;
  const object = unwrap(callee.object);
  if (object.type === "Identifier" && (object.name === "Response" || object.name === "NextResponse")) {
    return method === "json" ? statusKind(statusOf(n.arguments[1])) : null;
  }
  if (!RESPONSE_SENDERS.has(method)) return null;
  // Walk `res.status(200).setHeader(...).json(...)` down to `res`.
  let status: number | null | undefined = method === "sendStatus" ? statusOf(n.arguments[0]) : undefined;
  let current: Node = object;
  while (current.type === "CallExpression") {
    const inner = unwrap(current.callee);
    if (inner.type !== "MemberExpression") return null;
    const setter = propertyName(inner);
    if (!setter || !RESPONSE_SETTERS.has(setter)) return null;
    if (setter === "status" || setter === "code" || setter === "writeHead") status = statusOf(current.arguments[0]);
    current = unwrap(inner.object);
  }
  if (current.type !== "Identifier") return null;
  const responseName = enclosingRouteHandler(file, n)?.responseName;
  if (!RESPONSE_OBJECTS.has(current.name) && current.name !== responseName) return null;
  if (current.name === "c" && status === undefined) status = statusOf(n.arguments[1]);
  return statusKind(status);
}

/** Every read of a local variable is inside a logger call, so assigning it changes nothing that matters. */
function isLogOnlyVariable(file: FileContext, id: TSESTree.Identifier): boolean {
  const binding = resolveName(id.name, id);
  if (!binding || binding.kind !== "variable") return false;
  const scope = enclosingFunction(binding.declarator) ?? file.program;
  let onlyLogs = true;
  walk(scope, (node) => {
    if (!onlyLogs) return false;
    if (node.type !== "Identifier" || node.name !== id.name || node === binding.id) return;
    const parent = node.parent;
    if (parent?.type === "AssignmentExpression" && parent.left === node && parent.operator === "=") return;
    if (parent?.type === "MemberExpression" && parent.property === node && !parent.computed) return;
    if (parent?.type === "Property" && parent.key === node && !parent.shorthand && !parent.computed) return;
    if (resolveName(node.name, node)?.id !== binding.id) return;
    for (let p: Node | undefined = node.parent; p && p !== scope; p = p.parent) {
      if (p.type === "CallExpression" && isLoggerCall(file, p)) return;
    }
    onlyLogs = false;
  });
  return onlyLogs;
}

function expressionEffects(file: FileContext, node: Node, effects: BranchEffects): void {
  let n: Node = unwrap(node);
  if (n.type === "UnaryExpression" && n.operator === "void") n = unwrap(n.argument);
  if (n.type === "SequenceExpression") {
    for (const e of n.expressions) expressionEffects(file, e, effects);
    return;
  }
  const awaited = n.type === "AwaitExpression";
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  if (n.type === "CallExpression" && isLoggerCall(file, n) && !hasHiddenEffect(n.arguments)) {
    effects.log = true;
    return;
  }
  if (!awaited && (n.type === "CallExpression" || n.type === "NewExpression")) {
    const response = httpResponseKind(file, n);
    if (response === "ack") {
      effects.ack = true;
      return;
    }
  }
  if (
    !awaited &&
    n.type === "AssignmentExpression" &&
    n.left.type === "Identifier" &&
    isPureExpression(n.right) &&
    isLogOnlyVariable(file, n.left)
  ) {
    effects.neutral = true;
    return;
  }
  if (!awaited && isPureExpression(n)) {
    effects.neutral = true;
    return;
  }
  effects.active = true;
}

function returnEffects(file: FileContext, argument: Node | null, effects: BranchEffects): void {
  if (!argument || isUndefined(argument)) {
    effects.returns = true;
    return;
  }
  const n = unwrap(argument);
  if (n.type === "CallExpression" || n.type === "NewExpression") {
    const response = httpResponseKind(file, n);
    if (response === "ack") effects.ack = true;
    else if (n.type === "CallExpression" && isLoggerCall(file, n) && !hasHiddenEffect(n.arguments)) effects.log = true;
    else if (isPureExpression(n)) effects.value = true;
    else effects.active = true;
    return;
  }
  if (isLiteralValue(n)) effects.literal = true;
  else if (isPureExpression(n)) effects.value = true;
  else effects.active = true;
}

function statementEffects(file: FileContext, statement: TSESTree.Statement, effects: BranchEffects): void {
  switch (statement.type) {
    case "EmptyStatement":
      return;
    case "BreakStatement":
    case "ContinueStatement":
      effects.breaks = true;
      return;
    case "ReturnStatement":
      returnEffects(file, statement.argument, effects);
      return;
    case "ThrowStatement":
      effects.throws = true;
      return;
    case "BlockStatement":
      for (const s of statement.body) statementEffects(file, s, effects);
      return;
    case "IfStatement":
      if (!isPureExpression(statement.test)) effects.active = true;
      statementEffects(file, statement.consequent, effects);
      if (statement.alternate) statementEffects(file, statement.alternate, effects);
      return;
    case "TryStatement":
      statementEffects(file, statement.block, effects);
      if (statement.handler) statementEffects(file, statement.handler.body, effects);
      if (statement.finalizer) statementEffects(file, statement.finalizer, effects);
      return;
    case "LabeledStatement":
      statementEffects(file, statement.body, effects);
      return;
    case "SwitchStatement":
      if (!isPureExpression(statement.discriminant)) effects.active = true;
      for (const c of statement.cases) {
        if (c.test && !isPureExpression(c.test)) effects.active = true;
        for (const s of c.consequent) statementEffects(file, s, effects);
      }
      return;
    case "VariableDeclaration":
      for (const declarator of statement.declarations) {
        if (declarator.init && !isPureExpression(declarator.init)) effects.active = true;
      }
      effects.neutral = true;
      return;
    case "ExpressionStatement":
      expressionEffects(file, statement.expression, effects);
      return;
    case "FunctionDeclaration":
    case "DebuggerStatement":
    case "TSTypeAliasDeclaration":
    case "TSInterfaceDeclaration":
      effects.neutral = true;
      return;
    default:
      effects.active = true;
  }
}

/** What the branch's own statements do (not following fall-through). */
export function branchEffects(file: FileContext, branch: EventBranch): BranchEffects {
  return file.memoAt(branch.node, "event-switch:effects", () => {
    const effects = noEffects();
    for (const statement of branch.statements) statementEffects(file, statement, effects);
    return effects;
  });
}

/**
 * A value mapping or a validator rather than a handler: outside the webhook handler's own
 * body, no branch acts, logs or acknowledges, and some branch returns a value
 * (`case "user.created": return "Signed up"`, `case "invoice.paid": return true` in a
 * predicate) or throws (`case "a": case "b": return; default: throw ...` in an assertion).
 * Its branches are never silent.
 */
export function isLookupDispatch(file: FileContext, dispatch: EventDispatch): boolean {
  return file.memoAt(dispatch.node, "event-switch:lookup", () => {
    const handler = enclosingWebhookHandler(file, dispatch.node);
    if (handler && enclosingFunction(dispatch.node) === handler.handler.fn) return false;
    const all = dispatch.branches.map((b) => branchEffects(file, b));
    if (all.some((e) => e.active || e.log || e.ack)) return false;
    return all.some((e) => e.value || e.literal || e.throws);
  });
}

/** The branch followed by every branch it falls through into. */
function reachedBranches(dispatch: EventDispatch, branch: EventBranch): EventBranch[] {
  const out = [branch];
  let index = dispatch.branches.indexOf(branch);
  while (index >= 0 && dispatch.branches[index]!.fallsThrough && index + 1 < dispatch.branches.length) {
    index++;
    out.push(dispatch.branches[index]!);
  }
  return out;
}

/**
 * Why a branch does nothing for its event, or null when it acts (calls something other than
 * a logger, awaits, assigns state, throws, returns a computed value) or the dispatch is a
 * value mapping. A branch that falls through is judged with the branches it runs into.
 */
export function silentBranchReason(file: FileContext, dispatch: EventDispatch, branch: EventBranch): SilentReason | null {
  if (isLookupDispatch(file, dispatch)) return null;
  const reached = reachedBranches(dispatch, branch);
  const effects = reached.map((b) => branchEffects(file, b)).reduce(mergeEffects);
  if (effects.active || effects.throws || effects.value) return null;
  if (effects.log) return "log";
  if (effects.ack || effects.literal) return "ack";
  if (hasCommentedOutCode(branch.comments)) return "commented-out";
  if (effects.returns) return "return";
  if (effects.breaks) return "break";
  return effects.neutral ? "no-op" : "empty";
}

// ---------------------------------------------------------------------------------------
// Comments: commented-out code and documented exclusions
// ---------------------------------------------------------------------------------------

/** The text of a comment without its markers (`//`, `/*`, leading `*` of JSDoc lines). */
function commentLines(comment: TSESTree.Comment): string[] {
  if (comment.type === "Line") return [comment.value.trim()];
  return comment.value
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*\*+/, "").trim())
    .filter((line) => line.length > 0);
}

/** A line that reads as code: `await handleRefund(event)`, `grantCredits(userId);`, `const x = ...`. */
const CODE_LINE =
  /^(?:await\s|return\b|const\s|let\s|var\s|if\s*\(|throw\s|[\w$]+(?:\??\.[\w$]+)*\s*\(.*\)\s*;?$|[\w$]+(?:\.[\w$]+)*\s*[+-]?=\s*[^=\s])/;

/** Some comment holds commented-out code. */
export function hasCommentedOutCode(comments: readonly TSESTree.Comment[]): boolean {
  return comments.some((c) => commentLines(c).some((line) => CODE_LINE.test(line)));
}

/**
 * Phrases that mark a documented exclusion (case-insensitive regular expression source).
 * The option `exclusionPattern` of `no-silent-event-case` replaces it.
 */
export const DEFAULT_EXCLUSION_PATTERN = [
  "documented exclusion",
  "not in scope",
  "out of scope",
  "intentionally (?:ignored|not handled|unhandled|skipped|left|empty|a no-?op|no-?op)",
  "deliberately \\w+",
  "no-?op\\s*[:\\u2013\\u2014-]",
  "ignored?\\s*[:\\u2013\\u2014]",
  "ignored because",
  "not handled\\s*[:\\u2013\\u2014]|not handled (?:here|because|since)",
  "we (?:do not|don'?t|never) (?:\\w+ )?(?:handle|care|need|act|use)",
  "not needed because",
  "nothing to do because",
  "no action (?:is )?(?:needed|required)",
  "handled (?:elsewhere|by|in|via)",
  "safe to ignore",
].join("|");

/** A negation before a verb ("we don't need to handle this") makes it a reason, not a promise. */
const NEGATED = /\b(?:don'?t|do not|doesn'?t|does not|never|no need|not)\b/i;

/** Comments that promise work instead of explaining an exclusion, checked per line (`negatable`: unless negated before). */
const NOT_AN_EXCLUSION: { pattern: RegExp; negatable: boolean }[] = [
  { pattern: /\b(?:TODO|FIXME|XXX|HACK|TBD)\b/i, negatable: false },
  { pattern: /\badd (?:your |the |some |more )?(?:[\w-]+ )?logic\b/i, negatable: false },
  { pattern: /\byour (?:code|logic) (?:goes )?here\b/i, negatable: false },
  { pattern: /\b(?:to be|yet to be) (?:implemented|handled)\b|(?:\bnot\b|n't\b)[^.;:]*\byet\b/i, negatable: false },
  {
    pattern: /(?:^|[.;:!,\u2013\u2014-]\s*|\b(?:to|please|should|must|will|then)\s+)handle (?:this|it|them|later)\b/i,
    negatable: true,
  },
  { pattern: /\bimplement (?:this|me|it|later|soon)\b/i, negatable: true },
];

function promisesWork(line: string): boolean {
  return NOT_AN_EXCLUSION.some(({ pattern, negatable }) => {
    const match = pattern.exec(line);
    return !!match && !(negatable && NEGATED.test(line.slice(0, match.index)));
  });
}

const patternCache = new Map<string, RegExp>();

/** Compiles an exclusion pattern (case-insensitive), memoised; throws a readable error on a bad pattern. */
export function compileExclusionPattern(source: string = DEFAULT_EXCLUSION_PATTERN): RegExp {
  let pattern = patternCache.get(source);
  if (!pattern) {
    try {
      pattern = new RegExp(source, "i");
    } catch (error) {
      throw new Error(`webhook-lint: exclusionPattern is not a valid regular expression: ${(error as Error).message}`);
    }
    patternCache.set(source, pattern);
  }
  return pattern;
}

/**
 * True when a comment's text documents an exclusion: it matches `pattern`, gives a reason
 * (at least two words besides the marker, placeholders like `<why>` do not count), and
 * does not promise work (TODO, FIXME, "add logic here", "implement this").
 */
export function isExclusionText(text: string, pattern: RegExp = compileExclusionPattern()): boolean {
  const lines = text.split(/\r?\n/);
  if (lines.some(promisesWork)) return false;
  const joined = lines.join(" ");
  const match = pattern.exec(joined);
  if (!match) return false;
  const rest = (joined.slice(0, match.index) + " " + joined.slice(match.index + match[0].length)).replace(/<[^>]*>/g, " ");
  const words = rest.match(/[A-Za-z][A-Za-z'\u2019-]+/g) ?? [];
  return words.length >= 2;
}

/** Consecutive line comments on consecutive lines form one block; each block comment is its own. */
function commentBlocks(comments: readonly TSESTree.Comment[]): { text: string; first: TSESTree.Comment }[] {
  const blocks: { text: string; first: TSESTree.Comment; lastLine: number; line: boolean }[] = [];
  for (const comment of comments) {
    const previous = blocks[blocks.length - 1];
    const text = commentLines(comment).join("\n");
    if (previous && previous.line && comment.type === "Line" && comment.loc.start.line === previous.lastLine + 1) {
      previous.text += `\n${text}`;
      previous.lastLine = comment.loc.end.line;
      continue;
    }
    blocks.push({ text, first: comment, lastLine: comment.loc.end.line, line: comment.type === "Line" });
  }
  return blocks;
}

/**
 * The comment that documents why the branch (or a branch it falls through into) does
 * nothing, or null.
 */
export function exclusionComment(
  dispatch: EventDispatch,
  branch: EventBranch,
  pattern: RegExp = compileExclusionPattern(),
): TSESTree.Comment | null {
  for (const reached of reachedBranches(dispatch, branch)) {
    for (const block of commentBlocks(reached.comments)) {
      if (isExclusionText(block.text, pattern)) return block.first;
    }
  }
  return null;
}
