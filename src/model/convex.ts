/**
 * Convex: which calls register functions (`mutation({ args, handler })`), whether they are
 * public or internal, their argument validators and handler; and which calls invoke
 * Convex functions from elsewhere (`convex.mutation(api.x.y, ...)`, `fetchQuery`,
 * `ctx.runMutation`, `ctx.scheduler.runAfter`).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  findAll,
  identifierName,
  isFunction,
  keyName,
  lookupTable,
  memberPath,
  nodesOfType,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { fileFact, importsModule, isConvexFolderFile, moduleMatches, type FileContext } from "./file.js";
import { resolveName } from "./scope.js";

export type ConvexKind = "query" | "mutation" | "action" | "httpAction";
export type Visibility = "public" | "internal";

export interface Registrar {
  kind: ConvexKind;
  visibility: Visibility;
}

const GENERATED_REGISTRARS = lookupTable<Registrar>({
  query: { kind: "query", visibility: "public" },
  mutation: { kind: "mutation", visibility: "public" },
  action: { kind: "action", visibility: "public" },
  internalQuery: { kind: "query", visibility: "internal" },
  internalMutation: { kind: "mutation", visibility: "internal" },
  internalAction: { kind: "action", visibility: "internal" },
  httpAction: { kind: "httpAction", visibility: "public" },
});

const GENERIC_REGISTRARS = lookupTable<Registrar>({
  queryGeneric: { kind: "query", visibility: "public" },
  mutationGeneric: { kind: "mutation", visibility: "public" },
  actionGeneric: { kind: "action", visibility: "public" },
  internalQueryGeneric: { kind: "query", visibility: "internal" },
  internalMutationGeneric: { kind: "mutation", visibility: "internal" },
  internalActionGeneric: { kind: "action", visibility: "internal" },
  httpActionGeneric: { kind: "httpAction", visibility: "public" },
});

/** convex-helpers' builders wrap a registrar and keep its kind and visibility. */
const WRAPPER_BUILDERS = new Set([
  "customQuery",
  "customMutation",
  "customAction",
  "zCustomQuery",
  "zCustomMutation",
  "zCustomAction",
  "zodQuery",
  "zodMutation",
  "zodAction",
]);

export function isGeneratedServerModule(source: string): boolean {
  return moduleMatches(source, "_generated/server");
}

function isConvexServerModule(source: string): boolean {
  return source === "convex/server" || isGeneratedServerModule(source);
}

/** Parts of every specifier `convexRegistrars` imports registrars from (`convex/server`, `./_generated/server`). */
const CONVEX_SERVER_ANCHORS = ["_gene", "x/serv"];

export function isGeneratedApiModule(source: string): boolean {
  return moduleMatches(source, "_generated/api");
}

/**
 * Local names that register Convex functions in this file: imports from `_generated/server`
 * or `convex/server`, `const x = customMutation(mutation, ...)` wrappers and aliases. In a
 * Convex folder, un-imported registrar names called with `{ handler }` also count (snippets).
 */
export function convexRegistrars(file: FileContext): ReadonlyMap<string, Registrar> {
  return file.fact(CONVEX_REGISTRARS);
}

/** The registrars of a file that imports no Convex server module (most files): one map for all of them. */
const NO_REGISTRARS: ReadonlyMap<string, Registrar> = new Map();

const CONVEX_REGISTRARS = fileFact((file): ReadonlyMap<string, Registrar> => {
  // The specifiers first: the bindings are only worth collecting when one is a Convex server module.
  if (!importsModule(file, isConvexServerModule, CONVEX_SERVER_ANCHORS)) return NO_REGISTRARS;
  const map = new Map<string, Registrar>();
  for (const binding of file.imports.values()) {
    if (isGeneratedServerModule(binding.source)) {
      const registrar = GENERATED_REGISTRARS[binding.imported];
      if (registrar) map.set(binding.local, registrar);
    } else if (binding.source === "convex/server") {
      const registrar = GENERIC_REGISTRARS[binding.imported];
      if (registrar) map.set(binding.local, registrar);
    }
  }
  // Aliases and wrappers of a registrar (`const internalMutation = customMutation(mutation, ...)`).
  if (map.size === 0) return map;
  for (const statement of file.program.body) {
    const declaration =
      statement.type === "ExportNamedDeclaration" && statement.declaration ? statement.declaration : statement;
    if (declaration.type !== "VariableDeclaration") continue;
    for (const declarator of declaration.declarations) {
      if (declarator.id.type !== "Identifier" || !declarator.init) continue;
      const init = unwrap(declarator.init);
      if (init.type === "Identifier" && map.has(init.name)) {
        map.set(declarator.id.name, map.get(init.name)!);
      } else if (init.type === "CallExpression") {
        const name = calleeName(init);
        const inner = identifierName(init.arguments[0]);
        if (name && WRAPPER_BUILDERS.has(name) && inner && map.has(inner)) {
          map.set(declarator.id.name, map.get(inner)!);
        }
      }
    }
  }
  return map;
});

