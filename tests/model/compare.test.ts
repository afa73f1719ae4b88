import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { findAll } from "../../src/model/ast.js";
import {
  compareOperand,
  cryptoRuntimeAt,
  hmacComputations,
  isConstantTimeCompareCall,
  isSignatureHeaderName,
  isSignatureLikeName,
  timingUnsafeCompareAt,
} from "../../src/model/compare.js";
import { analyzeSource } from "../../src/model/parse.js";

/** The timing-unsafe comparisons in `code`, as `[operator, evidence, label]`. */
function unsafe(code: string, filename = "app/api/webhooks/hook/route.ts") {
  const file = analyzeSource(code, filename);
  const out: [string, string | null, string | null][] = [];
  for (const node of findAll(file.program, ["BinaryExpression", "CallExpression"])) {
    const found = timingUnsafeCompareAt(file, node);
    if (found) out.push([found.operator, found.sensitive.evidence, found.sensitive.label]);
  }
  return out;
}

/** The evidence for the initialiser of the last `const probe = ...`. */
function evidence(code: string, filename = "lib/webhooks.ts") {
  const file = analyzeSource(`${code}\nconst probe = PROBE;`, filename);
  const probe = findAll(file.program, ["Identifier"]).filter((id) => id.name === "PROBE");
  const declarator = probe[0]!.parent as TSESTree.VariableDeclarator;
  const target = (declarator.parent.parent as TSESTree.Program).body.at(-2) as TSESTree.ExpressionStatement;
  const operand = compareOperand(file, target.expression);
  return operand.trivial ? "trivial" : operand.evidence;
}

describe("constant-time compare calls", () => {
  it("recognises Node's timingSafeEqual, SubtleCrypto verify and named helpers (lead's draft, unchanged)", () => {
    const file = analyzeSource(
      "crypto.timingSafeEqual(a, b); timingSafeEqual(a, b); crypto.subtle.verify('HMAC', key, sig, data); safeCompare(a, b); a.verify(b);",
      "lib/x.ts",
    );
    expect(findAll(file.program, ["CallExpression"]).map((c) => isConstantTimeCompareCall(c))).toEqual([true, true, true, true, false]);
  });

  it("finds HMAC chains and SubtleCrypto signs", () => {
    const file = analyzeSource(
      "const a = createHmac('sha256', key).update(body).digest('hex');\nconst h = crypto.createHmac('sha1', key);\nawait crypto.subtle.sign('HMAC', k, data);\nawait crypto.subtle.sign({ name: 'ECDSA' }, k, data);",
      "lib/x.ts",
    );
    expect(hmacComputations(file.program).map((h) => h.kind)).toEqual(["node-hmac", "node-hmac", "subtle-sign"]);
  });
});

describe("signature names", () => {
  it("accepts signatures, digests and HMACs", () => {
    for (const name of ["signature", "expectedSignature", "sig", "computedSig", "digest", "hmac", "expected_hmac", "svixSignature", "signatureHeader"]) {
      expect(isSignatureLikeName(name), name).toBe(true);
    }
  });

  it("rejects facts about signatures, e-signature widgets, keys and unrelated names", () => {
    for (const name of ["signatureLength", "sigAlg", "signaturePad", "signatureImage", "signatureKey", "signingSecret", "design", "signup", "assignee", "digestFrequency", "isValidSignature"]) {
      expect(isSignatureLikeName(name), name).toBe(false);
    }
  });

  it("recognises signature headers of the common providers", () => {
    for (const name of ["stripe-signature", "svix-signature", "webhook-signature", "x-hub-signature-256", "X-Signature", "x-shopify-hmac-sha256", "paddle-signature", "x-slack-signature"]) {
      expect(isSignatureHeaderName(name), name).toBe(true);
    }
    for (const name of ["svix-id", "svix-timestamp", "content-type", "authorization", "digest", "x-request-id"]) {
      expect(isSignatureHeaderName(name), name).toBe(false);
    }
  });
});

