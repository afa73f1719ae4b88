/**
 * Comparisons and digests: constant-time comparison calls, HMAC computations,
 * signature-like values, and comparisons whose timing leaks a signature or a secret.
 * Shared by the signature-verification and timing-safety rules.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  calleeSegments,
  enclosingFunction,
  findAll,
  isEqualityOperator,
  lastName,
  lookupTable,
  memberPath,
  propertyName,
  staticString,
  unwrap,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { enclosingConvexFunction } from "./convex.js";
import { fileFact, hasDirective, isConvexFolderFile, type FileContext } from "./file.js";
import { declaredRuntimes, EDGE_RUNTIMES, enclosingRouteHandler, functionOf } from "./routes.js";
import { resolveName } from "./scope.js";
import { envObjectKind, envReadAt, envReadOf, isSecretLikeName, nameTokens, secretNameStrength } from "./secrets.js";
import type { ResolvedSettings } from "./settings.js";
import { includesVia } from "./text.js";
import { isWebhookModule } from "./webhook.js";

/** Names of constant-time comparison helpers (`crypto.timingSafeEqual`, `safeCompare`, ...). */
const CONSTANT_TIME_NAMES = /^(?:timingSafeEqual|constantTimeEqual|constantTimeCompare|safeCompare|secureCompare|safeEqual|timingSafeCompare|tsscmp|compareDigest|constantTimeEquals|timeSafeCompare|scmp)$/i;

/**
 * True for calls that compare in constant time: `crypto.timingSafeEqual(a, b)`,
 * `crypto.subtle.verify("HMAC", ...)`, and helpers with a constant-time name
 * (`safeCompare`, `constantTimeEqual`, `tsscmp`, `timingSafeEqual` from any module).
 */
export function isConstantTimeCompareCall(call: TSESTree.CallExpression): boolean {
  const name = calleeName(call);
  if (!name) return false;
  if (CONSTANT_TIME_NAMES.test(name)) return true;
  if (name === "verify") {
    const segments = calleeSegments(call.callee);
    if (segments.includes("subtle")) return true;
  }
  return false;
}

export interface HmacComputation {
  /** The outermost call of the chain: `.digest(...)`, `subtle.sign(...)`, or `createHmac(...)` when not chained. */
  node: TSESTree.CallExpression;
  /** `createHmac(alg, key)` / `subtle.sign(alg, key, data)` / `subtle.importKey`-free helpers. */
  kind: "node-hmac" | "subtle-sign" | "subtle-verify";
  /** The key argument (`createHmac("sha256", key)`), if visible. */
  key: TSESTree.Node | null;
  /** The data fed to `.update(data)` or `subtle.sign(_, _, data)`, if visible. */
  data: TSESTree.Node | null;
}

/** HMAC computations under `root`: `createHmac(...).update(x).digest(...)` chains and SubtleCrypto sign/verify. */
export function hmacComputations(root: Node): HmacComputation[] {
  const out: HmacComputation[] = [];
  const consumed = new Set<Node>();
  for (const call of findAll(root, ["CallExpression"])) {
    if (consumed.has(call)) continue;
    const name = calleeName(call);
    if (name === "digest") {
      // Walk down `.digest()` <- `.update()` <- `createHmac()`.
      let inner: Node = unwrap(call.callee);
      let data: TSESTree.Node | null = null;
      let created: TSESTree.CallExpression | null = null;
      while (inner.type === "MemberExpression") {
        const object = unwrap(inner.object);
        if (object.type !== "CallExpression") break;
        consumed.add(object);
        const objectName = calleeName(object);
        if (objectName === "update") data = object.arguments[0] ?? data;
        if (objectName === "createHmac") {
          created = object;
          break;
        }
        inner = unwrap(object.callee);
      }
      if (created) out.push({ node: call, kind: "node-hmac", key: created.arguments[1] ?? null, data });
      continue;
    }
    if (name === "createHmac") {
      out.push({ node: call, kind: "node-hmac", key: call.arguments[1] ?? null, data: null });
      continue;
    }
    if ((name === "sign" || name === "verify") && calleeSegments(call.callee).includes("subtle")) {
      const algorithm = call.arguments[0];
      const algorithmName = staticString(algorithm) ?? (algorithm ? staticString(findName(algorithm)) : null);
      if (algorithmName !== null && algorithmName.toUpperCase() !== "HMAC") continue;
      out.push({
        node: call,
        kind: name === "sign" ? "subtle-sign" : "subtle-verify",
        key: call.arguments[1] ?? null,
        data: call.arguments[name === "sign" ? 2 : 3] ?? null,
      });
    }
  }
  return out;
}

