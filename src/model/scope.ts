/**
 * A small lexical lookup: where a name used at some node was declared, and what it was
 * initialised from. Enough for the model's questions (`const { type } = event`,
 * `const wh = new Webhook(secret)`), without needing ESLint's scope manager, so codemods
 * can ask the same questions of their own parse.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { isFunction, keyName, unwrap, type FunctionNode, type Node } from "./ast.js";

export type Binding =
  | {
      kind: "variable";
      id: TSESTree.Identifier;
      declarator: TSESTree.VariableDeclarator;
      /** `const`, `let` or `var`. */
      declarationKind: string;
      /** The initialiser of the declarator, if any. */
      init: TSESTree.Expression | null;
      /** Property path from the initialiser to the name: `['type']` for `const { type } = event`. */
      path: string[];
    }
  | { kind: "parameter"; id: TSESTree.Identifier; fn: FunctionNode; index: number; path: string[] }
  | { kind: "function"; id: TSESTree.Identifier; node: TSESTree.FunctionDeclaration }
  | { kind: "other"; id: TSESTree.Identifier };

/** Finds the identifier `name` inside a pattern and the property path to it. */
export function patternPath(pattern: Node, name: string): { id: TSESTree.Identifier; path: string[] } | null {
  const n = pattern;
  switch (n.type) {
    case "Identifier":
      return n.name === name ? { id: n, path: [] } : null;
    case "AssignmentPattern":
      return patternPath(n.left, name);
    case "RestElement":
      return patternPath(n.argument, name);
    case "TSParameterProperty":
      return patternPath(n.parameter, name);
    case "ObjectPattern":
      for (const prop of n.properties) {
        if (prop.type === "RestElement") {
          const found = patternPath(prop.argument, name);
          if (found) return found;
          continue;
        }
        const found = patternPath(prop.value, name);
        if (found) {
          const key = keyName(prop);
          return { id: found.id, path: [key ?? "[]", ...found.path] };
        }
      }
      return null;
    case "ArrayPattern":
      for (let i = 0; i < n.elements.length; i++) {
        const element = n.elements[i];
        if (!element) continue;
        const found = patternPath(element, name);
        if (found) return { id: found.id, path: [String(i), ...found.path] };
      }
      return null;
    default:
      return null;
  }
}

/** Statement lists this long get a table of their declarations, built on the first lookup. */
const TABLE_MIN_STATEMENTS = 12;
const tables = new WeakMap<readonly Node[], Map<string, Binding>>();

/**
 * The first declaration of `name` among `statements`. Long lists (a module's top level, where
 * every import and global is looked for in vain) answer from a table of all their names.
 */
function declarationsIn(statements: readonly Node[], name: string): Binding | null {
  if (statements.length < TABLE_MIN_STATEMENTS) return scanDeclarations(statements, name);
  let table = tables.get(statements);
  if (!table) {
    table = declarationTable(statements);
    tables.set(statements, table);
  }
  return table.get(name) ?? null;
}

function scanDeclarations(statements: readonly Node[], name: string): Binding | null {
  for (const raw of statements) {
    const statement = declarationOf(raw);
    if (statement.type === "VariableDeclaration") {
      for (const declarator of statement.declarations) {
        const found = patternPath(declarator.id, name);
        if (found) return variableBinding(statement, declarator, found);
      }
    } else if (statement.type === "FunctionDeclaration" && statement.id?.name === name) {
      return { kind: "function", id: statement.id, node: statement };
    } else if (statement.type === "ClassDeclaration" && statement.id?.name === name) {
      return { kind: "other", id: statement.id };
    }
  }
  return null;
}

/** The declaration an `export` statement wraps, or the statement itself. */
function declarationOf(raw: Node): Node {
  return (raw.type === "ExportNamedDeclaration" || raw.type === "ExportDefaultDeclaration") && raw.declaration ? raw.declaration : raw;
}

function variableBinding(
  statement: TSESTree.VariableDeclaration,
  declarator: TSESTree.VariableDeclarator,
  found: { id: TSESTree.Identifier; path: string[] },
): Binding {
  return { kind: "variable", id: found.id, declarator, declarationKind: statement.kind, init: declarator.init, path: found.path };
}

/** Every name `statements` declare, each with its first declaration (as {@link scanDeclarations} finds it). */
function declarationTable(statements: readonly Node[]): Map<string, Binding> {
  const table = new Map<string, Binding>();
  for (const raw of statements) {
    const statement = declarationOf(raw);
    if (statement.type === "VariableDeclaration") {
      for (const declarator of statement.declarations) {
        for (const found of patternBindings(declarator.id, [])) {
          if (!table.has(found.id.name)) table.set(found.id.name, variableBinding(statement, declarator, found));
        }
      }
    } else if (statement.type === "FunctionDeclaration" && statement.id && !table.has(statement.id.name)) {
      table.set(statement.id.name, { kind: "function", id: statement.id, node: statement });
    } else if (statement.type === "ClassDeclaration" && statement.id && !table.has(statement.id.name)) {
      table.set(statement.id.name, { kind: "other", id: statement.id });
    }
  }
  return table;
}

