import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { enclosingFunction, unwrap } from "../src/model/index.js";
import {
  disabledTolerance,
  effectsBeforeVerification,
  fileVerifierCalls,
  handlerVerification,
  headerReads,
  PROVIDER_LABELS,
  providerEvidence,
  restrictedRuntimeAt,
  signatureSites,
  stripeClassName,
  type HandlerVerification,
  type ProviderEvidence,
  type RestrictedRuntime,
  type WebhookProvider,
} from "../src/model/verification.js";
import type { VerifierCall, WebhookHandler } from "../src/model/webhook.js";
import { webhookHandlers } from "../src/model/webhook.js";
import { mayHaveWebhookHandlers } from "../src/model/routes.js";
import { includesVia } from "../src/model/text.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type MessageId =
  | "missingVerification"
  | "wrongSvixScheme"
  | "actedBeforeVerification"
  | "toleranceDisabled"
  | "syncVerifierInRuntime"
  | "syncVerifierInDeno"
  | "useAsyncVerifier"
  | "useAsyncVerifierWithProvider";

const VERIFIER_ADVICE: Record<WebhookProvider, string> = {
  stripe: "`stripe.webhooks.constructEvent(rawBody, signature, secret)`",
  clerk: "`verifyWebhook(req)` from `@clerk/nextjs/webhooks` (or svix's `new Webhook(secret).verify(rawBody, headers)`)",
  polar: "`validateEvent(rawBody, headers, secret)` from `@polar-sh/sdk/webhooks`",
  "lemon-squeezy": "an HMAC-SHA256 of the raw body compared in constant time with the `X-Signature` header",
  paddle: "`paddle.webhooks.unmarshal(rawBody, secret, signature)`",
  "better-auth-sync": "`verifyWebhook` from `better-auth-sync`",
  svix: "svix's `new Webhook(secret).verify(rawBody, headers)`",
};

const RUNTIME_LABELS: Record<RestrictedRuntime, string> = {
  edge: "Edge runtime",
  convex: "default Convex runtime",
  deno: "Deno runtime",
};

/** Only Svix-signed providers whose users hand-roll HMACs with made-up headers (seed 002). */
const SVIX_SIGNED: readonly WebhookProvider[] = ["clerk"];

