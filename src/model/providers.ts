/**
 * Provider vocabulary: which strings are webhook event names of Stripe, Clerk, Polar,
 * Lemon Squeezy, Paddle, Better Auth sync and Supabase database webhooks.
 */

/** First segments of Stripe event types (`customer.subscription.created` -> `customer`). */
const STRIPE_OBJECTS = [
  "account",
  "application_fee",
  "balance",
  "billing",
  "billing_portal",
  "capability",
  "cash_balance",
  "charge",
  "checkout",
  "climate",
  "coupon",
  "credit_note",
  "customer",
  "customer_cash_balance_transaction",
  "entitlements",
  "file",
  "financial_connections",
  "identity",
  "invoice",
  "invoiceitem",
  "invoice_payment",
  "issuing_authorization",
  "issuing_card",
  "issuing_cardholder",
  "issuing_dispute",
  "issuing_transaction",
  "mandate",
  "payment_intent",
  "payment_link",
  "payment_method",
  "payout",
  "person",
  "plan",
  "price",
  "product",
  "promotion_code",
  "quote",
  "radar",
  "refund",
  "reporting",
  "review",
  "setup_intent",
  "sigma",
  "source",
  "subscription_schedule",
  "tax",
  "tax_rate",
  "terminal",
  "test_helpers",
  "topup",
  "transfer",
  "treasury",
  "v1",
  "v2",
];

/** Clerk, Polar, Paddle, Better Auth sync and similar `object.action` events. */
const OTHER_OBJECTS = [
  // Clerk
  "user",
  "session",
  "email",
  "sms",
  "organization",
  "organizationMembership",
  "organizationInvitation",
  "organizationDomain",
  "role",
  "permission",
  "waitlistEntry",
  "subscription",
  "subscriptionItem",
  "paymentAttempt",
  // Polar
  "order",
  "benefit",
  "benefit_grant",
  "refund",
  "customer_seat",
  // Paddle
  "transaction",
  "adjustment",
  "address",
  "business",
  "discount",
  "payout",
  "report",
  "notification",
];

const OBJECTS = new Set([...STRIPE_OBJECTS, ...OTHER_OBJECTS]);

/** Lemon Squeezy (`meta.event_name`) events use underscores, not dots. */
const LEMON_SQUEEZY_EVENTS = new Set([
  "order_created",
  "order_refunded",
  "subscription_created",
  "subscription_updated",
  "subscription_cancelled",
  "subscription_resumed",
  "subscription_expired",
  "subscription_paused",
  "subscription_unpaused",
  "subscription_payment_success",
  "subscription_payment_failed",
  "subscription_payment_recovered",
  "subscription_payment_refunded",
  "subscription_plan_changed",
  "license_key_created",
  "license_key_updated",
  "affiliate_activated",
]);

const SEGMENT = /^[a-z][a-zA-Z0-9_]*$/;

/**
 * True for strings that are webhook event types of a known provider:
 * `checkout.session.completed`, `user.created`, `order.paid`, `subscription_created`.
 * Not for reducer actions (`todos/added`), DOM events (`click`) or constants (`INCREMENT`).
 */
export function isProviderEventName(value: string): boolean {
  if (LEMON_SQUEEZY_EVENTS.has(value)) return true;
  if (value.length > 80) return false;
  const segments = value.split(".");
  if (segments.length < 2 || segments.length > 5) return false;
  if (!segments.every((s) => SEGMENT.test(s))) return false;
  return OBJECTS.has(segments[0]!);
}

/**
 * A quoted string in source text that may be a provider event name (`"invoice.paid"`,
 * `'order_created'`). A cheap pre-filter for whole files; {@link isProviderEventName} decides.
 */
const PROVIDER_EVENT_LITERAL = new RegExp(
  `["'\`](?:(?:${[...OBJECTS].join("|")})\\.[a-z]|(?:${[...LEMON_SQUEEZY_EVENTS].join("|")})["'\`])`,
);

/** True when `text` has a quoted string that may be a provider event name. */
export function mayContainProviderEventName(text: string): boolean {
  return PROVIDER_EVENT_LITERAL.test(text);
}

/**
 * The text names Lemon Squeezy (its SDK, API host or types) in any case: what
 * `/lemonsqueezy/i` tests, after a substring search that rules out ordinary code at once
 * (every spelling in use, `lemonsqueezy`, `LemonSqueezy`, `lemonSqueezy`, `LEMONSQUEEZY`, has
 * `queezy` or `UEEZY`, whose rare first letters `indexOf` skips to fast).
 */
export function mentionsLemonSqueezy(text: string): boolean {
  return (text.includes("queezy") || text.includes("UEEZY")) && /lemonsqueezy/i.test(text);
}

/** The provider an event name most likely belongs to, for messages. */
export function eventProvider(value: string): "stripe" | "lemon-squeezy" | "other" {
  if (LEMON_SQUEEZY_EVENTS.has(value)) return "lemon-squeezy";
  const first = value.split(".")[0]!;
  if (STRIPE_OBJECTS.includes(first) && value === value.toLowerCase()) return "stripe";
  return "other";
}

/** Module specifiers that only webhook code imports. */
export function isWebhookVerifierModule(source: string): boolean {
  return (
    source === "svix" ||
    source === "standardwebhooks" ||
    source === "@clerk/nextjs/webhooks" ||
    source === "@clerk/backend/webhooks" ||
    source === "@polar-sh/sdk/webhooks" ||
    source === "better-auth-sync" ||
    source.startsWith("better-auth-sync/") ||
    source === "@octokit/webhooks" ||
    source === "@paddle/paddle-node-sdk"
  );
}

/** Module specifiers of payment providers' SDKs. */
export function isPaymentSdkModule(source: string): boolean {
  return (
    source === "stripe" ||
    source.startsWith("@stripe/") ||
    source === "@polar-sh/sdk" ||
    source.startsWith("@polar-sh/") ||
    source === "@lemonsqueezy/lemonsqueezy.js" ||
    source === "@paddle/paddle-node-sdk"
  );
}
