import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { ackProblems, type AckProblemKind, type AckResponse } from "../src/model/ack.js";
import { unwrap } from "../src/model/ast.js";
import { isAppRouteFile, type FileContext } from "../src/model/file.js";
import { mayHaveWebhookHandlers, mentionsHttpAction } from "../src/model/routes.js";
import { insertStyleOf } from "../src/codemod-kit/style.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type MessageId =
  | "acceptedInvalidSignature"
  | "signatureFailureFallsThrough"
  | "swallowedFailure"
  | "failureFallsThrough"
  | "retryForUnresolvedIdentity"
  | "retryForUnhandledEvent"
  | "unawaitedReturnInTry"
  | "noResponseAtEnd"
  | "answerStatus"
  | "returnAwait"
  | "returnOk";

const MESSAGE_IDS: Record<AckProblemKind, MessageId> = {
  "accepted-invalid-signature": "acceptedInvalidSignature",
  "signature-failure-falls-through": "signatureFailureFallsThrough",
  "swallowed-failure": "swallowedFailure",
  "failure-falls-through": "failureFallsThrough",
  "retry-for-unresolved-identity": "retryForUnresolvedIdentity",
  "retry-for-unhandled-event": "retryForUnhandledEvent",
  "unawaited-return-in-try": "unawaitedReturnInTry",
  "no-response-at-end": "noResponseAtEnd",
};

/** The status each suggestion proposes. */
const SUGGESTED_STATUS: Partial<Record<AckProblemKind, number>> = {
  "accepted-invalid-signature": 400,
  "swallowed-failure": 500,
  "retry-for-unresolved-identity": 200,
  "retry-for-unhandled-event": 200,
};

