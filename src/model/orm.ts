/**
 * Database calls outside Convex: Prisma (`prisma.user.update({ data })`), Drizzle
 * (`db.insert(table).values(...)`, `db.update(table).set(...)`), Supabase
 * (`supabase.from("table").insert(...)`, `supabase.rpc(...)`) and MongoDB/Mongoose `$inc`
 * updates (`User.updateOne(filter, { $inc: { credits: 10 } })`): what they do, to which table,
 * with which lookup keys, whether they increment, and which transaction they run in.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  boundNames,
  calleeName,
  enclosingFunction,
  findAll,
  isEqualityOperator,
  isFunction,
  keyName,
  lookupTable,
  memberPath,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  walk,
  type Node,
} from "./ast.js";
import type { FileContext } from "./file.js";
import { resolveName } from "./scope.js";
import { incrementsIn } from "./increments.js";

export type Orm = "prisma" | "drizzle" | "supabase" | "mongo" | "redis";
export type OrmOp = "read" | "create" | "update" | "upsert" | "delete" | "rpc";

export interface OrmCondition {
  field: string;
  key: TSESTree.Node;
}

export interface OrmCall {
  /** The outermost call of the chain (`db.insert(t).values(v).onConflictDoNothing()`). */
  node: TSESTree.CallExpression;
  orm: Orm;
  op: OrmOp;
  /** Prisma model, Drizzle table variable, Supabase table, or the rpc function name. */
  table: string | null;
  /** The data written (`data`, `.values()`, `.set()`, `.insert()`/`.update()` argument). */
  data: TSESTree.Node | null;
  /** Equality lookups (`where: { id }`, `.eq("id", x)`, `eq(t.id, x)`). */
  conditions: OrmCondition[];
  /** Idempotent by construction: upsert, `onConflictDoNothing/Update`, `skipDuplicates`, `ignoreDuplicates`. */
  idempotent: boolean;
  /** Nodes that increment stored values: `{ increment: n }`, ``sql`${t.credits} + ${n}` ``, `rpc("increment_credits")`. */
  increments: TSESTree.Node[];
  /** The `$transaction(...)` / `db.transaction(...)` call this runs inside, if any. */
  transaction: TSESTree.CallExpression | null;
}

const PRISMA_METHODS = lookupTable<OrmOp>({
  findUnique: "read",
  findUniqueOrThrow: "read",
  findFirst: "read",
  findFirstOrThrow: "read",
  findMany: "read",
  count: "read",
  create: "create",
  createMany: "create",
  createManyAndReturn: "create",
  update: "update",
  updateMany: "update",
  updateManyAndReturn: "update",
  upsert: "upsert",
  delete: "delete",
  deleteMany: "delete",
});

const PRISMA_INCREMENT_KEYS = new Set(["increment", "decrement", "multiply", "divide", "push"]);
/** Variable names that are a database client by themselves. `client`/`admin` need their initialiser. */
const CLIENT_ROOT = /^(?:prisma\w*|db|tx|trx|database|drizzle\w*|supabase\w*)$/i;
const CLIENT_FACTORY = /^(?:create\w*Client|drizzle|getSupabase\w*|getDb|getPrisma\w*)$/;
const RPC_INCREMENT = /incr|decr|add_?credit|deduct|top_?up|grant_?credit|add_?balance|add_?points/i;
/** `rpc("update_credits", { credit_amount: 100 })`: a function on a balance that takes an amount adds it. */
const RPC_BALANCE = /credit|balance|points|tokens|quota|coins|wallet/i;
const RPC_ABSOLUTE = /^(?:set|reset|sync|overwrite)_?/i;
const RPC_AMOUNT_KEY = /^(?:p_)?(?:\w+_)?(?:amount|delta|quantity|qty|to_?add)$|(?:Amount|Delta|ToAdd)$/;

function isIncrementRpc(name: string, args: Node | null): boolean {
  if (RPC_INCREMENT.test(name)) return true;
  if (!RPC_BALANCE.test(name) || RPC_ABSOLUTE.test(name)) return false;
  return [...objectProperties(args).keys()].some((k) => RPC_AMOUNT_KEY.test(k));
}

