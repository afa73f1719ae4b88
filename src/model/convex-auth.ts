/**
 * Convex auth: is a public Convex function guarded, and how.
 *
 * - Identity checks: `ctx.auth.getUserIdentity()` whose result is used, `getAuthUserId(ctx)`
 *   from `@convex-dev/auth`, Better Auth's `authComponent.getAuthUser(ctx)`, same-file helpers
 *   that do one of these (`getCurrentUserOrThrow(ctx)`), imported helpers named like auth
 *   guards (`requireUser(ctx)`), and convex-helpers builders (`customMutation(mutation, ...)`).
 * - Shared-secret checks: an argument compared with a secret env var (seed 000's
 *   `if (!expected || args.secret !== expected) throw`), and whether the check throws on a
 *   mismatch and fails closed when the variable is unset in the Convex deployment. The check is
 *   judged by running the handler on a few abstract scenarios (secret set / unset, argument
 *   right / wrong / missing / empty) with a small evaluator that follows `const`s, module-level
 *   constants, destructuring and same-file helpers, so equivalent forms (`!==` or `!=`,
 *   `!(a === b)`, an early `if (!expected) throw`, `assertSecret(args.secret)`,
 *   `timingSafeEqual`) are judged by what they do, not by how they are spelled.
 * - What billing or identity state a mutation changes: billing fields it writes (`plan`,
 *   `credits`, `stripeCustomerId`, `role`), billing tables it inserts into, internal billing
 *   functions it runs, and provider ids it takes as arguments.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  boundNames,
  calleeName,
  calleeSegments,
  contains,
  findAll,
  isEqualityOperator,
  isFunction,
  keyName,
  memberPath,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  walk,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { isConstantTimeCompareCall } from "./compare.js";
import {
  convexBuilders,
  convexCallAt,
  convexFunctions,
  convexRegistrars,
  readConvexArgs,
  type ConvexArg,
  type ConvexFunction,
  type ConvexKind,
} from "./convex.js";
import { calledFunctions } from "./flow.js";
import { isConvexFolderFile, type FileContext } from "./file.js";
import { resolveName, type Binding } from "./scope.js";
import { envObjectKind, envReadAt, envReads, isSecretLikeName, mayReadEnv, nameTokens, type EnvRead } from "./secrets.js";
import { isBillingModule } from "./webhook.js";

// ---------------------------------------------------------------------------------------
// Small shared helpers.

/** True when the function is reachable from outside: a named export or the default export. */
export function isExportedConvexFunction(fn: ConvexFunction): boolean {
  if (fn.exportName !== null) return true;
  return fn.node.parent?.type === "ExportDefaultDeclaration";
}

/** How messages name a Convex function: its export name, `default`, or `this function`. */
export function convexFunctionLabel(fn: ConvexFunction): string {
  if (fn.exportName !== null) return fn.exportName;
  return fn.node.parent?.type === "ExportDefaultDeclaration" ? "default" : "this function";
}

const bindingCache = new WeakMap<TSESTree.Identifier, Binding | null>();

/**
 * The declaration `id` refers to ({@link resolveName} at `id`), memoised: every scenario run of
 * a handler resolves the same identifiers again, each a climb through the enclosing scopes.
 */
function bindingOf(id: TSESTree.Identifier): Binding | null {
  let binding = bindingCache.get(id);
  if (binding === undefined) {
    binding = resolveName(id.name, id);
    bindingCache.set(id, binding);
  }
  return binding;
}

/** A same-file function that a plain call `name(...)` runs, or null (imports, globals, registrars). */
export function localFunctionOf(callee: Node): FunctionNode | null {
  const n = unwrap(callee);
  if (n.type !== "Identifier") return null;
  const binding = bindingOf(n);
  if (!binding) return null;
  if (binding.kind === "function") return binding.node;
  if (binding.kind === "variable" && binding.init && binding.path.length === 0 && binding.declarationKind === "const") {
    const init = unwrap(binding.init);
    if (isFunction(init)) return init;
  }
  return null;
}

function isLoggerCall(file: FileContext, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const segments = calleeSegments(call.callee);
  const root = segments[0];
  return root !== undefined && file.settings.loggers.has(root);
}

/**
 * Same-file functions reachable from `root` through plain calls to `const` functions, up to two
 * levels (root first). Memoised: the secret precondition, the secret reads and the billing
 * changes of a function each ask.
 */
function reachableFunctions(file: FileContext, root: FunctionNode): readonly FunctionNode[] {
  return file.memoAt(root, "convex-auth:reachable", () => [root, ...calledFunctions([root], 2, localFunctionOf)]);
}

// ---------------------------------------------------------------------------------------
// Argument shapes: what a caller may send for an argument, given its validator.

export type ArgShapeKind =
  /** `v.string()` and other required validators. */
  | "required"
  /** `v.optional(...)`, zod `.optional()`/`.nullish()`. */
  | "optional"
  /** `v.any()`. */
  | "any"
  /** The function has no `args` validator (or the handler-only `mutation(handler)` form). */
  | "unvalidated"
  /** `args` is declared but this argument is not in it (Convex rejects the call if it is sent). */
  | "undeclared"
  /** The validator is not a literal the model can read. */
  | "unknown";

export interface ArgShape {
  kind: ArgShapeKind;
  /** The caller can leave it out (the handler sees `undefined`). */
  omittable: boolean;
  /** The caller can send `null`. */
  nullable: boolean;
  arg: ConvexArg | null;
}

function validatorAllows(node: Node): { omittable: boolean; nullable: boolean; any: boolean } {
  const n = unwrap(node);
  if (n.type !== "CallExpression") return { omittable: false, nullable: false, any: false };
  const name = calleeName(n);
  if (name === "optional" || name === "nullish") {
    const inner = n.arguments[0] ? validatorAllows(n.arguments[0]) : { omittable: true, nullable: false, any: false };
    return { omittable: true, nullable: inner.nullable || name === "nullish", any: inner.any };
  }
  if (name === "any" || name === "unknown") return { omittable: true, nullable: true, any: true };
  if (name === "null" || name === "nullable") return { omittable: false, nullable: true, any: false };
  if (name === "undefined") return { omittable: true, nullable: false, any: false };
  if (name === "union") {
    const out = { omittable: false, nullable: false, any: false };
    for (const member of n.arguments) {
      if (member.type === "SpreadElement") continue;
      const allows = validatorAllows(member);
      out.omittable ||= allows.omittable;
      out.nullable ||= allows.nullable;
      out.any ||= allows.any;
    }
    return out;
  }
  return { omittable: false, nullable: false, any: false };
}

/** What a caller may send for argument `name` of `fn`. */
export function convexArgShape(fn: ConvexFunction, name: string): ArgShape {
  return argShapeIn(fn.args, fn.argsProperty !== null, name);
}

/** What a caller may send for argument `name`, given the declared args (null: none or unreadable). */
export function argShapeIn(args: readonly ConvexArg[] | null, declared: boolean, name: string): ArgShape {
  if (args === null) {
    if (!declared) return { kind: "unvalidated", omittable: true, nullable: true, arg: null };
    return { kind: "unknown", omittable: false, nullable: false, arg: null };
  }
  const arg = args.find((a) => a.name === name) ?? null;
  if (!arg) return { kind: "undeclared", omittable: true, nullable: false, arg: null };
  const allows = validatorAllows(arg.validator);
  const kind: ArgShapeKind = allows.any ? "any" : allows.omittable ? "optional" : "required";
  return { kind, omittable: allows.omittable, nullable: allows.nullable, arg };
}

// ---------------------------------------------------------------------------------------
// The evaluator: runs a handler on one abstract scenario.

type Concrete = string | number | boolean | null | undefined;

interface Taint {
  env: ReadonlySet<string>;
  args: ReadonlySet<string>;
}

const NO_NAMES: ReadonlySet<string> = new Set();
const CLEAN: Taint = { env: NO_NAMES, args: NO_NAMES };

function joinTaint(...taints: Taint[]): Taint {
  let env = NO_NAMES;
  let args = NO_NAMES;
  for (const t of taints) {
    env = unionNames(env, t.env);
    args = unionNames(args, t.args);
  }
  return env === NO_NAMES && args === NO_NAMES ? CLEAN : { env, args };
}

/**
 * The names of `a` then those of `b`. Name sets are never changed once made, so one that already
 * holds the union is returned as it is: most joins meet a clean side, and every step joins.
 */
function unionNames(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a.size === 0) return b;
  let out: Set<string> | null = null;
  for (const name of b) if (!a.has(name)) (out ??= new Set(a)).add(name);
  return out ?? a;
}

function isTainted(t: Taint): boolean {
  return t.env.size > 0 || t.args.size > 0;
}

type Abstract =
  | { k: "c"; v: Concrete }
  | { k: "env" }
  | { k: "args" }
  | { k: "ctx" }
  /** `ctx.db`, `ctx.auth`, `ctx.scheduler`: writes through it are work. */
  | { k: "ctx-part"; name: string }
  /** What a Convex read returns (`ctx.db.query(...).unique()`): unknown, but chaining on it is still a read. */
  | { k: "ctx-value" }
  | { k: "array"; items: Val[] }
  | { k: "fn"; fn: FunctionNode }
  | { k: "encoder" }
  /** A non-nullish object; `trivial` when every property is a literal (`{ ok: false }`). */
  | { k: "object"; trivial: boolean }
  | { k: "unknown" };

interface Val {
  a: Abstract;
  t: Taint;
}

const UNKNOWN: Val = { a: { k: "unknown" }, t: CLEAN };

function concrete(v: Concrete, t: Taint = CLEAN): Val {
  return { a: { k: "c", v }, t };
}

function unknownWith(t: Taint): Val {
  return isTainted(t) ? { a: { k: "unknown" }, t } : UNKNOWN;
}

/** Truthiness of a value: true/false, or null when unknown. */
function truthy(val: Val): boolean | null {
  switch (val.a.k) {
    case "c":
      return Boolean(val.a.v);
    case "unknown":
    case "ctx-value":
      return null;
    default:
      return true;
  }
}

function isNullish(val: Val): boolean {
  return val.a.k === "c" && (val.a.v === undefined || val.a.v === null);
}

/** Thrown by the evaluator when the code under evaluation throws (one shared instance). */
class Thrown extends Error {}
/** Thrown when the outcome cannot be decided (a secret-dependent branch the model cannot evaluate). */
class Undecidable extends Error {}
const THROWN = new Thrown("evaluated code throws");
const UNDECIDABLE = new Undecidable("cannot decide");

type ScenarioEnv = "set" | "unset" | "discover";

interface Scenario {
  env: ScenarioEnv;
  /** The argument under test, or null in discovery (where every argument is a distinct string). */
  argName: string | null;
  argValue: Concrete;
}

/** The value a secret env var has when it is set, in the scenarios. */
const SECRET_VALUE = "s3cret-value";
/** A wrong secret of a different length (so a length pre-check or `timingSafeEqual` behaves as in production). */
const WRONG_VALUE = "wrong";

interface PathState {
  /** A write or other side effect happened (for queries: a read). */
  work: boolean;
  /** The path went through a branch chosen by a secret- or argument-dependent test. */
  taintedBranch: boolean;
  /** The last statement was a call whose arguments carry the secret into a function the model cannot see. */
  opaque: boolean;
  /**
   * The path got past a check the model cannot judge: an `if` on an unknown value that throws or
   * returns on the other side (`if (!(await getAuthUserId(ctx))) throw`, `if (existing) throw`).
   */
  guarded: boolean;
  /** The path compared a secret with an argument. */
  compared: boolean;
}

/**
 * A copy of `state`, by default with `opaque` kept. A literal, not a spread: V8 copies
 * `{ ...state, opaque: false }` many times slower, and a copy is made for every statement run.
 */
function copyState(state: PathState, opaque = state.opaque): PathState {
  return { work: state.work, taintedBranch: state.taintedBranch, opaque, guarded: state.guarded, compared: state.compared };
}

type Terminal = "next" | "break" | "throw" | "return" | "unknown";

interface PathResult {
  terminal: Terminal;
  state: PathState;
  /** For `return`: the value is something other than a literal (data, a document, a computed value). */
  returnsData: boolean;
  /** For `return`: the returned value (helpers' results). */
  value?: Val;
}

interface CompareEvent {
  /** The comparison: `a !== b`, `timingSafeEqual(a, b)`, `list.includes(a)`, or an opaque call. */
  node: Node;
  /** The call in the handler that led to `node` when it sits in a helper; else `node`. */
  reportNode: Node;
  inHandler: boolean;
  env: ReadonlySet<string>;
  args: ReadonlySet<string>;
  /** The operand that carries the secret, for binary comparisons. */
  secretOperand: Node | null;
  /** The model could not see inside: an imported function received both values. */
  opaque: boolean;
  /** The comparison is a constant-time compare call. */
  constantTime: boolean;
}

interface Frame {
  fn: FunctionNode;
  params: Val[];
  memo: Map<Node, Val>;
}

const MAX_STEPS = 20_000;
const MAX_PATHS = 256;
const MAX_CALL_DEPTH = 3;

const STRING_IDENTITY_METHODS = new Set(["trim", "trimStart", "trimEnd", "toString", "valueOf", "normalize"]);
const BUILTIN_CALLEES = new Set([
  "String",
  "Boolean",
  "Number",
  "JSON",
  "Object",
  "Reflect",
  "Promise",
  "console",
  "Array",
  "Math",
  "Date",
  "Buffer",
  "Error",
  "ConvexError",
  "TypeError",
  "parseInt",
  "parseFloat",
  "encodeURIComponent",
  "decodeURIComponent",
]);
/** Calls through `ctx` that change something (reads are not work: they are undone with the function). */
const CTX_WORK_METHODS = new Set(["insert", "patch", "replace", "delete", "runMutation", "runAction", "runAfter", "runAt", "cancel", "store", "generateUploadUrl"]);