function findName(node: Node): Node | null {
  const n = unwrap(node);
  if (n.type !== "ObjectExpression") return null;
  for (const prop of n.properties) {
    if (prop.type === "Property" && !prop.computed && prop.key.type === "Identifier" && prop.key.name === "name") return prop.value;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Timing-unsafe comparisons of signatures and secrets.

const SIGNATURE_TOKENS = new Set(["signature", "signatures", "sig", "sigs", "digest", "hmac"]);
/** Last tokens that make a name describe something about a signature rather than be one. */
const NON_SIGNATURE_LAST = new Set([
  "length",
  "len",
  "size",
  "type",
  "types",
  "algorithm",
  "alg",
  "algo",
  "name",
  "version",
  "scheme",
  "method",
  "prefix",
  "format",
  "encoding",
  "count",
  "valid",
  "invalid",
  "verified",
  "ok",
  "match",
  "matches",
  "required",
  "enabled",
  "id",
  "ids",
  "url",
  "at",
  "timestamp",
  "time",
  "index",
  "parts",
  "part",
  "error",
  "errors",
  "message",
  "status",
  "check",
  "result",
  "pad",
  "image",
  "img",
  "canvas",
  "data",
  "field",
  "input",
  "ref",
  "file",
  "path",
  "frequency",
  "email",
  "schedule",
  "day",
  "key",
  "secret",
]);

/**
 * True for names of signatures and MACs: `signature`, `expectedSignature`, `sig`,
 * `computedHmac`, `digest`, `x-hub-signature-256`. Not `signatureLength`, `sigAlg`,
 * `signaturePad` (an e-signature canvas) or `signatureKey` (a secret, see `isSecretLikeName`).
 */
export function isSignatureLikeName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.length === 0) return false;
  if (NON_SIGNATURE_LAST.has(tokens[tokens.length - 1]!)) return false;
  // Booleans and checks about a signature: `isValidSignature`, `hasSignature`, `verifySignature`.
  if (/^(?:is|has|should|can|did|was|needs|verify|validate|check|skip)$/.test(tokens[0]!)) return false;
  return tokens.some((t) => SIGNATURE_TOKENS.has(t));
}

/** Header names that carry a webhook signature: `stripe-signature`, `svix-signature`, `x-hub-signature-256`, `x-shopify-hmac-sha256`, `x-signature`. */
export function isSignatureHeaderName(name: string): boolean {
  const tokens = nameTokens(name);
  return tokens.some((t) => t === "signature" || t === "sig" || t === "hmac");
}

export type CompareEvidence =
  /** Output of `createHmac(...).digest()`, `crypto.subtle.sign(...)` or a same-file helper that computes one. */
  | "hmac"
  /** A read of a signature header (`req.headers.get("stripe-signature")`). */
  | "signature-header"
  /** A secret-like env var (`process.env.INTERNAL_API_SECRET`), or a credential header (`x-api-key`). */
  | "secret-env"
  | "secret-header"
  /** A signature-like name (`expectedSignature`) or a call to a signing helper (`computeSignature(...)`). */
  | "signature-name"
  /** A strong secret-like name (`args.secret`, `apiKey`, `expectedToken`). */
  | "secret-name"
  /** A weak secret-like name (`token`, `password`): counts only against stronger evidence. */
  | "weak-secret-name";