function isClientFactory(node: Node | null | undefined): boolean {
  if (!node) return false;
  let n = unwrap(node);
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  if (n.type === "NewExpression") return calleeName(n) === "PrismaClient";
  return n.type === "CallExpression" && CLIENT_FACTORY.test(calleeName(n) ?? "");
}

function isClientRoot(file: FileContext, node: Node): boolean {
  const path = memberPath(node);
  // `createClient(url, key).from(...)`, `(await createClient()).from(...)`
  if (!path) return isClientFactory(node);
  const root = path[0]!;
  const last = path[path.length - 1]!;
  if (path.length > 1) return (root === "ctx" || root === "this" || root === "context" || root === "locals") && CLIENT_ROOT.test(last);
  if (CLIENT_ROOT.test(root)) return true;
  const binding = file.imports.get(root);
  if (binding) return /prisma|supabase|drizzle|(?:^|\/)(?:db|database)(?:\/|$|\.)/i.test(binding.source);
  const local = unwrap(node);
  if (local.type !== "Identifier") return false;
  const declared = resolveName(local.name, local);
  return declared?.kind === "variable" && declared.path.length === 0 && isClientFactory(declared.init);
}

function enclosingTransaction(node: Node): TSESTree.CallExpression | null {
  let child: Node = node;
  let parent = node.parent;
  while (parent) {
    if (parent.type === "CallExpression" && parent.callee !== child) {
      const name = calleeName(parent);
      if (name === "$transaction" || name === "transaction") {
        const arg = parent.arguments[0];
        if (arg && (isFunction(arg) || arg.type === "ArrayExpression")) return parent;
      }
    }
    child = parent;
    parent = parent.parent;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Inserts whose unique-key violation is handled: the constraint, not a ledger, dedupes them.

/** Error codes of a unique-key violation: Prisma, Postgres (and Supabase/PostgREST), MongoDB, MySQL, SQLite. */
const DUPLICATE_CODE = /^(?:P2002|23505|E?11000|ER_DUP_ENTRY|SQLITE_CONSTRAINT(?:_UNIQUE|_PRIMARYKEY)?|unique_violation)$/;
const DUPLICATE_MESSAGE = /unique constraint|duplicate key|unique_violation/i;
/** `isUniqueConstraintError(e)`, `isDuplicateKeyError(e)`, `e instanceof UniqueConstraintError` (Sequelize). */
const DUPLICATE_HELPER = /(?:unique|duplicate|dup)_?(?:key|constraint|entry)?_?(?:error|violation)|^is_?(?:unique|duplicate)/i;

function isDuplicateLiteral(node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== "Literal") return false;
  if (typeof n.value === "number") return n.value === 11000;
  return typeof n.value === "string" && DUPLICATE_CODE.test(n.value);
}

/** Tests inside `root` that recognise a unique-key violation, optionally only those mentioning `names`. */
function duplicateTestsIn(root: Node, names: ReadonlySet<string> | null, after = -1): boolean {
  const mentions = (node: Node) => {
    if (!names) return true;
    let found = false;
    walk(node, (n) => {
      if (found) return false;
      if (n.type === "Identifier" && names.has(n.name)) found = true;
      return undefined;
    });
    return found;
  };
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (node.range[1] <= after) return false;
    if (node.range[0] < after) return undefined;
    if (node.type === "BinaryExpression" && isEqualityOperator(node.operator)) {
      const other = isDuplicateLiteral(node.right) ? node.left : isDuplicateLiteral(node.left) ? node.right : null;
      if (other && mentions(other)) found = true;
    } else if (node.type === "BinaryExpression" && node.operator === "instanceof") {
      const right = memberPath(node.right);
      if (right && DUPLICATE_HELPER.test(right[right.length - 1]!) && mentions(node.left)) found = true;
    } else if (node.type === "SwitchStatement") {
      if (node.cases.some((c) => c.test && isDuplicateLiteral(c.test)) && mentions(node.discriminant)) found = true;
    } else if (node.type === "CallExpression") {
      const name = calleeName(node) ?? "";
      const args = node.arguments.filter((a): a is TSESTree.Expression => a.type !== "SpreadElement");
      if (DUPLICATE_HELPER.test(name) && args.some(mentions)) found = true;
      else if (/^(?:includes|match|test|startsWith)$/.test(name) && args.some((a) => DUPLICATE_MESSAGE.test(staticString(a) ?? "") || isDuplicateLiteral(a))) {
        const callee = unwrap(node.callee);
        if (callee.type === "MemberExpression" && mentions(callee.object)) found = true;
      }
    }
    return undefined;
  });
  return found;
}

