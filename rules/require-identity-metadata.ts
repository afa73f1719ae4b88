import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { objectProperties, unwrap } from "../src/model/ast.js";
import {
  isComparedInFunction,
  paymentCreates,
  requestSourceOf,
  sessionUserIdAt,
  shouldCarryIdentity,
  type IdentityCarrier,
  type PaymentCreate,
  type PaymentCreateKind,
  type SessionUserId,
} from "../src/model/identity.js";
import { mentionsLemonSqueezy } from "../src/model/providers.js";
import { callsMethod, includesVia } from "../src/model/text.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";
import { appendProperties, propertyText } from "../src/util/object-fix.js";

type Options = [{ requireSubscriptionMetadata?: boolean }];
type MessageId = "missingIdentity" | "subscriptionMetadata" | "identityFromRequest" | "addUserId" | "addSubscriptionMetadata" | "useSessionUserId";

const OBJECT_NAMES: Record<PaymentCreateKind, string> = {
  "stripe-checkout": "Checkout Session",
  "stripe-customer": "Stripe customer",
  "stripe-subscription": "Stripe subscription",
  "stripe-payment-intent": "PaymentIntent",
  "polar-checkout": "Polar checkout",
  "lemon-squeezy-checkout": "Lemon Squeezy checkout",
  "lemon-squeezy-rest": "Lemon Squeezy checkout",
};

function whereFor(create: PaymentCreate): string {
  switch (create.kind) {
    case "stripe-checkout":
      return create.mode === "subscription" ? "`metadata` and `subscription_data.metadata`" : "`metadata` (or `client_reference_id`)";
    case "polar-checkout":
      return "`metadata` (or the external customer id)";
    case "lemon-squeezy-checkout":
      return "`checkoutData.custom`";
    case "lemon-squeezy-rest":
      return "`checkout_data.custom`";
    default:
      return "`metadata`";
  }
}

const USER_ID_KEY = "userId";
const LEMON_SQUEEZY_KEY = "user_id";

function carrierName(carrier: IdentityCarrier): string {
  if (carrier.location === "client_reference_id" || carrier.location === "customer" || carrier.location === "external_customer_id") {
    return carrier.key;
  }
  return `${carrier.location === "custom" ? "custom" : carrier.location}.${carrier.key}`;
}

