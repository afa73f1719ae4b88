/**
 * Request handlers: App Router `route.ts` HTTP verb exports, Pages Router `pages/api/**`
 * default exports, Convex `httpAction`s, server actions, and (for the same mistakes outside
 * Next.js) Express/Hono `app.post("/webhook", ...)` and `Deno.serve` handlers.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  findAll,
  identifierName,
  isFunction,
  memberPath,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { convexFunctions } from "./convex.js";
import { fileFact, hasDirective, importsModule, isAppRouteFile, isPagesApiFile, type FileContext } from "./file.js";
import { resolveName } from "./scope.js";
import { callsWord, includesVia } from "./text.js";

export type RouteKind = "app-route" | "pages-api" | "http-action" | "server-action" | "express" | "deno-serve";

export const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

export interface RouteHandler {
  kind: RouteKind;
  fn: FunctionNode;
  /** The HTTP verb for App Router exports and Convex/Express routes when known. */
  method: string | null;
  /** The exported or declared name, if any. */
  name: string | null;
  /** The URL path the handler is mounted at, when the file says (`http.route({ path })`, `app.post(path)`). */
  routePath: string | null;
  /** The parameter that holds the request (`req`, `request`), if it is a plain identifier. */
  requestName: string | null;
  /** Pages/Express: the response parameter (`res`), if a plain identifier. */
  responseName: string | null;
  /** The node to report on for the handler as a whole (its export or registration). */
  node: Node;
}

/** The function a value evaluates to, looking through wrappers like `withAuth(async (req) => ...)`. */
export function functionOf(node: Node | null | undefined, depth = 3): FunctionNode | null {
  if (!node || depth < 0) return null;
  const n = unwrap(node);
  if (isFunction(n)) return n;
  if (n.type === "Identifier") {
    const binding = resolveName(n.name, n);
    if (binding?.kind === "function") return binding.node;
    if (binding?.kind === "variable" && binding.init && binding.path.length === 0) return functionOf(binding.init, depth - 1);
    return null;
  }
  if (n.type === "CallExpression") {
    for (let i = n.arguments.length - 1; i >= 0; i--) {
      const found = functionOf(n.arguments[i], depth - 1);
      if (found) return found;
    }
  }
  return null;
}

function paramName(fn: FunctionNode, index: number): string | null {
  const param = fn.params[index];
  if (!param) return null;
  if (param.type === "Identifier") return param.name;
  if (param.type === "AssignmentPattern" && param.left.type === "Identifier") return param.left.name;
  return null;
}

function appRouteHandlers(file: FileContext): RouteHandler[] {
  const out: RouteHandler[] = [];
  const add = (name: string, fn: FunctionNode | null, node: Node) => {
    if (!fn || !HTTP_METHODS.has(name)) return;
    out.push({
      kind: "app-route",
      fn,
      method: name,
      name,
      routePath: null,
      requestName: paramName(fn, 0),
      responseName: null,
      node,
    });
  };
  for (const statement of file.program.body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const declaration = statement.declaration;
    if (declaration?.type === "FunctionDeclaration" && declaration.id) {
      add(declaration.id.name, declaration, declaration);
    } else if (declaration?.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === "Identifier") add(declarator.id.name, functionOf(declarator.init), declarator);
      }
    } else if (!declaration && !statement.source) {
      for (const spec of statement.specifiers) {
        const exported = spec.exported.type === "Identifier" ? spec.exported.name : String(spec.exported.value);
        if (spec.local.type === "Identifier") add(exported, functionOf(spec.local), spec);
      }
    }
  }
  return out;
}

function pagesApiHandler(file: FileContext): RouteHandler[] {
  for (const statement of file.program.body) {
    let fn: FunctionNode | null = null;
    let name: string | null = null;
    if (statement.type === "ExportDefaultDeclaration") {
      const declaration = statement.declaration;
      fn = functionOf(declaration);
      if ((declaration.type === "FunctionDeclaration" || declaration.type === "FunctionExpression") && declaration.id) {
        name = declaration.id.name;
      } else {
        name = identifierName(declaration);
      }
    } else if (
      statement.type === "ExpressionStatement" &&
      statement.expression.type === "AssignmentExpression" &&
      memberPath(statement.expression.left)?.join(".") === "module.exports"
    ) {
      fn = functionOf(statement.expression.right);
    }
    if (fn) {
      return [
        {
          kind: "pages-api",
          fn,
          method: null,
          name,
          routePath: null,
          requestName: paramName(fn, 0),
          responseName: paramName(fn, 1),
          node: statement,
        },
      ];
    }
  }
  return [];
}