/** How a parameter of the function under evaluation is bound. */
export type SubjectParam =
  /** The Convex `ctx`. */
  | { role: "ctx" }
  /** The args object (`args.secret`, `{ secret }`). */
  | { role: "args" }
  /** A value the caller passes, named by the parameter (`requireSecret(provided)`). */
  | { role: "value"; name: string };

/**
 * What the evaluator runs: a Convex handler or a convex-helpers builder's `input` (`ctx, args`),
 * or a helper whose parameters are the values under test (`assertInternalSecret(provided)`).
 */
export interface CheckSubject {
  fn: FunctionNode;
  /**
   * `convex`: a handler, which lets a call through when it does its work; `gate`: a builder's
   * `input`, which lets a call through by returning; `helper`: a check helper, which lets a call
   * through by returning what it returns for the right secret.
   */
  kind: "convex" | "gate" | "helper";
  params: SubjectParam[];
  /** What a caller may send for an argument (`args.x`) or a value parameter. */
  shapeOf(name: string): ArgShape;
}

class Evaluator {
  private steps = 0;
  private paths = 0;
  readonly events: CompareEvent[] = [];
  /** A call whose arguments carry the secret argument into a function the model cannot see. */
  readonly opaqueArgUses: Node[] = [];
  /** The run read the argument under test: its outcome may depend on the value (see {@link judge}). */
  readArg = false;
  private readonly frames: Frame[] = [];
  private state: PathState = { work: false, taintedBranch: false, opaque: false, guarded: false, compared: false };
  private readonly moduleMemo = new Map<Node, Val>();
  private readonly evaluating = new Set<Node>();
  private callRoot: Node | null = null;

  constructor(
    private readonly file: FileContext,
    private readonly subject: CheckSubject,
    private readonly scenario: Scenario,
  ) {}

  /** Runs the subject; null when it cannot be judged. */
  run(): PathResult[] | null {
    const handler = this.subject.fn;
    const params = this.subject.params.map((param): Val => {
      if (param.role === "ctx") return { a: { k: "ctx" }, t: CLEAN };
      if (param.role === "args") return { a: { k: "args" }, t: CLEAN };
      return this.argValue(param.name);
    });
    const frame: Frame = { fn: handler, params, memo: new Map() };
    this.frames.push(frame);
    try {
      return this.execBody(handler, { work: false, taintedBranch: false, opaque: false, guarded: false, compared: false });
    } catch (error) {
      if (error instanceof Undecidable) return null;
      throw error;
    } finally {
      this.frames.pop();
    }
  }

  /**
   * In discovery every argument is a made-up string, so a test that depends on arguments alone
   * (`if (args.force) throw`) says nothing about the code: both branches are explored, so a
   * comparison behind an argument-dependent early exit is still found.
   */
  private exploresBoth(test: Val): boolean {
    return this.scenario.env === "discover" && test.t.args.size > 0 && test.t.env.size === 0;
  }

  private tick(): void {
    if (++this.steps > MAX_STEPS) throw UNDECIDABLE;
  }

  private get inHandler(): boolean {
    return this.frames.length === 1;
  }

  // ---- statements ----------------------------------------------------------------------

  private execBody(fn: FunctionNode, state: PathState): PathResult[] {
    if (fn.body.type !== "BlockStatement") {
      return this.withState(state, (s) => {
        const value = this.eval(fn.body);
        return [{ terminal: "return", state: s, returnsData: returnsData(value), value }];
      });
    }
    return this.execSeq(fn.body.body, 0, state);
  }

  /** Evaluates with `state` as the current path state; maps throws to terminals. */
  /** Evaluates a branch condition: its value and the state after it, or the paths that ended in it (a throw). */
  private evalCondition(state: PathState, node: Node): { value: Val; after: PathState } | { ended: PathResult[] } {
    let value: Val = UNKNOWN;
    const results = this.withState(state, (s) => {
      value = this.eval(node);
      return [{ terminal: "next", state: s, returnsData: false }];
    });
    return results[0]!.terminal === "next" ? { value, after: results[0]!.state } : { ended: results };
  }

  private withState(state: PathState, run: (s: PathState) => PathResult[]): PathResult[] {
    const previous = this.state;
    const own = copyState(state, false);
    this.state = own;
    try {
      return run(own);
    } catch (error) {
      if (error instanceof Thrown) return [{ terminal: "throw", state: own, returnsData: false }];
      if (error instanceof Undecidable) return [{ terminal: "unknown", state: own, returnsData: false }];
      throw error;
    } finally {
      this.state = previous;
    }
  }

  private execSeq(statements: readonly TSESTree.Statement[], index: number, state: PathState): PathResult[] {
    // Most statements end in a single `next`: go on in a loop, and recurse only where paths split.
    let current = state;
    for (let i = index; i < statements.length; i++) {
      const results = this.execStatement(statements[i]!, current);
      if (results.length === 1 && results[0]!.terminal === "next") {
        current = results[0]!.state;
        continue;
      }
      const out: PathResult[] = [];
      for (const result of results) {
        if (result.terminal !== "next") out.push(result);
        else for (const rest of this.execSeq(statements, i + 1, result.state)) out.push(rest);
      }
      return out;
    }
    return [{ terminal: "next", state: current, returnsData: false }];
  }

  private countPaths(n: number): void {
    this.paths += n;
    if (this.paths > MAX_PATHS) throw UNDECIDABLE;
  }

  private execStatement(statement: TSESTree.Statement, state: PathState): PathResult[] {
    this.tick();
    switch (statement.type) {
      case "BlockStatement":
        return this.execSeq(statement.body, 0, state);
      case "ExpressionStatement":
        return this.withState(state, (s) => {
          this.eval(statement.expression);
          if (s.opaque) return [{ terminal: "unknown", state: s, returnsData: false }];
          return [{ terminal: "next", state: s, returnsData: false }];
        });
      case "VariableDeclaration":
        return this.withState(state, (s) => {
          for (const declarator of statement.declarations) {
            if (declarator.init) this.valueOfDeclarator(declarator);
          }
          return [{ terminal: "next", state: s, returnsData: false }];
        });
      case "ReturnStatement":
        return this.withState(state, (s) => {
          const value = statement.argument ? this.eval(statement.argument) : concrete(undefined);
          return [{ terminal: "return", state: s, returnsData: returnsData(value), value }];
        });
      case "ThrowStatement":
        return [{ terminal: "throw", state, returnsData: false }];
      case "IfStatement": {
        const condition = this.evalCondition(state, statement.test);
        if ("ended" in condition) return condition.ended;
        const { value: test, after } = condition;
        const decided = this.exploresBoth(test) ? null : truthy(test);
        if (decided === null) {
          if (isTainted(test.t) && !this.exploresBoth(test)) return [{ terminal: "unknown", state: after, returnsData: false }];
          this.countPaths(1);
          const whenTrue = this.execStatement(statement.consequent, after);
          const whenFalse = statement.alternate ? this.execStatement(statement.alternate, after) : [{ terminal: "next" as const, state: after, returnsData: false }];
          return [...guardedBy(whenTrue, whenFalse), ...guardedBy(whenFalse, whenTrue)];
        }
        const branchState = isTainted(test.t) ? { ...after, taintedBranch: true } : after;
        const branch = decided ? statement.consequent : statement.alternate;
        if (!branch) return [{ terminal: "next", state: after, returnsData: false }];
        return this.execStatement(branch, branchState);
      }
      case "TryStatement": {
        const out: PathResult[] = [];
        for (const result of this.execStatement(statement.block, state)) {
          if (result.terminal === "throw" && statement.handler) out.push(...this.execStatement(statement.handler.body, result.state));
          else out.push(result);
        }
        return out;
      }
      case "SwitchStatement": {
        const condition = this.evalCondition(state, statement.discriminant);
        if ("ended" in condition) return condition.ended;
        const { value: discriminant, after } = condition;
        if (isTainted(discriminant.t) && !this.exploresBoth(discriminant)) return [{ terminal: "unknown", state: after, returnsData: false }];
        const out: PathResult[] = [];
        const hasDefault = statement.cases.some((c) => c.test === null);
        this.countPaths(statement.cases.length);
        for (let i = 0; i < statement.cases.length; i++) {
          const body = statement.cases.slice(i).flatMap((c) => c.consequent);
          for (const result of this.execSeq(body, 0, after)) {
            out.push(result.terminal === "break" ? { ...result, terminal: "next" } : result);
          }
        }
        if (!hasDefault) out.push({ terminal: "next", state: after, returnsData: false });
        return out;
      }
      case "BreakStatement":
        return [{ terminal: "break", state, returnsData: false }];
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "WhileStatement":
      case "DoWhileStatement": {
        // Loops are not run: the attacker-favourable path skips them. A loop that may exit or
        // throw on a secret-dependent value cannot be judged.
        if (containsExit(statement.body)) return [{ terminal: "unknown", state, returnsData: false }];
        const work = state.work || containsWork(statement.body);
        return [{ terminal: "next", state: { ...state, work }, returnsData: false }];
      }
      default:
        return [{ terminal: "next", state, returnsData: false }];
    }
  }

  // ---- expressions ---------------------------------------------------------------------

  private eval(node: Node): Val {
    this.tick();
    const n = unwrap(node);
    switch (n.type) {
      case "Literal":
        if (n.value === null || typeof n.value === "string" || typeof n.value === "number" || typeof n.value === "boolean") {
          return concrete(n.value);
        }
        return { a: { k: "object", trivial: true }, t: CLEAN };
      case "TemplateLiteral": {
        const parts = n.expressions.map((e) => this.eval(e));
        const t = joinTaint(...parts.map((p) => p.t));
        if (parts.every((p) => p.a.k === "c")) {
          let text = n.quasis[0]?.value.cooked ?? "";
          parts.forEach((p, i) => {
            text += String((p.a as { v: Concrete }).v) + (n.quasis[i + 1]?.value.cooked ?? "");
          });
          return concrete(text, t);
        }
        return unknownWith(t);
      }
      case "Identifier":
        return this.evalIdentifier(n);
      case "MemberExpression":
        return this.evalMember(n);
      case "UnaryExpression": {
        const arg = this.eval(n.argument);
        if (n.operator === "!") {
          const b = truthy(arg);
          return b === null ? unknownWith(arg.t) : concrete(!b, arg.t);
        }
        if (n.operator === "typeof") {
          if (arg.a.k === "c") return concrete(arg.a.v === null ? "object" : typeof arg.a.v, arg.t);
          if (arg.a.k === "fn") return concrete("function", arg.t);
          if (arg.a.k === "unknown" || arg.a.k === "ctx-value") return unknownWith(arg.t);
          return concrete("object", arg.t);
        }
        if (n.operator === "void") return concrete(undefined);
        return unknownWith(arg.t);
      }
      case "BinaryExpression":
        return this.evalBinary(n);
      case "LogicalExpression": {
        const left = this.eval(n.left);
        if (n.operator === "??") {
          if (left.a.k === "unknown") return unknownWith(joinTaint(left.t, this.eval(n.right).t));
          return isNullish(left) ? this.eval(n.right) : left;
        }
        const b = truthy(left);
        if (b === null) return unknownWith(joinTaint(left.t, this.eval(n.right).t));
        if (n.operator === "&&") return b ? this.eval(n.right) : left;
        return b ? left : this.eval(n.right);
      }
      case "ConditionalExpression": {
        const test = this.eval(n.test);
        const b = truthy(test);
        if (b === null) return unknownWith(joinTaint(test.t, this.eval(n.consequent).t, this.eval(n.alternate).t));
        return this.eval(b ? n.consequent : n.alternate);
      }
      case "AwaitExpression":
        return this.eval(n.argument);
      case "CallExpression":
        return this.evalCall(n);
      case "NewExpression": {
        const name = calleeName(n);
        const args = this.evalArgs(n);
        if (name === "TextEncoder") return { a: { k: "encoder" }, t: CLEAN };
        // `new Webhook(secret)`: the object carries its secret.
        return { a: { k: "object", trivial: false }, t: joinTaint(...args.map((a) => a.t)) };
      }
      case "ArrayExpression": {
        const items: Val[] = [];
        for (const element of n.elements) {
          if (!element || element.type === "SpreadElement") return unknownWith(joinTaint(...items.map((i) => i.t)));
          items.push(this.eval(element));
        }
        return { a: { k: "array", items }, t: CLEAN };
      }
      case "ObjectExpression": {
        let trivial = true;
        let t = CLEAN;
        for (const prop of n.properties) {
          if (prop.type !== "Property") {
            trivial = false;
            continue;
          }
          const value = this.eval(prop.value);
          t = joinTaint(t, value.t);
          if (value.a.k !== "c" && !(value.a.k === "object" && value.a.trivial)) trivial = false;
        }
        return { a: { k: "object", trivial }, t };
      }
      case "ArrowFunctionExpression":
      case "FunctionExpression":
        return { a: { k: "fn", fn: n }, t: CLEAN };
      case "AssignmentExpression":
        return this.eval(n.right);
      case "SequenceExpression": {
        let last: Val = UNKNOWN;
        for (const e of n.expressions) last = this.eval(e);
        return last;
      }
      default:
        return UNKNOWN;
    }
  }

