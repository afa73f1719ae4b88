/**
 * Deduplication of webhook events inside Convex functions: the reads that look a record up by
 * the event (or delivery) id, the writes a handler makes, which of them are idempotent by
 * construction, and the mutations driven by webhook events that redo their work on every
 * redelivery because the check and the record of the event id are not in their transaction.
 *
 * What counts as idempotent (documented in rules/require-idempotent-event-mutation.md):
 * - `ctx.db.patch`/`replace` with absolute values (`{ status: "active", plan }`), whatever
 *   document they are keyed by: applying the same event twice leaves the same state;
 * - `ctx.db.delete`;
 * - an `insert` guarded by a lookup of the same table by the same key it inserts (an upsert:
 *   `if (existing) patch else insert`, `if (existing) return`), e.g. keyed by a subscription id;
 * - any write guarded by a lookup by the event id whose record (`insert({ eventId })`) is
 *   written in the same handler: the Convex transaction makes check and record atomic.
 * Not idempotent: other inserts, increments (`credits: user.credits + n`, appends), and
 * scheduling (`ctx.scheduler.runAfter`).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  boundNames,
  calleeName,
  contains,
  findAll,
  isFunction,
  keyName,
  memberPath,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { convexCallAt, convexFunctions, type ConvexCall, type ConvexFunction } from "./convex.js";
import { convexModuleName, hasDirective, type FileContext } from "./file.js";
import { alwaysExits, calledFunctions, controlDependences, runsAfter, taintFrom, type Taint } from "./flow.js";
import { incrementsIn, valueObject } from "./increments.js";
import { functionOf } from "./routes.js";
import { awaitedCalls, slowSideEffectAt } from "./side-effects.js";
import { isProjectModule } from "./verification.js";
import { valueOrigin } from "./scope.js";
import { isSecretLikeName } from "./secrets.js";
import {
  handlesDuplicate,
  isChainOuterCall,
  letsDuplicateThrough,
  mayWriteWithOrm,
  ormCallAt,
  ormCalls,
  ormWrittenKeys,
  redisKeyText,
  resultPattern,
  type Orm,
  type OrmCall,
} from "./orm.js";
import { functionsCalledFromWebhooks, isWebhookModule, verifierCalls, webhookDrivenConvexFunctions, webhookHandlers } from "./webhook.js";

// ---------------------------------------------------------------------------------------
// Vocabulary.

/**
 * Names of arguments, fields and variables that carry a webhook event or delivery id:
 * `eventId`, `event_id`, `stripeEventId`, `svixId`, `webhookId`, `webhookEventId`,
 * `deliveryId`, `notificationId` (Paddle), `idempotencyKey`.
 */
export const EVENT_ID_NAME =
  /^(?:(?:stripe|svix|clerk|polar|paddle|lemon_?squeezy|ls|provider|webhook|external|source|github|shopify)_?)?(?:event|delivery|webhook|svix|notification)_?id$|^idempotency_?key$|^(?:webhook|svix)_?(?:msg|message)_?id$/i;

/** Names of arguments/variables that hold a whole webhook event object. */
const EVENT_OBJECT_NAME =
  /^(?:event|evt|webhookEvent|stripeEvent|clerkEvent|polarEvent|paddleEvent|svixEvent|lemonSqueezyEvent|providerEvent|rawEvent|verifiedEvent)$/;

/** Request headers that carry a delivery id. */
const DELIVERY_ID_HEADER = /^(?:svix-id|webhook-id|x-github-delivery|x-webhook-id|x-event-id|x-shopify-webhook-id|x-shopify-event-id|paddle-event-id)$/i;

/** Tables that record processed events: `processed_events`, `webhookEvents`, `stripe_events`, `idempotency_keys`. */
export const LEDGER_TABLE =
  /processed|webhook_?(?:event|deliver|log|receipt)|(?:stripe|svix|clerk|polar|paddle|lemon_?squeezy)_?events?$|idempoten|event_?(?:log|ledger|receipt)|dedup/i;

/** Index names that look a record up by event/delivery id. */
const EVENT_INDEX = /event|deliver|webhook|svix|idempoten/i;

const LEDGER_WORD = /processed|handled|seen|duplicate|dedup|idempoten/i;
const CHECK_PREFIX = /^(?:is|was|has|check|get|find|lookup|already|verify|did|query|fetch)/i;
const MARK_PREFIX = /^(?:mark|record|save|store|insert|add|create|set|log|remember|track|upsert|claim|register)/i;
const MARK_EVENT_NAME = /^(?:record|save|store|insert|log|create|add|upsert|claim|register)(?:webhook|stripe|svix|clerk|polar|paddle|processed|provider)?(?:event|delivery)$/i;

export function isEventIdName(name: string): boolean {
  return EVENT_ID_NAME.test(name);
}

export function isEventObjectName(name: string): boolean {
  return EVENT_OBJECT_NAME.test(name);
}

/**
 * True when `node` evaluates to a webhook event or delivery id: `args.eventId`,
 * `event.id`, `args.event.id`, `evt.id`, `stripeEventId`, `req.headers.get("svix-id")`,
 * or a `const` initialised from one of these.
 */
/** Calls that return a verified webhook event (`stripe.webhooks.constructEvent(...)`, `wh.verify(...)`). */
const EVENT_SOURCE_CALL = /^(?:constructEvent|constructEventAsync|verify|verifyWebhook|validateEvent|unmarshal|parseEventNotification\w*)$/;

export function isEventIdExpression(node: Node | null | undefined): boolean {
  if (!node) return false;
  // Syntactically `event.id` / `evt.id` / `args.event.id`, whatever `event` was assigned from.
  const direct = unwrap(node);
  if (direct.type === "MemberExpression" && propertyName(direct) === "id") {
    const owner = unwrap(direct.object);
    const ownerName = owner.type === "Identifier" ? owner.name : owner.type === "MemberExpression" ? propertyName(owner) : null;
    if (ownerName && isEventObjectName(ownerName)) return true;
  }
  const origin = valueOrigin(node);
  const path = origin.path;
  const last = path[path.length - 1];
  const root = unwrapAwait(origin.root);
  if (last !== undefined && (isEventIdName(last) || DELIVERY_ID_HEADER.test(last))) return true;
  if (last === "id") {
    const owner = path.length >= 2 ? path[path.length - 2]! : root.type === "Identifier" ? root.name : null;
    if (owner && isEventObjectName(owner)) return true;
  }
  if (path.length === 0 && root.type === "Identifier" && isEventIdName(root.name)) return true;
  if (root.type === "CallExpression" && path.length === 1 && last === "id" && EVENT_SOURCE_CALL.test(calleeName(root) ?? "")) return true;
  if (root.type === "CallExpression" && path.length === 0) {
    const header = headerName(root);
    if (header && DELIVERY_ID_HEADER.test(header)) return true;
  }
  if (root.type === "MemberExpression" && path.length === 0) {
    const key = propertyName(root);
    if (key && DELIVERY_ID_HEADER.test(key)) return true;
  }
  return false;
}