const EVIDENCE_RANK: Record<CompareEvidence, number> = {
  hmac: 7,
  "signature-header": 6,
  "secret-env": 5,
  "secret-header": 4,
  "signature-name": 3,
  "secret-name": 2,
  "weak-secret-name": 1,
};

/** Evidence that a value IS a signature or a secret, not just named like one. */
export function isValueEvidence(evidence: CompareEvidence | null): boolean {
  return evidence === "hmac" || evidence === "signature-header" || evidence === "secret-env" || evidence === "secret-header";
}

export interface CompareOperand {
  node: TSESTree.Node;
  /** A constant, `null`/`undefined`, a `typeof` or a length: comparing with it leaks nothing. */
  trivial: boolean;
  /** The value is (a wrapper of) an env var read: no attacker controls it. */
  env: boolean;
  /** The strongest evidence that the value is a signature or secret. */
  evidence: CompareEvidence | null;
  /** What the message calls it: `an HMAC digest`, `the secret INTERNAL_API_SECRET`, ``a signature (`sig`)``. */
  label: string | null;
}

/** Methods that return (a view of) the same secret value: `sig.trim()`, `hmac.digest("hex")`, `bytes.map(...).join("")`. */
const SEE_THROUGH_METHODS = new Set([
  "toString",
  "trim",
  "trimStart",
  "trimEnd",
  "toLowerCase",
  "toUpperCase",
  "normalize",
  "replace",
  "replaceAll",
  "slice",
  "substring",
  "substr",
  "split",
  "valueOf",
  "digest",
  "update",
  "map",
  "join",
  "padStart",
  "padEnd",
  "subarray",
  "filter",
]);

/** Functions whose first argument is the value they convert: `Buffer.from(x, "hex")`, `String(x)`, `encoder.encode(x)`. */
const ENCODING_WRAPPER = /^(?:from|fromCharCode|String|btoa|atob|encode|decode|Uint8Array|(?:to|encode|bytes?To|bufferTo|buf2|arrayBufferTo|ab2)?(?:hex|Hex|base64|Base64|base64url|Base64Url|Base64URL))$/;

const TRIVIAL_MEMBERS = new Set(["length", "size", "byteLength"]);

function isTrivialNode(node: Node): boolean {
  const n = unwrap(node);
  switch (n.type) {
    case "Literal":
    case "ArrayExpression":
    case "ObjectExpression":
      return n.type !== "ArrayExpression" || n.elements.every((e) => !e || (e.type !== "SpreadElement" && isTrivialNode(e)));
    case "TemplateLiteral":
      return n.expressions.length === 0;
    case "Identifier":
      return n.name === "undefined" || n.name === "NaN" || n.name === "Infinity";
    case "UnaryExpression":
      return n.operator === "typeof" || n.operator === "void" || ((n.operator === "-" || n.operator === "+") && n.argument.type === "Literal");
    case "MemberExpression": {
      const name = propertyName(n);
      return name !== null && TRIVIAL_MEMBERS.has(name);
    }
    default:
      return false;
  }
}

/** `const HEADER = "x-signature"`: a `const` alias chain that ends in a constant. */
function isConstant(node: Node, depth = 4): boolean {
  const n = unwrap(node);
  if (isTrivialNode(n)) return true;
  if (n.type !== "Identifier" || depth <= 0) return false;
  const binding = resolveName(n.name, n);
  if (binding?.kind !== "variable" || binding.declarationKind !== "const" || !binding.init || binding.path.length > 0) return false;
  return isConstant(binding.init, depth - 1);
}

/**
 * Every HMAC computation names `createHmac` or `subtle` (see {@link hmacComputations}), so a
 * file that mentions neither has none and is not searched.
 */
function mayComputeHmac(file: FileContext): boolean {
  // Through parts with rarer first letters (`indexOf` skips to those faster): asked of every file that compares a secret-ish name.
  return file.memo("compare:may-compute-hmac", () => includesVia(file.text, "createHmac", "Hmac") || includesVia(file.text, "subtle", "btle"));
}

