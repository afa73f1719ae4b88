/**
 * Event dispatch: `switch (event.type)`, `switch (type)` after `const { type } = evt`,
 * `payload.type`, `body.meta.event_name`, and `if (event.type === "...") ... else if`
 * chains, split into branches (fall-through groups) with their labels, statements and
 * comments.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { lastName, propertyName, staticString, unwrap, type Node } from "./ast.js";
import type { FileContext } from "./file.js";
import { isProviderEventName } from "./providers.js";
import { valueOrigin } from "./scope.js";
import { enclosingWebhookHandler, verifierCallAt } from "./webhook.js";

/** Properties that hold an event's type. */
const EVENT_TYPE_PROPERTIES = new Set(["type", "eventType", "event_type", "eventName", "event_name", "event"]);

/** Names of objects that hold a webhook event (`event`, `evt`, `payload`, `stripeEvent`, ...). */
const EVENT_OBJECT = /^(?:e|ev|evt|data|json|parsed|msg|message|meta|hook|wh|result|verified)$|(?:event|evt|payload|body|webhook|notification)s?$/i;

/** Identifiers that are an event type by name, when their origin cannot be seen. */
const EVENT_TYPE_NAME = /^(?:type|eventType|event_type|eventName|event_name|topic)$/;

/** Objects that are never webhook events: reducer actions and state. */
const NOT_EVENT_OBJECT = /^(?:action|state|prevState|draft|props|node|token|field|column|element|el|item|input|schema|def)$/;

export interface EventBranch {
  /** Event names this branch handles (static strings only). */
  labels: string[];
  labelNodes: TSESTree.Node[];
  /** `default:` or a final `else`. */
  isDefault: boolean;
  /** The statements that run for this branch (for a fall-through group: the last case's). */
  statements: TSESTree.Statement[];
  /** The node to report: the first `case` of the group, or the `if` test. */
  node: TSESTree.Node;
  /** Comments that belong to this branch (inside it, or on their own lines just before it). */
  comments: TSESTree.Comment[];
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
  if (r.type === "CallExpression" && verifierCallAt(file, r)) return true;
  const name = path.length > 0 ? path[path.length - 1]! : lastName(r);
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

function testLabels(file: FileContext, test: TSESTree.Node): { discriminant: TSESTree.Node; labels: TSESTree.Node[] } | null {
  const n = unwrap(test);
  if (n.type === "BinaryExpression" && (n.operator === "===" || n.operator === "==")) {
    for (const [subject, other] of [
      [n.left, n.right],
      [n.right, n.left],
    ] as const) {
      if (staticString(other) !== null && isEventTypeExpression(file, subject)) {
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
  // `["a", "b"].includes(event.type)`
  if (n.type === "CallExpression" && n.callee.type === "MemberExpression" && propertyName(n.callee) === "includes") {
    const list = unwrap(n.callee.object);
    const subject = n.arguments[0];
    if (list.type === "ArrayExpression" && subject && subject.type !== "SpreadElement" && isEventTypeExpression(file, subject)) {
      const labels = list.elements.filter((e): e is TSESTree.Expression => !!e && staticString(e) !== null);
      if (labels.length > 0) return { discriminant: subject, labels };
    }
  }
  return null;
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

  // A group's comments run from just after the previous group's last statement's line to
  // just before the next group's own-line leading comments.
  const bodyStart = file.text.indexOf("{", node.discriminant.range[1]) + 1;
  const bodyEnd = node.range[1] - 1;
  const starts = groups.map((group) => {
    const first = group[0]!;
    return lineStart(file.text, first.range[0]);
  });
  return groups.map((group, index) => {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const labels = group.filter((c) => c.test !== null).map((c) => c.test!);
    const previousEnd = index === 0 ? bodyStart : groups[index - 1]![groups[index - 1]!.length - 1]!.range[1];
    // Own-line comments between the previous group's end and this `case` lead this group.
    const leadingFrom = index === 0 ? bodyStart : nextLineStart(file.text, previousEnd);
    const start = Math.min(leadingFrom, starts[index]!);
    const end = index + 1 < groups.length ? nextLeadingStart(file, groups, index + 1) : bodyEnd;
    return {
      labels: labels.map((l) => staticString(l)).filter((s): s is string => s !== null),
      labelNodes: labels,
      isDefault: group.some((c) => c.test === null),
      statements: last.consequent,
      node: first,
      comments: commentsBetween(file, start, end),
    };
  });
}

function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl + 1;
}

function nextLeadingStart(file: FileContext, groups: TSESTree.SwitchCase[][], index: number): number {
  const previous = groups[index - 1]!;
  const previousEnd = previous[previous.length - 1]!.range[1];
  return Math.min(nextLineStart(file.text, previousEnd), lineStart(file.text, groups[index]![0]!.range[0]));
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
    const from = isHead ? lineStart(file.text, current.range[0]) : current.range[0];
    branches.push({
      labels: match.labels.map((l) => staticString(l)).filter((s): s is string => s !== null),
      labelNodes: match.labels,
      isDefault: false,
      statements: statementsOf(current.consequent),
      node: current.test,
      comments: commentsBetween(file, from, current.consequent.range[1]),
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

/** Classifies one `switch` or `if` as an event dispatch, or returns null. */
export function eventDispatchAt(
  file: FileContext,
  node: TSESTree.SwitchStatement | TSESTree.IfStatement,
): EventDispatch | null {
  let dispatch: Omit<EventDispatch, "providerLabels" | "inWebhookHandler"> | null = null;
  if (node.type === "SwitchStatement") {
    const labels = node.cases.filter((c) => c.test !== null).map((c) => staticString(c.test));
    const branches = switchBranches(file, node);
    const eventTyped = isEventTypeExpression(file, node.discriminant);
    const allProvider = labels.length >= 2 && labels.every((l) => l !== null && isProviderEventName(l));
    if (!eventTyped && !allProvider) return null;
    dispatch = { kind: "switch", node, discriminant: node.discriminant, branches };
  } else {
    if (!isChainHead(node)) return null;
    const chain = ifChainBranches(file, node);
    if (!chain) return null;
    dispatch = { kind: "if-chain", node, discriminant: chain.discriminant, branches: chain.branches };
  }
  const providerLabels = dispatch.branches.some((b) => b.labels.some(isProviderEventName));
  const inWebhookHandler = enclosingWebhookHandler(file, node) !== null;
  if (!providerLabels && !inWebhookHandler) return null;
  return { ...dispatch, providerLabels, inWebhookHandler };
}