/** `req.headers.get("svix-id")`, `headers().get("svix-id")`, `headersList.get(...)` -> the header name. */
function headerName(call: TSESTree.CallExpression): string | null {
  if (calleeName(call) !== "get") return null;
  return staticString(call.arguments[0]);
}

/** Ledger role a function name suggests: `isProcessed` -> check, `markEventProcessed` -> mark. */
export function ledgerRoleByName(name: string): LedgerRole | null {
  if (LEDGER_WORD.test(name)) {
    if (MARK_PREFIX.test(name)) return "mark";
    if (CHECK_PREFIX.test(name)) return "check";
    if (/^(?:processed|handled|seen)/i.test(name)) return "check";
    return null;
  }
  if (MARK_EVENT_NAME.test(name)) return "mark";
  if (/^(?:is|has|check)?(?:webhook|stripe|svix|clerk|polar|paddle)?(?:event|delivery)(?:already)?(?:exists|received)$/i.test(name)) return "check";
  return null;
}

// ---------------------------------------------------------------------------------------
// Reads: `ctx.db.query(table).withIndex(index, (q) => q.eq(field, key)).unique()` and friends.

export interface DbCondition {
  field: string;
  key: TSESTree.Node;
}

export interface DbRead {
  /** The whole read chain, or the call of a same-file helper that makes the read. */
  node: TSESTree.CallExpression;
  table: string | null;
  index: string | null;
  /** Equality conditions from `withIndex`/`filter`/`get`/`getOneFrom`, in source order. */
  conditions: DbCondition[];
  /** `unique`, `first`, `collect`, `take`, `paginate`, `get`, `getOneFrom`, ... */
  method: string;
  /** The same-file helper function the read happens in, when `node` is a call to it. */
  helper: FunctionNode | null;
}

const READ_TERMINALS = new Set(["unique", "first", "collect", "take", "paginate"]);
const HELPER_READS = new Set(["getOneFrom", "getOneFromOrThrow", "getManyFrom", "getAll", "getAllOrThrow"]);

function isDbObject(node: Node): boolean {
  const path = memberPath(node);
  return !!path && path[path.length - 1] === "db";
}

function eqConditions(fn: Node | undefined, viaField: boolean): DbCondition[] {
  if (!fn || !isFunction(fn)) return [];
  const out: DbCondition[] = [];
  for (const call of findAll(fn.body, ["CallExpression"])) {
    if (calleeName(call) !== "eq") continue;
    const [a, b] = call.arguments;
    if (!a || !b) continue;
    if (!viaField) {
      const field = staticString(a);
      if (field !== null) out.push({ field, key: b });
      continue;
    }
    const fieldOf = (n: Node): string | null => {
      const u = unwrap(n);
      return u.type === "CallExpression" && calleeName(u) === "field" ? staticString(u.arguments[0]) : null;
    };
    const fa = fieldOf(a);
    const fb = fieldOf(b);
    if (fa !== null) out.push({ field: fa, key: b });
    else if (fb !== null) out.push({ field: fb, key: a });
  }
  return out.sort((x, y) => x.key.range[0] - y.key.range[0]);
}

/** The Convex database read whose outermost call is `call`, or null. */
export function dbReadAt(call: TSESTree.CallExpression): DbRead | null {
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier" && HELPER_READS.has(callee.name)) {
    // convex-helpers: getOneFrom(db, table, index, value, field?)
    const [db, table, index, value, field] = call.arguments;
    if (!db || !isDbObject(db) || !value) return null;
    const indexName = staticString(index);
    const fieldName = staticString(field) ?? (indexName ? indexName.replace(/^by_?/i, "") : null);
    return {
      node: call,
      table: staticString(table),
      index: indexName,
      conditions: fieldName ? [{ field: fieldName, key: value }] : [],
      method: callee.name,
      helper: null,
    };
  }
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method) return null;
  if (method === "get" && isDbObject(callee.object)) {
    const [first, second] = call.arguments;
    if (!first) return null;
    const table = second ? staticString(first) : null;
    const id = second && table !== null ? second : first;
    return { node: call, table, index: null, conditions: [{ field: "_id", key: id }], method, helper: null };
  }
  if (!READ_TERMINALS.has(method)) return null;
  let index: string | null = null;
  const conditions: DbCondition[] = [];
  let current: Node = unwrap(callee.object);
  for (let hops = 0; hops < 12; hops++) {
    if (current.type !== "CallExpression") return null;
    const inner = unwrap(current.callee);
    if (inner.type !== "MemberExpression") return null;
    const name = propertyName(inner);
    if (name === "query") {
      if (!isDbObject(inner.object)) return null;
      const table = staticString(current.arguments[0]);
      if (table === null) return null;
      return { node: call, table, index, conditions, method, helper: null };
    }
    if (name === "withIndex") {
      index = staticString(current.arguments[0]);
      conditions.unshift(...eqConditions(current.arguments[1], false));
    } else if (name === "filter") {
      conditions.unshift(...eqConditions(current.arguments[0], true));
    } else if (name !== "order" && name !== "withSearchIndex") {
      return null;
    }
    current = unwrap(inner.object);
  }
  return null;
}

function sameFileHelper(call: TSESTree.CallExpression): FunctionNode | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "Identifier") return null;
  const fn = functionOf(callee, 1);
  if (!fn || contains(fn, call)) return null;
  return fn;
}

const returnsValue = new WeakMap<FunctionNode, boolean>();

/** `fn` returns a value somewhere (not in a nested function). Memoised: every call of a helper asks it again. */
function hasReturnValue(fn: FunctionNode): boolean {
  if (fn.body.type !== "BlockStatement") return true;
  let known = returnsValue.get(fn);
  if (known === undefined) {
    known = findAll(fn.body, ["ReturnStatement"], { skipFunctions: true }).some((statement) => statement.argument !== null);
    returnsValue.set(fn, known);
  }
  return known;
}

/**
 * Convex database reads inside `root` (a handler), in source order. A call to a same-file
 * helper that returns a read (`await getProcessedEvent(ctx, args.eventId)`) counts as that
 * read, with the helper's table/index/conditions and `node` the call site.
 */
