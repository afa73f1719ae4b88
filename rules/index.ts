/** Rule id -> rule, alphabetical. The file name of each rule is its id. */
import noEdgeRuntimeOnBilling from "./no-edge-runtime-on-billing.js";
import noEmailIdentityLookup from "./no-email-identity-lookup.js";
import noQueryThenMutation from "./no-query-then-mutation.js";
import noSecretFallback from "./no-secret-fallback.js";
import noSilentEventCase from "./no-silent-event-case.js";
import noSlowWorkBeforeAck from "./no-slow-work-before-ack.js";
import noTimingUnsafeCompare from "./no-timing-unsafe-compare.js";
import noUnguardedWebhookMutation from "./no-unguarded-webhook-mutation.js";
import preferSecretRotation from "./prefer-secret-rotation.js";
import requireAccurateAck from "./require-accurate-ack.js";
import requireConvexSecretCheck from "./require-convex-secret-check.js";
import requireIdempotentEventMutation from "./require-idempotent-event-mutation.js";
import requireIdentityMetadata from "./require-identity-metadata.js";
import requireRawBody from "./require-raw-body.js";
import requireWebhookSignature from "./require-webhook-signature.js";

export const rules = {
  "no-edge-runtime-on-billing": noEdgeRuntimeOnBilling,
  "no-email-identity-lookup": noEmailIdentityLookup,
  "no-query-then-mutation": noQueryThenMutation,
  "no-secret-fallback": noSecretFallback,
  "no-silent-event-case": noSilentEventCase,
  "no-slow-work-before-ack": noSlowWorkBeforeAck,
  "no-timing-unsafe-compare": noTimingUnsafeCompare,
  "no-unguarded-webhook-mutation": noUnguardedWebhookMutation,
  "prefer-secret-rotation": preferSecretRotation,
  "require-accurate-ack": requireAccurateAck,
  "require-convex-secret-check": requireConvexSecretCheck,
  "require-idempotent-event-mutation": requireIdempotentEventMutation,
  "require-identity-metadata": requireIdentityMetadata,
  "require-raw-body": requireRawBody,
  "require-webhook-signature": requireWebhookSignature,
};

export type RuleId = keyof typeof rules;
