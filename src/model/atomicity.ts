/**
 * Check-then-act across Convex transactions: code outside Convex (a route handler, a server
 * action) or a Convex action/httpAction reads state with one call (`convex.query`,
 * `fetchQuery`, `preloadQuery`, `ctx.runQuery`) and writes with another (`convex.mutation`,
 * `fetchMutation`, `ctx.runMutation`) whose execution or arguments depend on what it read.
 * Each call is its own transaction, so two concurrent requests (a webhook and its retry) can
 * both pass the check before either writes. The fix is one mutation that reads and writes.
 *
 * API notes for the `atomic-mutation` codemod (additive to the brief's shape):
 * - `readSite`/`writeSite` are the calls inside `fn` that perform the read/write: `read.node` /
 *   `write.node` themselves, or a call of a same-file helper that makes it (`if (await
 *   isProcessed(event.id)) return;` where `isProcessed` wraps `convex.query`). In the helper case
 *   `read.node`/`write.node` lie inside the helper, not inside `fn`.
 * - `carriers` lists the expressions in the write's arguments that carry the read's value.
 * - `resultPattern` is the declarator id / assignment target receiving the read's result.
 * - `scope` says which kind of function `fn` is (`helper`: a same-file function called from one).
 * - A control-only dependency is reported only when the read and write are related: same
 *   Convex module, a shared argument value, or a read keyed by the webhook event id or named
 *   like a dedupe check. An auth check (`if (!viewer) throw`) before an unrelated write is not
 *   a check-then-act race on shared state. It is also skipped when the write only runs once the
 *   record was found (presence guard) and the read is not a yes/no question (`hasCredits`), and
 *   for a get-or-create of a provider resource (a provider call between the read and the write).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { contains, findAll, isFunction, unwrap, type FunctionNode, type Node } from "./ast.js";
import { convexCallAt, convexFunctions, type ConvexCall } from "./convex.js";
import { hasDirective, type FileContext } from "./file.js";
import { calledFunctions, controlDependences, declarationOf, runsAfter, taintFrom, type ControlDependence, type Taint } from "./flow.js";
import { isEventIdExpression, isEventIdName, ledgerRoleByName } from "./dedupe.js";
import { functionOf, routeHandlers } from "./routes.js";
import { valueOrigin } from "./scope.js";
import { isWebhookModule, verifierCalls, webhookDrivenConvexFunctions } from "./webhook.js";

export type CheckThenActScope = "route" | "server-action" | "http-action" | "action" | "helper";

export interface CheckThenAct {
  /** The function that makes both calls: route handler, server action, httpAction or public action. */
  fn: FunctionNode;
  /** What `fn` is. `helper`: a same-file function called from one of the others. */
  scope: CheckThenActScope;
  read: ConvexCall; // op "query" (convex.query / fetchQuery / preloadQuery / ctx.runQuery)
  write: ConvexCall; // the first later Convex write it guards or feeds (op "mutation")
  dependency: "control" | "data";
  /** The variable the read's result is assigned to, if any. */
  resultName: string | null;
  /** The declarator id or assignment target that receives the read's result (may be a pattern). */
  resultPattern: TSESTree.Node | null;
  /** The `if` whose test depends on the read (control dependency), if any. */
  guard: TSESTree.IfStatement | null;
  /** The guard's consequent only exits (return/throw/`continue`): the "already processed? -> return" shape. */
  earlyExit: boolean;
  /** Expressions in the write's arguments that carry the read's value (empty for control-only pairs). */
  carriers: TSESTree.Node[];
  /** The call in `fn` that performs the read: `read.node`, or the call of a same-file helper making it. */
  readSite: TSESTree.CallExpression;
  /** The call in `fn` that performs the write: `write.node`, or the call of a same-file helper making it. */
  writeSite: TSESTree.CallExpression;
}

interface Scope {
  fn: FunctionNode;
  scope: CheckThenActScope;
}

function isClientFile(file: FileContext): boolean {
  return hasDirective(file.program.body, "use client");
}