function hmacNodes(file: FileContext): ReadonlySet<Node> {
  return file.memo("compare:hmac-nodes", () =>
    mayComputeHmac(file) ? new Set<Node>(hmacComputations(file.program).map((h) => h.node)) : new Set<Node>(),
  );
}

function computesHmac(file: FileContext, fn: FunctionNode): boolean {
  if (!mayComputeHmac(file)) return false;
  return file.memoAt(fn, "compare:computes-hmac", () => hmacComputations(fn.body).length > 0);
}

function headerNameOf(call: TSESTree.CallExpression): string | null {
  const name = calleeName(call);
  const callee = unwrap(call.callee);
  if (name === "getHeader" || name === "getRequestHeader") {
    return staticString(call.arguments[1]) ?? staticString(call.arguments[0]);
  }
  if (callee.type !== "MemberExpression") return null;
  if (name === "header") return staticString(call.arguments[0]);
  if (name === "get") {
    const segments = calleeSegments(callee.object);
    const last = segments[segments.length - 1];
    const beforeCall = segments[segments.length - 2];
    const onHeaders = last === "headers" || (last === "()" && beforeCall === "headers");
    const onRequest = last === "req" || last === "request";
    if (onHeaders || onRequest) return staticString(call.arguments[0]);
  }
  return null;
}

function labelFor(evidence: CompareEvidence, name: string): string {
  switch (evidence) {
    case "hmac":
      return "an HMAC digest";
    case "signature-header":
      return `the signature header "${name}"`;
    case "secret-env":
      return `the secret ${name}`;
    case "secret-header":
      return `the credential header "${name}"`;
    case "signature-name":
      return `a signature (\`${name}\`)`;
    case "secret-name":
    case "weak-secret-name":
      return `a secret (\`${name}\`)`;
  }
}

/** Source-like text for short identifier/member chains, for labels: `args.secret`. */
function shortName(node: Node): string | null {
  const path = memberPath(node);
  if (!path) return null;
  const text = path.join(".");
  return text.length <= 40 ? text : path[path.length - 1]!;
}

/**
 * What one side of a comparison is: a constant, an env read, a signature or secret (and how
 * sure the model is). Follows `const`/`let` aliases, `await`, encoders (`Buffer.from`,
 * `.toString("hex")`, `.digest()`), `??`/`||`, template literals and string concatenation.
 */
export function compareOperand(file: FileContext, node: TSESTree.Node): CompareOperand {
  const evidence = operandEvidence(file, node);
  return completeOperand(file, node, evidence, operandWalk.label);
}

/** {@link compareOperand} from its evidence half: the `trivial` and `env` facts added. */
function completeOperand(file: FileContext, node: Node, evidence: CompareEvidence | null, label: string | null): CompareOperand {
  if (isConstant(node)) return { node, trivial: true, env: false, evidence: null, label: null };
  return { node, trivial: false, env: envReadOf(file, unwrap(node)) !== null, evidence, label };
}

const nameEvidenceCache = new WeakMap<ResolvedSettings, Map<string, CompareEvidence | null>>();
// The table of the settings asked last: a run has one, and operands ask about most names.
let lastSettings: ResolvedSettings | null = null;
let lastTable = new Map<string, CompareEvidence | null>();

/** What a name alone says (`signature-name`, `secret-name`, `weak-secret-name`); memoised per name, as the same names recur. */
function nameEvidence(name: string, settings: ResolvedSettings): CompareEvidence | null {
  if (settings !== lastSettings) {
    let table = nameEvidenceCache.get(settings);
    if (!table) {
      table = new Map();
      nameEvidenceCache.set(settings, table);
    }
    lastSettings = settings;
    lastTable = table;
  }
  const table = lastTable;
  let evidence = table.get(name);
  if (evidence === undefined) {
    if (isSignatureLikeName(name)) evidence = "signature-name";
    else {
      const strength = secretNameStrength(name, settings);
      evidence = strength === "strong" ? "secret-name" : strength === "weak" ? "weak-secret-name" : null;
    }
    // An editor session lints for hours: keep the table bounded.
    if (table.size >= 10_000) table.clear();
    table.set(name, evidence);
  }
  return evidence;
}

