/**
 * Provider vocabulary: which strings are webhook event names of Stripe, Clerk, Polar,
 * Lemon Squeezy, Paddle, Better Auth sync and Supabase database webhooks.
 */
import { isWordChar } from "./text.js";

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

/** Quote characters a provider event name can be written between: `"`, `'` and a backtick. */
const QUOTES = ['"', "'", "`"];

/**
 * True when `text` has a quoted string that may be a provider event name (`"invoice.paid"`,
 * `'order_created'`): a quote, then a known object name and `.` and a lower-case letter, or a
 * Lemon Squeezy event name and a quote. A cheap pre-filter for whole files; {@link isProviderEventName} decides.
 * Every file with a `case` or a string comparison is asked, so it looks at each quote and the
 * word after it (`indexOf` finds quotes fast), and takes the word out only when a `.` or a quote
 * follows it: a single regular expression alternating ~90 names costs several times more.
 */
export function mayContainProviderEventName(text: string): boolean {
  for (const quote of QUOTES) {
    for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
      const start = at + 1;
      let end = start;
      while (isWordChar(text.charCodeAt(end))) end++;
      if (end === start) continue;
      const next = text.charCodeAt(end);
      if (next === 46 /* . */) {
        const after = text.charCodeAt(end + 1);
        if (after >= 97 && after <= 122 && OBJECTS.has(text.slice(start, end))) return true;
      } else if ((next === 34 || next === 39 || next === 96) && end - start >= MIN_LEMON_SQUEEZY_EVENT && LEMON_SQUEEZY_EVENTS.has(text.slice(start, end))) {
        return true;
      }
    }
  }
  return false;
}

const MIN_LEMON_SQUEEZY_EVENT = Math.min(...[...LEMON_SQUEEZY_EVENTS].map((name) => name.length));

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

/** Parts of every specifier {@link isWebhookVerifierModule} accepts (`svix`, `.../webhooks`, `better-auth-sync`, `@paddle/...`). */
export const WEBHOOK_VERIFIER_MODULE_ANCHORS: readonly string[] = ["vix", "bhooks", "-sync", "@paddle"];

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

/** Parts of every specifier {@link isPaymentSdkModule} accepts. */
export const PAYMENT_SDK_MODULE_ANCHORS: readonly string[] = ["stripe", "polar", "queezy", "@paddle"];