/** Functions whose Convex calls run as separate transactions, in source order. */
export function checkThenActScopes(file: FileContext): readonly Scope[] {
  return file.memo("atomicity:scopes", () => {
    if (isClientFile(file)) return [];
    const scopes = new Map<FunctionNode, CheckThenActScope>();
    for (const handler of routeHandlers(file)) {
      const kind: CheckThenActScope =
        handler.kind === "server-action" ? "server-action" : handler.kind === "http-action" ? "http-action" : "route";
      scopes.set(handler.fn, kind);
    }
    const driven = new Set(webhookDrivenConvexFunctions(file));
    for (const fn of convexFunctions(file)) {
      if (fn.kind !== "action" || !fn.handler) continue;
      // Internal actions count when they handle webhooks: in webhook code, or verifying a signature themselves.
      if (fn.visibility === "public" || driven.has(fn) || verifierCalls(file, fn.handler).length > 0) scopes.set(fn.handler, "action");
    }
    // Same-file helpers the handlers call (`await handleCheckout(event)`), two levels deep.
    for (const helper of calledFunctions([...scopes.keys()])) scopes.set(helper, "helper");
    // Webhook modules (`lib/webhooks/stripe.ts`): their top-level functions handle events too.
    if (isWebhookModule(file)) {
      for (const statement of file.program.body) {
        const declaration =
          (statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") && statement.declaration
            ? statement.declaration
            : statement;
        if (declaration.type === "FunctionDeclaration" && !scopes.has(declaration)) scopes.set(declaration, "helper");
        if (declaration.type === "VariableDeclaration") {
          for (const declarator of declaration.declarations) {
            const init = declarator.init ? unwrap(declarator.init) : null;
            if (init && isFunction(init) && !scopes.has(init)) scopes.set(init, "helper");
          }
        }
      }
    }
    return [...scopes.entries()]
      .map(([fn, scope]) => ({ fn, scope }))
      .sort((a, b) => a.fn.range[0] - b.fn.range[0]);
  });
}

/** The innermost scope function containing `node`. */
function ownerOf(scopes: readonly Scope[], node: Node): Scope | null {
  let best: Scope | null = null;
  for (const scope of scopes) {
    if (contains(scope.fn, node) && (!best || scope.fn.range[0] >= best.fn.range[0])) best = scope;
  }
  return best;
}

function isRead(call: ConvexCall): boolean {
  return call.op === "query" && call.via !== "scheduler";
}

function isWrite(call: ConvexCall): boolean {
  return call.op === "mutation";
}

/** Where the read's value lands: `const x = await read`, `x = await read`, or null when used in place. */
function resultTarget(read: TSESTree.CallExpression): TSESTree.Node | null {
  let current: Node = read;
  for (;;) {
    const parent: Node | undefined = current.parent;
    if (!parent) return null;
    switch (parent.type) {
      case "AwaitExpression":
      case "ChainExpression":
      case "TSAsExpression":
      case "TSNonNullExpression":
      case "TSSatisfiesExpression":
        current = parent;
        continue;
      case "LogicalExpression":
        if (parent.operator === "??" || parent.operator === "||") {
          current = parent;
          continue;
        }
        return null;
      case "VariableDeclarator":
        return parent.init === current ? parent.id : null;
      case "AssignmentExpression":
        return parent.right === current ? parent.left : null;
      default:
        return null;
    }
  }
}

function modulePath(call: ConvexCall): string | null {
  if (!call.ref || call.ref.path.length < 2) return null;
  return call.ref.path.slice(0, -1).join("/");
}

function originKey(node: Node): string | null {
  const origin = valueOrigin(node);
  const root = unwrap(origin.root);
  if (root.type !== "Identifier") {
    if (root.type === "MemberExpression" || root.type === "CallExpression") return `@${root.range[0]}:${origin.path.join(".")}`;
    return null;
  }
  const declaration = declarationOf(root);
  return `${declaration ? declaration.range[0] : root.name}:${origin.path.join(".")}`;
}

function argValues(call: ConvexCall): Node[] {
  const args = call.argsNode ? unwrap(call.argsNode) : null;
  if (!args || args.type !== "ObjectExpression") return [];
  const out: Node[] = [];
  for (const prop of args.properties) {
    if (prop.type === "Property") out.push(prop.value);
    else out.push(prop.argument);
  }
  return out;
}

function argKeys(call: ConvexCall): string[] {
  const args = call.argsNode ? unwrap(call.argsNode) : null;
  if (!args || args.type !== "ObjectExpression") return [];
  return args.properties.flatMap((p) => (p.type === "Property" && p.key.type === "Identifier" ? [p.key.name] : []));
}

/**
 * The read looks an event up by its id (`isProcessed({ eventId: event.id })`) or is named like
 * a dedupe check: its result decides whether the event is handled at all.
 */
export function isDedupeCheckCall(call: ConvexCall): boolean {
  const name = call.ref?.path[call.ref.path.length - 1];
  if (name && ledgerRoleByName(name) === "check") return true;
  return argKeys(call).some(isEventIdName) || argValues(call).some((v) => isEventIdExpression(v));
}

/** Read and write touch the same state: same module, a shared argument value, or a dedupe check. */
function related(read: ConvexCall, write: ConvexCall): boolean {
  const readModule = modulePath(read);
  if (readModule !== null && readModule === modulePath(write)) return true;
  if (isDedupeCheckCall(read)) return true;
  const readKeys = new Set(argValues(read).map(originKey).filter((k): k is string => k !== null));
  if (readKeys.size === 0) return false;
  return argValues(write).some((v) => {
    const key = originKey(v);
    return key !== null && readKeys.has(key);
  });
}

/**
 * Get-or-create of an external resource: `if (existing) return existing; const customer = await
 * stripe.customers.create(...); await ctx.runMutation(save, { customerId: customer.id })`. The
 * read cannot move into the mutation because the provider call sits between them (an idempotency
 * key on that call is the fix), so a control-only pair whose write stores such a result is left alone.
 */
function recordsExternalResult(file: FileContext, fn: FunctionNode, read: Site, write: Site): boolean {
  return externalCarriers(file, fn, read, write).length > 0;
}

/** Expressions in the write's arguments that carry the result of a provider call made between read and write. */
function externalCarriers(file: FileContext, fn: FunctionNode, read: Site, write: Site): Node[] {
  const args = siteArgs(write);
  const out: Node[] = [];
  for (const call of findAll(fn, ["CallExpression"])) {
    if (call.range[0] <= read.node.range[1] || call.range[1] >= write.node.range[0]) continue;
    if (call.parent?.type !== "AwaitExpression" || unwrap(call.callee).type !== "MemberExpression") continue;
    if (convexCallAt(file, call)) continue;
    const taint = taintFrom(fn, [call]);
    for (const a of args) out.push(...taint.carriersIn(a));
  }
  return out;
}

/** Reads named like a yes/no question (`isProcessed`, `hasCredits`, `canRedeem`): their truthiness is the state checked. */
function isPredicateRead(read: ConvexCall): boolean {
  const name = read.ref?.path[read.ref.path.length - 1] ?? "";
  return /^(?:is|has|can|should|was|were|did|does|check|verify|exists|allowed|needs|already)(?:[A-Z_]|$)/.test(name) || ledgerRoleByName(name) !== null;
}

type Presence = "present-when-truthy" | "absent-when-truthy";

/** `existing`, `!existing`, `existing !== null`, `user?._id`, `Boolean(doc)`: a presence test of the read's result. */
function presenceTest(test: Node, taint: Taint): Presence | null {
  const t = unwrap(test);
  if (t.type === "UnaryExpression" && t.operator === "!") {
    const inner = presenceTest(t.argument, taint);
    return inner === null ? null : inner === "present-when-truthy" ? "absent-when-truthy" : "present-when-truthy";
  }
  if (t.type === "CallExpression" && t.callee.type === "Identifier" && t.callee.name === "Boolean" && t.arguments[0]) {
    return presenceTest(t.arguments[0], taint);
  }
  if (t.type === "BinaryExpression" && (t.operator === "===" || t.operator === "!==" || t.operator === "==" || t.operator === "!=")) {
    const isNullish = (n: Node) => {
      const u = unwrap(n);
      return (u.type === "Literal" && u.value === null) || (u.type === "Identifier" && u.name === "undefined");
    };
    const other = isNullish(t.right) ? t.left : isNullish(t.left) ? t.right : null;
    if (!other || presenceTest(other, taint) !== "present-when-truthy") return null;
    return t.operator === "!==" || t.operator === "!=" ? "present-when-truthy" : "absent-when-truthy";
  }
  if (t.type === "AwaitExpression") return presenceTest(t.argument, taint);
  if (t.type === "Identifier") return taint.carries(t) ? "present-when-truthy" : null;
  if (t.type === "MemberExpression") {
    const key = t.computed ? null : t.property.type === "Identifier" ? t.property.name : null;
    return (key === "_id" || key === "id") && taint.carries(t.object) ? "present-when-truthy" : null;
  }
  return null;
}

/**
 * The write only runs when the read found its record (`if (!user) return 404;` then write):
 * it acts on something that exists, so a stale answer cannot make it create a duplicate. Only
 * presence tests count; state checks (`order.status === "paid"`) and loops do not.
 */
function runsOnlyWhenFound(dependence: ControlDependence, write: Site, taint: Taint): boolean {
  let test: Node | null = null;
  let whenTruthy: boolean | null = null;
  const node = dependence.node;
  switch (dependence.kind) {
    case "if": {
      const guard = dependence.guard!;
      test = guard.test;
      whenTruthy = contains(guard.consequent, write.node);
      break;
    }
    case "early-exit": {
      const guard = dependence.guard!;
      test = guard.test;
      whenTruthy = dependence.exitBranch !== guard.consequent;
      break;
    }
    case "conditional":
      if (node.type !== "ConditionalExpression") return false;
      test = node.test;
      whenTruthy = contains(node.consequent, write.node);
      break;
    case "logical":
      if (node.type !== "LogicalExpression") return false;
      test = node.left;
      whenTruthy = node.operator === "&&";
      break;
    case "assert":
      if (node.type !== "CallExpression" || !node.arguments[0]) return false;
      test = node.arguments[0];
      whenTruthy = true;
      break;
    default:
      return false;
  }
  const presence = presenceTest(test, taint);
  if (presence === null) return false;
  return (presence === "present-when-truthy") === whenTruthy;
}

/** A Convex call as seen from a function: made there directly, or through a same-file helper it calls. */
interface Site {
  call: ConvexCall;
  /** The call in the function: `call.node`, or the helper call. */
  node: TSESTree.CallExpression;
}

/** The argument expressions at a site (the Convex args object's values, or the helper call's arguments). */
function siteArgs(site: Site): Node[] {
  if (site.node === site.call.node) return site.call.node.arguments.filter((a) => a !== site.call.refNode);
  return site.node.arguments;
}

function siteArgValues(site: Site): Node[] {
  if (site.node === site.call.node) return argValues(site.call);
  return site.node.arguments.map((a) => (a.type === "SpreadElement" ? a.argument : a));
}

function relatedSites(read: Site, write: Site): boolean {
  if (related(read.call, write.call)) return true;
  const readKeys = new Set(siteArgValues(read).map(originKey).filter((k): k is string => k !== null));
  return siteArgValues(write).some((v) => {
    const key = originKey(v);
    return key !== null && readKeys.has(key);
  });
}

function containsConvexCall(file: FileContext, node: Node): boolean {
  return findAll(node, ["CallExpression"]).some((call) => convexCallAt(file, call) !== null);
}

function pairFor(file: FileContext, scope: Scope, read: Site, writes: readonly Site[]): CheckThenAct | null {
  const taint = taintFrom(scope.fn, [read.node]);
  for (const write of writes) {
    if (write.node === read.node || !runsAfter(read.node, write.node)) continue;
    // A variable that holds either the stored value or a freshly created provider resource
    // (`let customerId = user.stripeCustomerId; if (!customerId) customerId = (await create()).id`)
    // carries the provider's value to the write, not a stale read.
    const external = new Set(externalCarriers(file, scope.fn, read, write).map((n) => `${n.range[0]}:${n.range[1]}`));
    const carriers = siteArgs(write)
      .flatMap((a) => taint.carriersIn(a))
      .filter((n) => !external.has(`${n.range[0]}:${n.range[1]}`));
    const controls = controlDependences(scope.fn, write.node, (test) => taint.mentions(test)).filter((c) =>
      runsAfter(read.node, c.node),
    );
    if (carriers.length === 0 && (controls.length === 0 || !relatedSites(read, write))) continue;
    if (carriers.length === 0 && recordsExternalResult(file, scope.fn, read, write)) continue;
    if (carriers.length === 0 && !isPredicateRead(read.call) && controls.every((c) => runsOnlyWhenFound(c, write, taint))) continue;
    const guardDependence: ControlDependence | undefined =
      controls.find((c) => c.kind === "early-exit") ?? controls.find((c) => c.kind === "if");
    const target = resultTarget(read.node);
    const earlyExit =
      guardDependence?.kind === "early-exit" && !!guardDependence.exitBranch && !containsConvexCall(file, guardDependence.exitBranch);
    return {
      fn: scope.fn,
      scope: scope.scope,
      read: read.call,
      write: write.call,
      dependency: controls.length > 0 ? "control" : "data",
      resultName: target && target.type === "Identifier" ? target.name : null,
      resultPattern: target,
      guard: guardDependence?.guard ?? null,
      earlyExit,
      carriers,
      readSite: read.node,
      writeSite: write.node,
    };
  }
  return null;
}

/**
 * Convex reads and writes a same-file helper makes on behalf of its caller: a helper with reads
 * and no writes that returns a value stands for its first read; one with writes, for its first write.
 */
function helperSites(file: FileContext, scopes: readonly Scope[], helper: FunctionNode): { read: ConvexCall | null; write: ConvexCall | null } {
  const calls = findAll(helper, ["CallExpression"])
    .filter((c) => ownerOf(scopes, c)?.fn === helper)
    .map((c) => convexCallAt(file, c))
    .filter((c): c is ConvexCall => c !== null);
  const write = calls.find(isWrite) ?? null;
  const read = !write && returnsValue(helper) ? (calls.find(isRead) ?? null) : null;
  return { read, write };
}

function returnsValue(fn: FunctionNode): boolean {
  if (fn.body.type !== "BlockStatement") return true;
  return findAll(fn.body, ["ReturnStatement"], { skipFunctions: true }).some((r) => r.argument !== null);
}

/** Every check-then-act pair in the file, in source order of the reads. */
export function checkThenActPairs(file: FileContext): readonly CheckThenAct[] {
  return file.memo("atomicity:pairs", () => {
    if (!/query|Query/.test(file.text) || !/mutation|Mutation/.test(file.text)) return [];
    const scopes = checkThenActScopes(file);
    if (scopes.length === 0) return [];
    const byScope = new Map<FunctionNode, { scope: Scope; reads: Site[]; writes: Site[] }>();
    const entryFor = (scope: Scope) => {
      let entry = byScope.get(scope.fn);
      if (!entry) byScope.set(scope.fn, (entry = { scope, reads: [], writes: [] }));
      return entry;
    };
    const helperCache = new Map<FunctionNode, { read: ConvexCall | null; write: ConvexCall | null }>();
    for (const scope of scopes) {
      for (const call of findAll(scope.fn, ["CallExpression"])) {
        if (ownerOf(scopes, call) !== scope) continue;
        const convexCall = convexCallAt(file, call);
        if (convexCall) {
          if (isRead(convexCall)) entryFor(scope).reads.push({ call: convexCall, node: call });
          else if (isWrite(convexCall)) entryFor(scope).writes.push({ call: convexCall, node: call });
          continue;
        }
        const callee = unwrap(call.callee);
        if (callee.type !== "Identifier") continue;
        const helper = functionOf(callee, 1);
        if (!helper || helper === scope.fn || contains(helper, call)) continue;
        let sites = helperCache.get(helper);
        if (!sites) helperCache.set(helper, (sites = helperSites(file, scopes, helper)));
        if (sites.read) entryFor(scope).reads.push({ call: sites.read, node: call });
        if (sites.write) entryFor(scope).writes.push({ call: sites.write, node: call });
      }
    }
    const out: CheckThenAct[] = [];
    for (const { scope, reads, writes } of byScope.values()) {
      if (reads.length === 0 || writes.length === 0) continue;
      const ordered = [...writes].sort((a, b) => a.node.range[0] - b.node.range[0]);
      for (const read of reads) {
        const pair = pairFor(file, scope, read, ordered);
        if (pair) out.push(pair);
      }
    }
    return out.sort((a, b) => a.readSite.range[0] - b.readSite.range[0]);
  });
}