/**
 * What the walk of {@link operandEvidence} in progress has found, and where it has been. One for
 * every walk (walks do not nest), so that the walk of an operand without evidence, which is most
 * of them, allocates nothing.
 */
const operandWalk = {
  evidence: null as CompareEvidence | null,
  label: null as string | null,
  /** The nodes visited: a list while short, as nearly always, and a set once long (an array of many elements). */
  seen: [] as Node[],
  seenSet: null as Set<Node> | null,
};

const SEEN_LIST_MAX = 32;

/**
 * The evidence half of {@link compareOperand}: what the value is (its label left in `operandWalk.label`).
 * Comparing is only worth judging when one side has evidence, which most comparisons in
 * ordinary code do not, so callers ask this first and complete the operand afterwards.
 */
function operandEvidence(file: FileContext, node: Node): CompareEvidence | null {
  operandWalk.evidence = null;
  operandWalk.label = null;
  operandWalk.seen.length = 0;
  operandWalk.seenSet = null;
  visit(file, node, 6);
  return operandWalk.evidence;
}

/** True the first time the walk comes to `node`. */
function firstVisit(node: Node): boolean {
  const { seen, seenSet } = operandWalk;
  if (seenSet) {
    if (seenSet.has(node)) return false;
    seenSet.add(node);
    return true;
  }
  if (seen.includes(node)) return false;
  seen.push(node);
  if (seen.length > SEEN_LIST_MAX) operandWalk.seenSet = new Set(seen);
  return true;
}

function offer(evidence: CompareEvidence, name: string): void {
  if (!operandWalk.evidence || EVIDENCE_RANK[evidence] > EVIDENCE_RANK[operandWalk.evidence]) {
    operandWalk.evidence = evidence;
    operandWalk.label = labelFor(evidence, name);
  }
}

/** `display` names the value in the message (`args.secret` for a member), built only when the name counts. */
function offerName(file: FileContext, name: string | null, display?: Node): void {
  if (!name) return;
  const evidence = nameEvidence(name, file.settings);
  if (evidence) offer(evidence, (display && shortName(display)) ?? name);
}

function offerHeader(file: FileContext, header: string): void {
  if (isSignatureHeaderName(header)) offer("signature-header", header);
  else if (secretNameStrength(header, file.settings) === "strong") offer("secret-header", header);
}

/** Every computation {@link hmacComputations} reports is a call of one of these. */
const HMAC_CALL_NAMES = new Set(["digest", "createHmac", "sign", "verify"]);

