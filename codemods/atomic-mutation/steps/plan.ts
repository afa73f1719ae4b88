/**
 * Step 1 (no edits): finds what to rewrite through the shared model. Webhook handlers
 * (`webhookHandlers`) and their Convex calls (`convexCalls`), the route's "already
 * processed?" checks (`checkThenActPairs` whose read is a ledger check by `eventLedgerRole`),
 * "mark processed" mutations (`eventLedgerRole` = mark), the mutations that must deduplicate
 * (`undedupedEventMutations`, plus every business mutation a handler calls with the event),
 * and the ledger table to use. Everything that cannot be rewritten safely becomes a problem
 * attached to its unit (handler + mutations); a unit with a problem is left alone whole.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import type { CodemodProject } from "../../../src/codemod-kit/project.js";
import type { CodemodWarning } from "../../../src/codemod-kit/types.js";
import { contains, enclosingFunction, findAll, memberPath, staticString, unwrap, walk, type FunctionNode, type Node } from "../../../src/model/ast.js";
import { checkThenActPairs, isDedupeCheckCall, type CheckThenAct } from "../../../src/model/atomicity.js";
import {
  convexModuleFiles,
  deliveryIdAt,
  derivesFromEvent,
  mutuallyExclusive,
  repeatsWithin,
  webhookEventVariable,
} from "../../../src/model/codemod-targets.js";
import { convexCallAt, convexCalls, convexFunctions, isGeneratedApiModule, type ConvexCall, type ConvexFunction } from "../../../src/model/convex.js";
import { dbWrites, dedupeReads, eventLedgerRole, undedupedEventMutations, type LedgerInfo } from "../../../src/model/dedupe.js";
import { isLoggerCall } from "../../../src/model/event-switch.js";
import { slowSideEffectAt } from "../../../src/model/side-effects.js";
import { convexModuleName, type FileContext } from "../../../src/model/file.js";
import { functionOf } from "../../../src/model/routes.js";
import { resolveName } from "../../../src/model/scope.js";
import { isProjectModule } from "../../../src/model/verification.js";
import { webhookHandlers, type WebhookHandler } from "../../../src/model/webhook.js";

/** A Convex function definition found in the project. */
export interface Definition {
  file: string;
  exportName: string;
  /** `billing:grantCredits` */
  key: string;
  fn: ConvexFunction;
  context: FileContext;
}

export interface Ledger {
  table: string;
  index: string | null;
  field: string;
  /** Where it came from, for messages (`markProcessed in convex/webhooks.ts`). */
  origin: string;
  /** The file of the function it came from. */
  file: string;
  /** Insert values for the ledger's other required fields (`provider: "stripe"`), when known. */
  extraFields: Map<string, string>;
}

export interface CallSite {
  file: string;
  call: ConvexCall;
  /** The expression that identifies the delivery at this call (`event.id`, `svixId`). */
  deliveryId: string;
  /** The called mutation's {@link Definition.key}. */
  mutationKey: string;
}

export interface CheckRemoval {
  /** Statements to delete: the read's declaration (if any) and the guard. */
  statements: TSESTree.Node[];
}

export interface HandlerPlan {
  file: string;
  info: WebhookHandler;
  checks: CheckRemoval[];
  /** "mark processed" call statements to delete. */
  marks: TSESTree.Node[];
  targets: CallSite[];
  ledgers: Ledger[];
  problems: CodemodWarning[];
}

export interface MutationPlan {
  definition: Definition;
  /** The argument that carries the delivery id (existing, or `eventId` to add). */
  keyArg: string;
  addArg: boolean;
  sites: CallSite[];
  problems: CodemodWarning[];
}

export interface Plan {
  handlers: HandlerPlan[];
  mutations: Map<string, MutationPlan>;
  /** Sites reported but not part of any unit (other query-then-mutation races, findings it cannot rewrite). */
  notices: CodemodWarning[];
}