/**
 * `root` lets a unique-key violation through: it compares an error code with a duplicate code
 * by inequality (`if (e.code !== "P2002") throw e`, `error && error.code !== "23505"`).
 */
export function letsDuplicateThrough(root: Node): boolean {
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (node.type === "BinaryExpression" && (node.operator === "!==" || node.operator === "!=")) {
      if (isDuplicateLiteral(node.left) || isDuplicateLiteral(node.right)) found = true;
    }
    return undefined;
  });
  return found;
}

/** The pattern receiving the awaited value of `call` (`const { error } = await supabase.from(t).insert(x)`). */
export function resultPattern(call: TSESTree.CallExpression): Node | null {
  let current: Node = call;
  for (let i = 0; i < 6; i++) {
    const parent: Node | undefined = current.parent;
    if (!parent) return null;
    if (parent.type === "AwaitExpression" || parent.type === "TSAsExpression" || parent.type === "TSNonNullExpression" || parent.type === "ChainExpression") {
      current = parent;
      continue;
    }
    if (parent.type === "VariableDeclarator" && parent.init === current) return parent.id;
    if (parent.type === "AssignmentExpression" && parent.right === current) return parent.left;
    return null;
  }
  return null;
}

/**
 * True when the code around an insert recognises its unique-key violation: a `catch` (or
 * `.catch()`) that tests for `P2002`/`23505`/`11000`, or a returned error (`const { error } =
 * await supabase.from(t).insert(x)`) compared with such a code. The table has a unique key on
 * what is inserted, so a redelivery cannot add a second row.
 */
export function handlesDuplicate(call: TSESTree.CallExpression): boolean {
  // `prisma.x.create(...).catch((e) => ...)`
  const member = call.parent;
  if (member?.type === "MemberExpression" && member.object === call && propertyName(member) === "catch") {
    const handler = member.parent?.type === "CallExpression" ? member.parent.arguments[0] : undefined;
    if (handler && isFunction(handler) && duplicateTestsIn(handler.body, null)) return true;
  }
  // `try { await prisma.x.create(...) } catch (e) { if (e.code === "P2002") ... }`
  let child: Node = call;
  let parent: Node | undefined = call.parent;
  while (parent && !isFunction(parent)) {
    if (parent.type === "TryStatement" && parent.block === child && parent.handler && duplicateTestsIn(parent.handler.body, null)) return true;
    child = parent;
    parent = parent.parent;
  }
  // `const { error } = await supabase.from(t).insert(x); if (error?.code === "23505") ...`
  const pattern = resultPattern(call);
  const fn = enclosingFunction(call);
  if (!pattern || !fn) return false;
  const names = new Set(boundNames(pattern));
  if (names.size === 0) return false;
  return duplicateTestsIn(fn.body, names, call.range[1]);
}

function whereConditions(where: Node | null | undefined, depth = 1): OrmCondition[] {
  const out: OrmCondition[] = [];
  for (const [field, prop] of objectProperties(where)) {
    const value = unwrap(prop.value);
    if (value.type === "ObjectExpression" && depth > 0) {
      // compound unique (`where: { provider_eventId: { provider, eventId } }`) or `{ equals: x }`
      const nested = objectProperties(value);
      if (nested.has("equals")) out.push({ field, key: nested.get("equals")!.value });
      else out.push(...whereConditions(value, depth - 1));
    } else {
      out.push({ field, key: prop.value });
    }
  }
  return out;
}

