/**
 * Value and control flow inside one function, just enough for check-then-act questions:
 * which variables carry the value produced at some expression (through `const`/`let`,
 * destructuring, assignments, `for...of`, array callbacks and local helper calls), and which
 * `if`/ternary/`&&`/`switch`/loop/early exit decides whether a later node runs.
 *
 * Flow-insensitive and deliberately simple: a variable that is ever assigned a carried value
 * carries it everywhere. Calls on other objects (`stripe.customers.create({ email: user.email })`)
 * do not carry their arguments' values: their results are the provider's, not the read's.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { contains, findAll, isFunction, memberPath, propertyName, unwrap, walk, type FunctionNode, type Node } from "./ast.js";
import { functionOf } from "./routes.js";
import { resolveName } from "./scope.js";

const declarationCache = new WeakMap<TSESTree.Identifier, TSESTree.Identifier | null>();

/** The identifier that declares the variable `id` refers to (itself for declarations), or null for globals/imports. */
export function declarationOf(id: TSESTree.Identifier): TSESTree.Identifier | null {
  if (declarationCache.has(id)) return declarationCache.get(id)!;
  const binding = resolveName(id.name, id);
  const result = binding ? binding.id : null;
  declarationCache.set(id, result);
  return result;
}

/** True when the identifier is read as a variable (not a property key, member name or label). */
export function isReference(id: TSESTree.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return true;
  switch (parent.type) {
    case "MemberExpression":
      return parent.object === id || parent.computed;
    case "Property":
      if (parent.key === id && !parent.computed) return parent.shorthand && parent.value === id;
      return true;
    case "PropertyDefinition":
    case "MethodDefinition":
      return parent.key !== id || parent.computed;
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      return false;
    case "ImportSpecifier":
    case "ImportDefaultSpecifier":
    case "ImportNamespaceSpecifier":
    case "ExportSpecifier":
      return false;
    default:
      return true;
  }
}

/** Globals whose methods transform their arguments' values (`JSON.stringify(x)`, `Math.max(a, b)`). */
const PASS_THROUGH_OBJECTS = new Set(["JSON", "Math", "Object", "Array", "Number", "String", "Boolean", "Date", "Promise", "BigInt"]);
/** Array/collection methods whose callbacks receive the receiver's elements. */
const ELEMENT_CALLBACK_METHODS = new Set([
  "map",
  "forEach",
  "filter",
  "find",
  "findLast",
  "findIndex",
  "some",
  "every",
  "flatMap",
  "reduce",
  "sort",
  "then",
]);

interface FlowEdge {
  /** Declaration identifiers that receive the value. */
  targets: TSESTree.Identifier[];
  value: Node;
}

function declaredIds(pattern: Node): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  walk(pattern, (node) => {
    if (node.type === "Identifier") {
      const parent = node.parent;
      // `{ a: b }`: only `b` is declared; `{ a = 1 }`: `a`.
      if (parent?.type === "Property" && parent.key === node && !parent.shorthand) return;
      out.push(node);
    } else if (node.type === "AssignmentPattern") {
      out.push(...declaredIds(node.left));
      return false;
    } else if (node.type === "Property" && node.computed) {
      out.push(...declaredIds(node.value));
      return false;
    }
    return undefined;
  });
  return out;
}

function assignedIds(pattern: Node): TSESTree.Identifier[] {
  const target = unwrap(pattern);
  if (target.type === "Identifier") {
    const declaration = declarationOf(target);
    return declaration ? [declaration] : [];
  }
  if (target.type === "MemberExpression") {
    // `payload.userId = user._id` taints `payload`.
    const path = memberPath(target);
    let root: Node = target;
    while (root.type === "MemberExpression") root = unwrap(root.object);
    if (path && root.type === "Identifier") {
      const declaration = declarationOf(root);
      return declaration ? [declaration] : [];
    }
    return [];
  }
  return declaredIds(target).flatMap((id) => {
    const declaration = declarationOf(id);
    return declaration ? [declaration] : [];
  });
}

function isPromiseAll(node: Node): node is TSESTree.CallExpression {
  const n = unwrap(node);
  if (n.type !== "CallExpression") return false;
  const path = memberPath(n.callee);
  return !!path && path.length === 2 && path[0] === "Promise" && (path[1] === "all" || path[1] === "allSettled");
}

