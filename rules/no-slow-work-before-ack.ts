import { slowWorkBeforeAck } from "../src/model/ack.js";
import type { SlowKind } from "../src/model/side-effects.js";
import { mayHaveWebhookHandlers } from "../src/model/routes.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

const KIND_LABELS: Record<SlowKind, string> = {
  email: "email send",
  ai: "AI call",
  http: "third-party HTTP request",
  "provider-write": "provider API write",
  action: "Convex action",
};

export default createRule({
  name: "no-slow-work-before-ack",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow awaiting slow side effects in a webhook handler before it acknowledges the event",
      recommended: "recommended",
    },
    schema: [],
    messages: {
      slowWorkBeforeAck:
        "This awaited {{kind}} (`{{callee}}`) holds back the webhook's 2xx and can outlast the provider's timeout, so the event is redelivered and the work repeated. Hand it off durably instead, e.g. `ctx.scheduler.runAfter(0, ...)` from the mutation that records the event or a queue; `after()` and `waitUntil()` lose it if the instance dies.",
    },
  },
  create(context) {
    // The shared handler pre-filter first: memoised per file and asked by several rules anyway
    // (require-accurate-ack, require-raw-body, require-webhook-signature), so only one of them pays for it.
    const file = fileContextOf(context);
    if (!mayHaveWebhookHandlers(file) || !file.text.includes("await")) return {};

    return {
      "Program:exit"() {
        for (const work of slowWorkBeforeAck(file)) {
          context.report({
            node: work.node,
            messageId: "slowWorkBeforeAck",
            data: { kind: KIND_LABELS[work.kind], callee: work.callee },
          });
        }
      },
    };
  },
});