function prismaIncrements(data: Node | null): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  for (const [, prop] of objectProperties(data)) {
    const value = unwrap(prop.value);
    if (value.type !== "ObjectExpression") continue;
    if ([...objectProperties(value).keys()].some((k) => PRISMA_INCREMENT_KEYS.has(k))) out.push(prop);
  }
  return [...out, ...incrementsIn(data)];
}

function prismaCall(file: FileContext, call: TSESTree.CallExpression): OrmCall | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  const op = method ? PRISMA_METHODS[method] : undefined;
  if (!op) return null;
  const model = unwrap(callee.object);
  if (model.type !== "MemberExpression") return null;
  const table = propertyName(model);
  if (!table || table.startsWith("$")) return null;
  if (!isClientRoot(file, model.object)) return null;
  const arg = call.arguments[0];
  const props = objectProperties(arg);
  const data = props.get("data")?.value ?? (op === "upsert" ? (props.get("create")?.value ?? null) : null);
  const skip = props.get("skipDuplicates")?.value;
  const skipDuplicates = !!skip && unwrap(skip).type === "Literal" && (unwrap(skip) as TSESTree.Literal).value === true;
  const increments =
    op === "update" ? prismaIncrements(data) : op === "upsert" ? prismaIncrements(props.get("update")?.value ?? null) : [];
  return {
    node: call,
    orm: "prisma",
    op,
    table,
    data,
    conditions: whereConditions(props.get("where")?.value),
    idempotent:
      increments.length === 0 &&
      (op === "upsert" || skipDuplicates || op === "read" || op === "delete" || op === "update" || (op === "create" && handlesDuplicate(call))),
    increments,
    transaction: enclosingTransaction(call),
  };
}

interface ChainLink {
  name: string;
  call: TSESTree.CallExpression;
}

/** `a.b(x).c(y).d()` -> base object `a` and links [b(x), c(y), d()]. */
function chainOf(call: TSESTree.CallExpression): { base: Node; links: ChainLink[] } | null {
  const links: ChainLink[] = [];
  let current: Node = call;
  for (let i = 0; i < 16; i++) {
    const n = unwrap(current);
    if (n.type !== "CallExpression") break;
    const callee = unwrap(n.callee);
    if (callee.type !== "MemberExpression") return null;
    const name = propertyName(callee);
    if (!name) return null;
    links.unshift({ name, call: n });
    current = unwrap(callee.object);
  }
  if (links.length === 0) return null;
  return { base: current, links };
}

function isSqlIncrement(node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== "TaggedTemplateExpression") return false;
  const tag = memberPath(n.tag)?.join(".");
  if (tag !== "sql") return false;
  const text = n.quasi.quasis.map((q) => q.value.cooked ?? "").join("${}");
  return /[+-]/.test(text) && n.quasi.expressions.some((e) => unwrap(e).type === "MemberExpression");
}

function setIncrements(data: Node | null): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  for (const [, prop] of objectProperties(data)) {
    if (isSqlIncrement(prop.value)) out.push(prop);
  }
  return [...out, ...incrementsIn(data)];
}

function drizzleConditions(node: Node | undefined): OrmCondition[] {
  if (!node) return [];
  const out: OrmCondition[] = [];
  for (const call of findAll(node, ["CallExpression"])) {
    if (calleeName(call) !== "eq") continue;
    const [column, key] = call.arguments;
    if (!column || !key) continue;
    const c = unwrap(column);
    const field = c.type === "MemberExpression" ? propertyName(c) : null;
    if (field) out.push({ field, key });
  }
  return out;
}

