/**
 * Step 3: inside one Convex mutation, add the delivery id argument (if missing) and, at the
 * start of the handler (after its authorisation checks), read the ledger by that id, return
 * early when the event was already handled, and record it. All in the mutation's own
 * transaction: if the business logic throws, the record rolls back with it.
 *
 * Idempotent by construction: a mutation that already reads the ledger by the event id and
 * inserts into it is not a target (see `alreadyDeduplicated`).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { ensureImport } from "../../../src/codemod-kit/ensure-import.js";
import type { CodemodProject, TextEdit } from "../../../src/codemod-kit/project.js";
import { detectStyle, quoted, semi, type CodeStyle } from "../../../src/codemod-kit/style.js";
import { insertBeforeStatementEdit, insertPropertyEdit } from "../../../src/codemod-kit/text-edits.js";
import type { CodemodWarning } from "../../../src/codemod-kit/types.js";
import { calleeName, findAll, keyName, objectProperties, unwrap, walk, type FunctionNode, type Node } from "../../../src/model/ast.js";
import { convexFunctions, type ConvexFunction } from "../../../src/model/convex.js";
import { dbWrites } from "../../../src/model/dedupe.js";
import { isLoggerCall } from "../../../src/model/event-switch.js";
import { alwaysExits } from "../../../src/model/flow.js";
import type { CallSite, MutationPlan } from "./plan.js";

export interface LedgerTarget {
  table: string;
  index: string;
  field: string;
  /** Field -> value source text for the record, besides the key field. */
  fields: Array<[string, string]>;
}

type EarlyReturn = { kind: "status" } | { kind: "null" } | { kind: "void" } | { kind: "flag"; key: string };

/** `{ ok: true }` / `{ success: false }`: the one boolean key every value return has, if any. */
function flagKey(node: Node): string | null {
  const object = unwrap(node);
  if (object.type !== "ObjectExpression" || object.properties.length !== 1) return null;
  const prop = object.properties[0]!;
  if (prop.type !== "Property") return null;
  const key = keyName(prop);
  const value = unwrap(prop.value);
  return key !== null && /^(?:ok|success)$/.test(key) && value.type === "Literal" && typeof value.value === "boolean" ? key : null;
}

function returnStatements(handler: FunctionNode): TSESTree.ReturnStatement[] {
  return findAll(handler.body, ["ReturnStatement"], { skipFunctions: true });
}

function isStatusObject(node: Node): boolean {
  const object = unwrap(node);
  if (object.type !== "ObjectExpression") return false;
  const status = objectProperties(object).get("status");
  if (!status) return false;
  const value = unwrap(status.value);
  return value.type === "Literal" && typeof value.value === "string";
}

function callResultIgnored(site: CallSite): boolean {
  let current: Node = site.call.node;
  while (current.parent && current.parent.type === "AwaitExpression") current = current.parent;
  return current.parent?.type === "ExpressionStatement";
}