/**
 * Local names bound to a convex-helpers builder (`const authedMutation = customMutation(mutation,
 * ...)`), with the builder call; aliases of a builder map to the same call. Functions registered
 * through one run the builder's customisation (usually an auth check) before their handler.
 */
export function convexBuilders(file: FileContext): ReadonlyMap<string, TSESTree.CallExpression> {
  return file.memo("convex:builders", () => {
    const registrars = convexRegistrars(file);
    const map = new Map<string, TSESTree.CallExpression>();
    for (const statement of file.program.body) {
      const declaration =
        statement.type === "ExportNamedDeclaration" && statement.declaration ? statement.declaration : statement;
      if (declaration.type !== "VariableDeclaration") continue;
      for (const declarator of declaration.declarations) {
        if (declarator.id.type !== "Identifier" || !declarator.init || !registrars.has(declarator.id.name)) continue;
        const init = unwrap(declarator.init);
        if (init.type === "Identifier" && map.has(init.name)) {
          map.set(declarator.id.name, map.get(init.name)!);
        } else if (init.type === "CallExpression") {
          const name = calleeName(init);
          if (name && WRAPPER_BUILDERS.has(name)) map.set(declarator.id.name, init);
        }
      }
    }
    return map;
  });
}

export interface ConvexArg {
  name: string;
  property: TSESTree.Property;
  validator: TSESTree.Node;
  /** `v.optional(...)`: the caller may omit it. */
  optional: boolean;
}

export interface ConvexFunction {
  /** The registrar call: `mutation({ ... })`. */
  node: TSESTree.CallExpression;
  kind: ConvexKind;
  visibility: Visibility;
  /** `foo` for `export const foo = mutation(...)`, else null. */
  exportName: string | null;
  /** The config object literal, or null for the `mutation(handler)` shorthand. */
  config: TSESTree.ObjectExpression | null;
  /** The `args` property, if present. */
  argsProperty: TSESTree.Property | null;
  /** Declared arguments; null when `args` is missing or not a literal the model can read. */
  args: ConvexArg[] | null;
  handler: FunctionNode | null;
  /** The handler's `ctx` parameter name, if a plain identifier. */
  ctxName: string | null;
  /** The handler's second parameter (args object or destructuring pattern). */
  argsParam: TSESTree.Parameter | null;
  /** Registered through a convex-helpers builder (`customMutation(mutation, ...)`). */
  viaBuilder: boolean;
  /** That builder call, when {@link viaBuilder}. */
  builder: TSESTree.CallExpression | null;
}

/** True when `node` is `v.optional(...)` (any validator namespace). */
export function isOptionalValidator(node: Node): boolean {
  const n = unwrap(node);
  return n.type === "CallExpression" && calleeName(n) === "optional";
}

/** The arguments an `args` validator declares (`{ a: v.string() }` or `v.object({ ... })`); null when unreadable. */
export function readConvexArgs(node: Node | undefined): ConvexArg[] | null {
  return readArgs(node);
}

function readArgs(node: Node | undefined): ConvexArg[] | null {
  if (!node) return null;
  let n = unwrap(node);
  // `args: v.object({ ... })`
  if (n.type === "CallExpression" && calleeName(n) === "object" && n.arguments[0]) n = unwrap(n.arguments[0]);
  if (n.type !== "ObjectExpression") return null;
  const args: ConvexArg[] = [];
  for (const prop of n.properties) {
    if (prop.type !== "Property") return null;
    const name = keyName(prop);
    if (name === null) return null;
    args.push({ name, property: prop, validator: prop.value, optional: isOptionalValidator(prop.value) });
  }
  return args;
}