export default createRule<[], MessageId>({
  name: "require-accurate-ack",
  meta: {
    type: "problem",
    docs: {
      description: "Require webhook handlers to answer with a status that tells the provider whether to retry",
      recommended: "recommended",
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      acceptedInvalidSignature:
        "This {{status}} acknowledges a request whose signature check failed, so a forged event is accepted and a real one rejected by a misconfigured secret is never redelivered. Answer 400 (or 401) from the verification failure branch.",
      signatureFailureFallsThrough:
        "This catch swallows the signature verification failure and the handler goes on to answer {{status}}, so a forged event is accepted and a real one is never redelivered. Answer 400 (or 401) from the catch.",
      swallowedFailure:
        "This {{status}} acknowledges an event whose processing just failed, so the provider never redelivers it and the event is lost. Rethrow or answer 5xx here, or first record the event durably (a dead-letter insert, a scheduled retry).",
      failureFallsThrough:
        "This catch swallows the processing failure and the handler goes on to answer {{status}}, so the provider never redelivers the event. Rethrow or answer 5xx from the catch, or first record the event durably (a dead-letter insert, a scheduled retry).",
      retryForUnresolvedIdentity:
        "Answering {{status}} because the user cannot be resolved makes the provider retry an event that can never succeed (Stripe retries for up to three days). Log and alert on the unresolved identity, then answer 200.",
      retryForUnhandledEvent:
        "Answering {{status}} to an event type this handler does not process makes the provider redeliver it for days, although nothing will ever handle it. Answer 200 for event types you ignore (and unsubscribe the endpoint from them).",
      unawaitedReturnInTry:
        "This promise is returned from inside `try` without `await`, so a rejection skips the `catch` and its error response. Write `return await` so the failure is handled here.",
      noResponseAtEnd:
        "This handler can reach its end without returning a Response, so {{framework}} answers 500 and the provider redelivers the event for days although it was handled (or deliberately ignored). Return a 200 response at the end, and from every branch that finishes.",
      answerStatus: "Answer {{status}} instead.",
      returnAwait: "Add `await` so the `catch` sees a rejection.",
      returnOk: "Return `new Response(null, { status: 200 })` at the end.",
    },
  },
  create(context) {
    const file = fileContextOf(context);
    if (!mayHaveWebhookHandlers(file)) return {};
    const sourceCode = context.sourceCode;
    // A response of some kind, or a handler that must return one (App Router, Convex HTTP action).
    const mayRespond = /Response|\.status\s*\(|\.json\s*\(|\.send\s*\(|\.end\s*\(|sendStatus|writeHead|statusCode/.test(sourceCode.text);
    if (!mayRespond && !isAppRouteFile(file) && !mentionsHttpAction(sourceCode.text)) return {};

    return {
      "Program:exit"() {
        for (const problem of ackProblems(file)) {
          const messageId = MESSAGE_IDS[problem.kind];
          const status = problem.response?.status ?? null;
          const suggest: TSESLint.ReportSuggestionArray<MessageId> = [];
          const proposed = SUGGESTED_STATUS[problem.kind];
          if (proposed !== undefined && problem.response) {
            const fix = statusFix(sourceCode, problem.response, proposed);
            if (fix) suggest.push({ messageId: "answerStatus", data: { status: String(proposed) }, fix });
          }
          if (problem.kind === "unawaited-return-in-try") {
            suggest.push({ messageId: "returnAwait", fix: (fixer) => fixer.insertTextBefore(problem.node, "await ") });
          }
          const data = { status: status === null ? "response" : String(status) };
          if (problem.kind === "no-response-at-end" && problem.node.type === "BlockStatement") {
            // Report on the closing brace the handler falls off.
            const body = problem.node;
            const close = sourceCode.getLastToken(body)!;
            const framework = problem.handler.handler.kind === "http-action" ? "Convex" : "Next.js";
            suggest.push({ messageId: "returnOk", fix: (fixer) => fixer.insertTextBefore(close, returnOkText(file, body)) });
            context.report({ loc: close.loc, messageId, data: { framework }, suggest });
          } else if (problem.node.type === "CatchClause") {
            // Report on the `catch` keyword, not the whole clause.
            context.report({ loc: sourceCode.getFirstToken(problem.node)!.loc, messageId, data, suggest });
          } else {
            context.report({ node: problem.node, messageId, data, suggest });
          }
        }
      },
    };
  },
});

/**
 * A fix that makes `response` answer `status`: replaces an explicit status, or adds one where the
 * API defaulted it (`NextResponse.json(x)` -> `NextResponse.json(x, { status })`, `res.json(x)`
 * -> `res.status(n).json(x)`, Hono `c.json(x)` -> `c.json(x, n)`). Null when it cannot be done safely.
 */
function statusFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  response: AckResponse,
  status: number,
): TSESLint.ReportFixFunction | null {
  const value = String(status);
  if (response.statusNode) {
    const target = response.statusNode;
    return (fixer) => fixer.replaceText(target, value);
  }
  if (!response.defaulted) return null;
  const node = response.node;
  if (node.type !== "CallExpression" && node.type !== "NewExpression") return null;
  const args = node.arguments;
  if (response.form === "node") {
    let root: TSESTree.Node = unwrap(node.callee);
    while (root.type === "MemberExpression") root = unwrap(root.object);
    if (root.type !== "Identifier") return null;
    const resName = root;
    return (fixer) => fixer.insertTextAfter(resName, `.status(${value})`);
  }
  if (response.form === "hono") {
    const first = args[0];
    if (!first || args.length !== 1) return null;
    return (fixer) => fixer.insertTextAfter(first, `, ${value}`);
  }
  const init = args[1];
  if (init) {
    const object = unwrap(init);
    if (object.type !== "ObjectExpression") return null;
    if (object.properties.length === 0) return (fixer) => fixer.replaceText(object, `{ status: ${value} }`);
    const brace = sourceCode.getFirstToken(object)!;
    return (fixer) => fixer.insertTextAfter(brace, ` status: ${value},`);
  }
  const first = args[0];
  if (first) return (fixer) => fixer.insertTextAfter(first, `, { status: ${value} }`);
  const closing = sourceCode.getLastToken(node);
  if (!closing || closing.value !== ")") return null;
  return (fixer) => fixer.insertTextBefore(closing, `null, { status: ${value} }`);
}

/**
 * `return new Response(null, { status: 200 })` on its own line before the body's closing brace,
 * indented like the body's last statement, with a semicolon if the file uses them.
 */
function returnOkText(file: FileContext, body: TSESTree.BlockStatement): string {
  const last = body.body[body.body.length - 1];
  const closeColumn = body.loc.end.column - 1;
  const indent = last ? last.loc.start.column : closeColumn + 2;
  const semi = insertStyleOf(file).semicolons ? ";" : "";
  return `${" ".repeat(Math.max(0, indent - closeColumn))}return new Response(null, { status: 200 })${semi}\n${" ".repeat(closeColumn)}`;
}