const CALLER_PREFILTER = /\b(?:mutation|runMutation|fetchMutation)\s*\(/;

/** Finds the definition of `api.<module>.<name>` in the Convex folder. */
export function findDefinition(project: CodemodProject, path: readonly string[]): Definition | null {
  if (path.length < 2) return null;
  const modulePath = path.slice(0, -1);
  const name = path[path.length - 1]!;
  for (const file of convexModuleFiles(project.convexDir, modulePath)) {
    if (!project.exists(file)) continue;
    const context = project.fileContext(file);
    if (!context) return null;
    const fn = convexFunctions(context).find((f) => f.exportName === name);
    if (!fn) return null;
    return { file, exportName: name, key: `${modulePath.join("/")}:${name}`, fn, context };
  }
  return null;
}

function ledgerFrom(info: LedgerInfo | null, definition: Definition): Ledger | null {
  if (!info || !info.table || !info.field) return null;
  const origin = `${definition.exportName} in ${definition.file}`;
  return { table: info.table, index: info.index, field: info.field, origin, file: definition.file, extraFields: new Map() };
}

/** The statement that holds `node` directly inside a block. */
function statementOf(node: Node): TSESTree.Node | null {
  let current: Node | undefined = node;
  while (current && current.parent) {
    const parent: Node = current.parent;
    if (parent.type === "BlockStatement" || parent.type === "Program" || parent.type === "SwitchCase") return current;
    if (parent.type === "IfStatement" && parent.consequent === current) return null;
    current = parent;
  }
  return null;
}

function referencesName(root: Node, name: string, except: readonly Node[]): boolean {
  let found = false;
  walk(root, (node) => {
    if (found || except.some((e) => e === node)) return false;
    if (node.type === "Identifier" && node.name === name) {
      const parent = node.parent;
      const isKey = parent?.type === "MemberExpression" && parent.property === node && !parent.computed;
      const isPropKey = parent?.type === "Property" && parent.key === node && !parent.shorthand;
      if (!isKey && !isPropKey) found = true;
    }
    return true;
  });
  return found;
}

/** The guard's consequent only logs, answers the request (`res.status(200).json(...)`) and returns. */
function onlyReturns(file: FileContext, branch: Node, responseName: string | null): boolean {
  const statements = branch.type === "BlockStatement" ? branch.body : [branch];
  if (statements.length === 0) return false;
  const last = statements[statements.length - 1]!;
  if (last.type !== "ReturnStatement") return false;
  for (const statement of statements.slice(0, -1)) {
    if (statement.type !== "ExpressionStatement") return false;
    const expression = unwrap(statement.expression);
    if (expression.type !== "CallExpression") return false;
    if (isLoggerCall(file, expression)) continue;
    if (responseName !== null && respondsWith(expression, responseName)) continue;
    return false;
  }
  // The returned value must not await anything (a response, not more work).
  let effect = false;
  walk(last, (node) => {
    if (node.type === "AwaitExpression") effect = true;
    return !effect;
  });
  return !effect;
}

/** `res.status(200).json(...)`, `res.end()`: a call chain on the Pages/Express response object. */
function respondsWith(call: TSESTree.CallExpression, responseName: string): boolean {
  let current: Node = unwrap(call.callee);
  while (current.type === "MemberExpression" || current.type === "CallExpression") {
    current = current.type === "MemberExpression" ? unwrap(current.object) : unwrap(current.callee);
  }
  return current.type === "Identifier" && current.name === responseName;
}

/** Problems and statements for removing one "already processed?" check. */
function checkRemoval(project: CodemodProject, file: string, context: FileContext, pair: CheckThenAct, responseName: string | null): CheckRemoval | CodemodWarning {
  const guard = pair.guard;
  if (!guard || !pair.earlyExit) {
    return project.warning(file, pair.read.node, "the result of this \"already processed?\" query does not just return early, so the codemod cannot tell what removing it would change; move the check into the mutation by hand");
  }
  if (guard.alternate) {
    return project.warning(file, guard, "the \"already processed?\" check has an else branch; rewrite it by hand");
  }
  if (!onlyReturns(context, guard.consequent, responseName)) {
    return project.warning(file, guard, "the early return after the \"already processed?\" query does more than return (it calls or awaits something), so removing it would drop that work; rewrite it by hand");
  }
  const statements: TSESTree.Node[] = [];
  if (pair.resultName) {
    const declaration = statementOf(pair.read.node);
    if (!declaration || declaration.type !== "VariableDeclaration" || declaration.declarations.length !== 1) {
      return project.warning(file, pair.read.node, "the \"already processed?\" query result is not a single `const` the codemod can remove");
    }
    if (declaration.parent !== guard.parent) {
      return project.warning(file, guard, "the \"already processed?\" query and its early return are in different blocks; rewrite them by hand");
    }
    const scope = declaration.parent;
    if (referencesName(scope, pair.resultName, [declaration, guard.test])) {
      return project.warning(file, declaration, `\`${pair.resultName}\` is used after the early return, so the query cannot be removed`);
    }
    statements.push(declaration);
  } else if (!(guard.test.range[0] <= pair.read.node.range[0] && pair.read.node.range[1] <= guard.test.range[1])) {
    return project.warning(file, pair.read.node, "the \"already processed?\" query is not read by the guard that returns early");
  }
  if (statementOf(guard) !== guard) return project.warning(file, guard, "the early return is not a statement of its own block");
  statements.push(guard);
  return { statements };
}

function isExpressionStatementCall(node: TSESTree.CallExpression): TSESTree.ExpressionStatement | null {
  let current: Node = node;
  while (current.parent && (current.parent.type === "AwaitExpression" || current.parent.type === "UnaryExpression")) {
    if (current.parent.type === "UnaryExpression" && current.parent.operator !== "void") return null;
    current = current.parent;
  }
  return current.parent?.type === "ExpressionStatement" ? current.parent : null;
}

/** True when the mutation already reads the dedupe ledger by the event id and records it in its own transaction. */
export function alreadyDeduplicated(context: FileContext, fn: ConvexFunction): boolean {
  if (!fn.handler) return false;
  const reads = dedupeReads(context, fn);
  if (reads.length === 0) return false;
  const writes = dbWrites(fn.handler);
  return reads.some((read) =>
    writes.some((w) => w.op === "insert" && (read.table === null || w.table === read.table) && objectHasKey(w.value, read.field)),
  );
}

function objectHasKey(value: Node | null, key: string | null): boolean {
  if (!value || key === null) return false;
  const object = unwrap(value);
  if (object.type !== "ObjectExpression") return false;
  return object.properties.some((p) => p.type === "Property" && (p.key.type === "Identifier" ? p.key.name : staticString(p.key)) === key);
}

/** Same-file functions the handler calls (one level), with the call that reaches each. */
function sameFileHelpers(fn: FunctionNode): Map<FunctionNode, TSESTree.CallExpression> {
  const out = new Map<FunctionNode, TSESTree.CallExpression>();
  for (const call of findAll(fn, ["CallExpression"])) {
    const callee = unwrap(call.callee);
    if (callee.type !== "Identifier") continue;
    const helper = functionOf(callee, 1);
    if (!helper || contains(helper, call) || contains(fn, helper) || out.has(helper)) continue;
    out.set(helper, call);
  }
  return out;
}

/** The helper's parameter that receives the verified event at every call from the handler. */
function helperEventParam(context: FileContext, info: WebhookHandler, helper: FunctionNode): string | null {
  const event = webhookEventVariable(context, info);
  if (!event) return null;
  const sites = findAll(info.handler.fn, ["CallExpression"]).filter((c) => functionOf(c.callee, 1) === helper);
  for (let i = 0; i < helper.params.length; i++) {
    const param = helper.params[i]!;
    if (param.type !== "Identifier") continue;
    const passesEvent = sites.length > 0 && sites.every((site) => {
      const arg = site.arguments[i];
      return !!arg && unwrap(arg).type === "Identifier" && resolveName((unwrap(arg) as TSESTree.Identifier).name, arg)?.id === event.id;
    });
    if (passesEvent) return param.name;
  }
  return null;
}

/** The delivery id inside a same-file helper that receives the verified event (`event.id` for Stripe). */
function helperDeliveryId(context: FileContext, info: WebhookHandler, helper: FunctionNode): { ok: true; text: string } | { ok: false; reason: string } {
  const kind = info.verifiers[0]?.kind;
  const property = kind === "stripe" || kind === "stripe-async" ? "id" : kind === "paddle" ? "eventId" : null;
  const param = helperEventParam(context, info, helper);
  if (!property || !param) {
    return { ok: false, reason: "the call is in a helper function that does not receive the verified event, so the delivery id is not in scope (pass the event to the helper)" };
  }
  return { ok: true, text: `${param}.${property}` };
}

/** A call of a function imported from the project's own modules (`@/lib/stripe`, `../handlers`). */
function projectImportOf(context: FileContext, call: TSESTree.CallExpression): { name: string; source: string } | null {
  let root: Node = unwrap(call.callee);
  while (root.type === "MemberExpression") root = unwrap(root.object);
  if (root.type !== "Identifier" || resolveName(root.name, root)) return null;
  const binding = context.imports.get(root.name);
  if (!binding || !isProjectModule(binding.source) || isGeneratedApiModule(binding.source) || /_generated\//.test(binding.source)) return null;
  return { name: memberPath(call.callee)?.join(".") ?? root.name, source: binding.source };
}

/** The write of a pair goes to a mutation that already checks and records the event itself. */
function alreadyDeduplicatedCall(project: CodemodProject, call: ConvexCall): boolean {
  const definition = call.ref ? findDefinition(project, call.ref.path) : null;
  return definition !== null && alreadyDeduplicated(definition.context, definition.fn);
}

function isTypeScript(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file);
}

function callLabel(call: ConvexCall): string {
  return call.ref ? call.ref.path.join(".") : "this function";
}

export function plan(project: CodemodProject, singleFile = false): Plan {
  const result: Plan = { handlers: [], mutations: new Map(), notices: [] };
  const callerFiles = project.grep(CALLER_PREFILTER);
  const mutationPlans = result.mutations;

  const planFor = (definition: Definition): MutationPlan => {
    let entry = mutationPlans.get(definition.key);
    if (!entry) {
      entry = { definition, keyArg: "eventId", addArg: true, sites: [], problems: [] };
      mutationPlans.set(definition.key, entry);
    }
    return entry;
  };

  for (const file of callerFiles) {
    const context = project.fileContext(file);
    if (!context) continue;
    const pairs = checkThenActPairs(context);
    for (const info of webhookHandlers(context)) {
      const handlerPlan: HandlerPlan = { file, info, checks: [], marks: [], targets: [], ledgers: [], problems: [] };
      const fn = info.handler.fn;
      const helpers = sameFileHelpers(fn);
      const calls = [fn, ...helpers.keys()]
        .flatMap((scope) => convexCalls(context, scope).filter((c) => scope === fn || !contains(fn, c.node)))
        .filter((c) => c.op === "query" || c.op === "mutation")
        .sort((a, b) => a.node.range[0] - b.node.range[0]);
      if (calls.length === 0) continue;
      const inHelper = (node: Node): FunctionNode | null => [...helpers.keys()].find((h) => !contains(fn, h) && contains(h, node)) ?? null;
      const event = webhookEventVariable(context, info);
      const elsewhere: string[] = [];
      const checkCalls = new Set<TSESTree.CallExpression>();
      let firstCheck = Infinity;

      // "Already processed?" checks: check-then-act pairs whose read is a ledger check.
      for (const pair of pairs) {
        if (pair.fn !== fn || pair.read.op !== "query" || checkCalls.has(pair.read.node)) continue;
        const definition = pair.read.ref ? findDefinition(project, pair.read.ref.path) : null;
        const role = definition ? eventLedgerRole(definition.context, definition.fn) : null;
        if (!role || role.role !== "check") {
          // A lookup that feeds a write (`users.byClerkId` -> `credits.grant`) is a different race: report it, do not guess.
          const unknownCheck = definition === null && (singleFile || isDedupeCheckCall(pair.read));
          if (!unknownCheck && !alreadyDeduplicatedCall(project, pair.write)) {
            result.notices.push(
              project.warning(file, pair.read.node, `the result of ${callLabel(pair.read)} decides what ${callLabel(pair.write)} does, in a separate transaction; this codemod only moves "already processed?" checks, so move this read into the mutation by hand`),
            );
          }
          continue;
        }
        checkCalls.add(pair.read.node);
        firstCheck = Math.min(firstCheck, pair.read.node.range[0]);
        const ledger = ledgerFrom(role, definition!);
        if (ledger) handlerPlan.ledgers.push(ledger);
        const removal = checkRemoval(project, file, context, pair, info.handler.responseName);
        if ("reason" in removal) handlerPlan.problems.push(removal);
        else handlerPlan.checks.push(removal);
      }

      for (const call of calls) {
        if (checkCalls.has(call.node)) continue;
        if (call.op !== "mutation") {
          if (singleFile && call.ref && !findDefinition(project, call.ref.path)) elsewhere.push(callLabel(call));
          continue;
        }
        if (!call.ref) {
          if (firstCheck < call.node.range[0]) {
            handlerPlan.problems.push(project.warning(file, call.node, "this mutation's function reference is not `api.*`/`internal.*`, so the codemod cannot find it to move the duplicate check into it"));
          }
          continue;
        }
        const definition = findDefinition(project, call.ref.path);
        if (!definition && singleFile) {
          elsewhere.push(callLabel(call));
          continue;
        }
        if (!definition) {
          const afterCheck = firstCheck < call.node.range[0];
          if (afterCheck || derivesFromEvent(event, call.node)) {
            handlerPlan.problems.push(
              project.warning(file, call.node, `cannot find the definition of ${callLabel(call)} in ${convexModuleFiles(project.convexDir, call.ref.path.slice(0, -1))[0]} (or .js), so the duplicate check cannot be moved into it`),
            );
          }
          continue;
        }
        const role = eventLedgerRole(definition.context, definition.fn);
        if (role?.role === "mark") {
          const ledger = ledgerFrom(role, definition);
          if (ledger) {
            ledger.extraFields = markFieldValues(definition, call, context, ledger.field);
            handlerPlan.ledgers.push(ledger);
          }
          const statement = isExpressionStatementCall(call.node);
          if (!statement) {
            handlerPlan.problems.push(project.warning(file, call.node, `the result of the "mark processed" mutation ${callLabel(call)} is used, so the call cannot be removed`));
          } else {
            handlerPlan.marks.push(statement);
          }
          continue;
        }
        if (role?.role === "check") continue;
        if (definition.fn.kind !== "mutation") continue;
        const helper = inHelper(call.node);
        const afterCheck = helper ? firstCheck < (helpers.get(helper)?.range[0] ?? 0) : firstCheck < call.node.range[0];
        if (!afterCheck && !derivesFromEvent(event, call.node) && !(helper && helperEventParam(context, info, helper) !== null)) continue;
        if (alreadyDeduplicated(definition.context, definition.fn)) continue;
        const delivery = helper ? helperDeliveryId(context, info, helper) : deliveryIdAt(context, info, call.node, isTypeScript(file));
        if (!delivery.ok) {
          handlerPlan.problems.push(project.warning(file, call.node, `cannot pass the delivery id to ${callLabel(call)}: ${delivery.reason}`));
          continue;
        }
        if (repeatsWithin(call.node, fn)) {
          handlerPlan.problems.push(project.warning(file, call.node, `${callLabel(call)} may run more than once per delivery (loop or callback); a per-event record would skip the later runs, so combine the work into one mutation`));
          continue;
        }
        if (call.argsNode && unwrap(call.argsNode).type !== "ObjectExpression") {
          handlerPlan.problems.push(project.warning(file, call.argsNode, `the arguments of ${callLabel(call)} are not an object literal, so the codemod cannot add the event id to them`));
          continue;
        }
        const site: CallSite = { file, call, deliveryId: delivery.text, mutationKey: definition.key };
        handlerPlan.targets.push(site);
        planFor(definition).sites.push(site);
      }

      if (elsewhere.length > 0) {
        handlerPlan.problems.push(
          project.warning(file, info.handler.node, `this webhook handler calls Convex functions defined in other files (${[...new Set(elsewhere)].join(", ")}), which single-file mode cannot rewrite; run \`webhook-lint codemod atomic-mutation\` for the cross-file rewrite`),
        );
      }

      // The route's check also guards work outside Convex: without it, a redelivery would repeat that work.
      if (firstCheck < Infinity) {
        const guarded = [
          ...findAll(fn, ["CallExpression"]).filter((c) => c.range[0] > firstCheck),
          ...[...helpers].filter(([, site]) => site.range[0] > firstCheck).flatMap(([helper]) => findAll(helper, ["CallExpression"])),
        ];
        for (const call of guarded) {
          if (convexCallAt(context, call)) continue;
          const imported = projectImportOf(context, call);
          if (imported) {
            handlerPlan.problems.push(
              project.warning(file, call, `the "already processed?" check also guards ${imported.name}() from ${imported.source}, which the codemod does not follow; removing the check could let a redelivery repeat its work, so this handler is left alone`),
            );
            continue;
          }
          const effect = slowSideEffectAt(context, call);
          if (effect) {
            handlerPlan.problems.push(
              project.warning(file, call, `the "already processed?" check also keeps ${effect.callee} (${effect.kind}) from running twice; moving the check into the mutation would let a redelivery repeat it, so this handler is left alone (schedule that work from the mutation with ctx.scheduler instead)`),
            );
          }
        }
      }

      // Two deduplicated mutations in one delivery would share one record: the second would be skipped.
      const targets = handlerPlan.targets;
      for (let i = 0; i < targets.length; i++) {
        for (let j = i + 1; j < targets.length; j++) {
          const a = targets[i]!.call.node;
          const b = targets[j]!.call.node;
          if (!mutuallyExclusive(a, b, fn)) {
            handlerPlan.problems.push(
              project.warning(file, b, `this handler calls ${callLabel(targets[i]!.call)} and ${callLabel(targets[j]!.call)} for the same delivery; one record per event would make the second a no-op, so merge them into one mutation first (seed 003: pass the whole event to one mutation)`),
            );
          }
        }
      }
      // Nothing to move the duplicate check into: leave the handler as it is (its "mark processed"
      // call may feed other readers of the ledger).
      if (handlerPlan.targets.length === 0 && handlerPlan.problems.length === 0) continue;
      result.handlers.push(handlerPlan);
    }
  }

  // Mutations that need the key argument: reuse one the callers already pass the delivery id in.
  for (const entry of mutationPlans.values()) decideKeyArgument(project, entry);

  // Convex-side findings no handler covers: mutations that already receive an event id can dedupe in place.
  const covered = new Set(mutationPlans.keys());
  const convexFiles = project.files.filter((f) => f === project.convexDir || f.startsWith(`${project.convexDir}/`) || project.convexDir === "");
  for (const file of project.grep(/\bmutation\b|Mutation\b/, convexFiles)) {
    const context = project.fileContext(file);
    if (!context) continue;
    const module = convexModuleName(context) ?? file.replace(/\.[^.]+$/, "");
    for (const finding of undedupedEventMutations(context)) {
      const name = finding.fn.exportName;
      if (!name) continue;
      const key = `${module}:${name}`;
      if (covered.has(key)) continue;
      if (finding.split) {
        result.notices.push(project.warning(file, finding.split.node, `${name} looks the event up here but records it in another transaction; move the record into ${name} by hand (or let the codemod rewrite the webhook that calls it)`));
        continue;
      }
      if (finding.reason !== "event-id-arg" || !finding.eventIdArg) {
        result.notices.push(project.warning(file, finding.fn.node, `${name} handles webhook events without the event id, and no webhook handler the codemod can rewrite calls it; pass the event id from its caller and run the codemod again`));
        continue;
      }
      const definition: Definition = { file, exportName: name, key, fn: finding.fn, context };
      mutationPlans.set(key, { definition, keyArg: finding.eventIdArg, addArg: false, sites: [], problems: repeatedCalls(project, definition) });
    }
  }
  return result;
}

/**
 * Calls of a mutation that may run more than once for one event (in a loop, or twice in one
 * function): one record per event would make the later ones no-ops, so they are problems.
 */
function repeatedCalls(project: CodemodProject, definition: Definition): CodemodWarning[] {
  const out: CodemodWarning[] = [];
  const [module, name] = definition.key.split(":") as [string, string];
  for (const file of project.grep(new RegExp(`\\b${name}\\b`))) {
    const context = project.fileContext(file);
    if (!context) continue;
    const calls = convexCalls(context).filter((c) => c.op === "mutation" && c.ref && c.ref.path.join("/") === `${module}/${name}`);
    for (const call of calls) {
      const owner = enclosingFunction(call.node);
      if (!owner) continue;
      const label = `${module.replace(/\//g, ".")}.${name}`;
      if (repeatsWithin(call.node, owner)) {
        out.push(project.warning(file, call.node, `${label} may run more than once per event here (loop or callback); one record per event would skip the later runs, so it is left alone`));
        continue;
      }
      const sibling = calls.find((other) => other !== call && other.node.range[0] < call.node.range[0] && enclosingFunction(other.node) === owner && !mutuallyExclusive(other.node, call.node, owner));
      if (sibling) out.push(project.warning(file, call.node, `${label} is called twice in this function for the same event; one record per event would skip the second call, so it is left alone`));
    }
  }
  return out;
}

/** Values for the ledger's other fields, read from the "mark processed" mutation's insert and the route's call. */
function markFieldValues(definition: Definition, call: ConvexCall, caller: FileContext, keyField: string): Map<string, string> {
  const out = new Map<string, string>();
  const handler = definition.fn.handler;
  if (!handler) return out;
  const insert = dbWrites(handler).find((w) => w.op === "insert");
  const value = insert?.value ? unwrap(insert.value) : null;
  if (!value || value.type !== "ObjectExpression") return out;
  const callArgs = call.argsNode ? unwrap(call.argsNode) : null;
  for (const prop of value.properties) {
    if (prop.type !== "Property" || prop.key.type !== "Identifier" || prop.key.name === keyField) continue;
    const field = prop.key.name;
    const v = unwrap(prop.value);
    if (v.type === "Literal" || (v.type === "CallExpression" && memberPath(v.callee)?.join(".") === "Date.now")) {
      out.set(field, definition.context.text.slice(v.range[0], v.range[1]));
      continue;
    }
    // `provider: args.provider` or shorthand `provider`: the literal the route passes.
    const argName =
      v.type === "Identifier" ? v.name : v.type === "MemberExpression" && !v.computed && v.property.type === "Identifier" ? v.property.name : null;
    if (!argName || !callArgs || callArgs.type !== "ObjectExpression") continue;
    const passed = callArgs.properties.find((p) => p.type === "Property" && p.key.type === "Identifier" && p.key.name === argName);
    if (passed && passed.type === "Property" && unwrap(passed.value).type === "Literal") {
      const literal = unwrap(passed.value);
      out.set(field, caller.text.slice(literal.range[0], literal.range[1]));
    }
  }
  return out;
}

function decideKeyArgument(project: CodemodProject, entry: MutationPlan): void {
  const { definition } = entry;
  const fn = definition.fn;
  if (!fn.handler) {
    entry.problems.push(project.warning(definition.file, fn.node, `${definition.exportName} has no handler function the codemod can edit`));
    return;
  }
  if (fn.args === null) {
    entry.problems.push(
      project.warning(definition.file, fn.argsProperty ?? fn.node, `the \`args\` of ${definition.exportName} are not an object literal (or missing), so the codemod cannot add an \`eventId\` validator`),
    );
    return;
  }
  // An argument every call site already fills with the delivery id (`stripeEventId: event.id`).
  const candidates = fn.args.filter((arg) =>
    entry.sites.every((site) => {
      const args = site.call.argsNode ? unwrap(site.call.argsNode) : null;
      if (!args || args.type !== "ObjectExpression") return false;
      const prop = args.properties.find((p) => p.type === "Property" && !p.computed && p.key.type === "Identifier" && p.key.name === arg.name);
      if (!prop || prop.type !== "Property") return false;
      const context = project.fileContext(site.file);
      const text = context ? context.text.slice(prop.value.range[0], prop.value.range[1]) : "";
      return text.replace(/!$/, "") === site.deliveryId.replace(/!$/, "");
    }),
  );
  if (entry.sites.length > 0 && candidates[0]) {
    entry.keyArg = candidates[0].name;
    entry.addArg = false;
    return;
  }
  const existing = fn.args.find((a) => a.name === "eventId");
  if (existing) {
    entry.problems.push(project.warning(definition.file, existing.property, `${definition.exportName} already has an \`eventId\` argument that its webhook callers do not fill with the delivery id`));
    return;
  }
  entry.keyArg = "eventId";
  entry.addArg = true;
}

/** Other places that reference a mutation (components, other routes, actions): adding a required argument would break them. */
export function otherReferences(project: CodemodProject, definition: Definition, sites: readonly CallSite[]): CodemodWarning[] {
  const out: CodemodWarning[] = [];
  const name = definition.exportName;
  const module = definition.key.split(":")[0]!;
  const pattern = new RegExp(`\\b${name}\\b`);
  for (const file of project.grep(pattern)) {
    if (file === definition.file) continue;
    const context = project.fileContext(file);
    if (!context) continue;
    for (const node of findAll(context.program, ["MemberExpression", "CallExpression"])) {
      let matches = false;
      if (node.type === "MemberExpression") {
        if (node.parent?.type === "MemberExpression" && node.parent.object === node) continue;
        const path = memberPath(node);
        if (!path || path.length < 3 || path[path.length - 1] !== name) continue;
        const root = context.imports.get(path[0]!);
        if (!root || !isGeneratedApiModule(root.source)) continue;
        matches = path.slice(1, -1).join("/") === module;
      } else if (unwrap(node.callee).type === "Identifier" && (unwrap(node.callee) as TSESTree.Identifier).name === "makeFunctionReference") {
        matches = staticString(node.arguments[0]) === `${module}:${name}`;
      }
      if (!matches) continue;
      const isSite = sites.some((s) => s.file === file && s.call.refNode && s.call.refNode.range[0] <= node.range[0] && node.range[1] <= s.call.refNode.range[1]);
      if (!isSite) {
        out.push(project.warning(file, node, `${module.replace(/\//g, ".")}.${name} is also used here, outside the webhook handlers the codemod rewrites; adding a required \`eventId\` argument would break this call, so ${name} is left alone (give the webhook its own mutation)`));
      }
    }
  }
  return out;
}

