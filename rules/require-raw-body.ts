import type { TSESTree } from "@typescript-eslint/utils";
import { contains, unwrap, unwrapAwait, type Node } from "../src/model/index.js";
import {
  anchorOf,
  expressBodyParsing,
  handlerVerification,
  identifierReferences,
  pagesBodyParserDisabled,
  payloadProblem,
  signatureSites,
  verifiedPayloads,
  type BodyRead,
  type HandlerVerification,
} from "../src/model/verification.js";
import { webhookHandlers } from "../src/model/webhook.js";
import { mayHaveWebhookHandlers } from "../src/model/routes.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type MessageId =
  | "parsedBeforeVerification"
  | "stringifiedPayload"
  | "parsedRequestBody"
  | "expressParsedBody"
  | "expressMissingRawBody"
  | "readText";

export default createRule<[], MessageId>({
  name: "require-raw-body",
  meta: {
    type: "problem",
    docs: {
      description: "Require webhook signatures to be verified against the raw request body",
      recommended: "recommended",
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      parsedBeforeVerification:
        '`{{call}}` parses the body before its signature is verified, but the signature covers the raw bytes, so verification fails in production ("No signatures found matching the expected signature for payload"). Read the body with `await {{request}}.text()`, verify that string, then parse it.',
      stringifiedPayload:
        "`JSON.stringify` of the parsed body is not guaranteed to reproduce the bytes the provider signed (spacing, key order, escapes, number formats), so deliveries fail verification whenever they differ. Verify the raw body (`await req.text()`) and parse it afterwards.",
      parsedRequestBody:
        "Next.js's body parser has already turned `{{expr}}` into an object, so the signature is checked against re-serialised JSON instead of the raw bytes. Add `export const config = { api: { bodyParser: false } }` and verify the raw body read from the stream (e.g. `await buffer(req)` from `micro`).",
      expressParsedBody:
        '`{{parser}}` has already parsed `{{expr}}` into an object, so the signature is checked against re-serialised JSON instead of the raw bytes the provider signed. Mount `express.raw({ type: "application/json" })` on this route ahead of any JSON parser and verify the Buffer it leaves in `{{expr}}`.',
      expressMissingRawBody:
        'No raw body parser runs on this route, so `{{expr}}` is not the bytes the provider signed (Express leaves it undefined without a parser). Mount `express.raw({ type: "application/json" })` on this route and verify the Buffer it leaves in `{{expr}}`.',
      readText: "Read the raw body with `{{request}}.text()`.",
    },
  },
  create(context) {
    const text = context.sourceCode.text;
    const file = fileContextOf(context);
    if (!mayHaveWebhookHandlers(file)) return {};
    if (!/\.json\s*\(|JSON\.(?:stringify|parse)|\.body\b|\bjson\s*\(|formData/.test(text)) return {};

    const check = (verification: HandlerVerification) => {
      if (verification.bodyReads.length === 0) return;
      // Verifications that need the raw body: SDK calls, HMACs, and helpers handed the signature too.
      const all = signatureSites(verification);
      // A verifying wrapper already read the raw body before the handler runs.
      if (all.some((s) => s.kind === "wrapped")) return;
      // A JWT body carries its own signature: parsing or re-serialising around it loses nothing.
      const sites = all.filter((s) => s.kind !== "refetch" && s.kind !== "jwt" && (s.kind !== "delegated" || s.withSignature));
      if (sites.length === 0) return;
      const handler = verification.info.handler;
      const request = handler.requestName ?? "req";
      const anchor = anchorOf(verification, sites);
      const explained = new Set<Node>();
      const payloads = verifiedPayloads(verification);
      for (const { payload } of payloads) {
        const problem = payloadProblem(verification, payload);
        if (!problem) continue;
        // A stringified or request-body payload is reported at the payload; a parsed read is reported where it is read.
        if (problem.read && problem.kind !== "parsed") explained.add(problem.read.node);
        const fromRequestBody = problem.kind === "request-body" || (problem.kind === "stringified" && problem.read?.kind === "body");
        if (fromRequestBody && handler.kind === "pages-api") {
          if (!pagesBodyParserDisabled(file)) {
            const parsed = problem.read?.node ?? problem.node;
            context.report({ node: problem.node, messageId: "parsedRequestBody", data: { expr: context.sourceCode.getText(parsed) } });
          }
        } else if (problem.kind === "request-body") {
          // Express: `req.body` is the bytes only when a raw parser runs first on this route.
          if (handler.kind !== "express") continue;
          const parsing = expressBodyParsing(file, handler);
          const expr = context.sourceCode.getText(problem.node);
          if (parsing.state === "parsed") {
            context.report({ node: problem.node, messageId: "expressParsedBody", data: { expr, parser: callText(parsing.parser) } });
          } else if (parsing.state === "none") {
            context.report({ node: problem.node, messageId: "expressMissingRawBody", data: { expr } });
          }
        } else if (problem.kind === "stringified") {
          context.report({ node: problem.node, messageId: "stringifiedPayload" });
        } else if (!problem.read) {
          context.report({ node: problem.node, messageId: "parsedBeforeVerification", data: { call: callText(problem.node), request } });
        }
      }
      for (const read of verification.bodyReads) {
        if (!read.parsed || explained.has(read.node) || read.node === anchor) continue;
        // Arguments of the verification call are evaluated before it.
        if (anchor && read.node.range[0] > anchor.range[0] && !contains(anchor, read.node)) continue;
        const fixable = read.kind === "json" && onlyUsedAsPayload(read, verification, payloads.map((p) => p.payload));
        const property = fixable ? jsonProperty(read.node) : null;
        context.report({
          node: read.node,
          messageId: "parsedBeforeVerification",
          data: { call: callText(read.node), request },
          suggest: property
            ? [{ messageId: "readText", data: { request }, fix: (fixer) => fixer.replaceText(property, "text") }]
            : [],
        });
      }
    };

    return {
      "Program:exit"() {
        for (const info of webhookHandlers(file)) check(handlerVerification(file, info));
      },
    };

    function callText(node: Node): string {
      const source = context.sourceCode.getText(node);
      return source.length > 40 ? `${source.slice(0, 37)}...` : source;
    }
  },
});

/** The `json` of `req.json()`. */
function jsonProperty(node: Node): TSESTree.Identifier | null {
  if (node.type !== "CallExpression") return null;
  const callee = unwrap(node.callee);
  return callee.type === "MemberExpression" && !callee.computed && callee.property.type === "Identifier" ? callee.property : null;
}

/**
 * The parsed body is only ever the verification payload: `constructEvent(await req.json(), ...)`,
 * or `const body = await req.json()` whose every use is a payload argument. Only then does
 * reading it with `.text()` instead keep the rest of the handler working.
 */
function onlyUsedAsPayload(read: BodyRead, verification: HandlerVerification, payloads: readonly Node[]): boolean {
  const payloadNodes = new Set(payloads.map((p) => unwrapAwait(p)));
  if (payloadNodes.has(read.node)) return true;
  let outer: Node = read.node;
  while (outer.parent?.type === "AwaitExpression" || outer.parent?.type === "TSAsExpression") outer = outer.parent;
  const declarator = outer.parent;
  if (declarator?.type !== "VariableDeclarator" || declarator.init !== outer || declarator.id.type !== "Identifier") return false;
  const references = identifierReferences(verification.info.handler.fn, declarator.id.name);
  return references.length > 0 && references.every((ref) => payloadNodes.has(ref));
}