function describe(
  call: TSESTree.CallExpression,
  registrar: Registrar,
  builder: TSESTree.CallExpression | null = null,
): ConvexFunction {
  const first = call.arguments[0] ? unwrap(call.arguments[0]) : null;
  let config: TSESTree.ObjectExpression | null = null;
  let handler: FunctionNode | null = null;
  let argsProperty: TSESTree.Property | null = null;
  if (first && first.type === "ObjectExpression") {
    config = first;
    const props = objectProperties(first);
    argsProperty = props.get("args") ?? null;
    const handlerProp = props.get("handler");
    if (handlerProp && isFunction(handlerProp.value)) handler = handlerProp.value;
    else if (handlerProp && handlerProp.method) handler = handlerProp.value as FunctionNode;
    else if (handlerProp && handlerProp.value.type === "Identifier") handler = resolveFunction(handlerProp.value);
  } else if (first && isFunction(first)) {
    handler = first;
  } else if (first && first.type === "Identifier") {
    handler = resolveFunction(first);
  }
  let exportName: string | null = null;
  const parent = call.parent;
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") {
    const declaration = parent.parent;
    if (declaration?.parent?.type === "ExportNamedDeclaration") exportName = parent.id.name;
    else if (declaration && isExportedLater(declaration, parent.id.name)) exportName = parent.id.name;
  }
  const ctxParam = handler?.params[0];
  return {
    node: call,
    kind: registrar.kind,
    visibility: registrar.visibility,
    exportName,
    config,
    argsProperty,
    args: argsProperty ? readArgs(argsProperty.value) : null,
    handler,
    ctxName: ctxParam && ctxParam.type === "Identifier" ? ctxParam.name : null,
    argsParam: handler?.params[1] ?? null,
    viaBuilder: builder !== null,
    builder,
  };
}

function isExportedLater(declaration: Node, name: string): boolean {
  const program = declaration.parent;
  if (program?.type !== "Program") return false;
  return program.body.some(
    (s) =>
      s.type === "ExportNamedDeclaration" &&
      !s.source &&
      s.specifiers.some((spec) => spec.local.type === "Identifier" && spec.local.name === name),
  );
}

function resolveFunction(id: TSESTree.Identifier): FunctionNode | null {
  const binding = resolveName(id.name, id);
  if (!binding) return null;
  if (binding.kind === "function") return binding.node;
  if (binding.kind === "variable" && binding.init && binding.path.length === 0) {
    const init = unwrap(binding.init);
    if (isFunction(init)) return init;
  }
  return null;
}

const FALLBACK_NAMES = new Set(Object.keys(GENERATED_REGISTRARS));

/** The Convex function registered by `call`, or null if `call` is not a registrar call. */
export function convexFunctionAt(file: FileContext, call: TSESTree.CallExpression): ConvexFunction | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "Identifier") return null;
  const registrar = convexRegistrars(file).get(callee.name);
  if (registrar) return describe(call, registrar, convexBuilders(file).get(callee.name) ?? null);
  // Snippets and re-exported registrars: un-imported, undeclared registrar names called with
  // a `{ handler }` object, in a Convex folder.
  if (
    FALLBACK_NAMES.has(callee.name) &&
    !file.imports.has(callee.name) &&
    isConvexFolderFile(file) &&
    !resolveName(callee.name, call)
  ) {
    const first = call.arguments[0] ? unwrap(call.arguments[0]) : null;
    if (first && first.type === "ObjectExpression" && objectProperties(first).has("handler")) {
      return describe(call, GENERATED_REGISTRARS[callee.name]!);
    }
  }
  return null;
}

/** Every Convex function registered in the file, in source order. */
export function convexFunctions(file: FileContext): readonly ConvexFunction[] {
  return file.memo("convex:functions", () => {
    if (!mayRegisterConvexFunctions(file)) return [];
    // Without a registrar in scope, only the `{ handler }` fallback of convexFunctionAt can match.
    if (convexRegistrars(file).size === 0 && !file.text.includes("handler")) return [];
    const out: ConvexFunction[] = [];
    for (const call of nodesOfType(file.program, "CallExpression")) {
      const fn = convexFunctionAt(file, call);
      if (fn) out.push(fn);
    }
    return out;
  });
}

/** Cheap precondition: the file imports a registrar or sits in a Convex folder. */
export function mayRegisterConvexFunctions(file: FileContext): boolean {
  return convexRegistrars(file).size > 0 || isConvexFolderFile(file);
}