function collectEdges(scope: Node): FlowEdge[] {
  const edges: FlowEdge[] = [];
  walk(scope, (node) => {
    switch (node.type) {
      case "VariableDeclarator": {
        if (!node.init) break;
        let init = unwrap(node.init);
        if (init.type === "AwaitExpression") init = unwrap(init.argument);
        // `const [a, b] = await Promise.all([readA(), readB()])`: element by element.
        if (node.id.type === "ArrayPattern" && isPromiseAll(init) && init.arguments[0]?.type === "ArrayExpression") {
          const elements = init.arguments[0].elements;
          node.id.elements.forEach((pattern, i) => {
            const value = elements[i];
            if (pattern && value && value.type !== "SpreadElement") edges.push({ targets: declaredIds(pattern), value });
          });
          break;
        }
        edges.push({ targets: declaredIds(node.id), value: node.init });
        break;
      }
      case "AssignmentExpression":
        edges.push({ targets: assignedIds(node.left), value: node.right });
        break;
      case "ForOfStatement":
      case "ForInStatement": {
        const left = node.left.type === "VariableDeclaration" ? node.left.declarations[0]?.id : node.left;
        if (left) edges.push({ targets: node.left.type === "VariableDeclaration" ? declaredIds(left) : assignedIds(left), value: node.right });
        break;
      }
      case "CallExpression": {
        const callee = unwrap(node.callee);
        if (callee.type !== "MemberExpression") break;
        const method = propertyName(callee);
        if (!method || !ELEMENT_CALLBACK_METHODS.has(method)) break;
        for (const arg of node.arguments) {
          if (isFunction(arg)) edges.push({ targets: arg.params.flatMap((p) => declaredIds(p)), value: callee.object });
        }
        break;
      }
      default:
        break;
    }
    return undefined;
  });
  return edges;
}

/**
 * The variables (by declaring identifier) that carry the value of some source expressions
 * within a scope, and queries over expressions in that scope.
 */
export class Taint {
  /** Declaring identifiers of variables that carry a source value. */
  readonly declarations = new Set<TSESTree.Identifier>();

  constructor(
    readonly scope: Node,
    readonly sources: readonly Node[],
  ) {
    const edges = collectEdges(scope);
    let changed = true;
    for (let pass = 0; changed && pass <= edges.length; pass++) {
      changed = false;
      for (const edge of edges) {
        if (edge.targets.every((t) => this.declarations.has(t))) continue;
        if (!this.carries(edge.value)) continue;
        for (const target of edge.targets) {
          if (!this.declarations.has(target)) {
            this.declarations.add(target);
            changed = true;
          }
        }
      }
    }
  }

  private isSource(node: Node): boolean {
    return this.sources.some((s) => s === node || (s.range[0] === node.range[0] && s.range[1] === node.range[1] && s.type === node.type));
  }

  private isTaintedReference(node: Node): boolean {
    if (node.type !== "Identifier" || !isReference(node)) return false;
    const declaration = declarationOf(node);
    return !!declaration && this.declarations.has(declaration);
  }

  /**
   * True when evaluating `expression` yields (part of) a source value: it contains a source
   * or a carrying variable in a value position. Arguments of calls on other objects
   * (`stripe.x.create(...)`, `sendEmail(...)` on a member) and nested function bodies do not count.
   */
  carries(expression: Node): boolean {
    let found = false;
    walk(expression, (node) => {
      if (found) return false;
      if (this.isSource(node) || this.isTaintedReference(node)) {
        found = true;
        return false;
      }
      // A function value is code, not data: its body runs later, if at all.
      if (isFunction(node)) return false;
      if (node.type === "CallExpression" || node.type === "NewExpression") {
        const callee = unwrap(node.callee);
        if (callee.type === "MemberExpression") {
          if (this.carries(callee.object)) {
            found = true;
            return false;
          }
          const root = memberPath(callee)?.[0];
          if (root && PASS_THROUGH_OBJECTS.has(root)) return undefined;
          // Another object's method: its result is that object's, unless it is a source.
          return false;
        }
      }
      return undefined;
    });
    return found;
  }

  /** True when `node` mentions a source or a carrying variable anywhere (including in callbacks). */
  mentions(node: Node): boolean {
    let found = false;
    walk(node, (n) => {
      if (found) return false;
      if (this.isSource(n) || this.isTaintedReference(n)) {
        found = true;
        return false;
      }
      return undefined;
    });
    return found;
  }

  /**
   * The smallest expressions inside `node` that carry a source value, widened over member
   * access (`user._id`, not `user`), in source order.
   */
  carriersIn(node: Node): Node[] {
    const out: Node[] = [];
    walk(node, (n) => {
      if (isFunction(n) && n !== node) return false;
      if (this.isSource(n) || this.isTaintedReference(n)) {
        out.push(widen(n));
        return false;
      }
      if (n.type === "CallExpression" || n.type === "NewExpression") {
        const callee = unwrap(n.callee);
        if (callee.type === "MemberExpression" && !this.carries(callee.object)) {
          const root = memberPath(callee)?.[0];
          if (!root || !PASS_THROUGH_OBJECTS.has(root)) return false;
        }
      }
      return undefined;
    });
    return out;
  }
}

