/**
 * Step 4: in the webhook handler, delete the "already processed?" query with its early
 * return and the separate "mark processed" mutation, and pass the delivery id to each
 * mutation that now deduplicates itself. Idempotent: a second run finds no check, no mark,
 * and calls that already pass the id.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { CodemodProject, TextEdit } from "../../../src/codemod-kit/project.js";
import { detectStyle } from "../../../src/codemod-kit/style.js";
import { insertPropertyEdit, removeStatementEdit, unusedImportEdits } from "../../../src/codemod-kit/text-edits.js";
import { findAll, unwrap } from "../../../src/model/ast.js";
import type { HandlerPlan, MutationPlan } from "./plan.js";

function hasProperty(object: TSESTree.ObjectExpression, name: string): boolean {
  return object.properties.some((p) => p.type === "Property" && !p.computed && ((p.key.type === "Identifier" && p.key.name === name) || (p.key.type === "Literal" && p.key.value === name)));
}

/** The statements follow each other with only whitespace between them. */
function adjacent(text: string, statements: readonly TSESTree.Node[]): boolean {
  for (let i = 1; i < statements.length; i++) {
    if (text.slice(statements[i - 1]!.range[1], statements[i]!.range[0]).trim() !== "") return false;
  }
  return true;
}

/** Edits for every handler of one file (positions from the same parse). */
export function routeEdits(project: CodemodProject, file: string, handlers: readonly HandlerPlan[], mutations: ReadonlyMap<string, MutationPlan>): TextEdit[] {
  const context = project.fileContext(file)!;
  const text = context.text;
  const style = detectStyle(text, context.program);
  const edits: TextEdit[] = [];
  for (const handler of handlers) {
    for (const check of handler.checks) {
      const [first, ...rest] = check.statements;
      if (!first) continue;
      const last = rest[rest.length - 1] ?? first;
      if (adjacent(text, check.statements)) edits.push(removeStatementEdit(text, first, context.comments, last));
      else for (const statement of check.statements) edits.push(removeStatementEdit(text, statement, context.comments));
    }
    for (const mark of handler.marks) edits.push(removeStatementEdit(text, mark, context.comments));
    for (const site of handler.targets) {
      const plan = mutations.get(site.mutationKey);
      if (!plan) continue;
      const keyArg = plan.keyArg;
      const property = keyArg === site.deliveryId ? keyArg : `${keyArg}: ${site.deliveryId}`;
      const args = site.call.argsNode ? unwrap(site.call.argsNode) : null;
      if (args && args.type === "ObjectExpression") {
        if (!hasProperty(args, keyArg)) edits.push(insertPropertyEdit(text, args, property, style));
      } else if (!args && site.call.refNode) {
        edits.push({ start: site.call.refNode.range[1], end: site.call.refNode.range[1], text: `, { ${property} }` });
      }
    }
  }
  return edits;
}

/** Imports that only the removed check/record calls used (`fetchQuery`), to drop after the edit. */
export function namesInRemovedStatements(handlers: readonly HandlerPlan[]): Set<string> {
  const names = new Set<string>();
  for (const handler of handlers) {
    const removed = [...handler.checks.flatMap((c) => c.statements), ...handler.marks];
    for (const statement of removed) for (const id of findAll(statement, ["Identifier"])) names.add(id.name);
  }
  return names;
}

/** Second pass on a route file: drop imports the removals left unused. */
export function removeUnusedImports(project: CodemodProject, file: string, names: ReadonlySet<string>): void {
  const context = project.fileContext(file);
  if (!context) return;
  project.edit(file, unusedImportEdits(context.text, context.program, names, context.comments));
}
