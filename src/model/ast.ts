/**
 * Small, dependency-free predicates and walkers over the ESTree AST produced by
 * typescript-estree (and by espree for plain JavaScript). Everything in the model
 * is built from these; nothing here knows about webhooks.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { visitorKeys } from "@typescript-eslint/visitor-keys";

export type Node = TSESTree.Node;
export type Expression = TSESTree.Expression;
export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

export function isFunction(node: Node | null | undefined): node is FunctionNode {
  return !!node && FUNCTION_TYPES.has(node.type);
}

/**
 * The node types {@link unwrap} strips, for code that must name them (an esquery selector that
 * only wants what unwraps to a literal). Kept in step with its `switch` by a test.
 */
export const WRAPPER_TYPES: readonly string[] = [
  "TSAsExpression",
  "TSNonNullExpression",
  "TSSatisfiesExpression",
  "TSTypeAssertion",
  "TSInstantiationExpression",
  "ChainExpression",
];

/** Strips TypeScript-only wrappers and parentheses-equivalents: `x as T`, `x!`, `x satisfies T`, `<T>x`. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case "TSAsExpression":
      case "TSNonNullExpression":
      case "TSSatisfiesExpression":
      case "TSTypeAssertion":
      case "TSInstantiationExpression":
        current = current.expression;
        continue;
      case "ChainExpression":
        current = current.expression;
        continue;
      default:
        return current;
    }
  }
}

/** Like {@link unwrap}, and also looks through `await`. */
export function unwrapAwait(node: Node): Node {
  let current = unwrap(node);
  while (current.type === "AwaitExpression") current = unwrap(current.argument);
  return current;
}

/**
 * A lookup table keyed by names read from source code. It has no prototype, so a name such as
 * `toString`, `constructor` or `valueOf` (`ctx.toString()`, `prisma.user.valueOf()`) finds
 * nothing instead of an `Object.prototype` method.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** The static name of a member's property (`a.b`, `a["b"]`), or null when computed from a value. */
export function propertyName(node: TSESTree.MemberExpression): string | null {
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.property.type === "PrivateIdentifier") return null;
  return staticString(node.property);
}

/** The static key of an object property, or null when computed from a value. */
export function keyName(node: TSESTree.Property | TSESTree.PropertyDefinition | TSESTree.MethodDefinition): string | null {
  if (!node.computed && node.key.type === "Identifier") return node.key.name;
  if (node.key.type === "PrivateIdentifier") return null;
  return staticString(node.key);
}

/** The value of a string literal or a template literal without expressions. */
export function staticString(node: Node | null | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "string") return n.value;
  if (n.type === "TemplateLiteral" && n.expressions.length === 0) return n.quasis[0]?.value.cooked ?? null;
  return null;
}

/**
 * The dotted path of an identifier/member chain: `stripe.webhooks.constructEvent`,
 * `ctx.db.query`, `process.env.SECRET`. `this` is written `this`; calls and other
 * expressions in the chain make it null.
 */
export function memberPath(node: Node | null | undefined): string[] | null {
  if (!node) return null;
  const parts: string[] = [];
  let current: Node = unwrap(node);
  for (;;) {
    if (current.type === "Identifier") {
      parts.unshift(current.name);
      return parts;
    }
    if (current.type === "ThisExpression") {
      parts.unshift("this");
      return parts;
    }
    if (current.type === "MemberExpression") {
      const name = propertyName(current);
      if (name === null) return null;
      parts.unshift(name);
      current = unwrap(current.object);
      continue;
    }
    return null;
  }
}

/** Like {@link memberPath} but tolerant of calls in the chain (`a.b().c` -> `a.b().c`), for matching receivers. */
export function calleeSegments(node: Node): string[] {
  const parts: string[] = [];
  let current: Node = unwrap(node);
  for (;;) {
    if (current.type === "Identifier") {
      parts.unshift(current.name);
      return parts;
    }
    if (current.type === "ThisExpression") {
      parts.unshift("this");
      return parts;
    }
    if (current.type === "MemberExpression") {
      parts.unshift(propertyName(current) ?? "[]");
      current = unwrap(current.object);
      continue;
    }
    if (current.type === "CallExpression") {
      parts.unshift("()");
      current = unwrap(current.callee);
      continue;
    }
    if (current.type === "NewExpression") {
      parts.unshift("new()");
      current = unwrap(current.callee);
      continue;
    }
    if (current.type === "AwaitExpression") {
      current = unwrap(current.argument);
      continue;
    }
    parts.unshift("?");
    return parts;
  }
}