function drizzleCall(file: FileContext, call: TSESTree.CallExpression): OrmCall | null {
  const chain = chainOf(call);
  if (!chain || !isClientRoot(file, chain.base)) return null;
  const [first, ...rest] = chain.links;
  if (!first) return null;
  const names = new Set(rest.map((l) => l.name));
  const tableNode = first.call.arguments[0];
  const tableName = (n: Node | undefined): string | null => {
    if (!n) return null;
    const path = memberPath(n);
    return path ? path[path.length - 1]! : null;
  };
  let op: OrmOp;
  let table: string | null;
  let data: Node | null = null;
  if (first.name === "insert" && names.has("values")) {
    if (!tableNode || staticString(tableNode) !== null) return null;
    op = "create";
    table = tableName(tableNode);
    data = rest.find((l) => l.name === "values")!.call.arguments[0] ?? null;
  } else if (first.name === "update" && names.has("set")) {
    if (!tableNode || staticString(tableNode) !== null) return null;
    op = "update";
    table = tableName(tableNode);
    data = rest.find((l) => l.name === "set")!.call.arguments[0] ?? null;
  } else if (first.name === "delete" && tableNode && staticString(tableNode) === null && chain.links.length >= 1) {
    op = "delete";
    table = tableName(tableNode);
  } else if (first.name === "select" && names.has("from")) {
    op = "read";
    table = tableName(rest.find((l) => l.name === "from")!.call.arguments[0]);
  } else {
    return null;
  }
  const where = rest.find((l) => l.name === "where")?.call.arguments[0];
  const conflict = names.has("onConflictDoNothing") || names.has("onConflictDoUpdate") || names.has("onDuplicateKeyUpdate");
  // `onConflictDoUpdate({ set: { credits: sql\`${t.credits} + 100\` } })` adds again on every conflicting insert.
  const conflictSet = rest
    .filter((l) => l.name === "onConflictDoUpdate" || l.name === "onDuplicateKeyUpdate")
    .map((l) => objectProperties(l.call.arguments[0]).get("set")?.value ?? null);
  const increments = op === "update" ? setIncrements(data) : op === "create" ? conflictSet.flatMap(setIncrements) : [];
  return {
    node: call,
    orm: "drizzle",
    op,
    table,
    data,
    conditions: drizzleConditions(where),
    idempotent:
      increments.length === 0 &&
      (conflict || op === "read" || op === "delete" || op === "update" || (op === "create" && handlesDuplicate(call))),
    increments,
    transaction: enclosingTransaction(call),
  };
}

/** Drizzle's relational API: `db.query.users.findFirst({ where: eq(users.id, id) })`. */
function drizzleRelationalRead(file: FileContext, call: TSESTree.CallExpression): OrmCall | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (method !== "findFirst" && method !== "findMany") return null;
  const path = memberPath(callee);
  if (!path || path.length !== 4 || path[1] !== "query") return null;
  if (!isClientRoot(file, (unwrap((unwrap(callee.object) as TSESTree.MemberExpression).object) as TSESTree.MemberExpression).object)) {
    return null;
  }
  return {
    node: call,
    orm: "drizzle",
    op: "read",
    table: path[2]!,
    data: null,
    conditions: drizzleConditions(call.arguments[0]),
    idempotent: true,
    increments: [],
    transaction: enclosingTransaction(call),
  };
}

const SUPABASE_OPS = lookupTable<OrmOp>({ select: "read", insert: "create", update: "update", upsert: "upsert", delete: "delete" });