/** What the early return gives back: `{ status: "ignored" }`, `null`, or nothing. */
function earlyReturn(fn: ConvexFunction, sites: readonly CallSite[]): EarlyReturn | string {
  const handler = fn.handler!;
  const returns = objectProperties(fn.config).get("returns");
  if (returns) {
    const validator = unwrap(returns.value);
    if (validator.type === "CallExpression" && calleeName(validator) === "null") return { kind: "null" };
    if (validator.type === "CallExpression" && calleeName(validator) === "object") {
      const fields = objectProperties(validator.arguments[0]);
      const status = fields.get("status");
      const others = [...fields.entries()].filter(([k]) => k !== "status");
      const statusIsString = status && unwrap(status.value).type === "CallExpression" && calleeName(unwrap(status.value) as TSESTree.CallExpression) === "string";
      const othersOptional = others.every(([, p]) => {
        const value = unwrap(p.value);
        return value.type === "CallExpression" && calleeName(value) === "optional";
      });
      if (statusIsString && othersOptional) return { kind: "status" };
    }
    return "its `returns` validator has no shape the codemod can fill for an ignored duplicate (`v.null()` or an object with `status: v.string()`)";
  }
  if (handler.returnType) {
    const text = handler.returnType.typeAnnotation;
    const isVoid =
      text.type === "TSVoidKeyword" ||
      (text.type === "TSTypeReference" &&
        text.typeName.type === "Identifier" &&
        text.typeName.name === "Promise" &&
        text.typeArguments?.params[0]?.type === "TSVoidKeyword");
    if (isVoid) return { kind: "void" };
    return "its handler has a return type annotation the codemod cannot fill for an ignored duplicate";
  }
  const valued = returnStatements(handler).filter((r) => r.argument !== null && !(r.argument.type === "Identifier" && r.argument.name === "undefined"));
  if (handler.body.type !== "BlockStatement") return "its handler is an expression, not a block";
  if (valued.length === 0) return { kind: "status" };
  if (valued.every((r) => isStatusObject(r.argument!))) return { kind: "status" };
  // `{ ok: true }` / `{ ok: false }`: a duplicate was already applied successfully.
  const flags = new Set(valued.map((r) => flagKey(r.argument!)));
  const [flag] = [...flags];
  if (flags.size === 1 && typeof flag === "string") return { kind: "flag", key: flag };
  if (valued.every((r) => unwrap(r.argument!).type === "Literal" && (unwrap(r.argument!) as TSESTree.Literal).value === null)) return { kind: "null" };
  if (sites.length > 0 && sites.every(callResultIgnored)) return { kind: "null" };
  return "it returns values its callers use, and the codemod cannot tell what a skipped duplicate should return";
}

/** Statements at the start of the handler that authorise the call (`if (args.secret !== ...) throw`), which must stay first. */
function insertionIndex(file: { settings: unknown } & Parameters<typeof isLoggerCall>[0], body: readonly TSESTree.Statement[]): number {
  let index = 0;
  for (let i = 0; i < body.length; i++) {
    const statement = body[i]!;
    // Guard clauses (`if (args.secret !== expected) throw ...`, `if (!valid) return ...`) stay first:
    // an unauthorised call must not read or write the ledger.
    if (statement.type === "IfStatement" && !statement.alternate && alwaysExits(statement.consequent) && !containsAwait(statement.test)) {
      index = i + 1;
      continue;
    }
    if (statement.type === "ExpressionStatement") {
      const expression = unwrap(statement.expression.type === "AwaitExpression" ? statement.expression.argument : statement.expression);
      const name = expression.type === "CallExpression" ? calleeName(expression) : null;
      if (name && /^(?:assert|require|verify|check|validate|ensure)[A-Z_]/.test(name)) {
        index = i + 1;
        continue;
      }
      if (expression.type === "CallExpression" && isLoggerCall(file, expression)) continue;
    }
    if (statement.type === "VariableDeclaration" && !containsAwait(statement)) continue;
    break;
  }
  return index;
}

function containsAwait(node: Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.type === "AwaitExpression") found = true;
    return !found;
  }, { skipFunctions: true });
  return found;
}

function declaredNames(root: Node): Set<string> {
  const names = new Set<string>();
  walk(root, (node) => {
    if (node.type === "VariableDeclarator" || node.type === "FunctionDeclaration") {
      const id = node.id;
      if (id && id.type === "Identifier") names.add(id.name);
    }
    if (node.type === "Identifier" && node.parent && (node.parent.type === "ArrowFunctionExpression" || node.parent.type === "FunctionExpression")) {
      names.add(node.name);
    }
    return true;
  });
  return names;
}