  private evalIdentifier(id: TSESTree.Identifier): Val {
    if (id.name === "undefined") return concrete(undefined);
    const binding = bindingOf(id);
    if (!binding) {
      const imported = this.file.imports.get(id.name);
      if (imported && isSecretLikeName(id.name, this.file.settings)) {
        // `import { INTERNAL_API_SECRET } from "./env"`: a secret the model cannot see.
        return { a: { k: "unknown" }, t: { env: new Set([OPAQUE_PREFIX + id.name]), args: NO_NAMES } };
      }
      return UNKNOWN;
    }
    switch (binding.kind) {
      case "parameter": {
        for (let i = this.frames.length - 1; i >= 0; i--) {
          const frame = this.frames[i]!;
          if (frame.fn !== binding.fn) continue;
          const param = frame.params[binding.index];
          if (!param) return concrete(undefined);
          return this.getPath(param, binding.path, binding.id);
        }
        return UNKNOWN;
      }
      case "function":
        return { a: { k: "fn", fn: binding.node }, t: CLEAN };
      case "variable": {
        if (!binding.init) return concrete(undefined);
        if (binding.declarationKind !== "const") return this.mutableValue(binding.declarator, binding.id);
        const value = this.valueOfDeclarator(binding.declarator);
        return this.getPath(value, binding.path, binding.id);
      }
      default:
        return UNKNOWN;
    }
  }

  /** A `let`/`var`: unknown, carrying the taint of everything ever assigned to it. */
  private mutableValue(declarator: TSESTree.VariableDeclarator, id: TSESTree.Identifier): Val {
    if (this.evaluating.has(declarator)) return UNKNOWN;
    this.evaluating.add(declarator);
    try {
      const taints: Taint[] = [];
      if (declarator.init) taints.push(this.evalQuiet(declarator.init).t);
      for (const value of assignedValues(declarator, id)) taints.push(this.evalQuiet(value).t);
      return unknownWith(joinTaint(...taints));
    } finally {
      this.evaluating.delete(declarator);
    }
  }

  /** Evaluates for taint only: throws and undecidable parts count as unknown. */
  private evalQuiet(node: Node): Val {
    const saved = this.state;
    this.state = copyState(saved);
    try {
      return this.eval(node);
    } catch (error) {
      if (error instanceof Thrown) return UNKNOWN;
      throw error;
    } finally {
      this.state = saved;
    }
  }

  private frameFor(node: Node): Frame | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i]!;
      if (contains(frame.fn, node)) return frame;
    }
    return null;
  }

  private valueOfDeclarator(declarator: TSESTree.VariableDeclarator): Val {
    const frame = this.frameFor(declarator);
    const memo = frame ? frame.memo : this.moduleMemo;
    const cached = memo.get(declarator);
    if (cached) return cached;
    if (this.evaluating.has(declarator) || !declarator.init) return UNKNOWN;
    this.evaluating.add(declarator);
    try {
      // A module-level constant or one in a function that is not running: evaluate without params.
      const value = this.eval(declarator.init);
      memo.set(declarator, value);
      return value;
    } finally {
      this.evaluating.delete(declarator);
    }
  }

  /** Follows a destructuring path from a value (`const { secret } = args`). */
  private getPath(value: Val, path: readonly string[], at: Node): Val {
    let current = value;
    for (const key of path) current = this.property(current, key, false, at);
    return current;
  }

  private property(object: Val, key: string | null, optional: boolean, at: Node): Val {
    switch (object.a.k) {
      case "env":
        if (key === null) return UNKNOWN;
        return this.envValue(key);
      case "args":
        if (key === null) return UNKNOWN;
        return this.argValue(key);
      case "ctx":
        return key === null ? UNKNOWN : { a: { k: "ctx-part", name: key }, t: CLEAN };
      case "ctx-part":
        return { a: { k: "ctx-part", name: object.a.name }, t: CLEAN };
      case "ctx-value":
        return { a: { k: "ctx-value" }, t: CLEAN };
      case "c": {
        const v = object.a.v;
        if (v === undefined || v === null) {
          if (optional || isOptionalChainLink(at)) return concrete(undefined);
          throw THROWN;
        }
        if (typeof v === "string" && key === "length") return concrete(v.length, object.t);
        return unknownWith(object.t);
      }
      case "array":
        if (key === "length") return concrete(object.a.items.length, joinTaint(...object.a.items.map((i) => i.t)));
        return unknownWith(joinTaint(...object.a.items.map((i) => i.t)));
      default:
        return unknownWith(object.t);
    }
  }

  private envValue(name: string): Val {
    if (!isSecretLikeName(name, this.file.settings)) return UNKNOWN;
    const t: Taint = { env: new Set([name]), args: NO_NAMES };
    if (this.scenario.env === "unset") return concrete(undefined, t);
    return concrete(SECRET_VALUE, t);
  }

  private argValue(name: string): Val {
    const t: Taint = { env: NO_NAMES, args: new Set([name]) };
    if (this.scenario.env === "discover") return concrete(`${WRONG_VALUE}:${name}`, t);
    if (name !== this.scenario.argName) return UNKNOWN;
    this.readArg = true;
    return concrete(this.scenario.argValue, t);
  }

  private evalMember(n: TSESTree.MemberExpression): Val {
    const read = envReadAt(this.file, n);
    if (read) return read.via === "Deno.env" ? UNKNOWN : this.envValue(read.name);
    const object = this.eval(n.object);
    let key: string | null = propertyName(n);
    if (key === null && n.computed) {
      const computed = this.eval(n.property);
      if (computed.a.k === "c" && typeof computed.a.v === "string") key = computed.a.v;
    }
    if (object.a.k === "unknown" && envObjectKind(this.file, n.object)) return key ? this.envValue(key) : UNKNOWN;
    return this.property(object, key, n.optional, n);
  }

  private evalBinary(n: TSESTree.BinaryExpression): Val {
    if (n.left.type === "PrivateIdentifier") return UNKNOWN;
    const left = this.eval(n.left);
    const right = this.eval(n.right);
    const t = joinTaint(left.t, right.t);
    if (isEqualityOperator(n.operator)) {
      this.recordComparison(n, left, right, n.left, n.right, false, false);
      const result = compareValues(left, right, n.operator);
      return result === null ? unknownWith(t) : concrete(result, t);
    }
    if (left.a.k === "c" && right.a.k === "c") {
      const a = left.a.v as never;
      const b = right.a.v as never;
      switch (n.operator) {
        case "<":
          return concrete(a < b, t);
        case ">":
          return concrete(a > b, t);
        case "<=":
          return concrete(a <= b, t);
        case ">=":
          return concrete(a >= b, t);
        case "+":
          return concrete((a as string) + (b as string), t);
        default:
          return unknownWith(t);
      }
    }
    return unknownWith(t);
  }

  private recordComparison(
    node: Node,
    a: Val,
    b: Val,
    aNode: Node | null,
    bNode: Node | null,
    opaque: boolean,
    constantTime: boolean,
  ): void {
    const t = joinTaint(a.t, b.t);
    if (t.env.size === 0 || t.args.size === 0) return;
    // One side must carry the secret and the other the argument (not `args.x === args.x`).
    const aEnvOnly = a.t.env.size > 0 && a.t.args.size === 0;
    const bEnvOnly = b.t.env.size > 0 && b.t.args.size === 0;
    if (!opaque && !aEnvOnly && !bEnvOnly && !(a.t.args.size > 0 && b.t.env.size > 0) && !(b.t.args.size > 0 && a.t.env.size > 0)) {
      return;
    }
    const secretOperand = aEnvOnly ? aNode : bEnvOnly ? bNode : null;
    this.state.compared = true;
    this.events.push({
      node,
      reportNode: this.inHandler ? node : (this.callRoot ?? node),
      inHandler: this.inHandler,
      env: t.env,
      args: t.args,
      secretOperand,
      opaque,
      constantTime,
    });
  }

  private evalArgs(call: TSESTree.CallExpression | TSESTree.NewExpression): Val[] {
    const values: Val[] = [];
    for (const arg of call.arguments) values.push(arg.type === "SpreadElement" ? unknownWith(this.eval(arg.argument).t) : this.eval(arg));
    return values;
  }

  private evalCall(call: TSESTree.CallExpression): Val {
    const callee = unwrap(call.callee);
    const name = calleeName(call);
    if (isLoggerCall(this.file, call)) {
      this.evalArgs(call);
      return UNKNOWN;
    }
    if (callee.type === "MemberExpression") {
      const path = memberPath(callee);
      if (path && path.length === 2 && path[0] === "Buffer" && path[1] === "from") {
        const [value] = this.evalArgs(call);
        if (!value || isNullish(value)) throw THROWN;
        return value.a.k === "c" ? concrete(String(value.a.v), value.t) : unknownWith(value.t);
      }
      if (isConstantTimeCompareCall(call)) return this.constantTimeCompare(call, this.evalArgs(call));
      if (path && BUILTIN_CALLEES.has(path[0]!) && !resolveName(path[0]!, call)) {
        return unknownWith(joinTaint(...this.evalArgs(call).map((a) => a.t)));
      }
      const object = this.eval(callee.object);
      return this.methodCall(call, object, name);
    }
    const args = this.evalArgs(call);
    if (callee.type === "Identifier") {
      if (callee.name === "String" && args[0]) return args[0].a.k === "c" ? concrete(String(args[0].a.v), args[0].t) : unknownWith(args[0].t);
      if (callee.name === "Boolean" && args[0]) {
        const b = truthy(args[0]);
        return b === null ? unknownWith(args[0].t) : concrete(b, args[0].t);
      }
      const helper = localFunctionOf(callee);
      if (helper && !contains(helper, call)) {
        if (isConstantTimeCompareCall(call) && bothStrings(args)) return this.constantTimeCompare(call, args);
        return this.callLocal(call, helper, args);
      }
      if (isConstantTimeCompareCall(call)) return this.constantTimeCompare(call, args);
      const fnValue = this.evalIdentifierQuiet(callee);
      if (fnValue.a.k === "fn") return this.callLocal(call, fnValue.a.fn, args);
      if (BUILTIN_CALLEES.has(callee.name)) return unknownWith(joinTaint(...args.map((a) => a.t)));
    }
    return this.opaqueCall(call, args);
  }

  private evalIdentifierQuiet(id: TSESTree.Identifier): Val {
    try {
      return this.evalIdentifier(id);
    } catch (error) {
      if (error instanceof Thrown) return UNKNOWN;
      throw error;
    }
  }

  /** A call the model cannot see into: work, and possibly an assertion on the secret. */
  private opaqueCall(call: TSESTree.CallExpression, args: Val[]): Val {
    const t = joinTaint(...args.map((a) => a.t));
    this.state.work = true;
    if (t.args.size > 0) {
      this.opaqueArgUses.push(call);
      this.state.opaque = true;
      if (t.env.size > 0) {
        const envArg = args.find((a) => a.t.env.size > 0) ?? args[0]!;
        const argArg = args.find((a) => a.t.args.size > 0) ?? args[0]!;
        this.recordComparison(call, envArg, argArg, null, null, true, false);
      }
    }
    return unknownWith(t);
  }

  private constantTimeCompare(call: TSESTree.CallExpression, args: Val[]): Val {
    const [a = UNKNOWN, b = UNKNOWN] = args;
    this.recordComparison(call, a, b, call.arguments[0] ?? null, call.arguments[1] ?? null, false, true);
    const t = joinTaint(a.t, b.t);
    if (a.a.k === "c" && b.a.k === "c" && typeof a.a.v === "string" && typeof b.a.v === "string") {
      // Node's `timingSafeEqual` throws on buffers of different lengths.
      if (calleeName(call) === "timingSafeEqual" && a.a.v.length !== b.a.v.length) throw THROWN;
      return concrete(a.a.v === b.a.v, t);
    }
    return unknownWith(t);
  }

  private methodCall(call: TSESTree.CallExpression, object: Val, name: string | null): Val {
    if (object.a.k === "ctx-part" || object.a.k === "ctx" || object.a.k === "ctx-value") {
      const args = this.evalArgs(call);
      if (name !== null && CTX_WORK_METHODS.has(name)) this.state.work = true;
      // `ctx.runMutation(internal.x.y, { secret: args.secret })`: the callee may check it.
      if (args.some((a) => a.t.args.size > 0) && (name === "runMutation" || name === "runAction" || name === "runQuery")) {
        this.opaqueArgUses.push(call);
      }
      return { a: { k: "ctx-value" }, t: CLEAN };
    }
    const args = this.evalArgs(call);
    if (object.a.k === "encoder" && name === "encode") {
      const [value] = args;
      if (!value || isNullish(value)) return concrete("", value?.t ?? CLEAN);
      return value.a.k === "c" ? concrete(String(value.a.v), value.t) : unknownWith(value.t);
    }
    if (object.a.k === "c" && typeof object.a.v === "string" && name) {
      const s = object.a.v;
      const t = joinTaint(object.t, ...args.map((a) => a.t));
      if (STRING_IDENTITY_METHODS.has(name)) return concrete(name === "toString" || name === "valueOf" || name === "normalize" ? s : s.trim(), object.t);
      if (name === "toLowerCase") return concrete(s.toLowerCase(), object.t);
      if (name === "toUpperCase") return concrete(s.toUpperCase(), object.t);
      const arg = args[0];
      if ((name === "startsWith" || name === "endsWith" || name === "includes") && arg?.a.k === "c" && typeof arg.a.v === "string") {
        this.recordComparison(call, object, arg, null, null, false, false);
        return concrete(s[name](arg.a.v), t);
      }
      return unknownWith(t);
    }
    if (object.a.k === "c" && (object.a.v === undefined || object.a.v === null)) {
      const callee = unwrap(call.callee);
      if (callee.type === "MemberExpression" && callee.optional) return concrete(undefined);
      throw THROWN;
    }
    if (object.a.k === "array" && name) return this.arrayMethod(call, object.a.items, name, args);
    if (object.a.k === "unknown" && !isTainted(object.t) && !args.some((a) => isTainted(a.t))) {
      // `stripe.customers.create(...)`, `fetch(...)`, `resend.emails.send(...)`.
      this.state.work = true;
      return UNKNOWN;
    }
    if (object.a.k === "unknown" && isTainted(object.t)) {
      const t = joinTaint(object.t, ...args.map((a) => a.t));
      if (name === "includes" || name === "has" || name === "some" || name === "find" || name === "indexOf") {
        this.recordComparison(call, object, args[0] ?? UNKNOWN, null, null, false, false);
      }
      return unknownWith(t);
    }
    return this.opaqueCall(call, [unknownWith(object.t), ...args]);
  }

  private arrayMethod(call: TSESTree.CallExpression, items: Val[], name: string, args: Val[]): Val {
    const t = joinTaint(...items.map((i) => i.t), ...args.map((a) => a.t));
    const callback = args[0];
    const apply = (item: Val): Val => {
      if (!callback) return UNKNOWN;
      const first = call.arguments[0];
      const isBoolean = first?.type === "Identifier" && first.name === "Boolean";
      if (isBoolean) {
        const b = truthy(item);
        return b === null ? unknownWith(item.t) : concrete(b, item.t);
      }
      if (callback.a.k === "fn") return this.callLocal(call, callback.a.fn, [item]);
      return unknownWith(joinTaint(item.t, callback.t));
    };
    switch (name) {
      case "filter": {
        const kept: Val[] = [];
        for (const item of items) {
          const b = truthy(apply(item));
          if (b === null) return unknownWith(t);
          if (b) kept.push(item);
        }
        return { a: { k: "array", items: kept }, t: CLEAN };
      }
      case "includes":
      case "indexOf": {
        const target = args[0] ?? concrete(undefined);
        let found: boolean | null = false;
        for (const item of items) {
          this.recordComparison(call, item, target, null, null, false, false);
          const eq = compareValues(item, target, "===");
          if (eq === null) found = null;
          else if (eq && found !== null) found = true;
        }
        if (found === null) return unknownWith(t);
        return name === "includes" ? concrete(found, t) : concrete(found ? 0 : -1, t);
      }
      case "some":
      case "every":
      case "find": {
        let result: boolean | null = name === "every";
        for (const item of items) {
          const b = truthy(apply(item));
          if (b === null) {
            result = null;
            break;
          }
          if (name === "every" ? !b : b) {
            result = name !== "every";
            if (name === "find") return item;
            break;
          }
        }
        if (result === null) return unknownWith(t);
        if (name === "find") return concrete(undefined, t);
        return concrete(result, t);
      }
      case "map":
        return { a: { k: "array", items: items.map(apply) }, t: CLEAN };
      default:
        return unknownWith(t);
    }
  }

  /** Runs a same-file helper (or callback) with the given argument values. */
  private callLocal(call: TSESTree.CallExpression, helper: FunctionNode, args: Val[]): Val {
    if (this.frames.length > MAX_CALL_DEPTH || this.frames.some((f) => f.fn === helper)) {
      return this.opaqueCall(call, args);
    }
    const frame: Frame = { fn: helper, params: args, memo: new Map() };
    const rootBefore = this.callRoot;
    if (this.inHandler) this.callRoot = call;
    this.frames.push(frame);
    const outer = this.state;
    let result: Val;
    let pure: boolean;
    try {
      const results = this.execBody(helper, copyState(outer, false));
      if (results.some((r) => r.terminal === "unknown")) throw UNDECIDABLE;
      const normal = results.filter((r) => r.terminal !== "throw");
      if (normal.length === 0) throw THROWN;
      pure = !normal.some((r) => r.state.work);
      if (!pure) outer.work = true;
      if (results.some((r) => r.state.compared)) outer.compared = true;
      result = returnValue(normal);
    } finally {
      this.frames.pop();
      this.callRoot = rootBefore;
      this.state = outer;
    }
    return pure ? this.comparisonSummary(call, args, result) : result;
  }

  /**
   * A pure helper that mixes the secret and the argument into a result the model cannot compute
   * (`let diff = 0; for (...) diff |= a.charCodeAt(i) ^ b.charCodeAt(i); return diff === 0`)
   * compares them: given two strings, its result is their equality.
   */
  private comparisonSummary(call: TSESTree.CallExpression, args: Val[], result: Val): Val {
    if (result.a.k !== "unknown" || result.t.env.size === 0 || result.t.args.size === 0) return result;
    const isString = (a: Val) => a.a.k === "c" && typeof a.a.v === "string";
    const secretIndex = args.findIndex((a) => isString(a) && a.t.env.size > 0 && a.t.args.size === 0);
    const argIndex = args.findIndex((a) => isString(a) && a.t.args.size > 0 && a.t.env.size === 0);
    if (secretIndex === -1 || argIndex === -1) return result;
    const secret = args[secretIndex]!;
    const arg = args[argIndex]!;
    this.recordComparison(call, secret, arg, call.arguments[secretIndex] ?? null, call.arguments[argIndex] ?? null, false, true);
    return concrete((secret.a as { v: Concrete }).v === (arg.a as { v: Concrete }).v, result.t);
  }

}