/** The last property name of a call's callee (`a.b.c()` -> `c`, `f()` -> `f`). */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | null {
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression") return propertyName(callee);
  return null;
}

/** The object a method is called on (`a.b.c()` -> `a.b`), or null for plain calls. */
export function calleeObject(call: TSESTree.CallExpression): Node | null {
  const callee = unwrap(call.callee);
  return callee.type === "MemberExpression" ? unwrap(callee.object) : null;
}

/** The name of a plain identifier (after unwrapping), or null. */
export function identifierName(node: Node | null | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  return n.type === "Identifier" ? n.name : null;
}

/** The last name of an identifier or member chain: `event` for `event`, `body` for `req.body`. */
export function lastName(node: Node | null | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "Identifier") return n.name;
  if (n.type === "MemberExpression") return propertyName(n);
  if (n.type === "ThisExpression") return "this";
  return null;
}

function childKeys(node: Node): readonly string[] {
  return (visitorKeys as Record<string, readonly string[] | undefined>)[node.type] ?? fallbackKeys(node);
}

function fallbackKeys(node: Node): string[] {
  return Object.keys(node).filter((key) => {
    if (key === "parent" || key === "loc" || key === "range") return false;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) return value.some(isNodeLike);
    return isNodeLike(value);
  });
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export interface WalkOptions {
  /** Do not descend into nested functions (their bodies run at another time). */
  skipFunctions?: boolean;
  /** Do not descend into TypeScript type annotations. Defaults to true. */
  skipTypes?: boolean;
}

/** Type-only subtrees that `skipTypes` leaves out (type references in `x as T` are still visited). */
const TYPE_ONLY = new Set([
  "TSTypeAnnotation",
  "TSTypeParameterInstantiation",
  "TSTypeParameterDeclaration",
  "TSInterfaceDeclaration",
  "TSTypeAliasDeclaration",
]);

/**
 * Depth-first pre-order walk. The visitor may return `false` to skip a node's children.
 * Iterative, so deep ASTs cannot overflow the stack.
 */
export function walk(root: Node, visit: (node: Node) => boolean | void, options: WalkOptions = {}): void {
  const skipTypes = options.skipTypes ?? true;
  const skipFunctions = options.skipFunctions ?? false;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (skipFunctions && node !== root && isFunction(node)) continue;
    if (skipTypes && TYPE_ONLY.has(node.type)) continue;
    if (visit(node) === false) continue;
    const keys = childKeys(node);
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[keys[k]!];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child: unknown = value[i];
          if (isNodeLike(child)) stack.push(child);
        }
      } else if (isNodeLike(value)) {
        stack.push(value);
      }
    }
  }
}

/** Node type names as plain strings (`"CallExpression"`). */
export type NodeType = `${Node["type"]}`;

/** The node interface(s) whose `type` is the string `T`. */
export type NodeOfType<T extends string> = Node extends infer N
  ? N extends { type: infer K }
    ? `${K & string}` extends T
      ? N
      : never
    : never
  : never;

/**
 * A whole file's nodes in walk order (with type-only subtrees skipped, as {@link findAll} does),
 * collected by one walk and shared by every rule and model function that asks about the whole
 * file. Keyed by the Program node, which nothing mutates (rules and codemods only read the AST;
 * a fix or an edit leads to a new parse and a new Program).
 */
interface ProgramIndex {
  nodes: readonly Node[];
  byType: Map<string, TypeList>;
}

/** The nodes of one type in walk order, and whether their start offsets never decrease (nearly always). */
interface TypeList {
  nodes: readonly Node[];
  byStart: boolean;
}

const programIndexes = new WeakMap<TSESTree.Program, ProgramIndex>();