function freshName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** The names the rewrite will use for ctx.db and the key value, or why it cannot. */
function accessors(fn: ConvexFunction, keyArg: string): { db: string; key: string; param: "identifier" | "pattern" | "missing"; patternHasKey: boolean } | string {
  const handler = fn.handler!;
  const ctxParam = handler.params[0];
  let db: string;
  if (fn.ctxName) db = `${fn.ctxName}.db`;
  else if (ctxParam && ctxParam.type === "ObjectPattern") {
    const dbProp = ctxParam.properties.find((p) => p.type === "Property" && keyName(p) === "db");
    if (!dbProp || dbProp.type !== "Property" || dbProp.value.type !== "Identifier") return "its handler destructures `ctx` without `db`";
    db = dbProp.value.name;
  } else return "its handler has no `ctx` parameter the codemod can use";
  const param = fn.argsParam;
  if (!param) return { db, key: `args.${keyArg}`, param: "missing", patternHasKey: false };
  if (param.type === "Identifier") return { db, key: `${param.name}.${keyArg}`, param: "identifier", patternHasKey: false };
  if (param.type === "ObjectPattern") {
    const existing = param.properties.find((p) => p.type === "Property" && keyName(p) === keyArg);
    if (existing && existing.type === "Property") {
      const value = existing.value.type === "AssignmentPattern" ? existing.value.left : existing.value;
      if (value.type !== "Identifier") return `its handler destructures \`${keyArg}\` into a pattern`;
      return { db, key: value.name, param: "pattern", patternHasKey: true };
    }
    if (declaredNames(handler.body).has(keyArg)) return `its handler already declares a variable named \`${keyArg}\``;
    return { db, key: keyArg, param: "pattern", patternHasKey: false };
  }
  return "its handler's second parameter is not a plain name or object pattern";
}

/** Why the mutation cannot be rewritten, or null when it can. Pure: no edits. */
export function checkMutation(project: CodemodProject, entry: MutationPlan): CodemodWarning[] {
  const { definition } = entry;
  const fn = definition.fn;
  const name = definition.exportName;
  const problems: CodemodWarning[] = [...entry.problems];
  if (!fn.handler) return problems;
  if (fn.handler.body.type !== "BlockStatement") {
    problems.push(project.warning(definition.file, fn.handler, `the handler of ${name} is an expression, not a block, so a duplicate check cannot be inserted`));
    return problems;
  }
  const shape = earlyReturn(fn, entry.sites);
  if (typeof shape === "string") problems.push(project.warning(definition.file, fn.handler, `${name} cannot return early for a duplicate: ${shape}`));
  const access = accessors(fn, entry.keyArg);
  if (typeof access === "string") problems.push(project.warning(definition.file, fn.handler, `${name} cannot be rewritten: ${access}`));
  return problems;
}

function currentFunction(project: CodemodProject, entry: MutationPlan): ConvexFunction {
  const context = project.fileContext(entry.definition.file)!;
  const fn = convexFunctions(context).find((f) => f.exportName === entry.definition.exportName);
  if (!fn) throw new Error(`webhook-lint: ${entry.definition.exportName} disappeared from ${entry.definition.file}`);
  return fn;
}

function recordSnippet(ledger: LedgerTarget, key: string): string {
  const fields = [key === ledger.field ? key : `${ledger.field}: ${key}`, ...ledger.fields.map(([k, v]) => `${k}: ${v}`)];
  return `{ ${fields.join(", ")} }`;
}

