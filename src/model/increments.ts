/**
 * Writes that derive a stored value from its current value (`credits: user.credits + n`):
 * applying them twice is not the same as applying them once.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { keyName, memberPath, propertyName, unwrap, type Node } from "./ast.js";
import { resolveName, valueOrigin } from "./scope.js";

/** The object literal a value is, or a `const` initialised with one. */
export function valueObject(node: Node | null): TSESTree.ObjectExpression | null {
  if (!node) return null;
  let n = unwrap(node);
  if (n.type === "Identifier") {
    const binding = resolveName(n.name, n);
    if (binding?.kind === "variable" && binding.init && binding.path.length === 0 && binding.declarationKind === "const") {
      n = unwrap(binding.init);
    }
  }
  return n.type === "ObjectExpression" ? n : null;
}

function stripNumeric(node: Node): Node {
  let n = unwrap(node);
  for (let i = 0; i < 4; i++) {
    if (n.type === "LogicalExpression" && (n.operator === "??" || n.operator === "||")) n = unwrap(n.left);
    else if (n.type === "UnaryExpression" && n.operator === "+") n = unwrap(n.argument);
    else if (n.type === "CallExpression" && n.callee.type === "Identifier" && /^(?:Number|parseInt|parseFloat|BigInt)$/.test(n.callee.name) && n.arguments[0]) {
      n = unwrap(n.arguments[0]);
    } else break;
  }
  return n;
}

/** True when `node` reads the current value of field `key` (`user.credits`, `credits` from `const { credits } = user`). */
function readsCurrent(node: Node, key: string): boolean {
  const n = stripNumeric(node);
  if (n.type === "MemberExpression") return propertyName(n) === key && !isArgsRoot(n);
  if (n.type === "Identifier") {
    const origin = valueOrigin(n);
    return origin.path[origin.path.length - 1] === key && origin.parameter === null;
  }
  return false;
}

function isArgsRoot(member: TSESTree.MemberExpression): boolean {
  const origin = valueOrigin(member);
  return origin.parameter !== null;
}

function isIncrementValue(value: Node, key: string, depth = 2): boolean {
  const n = unwrap(value);
  switch (n.type) {
    case "BinaryExpression":
      if (n.operator !== "+" && n.operator !== "-") return false;
      return readsCurrent(n.left, key) || readsCurrent(n.right, key) || isIncrementValue(n.left, key, depth);
    case "CallExpression": {
      const path = memberPath(n.callee);
      if (path && path[0] === "Math") return n.arguments.some((a) => a.type !== "SpreadElement" && isIncrementValue(a, key, depth));
      const callee = unwrap(n.callee);
      if (callee.type === "MemberExpression" && propertyName(callee) === "concat") return readsCurrent(callee.object, key);
      return false;
    }
    case "ArrayExpression":
      return n.elements.some((e) => e?.type === "SpreadElement" && readsCurrent(e.argument, key));
    case "Identifier": {
      if (depth <= 0) return false;
      const binding = resolveName(n.name, n);
      if (binding?.kind !== "variable" || !binding.init || binding.path.length > 0) return false;
      return isIncrementValue(binding.init, key, depth - 1);
    }
    default:
      return false;
  }
}

/**
 * Properties of a written object that derive the new value from the current one:
 * `credits: user.credits + n`, `(doc.count ?? 0) + 1`, `Math.max(0, user.balance - cost)`,
 * `items: [...doc.items, item]`, `tags: doc.tags.concat(tag)`; nested objects included.
 */
export function incrementsIn(value: Node | null): TSESTree.Property[] {
  const object = valueObject(value);
  if (!object) return [];
  const out: TSESTree.Property[] = [];
  for (const prop of object.properties) {
    if (prop.type !== "Property") continue;
    const key = keyName(prop);
    if (key === null) continue;
    const inner = unwrap(prop.value);
    if (inner.type === "ObjectExpression") out.push(...incrementsIn(inner));
    else if (isIncrementValue(prop.value, key)) out.push(prop);
  }
  return out;
}