/** `http.route({ path, method, handler })` registrations: handler function -> path and method. */
function httpRoutes(file: FileContext): Map<FunctionNode, { path: string | null; method: string | null }> {
  const map = new Map<FunctionNode, { path: string | null; method: string | null }>();
  for (const call of findAll(file.program, ["CallExpression"])) {
    if (calleeName(call) !== "route") continue;
    const props = objectProperties(call.arguments[0]);
    const handler = props.get("handler");
    if (!handler) continue;
    const fn = functionOf(handler.value);
    if (!fn) continue;
    map.set(fn, {
      path: staticString(props.get("path")?.value) ?? staticString(props.get("pathPrefix")?.value),
      method: staticString(props.get("method")?.value),
    });
  }
  return map;
}

function httpActionHandlers(file: FileContext): RouteHandler[] {
  const out: RouteHandler[] = [];
  const actions = convexFunctions(file).filter((fn) => fn.kind === "httpAction" && fn.handler);
  // Only files with an httpAction need the (whole-program) scan for `http.route(...)`.
  const routes = actions.length > 0 ? httpRoutes(file) : new Map<FunctionNode, { path: string | null; method: string | null }>();
  for (const fn of actions) {
    if (!fn.handler) continue;
    // functionOf() sees through `httpAction(...)`, so routes are keyed by the inner handler.
    const route = routes.get(fn.handler);
    out.push({
      kind: "http-action",
      fn: fn.handler,
      method: route?.method ?? null,
      name: fn.exportName ?? declaredName(fn.node),
      routePath: route?.path ?? null,
      requestName: paramName(fn.handler, 1),
      responseName: null,
      node: fn.node,
    });
  }
  return out;
}

function declaredName(node: Node): string | null {
  const parent = node.parent;
  return parent?.type === "VariableDeclarator" && parent.id.type === "Identifier" ? parent.id.name : null;
}

function serverActions(file: FileContext): RouteHandler[] {
  const out: RouteHandler[] = [];
  if (file.useServer) {
    for (const statement of file.program.body) {
      if (statement.type !== "ExportNamedDeclaration" || !statement.declaration) continue;
      const declaration = statement.declaration;
      if (declaration.type === "FunctionDeclaration" && declaration.async) {
        out.push(serverAction(declaration, declaration.id?.name ?? null, declaration));
      } else if (declaration.type === "VariableDeclaration") {
        for (const declarator of declaration.declarations) {
          const fn = declarator.init ? unwrap(declarator.init) : null;
          if (fn && isFunction(fn) && fn.async && declarator.id.type === "Identifier") {
            out.push(serverAction(fn, declarator.id.name, declarator));
          }
        }
      }
    }
    return out;
  }
  if (!file.text.includes("use server")) return out;
  for (const fn of findAll(file.program, ["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"])) {
    if (fn.body.type === "BlockStatement" && hasDirective(fn.body.body, "use server")) {
      const name = fn.type === "FunctionDeclaration" ? (fn.id?.name ?? null) : declaredName(fn);
      out.push(serverAction(fn, name, fn));
    }
  }
  return out;
}

function serverAction(fn: FunctionNode, name: string | null, node: Node): RouteHandler {
  return { kind: "server-action", fn, method: "POST", name, routePath: null, requestName: null, responseName: null, node };
}

const EXPRESS_METHODS = new Set(["post", "put", "all"]);

/** Where Deno's `serve` comes from (`import { serve } from "https://deno.land/std/http/server.ts"`). */
const DENO_HTTP_MODULE = /deno\.land|jsr:@std\/http|std\/http/;
/** Parts of every specifier {@link DENO_HTTP_MODULE} accepts. */
const DENO_HTTP_ANCHORS = [".land", "/http"];

/**
 * The text may register Express-style or Deno handlers: `app.post("/`, `router.put('/`,
 * `app.all(`/` (a handler for a path), `Deno.serve(`, or `serve(` imported from Deno's HTTP
 * module: what {@link otherServers} can find. Memoised: several rules ask before any analysis.
 * Searches for words and looks at what follows, and first for what each must come with and
 * ordinary code seldom has (a quote right before a `/`, `Deno`), which `indexOf` finds fast.
 */
export function mayRegisterServerRoutes(file: FileContext): boolean {
  return file.fact(MAY_REGISTER_SERVER_ROUTES);
}

const MAY_REGISTER_SERVER_ROUTES = fileFact((file) => {
  const text = file.text;
  const deno = text.includes("Deno") || importsModule(file, (source) => DENO_HTTP_MODULE.test(source), DENO_HTTP_ANCHORS);
  if (deno && callsWord(text, "serve", { boundary: true })) return true;
  if (!text.includes('"/') && !text.includes("'/") && !text.includes("`/")) return false;
  return (
    callsWord(text, ".post", { pathArgument: true }) ||
    callsWord(text, ".put", { pathArgument: true }) ||
    callsWord(text, ".all", { pathArgument: true })
  );
});

/** The text names `httpAction` (every way to register a Convex HTTP action does). */
export function mentionsHttpAction(text: string): boolean {
  return includesVia(text, "httpAction", "Action");
}