function supabaseCall(file: FileContext, call: TSESTree.CallExpression): OrmCall | null {
  const chain = chainOf(call);
  if (!chain) return null;
  let links = chain.links;
  if (links[0]?.name === "schema") links = links.slice(1);
  const [first, ...rest] = links;
  if (!first) return null;
  if (!isClientRoot(file, chain.base) && !(first.name === "from" && rest[0] && SUPABASE_OPS[rest[0].name])) return null;
  if (first.name === "rpc") {
    const name = staticString(first.call.arguments[0]);
    if (name === null) return null;
    const args = first.call.arguments[1] ?? null;
    const increments = isIncrementRpc(name, args);
    return {
      node: call,
      orm: "supabase",
      op: "rpc",
      table: name,
      data: args,
      conditions: [],
      idempotent: !increments,
      increments: increments ? [first.call] : [],
      transaction: null,
    };
  }
  if (first.name !== "from") return null;
  const table = staticString(first.call.arguments[0]);
  const opLink = rest[0];
  const op = opLink ? SUPABASE_OPS[opLink.name] : undefined;
  if (table === null || !opLink || !op) return null;
  const conditions: OrmCondition[] = [];
  for (const link of rest.slice(1)) {
    if (link.name === "eq") {
      const field = staticString(link.call.arguments[0]);
      if (field !== null && link.call.arguments[1]) conditions.push({ field, key: link.call.arguments[1] });
    } else if (link.name === "match") {
      for (const [field, prop] of objectProperties(link.call.arguments[0])) conditions.push({ field, key: prop.value });
    }
  }
  const data = op === "read" || op === "delete" ? null : (opLink.call.arguments[0] ?? null);
  const options = objectProperties(opLink.call.arguments[1]);
  const ignore = options.get("ignoreDuplicates")?.value;
  const ignoreDuplicates = !!ignore && unwrap(ignore).type === "Literal" && (unwrap(ignore) as TSESTree.Literal).value === true;
  // An upsert's payload is written whether the row exists or not: `credits: stats.credits + 100` still adds.
  const increments = op === "update" || op === "upsert" ? incrementsIn(data) : [];
  return {
    node: call,
    orm: "supabase",
    op,
    table,
    data,
    conditions,
    idempotent:
      increments.length === 0 &&
      (op === "upsert" || ignoreDuplicates || op === "read" || op === "delete" || op === "update" || (op === "create" && handlesDuplicate(call))),
    increments,
    transaction: null,
  };
}

/** Classifies the outermost call of a chain as a Prisma/Drizzle/Supabase call, or returns null. */
export function ormCallAt(file: FileContext, call: TSESTree.CallExpression): OrmCall | null {
  return (
    prismaCall(file, call) ??
    drizzleRelationalRead(file, call) ??
    drizzleCall(file, call) ??
    supabaseCall(file, call) ??
    mongoIncrement(call) ??
    redisIncrement(file, call)
  );
}

const MONGO_UPDATES = new Set(["updateOne", "updateMany", "findOneAndUpdate", "findByIdAndUpdate"]);

/** MongoDB/Mongoose: `Model.updateOne(filter, { $inc: { credits: 10 } })`; only increments are classified. */
function mongoIncrement(call: TSESTree.CallExpression): OrmCall | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method || !MONGO_UPDATES.has(method)) return null;
  const update = call.arguments[1];
  const operators = objectProperties(update);
  const inc = operators.get("$inc");
  if (!inc) return null;
  const path = memberPath(callee.object);
  return {
    node: call,
    orm: "mongo",
    op: "update",
    table: path ? path[path.length - 1]! : null,
    data: update ?? null,
    conditions: whereConditions(call.arguments[0], 0),
    idempotent: false,
    increments: [...objectProperties(inc.value).values()],
    transaction: null,
  };
}

/** Redis counters: ioredis/Upstash `incrby`, node-redis `incrBy`, hash and sorted-set increments. */
const REDIS_INCREMENTS = /^(?:incr|incrby|incrbyfloat|decr|decrby|hincrby|hincrbyfloat|zincrby)$/i;
const REDIS_MODULE = /(?:^|[/@])(?:redis|ioredis|upstash|kv)(?:$|[/.-])|@vercel\/kv/i;
const REDIS_NAME = /^(?:redis\w*|\w*Redis|kv|upstash\w*|cache)$/;
/** Keys of counters that are not state an event changes: rate limits, locks, dedupe markers. */
const REDIS_BOOKKEEPING_KEY = /rate|limit|throttle|attempt|lock|nonce|seen|processed|dedup|idempot|retr(?:y|ies)|metric|stat(?:s|istics)?:|hits?:/i;