/**
 * `side`'s paths that go on past an `if` whose `other` side rejects (throws or returns) without
 * having compared the secret: a check the model cannot judge stands on them.
 */
function guardedBy(side: PathResult[], other: PathResult[]): PathResult[] {
  if (!other.some((r) => (r.terminal === "throw" || r.terminal === "return") && !r.state.compared)) return side;
  return side.map((r) => (r.terminal === "next" && !r.state.guarded ? { ...r, state: { ...r.state, guarded: true } } : r));
}

/**
 * A path that lets the call through without comparing the secret, past a check the model cannot
 * judge (another way in, such as the signed-in user): it says nothing about the secret check.
 */
function bypassesCheck(r: PathResult): boolean {
  return r.state.guarded && !r.state.compared;
}

/** A helper's return value: the common concrete value of its non-throwing paths, if there is one. */
function returnValue(normal: PathResult[]): Val {
  const values = normal.map((r) => r.value ?? concrete(undefined));
  const first = values[0]!;
  const t = joinTaint(...values.map((v) => v.t));
  if (values.length === 1) return first;
  if (first.a.k === "c" && values.every((v) => v.a.k === "c" && v.a.v === (first.a as { v: Concrete }).v)) return { a: first.a, t };
  return unknownWith(t);
}

function returnsData(value: Val): boolean {
  switch (value.a.k) {
    case "c":
      return false;
    case "object":
      return !value.a.trivial;
    default:
      return true;
  }
}

function bothStrings(args: Val[]): boolean {
  return args.length >= 2 && args.slice(0, 2).every((a) => a.a.k === "c" && typeof a.a.v === "string");
}

/** Values the model knows nothing about: what a Convex read returns may be `null`, a number or a string. */
function isOpaqueValue(val: Val): boolean {
  return val.a.k === "unknown" || val.a.k === "ctx-value";
}

function compareValues(a: Val, b: Val, operator: string): boolean | null {
  if (a.a.k !== "c" || b.a.k !== "c") {
    // An object is never loosely or strictly equal to a primitive.
    if ((a.a.k === "c" && !isOpaqueValue(b)) || (b.a.k === "c" && !isOpaqueValue(a))) {
      const equal = false;
      return operator === "===" || operator === "==" ? equal : !equal;
    }
    return null;
  }
  const x = a.a.v;
  const y = b.a.v;
  switch (operator) {
    case "===":
      return x === y;
    case "!==":
      return x !== y;
    case "==":
      return x == y;
    case "!=":
      return x != y;
    default:
      return null;
  }
}

/** `a?.b.c`: a member inside an optional chain whose earlier link short-circuits. */
function isOptionalChainLink(node: Node): boolean {
  let current: Node | undefined = node;
  while (current && (current.type === "MemberExpression" || current.type === "CallExpression")) {
    if (current.optional) return true;
    current = current.type === "MemberExpression" ? current.object : current.callee;
  }
  return false;
}

function enclosingScopeOf(node: Node): Node {
  let current = node.parent;
  while (current) {
    if (isFunction(current) || current.type === "Program") return current;
    current = current.parent;
  }
  return node;
}

const exitCache = new WeakMap<Node, boolean>();
const workCache = new WeakMap<Node, boolean>();

/** A `throw` or `return` of the enclosing function under `node`. Memoised: every scenario run asks of the same loop bodies. */
function containsExit(node: Node): boolean {
  let found = exitCache.get(node);
  if (found === undefined) {
    found = someNodeUnder(node, (n) => n.type === "ThrowStatement" || n.type === "ReturnStatement", true);
    exitCache.set(node, found);
  }
  return found;
}

/** A call or an `await` under `node` (memoised like {@link containsExit}). */
function containsWork(node: Node): boolean {
  let found = workCache.get(node);
  if (found === undefined) {
    found = someNodeUnder(node, (n) => n.type === "CallExpression" || n.type === "AwaitExpression", false);
    workCache.set(node, found);
  }
  return found;
}

/**
 * Some node of the subtree (`root` included, as {@link findAll} would find it) passes `test`. A
 * walk that stops at the first: the subtrees asked about are loop bodies, and findAll's shared
 * index lists all the file's nodes of a type the first time that type is asked for.
 */
function someNodeUnder(root: Node, test: (node: Node) => boolean, skipFunctions: boolean): boolean {
  let found = false;
  walk(
    root,
    (node) => {
      if (!found) found = test(node);
      return !found;
    },
    { skipFunctions },
  );
  return found;
}

const assignmentCache = new WeakMap<TSESTree.Identifier, Node[]>();

/** The values assigned to the variable declared at `id` in its scope (`diff |= ...`). Memoised: each read of it in each run asks. */
function assignedValues(declarator: TSESTree.VariableDeclarator, id: TSESTree.Identifier): Node[] {
  let values = assignmentCache.get(id);
  if (!values) {
    values = [];
    for (const node of findAll(enclosingScopeOf(declarator), ["AssignmentExpression"])) {
      if (node.left.type === "Identifier" && node.left.name === id.name) values.push(node.right);
    }
    assignmentCache.set(id, values);
  }
  return values;
}

// ---------------------------------------------------------------------------------------
// Shared-secret checks.

/** Marks secrets the model cannot read (an imported constant): compared, but not judged. */
const OPAQUE_PREFIX = "?";

export interface SecretComparison {
  /** The comparison (`args.secret !== expected`, `timingSafeEqual(...)`, `secrets.includes(...)`). */
  node: Node;
  /** Where to report: `node`, or the call in the handler that leads to it through a helper. */
  reportNode: Node;
  /** `node` sits in the handler itself, not in a helper. */
  inHandler: boolean;
  /** The argument compared (`secret` for `args.secret`). */
  argName: string;
  /** The secret env vars compared (empty when the secret comes from somewhere the model cannot read). */
  envNames: string[];
  /** The operand that holds the expected secret, for binary comparisons. */
  secretOperand: Node | null;
  /** An imported function received both the argument and the secret. */
  opaque: boolean;
  constantTime: boolean;
}

export type SecretCheckProblemKind =
  /** A wrong secret does not make the function throw (it returns quietly, or runs on). */
  | "no-throw-on-mismatch"
  /** The argument is optional/unvalidated and a call without it gets through. */
  | "optional-secret-arg"
  /** With the env var unset in the Convex deployment, the check lets callers through. */
  | "fails-open-when-unset";

/** How a check fails open when the env var is unset. */
export type FailOpenHow =
  /** `expected && args.secret !== expected`: the comparison is skipped. */
  | "skipped"
  /** `args.secret !== expected` with no secret sent: `undefined !== undefined` is false. */
  | "undefined"
  /** `args.secret != expected` with `null` sent: `null != undefined` is false. */
  | "null"
  /** `process.env.X ?? ""` and an empty secret sent. */
  | "empty";

export interface SecretCheckProblem {
  kind: SecretCheckProblemKind;
  comparison: SecretComparison;
  /** For `no-throw-on-mismatch`: the function returns without an error, or runs on. */
  effect: "returns" | "continues" | null;
  /** For `fails-open-when-unset`. */
  how: FailOpenHow | null;
  /** What callers may send for the compared argument. */
  shape: ArgShape;
}

export interface SecretCheck {
  /** Comparisons of an argument with a secret, found by running the handler. */
  comparisons: SecretComparison[];
  /** Calls that hand an argument to a function the model cannot see (it may check it). */
  opaqueArgUses: Node[];
  /** What is wrong with the check, judged on the first comparison the model can evaluate. */
  problem: SecretCheckProblem | null;
}

type Outcome = "through" | "silent" | "rejected" | "unknown";

function classify(results: PathResult[] | null): Outcome {
  if (!results) return "unknown";
  const completes = (r: PathResult) => r.terminal === "return" || r.terminal === "next" || r.terminal === "break";
  const through = (r: PathResult) => completes(r) && (r.state.work || (r.terminal === "return" && r.returnsData));
  if (results.some((r) => through(r) && !bypassesCheck(r))) return "through";
  if (results.some((r) => r.terminal === "unknown" || (through(r) && bypassesCheck(r)))) return "unknown";
  if (results.some((r) => completes(r) && r.state.taintedBranch)) return "silent";
  return "rejected";
}