/**
 * Cheap whole-file test before looking for handlers that can receive a webhook (every kind but
 * server actions): a route file, an `httpAction` (every way to register one names it), or text
 * that registers Express-style or Deno handlers. Memoised: most rules ask it first.
 */
export function mayHaveWebhookHandlers(file: FileContext): boolean {
  return file.fact(MAY_HAVE_WEBHOOK_HANDLERS);
}

const MAY_HAVE_WEBHOOK_HANDLERS = fileFact(
  (file) => isAppRouteFile(file) || isPagesApiFile(file) || mentionsHttpAction(file.text) || mayRegisterServerRoutes(file),
);

function otherServers(file: FileContext): RouteHandler[] {
  const out: RouteHandler[] = [];
  if (!mayRegisterServerRoutes(file)) return out;
  for (const call of findAll(file.program, ["CallExpression"])) {
    const callee = unwrap(call.callee);
    const name = calleeName(call);
    if (!name) continue;
    if (callee.type === "MemberExpression" && EXPRESS_METHODS.has(name)) {
      const path = staticString(call.arguments[0]);
      if (path === null || !path.startsWith("/")) continue;
      const fn = functionOf(call.arguments[call.arguments.length - 1]);
      if (!fn || call.arguments.length < 2) continue;
      out.push({
        kind: "express",
        fn,
        method: name === "all" ? null : name.toUpperCase(),
        name: null,
        routePath: path,
        requestName: paramName(fn, 0),
        responseName: paramName(fn, 1),
        node: call,
      });
    } else if (
      name === "serve" &&
      ((callee.type === "MemberExpression" && memberPath(callee)?.join(".") === "Deno.serve") ||
        (callee.type === "Identifier" && DENO_HTTP_MODULE.test(file.imports.get("serve")?.source ?? "")))
    ) {
      const fn = functionOf(call.arguments[call.arguments.length - 1]);
      if (!fn) continue;
      out.push({
        kind: "deno-serve",
        fn,
        method: null,
        name: null,
        routePath: null,
        requestName: paramName(fn, 0),
        responseName: null,
        node: call,
      });
    }
  }
  return out;
}

/** Every request handler in the file. */
export function routeHandlers(file: FileContext): readonly RouteHandler[] {
  return file.memo("routes", () => {
    const out: RouteHandler[] = [];
    if (isAppRouteFile(file)) out.push(...appRouteHandlers(file));
    if (isPagesApiFile(file)) out.push(...pagesApiHandler(file));
    out.push(...httpActionHandlers(file));
    out.push(...serverActions(file));
    out.push(...otherServers(file));
    return out;
  });
}

/** The handler whose function is `fn`, if any. */
export function routeHandlerOf(file: FileContext, fn: FunctionNode): RouteHandler | null {
  return routeHandlers(file).find((h) => h.fn === fn) ?? null;
}

/** The innermost request handler containing `node`, if any. */
export function enclosingRouteHandler(file: FileContext, node: Node): RouteHandler | null {
  let best: RouteHandler | null = null;
  for (const handler of routeHandlers(file)) {
    const r = handler.fn.range;
    if (r[0] <= node.range[0] && node.range[1] <= r[1] && (!best || r[0] >= best.fn.range[0])) best = handler;
  }
  return best;
}

/** `export const runtime = ...`, `export const config = ...` and the like, by name. */
export function segmentConfigExports(file: FileContext): Map<string, TSESTree.VariableDeclarator> {
  return file.memo("routes:segment-config", () => {
    const map = new Map<string, TSESTree.VariableDeclarator>();
    for (const statement of file.program.body) {
      if (statement.type !== "ExportNamedDeclaration" || statement.declaration?.type !== "VariableDeclaration") continue;
      for (const declarator of statement.declaration.declarations) {
        if (declarator.id.type === "Identifier") map.set(declarator.id.name, declarator);
      }
    }
    return map;
  });
}

/** Next.js runtimes without Node's crypto and Buffer. */
export const EDGE_RUNTIMES: ReadonlySet<string> = new Set(["edge", "experimental-edge"]);

/**
 * The runtime a Next.js module declares: the App Router's `export const runtime = "edge"` and the
 * Pages Router's `export const config = { runtime: "edge" }`, each as a static string or null.
 */
export function declaredRuntimes(file: FileContext): { runtime: string | null; configRuntime: string | null } {
  return file.memo("routes:declared-runtimes", () => {
    const exports = segmentConfigExports(file);
    const config = exports.get("config")?.init;
    return {
      runtime: staticString(exports.get("runtime")?.init),
      configRuntime: config ? staticString(objectProperties(config).get("runtime")?.value) : null,
    };
  });
}

/** The property name of a member call on the request: `req.text()` -> `text`. */
export function requestMethodCall(call: TSESTree.CallExpression, requestName: string | null): string | null {
  if (!requestName) return null;
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const object = unwrap(callee.object);
  if (object.type !== "Identifier" || object.name !== requestName) return null;
  return propertyName(callee);
}