/** Every identifier a pattern binds, with its property path, in the order {@link patternPath} searches. */
function patternBindings(pattern: Node, path: string[], out: { id: TSESTree.Identifier; path: string[] }[] = []) {
  switch (pattern.type) {
    case "Identifier":
      out.push({ id: pattern, path });
      break;
    case "AssignmentPattern":
      patternBindings(pattern.left, path, out);
      break;
    case "RestElement":
      patternBindings(pattern.argument, path, out);
      break;
    case "TSParameterProperty":
      patternBindings(pattern.parameter, path, out);
      break;
    case "ObjectPattern":
      for (const prop of pattern.properties) {
        if (prop.type === "RestElement") patternBindings(prop.argument, path, out);
        else patternBindings(prop.value, [...path, keyName(prop) ?? "[]"], out);
      }
      break;
    case "ArrayPattern":
      pattern.elements.forEach((element, i) => {
        if (element) patternBindings(element, [...path, String(i)], out);
      });
      break;
    default:
      break;
  }
  return out;
}

/** The declaration of `name` visible at `at`, searching outwards. Null for globals and imports. */
export function resolveName(name: string, at: Node): Binding | null {
  let current: Node | undefined = at;
  while (current) {
    switch (current.type) {
      case "Program":
      case "BlockStatement":
      case "StaticBlock": {
        const found = declarationsIn(current.body, name);
        if (found) return found;
        break;
      }
      case "SwitchCase": {
        const found = declarationsIn(current.consequent, name);
        if (found) return found;
        break;
      }
      case "ForStatement":
        if (current.init && current.init.type === "VariableDeclaration") {
          const found = declarationsIn([current.init], name);
          if (found) return found;
        }
        break;
      case "ForOfStatement":
      case "ForInStatement":
        if (current.left.type === "VariableDeclaration") {
          const found = declarationsIn([current.left], name);
          if (found) return found;
        }
        break;
      case "CatchClause":
        if (current.param) {
          const found = patternPath(current.param, name);
          if (found) return { kind: "other", id: found.id };
        }
        break;
      default:
        if (isFunction(current)) {
          for (let i = 0; i < current.params.length; i++) {
            const found = patternPath(current.params[i]!, name);
            if (found) return { kind: "parameter", id: found.id, fn: current, index: i, path: found.path };
          }
          if (current.type === "FunctionExpression" && current.id?.name === name) {
            return { kind: "other", id: current.id };
          }
        }
        break;
    }
    current = current.parent;
  }
  return null;
}

export interface ValueOrigin {
  /** The expression the value was read from (after following `const` aliases). */
  root: Node;
  /** Property path from `root`: `['type']` for `const { type } = event` used as `type`. */
  path: string[];
  /** The binding of the root when it is a parameter, else null. */
  parameter: Extract<Binding, { kind: "parameter" }> | null;
}

/**
 * Follows an expression back through `const`/`let` declarations and destructuring to
 * where its value came from: `type` (after `const { type } = evt`) -> `evt` + `['type']`;
 * `event.data.object` -> `event` + `['data', 'object']`. Stops at parameters, calls and
 * anything it cannot see through. At most `depth` hops, so it is cheap and cannot loop.
 */
export function valueOrigin(expression: Node, depth = 6): ValueOrigin {
  let node = unwrap(expression);
  const path: string[] = [];
  for (let hop = 0; hop < depth; hop++) {
    if (node.type === "AwaitExpression") {
      node = unwrap(node.argument);
      continue;
    }
    if (node.type === "MemberExpression") {
      const key =
        !node.computed && node.property.type === "Identifier"
          ? node.property.name
          : node.property.type === "Literal"
            ? String(node.property.value)
            : "[]";
      path.unshift(key);
      node = unwrap(node.object);
      hop--;
      continue;
    }
    if (node.type === "Identifier") {
      const binding = resolveName(node.name, node);
      if (!binding) return { root: node, path, parameter: null };
      if (binding.kind === "parameter") {
        return { root: node, path: [...binding.path, ...path], parameter: binding };
      }
      if (binding.kind === "variable" && binding.init && binding.declarationKind !== "var") {
        path.unshift(...binding.path);
        node = unwrap(binding.init);
        continue;
      }
      return { root: node, path, parameter: null };
    }
    break;
  }
  return { root: node, path, parameter: null };
}