function programIndex(program: TSESTree.Program): ProgramIndex {
  let index = programIndexes.get(program);
  if (!index) {
    const nodes: Node[] = [];
    walk(program, (node) => {
      nodes.push(node);
    });
    index = { nodes, byType: new Map() };
    programIndexes.set(program, index);
  }
  return index;
}

function typeList(index: ProgramIndex, type: string): TypeList {
  let list = index.byType.get(type);
  if (!list) {
    const nodes: Node[] = [];
    let byStart = true;
    let last = -1;
    for (const node of index.nodes) {
      if (node.type !== type) continue;
      if (node.range[0] < last) byStart = false;
      last = node.range[0];
      nodes.push(node);
    }
    list = { nodes, byStart };
    index.byType.set(type, list);
  }
  return list;
}

/**
 * Every node of type `type` in the file, in source order: the same nodes as
 * `findAll(program, [type])`, but from a walk shared by the whole file. The array is shared:
 * do not modify it.
 */
export function nodesOfType<T extends NodeType>(program: TSESTree.Program, type: T): readonly NodeOfType<T>[] {
  return typeList(programIndex(program), type).nodes as readonly NodeOfType<T>[];
}

/**
 * The nodes of `type` under `root`, in walk order, read from the file's shared index instead of
 * a walk of the subtree: a binary search for the first one that starts inside `root`, then the
 * run of those that lie below it. Null when the index cannot answer exactly (`root` lies in a
 * type-only subtree the index leaves out, the tree has no Program, or the list is not ordered
 * by start offset).
 */
function indexedDescendants(root: Node, type: string): Node[] | null {
  let top: Node = root;
  while (top.parent) {
    top = top.parent;
    if (TYPE_ONLY.has(top.type)) return null;
  }
  if (top.type !== "Program") return null;
  const { nodes, byStart } = typeList(programIndex(top), type);
  if (!byStart) return null;
  const [start, end] = root.range;
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (nodes[mid]!.range[0] < start) lo = mid + 1;
    else hi = mid;
  }
  const found: Node[] = [];
  for (let i = lo; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.range[0] > end) break;
    if (node.range[1] > end) continue;
    // Inside the root's range but not below it: an ancestor with the same range (a statement
    // around its expression) or a twin (the key of a shorthand property beside its value, or
    // beside the default it starts). Such a node shares the root's start or end; a node strictly
    // inside the range is below the root, so only those at an edge need the climb.
    if ((node.range[0] === start || node.range[1] === end) && node !== root && !isAncestor(root, node)) continue;
    found.push(node);
  }
  return found;
}

/**
 * Several types under `root` from the index, merged into walk order: by start offset, outer
 * before inner. That is the walk's order as long as children are visited in source order, which
 * holds for every node type but the quasis of a template literal (so `TemplateElement` is not
 * answered here), and as long as no two of the nodes cover the same text (`a?.b` is a
 * `ChainExpression` and a `MemberExpression` over the same range): then null, and a walk.
 */
function indexedMerge(root: Node, types: readonly string[]): Node[] | null {
  if (types.includes("TemplateElement")) return null;
  const merged: Node[] = [];
  for (const type of new Set(types)) {
    const found = indexedDescendants(root, type);
    if (!found) return null;
    for (const node of found) merged.push(node);
  }
  merged.sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
  for (let i = 1; i < merged.length; i++) {
    const [a, b] = [merged[i - 1]!, merged[i]!];
    if (a.range[0] === b.range[0] && a.range[1] === b.range[1]) return null;
  }
  return merged;
}

/**
 * `node` (below `root`) is a function nested in `root` or lies inside one: what a walk with
 * `skipFunctions` leaves out.
 */
function inNestedFunction(node: Node, root: Node): boolean {
  for (let current: Node | undefined = node; current && current !== root; current = current.parent) {
    if (isFunction(current)) return true;
  }
  return false;
}

function isAncestor(ancestor: Node, node: Node): boolean {
  for (let current = node.parent; current && current.range[0] >= ancestor.range[0]; current = current.parent) {
    if (current === ancestor) return true;
  }
  return false;
}

