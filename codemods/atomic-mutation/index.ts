/**
 * atomic-mutation: seed 003's atomic mutation pattern. The "already processed?" check, the
 * business logic and the "mark processed" record move into one Convex mutation (one
 * serializable transaction), so a redelivered event, two concurrent deliveries, or a retry
 * after a lost response change state once.
 *
 * Steps (each idempotent, each in `steps/`): plan (model queries, no edits) -> ensure-ledger
 * (schema) -> route-edits (handler) -> dedupe-mutation (each mutation). A unit (a webhook
 * handler and the mutations it calls) with any problem is left alone whole and reported.
 */
import type { CodemodProject } from "../../src/codemod-kit/project.js";
import type { Codemod, CodemodReport, CodemodRunOptions, CodemodWarning } from "../../src/codemod-kit/types.js";
import { checkMutation, rewriteMutation } from "./steps/dedupe-mutation.js";
import { decideLedger } from "./steps/ensure-ledger.js";
import { otherReferences, plan, type HandlerPlan, type MutationPlan } from "./steps/plan.js";
import { namesInRemovedStatements, removeUnusedImports, routeEdits } from "./steps/route-edits.js";

class Units {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

function sortWarnings(warnings: CodemodWarning[]): CodemodWarning[] {
  const seen = new Set<string>();
  return warnings
    .filter((w) => {
      const key = `${w.file}:${w.line}:${w.column}:${w.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

export function run(project: CodemodProject, options: CodemodRunOptions = {}): CodemodReport {
  const singleFile = options.singleFile ?? false;
  const warnings: CodemodWarning[] = [];
  const notes: string[] = [];
  const found = plan(project, singleFile);
  warnings.push(...found.notices);

  for (const entry of found.mutations.values()) {
    entry.problems = checkMutation(project, entry);
    if (entry.addArg && !singleFile) entry.problems.push(...otherReferences(project, entry.definition, entry.sites));
  }

  // Units: a handler and the mutations it calls, joined through shared mutations.
  const units = new Units();
  found.handlers.forEach((handler, i) => {
    for (const site of handler.targets) units.union(`h${i}`, `m:${site.mutationKey}`);
  });
  const bad = new Set<string>();
  found.handlers.forEach((handler, i) => {
    if (handler.problems.length > 0) bad.add(units.find(`h${i}`));
    warnings.push(...handler.problems);
  });
  for (const [key, entry] of found.mutations) {
    if (entry.problems.length > 0) bad.add(units.find(`m:${key}`));
    warnings.push(...entry.problems);
  }
  let handlers: HandlerPlan[] = found.handlers.filter((_, i) => !bad.has(units.find(`h${i}`)));
  let mutations = new Map<string, MutationPlan>([...found.mutations].filter(([key]) => !bad.has(units.find(`m:${key}`))));
  if (handlers.length === 0 && mutations.size === 0) return { warnings: sortWarnings(warnings), notes };

  // The ledger is decided before any edit; its record fields are checked per mutation.
  const ledgers = handlers.flatMap((h) => h.ledgers);
  const decision = decideLedger(project, ledgers, singleFile);
  if (!decision.ok) {
    warnings.push(decision.problem);
    return { warnings: sortWarnings(warnings), notes };
  }
  const records = new Map<string, Array<[string, string]>>();
  for (const [key, entry] of [...mutations]) {
    const extra = new Map<string, string>();
    let conflict: string | null = null;
    for (const handler of handlers) {
      if (!handler.targets.some((t) => t.mutationKey === key)) continue;
      for (const ledger of handler.ledgers) {
        for (const [field, value] of ledger.extraFields) {
          if (extra.has(field) && extra.get(field) !== value) conflict = field;
          extra.set(field, value);
        }
      }
    }
    const fields = conflict === null ? decision.fieldsFor(extra) : `its webhooks record different "${conflict}" values`;
    if (typeof fields === "string") {
      warnings.push(project.warning(entry.definition.file, entry.definition.fn.node, `${entry.definition.exportName} cannot record its events: ${fields}`));
      bad.add(units.find(`m:${key}`));
      continue;
    }
    records.set(key, fields);
  }
  handlers = handlers.filter((h) => !bad.has(units.find(`h${found.handlers.indexOf(h)}`)));
  mutations = new Map([...mutations].filter(([key]) => !bad.has(units.find(`m:${key}`))));
  if (handlers.length === 0 && mutations.size === 0) return { warnings: sortWarnings(warnings), notes };
  warnings.push(...decision.reminders);
  const { ledger } = decision;
  if (decision.added) notes.push(`${project.convexDir}/schema.ts: added the "${ledger.table}" table with index "${ledger.index}"`);

  const byFile = new Map<string, HandlerPlan[]>();
  for (const handler of handlers) byFile.set(handler.file, [...(byFile.get(handler.file) ?? []), handler]);
  for (const [file, fileHandlers] of byFile) {
    project.edit(file, routeEdits(project, file, fileHandlers, mutations));
    removeUnusedImports(project, file, namesInRemovedStatements(fileHandlers));
    const removed = fileHandlers.reduce((n, h) => n + h.checks.length + h.marks.length, 0);
    const passed = fileHandlers.reduce((n, h) => n + h.targets.length, 0);
    const parts = [removed > 0 ? `removed ${removed} separate check/record call${removed === 1 ? "" : "s"}` : null, passed > 0 ? `passes the delivery id to ${passed} mutation call${passed === 1 ? "" : "s"}` : null].filter(Boolean);
    if (parts.length > 0) notes.push(`${file}: ${parts.join(", ")}`);
  }
  for (const [key, entry] of mutations) {
    rewriteMutation(project, entry, { ...ledger, fields: records.get(key)! });
    notes.push(`${entry.definition.file}: ${entry.definition.exportName} skips events already in "${ledger.table}" and records new ones in the same transaction`);
  }
  return { warnings: sortWarnings(warnings), notes };
}

const codemod: Codemod = {
  name: "atomic-mutation",
  title: "Move the webhook's duplicate check into the Convex mutation",
  description:
    "Replaces a route's separate \"already processed?\" query and \"mark processed\" mutation with a dedupe read and insert inside each Convex mutation the webhook calls, keyed by the event id, so retries and concurrent deliveries change state once.",
  crossFile: true,
  prefilter: /[mM]utation\b/,
  run,
};

export default codemod;