export function dbReads(root: Node): DbRead[] {
  const out: DbRead[] = [];
  for (const call of findAll(root, ["CallExpression"])) {
    const read = dbReadAt(call);
    if (read) {
      out.push(read);
      continue;
    }
    const helper = sameFileHelper(call);
    if (!helper || !hasReturnValue(helper)) continue;
    const inner = findAll(helper.body, ["CallExpression"], { skipFunctions: true })
      .map(dbReadAt)
      .find((r): r is DbRead => r !== null);
    if (inner) out.push({ ...inner, node: call, helper });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Writes: `ctx.db.insert/patch/replace/delete`, `ctx.scheduler.runAfter/runAt`.

export type DbWriteOp = "insert" | "patch" | "replace" | "delete" | "schedule";

export interface DbWrite {
  /** The call in the analysed function: the write itself, or the call of a same-file helper making it. */
  node: TSESTree.CallExpression;
  /** The write call itself (inside the helper when there is one). */
  call: TSESTree.CallExpression;
  op: DbWriteOp;
  /** The table for `insert` (and the table-first `patch`/`replace`/`delete` overloads). */
  table: string | null;
  /** The document or fields written. */
  value: TSESTree.Node | null;
  helper: FunctionNode | null;
}

const WRITE_METHODS = new Set(["insert", "patch", "replace", "delete"]);

/** Classifies one call as a Convex database write or scheduling call. */
export function dbWriteAt(call: TSESTree.CallExpression): Omit<DbWrite, "node" | "helper"> | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method) return null;
  const args = call.arguments;
  if (WRITE_METHODS.has(method) && isDbObject(callee.object)) {
    const op = method as DbWriteOp;
    if (op === "insert") return { call, op, table: staticString(args[0]), value: args[1] ?? null };
    // Newer overloads take the table first: `ctx.db.patch("users", id, value)`.
    const tableFirst = args.length >= (op === "delete" ? 2 : 3) && staticString(args[0]) !== null;
    const table = tableFirst ? staticString(args[0]) : null;
    const value = op === "delete" ? null : (args[tableFirst ? 2 : 1] ?? null);
    return { call, op, table, value };
  }
  if ((method === "runAfter" || method === "runAt") && memberPath(callee.object)?.at(-1) === "scheduler") {
    return { call, op: "schedule", table: null, value: args[2] ?? null };
  }
  return null;
}

/** Convex writes inside `root`, including those made by same-file helpers it calls (one level). */
export function dbWrites(root: Node): DbWrite[] {
  const out: DbWrite[] = [];
  for (const call of findAll(root, ["CallExpression"])) {
    const write = dbWriteAt(call);
    if (write) {
      out.push({ ...write, node: call, helper: null });
      continue;
    }
    const helper = sameFileHelper(call);
    if (!helper) continue;
    for (const inner of findAll(helper.body, ["CallExpression"], { skipFunctions: true })) {
      const w = dbWriteAt(inner);
      if (w) out.push({ ...w, node: call, helper });
    }
  }
  return out;
}

function writtenKeys(value: Node | null): Set<string> {
  const object = valueObject(value);
  return new Set(object ? objectProperties(object).keys() : []);
}

// ---------------------------------------------------------------------------------------
// Dedupe reads and ledger functions.

export interface DedupeRead {
  /** The whole read chain, e.g. `ctx.db.query("processed_events").withIndex(...).unique()`. */
  node: TSESTree.Node;
  table: string | null;
  index: string | null;
  field: string | null;
  /** The expression compared with the field (`args.eventId`). */
  key: TSESTree.Node | null;
  /** The same-file helper the read happens in, when `node` calls it. */
  helper: FunctionNode | null;
}

function asDedupe(read: DbRead): DedupeRead | null {
  const byEvent = read.conditions.find((c) => isEventIdName(c.field) || isEventIdExpression(c.key));
  if (byEvent) return { node: read.node, table: read.table, index: read.index, field: byEvent.field, key: byEvent.key, helper: read.helper };
  const first = read.conditions[0];
  if (!first || first.field === "_id") return null;
  if ((read.index && EVENT_INDEX.test(read.index)) || (read.table && LEDGER_TABLE.test(read.table))) {
    return { node: read.node, table: read.table, index: read.index, field: first.field, key: first.key, helper: read.helper };
  }
  return null;
}

/** `ctx.runQuery(internal.webhooks.isProcessed, { eventId })` inside a mutation: same transaction. */
function runQueryDedupes(file: FileContext, root: Node): DedupeRead[] {
  const out: DedupeRead[] = [];
  for (const call of findAll(root, ["CallExpression"])) {
    const convexCall = convexCallAt(file, call);
    if (!convexCall || convexCall.via !== "ctx" || convexCall.op !== "query") continue;
    for (const [field, prop] of objectProperties(convexCall.argsNode)) {
      if (isEventIdName(field) || isEventIdExpression(prop.value)) {
        out.push({ node: call, table: null, index: null, field, key: prop.value, helper: null });
        break;
      }
    }
  }
  return out;
}

/** Reads inside a Convex function handler that look up a record by an event/delivery id. */
export function dedupeReads(file: FileContext, fn: ConvexFunction): DedupeRead[] {
  if (!fn.handler) return [];
  const handler = fn.handler;
  return file.memoAt(handler, "dedupe:reads", () => {
    const reads = dbReads(handler)
      .map(asDedupe)
      .filter((r): r is DedupeRead => r !== null);
    const out = [...reads, ...runQueryDedupes(file, handler)];
    return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
  });
}

export type LedgerRole = "check" | "mark";

export interface LedgerInfo {
  role: LedgerRole;
  table: string | null;
  index: string | null;
  field: string | null;
}

/** Fields a pure event record may hold besides the event id. */
const RECORD_FIELDS = new Set([
  "provider",
  "source",
  "type",
  "eventType",
  "event_type",
  "processedAt",
  "processed_at",
  "receivedAt",
  "received_at",
  "handledAt",
  "createdAt",
  "created_at",
  "status",
  "livemode",
]);

/**
 * A Convex function that only checks ("already processed?" query) or only records ("mark
 * processed" mutation: inserts {eventId,...} into a table) an event id, with the
 * table/index/field it uses. Null for anything that also does other work.
 */
export function eventLedgerRole(file: FileContext, fn: ConvexFunction): LedgerInfo | null {
  if (!fn.handler || (fn.kind !== "query" && fn.kind !== "mutation")) return null;
  const handler = fn.handler;
  return file.memoAt(handler, "dedupe:ledger", () => {
    const dedupes = dedupeReads(file, fn);
    const writes = dbWrites(handler);
    const first = dedupes[0] ?? null;
    if (writes.length === 0) {
      if (!first) return null;
      return { role: "check" as const, table: first.table, index: first.index, field: first.field };
    }
    let table: string | null | undefined;
    let field: string | null = null;
    for (const write of writes) {
      if (write.op !== "insert" && write.op !== "patch") return null;
      const keys = [...writtenKeys(write.value)];
      const idKey = keys.find((k) => isEventIdName(k)) ?? (write.op === "patch" ? (first?.field ?? null) : null);
      if (!idKey && !(write.op === "patch" && first)) return null;
      const pure = (write.table !== null && LEDGER_TABLE.test(write.table)) || keys.every((k) => k === idKey || RECORD_FIELDS.has(k));
      if (!pure) return null;
      if (table !== undefined && write.table !== null && table !== null && table !== write.table) return null;
      table = write.table ?? table ?? null;
      field = idKey ?? field;
    }
    return { role: "mark" as const, table: table ?? first?.table ?? null, index: first?.index ?? null, field: field ?? first?.field ?? null };
  });
}