function isRedisClient(file: FileContext, node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "CallExpression" || n.type === "NewExpression") {
    const name = calleeName(n) ?? "";
    return name === "Redis" || name === "fromEnv" || (name === "createClient" && [...file.imports.values()].some((b) => b.local === name && REDIS_MODULE.test(b.source)));
  }
  const path = memberPath(n);
  if (!path) return false;
  const root = path[0]!;
  const binding = file.imports.get(root);
  if (binding) return REDIS_MODULE.test(binding.source) || REDIS_NAME.test(root);
  if (path.length === 1 && n.type === "Identifier") {
    const declared = resolveName(n.name, n);
    if (declared?.kind === "variable" && declared.init && declared.path.length === 0) return isRedisClient(file, declared.init) || REDIS_NAME.test(root);
  }
  return REDIS_NAME.test(path[path.length - 1]!);
}

/** The text of a Redis key for messages: `"user:credits:${userId}"`. */
export function redisKeyText(node: Node | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  const literal = staticString(n);
  if (literal !== null) return literal;
  if (n.type !== "TemplateLiteral") return null;
  return n.quasis
    .map((q, i) => {
      const expression = n.expressions[i];
      const inner = expression ? unwrap(expression) : null;
      const hole = !expression ? "" : inner?.type === "Identifier" ? `\${${inner.name}}` : "${…}";
      return (q.value.cooked ?? "") + hole;
    })
    .join("");
}

/** `redis.incrby(key, n)`, `redis.multi().incrby(key, n).exec()`: the increment links of one chain. */
function redisIncrement(file: FileContext, call: TSESTree.CallExpression): OrmCall | null {
  const chain = chainOf(call);
  if (!chain) return null;
  const links = chain.links.filter((l) => REDIS_INCREMENTS.test(l.name));
  if (links.length === 0 || !isRedisClient(file, chain.base)) return null;
  const counters = links.filter((l) => !REDIS_BOOKKEEPING_KEY.test(redisKeyText(l.call.arguments[0]) ?? ""));
  if (counters.length === 0) return null;
  const first = counters[0]!;
  return {
    node: call,
    orm: "redis",
    op: "update",
    table: redisKeyText(first.call.arguments[0]),
    data: null,
    conditions: [],
    idempotent: false,
    increments: counters.map((l) => (l.call.callee as TSESTree.MemberExpression).property),
    transaction: null,
  };
}

/** True when `call` is not an inner link of a longer call chain. */
export function isChainOuterCall(call: TSESTree.CallExpression): boolean {
  const parent = call.parent;
  if (!parent) return true;
  if (parent.type === "MemberExpression" && parent.object === call) {
    // `.then()`/`.catch()` after the query are not part of it; anything else continues the chain.
    const name = propertyName(parent);
    return name === "then" || name === "catch" || name === "finally";
  }
  return true;
}

/** Prisma/Drizzle/Supabase calls inside `root`, outermost chains only, in source order. */
export function ormCalls(file: FileContext, root: Node): OrmCall[] {
  const out: OrmCall[] = [];
  for (const call of findAll(root, ["CallExpression"])) {
    if (!isChainOuterCall(call)) continue;
    const found = ormCallAt(file, call);
    if (found) out.push(found);
  }
  return out;
}

/** Cheap precondition: the file text mentions a Prisma/Drizzle/Supabase write. */
export function mayWriteWithOrm(text: string): boolean {
  return /\.(?:create|createMany|update|updateMany|upsert|insert|rpc|updateOne|findOneAndUpdate|findByIdAndUpdate|h?incr\w*|zincrby|decr\w*)\s*\(/i.test(text);
}

/** Keys written by an ORM call's data (for `{ data: { stripeEventId } }` and `.values({ eventId })`). */
export function ormWrittenKeys(call: OrmCall): string[] {
  const data = call.data ? unwrap(call.data) : null;
  if (!data) return [];
  const object = data.type === "ArrayExpression" ? data.elements[0] : data;
  if (!object || object.type !== "ObjectExpression") return [];
  return object.properties.flatMap((p) => (p.type === "Property" && keyName(p) !== null ? [keyName(p)!] : []));
}