describe("compare operands", () => {
  it("follows HMAC computations through aliases, encoders and awaits", () => {
    expect(evidence("const h = createHmac('sha256', secret); h.update(body);\nh.digest('hex');")).toBe("hmac");
    expect(evidence("createHmac('sha256', s).update(b).digest('base64');")).toBe("hmac");
    expect(evidence("const mac = await crypto.subtle.sign('HMAC', key, data);\nBuffer.from(mac).toString('hex');")).toBe("hmac");
    expect(evidence("const mac = await crypto.subtle.sign('HMAC', key, data);\nArray.from(new Uint8Array(mac)).map((b) => b.toString(16).padStart(2, '0')).join('');")).toBe("hmac");
    expect(evidence("const expected = 'sha256=' + createHmac('sha256', s).update(b).digest('hex');\nexpected;")).toBe("hmac");
    expect(evidence("function sign(body) { return createHmac('sha256', k).update(body).digest('hex'); }\nsign(raw);")).toBe("hmac");
  });

  it("recognises signature header reads in each framework's shape", () => {
    expect(evidence("req.headers.get('stripe-signature');")).toBe("signature-header");
    expect(evidence("(await headers()).get('svix-signature');")).toBe("signature-header");
    expect(evidence("req.headers['x-hub-signature-256'];")).toBe("signature-header");
    expect(evidence("req.get('X-Signature');")).toBe("signature-header");
    expect(evidence("c.req.header('x-signature');")).toBe("signature-header");
    expect(evidence("getHeader(event, 'x-signature');")).toBe("signature-header");
    expect(evidence("const { 'x-hub-signature': sig } = req.headers;\nsig;")).toBe("signature-header");
    expect(evidence("Buffer.from(req.get('X-Hub-Signature-256') || '', 'utf8');")).toBe("signature-header");
    expect(evidence("req.headers.get('x-api-key');")).toBe("secret-header");
    expect(evidence("req.headers.get('x-request-id');")).toBe(null);
  });

  it("recognises secret env vars, including inside Bearer templates and destructuring", () => {
    expect(evidence("process.env.INTERNAL_API_SECRET;")).toBe("secret-env");
    expect(evidence("const expectedSecret = process.env.INTERNAL_API_SECRET;\nexpectedSecret;")).toBe("secret-env");
    expect(evidence("`Bearer ${process.env.CRON_SECRET}`;")).toBe("secret-env");
    expect(evidence("const { ADMIN_TOKEN } = process.env;\nADMIN_TOKEN;")).toBe("secret-env");
    expect(evidence("process.env.API_KEYS.split(',');")).toBe("secret-env");
    expect(evidence("process.env.APP_URL;")).toBe(null);
  });

  it("grades names: signatures, strong secrets, weak secrets", () => {
    expect(evidence("signature;")).toBe("signature-name");
    expect(evidence("args.secret;")).toBe("secret-name");
    expect(evidence("apiKey;")).toBe("secret-name");
    expect(evidence("expectedToken;")).toBe("secret-name");
    expect(evidence("token;")).toBe("weak-secret-name");
    expect(evidence("password;")).toBe("weak-secret-name");
    expect(evidence("state;")).toBe(null);
    expect(evidence("computeSignature(body, secret);")).toBe("signature-name");
    expect(evidence("CryptoJS.HmacSHA256(body, secret).toString(CryptoJS.enc.Hex);")).toBe("signature-name");
    expect(evidence("sign(body, secret);")).toBe("signature-name");
    expect(evidence("await signIn('credentials', form);")).toBe(null);
    expect(evidence("Math.sign(delta);")).toBe(null);
    expect(evidence("verifySignature(body, header);")).toBe(null);
  });

  it("treats constants, lengths and typeof as trivial", () => {
    expect(evidence("'';")).toBe("trivial");
    expect(evidence("undefined;")).toBe("trivial");
    expect(evidence("sig.length;")).toBe("trivial");
    expect(evidence("typeof secret;")).toBe("trivial");
    expect(evidence("const SIGNATURE_HEADER = 'x-signature';\nSIGNATURE_HEADER;")).toBe("trivial");
    expect(evidence("['v1', 'v0'];")).toBe("trivial");
  });
});