/** The ledger role of a Convex function reference, by the same-file definition when there is one, else by name. */
export function ledgerRoleOfRef(file: FileContext, path: readonly string[]): LedgerRole | null {
  const name = path[path.length - 1];
  if (!name) return null;
  const module = path.slice(0, -1).join("/");
  if (module && module === convexModuleName(file)) {
    const local = convexFunctions(file).find((f) => f.exportName === name);
    if (local) return eventLedgerRole(file, local)?.role ?? null;
  }
  return ledgerRoleByName(name);
}

// ---------------------------------------------------------------------------------------
// Webhook-driven mutations without dedupe.

export type EventDrivenReason = "event-id-arg" | "event-arg" | "called-from-webhook" | "webhook-module";

const PRIMITIVE_VALIDATORS = new Set(["string", "number", "boolean", "literal", "id", "int64", "float64", "bigint", "null", "union"]);

function validatorName(node: Node): string | null {
  let n = unwrap(node);
  while (n.type === "CallExpression" && calleeName(n) === "optional" && n.arguments[0]) n = unwrap(n.arguments[0]);
  return n.type === "CallExpression" ? calleeName(n) : null;
}

interface ArgInfo {
  name: string;
  validator: string | null;
  /** For `v.object({...})`: its field names. */
  fields: string[] | null;
}

function objectValidatorFields(node: Node): string[] | null {
  let n = unwrap(node);
  while (n.type === "CallExpression" && calleeName(n) === "optional" && n.arguments[0]) n = unwrap(n.arguments[0]);
  if (n.type !== "CallExpression" || calleeName(n) !== "object") return null;
  return [...objectProperties(n.arguments[0]).keys()];
}

/** Fields that make an object validator look like a webhook event (`{ id, type, data }`). */
const EVENT_OBJECT_FIELDS = new Set(["type", "data", "event_type", "eventType", "object", "payload", "created_at", "livemode"]);

function isEventObjectArg(arg: ArgInfo): boolean {
  if (!isEventObjectName(arg.name)) return false;
  if (arg.validator === null || arg.validator === "any") return true;
  if (arg.validator === "object") return (arg.fields ?? []).some((f) => EVENT_OBJECT_FIELDS.has(f));
  return !PRIMITIVE_VALIDATORS.has(arg.validator) && arg.validator !== "record" && arg.validator !== "array";
}

function handlerArgs(fn: ConvexFunction): ArgInfo[] {
  if (fn.args) {
    return fn.args.map((a) => ({ name: a.name, validator: validatorName(a.validator), fields: objectValidatorFields(a.validator) }));
  }
  const param = fn.argsParam;
  if (param && param.type === "ObjectPattern") {
    return param.properties.flatMap((p) => {
      if (p.type !== "Property") return [];
      const key = keyName(p);
      return key ? [{ name: key, validator: null, fields: null }] : [];
    });
  }
  return [];
}

function usesUserAuth(handler: FunctionNode): boolean {
  return findAll(handler, ["CallExpression"]).some((call) => {
    const name = calleeName(call);
    return name === "getUserIdentity" || name === "getAuthUserId" || name === "requireUser" || name === "getCurrentUser";
  });
}

/** Why a Convex mutation counts as driven by webhook events, and the argument carrying the event id. */
export function eventDrivenReason(
  file: FileContext,
  fn: ConvexFunction,
): { reason: EventDrivenReason; eventIdArg: string | null } | null {
  if (fn.kind !== "mutation" || !fn.handler) return null;
  // A mutation that reads the caller's identity serves a signed-in user, not a webhook sender.
  if (usesUserAuth(fn.handler)) return null;
  const args = handlerArgs(fn);
  const idArg = args.find((a) => isEventIdName(a.name) && a.validator !== "id");
  if (idArg) return { reason: "event-id-arg", eventIdArg: idArg.name };
  const eventArg = args.find(isEventObjectArg);
  if (eventArg) return { reason: "event-arg", eventIdArg: eventArg.name };
  if (fn.exportName && functionsCalledFromWebhooks(file).has(fn.exportName)) {
    return { reason: "called-from-webhook", eventIdArg: null };
  }
  if (webhookDrivenConvexFunctions(file).includes(fn)) {
    const fromServer = fn.visibility === "internal" || args.some((a) => isSecretLikeName(a.name, file.settings));
    if (fromServer) return { reason: "webhook-module", eventIdArg: null };
  }
  return null;
}

export interface EventMutationFinding {
  fn: ConvexFunction;
  /** The argument that carries the event id, if any (`eventId`, `stripeEventId`, `svixId`, ...). */
  eventIdArg: string | null;
  /** The state-changing calls (`ctx.db.insert/patch/replace/delete`, `ctx.scheduler.run*`) that are not deduplicated. */
  writes: TSESTree.CallExpression[];
  /** Writes of the form `credits: user.credits + n` (increments: the worst case). */
  increments: TSESTree.Node[];
  /** Why the mutation counts as webhook-driven. */
  reason: EventDrivenReason;
  /**
   * A lookup by the event id whose record is not written in this handler: the check and the
   * record live in different transactions. Null when there is no such read.
   */
  split: DedupeRead | null;
}

const taintCache = new WeakMap<Node, Taint>();

function guardsWrite(handler: FunctionNode, read: { node: Node }, write: DbWrite): boolean {
  if (!runsAfter(read.node, write.node)) return false;
  let taint = taintCache.get(read.node);
  if (!taint || taint.scope !== handler) {
    taint = taintFrom(handler, [read.node]);
    taintCache.set(read.node, taint);
  }
  const t = taint;
  return controlDependences(handler, write.node, (test) => t.mentions(test)).length > 0;
}

function recordsEvent(file: FileContext, handler: FunctionNode, dedupe: DedupeRead, writes: readonly DbWrite[]): boolean {
  for (const write of writes) {
    if (write.op !== "insert" && write.op !== "patch" && write.op !== "replace") continue;
    if (dedupe.table !== null && write.table !== null && write.table !== dedupe.table) continue;
    const keys = writtenKeys(write.value);
    if ((dedupe.field && keys.has(dedupe.field)) || [...keys].some((k) => isEventIdName(k))) return true;
  }
  for (const call of findAll(handler, ["CallExpression"])) {
    const convexCall = convexCallAt(file, call);
    if (!convexCall || convexCall.via !== "ctx" || convexCall.op !== "mutation") continue;
    if ([...objectProperties(convexCall.argsNode)].some(([k, p]) => isEventIdName(k) || isEventIdExpression(p.value))) return true;
  }
  return false;
}

