/**
 * Database calls outside Convex: Prisma (`prisma.user.update({ data })`), Drizzle
 * (`db.insert(table).values(...)`, `db.update(table).set(...)`), Supabase
 * (`supabase.from("table").insert(...)`, `supabase.rpc(...)`) and MongoDB/Mongoose `$inc`
 * updates (`User.updateOne(filter, { $inc: { credits: 10 } })`): what they do, to which table,
 * with which lookup keys, whether they increment, and which transaction they run in.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  findAll,
  isFunction,
  keyName,
  memberPath,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  type Node,
} from "./ast.js";
import type { FileContext } from "./file.js";
import { resolveName } from "./scope.js";
import { incrementsIn } from "./increments.js";

export type Orm = "prisma" | "drizzle" | "supabase" | "mongo";
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

const PRISMA_METHODS: Record<string, OrmOp> = {
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
};

const PRISMA_INCREMENT_KEYS = new Set(["increment", "decrement", "multiply", "divide", "push"]);
/** Variable names that are a database client by themselves. `client`/`admin` need their initialiser. */
const CLIENT_ROOT = /^(?:prisma\w*|db|tx|trx|database|drizzle\w*|supabase\w*)$/i;
const CLIENT_FACTORY = /^(?:create\w*Client|drizzle|getSupabase\w*|getDb|getPrisma\w*)$/;
const RPC_INCREMENT = /incr|decr|add_?credit|deduct|top_?up|grant_?credit|add_?balance|add_?points/i;

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
    idempotent: op === "upsert" || skipDuplicates || op === "read" || op === "delete" || (op === "update" && increments.length === 0),
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
  const increments = op === "update" ? setIncrements(data) : [];
  return {
    node: call,
    orm: "drizzle",
    op,
    table,
    data,
    conditions: drizzleConditions(where),
    idempotent: conflict || op === "read" || op === "delete" || (op === "update" && increments.length === 0),
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

const SUPABASE_OPS: Record<string, OrmOp> = { select: "read", insert: "create", update: "update", upsert: "upsert", delete: "delete" };

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
    return {
      node: call,
      orm: "supabase",
      op: "rpc",
      table: name,
      data: first.call.arguments[1] ?? null,
      conditions: [],
      idempotent: !RPC_INCREMENT.test(name),
      increments: RPC_INCREMENT.test(name) ? [first.call] : [],
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
  const increments = op === "update" ? incrementsIn(data) : [];
  return {
    node: call,
    orm: "supabase",
    op,
    table,
    data,
    conditions,
    idempotent: op === "upsert" || ignoreDuplicates || op === "read" || op === "delete" || (op === "update" && increments.length === 0),
    increments,
    transaction: null,
  };
}

/** Classifies the outermost call of a chain as a Prisma/Drizzle/Supabase call, or returns null. */
export function ormCallAt(file: FileContext, call: TSESTree.CallExpression): OrmCall | null {
  return (
    prismaCall(file, call) ?? drizzleRelationalRead(file, call) ?? drizzleCall(file, call) ?? supabaseCall(file, call) ?? mongoIncrement(call)
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
  return /\.(?:create|createMany|update|updateMany|upsert|insert|rpc|updateOne|findOneAndUpdate|findByIdAndUpdate)\s*\(/.test(text);
}

/** Keys written by an ORM call's data (for `{ data: { stripeEventId } }` and `.values({ eventId })`). */
export function ormWrittenKeys(call: OrmCall): string[] {
  const data = call.data ? unwrap(call.data) : null;
  if (!data) return [];
  const object = data.type === "ArrayExpression" ? data.elements[0] : data;
  if (!object || object.type !== "ObjectExpression") return [];
  return object.properties.flatMap((p) => (p.type === "Property" && keyName(p) !== null ? [keyName(p)!] : []));
}