/** The single value a helper returns on every normal path, or null when it throws, varies or cannot be judged. */
function helperReturn(results: PathResult[] | null): { value: Concrete } | null {
  if (!results || results.some((r) => r.terminal === "unknown" || r.terminal === "throw")) return null;
  let out: { value: Concrete } | null = null;
  for (const r of results) {
    const value = r.terminal === "return" ? (r.value ?? concrete(undefined)) : concrete(undefined);
    if (value.a.k !== "c") return null;
    if (out && out.value !== value.a.v) return null;
    out = { value: value.a.v };
  }
  return out;
}

function classifyGate(results: PathResult[] | null): Outcome {
  if (!results) return "unknown";
  const through = (r: PathResult) => r.terminal === "return" || r.terminal === "next";
  if (results.some((r) => through(r) && !bypassesCheck(r))) return "through";
  return results.some((r) => r.terminal === "unknown" || through(r)) ? "unknown" : "rejected";
}

function classifyHelper(results: PathResult[] | null, match: { value: Concrete }): Outcome {
  if (!results) return "unknown";
  let sawUnknown = false;
  for (const r of results) {
    if (r.terminal === "throw") continue;
    if (r.terminal === "unknown" || bypassesCheck(r)) {
      sawUnknown = true;
      continue;
    }
    const value = r.terminal === "return" ? (r.value ?? concrete(undefined)) : concrete(undefined);
    if (value.a.k !== "c") sawUnknown = true;
    else if (value.a.v === match.value) return "through";
  }
  return sawUnknown ? "unknown" : "rejected";
}

/**
 * True when `node` decides something: it lies in the test of an `if` (or of a ternary/loop), is
 * stored in a variable, or is what a predicate returns (`return provided === expected`).
 */
function inTestPosition(node: Node): boolean {
  let current: Node = node;
  while (current.parent) {
    const parent: Node = current.parent;
    if (isFunction(parent)) return parent.body === current;
    if (parent.type === "ReturnStatement") return true;
    if ((parent.type === "IfStatement" || parent.type === "ConditionalExpression" || parent.type === "WhileStatement") && parent.test === current) {
      return true;
    }
    if (parent.type.endsWith("Statement") || parent.type === "VariableDeclarator") return parent.type === "VariableDeclarator";
    current = parent;
  }
  return false;
}

const checkCache = new WeakMap<Node, SecretCheck>();