/**
 * All nodes of the given types under `root` (pre-order). Queries that leave type-only subtrees
 * out (the default) are answered from the shared walk of {@link nodesOfType}: whole-file ones
 * directly, queries under a subtree by {@link indexedDescendants} (without the nodes inside
 * nested functions, for `skipFunctions`).
 */
export function findAll<T extends NodeType>(root: Node, types: readonly T[], options?: WalkOptions): NodeOfType<T>[] {
  if (root.type === "Program" && !options?.skipFunctions && (options?.skipTypes ?? true)) {
    if (types.length === 1) return [...nodesOfType(root, types[0]!)];
    const wanted = new Set<string>(types);
    return programIndex(root).nodes.filter((node) => wanted.has(node.type)) as NodeOfType<T>[];
  }
  if (options?.skipTypes ?? true) {
    if (TYPE_ONLY.has(root.type)) return [];
    const indexed = types.length === 1 ? indexedDescendants(root, types[0]!) : indexedMerge(root, types);
    if (indexed) return (options?.skipFunctions ? indexed.filter((node) => !inNestedFunction(node, root)) : indexed) as NodeOfType<T>[];
  }
  const wanted = new Set<string>(types);
  const found: NodeOfType<T>[] = [];
  walk(
    root,
    (node) => {
      if (wanted.has(node.type)) found.push(node as NodeOfType<T>);
    },
    options,
  );
  return found;
}

/** The nearest enclosing function of a node (not the node itself), or null at module level. */
export function enclosingFunction(node: Node): FunctionNode | null {
  let current = node.parent;
  while (current) {
    if (isFunction(current)) return current;
    current = current.parent;
  }
  return null;
}

/** True when `inner` is `outer` or lies inside it (by source range). */
export function contains(outer: Node, inner: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** Ancestors from the parent up to the Program. */
export function* ancestors(node: Node): Generator<Node> {
  let current = node.parent;
  while (current) {
    yield current;
    current = current.parent;
  }
}

/** `a === b`, `a !== b`, `a == b`, `a != b`. */
export function isEqualityOperator(operator: string): boolean {
  return operator === "===" || operator === "!==" || operator === "==" || operator === "!=";
}

/** Names bound by a parameter or declarator pattern (`{ a, b: c, ...d }` -> a, c, d). */
export function boundNames(pattern: Node | null | undefined): string[] {
  if (!pattern) return [];
  const names: string[] = [];
  const stack: Node[] = [pattern];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case "Identifier":
        names.push(node.name);
        break;
      case "ObjectPattern":
        for (const prop of node.properties) stack.push(prop.type === "RestElement" ? prop.argument : prop.value);
        break;
      case "ArrayPattern":
        for (const element of node.elements) if (element) stack.push(element);
        break;
      case "AssignmentPattern":
        stack.push(node.left);
        break;
      case "RestElement":
        stack.push(node.argument);
        break;
      case "TSParameterProperty":
        stack.push(node.parameter);
        break;
      default:
        break;
    }
  }
  return names;
}

/** The statements of a block-bodied function, or null for expression-bodied arrows. */
export function functionStatements(fn: FunctionNode): TSESTree.Statement[] | null {
  return fn.body && fn.body.type === "BlockStatement" ? fn.body.body : null;
}

/** Properties of an object literal by static key (last wins, as at run time). Spreads are ignored. */
export function objectProperties(node: Node | null | undefined): Map<string, TSESTree.Property> {
  const map = new Map<string, TSESTree.Property>();
  if (!node) return map;
  const obj = unwrap(node);
  if (obj.type !== "ObjectExpression") return map;
  for (const prop of obj.properties) {
    if (prop.type !== "Property") continue;
    const key = keyName(prop);
    if (key !== null) map.set(key, prop);
  }
  return map;
}

/** True when the object literal has a spread element (so missing keys may still be present). */
export function hasSpread(node: Node | null | undefined): boolean {
  if (!node) return false;
  const obj = unwrap(node);
  return obj.type === "ObjectExpression" && obj.properties.some((p) => p.type === "SpreadElement");
}