function visit(file: FileContext, raw: Node, depth: number): void {
  if (depth < 0) return;
  const n = unwrap(raw);
  if (!firstVisit(n)) return;
  switch (n.type) {
    case "AwaitExpression":
      visit(file, n.argument, depth);
      return;
    case "SpreadElement":
      visit(file, n.argument, depth);
      return;
    case "LogicalExpression":
      if (n.operator === "&&") return;
      visit(file, n.left, depth);
      visit(file, n.right, depth);
      return;
    case "ConditionalExpression":
      visit(file, n.consequent, depth);
      visit(file, n.alternate, depth);
      return;
    case "TemplateLiteral":
      for (const expression of n.expressions) visit(file, expression, depth);
      return;
    case "BinaryExpression":
      if (n.operator === "+") {
        visit(file, n.left, depth);
        visit(file, n.right, depth);
      }
      return;
    case "NewExpression":
      if (calleeName(n) === "Uint8Array" && n.arguments[0]) visit(file, n.arguments[0], depth);
      return;
    case "ArrayExpression":
      // `[process.env.KEY_A, process.env.KEY_B].includes(key)`
      for (const element of n.elements) if (element) visit(file, element, depth - 1);
      return;
    case "MemberExpression": {
      const read = envReadAt(file, n);
      if (read) {
        if (read.secretLike) offer("secret-env", read.name);
        return;
      }
      const property = propertyName(n);
      const object = unwrap(n.object);
      if (property !== null && lastName(object) === "headers") {
        offerHeader(file, property);
        return;
      }
      if (property !== null && n.computed && /^\d+$/.test(property)) {
        // `parts[1]`, `authHeader.split(" ")[1]`: an element of the same value.
        visit(file, object, depth - 1);
        return;
      }
      offerName(file, property, n);
      return;
    }
    case "CallExpression": {
      const read = envReadAt(file, n);
      if (read) {
        if (read.secretLike) offer("secret-env", read.name);
        return;
      }
      const name = calleeName(n);
      if (name !== null && HMAC_CALL_NAMES.has(name) && hmacNodes(file).has(n)) {
        offer("hmac", "");
        return;
      }
      const callee = unwrap(n.callee);
      if ((name === "sign" || name === "digest") && calleeSegments(callee).includes("subtle")) {
        // `subtle.sign` with a non-HMAC key is still a signature; `subtle.digest` is a plain hash.
        if (name === "sign") offer("hmac", "");
        return;
      }
      const header = headerNameOf(n);
      if (header !== null) {
        offerHeader(file, header);
        return;
      }
      if (!name) return;
      if (callee.type === "MemberExpression" && SEE_THROUGH_METHODS.has(name)) {
        visit(file, callee.object, depth - 1);
        return;
      }
      if (ENCODING_WRAPPER.test(name)) {
        for (const argument of n.arguments) visit(file, argument, depth - 1);
        return;
      }
      // Without an HMAC in the file no helper computes one: the helper is not looked up.
      if (callee.type === "Identifier" && mayComputeHmac(file)) {
        const helper = functionOf(callee, 1);
        if (helper && computesHmac(file, helper)) {
          offer("hmac", "");
          return;
        }
      }
      if (isSigningCallName(name) && !(callee.type === "MemberExpression" && lastName(callee.object) === "Math")) {
        offer("signature-name", `${name}()`);
      }
      return;
    }
    case "Identifier": {
      offerName(file, n.name);
      const binding = resolveName(n.name, n);
      if (binding?.kind !== "variable" || !binding.init || binding.declarationKind === "var") return;
      if (binding.path.length === 0) {
        visit(file, binding.init, depth - 1);
        return;
      }
      const init = unwrap(binding.init);
      const key = binding.path[0]!;
      if (binding.path.length === 1 && key !== "[]") {
        const via = envObjectKind(file, init);
        if (via) {
          if (isSecretLikeName(key, file.settings)) offer("secret-env", key);
          return;
        }
        if (lastName(init) === "headers") {
          offerHeader(file, key);
          return;
        }
        if (/^\d+$/.test(key)) {
          // `const [, token] = header.split(" ")`
          visit(file, init, depth - 1);
          return;
        }
      }
      offerName(file, binding.path[binding.path.length - 1] ?? null);
      return;
    }
    default:
      return;
  }
}

const SIGNING_VERBS = new Set(["compute", "create", "generate", "make", "calc", "calculate", "get", "build"]);

/**
 * Calls that return a signature: `computeSignature(body, secret)`, `signPayload(...)`,
 * `sign(...)`, crypto-js's `HmacSHA256(...)`. Not `verifySignature(...)` (a boolean), not
 * `signIn`/`signOut`/`signUp`, not `Math.sign`.
 */
function isSigningCallName(name: string): boolean {
  const tokens = nameTokens(name);
  const first = tokens[0];
  if (!first) return false;
  if (first === "hmac") return true;
  if (first === "sign") return !/^(?:in|out|up|on|off)$/.test(tokens[1] ?? "");
  return SIGNING_VERBS.has(first) && isSignatureLikeName(name);
}

export type CompareKind = "equality" | "includes" | "buffer-equals" | "locale-compare";