describe("timing-unsafe comparisons", () => {
  it("reports seed 002's signature !== expectedSignature", () => {
    const code = `import crypto from 'crypto';
export default async function handler(req, res) {
  const rawBody = await buffer(req);
  const signature = req.headers['clerk-signature'] as string;
  const expectedSignature = crypto.createHmac('sha256', CLERK_WEBHOOK_SECRET).update(rawBody).digest('hex');
  if (signature !== expectedSignature) return res.status(401).end();
}`;
    expect(unsafe(code, "pages/api/clerk-webhook.ts")).toEqual([["!==", "hmac", "an HMAC digest"]]);
  });

  it("reports seed 000's args.secret !== expectedSecret", () => {
    const code = `const expectedSecret = process.env.INTERNAL_API_SECRET;
if (!expectedSecret || args.secret !== expectedSecret) throw new Error("Unauthorized");`;
    expect(unsafe(code, "convex/webhooks.ts")).toEqual([["!==", "secret-env", "the secret INTERNAL_API_SECRET"]]);
  });

  it("reports includes, Buffer#equals and localeCompare on secrets", () => {
    expect(unsafe("process.env.API_KEYS.split(',').includes(apiKey);")).toEqual([["includes", "secret-env", "the secret API_KEYS"]]);
    expect(unsafe("Buffer.from(signature).equals(Buffer.from(expected));")).toEqual([["equals", "signature-name", "a signature (`signature`)"]]);
    expect(unsafe("token.localeCompare(process.env.ADMIN_TOKEN) === 0;")).toEqual([["localeCompare", "secret-env", "the secret ADMIN_TOKEN"]]);
  });

  it("does not report the comparisons eslint-plugin-security gets wrong", () => {
    expect(unsafe("if (token === undefined) {}\nif (secret === '') {}\nif (typeof secret === 'string') {}\nif (sig.length !== 64) {}")).toEqual([]);
    expect(unsafe("if (token.type === 'bearer') {}\nif (event.type === 'checkout.session.completed') {}")).toEqual([]);
    expect(unsafe("if (state !== storedState) {}\nif (id === otherId) {}")).toEqual([]);
    expect(unsafe("if (password === confirmPassword) {}\nif (token === storedToken) {}")).toEqual([]);
    expect(unsafe("if (process.env.STRIPE_SECRET_KEY === process.env.STRIPE_WEBHOOK_SECRET) {}")).toEqual([]);
    expect(unsafe("if (['v1'].includes(scheme)) {}\nif (apiKey.includes(' ')) {}")).toEqual([]);
  });

  it("needs server context for names alone", () => {
    const code = "export function SettingsForm({ apiKey, savedApiKey }) {\n  return apiKey !== savedApiKey;\n}";
    expect(unsafe(code, "components/settings-form.tsx")).toEqual([]);
    expect(unsafe("export function isValidApiKey(apiKey, storedKey) {\n  return apiKey === storedKey;\n}", "lib/keys.ts")).toEqual([
      ["===", "secret-name", "a secret (`apiKey`)"],
    ]);
    // "Signature" in a component name is not a check verb.
    expect(unsafe("export function EmailSignatureEditor({ settings, draft }) {\n  return settings.signature !== draft.signature;\n}", "components/editor.tsx")).toEqual([]);
  });
});

describe("runtime for advice", () => {
  const at = (code: string, filename: string) => {
    const file = analyzeSource(code, filename);
    return cryptoRuntimeAt(file, findAll(file.program, ["BinaryExpression"])[0]!);
  };

  it("tells Convex's default runtime, the Edge and Node.js apart", () => {
    expect(at("export const f = mutation({ handler: async (ctx, args) => args.secret === s });", "convex/webhooks.ts")).toBe("convex");
    expect(at('"use node";\nexport const f = action({ handler: async (ctx, args) => args.secret === s });', "convex/node.ts")).toBe("node");
    expect(at('import { httpAction } from "./_generated/server";\nexport const h = httpAction(async (ctx, req) => a === b);', "lib/http.ts")).toBe("convex");
    expect(at('export const runtime = "edge";\nexport async function POST() { return a === b; }', "app/api/hook/route.ts")).toBe("edge");
    expect(at("export function middleware(req) { return a === b; }", "src/middleware.ts")).toBe("edge");
    expect(at('export function middleware(req) { return a === b; }\nexport const config = { runtime: "nodejs" };', "middleware.ts")).toBe("node");
    expect(at("export async function POST() { return a === b; }", "app/api/hook/route.ts")).toBe("node");
  });
});