export default createRule<Options, MessageId>({
  name: "require-identity-metadata",
  meta: {
    type: "problem",
    docs: {
      description: "Require the app's own user id, from the server session, on checkout sessions and billing customers",
      recommended: "recommended",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          requireSubscriptionMetadata: {
            type: "boolean",
            description:
              "Also require the user id in `subscription_data.metadata` for subscription-mode Stripe Checkout Sessions that carry it only on the session.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ requireSubscriptionMetadata: true }],
    messages: {
      missingIdentity:
        "This {{object}} is created without the app's user id, so its webhook events can only be matched by email, which goes stale when the user changes it in Clerk and orphans the subscription. Add the id from the server session to {{where}}.",
      subscriptionMetadata:
        "This subscription-mode Checkout Session carries the user id only on the session, and Stripe does not copy session metadata to the subscription, so `customer.subscription.*` and `invoice.*` events cannot be matched to the user. Also set the id in `subscription_data.metadata`.",
      identityFromRequest:
        "The `{{key}}` of this {{object}} comes from {{source}}, which the caller controls, so anyone can attach a payment to another user's account. Read the user id from the server session (`auth()`, `currentUser()`, `ctx.auth.getUserIdentity()`) instead.",
      addUserId: "Add `{{text}}` from {{via}} to {{where}}.",
      addSubscriptionMetadata: "Copy the user id into `subscription_data.metadata`.",
      useSessionUserId: "Use `{{text}}` from {{via}}.",
    },
  },
  create(context, [options]) {
    const text = context.sourceCode.text;
    // `stripe.checkout.sessions.create(`, Lemon Squeezy's `createCheckout(` or its REST API.
    const mayCreate = callsMethod(text, "create") || includesVia(text, "createCheckout", "Checkout") || mentionsLemonSqueezy(text);
    if (!mayCreate) return {};
    const file = fileContextOf(context);
    const sourceCode = context.sourceCode;
    const requireSubscriptionMetadata = options.requireSubscriptionMetadata !== false;

    return {
      "Program:exit"() {
        for (const create of paymentCreates(file)) {
          const object = OBJECT_NAMES[create.kind];
          const session = sessionUserIdAt(file, create.node);
          let tainted = false;
          for (const carrier of create.carriers) {
            const source = requestSourceOf(file, carrier.value);
            if (!source || isComparedInFunction(carrier.value)) continue;
            tainted = true;
            const replacement = session && session.text !== sourceCode.getText(carrier.value) && carrier.location !== "customer" ? session : null;
            context.report({
              node: carrier.value,
              messageId: "identityFromRequest",
              data: { key: carrierName(carrier), object, source },
              suggest: replacement
                ? [
                    {
                      messageId: "useSessionUserId",
                      data: { text: replacement.text, via: replacement.via },
                      fix: (fixer) =>
                        carrier.property.shorthand
                          ? fixer.replaceText(carrier.property, `${carrier.key}: ${replacement.text}`)
                          : fixer.replaceText(carrier.value, replacement.text),
                    },
                  ]
                : [],
            });
          }
          if (!create.complete) continue;
          const reportNode = create.node.type === "CallExpression" ? create.node.callee : create.node;
          if (create.carriers.length === 0) {
            if (create.mapped || !shouldCarryIdentity(file, create)) continue;
            const fix = session ? addIdentityFix(sourceCode, create, session) : null;
            context.report({
              node: reportNode,
              messageId: "missingIdentity",
              data: { object, where: whereFor(create) },
              suggest:
                session && fix
                  ? [{ messageId: "addUserId", data: { text: session.text, via: session.via, where: whereFor(create) }, fix }]
                  : [],
            });
            continue;
          }
          if (
            requireSubscriptionMetadata &&
            create.kind === "stripe-checkout" &&
            create.mode === "subscription" &&
            create.subscriptionData !== "opaque" &&
            !create.carriers.some((c) => c.location === "subscription_data.metadata" || c.location === "customer")
          ) {
            // Copying an id the caller controls would spread the problem reported above.
            const fix = tainted ? null : copyToSubscriptionFix(sourceCode, create);
            context.report({
              node: reportNode,
              messageId: "subscriptionMetadata",
              suggest: fix ? [{ messageId: "addSubscriptionMetadata", fix }] : [],
            });
          }
        }
      },
    };
  },
});

type Fix = TSESLint.ReportFixFunction;

/** Where to add `leaf` under `container.path[0].path[1]...`: the deepest existing object, plus the missing nesting as text. */
function nestedInsertion(
  container: TSESTree.ObjectExpression,
  path: readonly string[],
  leaf: string,
): { object: TSESTree.ObjectExpression; properties: string[] } | null {
  let current = container;
  for (let i = 0; i < path.length; i++) {
    const prop = objectProperties(current).get(path[i]!);
    if (!prop) {
      const rest = path.slice(i + 1);
      let text = `{ ${leaf} }`;
      for (let j = rest.length - 1; j >= 0; j--) text = `{ ${rest[j]}: ${text} }`;
      return { object: current, properties: [`${path[i]}: ${text}`] };
    }
    const value = unwrap(prop.value);
    if (value.type !== "ObjectExpression") return null;
    current = value;
  }
  return { object: current, properties: [leaf] };
}

function addIdentityFix(sourceCode: Readonly<TSESLint.SourceCode>, create: PaymentCreate, session: SessionUserId): Fix | null {
  const params = create.params;
  if (!params) return null;
  const lemon = create.kind === "lemon-squeezy-checkout" || create.kind === "lemon-squeezy-rest";
  const leaf = propertyText(lemon ? LEMON_SQUEEZY_KEY : USER_ID_KEY, session.text);
  const insertions: { object: TSESTree.ObjectExpression; properties: string[] }[] = [];
  const add = (path: readonly string[]) => {
    const found = nestedInsertion(params, path, leaf);
    if (!found) return false;
    const same = insertions.find((i) => i.object === found.object);
    if (same) same.properties.push(...found.properties);
    else insertions.push(found);
    return true;
  };
  if (create.kind === "lemon-squeezy-checkout") {
    if (!add(["checkoutData", "custom"])) return null;
  } else if (create.kind === "lemon-squeezy-rest") {
    if (!add(["checkout_data", "custom"])) return null;
  } else {
    if (!add(["metadata"])) return null;
    if (create.kind === "stripe-checkout" && create.mode === "subscription" && !add(["subscription_data", "metadata"])) return null;
  }
  return (fixer) => insertions.map((i) => appendProperties(sourceCode, fixer, i.object, i.properties));
}

function copyToSubscriptionFix(sourceCode: Readonly<TSESLint.SourceCode>, create: PaymentCreate): Fix | null {
  const params = create.params;
  const carrier = create.carriers[0];
  if (!params || !carrier) return null;
  const leaf =
    carrier.location === "metadata"
      ? sourceCode.getText(carrier.property)
      : propertyText(USER_ID_KEY, sourceCode.getText(carrier.value));
  const found = nestedInsertion(params, ["subscription_data", "metadata"], leaf);
  if (!found) return null;
  return (fixer) => appendProperties(sourceCode, fixer, found.object, found.properties);
}