export default createRule<[], MessageId>({
  name: "require-webhook-signature",
  meta: {
    type: "problem",
    docs: {
      description: "Require webhook handlers to verify the provider's signature before they use the body",
      recommended: "recommended",
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      missingVerification:
        "This {{handler}} uses the request body without verifying its signature, so anyone who finds the URL can forge events. Verify the raw body first with {{advice}}.",
      wrongSvixScheme:
        "{{provider}} signs webhooks with Svix, so an HMAC of the body checked against {{header}} matches no real delivery. Verify with `verifyWebhook(req)` from `@clerk/nextjs/webhooks` or svix's `new Webhook(secret).verify(rawBody, headers)`, which read the `svix-id`, `svix-timestamp` and `svix-signature` headers.",
      actedBeforeVerification:
        "This {{effect}} uses the webhook body before its signature is verified on line {{line}}, so a forged request is acted on even though verification fails. Verify the signature first, then act on the event.",
      toleranceDisabled:
        "A tolerance of {{value}} turns off Stripe's timestamp check, so a captured delivery can be replayed at any time. Remove the argument to keep the 300-second default.",
      syncVerifierInRuntime:
        "`{{method}}` is synchronous and throws in the {{runtime}}, where only SubtleCrypto exists, so every delivery fails. Use `await {{replacement}}(...)` instead.",
      syncVerifierInDeno:
        "`{{method}}` is synchronous, but on Deno (Supabase Edge Functions) Stripe can only verify with SubtleCrypto, which is asynchronous, so every delivery fails. Use `await {{replacement}}(body, signature, secret, undefined, {{provider}})` instead.",
      useAsyncVerifier: "Use `await {{replacement}}(...)`.",
      useAsyncVerifierWithProvider: "Use `await {{replacement}}(...)` with `{{provider}}`.",
    },
  },
  create(context) {
    const text = context.sourceCode.text;
    const file = fileContextOf(context);
    const mayHandle = mayHaveWebhookHandlers(file);
    const mayVerifyStripe = includesVia(text, "constructEvent", "Event") || includesVia(text, "parseEventNotification", "EventNotification");
    if (!mayHandle && !mayVerifyStripe) return {};

    const reportHandler = (verification: HandlerVerification) => {
      const info = verification.info;
      if (verification.bodyReads.length === 0) return;
      const sites = signatureSites(verification);
      const evidence = providerEvidence(file, info);
      if (sites.length === 0) {
        if (verification.sites.length > 0 || !inScope(info, evidence, file.settings.verifiers.size > 0)) return;
        const provider = evidence.providers[0];
        context.report({
          node: verification.bodyReads[0]!.node,
          messageId: "missingVerification",
          data: {
            handler: provider ? `${PROVIDER_LABELS[provider]} webhook handler` : "webhook handler",
            advice: provider ? VERIFIER_ADVICE[provider] : "the provider's SDK (or a function listed in `settings.webhook.verifiers`)",
          },
        });
        return;
      }
      const svixProvider = evidence.providers.find((p) => SVIX_SIGNED.includes(p));
      const handRolledOnly = sites.every((s) => s.kind === "hmac");
      const checkRoots = [info.handler.fn, ...sites.map((s) => (s.kind === "hmac" ? enclosingFunction(s.hmac.hmac.node) : null))];
      const headers = checkRoots.flatMap((root) => (root ? headerReads(root) : []));
      if (svixProvider && handRolledOnly && !headers.some((h) => h.name !== null && /^(?:svix|webhook)-(?:id|timestamp|signature)$/.test(h.name))) {
        const first = sites[0]!;
        const header = headers.find((h) => h.name !== null && /signature|sig$|hmac|clerk/.test(h.name))?.name ?? null;
        context.report({
          node: first.kind === "hmac" ? first.hmac.hmac.node : first.node,
          messageId: "wrongSvixScheme",
          data: { provider: PROVIDER_LABELS[svixProvider], header: header ? `the \`${header}\` header` : "a custom header" },
        });
        return;
      }
      for (const effect of effectsBeforeVerification(file, verification)) {
        context.report({
          node: effect.node,
          messageId: "actedBeforeVerification",
          data: { effect: effect.label, line: String(verification.anchor!.loc.start.line) },
        });
      }
    };

    const reportVerifier = (verifier: VerifierCall) => {
      const tolerance = disabledTolerance(verifier);
      if (tolerance) {
        context.report({ node: tolerance.node, messageId: "toleranceDisabled", data: { value: String(tolerance.value) } });
      }
      if (verifier.kind !== "stripe") return;
      const runtime = restrictedRuntimeAt(file, verifier.node);
      if (!runtime) return;
      const callee = unwrap(verifier.node.callee);
      if (callee.type !== "MemberExpression") return;
      const method = callee.property.type === "Identifier" && !callee.computed ? callee.property : null;
      const methodName = method?.name ?? "constructEvent";
      const objectText = context.sourceCode.getText(callee.object);
      const replacement = `${objectText}.${methodName}Async`;
      const fn = enclosingFunction(verifier.node);
      if (runtime === "deno") {
        const stripeClass = stripeClassName(file);
        const provider = `${stripeClass ?? "Stripe"}.createSubtleCryptoProvider()`;
        const args = verifier.node.arguments;
        const canFix = !!method && !!fn?.async && stripeClass !== null && (args.length === 3 || args.length === 4) && !args.some((a) => a.type === "SpreadElement");
        context.report({
          node: method ?? verifier.node,
          messageId: "syncVerifierInDeno",
          data: { method: methodName, replacement, provider },
          suggest: canFix
            ? [
                {
                  messageId: "useAsyncVerifierWithProvider",
                  data: { replacement, provider },
                  fix: (fixer) => [
                    ...awaitAsync(fixer, verifier.node, method),
                    fixer.insertTextAfter(args[args.length - 1]!, args.length === 3 ? `, undefined, ${provider}` : `, ${provider}`),
                  ],
                },
              ]
            : [],
        });
        return;
      }
      context.report({
        node: method ?? verifier.node,
        messageId: "syncVerifierInRuntime",
        data: { method: methodName, runtime: RUNTIME_LABELS[runtime], replacement },
        suggest:
          method && fn?.async
            ? [
                {
                  messageId: "useAsyncVerifier",
                  data: { replacement },
                  fix: (fixer) => awaitAsync(fixer, verifier.node, method),
                },
              ]
            : [],
      });
    };

    return {
      "Program:exit"() {
        if (mayHandle) for (const info of webhookHandlers(file)) reportHandler(handlerVerification(file, info));
        if (mayVerifyStripe) for (const verifier of fileVerifierCalls(file)) reportVerifier(verifier);
      },
    };

  },
});

/**
 * Which handlers this rule speaks for: a known provider (Stripe, Clerk, Polar, Lemon Squeezy,
 * Paddle, Better Auth sync, Svix) is named by the handler's path, headers, env vars or
 * imports, or it switches on provider event names; not GitHub, Slack, Resend, Twilio and
 * the like, unless the project lists its own verifiers in `settings.webhook.verifiers`.
 */
function inScope(info: WebhookHandler, evidence: ProviderEvidence, verifiersConfigured: boolean): boolean {
  if (verifiersConfigured) return true;
  if (evidence.others.length > 0 && evidence.providers.every((p) => p === "svix")) return false;
  if (evidence.providers.length > 0) return true;
  if (evidence.others.length > 0) return false;
  return info.reasons.includes("event-names");
}

/** `x.constructEvent(...)` -> `await x.constructEventAsync(...)`, parenthesised where the call is an operand. */
function awaitAsync(fixer: TSESLint.RuleFixer, call: TSESTree.CallExpression, method: TSESTree.Identifier): TSESLint.RuleFix[] {
  const fixes = [fixer.insertTextAfter(method, "Async")];
  let outer: TSESTree.Node = call;
  while (outer.parent?.type === "ChainExpression" || outer.parent?.type === "TSNonNullExpression") outer = outer.parent;
  if (outer.parent?.type === "AwaitExpression") return fixes;
  const parent = outer.parent;
  const operand =
    (parent?.type === "MemberExpression" && parent.object === outer) ||
    (parent?.type === "CallExpression" && parent.callee === outer) ||
    parent?.type === "TaggedTemplateExpression";
  if (operand) {
    fixes.push(fixer.insertTextBefore(outer, "(await "), fixer.insertTextAfter(outer, ")"));
  } else {
    fixes.push(fixer.insertTextBefore(outer, "await "));
  }
  return fixes;
}
