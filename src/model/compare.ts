/**
 * Comparisons and digests: constant-time comparison calls, HMAC computations and
 * signature-like values. Shared by the signature-verification and timing-safety rules.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { calleeName, calleeSegments, findAll, staticString, unwrap, type Node } from "./ast.js";

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