export interface TimingUnsafeCompare {
  /** The `BinaryExpression` or the `.includes(...)`/`.equals(...)`/`.localeCompare(...)` call. */
  node: TSESTree.BinaryExpression | TSESTree.CallExpression;
  kind: CompareKind;
  /** `===`, `!==`, `==`, `!=`, or the method name. */
  operator: string;
  left: CompareOperand;
  right: CompareOperand;
  /** The side the message talks about (strongest evidence). */
  sensitive: CompareOperand;
}

const COMPARE_METHODS = lookupTable<CompareKind>({
  includes: "includes",
  equals: "buffer-equals",
  localeCompare: "locale-compare",
});

/** Cheap text precondition for {@link timingUnsafeCompareAt}. */
export function mayCompareSecrets(file: FileContext): boolean {
  return file.fact(MAY_COMPARE_SECRETS);
}

const MAY_COMPARE_SECRETS = fileFact((file) => {
  const text = file.text;
  // `==`, `===`, `!=`, `!==`, or a comparing method call: substring searches (most files stop at the first). Every
  // file without a comparison is searched for all of them: the methods through parts with rarer first letters.
  if (!text.includes("==") && !text.includes("!=") && !includesVia(text, ".includes(", "udes(") && !includesVia(text, ".equals(", "quals(") && !includesVia(text, "localeCompare(", "Compare(")) {
    return false;
  }
  return /secret|sig|hmac|digest|token|key|passw|pwd|credential|passphrase|private|env/i.test(text);
});

/**
 * Names and places where a compare of names alone (no HMAC, header or env evidence) is about
 * secrets: server code (webhook modules, route handlers, Convex functions, files that do
 * crypto) or a function named like a check (`verifySignature`, `isValidApiKey`).
 */
function nameEvidenceCounts(file: FileContext, node: Node): boolean {
  if (isWebhookModule(file)) return true;
  if (usesCrypto(file)) return true;
  if (enclosingRouteHandler(file, node) || enclosingConvexFunction(file, node)) return true;
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const name = functionName(fn);
    if (name && nameTokens(name).some((t) => CHECK_VERBS.has(t))) return true;
  }
  return false;
}

/** Words in a function name that make it a check: `verifySignature`, `isValidApiKey`, `authenticate`. */
const CHECK_VERBS = new Set([
  "verify",
  "verification",
  "validate",
  "valid",
  "auth",
  "authenticate",
  "authorize",
  "authorized",
  "check",
  "compare",
  "secure",
  "match",
  "matches",
]);

function usesCrypto(file: FileContext): boolean {
  return file.memo("compare:uses-crypto", () => {
    for (const source of file.importSources) {
      if (/^(?:node:)?crypto$|^tsscmp$|^@noble\/hashes|^jose$|^jsonwebtoken$/.test(source)) return true;
    }
    return mayComputeHmac(file) && /\bcreateHmac\b|\bsubtle\b/.test(file.text);
  });
}