/** The Convex function whose handler contains `node` (innermost), if any. */
export function enclosingConvexFunction(file: FileContext, node: Node): ConvexFunction | null {
  let best: ConvexFunction | null = null;
  for (const fn of convexFunctions(file)) {
    if (fn.handler && fn.handler.range[0] <= node.range[0] && node.range[1] <= fn.handler.range[1]) {
      if (!best || fn.handler.range[0] >= best.handler!.range[0]) best = fn;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// Calls into Convex from clients, route handlers and other functions.

export type ConvexCallOp = "query" | "mutation" | "action" | "schedule";
export type ConvexCallVia = "client" | "nextjs" | "ctx" | "scheduler";

export interface FunctionRef {
  node: Node;
  visibility: Visibility;
  /** `['billing', 'handleStripeEvent']` for `api.billing.handleStripeEvent`. */
  path: string[];
}

export interface ConvexCall {
  node: TSESTree.CallExpression;
  op: ConvexCallOp;
  via: ConvexCallVia;
  /** The function reference argument, when it is `api.*`/`internal.*` or `makeFunctionReference`. */
  ref: FunctionRef | null;
  refNode: Node | null;
  /** The arguments object passed to the function, if any. */
  argsNode: TSESTree.Node | null;
}

/** `api.billing.handle` / `internal.billing.handle` / `makeFunctionReference("billing:handle")`. */
export function functionRef(file: FileContext, node: Node | undefined): FunctionRef | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "CallExpression" && calleeName(n) === "makeFunctionReference") {
    const name = staticString(n.arguments[0]);
    if (!name) return null;
    const [module = "", fn = "default"] = name.split(":");
    return { node: n, visibility: "public", path: [...module.split("/"), fn] };
  }
  const path = memberPath(n);
  if (!path || path.length < 2) return null;
  const root = path[0]!;
  const binding = file.imports.get(root);
  const fromApi = binding ? isGeneratedApiModule(binding.source) : false;
  if (fromApi) {
    const imported = binding!.imported;
    if (imported === "internal") return { node: n, visibility: "internal", path: path.slice(1) };
    if (imported === "api" || imported === "anyApi") return { node: n, visibility: "public", path: path.slice(1) };
    return null;
  }
  if (!binding && (root === "api" || root === "internal")) {
    return { node: n, visibility: root === "internal" ? "internal" : "public", path: path.slice(1) };
  }
  if (binding && binding.source === "convex/server" && binding.imported === "anyApi") {
    return { node: n, visibility: "public", path: path.slice(1) };
  }
  return null;
}

const NEXTJS_HELPERS = lookupTable<ConvexCallOp>({
  fetchQuery: "query",
  fetchMutation: "mutation",
  fetchAction: "action",
  preloadQuery: "query",
  preloadedQueryResult: "query",
});

const CLIENT_METHODS = lookupTable<ConvexCallOp>({ query: "query", mutation: "mutation", action: "action" });
const CTX_METHODS = lookupTable<ConvexCallOp>({ runQuery: "query", runMutation: "mutation", runAction: "action" });

/** Classifies one call as a call into Convex, or returns null. */
export function convexCallAt(file: FileContext, call: TSESTree.CallExpression): ConvexCall | null {
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") {
    const op = NEXTJS_HELPERS[callee.name];
    if (!op || callee.name === "preloadedQueryResult") return null;
    const binding = file.imports.get(callee.name);
    const ref = functionRef(file, call.arguments[0]);
    if (binding ? binding.source !== "convex/nextjs" : !ref) return null;
    return { node: call, op, via: "nextjs", ref, refNode: call.arguments[0] ?? null, argsNode: call.arguments[1] ?? null };
  }
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method) return null;
  const ctxOp = CTX_METHODS[method];
  if (ctxOp) {
    return {
      node: call,
      op: ctxOp,
      via: "ctx",
      ref: functionRef(file, call.arguments[0]),
      refNode: call.arguments[0] ?? null,
      argsNode: call.arguments[1] ?? null,
    };
  }
  if (method === "runAfter" || method === "runAt") {
    const receiver = unwrap(callee.object);
    const receiverName = receiver.type === "MemberExpression" ? propertyName(receiver) : identifierName(receiver);
    if (receiverName !== "scheduler") return null;
    return {
      node: call,
      op: "schedule",
      via: "scheduler",
      ref: functionRef(file, call.arguments[1]),
      refNode: call.arguments[1] ?? null,
      argsNode: call.arguments[2] ?? null,
    };
  }
  const clientOp = CLIENT_METHODS[method];
  if (clientOp) {
    const ref = functionRef(file, call.arguments[0]);
    if (!ref) return null;
    return { node: call, op: clientOp, via: "client", ref, refNode: call.arguments[0] ?? null, argsNode: call.arguments[1] ?? null };
  }
  return null;
}

/** Every call into Convex inside `root` (default: the whole file), in source order. */
export function convexCalls(file: FileContext, root?: Node): readonly ConvexCall[] {
  const compute = (): ConvexCall[] => {
    const out: ConvexCall[] = [];
    for (const call of findAll(root ?? file.program, ["CallExpression"])) {
      const found = convexCallAt(file, call);
      if (found) out.push(found);
    }
    return out;
  };
  return root ? compute() : file.memo("convex:calls", compute);
}

/** The handler's `ctx.db` writes: `insert`, `patch`, `replace`, `delete`. */
export const DB_WRITE_METHODS = new Set(["insert", "patch", "replace", "delete"]);