/** Append-only log tables (`webhookLogs`, `audit_log`): one row per delivery is what they are for. */
const LOG_TABLE = /(?:^|_)(?:logs?|audits?|audit_?(?:logs?|trail))$/i;
const CAMEL_LOG_TABLE = /[a-z0-9](?:Logs?|Audits?|AuditLogs?|AuditTrail)$/;

export function isLogTable(table: string | null): boolean {
  return table !== null && (LOG_TABLE.test(table) || CAMEL_LOG_TABLE.test(table));
}

/** Fields that hold a delivery as it was received. */
const PAYLOAD_FIELDS = new Set(["payload", "rawBody", "raw_body", "rawPayload", "raw_payload", "body", "raw"]);
const DELIVERY_TABLE = /event|webhook|notification|deliver/i;

/**
 * A row that logs a delivery rather than recording its id: a log table (`webhookLogs`), or an
 * event/webhook table (`lemonSqueezyWebhookEvent`, `stripe_events`) whose row carries no event id
 * (`{ eventName, payload }`). One row per delivery is what such a table is for; it is neither
 * work to deduplicate nor a dedupe record.
 */
export function isEventLogRow(table: string | null, keys: readonly string[], carriesEventId: boolean): boolean {
  if (isLogTable(table)) return true;
  if (carriesEventId || table === null) return false;
  if (LEDGER_TABLE.test(table) || EVENT_TABLE.test(table)) return true;
  return DELIVERY_TABLE.test(table) && keys.some((k) => PAYLOAD_FIELDS.has(k));
}

function isLedgerRecord(write: DbWrite): boolean {
  if (write.op !== "insert" || write.table === null || !LEDGER_TABLE.test(write.table)) return false;
  return [...writtenKeys(write.value)].some((k) => isEventIdName(k));
}

function isConvexLogRow(write: DbWrite): boolean {
  const object = valueObject(write.value);
  if (!object) return isLogTable(write.table);
  const entries = [...objectProperties(object)];
  const carries = entries.some(([k, p]) => isEventIdName(k) || isEventIdExpression(p.value));
  return isEventLogRow(write.table, entries.map(([k]) => k), carries);
}

/** Convex mutations in this file driven by webhook events that are not deduplicated in the same transaction. */
export function undedupedEventMutations(file: FileContext): readonly EventMutationFinding[] {
  return file.memo("dedupe:undeduped-mutations", () => {
    const out: EventMutationFinding[] = [];
    for (const fn of convexFunctions(file)) {
      const driven = eventDrivenReason(file, fn);
      if (!driven || !fn.handler) continue;
      if (eventLedgerRole(file, fn)) continue;
      const finding = analyzeMutation(file, fn, fn.handler, driven.reason, driven.eventIdArg);
      if (finding) out.push(finding);
    }
    return out;
  });
}

function analyzeMutation(
  file: FileContext,
  fn: ConvexFunction,
  handler: FunctionNode,
  reason: EventDrivenReason,
  eventIdArg: string | null,
): EventMutationFinding | null {
  const writes = dbWrites(handler);
  const reads = dbReads(handler);
  const dedupes = dedupeReads(file, fn);
  const recorded = dedupes.filter((d) => recordsEvent(file, handler, d, writes));
  const split = recorded.length === 0 ? (dedupes[0] ?? null) : null;

  const unguarded: DbWrite[] = [];
  const increments: TSESTree.Node[] = [];
  for (const write of writes) {
    if (write.op === "delete") continue;
    if (isLedgerRecord(write) || (write.op === "insert" && isConvexLogRow(write))) continue;
    const incs = write.op === "patch" || write.op === "replace" ? incrementsIn(write.value) : [];
    if ((write.op === "patch" || write.op === "replace") && incs.length === 0) continue;
    const guarded =
      recorded.some((d) => guardsWrite(handler, d, write)) ||
      (write.op === "insert" && reads.some((r) => upsertGuard(handler, r, write)));
    if (guarded) continue;
    unguarded.push(write);
    increments.push(...incs);
  }
  if (unguarded.length === 0 && !split) return null;
  return { fn, eventIdArg, writes: unguarded.map((w) => w.call), increments, reason, split };
}

/** `if (existing) ... else insert(table, { key })`: a lookup of the inserted table by a field the insert writes. */
function upsertGuard(handler: FunctionNode, read: DbRead, write: DbWrite): boolean {
  if (read.table === null || read.table !== write.table) return false;
  const keys = writtenKeys(write.value);
  if (!read.conditions.some((c) => c.field !== "_id" && keys.has(c.field))) return false;
  return guardsWrite(handler, read, write);
}

// ---------------------------------------------------------------------------------------
// Webhook handlers outside Convex transactions: Prisma/Drizzle/Supabase writes, and Convex
// "mark processed" calls made separately from the work.

export type HandlerWriteProblem = "increment" | "write" | "split";

export interface HandlerWriteFinding {
  problem: HandlerWriteProblem;
  /** The function making the calls: a webhook handler, a webhook-driven action, or a same-file helper of one. */
  fn: FunctionNode;
  /**
   * The node to report: the increment (`credits: { increment: 100 }`), the write call, or for
   * `split` the dedupe check/record that runs in a different transaction from the work.
   */
  node: TSESTree.Node;
  /** For `split`: whether `node` checks or records the event id. */
  ledger: LedgerRole | null;
  /** Where the state lives; `helper` for a claim made through a function this file imports. */
  store: Orm | "convex" | "helper";
  /** The written field (increments), the operation (`create`, `insert`), or the ledger table/function. */
  detail: string;
  /** The ORM or Convex call behind `node`. */
  call: TSESTree.CallExpression;
}