function functionName(fn: FunctionNode): string | null {
  if ((fn.type === "FunctionDeclaration" || fn.type === "FunctionExpression") && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") return parent.id.name;
  if ((parent?.type === "Property" || parent?.type === "MethodDefinition") && !parent.computed && parent.key.type === "Identifier") {
    return parent.key.name;
  }
  return null;
}

/** True for a file that runs in the browser (`"use client"`): nothing to time there. */
export function isClientFile(file: FileContext): boolean {
  return file.fact(CLIENT_FILE);
}

const CLIENT_FILE = fileFact((file) => hasDirective(file.program.body, "use client"));

/**
 * A comparison that leaks, through its timing, how much of a signature or secret an attacker
 * got right: `===`/`!==`/`==`/`!=`, `Array#includes`/`String#includes`, `Buffer#equals` and
 * `localeCompare` where one side is an HMAC output, a signature header, a secret env var, or
 * (in server code) named like a signature or secret against something that is not a
 * constant. Never: comparisons with constants, `null`/`undefined`/`""`, `typeof`, lengths,
 * two env vars, or weak names on both sides (`password === confirmPassword`, OAuth `state`).
 */
export function timingUnsafeCompareAt(
  file: FileContext,
  node: TSESTree.BinaryExpression | TSESTree.CallExpression,
): TimingUnsafeCompare | null {
  let kind: CompareKind;
  let operator: string;
  let leftNode: Node;
  let rightNode: Node;
  if (node.type === "BinaryExpression") {
    if (!isEqualityOperator(node.operator) || node.left.type === "PrivateIdentifier") return null;
    kind = "equality";
    operator = node.operator;
    leftNode = node.left;
    rightNode = node.right;
  } else {
    const callee = unwrap(node.callee);
    const name = calleeName(node);
    const methodKind = name ? COMPARE_METHODS[name] : undefined;
    const argument = node.arguments[0];
    if (!methodKind || callee.type !== "MemberExpression" || !argument || argument.type === "SpreadElement") return null;
    if (methodKind === "buffer-equals" && node.arguments.length !== 1) return null;
    kind = methodKind;
    operator = name!;
    leftNode = callee.object;
    rightNode = argument;
  }
  if (isTrivialNode(leftNode) || isTrivialNode(rightNode)) return null;
  // Evidence first: without it on either side nothing else matters, and that is most comparisons.
  const leftEvidence = operandEvidence(file, leftNode);
  const leftLabel = operandWalk.label;
  const rightEvidence = operandEvidence(file, rightNode);
  if (!leftEvidence && !rightEvidence) return null;
  const left = completeOperand(file, leftNode, leftEvidence, leftLabel);
  if (left.trivial) return null;
  const right = completeOperand(file, rightNode, rightEvidence, operandWalk.label);
  if (right.trivial) return null;
  if (left.env && right.env) return null;
  const sensitive = rank(right) > rank(left) ? right : left;
  const other = sensitive === left ? right : left;
  if (!sensitive.evidence) return null;
  if (isValueEvidence(sensitive.evidence)) return { node, kind, operator, left, right, sensitive };
  if (sensitive.evidence === "weak-secret-name") return null;
  // Names only: both sides must be about secrets, or the code must be server code.
  if (other.evidence === null && !isSignatureOrStrongSecret(sensitive)) return null;
  if (!nameEvidenceCounts(file, node)) return null;
  return { node, kind, operator, left, right, sensitive };
}

function rank(operand: CompareOperand): number {
  return operand.evidence ? EVIDENCE_RANK[operand.evidence] : 0;
}

function isSignatureOrStrongSecret(operand: CompareOperand): boolean {
  return operand.evidence === "signature-name" || operand.evidence === "secret-name";
}

export type CryptoRuntime = "node" | "convex" | "edge";


/**
 * Where the code at `node` runs, for advice on constant-time comparison: `convex` (Convex's
 * default runtime: Web Crypto, no `node:crypto`; every file in a Convex folder without
 * `"use node"`, and every `httpAction`), `edge` (`runtime = "edge"`, Next.js `middleware`
 * without a Node.js runtime), or `node`.
 */
export function cryptoRuntimeAt(file: FileContext, node: Node): CryptoRuntime {
  const useNode = hasDirective(file.program.body, "use node");
  const convexFn = enclosingConvexFunction(file, node);
  if (convexFn?.kind === "httpAction") return "convex";
  if (!useNode && (convexFn || isConvexFolderFile(file))) return "convex";
  return file.memo("compare:edge", () => {
    const { runtime, configRuntime } = declaredRuntimes(file);
    if (runtime !== null) return EDGE_RUNTIMES.has(runtime) ? "edge" : "node";
    if (configRuntime !== null) return EDGE_RUNTIMES.has(configRuntime) ? "edge" : "node";
    return /^middleware\.[cm]?[jt]sx?$/.test(file.basename) && /^(?:src\/)?middleware\./.test(file.path) ? "edge" : "node";
  });
}
