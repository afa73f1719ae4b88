import { singleSecretVerifications, type RotationSubject } from "../src/model/verification.js";
import { isWebhookModule } from "../src/model/webhook.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

const PROVIDERS = ["stripe", "svix", "standardwebhooks", "polar", "paddle"] as const;
type Provider = (typeof PROVIDERS)[number];

type Options = [{ providers?: Provider[] }];
type MessageId = "singleSecret";

const SUBJECTS: Record<Provider, RotationSubject[]> = {
  stripe: ["stripe", "stripe-async"],
  svix: ["svix"],
  standardwebhooks: ["standardwebhooks"],
  polar: ["polar"],
  paddle: ["paddle"],
};

const WHAT: Record<RotationSubject, string> = {
  hmac: "hand-written HMAC check",
  stripe: "Stripe signature check",
  "stripe-async": "Stripe signature check",
  svix: "svix verification",
  standardwebhooks: "Standard Webhooks verification",
  polar: "Polar signature check",
  paddle: "Paddle signature check",
  clerk: "Clerk signature check",
  "better-auth-sync": "Better Auth sync signature check",
  custom: "signature check",
};

export default createRule<Options, MessageId>({
  name: "prefer-secret-rotation",
  meta: {
    type: "suggestion",
    docs: {
      description: "Require webhook signature checks to accept the current and the previous secret during a rotation",
      recommended: "strict",
    },
    schema: [
      {
        type: "object",
        properties: {
          providers: {
            type: "array",
            items: { type: "string", enum: [...PROVIDERS] },
            uniqueItems: true,
            description:
              "SDK verifications to check as well as hand-written HMACs: `stripe` (`constructEvent[Async]`), `svix`, `standardwebhooks` (`new Webhook(secret).verify`), `polar` (`validateEvent`), `paddle` (`webhooks.unmarshal`).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ providers: [] }],
    messages: {
      singleSecret:
        "This {{what}} accepts only one secret ({{secret}}), so while the secret is rolled, deliveries signed with the other one fail until your deploy catches up. Try the current and the previous secret in turn, as in a loop over `[CURRENT_SECRET, PREVIOUS_SECRET]`.",
    },
  },
  create(context, [options]) {
    const text = context.sourceCode.text;
    const providers = options.providers ?? [];
    const handRolled = /createHmac|subtle/.test(text);
    const sdk = providers.length > 0 && /constructEvent|\.verify\s*\(|validateEvent|unmarshal/.test(text);
    if (!handRolled && !sdk) return {};
    const file = fileContextOf(context);
    const subjects = new Set<RotationSubject>(["hmac", ...providers.flatMap((p) => SUBJECTS[p])]);

    return {
      "Program:exit"() {
        for (const found of singleSecretVerifications(file, subjects, isWebhookModule(file))) {
          const label = found.label.length > 48 ? `${found.label.slice(0, 45)}...` : found.label;
          context.report({ node: found.node, messageId: "singleSecret", data: { what: WHAT[found.kind], secret: label } });
        }
      },
    };
  },
});