/** Functions that handle webhook deliveries outside a Convex transaction. */
export function webhookWriteScopes(file: FileContext): readonly FunctionNode[] {
  return file.memo("dedupe:webhook-scopes", () => {
    const roots: FunctionNode[] = webhookHandlers(file).map((h) => h.handler.fn);
    const driven = new Set(webhookDrivenConvexFunctions(file));
    for (const fn of convexFunctions(file)) {
      if (fn.kind !== "action" || !fn.handler) continue;
      if (driven.has(fn) || verifierCalls(file, fn.handler).length > 0) roots.push(fn.handler);
    }
    const scopes = new Set<FunctionNode>([...roots, ...calledFunctions(roots)]);
    if (isWebhookModule(file) && !hasDirective(file.program.body, "use client")) {
      const convexHandlers = new Set(convexFunctions(file).map((f) => f.handler));
      for (const statement of file.program.body) {
        const declaration =
          (statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") && statement.declaration
            ? statement.declaration
            : statement;
        if (declaration.type === "FunctionDeclaration") scopes.add(declaration);
        else if (declaration.type === "VariableDeclaration") {
          for (const declarator of declaration.declarations) {
            const init = declarator.init ? unwrap(declarator.init) : null;
            if (init && isFunction(init) && !convexHandlers.has(init)) scopes.add(init);
          }
        }
      }
    }
    return [...scopes].sort((a, b) => a.range[0] - b.range[0]);
  });
}

function innermost(scopes: readonly FunctionNode[], node: Node): FunctionNode | null {
  let best: FunctionNode | null = null;
  for (const fn of scopes) if (contains(fn, node) && (!best || fn.range[0] >= best.range[0])) best = fn;
  return best;
}

const EVENT_TABLE = /^(?:webhook|stripe|svix|clerk|polar|paddle|lemon_?squeezy|provider)?_?events?$/i;

function ormEventKeyed(call: OrmCall): boolean {
  return call.conditions.some((c) => isEventIdName(c.field) || isEventIdExpression(c.key));
}

function ormDataEventKeyed(call: OrmCall): boolean {
  const data = call.data ? unwrap(call.data) : null;
  const object = data?.type === "ArrayExpression" ? data.elements[0] : data;
  return [...objectProperties(object ?? null)].some(([k, p]) => isEventIdName(k) || isEventIdExpression(p.value));
}

function ormLedgerRole(call: OrmCall): LedgerRole | null {
  const ledgerTable = call.table !== null && (LEDGER_TABLE.test(call.table) || EVENT_TABLE.test(call.table));
  if (call.op === "read") return (ledgerTable && call.conditions.length > 0) || ormEventKeyed(call) ? "check" : null;
  // A row that carries the event id records it (a log row without one records nothing).
  if (call.op === "create" || call.op === "upsert") return ormDataEventKeyed(call) ? "mark" : null;
  return null;
}

function incrementName(node: TSESTree.Node): string {
  if (node.type === "Property") return keyName(node) ?? "a value";
  if (node.type === "CallExpression") return staticString(node.arguments[0]) ?? "a value";
  // Redis: the `incrby` of `redis.incrby(key, n)` -> the key.
  const call = node.parent?.parent;
  if (node.type === "Identifier" && call?.type === "CallExpression") return redisKeyText(call.arguments[0]) ?? "a value";
  return "a value";
}

/** An insert that logs the delivery (see {@link isEventLogRow}); data that is not an object literal is not judged. */
function isOrmLogRow(call: OrmCall): boolean {
  if (call.op !== "create") return false;
  const data = call.data ? unwrap(call.data) : null;
  const object = data?.type === "ArrayExpression" ? data.elements[0] : data;
  if (!object || object.type !== "ObjectExpression") return isLogTable(call.table);
  return isEventLogRow(call.table, ormWrittenKeys(call), ormDataEventKeyed(call));
}

/** A call that changes stored state (not a read, not a delivery log row). */
function isOrmStateWrite(call: OrmCall): boolean {
  return call.op !== "read" && !isOrmLogRow(call);
}

/** `read` decides whether `write` runs (`if (!product) create(...)`, `if (existing) return`). */
function guardsOrmWrite(fn: FunctionNode, read: OrmCall, write: OrmCall): boolean {
  if (!runsAfter(read.node, write.node)) return false;
  const taint = taintFrom(fn, [read.node]);
  return controlDependences(fn, write.node, (test) => taint.mentions(test)).length > 0;
}

/**
 * A record of the event id that turns a redelivery away: any record written after a check of the
 * ledger, or an insert whose duplicate ends the handler: its unique-key error is thrown (Prisma,
 * Drizzle) and not swallowed by a `catch`, or it is returned (`const { error } = await
 * supabase.from(t).insert(x)`) and a test of it exits. An upsert without a check, an insert that
 * ignores conflicts and is not checked, and a duplicate let through (`if (e.code !== "P2002")
 * throw e`) send the redelivery on to the work again: nothing is lost.
 */
function stopsRedelivery(fn: FunctionNode, mark: OrmCall, checks: readonly OrmCall[]): boolean {
  if (checks.some((c) => runsAfter(c.node, mark.node))) return true;
  if (mark.op !== "create") return false;
  const chain = memberPath(unwrap(mark.node.callee));
  const throws =
    mark.orm === "supabase" ? !!chain && chain.includes("throwOnError") : !mark.idempotent || handlesDuplicate(mark.node);
  if (throws && thrownDuplicateStops(fn, mark.node)) return true;
  return returnedDuplicateStops(fn, mark.node);
}

/** Where a thrown unique-key error goes: up to the caller (a 500 and a retry that fails the same way), or into a `catch`. */
function thrownDuplicateStops(fn: FunctionNode, call: TSESTree.CallExpression): boolean {
  const member = call.parent;
  if (member?.type === "MemberExpression" && member.object === call && propertyName(member) === "catch") {
    const handler = member.parent?.type === "CallExpression" ? member.parent.arguments[0] : undefined;
    if (handler && isFunction(handler)) return catchStops(handler.body);
  }
  let child: Node = call;
  let parent: Node | undefined = call.parent;
  while (parent && parent !== fn) {
    if (parent.type === "TryStatement" && parent.block === child && parent.handler) return catchStops(parent.handler.body);
    child = parent;
    parent = parent.parent;
  }
  return true;
}

/** A `catch` stops a duplicate when it returns or throws, unless it lets duplicates through by their code. */
function catchStops(body: Node): boolean {
  if (letsDuplicateThrough(body)) return false;
  return alwaysExits(body) || findAll(body, ["ReturnStatement", "ThrowStatement"], { skipFunctions: true }).length > 0;
}

/** `const { error } = await insert(...); if (error) return ...`: a test of the returned error that exits. */
function returnedDuplicateStops(fn: FunctionNode, call: TSESTree.CallExpression): boolean {
  const names = new Set(boundNames(resultPattern(call)));
  if (names.size === 0) return false;
  const mentionsResult = (node: Node) => findAll(node, ["Identifier"]).some((id) => names.has(id.name));
  return findAll(fn, ["IfStatement"], { skipFunctions: true }).some(
    (guard) =>
      guard.range[0] > call.range[1] &&
      mentionsResult(guard.test) &&
      !letsDuplicateThrough(guard.test) &&
      (alwaysExits(guard.consequent) || alwaysExits(guard.alternate)),
  );
}

/** What else the handler does after a call: its own writes, Convex work, and same-file helpers that write. */
interface ScopeWork {
  convex: readonly ConvexCall[];
  /** True when calling this same-file function changes state (ORM writes or Convex work, two levels deep). */
  helperWrites: (helper: FunctionNode) => boolean;
}

/**
 * State changes `fn` makes after `node` and outside `tx`: its own ORM writes (not ledger calls),
 * Convex work, same-file helpers that write, and awaited calls of functions imported from the
 * project that are not ledger functions (`await addCredits(userId, 100)`, `await
 * handlers.checkout(event)` from `@/lib/stripe`): the processing the event exists for.
 */
function changesStateAfter(
  file: FileContext,
  fn: FunctionNode,
  node: Node,
  tx: TSESTree.CallExpression | null,
  calls: readonly OrmCall[],
  roles: ReadonlyMap<OrmCall, LedgerRole | null>,
  work: ScopeWork,
): boolean {
  const later = (n: Node) => runsAfter(node, n);
  const outside = (n: Node) => !tx || !contains(tx, n);
  if (calls.some((c) => c.node !== node && roles.get(c) === null && isOrmStateWrite(c) && later(c.node) && outside(c.node))) return true;
  if (work.convex.some((c) => isConvexWork(file, c) && later(c.node) && outside(c.node))) return true;
  return findAll(fn, ["CallExpression"]).some((call) => {
    if (!later(call) || !outside(call)) return false;
    const callee = unwrap(call.callee);
    if (callee.type === "Identifier") {
      const helper = functionOf(callee, 1);
      if (helper) return helper !== fn && !contains(helper, call) && work.helperWrites(helper);
    }
    return call.parent?.type === "AwaitExpression" && isImportedProjectWork(file, call);
  });
}

/** `addCredits(...)` / `billing.apply(...)` imported from the project (`@/lib/credits`), not a logger or a ledger function. */
function isImportedProjectWork(file: FileContext, call: TSESTree.CallExpression): boolean {
  const path = memberPath(unwrap(call.callee));
  const root = path?.[0];
  const name = calleeName(call);
  if (!root || !name || file.settings.loggers.has(root) || ledgerRoleByName(name) !== null) return false;
  const binding = file.imports.get(root);
  return !!binding && isProjectModule(binding.source);
}

/**
 * The event id is recorded before the work, and not in the work's transaction: a failure of the
 * work leaves the record behind, so every retry is turned away and the event is never applied.
 * Not when the record is released or completed afterwards (a later write to the ledger table).
 */
function recordedBeforeWork(
  file: FileContext,
  fn: FunctionNode,
  calls: readonly OrmCall[],
  roles: ReadonlyMap<OrmCall, LedgerRole | null>,
  work: ScopeWork,
): OrmCall | null {
  const checks = calls.filter((c) => roles.get(c) === "check");
  for (const mark of calls) {
    if (roles.get(mark) !== "mark" || !stopsRedelivery(fn, mark, checks)) continue;
    const settles = calls.some((c) => c !== mark && c.table === mark.table && c.op !== "read" && c.op !== "create" && runsAfter(mark.node, c.node));
    if (settles) continue;
    if (changesStateAfter(file, fn, mark.node, mark.transaction, calls, roles, work)) return mark;
  }
  return null;
}

/** The arguments of a call carry the event id (`recordWebhookEvent("paddle", event.id)`, `claim({ eventId })`). */
function passesEventId(call: TSESTree.CallExpression): boolean {
  return call.arguments.some((arg) => {
    if (arg.type === "SpreadElement") return false;
    if (isEventIdExpression(arg)) return true;
    // `const eventId = data.eventId || data.event_id` hides its origin, not its name.
    const name = unwrap(arg).type === "Identifier" ? (unwrap(arg) as TSESTree.Identifier).name : null;
    if (name && isEventIdName(name)) return true;
    return [...objectProperties(arg)].some(([k, p]) => isEventIdName(k) || isEventIdExpression(p.value));
  });
}

/**
 * A claim made through a helper (imported or same-file): `const isNew = await
 * recordWebhookEvent("paddle", event.id); if (!isNew) return ...;` named like a record, passed
 * the event id, and whose answer ends the handler early. Work after it runs in other transactions.
 */
function claimBeforeWork(
  file: FileContext,
  fn: FunctionNode,
  candidates: readonly TSESTree.CallExpression[],
  calls: readonly OrmCall[],
  work: ScopeWork,
): TSESTree.CallExpression | null {
  const roles = new Map(calls.map((c) => [c, ormLedgerRole(c)]));
  for (const call of candidates) {
    const name = calleeName(call);
    if (!name || ledgerRoleByName(name) !== "mark" || !passesEventId(call)) continue;
    const taint = taintFrom(fn, [call]);
    const endsEarly = findAll(fn, ["IfStatement"], { skipFunctions: true }).some(
      (guard) =>
        guard.range[1] > call.range[1] &&
        taint.mentions(guard.test) &&
        (alwaysExits(guard.consequent) || alwaysExits(guard.alternate)),
    );
    if (!endsEarly) continue;
    if (changesStateAfter(file, fn, call, null, calls, roles, work)) return call;
  }
  return null;
}

function ormFindings(file: FileContext, fn: FunctionNode, calls: readonly OrmCall[], work: ScopeWork): HandlerWriteFinding[] {
  const out: HandlerWriteFinding[] = [];
  const reportedSplit = new Set<Node>();
  const roles = new Map(calls.map((c) => [c, ormLedgerRole(c)]));
  for (const write of calls) {
    if (roles.get(write) === "mark") continue;
    const nonIdempotent = (write.op === "create" && !write.idempotent && !isOrmLogRow(write)) || write.increments.length > 0;
    if (!nonIdempotent) continue;
    const writtenKeys = new Set(ormWrittenKeys(write));
    // Get-or-create keyed by the provider object's id (`findUnique({ where: { stripe_product_id } })`
    // then `if (!product) create(...)`): an upsert, not a dedupe of the event. A race ends in a
    // unique-key error and a retry.
    const sameKeyChecks =
      write.op === "create" && write.increments.length === 0
        ? calls.filter(
            (c) => c.op === "read" && roles.get(c) === null && c.table === write.table && c.conditions.some((k) => writtenKeys.has(k.field)),
          )
        : [];
    if (sameKeyChecks.some((c) => guardsOrmWrite(fn, c, write))) continue;
    const ledger = calls.filter((c) => roles.get(c) !== null);
    const tx = write.transaction;
    if (tx && ledger.some((c) => c.transaction === tx && roles.get(c) === "mark")) continue;
    const elsewhere = ledger
      .filter((c) => !tx || c.transaction !== tx || roles.get(c) === "check")
      .sort((a, b) => a.node.range[0] - b.node.range[0]);
    // Prefer the check/record that runs on its own (no transaction), first in source order.
    const split = elsewhere.find((c) => c.transaction === null) ?? elsewhere[0];
    if (split) {
      if (!reportedSplit.has(split.node)) {
        reportedSplit.add(split.node);
        out.push({
          problem: "split",
          fn,
          node: split.node,
          ledger: roles.get(split) ?? "check",
          store: split.orm,
          detail: split.table ?? split.op,
          call: split.node,
        });
      }
      continue;
    }
    const increment = write.increments[0];
    out.push(
      increment
        ? { problem: "increment", fn, node: increment, ledger: null, store: write.orm, detail: incrementName(increment), call: write.node }
        : { problem: "write", fn, node: write.node, ledger: null, store: write.orm, detail: write.op === "create" ? "insert" : write.op, call: write.node },
    );
  }
  if (reportedSplit.size === 0) {
    const mark = recordedBeforeWork(file, fn, calls, roles, work);
    if (mark) {
      out.push({ problem: "split", fn, node: mark.node, ledger: "mark", store: mark.orm, detail: mark.table ?? mark.op, call: mark.node });
    }
  }
  return out;
}

function convexCallLedgerRole(file: FileContext, call: ConvexCall): LedgerRole | null {
  if (!call.ref) return null;
  const name = call.ref.path[call.ref.path.length - 1] ?? "";
  const role = ledgerRoleOfRef(file, call.ref.path);
  if (!role) return null;
  // Names like `recordEvent` only count when the call passes an event id.
  if (!LEDGER_WORD.test(name)) {
    const keyed = [...objectProperties(call.argsNode)].some(([k, p]) => isEventIdName(k) || isEventIdExpression(p.value));
    if (!keyed) return null;
  }
  return role;
}

function isConvexWork(file: FileContext, call: ConvexCall): boolean {
  return (call.op === "mutation" || call.op === "action" || call.op === "schedule") && convexCallLedgerRole(file, call) === null;
}

/** A same-file helper called from `fn` (`await handleCheckout(ctx, event)`) that writes through Convex. */
function helperDoesConvexWork(file: FileContext, fn: FunctionNode): boolean {
  return calledFunctions([fn]).some((helper) =>
    findAll(helper, ["CallExpression"]).some((call) => {
      const convexCall = convexCallAt(file, call);
      return convexCall !== null && isConvexWork(file, convexCall);
    }),
  );
}

/** `fn` (or a same-file helper it awaits) sends an email, writes to a provider or POSTs: work no Convex transaction holds. */
function doesSlowWork(file: FileContext, fn: FunctionNode): boolean {
  return awaitedCalls(fn, 2).some((a) => slowSideEffectAt(file, a.call) !== null);
}

function convexSplitFindings(file: FileContext, fn: FunctionNode, calls: readonly ConvexCall[]): HandlerWriteFinding[] {
  const marks = calls.filter((c) => c.op === "mutation" && convexCallLedgerRole(file, c) === "mark");
  if (marks.length === 0) return [];
  const work = calls.filter((c) => !marks.includes(c) && isConvexWork(file, c));
  if (work.length === 0 && !helperDoesConvexWork(file, fn) && !doesSlowWork(file, fn)) return [];
  const mark = marks[0]!;
  return [
    {
      problem: "split",
      fn,
      node: mark.node,
      ledger: "mark",
      store: "convex",
      detail: mark.ref ? mark.ref.path.join(".") : "mutation",
      call: mark.node,
    },
  ];
}

/**
 * Webhook handlers (and their same-file helpers) whose writes outside Convex mutations are not
 * deduplicated by the event id in the same transaction: Prisma/Drizzle/Supabase increments and
 * inserts with no dedupe, dedupe checks/records in a different transaction from the work, and
 * Convex "mark processed" mutations called separately from the mutation doing the work.
 */
export function undedupedHandlerWrites(file: FileContext): readonly HandlerWriteFinding[] {
  return file.memo("dedupe:handler-writes", () => {
    const scopes = webhookWriteScopes(file);
    if (scopes.length === 0) return [];
    const convexHandlers = convexFunctions(file)
      .filter((f) => f.kind !== "action" && f.kind !== "httpAction")
      .map((f) => f.handler)
      .filter((h): h is FunctionNode => h !== null);
    const orm = new Map<FunctionNode, OrmCall[]>();
    const convex = new Map<FunctionNode, ConvexCall[]>();
    const claims = new Map<FunctionNode, TSESTree.CallExpression[]>();
    for (const scope of scopes) {
      for (const call of findAll(scope, ["CallExpression"])) {
        if (innermost(scopes, call) !== scope) continue;
        if (convexHandlers.some((h) => contains(h, call))) continue;
        const ormCall = mayWriteWithOrm(file.text) ? ormCallAt(file, call) : null;
        if (ormCall && isChainOuterCall(call)) {
          orm.set(scope, [...(orm.get(scope) ?? []), ormCall]);
          continue;
        }
        const convexCall = convexCallAt(file, call);
        if (convexCall) convex.set(scope, [...(convex.get(scope) ?? []), convexCall]);
        else if (ledgerRoleByName(calleeName(call) ?? "") === "mark") claims.set(scope, [...(claims.get(scope) ?? []), call]);
      }
    }
    const writesState = new Map<FunctionNode, boolean>();
    const ownWrites = (fn: FunctionNode): boolean => {
      let known = writesState.get(fn);
      if (known === undefined) {
        const ormWrites = (orm.get(fn) ?? ormCalls(file, fn)).some((c) => ormLedgerRole(c) === null && isOrmStateWrite(c));
        const convexCalls =
          convex.get(fn) ?? findAll(fn, ["CallExpression"]).map((c) => convexCallAt(file, c)).filter((c): c is ConvexCall => c !== null);
        known = ormWrites || convexCalls.some((c) => isConvexWork(file, c));
        writesState.set(fn, known);
      }
      return known;
    };
    const helperWrites = (helper: FunctionNode) => ownWrites(helper) || calledFunctions([helper], 1).some(ownWrites);
    const out: HandlerWriteFinding[] = [];
    for (const scope of scopes) {
      const work: ScopeWork = { convex: convex.get(scope) ?? [], helperWrites };
      const found = [...ormFindings(file, scope, orm.get(scope) ?? [], work), ...convexSplitFindings(file, scope, convex.get(scope) ?? [])];
      if (!found.some((f) => f.problem === "split")) {
        const claim = claimBeforeWork(file, scope, claims.get(scope) ?? [], orm.get(scope) ?? [], work);
        if (claim) {
          found.push({ problem: "split", fn: scope, node: claim, ledger: "mark", store: "helper", detail: calleeName(claim) ?? "claim", call: claim });
        }
      }
      out.push(...found);
    }
    return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
  });
}