/** Rewrites the mutation (assumes {@link checkMutation} found no problem). */
export function rewriteMutation(project: CodemodProject, entry: MutationPlan, ledger: LedgerTarget): void {
  const file = entry.definition.file;
  let validators = "v";
  if (entry.addArg) {
    const imported = ensureImport(project, file, { name: "v", from: "convex/values" });
    if (!imported.ok) throw new Error(imported.reason);
    validators = imported.local;
  }
  const context = project.fileContext(file)!;
  const text = context.text;
  const style = detectStyle(text, context.program);
  const fn = currentFunction(project, entry);
  const handler = fn.handler!;
  const body = (handler.body as TSESTree.BlockStatement).body;
  const access = accessors(fn, entry.keyArg);
  const shape = earlyReturn(fn, entry.sites);
  if (typeof access === "string" || typeof shape === "string") throw new Error(`webhook-lint: ${entry.definition.exportName} changed between plan and rewrite`);
  const edits: TextEdit[] = [];

  if (entry.addArg) {
    let argsObject = unwrap(fn.argsProperty!.value);
    if (argsObject.type === "CallExpression" && argsObject.arguments[0]) argsObject = unwrap(argsObject.arguments[0]);
    if (argsObject.type !== "ObjectExpression") throw new Error("webhook-lint: args changed between plan and rewrite");
    edits.push(insertPropertyEdit(text, argsObject, `${entry.keyArg}: ${validators}.string()`, style));
  }
  if (access.param === "pattern" && !access.patternHasKey) {
    edits.push(insertPropertyEdit(text, fn.argsParam as TSESTree.ObjectPattern, entry.keyArg, style));
  } else if (access.param === "missing") {
    const ctxParam = handler.params[0]!;
    edits.push({ start: ctxParam.range[1], end: ctxParam.range[1], text: ", args" });
  }

  const taken = declaredNames(handler.body);
  const found = freshName("processedEvent", taken);
  const q = quoted;
  const returnText =
    shape.kind === "status"
      ? `return { status: ${q("ignored", style)} }${semi(style)}`
      : shape.kind === "flag"
        ? `return { ${shape.key}: true }${semi(style)}`
        : shape.kind === "null"
          ? `return null${semi(style)}`
          : `return${semi(style)}`;
  // A handler that already records the event in the ledger (but never checked it) keeps its own insert.
  // Only an unconditional insert (a statement of the handler's body) counts: it runs on every path that returns normally.
  const recordsAlready = dbWrites(handler).some(
    (w) => w.op === "insert" && w.table === ledger.table && w.helper === null && body.some((statement) => statement.type === "ExpressionStatement" && statement.range[0] <= w.call.range[0] && w.call.range[1] <= statement.range[1]),
  );
  const lines = [
    recordsAlready
      ? `// Skip redeliveries: this check commits atomically with the rest of the mutation, including its record of the event.`
      : `// Skip redeliveries: this check and the record below commit atomically with the rest of the mutation.`,
    `const ${found} = await ${access.db}`,
    `\t.query(${q(ledger.table, style)})`,
    `\t.withIndex(${q(ledger.index, style)}, (q) => q.eq(${q(ledger.field, style)}, ${access.key}))`,
    `\t.first()${semi(style)}`,
    `if (${found} !== null) {`,
    `\t${returnText}`,
    `}`,
  ];
  if (!recordsAlready) lines.push(`await ${access.db}.insert(${q(ledger.table, style)}, ${recordSnippet(ledger, access.key)})${semi(style)}`);
  const snippet = lines.join("\n");
  const index = insertionIndex(context, body);
  const anchor = body[index];
  if (anchor) {
    edits.push(insertBeforeStatementEdit(text, anchor, snippet, style, true));
  } else {
    const last = body[body.length - 1];
    if (last) {
      edits.push({ start: last.range[1], end: last.range[1], text: `${style.newline}${style.newline}${indentOf(text, last)}${snippetAt(snippet, indentOf(text, last), style)}` });
    } else {
      const open = handler.body.range[0] + 1;
      const indent = indentOf(text, handler) + style.indent;
      edits.push({ start: open, end: open, text: `${style.newline}${indent}${snippetAt(snippet, indent, style)}${style.newline}${indentOf(text, handler)}` });
    }
  }
  project.edit(file, edits);
}

function indentOf(text: string, node: Node): string {
  const lineStart = text.lastIndexOf("\n", node.range[0] - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

function snippetAt(snippet: string, indent: string, style: CodeStyle): string {
  return snippet
    .split("\n")
    .map((line, i) => {
      const tabs = /^\t*/.exec(line)![0].length;
      return (i === 0 ? "" : indent) + style.indent.repeat(tabs) + line.slice(tabs);
    })
    .join(style.newline);
}