/** The file reads a secret-like env var somewhere (one walk per file, after a text test). */
export function fileReadsSecretEnv(file: FileContext): boolean {
  return file.memo("convex-auth:reads-secret-env", () => {
    if (!mayReadEnv(file)) return false;
    // Cheap text pass first: `env.NAME`, `env?.NAME`, `env["NAME"]`; destructuring, `Deno.env.get`
    // and user patterns fall back to walking the file.
    if (!/=\s*(?:process\.|import\.meta\.)?env\b|env\.get\(/.test(file.text) && !file.settings.secretNamePattern) {
      let secret = false;
      for (const match of file.text.matchAll(/\benv(?:\?\.|\.|\[\s*["'`])([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (isSecretLikeName(match[1]!, file.settings)) {
          secret = true;
          break;
        }
      }
      if (!secret) return false;
    }
    return envReads(file, file.program).some((r) => r.secretLike);
  });
}

/** Top-level `const`s whose initialiser reads a secret env var (`const SECRET = process.env.X`). */
function moduleSecretConstants(file: FileContext): ReadonlySet<string> {
  return file.memo("convex-auth:secret-constants", () => {
    const names = new Set<string>();
    if (!fileReadsSecretEnv(file)) return names;
    for (const statement of file.program.body) {
      const declaration = statement.type === "ExportNamedDeclaration" && statement.declaration ? statement.declaration : statement;
      if (declaration.type !== "VariableDeclaration") continue;
      for (const declarator of declaration.declarations) {
        const init = declarator.init ? unwrap(declarator.init) : null;
        if (!init || isFunction(init) || init.type === "ClassExpression") continue;
        if (!file.text.slice(declarator.range[0], declarator.range[1]).includes("env")) continue;
        if (envReads(file, declarator).some((r) => r.secretLike)) for (const name of boundNames(declarator.id)) names.add(name);
      }
    }
    return names;
  });
}

/** Some import has a secret-like name (`import { INTERNAL_API_SECRET } from "./env"`): asked for every function, answered once per file. */
function importsSecretLikeName(file: FileContext): boolean {
  return file.memo("convex-auth:imports-secret-name", () => {
    for (const name of file.imports.keys()) if (isSecretLikeName(name, file.settings)) return true;
    return false;
  });
}

/**
 * `fn` reads a secret env var, directly or through a module constant; with `throughCalls`, also
 * through the same-file functions it calls.
 */
function mayReadSecret(file: FileContext, fn: FunctionNode, throughCalls = true): boolean {
  if (!fileReadsSecretEnv(file)) return false;
  const constants = moduleSecretConstants(file);
  return (throughCalls ? reachableFunctions(file, fn) : [fn]).some((f) => {
    if (envReads(file, f).some((r) => r.secretLike)) return true;
    if (constants.size === 0) return false;
    let found = false;
    walk(f, (node) => {
      if (found) return false;
      if (node.type === "Identifier" && constants.has(node.name)) found = true;
      return !found;
    });
    return found;
  });
}

/** What a check compares and hands on, found by the discovery run: a {@link SecretCheck} before it is judged. */
type SecretDiscovery = Omit<SecretCheck, "problem">;

const discoveryCache = new WeakMap<Node, SecretDiscovery>();

function convexSubject(handler: FunctionNode, fn: ConvexFunction): CheckSubject {
  return { fn: handler, kind: "convex", params: [{ role: "ctx" }, { role: "args" }], shapeOf: (name) => convexArgShape(fn, name) };
}

/**
 * The comparisons and argument hand-offs of a Convex function ({@link convexSecretCheck} without
 * the judgement, which is most of the work): all that {@link convexGuard} needs.
 */
function convexSecretDiscovery(file: FileContext, fn: ConvexFunction): SecretDiscovery {
  const cached = discoveryCache.get(fn.node);
  if (cached) return cached;
  // Cheap precondition: something secret to compare (an env read, or a secret-like argument or import).
  const result =
    !fn.handler ||
    (!(fn.args ?? []).some((a) => isSecretLikeName(a.name, file.settings)) && !importsSecretLikeName(file) && !mayReadSecret(file, fn.handler))
      ? { comparisons: [], opaqueArgUses: [] }
      : discover(file, convexSubject(fn.handler, fn));
  discoveryCache.set(fn.node, result);
  return result;
}

/**
 * The shared-secret check of a Convex function: which arguments it compares with a secret, and
 * whether the check throws on a mismatch, rejects a missing argument and fails closed when the
 * env var is unset. Judged by running the handler on abstract scenarios.
 */
export function convexSecretCheck(file: FileContext, fn: ConvexFunction): SecretCheck {
  const cached = checkCache.get(fn.node);
  if (cached) return cached;
  const found = convexSecretDiscovery(file, fn);
  const problem = fn.handler ? problemOf(file, convexSubject(fn.handler, fn), found.comparisons) : null;
  const result: SecretCheck = { comparisons: found.comparisons, opaqueArgUses: found.opaqueArgUses, problem };
  checkCache.set(fn.node, result);
  return result;
}

/** The shared-secret check of any subject (see {@link convexSecretCheck}). */
export function secretCheckOf(file: FileContext, subject: CheckSubject): SecretCheck {
  const found = discover(file, subject);
  return { comparisons: found.comparisons, opaqueArgUses: found.opaqueArgUses, problem: problemOf(file, subject, found.comparisons) };
}

/** Runs the subject in discovery: every argument a distinct wrong string, the secrets set. */
function discover(file: FileContext, subject: CheckSubject): SecretDiscovery {
  const discovery = new Evaluator(file, subject, { env: "discover", argName: null, argValue: undefined });
  discovery.run();
  const comparisons: SecretComparison[] = [];
  const seen = new Set<string>();
  for (const event of discovery.events) {
    for (const argName of event.args) {
      const accepted =
        isSecretLikeName(argName, file.settings) || event.constantTime || event.opaque || !event.inHandler || inTestPosition(event.node);
      const key = `${event.node.range[0]}:${argName}`;
      if (!accepted || seen.has(key)) continue;
      seen.add(key);
      comparisons.push({
        node: event.node,
        reportNode: event.reportNode,
        inHandler: event.inHandler,
        argName,
        envNames: [...event.env].filter((n) => !n.startsWith(OPAQUE_PREFIX)),
        secretOperand: event.secretOperand,
        opaque: event.opaque,
        constantTime: event.constantTime,
      });
    }
  }
  return { comparisons, opaqueArgUses: discovery.opaqueArgUses };
}

/** What is wrong with the check, judged on the first comparison the model can evaluate. */
function problemOf(file: FileContext, subject: CheckSubject, comparisons: readonly SecretComparison[]): SecretCheckProblem | null {
  const primary = comparisons.find((c) => !c.opaque && c.envNames.length > 0) ?? null;
  return primary ? judge(file, subject, primary) : null;
}

function judge(file: FileContext, subject: CheckSubject, comparison: SecretComparison): SecretCheckProblem | null {
  const shape = subject.shapeOf(comparison.argName);
  if (shape.kind === "undeclared" || shape.kind === "unknown") return null;
  // The scenario's value of the argument only enters a run through reading it: a run that never
  // did (`if (!expected || ...) throw` with the secret unset) has the same results for every
  // value, so it is not run again for the others.
  const blind = new Map<ScenarioEnv, PathResult[] | null>();
  const evaluate = (env: "set" | "unset", argValue: Concrete): PathResult[] | null => {
    const known = blind.get(env);
    if (known !== undefined) return known;
    const evaluator = new Evaluator(file, subject, { env, argName: comparison.argName, argValue });
    const results = evaluator.run();
    if (!evaluator.readArg) blind.set(env, results);
    return results;
  };
  const matched = evaluate("set", SECRET_VALUE);
  let run: (env: "set" | "unset", argValue: Concrete) => Outcome;
  if (subject.kind === "convex") {
    run = (env, argValue) => classify(evaluate(env, argValue));
    if (classify(matched) !== "through") return null;
  } else if (subject.kind === "gate") {
    run = (env, argValue) => classifyGate(evaluate(env, argValue));
    if (classifyGate(matched) !== "through") return null;
  } else {
    // A helper protects its caller's work: it lets a call through when it returns normally, and
    // (for a predicate such as `isValidSecret`) with the value it returns for the right secret.
    // Only assertions (return nothing) and predicates (return true) are checks.
    const matchValue = helperReturn(matched);
    if (matchValue === null || (matchValue.value !== undefined && matchValue.value !== true)) return null;
    run = (env, argValue) => classifyHelper(evaluate(env, argValue), matchValue);
  }
  const problem = (kind: SecretCheckProblemKind, effect: "returns" | "continues" | null, how: FailOpenHow | null): SecretCheckProblem => ({
    kind,
    comparison,
    effect,
    how,
    shape,
  });
  const noThrow = (outcome: Outcome) => problem("no-throw-on-mismatch", outcome === "silent" ? "returns" : "continues", null);

  const wrong = run("set", WRONG_VALUE);
  if (wrong === "unknown") return null;
  if (wrong !== "rejected") return noThrow(wrong);
  if (shape.omittable) {
    const missing = run("set", undefined);
    if (missing === "through") return problem("optional-secret-arg", null, null);
    if (missing === "silent") return noThrow(missing);
  }
  for (const value of [...(shape.nullable ? [null] : []), ""]) {
    const outcome = run("set", value);
    if (outcome === "through" || outcome === "silent") return noThrow(outcome);
  }
  const unset: [Concrete, FailOpenHow][] = [
    [WRONG_VALUE, "skipped"],
    [undefined, "undefined"],
    ...(shape.nullable ? [[null, "null"] as [Concrete, FailOpenHow]] : []),
    ["", "empty"],
  ];
  for (const [value, how] of unset) {
    const outcome = run("unset", value);
    if (outcome === "through") return problem("fails-open-when-unset", null, how);
    if (outcome === "silent") return noThrow(outcome);
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Secrets read but never compared, and secret arguments never used.

export interface UncomparedSecretRead {
  read: EnvRead;
  name: string;
  /** The read (`process.env.X`), or the destructured property for `const { X } = process.env`. */
  node: Node;
}

type SecretUse = "compared" | "used" | "idle";

const USE_RANK: Record<SecretUse, number> = { idle: 0, used: 1, compared: 2 };

function strongest(a: SecretUse, b: SecretUse): SecretUse {
  return USE_RANK[a] >= USE_RANK[b] ? a : b;
}

function isTrivialOperand(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return true;
  if (n.type === "Identifier") return n.name === "undefined";
  if (n.type === "UnaryExpression") return n.operator === "typeof" || n.operator === "void";
  if (n.type === "TemplateLiteral") return n.expressions.length === 0;
  return false;
}

/** True when `id` is a read of a variable (not a declaration, property key or member name). */
function isReferenceIdentifier(id: TSESTree.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return false;
  switch (parent.type) {
    case "MemberExpression":
      return parent.object === id || parent.computed;
    case "Property":
      if (parent.key === id && !parent.computed) return parent.shorthand && parent.parent?.type === "ObjectExpression";
      return parent.value === id && parent.parent?.type === "ObjectExpression";
    case "VariableDeclarator":
      return parent.init === id;
    case "ImportSpecifier":
    case "ImportDefaultSpecifier":
    case "ImportNamespaceSpecifier":
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
    case "MethodDefinition":
    case "PropertyDefinition":
      return false;
    default:
      return !(isFunction(parent) && parent.params.includes(id));
  }
}

/** References to the variable declared at `id` (a declarator or parameter name), in `scope`. */
function referencesTo(id: TSESTree.Identifier, scope: Node): TSESTree.Identifier[] {
  const out: TSESTree.Identifier[] = [];
  for (const node of findAll(scope, ["Identifier"])) {
    if (node === id || node.name !== id.name || !isReferenceIdentifier(node)) continue;
    const binding = bindingOf(node);
    if (binding && binding.id === id) out.push(node);
  }
  return out;
}

/** How the value at `node` (a secret, or an alias of one) is used. */
function secretUseOf(file: FileContext, node: Node, depth: number): SecretUse {
  let current: Node = node;
  for (;;) {
    const parent: Node | undefined = current.parent;
    if (!parent) return "used";
    switch (parent.type) {
      case "TSAsExpression":
      case "TSNonNullExpression":
      case "TSSatisfiesExpression":
      case "TSTypeAssertion":
      case "ChainExpression":
      case "AwaitExpression":
      case "TemplateLiteral":
      case "ArrayExpression":
        current = parent;
        continue;
      case "MemberExpression": {
        if (parent.object !== current) return "used";
        const call = parent.parent;
        if (call?.type === "CallExpression" && call.callee === parent) {
          if (call.arguments.some((a) => a.type !== "SpreadElement" && !isTrivialOperand(a) && !isFunction(a))) return "compared";
          if (call.arguments.some((a) => isFunction(a))) return "compared";
          current = call;
          continue;
        }
        return propertyName(parent) === "length" ? "idle" : "used";
      }
      case "CallExpression":
      case "NewExpression": {
        if (parent.callee === current) return "used";
        if (isLoggerCall(file, parent)) return "idle";
        const name = calleeName(parent);
        if (parent.type === "NewExpression" && name && /Error$/.test(name)) return "idle";
        if (parent.type === "CallExpression" && isConstantTimeCompareCall(parent)) return "compared";
        if (name === "Boolean") return "idle";
        if (name === "String" || name === "encode" || (name === "from" && calleeSegments(parent.callee)[0] === "Buffer")) {
          current = parent;
          continue;
        }
        return "used";
      }
      case "LogicalExpression":
        if (parent.operator === "&&" && parent.left === current) return "idle";
        current = parent;
        continue;
      case "ConditionalExpression":
        if (parent.test === current) return "idle";
        current = parent;
        continue;
      case "UnaryExpression":
        return "idle";
      case "BinaryExpression": {
        if (isEqualityOperator(parent.operator)) {
          const other = parent.left === current ? parent.right : parent.left;
          return isTrivialOperand(other) ? "idle" : "compared";
        }
        if (parent.operator === "+") {
          current = parent;
          continue;
        }
        return "idle";
      }
      case "IfStatement":
      case "WhileStatement":
      case "ExpressionStatement":
      case "ThrowStatement":
        return "idle";
      case "VariableDeclarator": {
        if (parent.init !== current) return "used";
        if (parent.id.type !== "Identifier" || depth <= 0) return "used";
        let use: SecretUse = "idle";
        for (const ref of referencesTo(parent.id, enclosingScopeOf(parent))) use = strongest(use, secretUseOf(file, ref, depth - 1));
        return use;
      }
      default:
        return "used";
    }
  }
}

/** Outbound API credentials (`OPENAI_API_KEY`, `STRIPE_SECRET_KEY`): read to call a provider, not to check callers. */
const INBOUND_QUALIFIERS = new Set(["internal", "convex", "admin", "cron", "app", "server", "shared", "master", "service", "webhook", "api"]);
function isOutboundCredentialName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.length < 3) return false;
  const tail = tokens.slice(-2).join("_");
  if (!["api_key", "secret_key", "access_token", "auth_token", "private_key"].includes(tail)) return false;
  return !INBOUND_QUALIFIERS.has(tokens[0]!);
}

/** Module-level `const X = process.env.SECRET` (or `const { SECRET } = process.env`) referenced from `fns`. */
function moduleSecretReads(file: FileContext, fns: readonly FunctionNode[]): EnvRead[] {
  const out: EnvRead[] = [];
  const seen = new Set<Node>();
  for (const fn of fns) {
    for (const node of findAll(fn.body, ["Identifier"])) {
      if (!isReferenceIdentifier(node)) continue;
      const binding = bindingOf(node);
      if (binding?.kind !== "variable" || seen.has(binding.declarator)) continue;
      if (binding.declarator.parent?.parent?.type !== "Program" && binding.declarator.parent?.parent?.parent?.type !== "Program") continue;
      seen.add(binding.declarator);
      out.push(...envReads(file, binding.declarator).filter((r) => r.secretLike));
    }
  }
  return out;
}

function schedulesWork(fns: readonly FunctionNode[], file: FileContext): boolean {
  return fns.some((fn) =>
    findAll(fn, ["CallExpression"]).some((call) => {
      const found = convexCallAt(file, call);
      return found !== null && (found.op === "schedule" || found.op === "action");
    }),
  );
}

/**
 * Secret env vars the function (or a same-file helper it calls, or a module-level constant it
 * uses) reads but never compares with anything and never uses otherwise: read, maybe checked
 * for presence or logged, then ignored. Outbound API keys and functions that schedule an action
 * (which then uses the key) are left out.
 */
export function uncomparedSecretReads(file: FileContext, fn: ConvexFunction): UncomparedSecretRead[] {
  if (!fn.handler || !fileReadsSecretEnv(file)) return [];
  const fns = reachableFunctions(file, fn.handler);
  if (schedulesWork(fns, file)) return [];
  const reads = [...fns.flatMap((f) => envReads(file, f.body).filter((r) => r.secretLike)), ...moduleSecretReads(file, fns)];
  const byName = new Map<string, { read: EnvRead; use: SecretUse }>();
  for (const read of reads) {
    if (isOutboundCredentialName(read.name)) continue;
    let use: SecretUse;
    if (read.node.type === "Property") {
      // `const { SECRET } = process.env`
      const value = read.node.value;
      const scope = enclosingScopeOf(read.node);
      use =
        value.type === "Identifier"
          ? referencesTo(value, scope).reduce<SecretUse>((acc, ref) => strongest(acc, secretUseOf(file, ref, 3)), "idle")
          : "used";
    } else {
      use = secretUseOf(file, read.node, 3);
    }
    const previous = byName.get(read.name);
    if (!previous) byName.set(read.name, { read, use });
    else previous.use = strongest(previous.use, use);
  }
  const out: UncomparedSecretRead[] = [];
  for (const [name, { read, use }] of byName) {
    if (use === "idle") out.push({ read, name, node: read.node });
  }
  return out;
}

/**
 * Secret-like arguments the function declares but never uses (or only logs): the caller sends a
 * secret and nothing checks it. An argument handed on whole (`helper(ctx, args)`, `...args`)
 * counts as used.
 */
export function uncheckedSecretArgs(file: FileContext, fn: ConvexFunction): readonly ConvexArg[] {
  // Asked by convexGuard and again by the secret-check rule.
  return file.memoAt(fn.node, "convex-auth:unchecked-secret-args", () => findUncheckedSecretArgs(file, fn));
}

function findUncheckedSecretArgs(file: FileContext, fn: ConvexFunction): ConvexArg[] {
  if (!fn.handler || !fn.args) return [];
  const secretArgs = fn.args.filter((a) => isSecretLikeName(a.name, file.settings));
  if (secretArgs.length === 0) return [];
  const param = fn.handler.params[1];
  if (!param) return secretArgs;
  const used = new Set<string>();
  const usedOutsideLogs = (ref: Node): boolean => {
    let current: Node = ref;
    while (current.parent && current.parent !== fn.handler) {
      const parent: Node = current.parent;
      if ((parent.type === "CallExpression" || parent.type === "NewExpression") && parent.callee !== current && isLoggerCall(file, parent)) return false;
      current = parent;
    }
    return true;
  };
  const root = param.type === "AssignmentPattern" ? param.left : param;
  if (root.type === "Identifier") {
    for (const ref of referencesTo(root, fn.handler)) {
      const parent = ref.parent;
      if (parent?.type === "MemberExpression" && parent.object === ref) {
        const name = propertyName(parent);
        if (name === null) return [];
        if (usedOutsideLogs(parent)) used.add(name);
      } else if (usedOutsideLogs(ref)) {
        return [];
      }
    }
  } else if (root.type === "ObjectPattern") {
    for (const prop of root.properties) {
      if (prop.type === "RestElement") {
        if (prop.argument.type !== "Identifier" || referencesTo(prop.argument, fn.handler).some(usedOutsideLogs)) return [];
        continue;
      }
      const name = keyName(prop);
      if (name === null) return [];
      const value = prop.value.type === "AssignmentPattern" ? prop.value.left : prop.value;
      if (value.type !== "Identifier" || referencesTo(value, fn.handler).some(usedOutsideLogs)) used.add(name);
    }
  } else {
    return [];
  }
  return secretArgs.filter((a) => !used.has(a.name));
}

// ---------------------------------------------------------------------------------------
// Identity checks.

export type IdentityVia =
  /** `ctx.auth.getUserIdentity()` whose result is used. */
  | "get-user-identity"
  /** `getAuthUserId(ctx)` / `getAuthSessionId(ctx)` from `@convex-dev/auth/server`. */
  | "convex-auth"
  /** Better Auth's component: `authComponent.getAuthUser(ctx)`. */
  | "better-auth"
  /** A same-file helper that does one of the above (`getCurrentUserOrThrow(ctx)`). */
  | "helper"
  /** An imported helper named like an auth guard that receives `ctx` (`requireUser(ctx)`). */
  | "auth-helper"
  /** A convex-helpers builder (`customMutation(mutation, ...)`) that adds a check. */
  | "builder"
  /** A function named in the rule's `authFunctions` option. */
  | "option";

export interface IdentityCheck {
  via: IdentityVia;
  /** The call that checks (or the builder call). */
  node: Node;
}

const VERB_AUTH_HELPER =
  /^(?:require|ensure|assert|must|check|verify|validate|authorize|authenticate|protect|guard|enforce)(?:Is|Has|Get)?(?:Current|Authenticated|LoggedIn|SignedIn|Valid)?(?:User|Auth|Identity|Viewer|Session|Member|Admin|Owner|Role|Permission|Access|Org|Team|Workspace|Login|Staff|Account|Superuser|Moderator|Internal|Secret|Api|Signed|Logged)/;
const CURRENT_USER_GETTER = /^(?:get|fetch|load|find|read|use)?(?:Current|Authenticated|LoggedIn|SignedIn|Viewer|Auth(?![a-z]))/;
const SELF_GETTER = /^(?:get|fetch|load)(?:User|UserId|Me|Viewer|Identity|Account|Profile|Session)(?:OrThrow|OrNull|OrFail)?$/;
const AUTH_PREDICATE = /^is(?:Authenticated|Admin|LoggedIn|SignedIn|Owner|Member|Staff|Authorized)/;

/** True for names of imported helpers that check the caller (`requireUser`, `getCurrentUserOrThrow`). */
export function isAuthHelperName(name: string, argumentCount: number): boolean {
  if (/By[A-Z]/.test(name)) return false;
  if (VERB_AUTH_HELPER.test(name)) return true;
  if (CURRENT_USER_GETTER.test(name)) return true;
  if (AUTH_PREDICATE.test(name)) return true;
  return argumentCount === 1 && SELF_GETTER.test(name);
}

/** The value of `call` is used: assigned to a variable that is read, destructured, tested or passed on. */
function resultUsed(call: Node): boolean {
  let current: Node = call;
  while (
    current.parent &&
    (current.parent.type === "AwaitExpression" ||
      current.parent.type === "ChainExpression" ||
      current.parent.type === "TSNonNullExpression" ||
      current.parent.type === "TSAsExpression")
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (!parent || parent.type === "ExpressionStatement") return false;
  if (parent.type === "VariableDeclarator" && parent.init === current) {
    if (parent.id.type !== "Identifier") return true;
    return referencesTo(parent.id, enclosingScopeOf(parent)).length > 0;
  }
  return true;
}

function containsThrow(fn: FunctionNode): boolean {
  return findAll(fn, ["ThrowStatement"], { skipFunctions: true }).length > 0;
}

/** The builder adds nothing (`NoOp`) or only database triggers (`customCtx(triggers.wrapDB)`). */
export function builderAddsNoAuth(builder: TSESTree.CallExpression): boolean {
  const customization = builder.arguments[1];
  if (!customization) return true;
  const c = unwrap(customization);
  if (c.type === "Identifier" && c.name === "NoOp") return true;
  if (c.type === "CallExpression" && calleeName(c) === "customCtx") {
    const inner = c.arguments[0] ? memberPath(c.arguments[0]) : null;
    if (inner && /^wrapDB$|^wrapDatabase$/.test(inner[inner.length - 1] ?? "")) return true;
  }
  return false;
}

function ctxNamesOf(fn: FunctionNode, helper: boolean): Set<string> {
  const names = new Set<string>();
  const params = helper ? fn.params : fn.params.slice(0, 1);
  for (const param of params) {
    const p = param.type === "AssignmentPattern" ? param.left : param;
    if (p.type === "Identifier") names.add(p.name);
  }
  return names;
}

function passesCtx(call: TSESTree.CallExpression, ctxNames: ReadonlySet<string>): boolean {
  return call.arguments.some((arg) => {
    if (arg.type === "SpreadElement") return false;
    const path = memberPath(arg);
    if (path && ctxNames.has(path[0]!)) return true;
    const n = unwrap(arg);
    return n.type === "ObjectExpression" && n.properties.some((p) => p.type === "Property" && memberPath(p.value)?.[0] !== undefined && ctxNames.has(memberPath(p.value)![0]!));
  });
}

function identityIn(
  file: FileContext,
  fn: FunctionNode,
  depth: number,
  extra: ReadonlySet<string>,
  seen: Set<Node>,
): IdentityCheck | null {
  const ctxNames = ctxNamesOf(fn, depth > 0);
  for (const call of findAll(fn.body, ["CallExpression"])) {
    const name = calleeName(call);
    if (!name) continue;
    const callee = unwrap(call.callee);
    const segments = calleeSegments(call.callee);
    if (extra.has(name)) return { via: "option", node: call };
    if (name === "getUserIdentity" && segments.includes("auth")) {
      if (resultUsed(call)) return { via: "get-user-identity", node: call };
      continue;
    }
    if ((name === "getAuthUserId" || name === "getAuthSessionId") && callee.type === "Identifier") {
      const source = file.imports.get(name)?.source;
      if ((source === undefined || source.startsWith("@convex-dev/auth")) && resultUsed(call)) return { via: "convex-auth", node: call };
      continue;
    }
    if (callee.type === "MemberExpression" && /^(?:getAuthUser|safeGetAuthUser|getAuthUserId|getAuthUserIdentity|getSession)$/.test(name)) {
      if (/auth/i.test(segments[0] ?? "") && resultUsed(call)) return { via: "better-auth", node: call };
    }
    if (callee.type === "Identifier") {
      const helper = localFunctionOf(callee);
      if (helper) {
        if (depth < 2 && !seen.has(helper) && !contains(helper, call)) {
          seen.add(helper);
          const inner = identityIn(file, helper, depth + 1, extra, seen);
          if (inner && (resultUsed(call) || containsThrow(helper))) return { via: "helper", node: call };
        }
        continue;
      }
    }
    if (passesCtx(call, ctxNames) && isAuthHelperName(name, call.arguments.length)) {
      const predicate = AUTH_PREDICATE.test(name) || CURRENT_USER_GETTER.test(name) || SELF_GETTER.test(name);
      if (!predicate || resultUsed(call)) return { via: "auth-helper", node: call };
    }
  }
  return null;
}

/**
 * How the function authenticates its caller, or null: a builder that adds auth, an identity
 * lookup whose result is used, or a helper that does one. `extraAuthFunctions` adds names.
 */
export function convexIdentityCheck(
  file: FileContext,
  fn: ConvexFunction,
  extraAuthFunctions: ReadonlySet<string> = NO_NAMES,
): IdentityCheck | null {
  if (fn.builder && !builderAddsNoAuth(fn.builder)) return { via: "builder", node: fn.builder };
  if (!fn.handler) return null;
  return identityIn(file, fn.handler, 0, extraAuthFunctions, new Set([fn.handler]));
}

export interface ConvexGuard {
  identity: IdentityCheck | null;
  /** The first comparison of an argument with a secret (whatever its quality; see {@link convexSecretCheck}). */
  secret: SecretComparison | null;
  /** A secret-like argument is handed to a function the model cannot see, which may check it. */
  opaqueSecretCheck: Node | null;
  /**
   * A secret-like argument the handler uses (an API key or session token it looks up, an invite
   * token): a credential check the model does not judge.
   */
  credentialArg: ConvexArg | null;
}

/** Identity and shared-secret guards of a Convex function. */
export function convexGuard(file: FileContext, fn: ConvexFunction, extraAuthFunctions?: ReadonlySet<string>): ConvexGuard {
  const identity = convexIdentityCheck(file, fn, extraAuthFunctions);
  const check = convexSecretDiscovery(file, fn);
  const secretArgNames = new Set((fn.args ?? []).filter((a) => isSecretLikeName(a.name, file.settings)).map((a) => a.name));
  const opaque =
    check.opaqueArgUses.find((call) =>
      findAll(call, ["MemberExpression", "Identifier"]).some((n) => {
        const name = n.type === "MemberExpression" ? propertyName(n) : n.name;
        return name !== null && (secretArgNames.has(name) || isSecretLikeName(name, file.settings));
      }),
    ) ?? null;
  const unchecked = new Set(uncheckedSecretArgs(file, fn));
  const credentialArg = (fn.args ?? []).find((a) => secretArgNames.has(a.name) && !unchecked.has(a)) ?? null;
  return { identity, secret: check.comparisons[0] ?? null, opaqueSecretCheck: opaque, credentialArg };
}

// ---------------------------------------------------------------------------------------
// Billing and identity state.

export type BillingChangeKind =
  /** Writes a billing or role field (`plan`, `credits`, `stripeCustomerId`, `role`). */
  | "field"
  /** Inserts into (or deletes from) a billing table (`subscriptions`, `payments`, `processed_events`). */
  | "table"
  /** Runs or schedules an internal billing function (`internal.billing.grantCredits`). */
  | "internal-call"
  /** Takes a provider or event id as an argument (`stripeCustomerId`, `eventId` in a billing module). */
  | "provider-id";

export interface BillingStateChange {
  kind: BillingChangeKind;
  /** The field, table, function path or argument name. */
  name: string;
  node: Node;
}

export interface BillingOptions {
  /** Extra field names that hold billing or role state. */
  billingFields?: ReadonlySet<string>;
}

const ENTITLEMENT_TOKENS = new Set([
  "credit",
  "credits",
  "tier",
  "premium",
  "pro",
  "paid",
  "billing",
  "entitlement",
  "entitlements",
  "quota",
  "seats",
  "license",
  "lifetime",
  "trial",
  "vip",
  "upgraded",
  "refunded",
  "refund",
  "invoice",
  "payment",
  "payments",
]);
const PROVIDER_TOKENS = new Set(["stripe", "polar", "lemon", "lemonsqueezy", "paddle", "clerk", "svix", "revenuecat", "paypal", "razorpay", "creem"]);
const NON_BILLING_SUBSCRIPTION = new Set(["push", "newsletter", "email", "notification", "notifications", "web", "topic", "channel"]);
const PLAN_SUFFIX = new Set(["id", "type", "tier", "name", "key", "slug", "status", "interval", "level"]);
const PLAN_PREFIX = new Set(["current", "subscription", "billing", "pricing", "paid", "user", "account", "active", "selected"]);
const ROLE_LAST = new Set(["role", "roles", "admin", "superuser", "superadmin", "permission", "permissions", "moderator", "staff"]);
const CHAT_KEYS = new Set(["content", "text", "message", "body", "parts", "model"]);
const BILLING_ID_TOKENS = new Set(["subscription", "invoice", "checkout", "charge", "payment", "webhook"]);
const MODULE_BILLING_ID_TOKENS = new Set(["customer", "event", "price", "session", "product", "order", "transaction"]);

/** True for field names that hold billing, entitlement or role state. */
export function isBillingFieldName(name: string, options: { siblings?: readonly string[]; billingModule?: boolean; billingFields?: ReadonlySet<string> } = {}): boolean {
  if (options.billingFields?.has(name)) return true;
  const tokens = nameTokens(name);
  if (tokens.length === 0) return false;
  const last = tokens[tokens.length - 1]!;
  if (tokens.some((t) => ENTITLEMENT_TOKENS.has(t))) return true;
  if (tokens.length > 1 && tokens.some((t) => PROVIDER_TOKENS.has(t))) return true;
  if (tokens.some((t) => t === "subscription" || t === "subscriptions") && tokens.length > 1 && !tokens.some((t) => NON_BILLING_SUBSCRIPTION.has(t))) {
    return true;
  }
  const plan = tokens.indexOf("plan");
  if (plan !== -1) {
    if (tokens.length === 1) return true;
    if (tokens.length === 2 && ((plan === 0 && PLAN_SUFFIX.has(tokens[1]!)) || (plan === 1 && PLAN_PREFIX.has(tokens[0]!)))) return true;
  }
  if (tokens.includes("period") && (tokens.includes("end") || tokens.includes("start"))) return true;
  if (options.billingModule && (tokens.includes("customer") || tokens.includes("price")) && last === "id") return true;
  if (ROLE_LAST.has(last)) return !(options.siblings ?? []).some((s) => CHAT_KEYS.has(s));
  return false;
}

/** True for field names that hold a role or permission (`role`, `isAdmin`, `permissions`), not billing state. */
export function isRoleFieldName(name: string): boolean {
  const tokens = nameTokens(name);
  return tokens.length > 0 && ROLE_LAST.has(tokens[tokens.length - 1]!);
}

/** True for tables that hold billing state or processed provider events. */
export function isBillingTableName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.some((t) => t === "subscription" || t === "subscriptions")) return !tokens.some((t) => NON_BILLING_SUBSCRIPTION.has(t));
  if (tokens.some((t) => /^(?:payments?|purchases?|invoices?|credits?|entitlements?|licenses?|billing|refunds?)$/.test(t))) return true;
  if (tokens.some((t) => t === "event" || t === "events")) {
    return tokens.some((t) => /^(?:processed|webhooks?|stripe|polar|billing|provider|payments?|clerk|svix)$/.test(t));
  }
  return false;
}

/** True for argument names that carry a provider or webhook event id (`stripeCustomerId`, `clerkUserId`). */
export function isProviderIdArgName(name: string, billingModule: boolean): boolean {
  const tokens = nameTokens(name);
  const last = tokens[tokens.length - 1];
  if (last !== "id" && last !== "ids") return false;
  if (tokens.some((t) => PROVIDER_TOKENS.has(t))) return true;
  if (tokens.some((t) => BILLING_ID_TOKENS.has(t))) return true;
  return billingModule && tokens.some((t) => MODULE_BILLING_ID_TOKENS.has(t));
}

const BILLING_PATH_TOKENS = new Set([
  "billing",
  "stripe",
  "polar",
  "lemonsqueezy",
  "paddle",
  "subscription",
  "subscriptions",
  "payment",
  "payments",
  "credit",
  "credits",
  "checkout",
  "webhook",
  "webhooks",
  "entitlement",
  "entitlements",
  "premium",
  "upgrade",
  "downgrade",
  "fulfill",
  "fulfillment",
  "purchase",
  "purchases",
  "invoice",
  "invoices",
  "tier",
  "plan",
  "plans",
  "refund",
]);

interface FieldRef {
  name: string;
  node: Node;
}

/** Fields written by a `ctx.db` value argument: object keys, spreads of args, `const` objects, `v.object` args. */
function writtenFields(fn: ConvexFunction, value: Node | undefined, depth = 3): FieldRef[] {
  if (!value || depth < 0) return [];
  const n = unwrap(value);
  if (n.type === "ObjectExpression") {
    const out: FieldRef[] = [];
    for (const prop of n.properties) {
      if (prop.type === "SpreadElement") out.push(...writtenFields(fn, prop.argument, depth - 1));
      else {
        const name = keyName(prop);
        if (name !== null) out.push({ name, node: prop.key });
      }
    }
    return out;
  }
  if (n.type === "Identifier") {
    const binding = bindingOf(n);
    if (!binding) return [];
    if (binding.kind === "parameter" && binding.fn === fn.handler && binding.index === 1 && binding.path.length <= 1) {
      if (binding.path.length === 0) return (fn.args ?? []).map((a) => ({ name: a.name, node: a.property.key }));
      return objectValidatorFields(fn, binding.path[0]!);
    }
    if (binding.kind === "variable" && binding.init) {
      if (binding.path.length === 0) return writtenFields(fn, binding.init, depth - 1);
      return [];
    }
    return [];
  }
  if (n.type === "MemberExpression") {
    const path = memberPath(n);
    if (path && path.length === 2) {
      const root = resolveName(path[0]!, n);
      if (root?.kind === "parameter" && root.fn === fn.handler && root.index === 1 && root.path.length === 0) return objectValidatorFields(fn, path[1]!);
    }
  }
  return [];
}

/** `args: { updates: v.object({ plan: ..., credits: ... }) }` -> plan, credits. */
function objectValidatorFields(fn: ConvexFunction, argName: string): FieldRef[] {
  const arg = fn.args?.find((a) => a.name === argName);
  if (!arg) return [];
  let validator = unwrap(arg.validator);
  if (validator.type === "CallExpression" && calleeName(validator) === "optional" && validator.arguments[0]) validator = unwrap(validator.arguments[0]);
  if (validator.type !== "CallExpression" || calleeName(validator) !== "object") return [];
  const shape = validator.arguments[0] ? unwrap(validator.arguments[0]) : null;
  if (shape?.type !== "ObjectExpression") return [];
  const out: FieldRef[] = [];
  for (const prop of shape.properties) {
    if (prop.type !== "Property") continue;
    const name = keyName(prop);
    if (name !== null) out.push({ name, node: prop.key });
  }
  return out;
}

const WRITE_METHODS = new Set(["insert", "patch", "replace", "delete"]);

interface DbWriteCall {
  call: TSESTree.CallExpression;
  method: string;
  table: string | null;
  value: Node | undefined;
}

function dbWriteOf(call: TSESTree.CallExpression): DbWriteCall | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (!method || !WRITE_METHODS.has(method)) return null;
  const segments = calleeSegments(callee);
  if (segments[segments.length - 2] !== "db") return null;
  const args = call.arguments.filter((a): a is TSESTree.Expression => a.type !== "SpreadElement");
  const first = args[0] ? staticString(args[0]) : null;
  switch (method) {
    case "insert":
      return { call, method, table: first, value: args[1] };
    case "delete":
      return { call, method, table: args.length >= 2 ? first : null, value: undefined };
    default:
      return args.length >= 3 ? { call, method, table: first, value: args[2] } : { call, method, table: null, value: args[1] };
  }
}

/**
 * What billing or identity state a mutation changes, in source order: billing fields it writes
 * (in the handler and in same-file helpers it calls), billing tables it inserts into, internal
 * billing functions it runs, and provider ids it takes (when it writes anything).
 */
export function billingStateChanges(file: FileContext, fn: ConvexFunction, options: BillingOptions = {}): readonly BillingStateChange[] {
  if (options.billingFields && options.billingFields.size > 0) return findBillingStateChanges(file, fn, options);
  // Without extra fields the answer is shared: the unguarded-mutation rule and identity's
  // writesBillingState both ask it of the same functions.
  return file.memoAt(fn.node, "convex-auth:billing-changes", () => findBillingStateChanges(file, fn, {}));
}

function findBillingStateChanges(file: FileContext, fn: ConvexFunction, options: BillingOptions): BillingStateChange[] {
  if (!fn.handler) return [];
  const billingModule = isBillingModule(file);
  const out: BillingStateChange[] = [];
  let writes = false;
  for (const body of reachableFunctions(file, fn.handler)) {
    for (const call of findAll(body, ["CallExpression"])) {
      const write = dbWriteOf(call);
      if (write) {
        writes = true;
        if (write.table && write.method !== "patch" && write.method !== "replace" && isBillingTableName(write.table)) {
          out.push({ kind: "table", name: write.table, node: call });
        }
        const fields = writtenFields(fn, write.value);
        const siblings = fields.map((f) => f.name);
        const chatTable = write.table !== null && /message|chat|conversation|thread/i.test(write.table);
        for (const field of fields) {
          const billing = isBillingFieldName(field.name, { siblings: chatTable ? [...siblings, "content"] : siblings, billingModule, billingFields: options.billingFields });
          if (billing) out.push({ kind: "field", name: field.name, node: field.node });
        }
        continue;
      }
      const convexCall = convexCallAt(file, call);
      if (convexCall && convexCall.op !== "query") {
        writes = true;
        const ref = convexCall.ref;
        if (ref && ref.visibility === "internal" && ref.path.some((segment) => nameTokens(segment).some((t) => BILLING_PATH_TOKENS.has(t)))) {
          out.push({ kind: "internal-call", name: `internal.${ref.path.join(".")}`, node: call });
        }
      }
    }
  }
  if (writes) {
    for (const name of argumentNames(fn)) {
      if (isProviderIdArgName(name.name, billingModule)) out.push({ kind: "provider-id", name: name.name, node: name.node });
    }
  }
  return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

function argumentNames(fn: ConvexFunction): FieldRef[] {
  if (fn.args) return fn.args.map((a) => ({ name: a.name, node: a.property.key }));
  const param = fn.handler?.params[1];
  if (param?.type !== "ObjectPattern") return [];
  const out: FieldRef[] = [];
  for (const prop of param.properties) {
    if (prop.type !== "Property") continue;
    const name = keyName(prop);
    if (name !== null) out.push({ name, node: prop.key });
  }
  return out;
}

/**
 * Cheap precondition: the text calls a public registrar of one of `kinds` (`mutation(`,
 * `mutationGeneric(`, a builder such as `authedMutation(`), so {@link publicConvexFunctions} can
 * find something.
 */
export function callsPublicRegistrar(file: FileContext, kinds: readonly ConvexKind[]): boolean {
  const names: string[] = [];
  for (const [name, registrar] of convexRegistrars(file)) {
    if (registrar.visibility === "public" && kinds.includes(registrar.kind)) names.push(name);
  }
  if (isConvexFolderFile(file)) {
    for (const kind of kinds) if (kind !== "httpAction" && !file.imports.has(kind)) names.push(kind);
  }
  return names.some((name) => callsName(file.text, name));
}

/** What may follow a registrar's name in a call: `mutation(`, `mutation<DataModel>(`. */
const CALL_OPENING = /\s*(?:<[^>]*>\s*)?\(/y;

/**
 * `text` calls `name` (not `x.name(` or `myname(`). Found with `indexOf` and checked around each
 * hit: a regex of the names built for each file (they differ by file) is compiled for each file,
 * which costs several times more than the search.
 */
function callsName(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    if (at > 0 && /[\w$.]/.test(text[at - 1]!)) continue;
    CALL_OPENING.lastIndex = at + name.length;
    if (CALL_OPENING.test(text)) return true;
  }
  return false;
}

/** Exported public Convex functions of the file (what the deployment URL exposes). */
export function publicConvexFunctions(file: FileContext): ConvexFunction[] {
  return convexFunctions(file).filter((fn) => fn.visibility === "public" && fn.kind !== "httpAction" && isExportedConvexFunction(fn));
}

export interface FailClosedRewrite {
  /** The `if` test to replace: the comparison itself, or `expected && <comparison>`. */
  test: Node;
  /** The operand holding the expected secret (`expected`, `process.env.X`). */
  secret: Node;
  comparison: Node;
}

function throwsDirectly(statement: TSESTree.Statement): boolean {
  if (statement.type === "ThrowStatement") return true;
  return statement.type === "BlockStatement" && statement.body.some((s) => s.type === "ThrowStatement");
}

/**
 * How to make a fail-open check fail closed by rewriting its `if` test to
 * `!expected || <comparison>`, when the shape is simple enough to do it mechanically:
 * `if (args.secret !== expected) throw` or `if (expected && args.secret !== expected) throw`.
 */
export function failClosedRewrite(comparison: SecretComparison): FailClosedRewrite | null {
  const node = comparison.node;
  if (!comparison.inHandler || node.type !== "BinaryExpression" || (node.operator !== "!==" && node.operator !== "!=")) return null;
  const secret = comparison.secretOperand;
  const secretPath = secret ? memberPath(secret) : null;
  if (!secret || !secretPath) return null;
  let test: Node = node;
  const parent = node.parent;
  if (parent?.type === "LogicalExpression" && parent.operator === "&&" && parent.right === node) {
    if (memberPath(parent.left)?.join(".") !== secretPath.join(".")) return null;
    test = parent;
  }
  const statement = test.parent;
  if (statement?.type !== "IfStatement" || statement.test !== test || !throwsDirectly(statement.consequent)) return null;
  return { test, secret, comparison: node };
}

// ---------------------------------------------------------------------------------------
// Checks that guard many functions: builder `input`s and exported check helpers.

export interface SharedSecretCheck {
  /** The builder variable or helper name, for messages. */
  name: string;
  /** The builder call or the helper function. */
  node: Node;
  subject: CheckSubject;
  check: SecretCheck;
}

/**
 * Secret checks in convex-helpers builders: `customMutation(mutation, { args: { apiToken:
 * v.string() }, input: async (ctx, args) => { ...check...; return { ctx: {}, args: {} } } })`.
 * Every function registered through the builder runs the check, so it is judged once, here.
 */
export function builderSecretChecks(file: FileContext): SharedSecretCheck[] {
  return file.memo("convex-auth:builder-checks", () => {
    // Builders first: most modules have none, and the secret question can walk the whole file.
    if (convexBuilders(file).size === 0 || !fileReadsSecretEnv(file)) return [];
    const out: SharedSecretCheck[] = [];
    const seen = new Set<Node>();
    for (const [name, builder] of convexBuilders(file)) {
      if (seen.has(builder)) continue;
      seen.add(builder);
      const customization = builder.arguments[1] ? unwrap(builder.arguments[1]) : null;
      if (customization?.type !== "ObjectExpression") continue;
      const props = objectProperties(customization);
      const input = props.get("input");
      const fn = input && isFunction(input.value) ? input.value : null;
      if (!fn) continue;
      const argsProp = props.get("args") ?? null;
      const args = argsProp ? readConvexArgs(argsProp.value) : null;
      const subject: CheckSubject = {
        fn,
        kind: "gate",
        params: [{ role: "ctx" }, { role: "args" }],
        shapeOf: (arg) => argShapeIn(args, argsProp !== null, arg),
      };
      out.push({ name, node: builder, subject, check: secretCheckOf(file, subject) });
    }
    return out;
  });
}

function isCtxParam(param: Node): boolean {
  const p = param.type === "AssignmentPattern" ? param.left : param;
  if (p.type !== "Identifier") return false;
  if (/^(?:ctx|context)$/.test(p.name)) return true;
  const annotation = p.typeAnnotation?.typeAnnotation;
  return annotation?.type === "TSTypeReference" && /Ctx$/.test(memberPath(annotation.typeName)?.join(".") ?? "");
}

function subjectParam(param: TSESTree.Parameter): SubjectParam | null {
  const p = param.type === "AssignmentPattern" ? param.left : param;
  if (isCtxParam(p)) return { role: "ctx" };
  if (p.type === "ObjectPattern") return { role: "args" };
  if (p.type !== "Identifier") return null;
  if (p.typeAnnotation?.typeAnnotation.type === "TSTypeLiteral" || /^(?:args|input|params)$/.test(p.name)) return { role: "args" };
  return { role: "value", name: p.name };
}

/** What may reach a helper parameter: `secret?: string` and `string | undefined` may be missing; untyped may be anything. */
function typedShape(optional: boolean, annotation: TSESTree.TypeNode | undefined): ArgShape {
  if (!annotation) return { kind: "unvalidated", omittable: true, nullable: true, arg: null };
  const members = annotation.type === "TSUnionType" ? annotation.types : [annotation];
  const omittable = optional || members.some((m) => m.type === "TSUndefinedKeyword" || m.type === "TSAnyKeyword" || m.type === "TSUnknownKeyword");
  const nullable = members.some((m) => m.type === "TSNullKeyword" || m.type === "TSAnyKeyword" || m.type === "TSUnknownKeyword");
  return { kind: omittable ? "optional" : "required", omittable, nullable, arg: null };
}

function helperShapeOf(fn: FunctionNode, name: string): ArgShape {
  for (const param of fn.params) {
    const p = param.type === "AssignmentPattern" ? param.left : param;
    if (p.type === "Identifier" && p.name === name && !isCtxParam(p)) {
      return typedShape(p.optional === true || param.type === "AssignmentPattern", p.typeAnnotation?.typeAnnotation);
    }
    if (p.type === "Identifier" || p.type === "ObjectPattern") {
      const annotation = p.typeAnnotation?.typeAnnotation;
      if (annotation?.type === "TSTypeLiteral") {
        for (const member of annotation.members) {
          if (member.type === "TSPropertySignature" && member.key.type === "Identifier" && member.key.name === name) {
            return typedShape(member.optional === true, member.typeAnnotation?.typeAnnotation);
          }
        }
      } else if (!annotation && (p.type === "ObjectPattern" || /^(?:args|input|params)$/.test(p.name))) {
        return { kind: "unvalidated", omittable: true, nullable: true, arg: null };
      }
    }
  }
  return { kind: "unknown", omittable: false, nullable: false, arg: null };
}

/** Check helpers are short and compare something (cheap text test before any evaluation). */
function looksLikeCheck(file: FileContext, fn: FunctionNode): boolean {
  if (fn.range[1] - fn.range[0] > 3000) return false;
  const text = file.text.slice(fn.range[0], fn.range[1]);
  return /[!=]==?|includes\(|some\(|compare|equal/i.test(text);
}

/** Exported top-level functions of the file with their names. */
function exportedFunctions(file: FileContext): { name: string; fn: FunctionNode }[] {
  const exportedNames = new Set<string>();
  for (const statement of file.program.body) {
    if (statement.type === "ExportNamedDeclaration" && !statement.source) {
      for (const spec of statement.specifiers) if (spec.local.type === "Identifier") exportedNames.add(spec.local.name);
    }
  }
  const out: { name: string; fn: FunctionNode }[] = [];
  for (const statement of file.program.body) {
    const exported = statement.type === "ExportNamedDeclaration";
    const declaration = exported && statement.declaration ? statement.declaration : statement;
    if (declaration.type === "FunctionDeclaration" && declaration.id) {
      if (exported || exportedNames.has(declaration.id.name)) out.push({ name: declaration.id.name, fn: declaration });
    } else if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type !== "Identifier" || !declarator.init) continue;
        const init = unwrap(declarator.init);
        if (isFunction(init) && (exported || exportedNames.has(declarator.id.name))) out.push({ name: declarator.id.name, fn: init });
      }
    }
  }
  return out;
}

/**
 * Exported secret-check helpers of a Convex module (`export function requireInternalSecret(provided)`),
 * which other modules import and call, so a caller's analysis only sees an opaque call: a helper
 * that compares a parameter with a secret env var is judged here, at its definition.
 */
export function helperSecretChecks(file: FileContext): SharedSecretCheck[] {
  return file.memo("convex-auth:helper-checks", () => {
    // mayReadSecret asks whether the file reads a secret at all, once a candidate is found: most
    // modules export no function, and that question can walk the whole file.
    let handlers: Set<Node> | null = null;
    const out: SharedSecretCheck[] = [];
    for (const { name, fn } of exportedFunctions(file)) {
      if (fn.params.length === 0 || !looksLikeCheck(file, fn) || !mayReadSecret(file, fn, false)) continue;
      handlers ??= new Set<Node>(convexFunctions(file).flatMap((f) => (f.handler ? [f.handler] : [])));
      if (handlers.has(fn)) continue;
      const params = fn.params.map(subjectParam);
      if (params.some((p) => p === null) || !params.some((p) => p!.role !== "ctx")) continue;
      const subject: CheckSubject = { fn, kind: "helper", params: params as SubjectParam[], shapeOf: (arg) => helperShapeOf(fn, arg) };
      const check = secretCheckOf(file, subject);
      if (check.comparisons.length > 0) out.push({ name, node: fn, subject, check });
    }
    return out;
  });
}