function widen(node: Node): Node {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (parent.type === "MemberExpression" && parent.object === current) {
      current = parent;
      continue;
    }
    if (
      (parent.type === "ChainExpression" || parent.type === "TSNonNullExpression" || parent.type === "TSAsExpression") &&
      parent.expression === current
    ) {
      current = parent;
      continue;
    }
    if (parent.type === "AwaitExpression" && parent.argument === current) {
      current = parent;
      continue;
    }
    return current;
  }
}

/** Values flowing from `sources` within `scope` (a function or any subtree). */
export function taintFrom(scope: Node, sources: readonly Node[]): Taint {
  return new Taint(scope, sources);
}

// ---------------------------------------------------------------------------------------
// Control dependence.

/** Next.js functions that never return (they throw to unwind the request). */
const NEVER_RETURNS = new Set(["redirect", "permanentRedirect", "notFound", "forbidden", "unauthorized"]);
const ASSERTIONS = new Set(["assert", "invariant", "ok", "strictEqual", "assertExists"]);

function isNeverReturningCall(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "AwaitExpression") return isNeverReturningCall(n.argument);
  if (n.type !== "CallExpression") return false;
  const callee = unwrap(n.callee);
  if (callee.type === "Identifier") return NEVER_RETURNS.has(callee.name);
  const path = memberPath(callee);
  return !!path && path.join(".") === "process.exit";
}

/**
 * True when running `statement` always leaves the enclosing function (`return`, `throw`,
 * `redirect()`, `notFound()`), or with `loopExits`, the enclosing loop iteration or switch
 * case (`continue`, `break`).
 */
export function alwaysExits(statement: Node | null | undefined, loopExits = false): boolean {
  if (!statement) return false;
  switch (statement.type) {
    case "ReturnStatement":
    case "ThrowStatement":
      return true;
    case "ContinueStatement":
    case "BreakStatement":
      return loopExits;
    case "ExpressionStatement":
      return isNeverReturningCall(statement.expression);
    case "BlockStatement":
      return statement.body.some((s) => alwaysExits(s, loopExits));
    case "IfStatement":
      return alwaysExits(statement.consequent, loopExits) && alwaysExits(statement.alternate, loopExits);
    case "TryStatement":
      return alwaysExits(statement.block, loopExits) && (!statement.handler || alwaysExits(statement.handler.body, loopExits));
    default:
      return false;
  }
}

/**
 * True when running `statements` can certainly finish without leaving the function: the end of a
 * function body is then reached and it returns `undefined`. The opposite of {@link alwaysExits}
 * in spirit, but on the sure side: a `switch` with a `default`, a labelled statement, a loop
 * that cannot end on its own or a `finally` that may leave count as not finishing, so callers
 * that report a missing `return` never report one that is there.
 */
export function certainlyCompletes(statements: readonly Node[]): boolean {
  return statements.every((statement) => statementCompletes(statement));
}

function statementCompletes(statement: Node): boolean {
  switch (statement.type) {
    case "ReturnStatement":
    case "ThrowStatement":
    case "BreakStatement":
    case "ContinueStatement":
    case "LabeledStatement":
      return false;
    case "ExpressionStatement":
      return !isNeverReturningCall(statement.expression);
    case "BlockStatement":
      return certainlyCompletes(statement.body);
    case "IfStatement":
      // Either branch may run: the end is reached when one of them finishes.
      return !statement.alternate || statementCompletes(statement.consequent) || statementCompletes(statement.alternate);
    case "TryStatement":
      return certainlyCompletes(statement.block.body) && (!statement.finalizer || certainlyCompletes(statement.finalizer.body));
    case "SwitchStatement":
      // Without a `default`, an unmatched value skips every case.
      return !statement.cases.some((c) => c.test === null);
    case "ForOfStatement":
    case "ForInStatement":
      return true;
    case "WhileStatement":
    case "ForStatement":
      return !!statement.test && statement.test.type !== "Literal";
    case "DoWhileStatement":
      return statement.test.type !== "Literal" && statementCompletes(statement.body);
    default:
      // Declarations and empty statements.
      return true;
  }
}

export type ControlKind = "if" | "early-exit" | "conditional" | "logical" | "switch" | "loop" | "assert";

export interface ControlDependence {
  kind: ControlKind;
  /** The deciding node: the `if`, ternary, `&&`, `switch`, loop or assertion call. */
  node: Node;
  /** The `if` statement, for `if` and `early-exit`. */
  guard: TSESTree.IfStatement | null;
  /** For `early-exit`: the branch of `guard` that leaves before the target runs. */
  exitBranch: TSESTree.Statement | null;
}

function statementList(node: Node): readonly Node[] | null {
  switch (node.type) {
    case "BlockStatement":
    case "Program":
    case "StaticBlock":
      return node.body;
    case "SwitchCase":
      return node.consequent;
    default:
      return null;
  }
}

function earlyExitsIn(
  statement: Node,
  decides: (node: Node) => boolean,
  direct: boolean,
  out: ControlDependence[],
): void {
  walk(statement, (node) => {
    if (isFunction(node)) return false;
    // Loop exits inside a nested loop or switch do not leave ours.
    const isDirect = direct && node === statement;
    if (node.type === "IfStatement" && decides(node.test)) {
      if (alwaysExits(node.consequent, isDirect)) {
        out.push({ kind: "early-exit", node, guard: node, exitBranch: node.consequent });
      } else if (node.alternate && alwaysExits(node.alternate, isDirect)) {
        out.push({ kind: "early-exit", node, guard: node, exitBranch: node.alternate });
      }
    } else if (node.type === "ExpressionStatement") {
      let expression = unwrap(node.expression);
      if (expression.type === "AwaitExpression") expression = unwrap(expression.argument);
      if (expression.type === "CallExpression") {
        const callee = unwrap(expression.callee);
        const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? propertyName(callee) : null;
        if (name && ASSERTIONS.has(name) && expression.arguments[0] && decides(expression.arguments[0])) {
          out.push({ kind: "assert", node: expression, guard: null, exitBranch: null });
        }
      }
    }
    return undefined;
  });
}

/**
 * Everything inside `scope` that decides whether `target` runs, using `decides(test)` to say
 * whether a test depends on the value of interest. Innermost first; early exits in statements
 * before the target (`if (existing) return ...;`) are included.
 */
export function controlDependences(scope: Node, target: Node, decides: (test: Node) => boolean): ControlDependence[] {
  const out: ControlDependence[] = [];
  let child: Node = target;
  let parent = target.parent;
  while (parent && child !== scope) {
    switch (parent.type) {
      case "IfStatement":
        if (child !== parent.test && decides(parent.test)) out.push({ kind: "if", node: parent, guard: parent, exitBranch: null });
        break;
      case "ConditionalExpression":
        if (child !== parent.test && decides(parent.test)) out.push({ kind: "conditional", node: parent, guard: null, exitBranch: null });
        break;
      case "LogicalExpression":
        if (child === parent.right && decides(parent.left)) out.push({ kind: "logical", node: parent, guard: null, exitBranch: null });
        break;
      case "SwitchCase": {
        const switchStatement = parent.parent;
        if (parent.test !== child && (decides(switchStatement.discriminant) || (parent.test && decides(parent.test)))) {
          out.push({ kind: "switch", node: switchStatement, guard: null, exitBranch: null });
        }
        break;
      }
      case "WhileStatement":
      case "DoWhileStatement":
        if (child === parent.body && decides(parent.test)) out.push({ kind: "loop", node: parent, guard: null, exitBranch: null });
        break;
      case "ForStatement":
        if (child === parent.body && parent.test && decides(parent.test)) out.push({ kind: "loop", node: parent, guard: null, exitBranch: null });
        break;
      case "ForOfStatement":
      case "ForInStatement":
        if (child === parent.body && decides(parent.right)) out.push({ kind: "loop", node: parent, guard: null, exitBranch: null });
        break;
      default:
        break;
    }
    const list = statementList(parent);
    if (list) {
      const index = list.indexOf(child);
      for (let i = index - 1; i >= 0; i--) earlyExitsIn(list[i]!, decides, true, out);
    }
    child = parent;
    parent = parent.parent;
  }
  return out;
}

/** True when `inner` runs after `outer` has produced its value (it ends later and is not inside it). */
export function runsAfter(outer: Node, inner: Node): boolean {
  return inner.range[1] > outer.range[1] && !contains(outer, inner);
}

/** The same-file function a plain call `name(...)` runs: a function declaration or a variable holding one. */
function namedFunctionOf(callee: Node): FunctionNode | null {
  const n = unwrap(callee);
  return n.type === "Identifier" ? functionOf(n, 1) : null;
}

/**
 * Same-file functions called by name from `roots` (`await handleCheckout(event)`), and from
 * those, up to `depth` levels; roots themselves and recursive calls are excluded. In call order.
 * `resolve` says which function a callee runs (stricter callers accept `const` bindings only).
 */
export function calledFunctions(
  roots: readonly FunctionNode[],
  depth = 2,
  resolve: (callee: Node) => FunctionNode | null = namedFunctionOf,
): FunctionNode[] {
  const seen = new Set<FunctionNode>(roots);
  const out: FunctionNode[] = [];
  let frontier = [...roots];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: FunctionNode[] = [];
    for (const fn of frontier) {
      for (const call of findAll(fn, ["CallExpression"])) {
        const helper = resolve(call.callee);
        if (!helper || seen.has(helper) || contains(helper, call)) continue;
        seen.add(helper);
        out.push(helper);
        next.push(helper);
      }
    }
    frontier = next;
  }
  return out;
}
