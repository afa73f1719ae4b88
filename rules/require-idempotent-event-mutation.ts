import type { TSESTree } from "@typescript-eslint/utils";
import { keyName } from "../src/model/ast.js";
import { mayRegisterConvexFunctions } from "../src/model/convex.js";
import {
  dbWriteAt,
  undedupedEventMutations,
  undedupedHandlerWrites,
  type EventMutationFinding,
  type HandlerWriteFinding,
} from "../src/model/dedupe.js";
import { mayBeWebhookModule } from "../src/model/webhook.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type MessageId = "incrementWithoutDedupe" | "writeWithoutDedupe" | "dedupeSplit";

/** Text every file that can write state in response to an event contains (or records an event through a helper). */
const MAY_WRITE =
  /\.(?:insert|patch|replace|create|createMany|update|updateMany|upsert|rpc|updateOne|findOneAndUpdate|findByIdAndUpdate)\s*\(|runAfter|runAt|runMutation|fetchMutation|\.mutation\s*\(|(?:record|claim|mark|store|save|register)\w*(?:Event|Delivery|Processed)\w*\s*\(|\.(?:h|z)?incr\w*\s*\(/i;

const CONVEX_FIX = "Check and record the event id inside this mutation (`npx webhook-lint codemod atomic-mutation`)";
const CALLER_FIX =
  "Pass the event id to the mutation that does the work and check and record it there (`npx webhook-lint codemod atomic-mutation`)";
const TRANSACTION_FIX =
  "Insert the event id into a unique-keyed table inside the same transaction as the write, or upsert by the provider object's id";
const SUPABASE_FIX =
  "Record the event id and write in one database function (`rpc`), or upsert by the provider object's id";
const REDIS_FIX = "Claim the event id and increment in one Lua script (`SET` the event key `NX`, then `INCRBY` only if it was set)";
const HANDLER_FIX: Record<HandlerWriteFinding["store"], string> = {
  convex: CALLER_FIX,
  supabase: SUPABASE_FIX,
  redis: REDIS_FIX,
  prisma: TRANSACTION_FIX,
  drizzle: TRANSACTION_FIX,
  mongo: TRANSACTION_FIX,
  helper: TRANSACTION_FIX,
};

export default createRule<[], MessageId>({
  name: "require-idempotent-event-mutation",
  meta: {
    type: "problem",
    docs: {
      description: "Require state changes driven by webhook events to be deduplicated by the event id in the same transaction",
      recommended: "recommended",
    },
    schema: [],
    messages: {
      incrementWithoutDedupe:
        "Every delivery of the webhook event increments `{{field}}` again, because the event id is not checked and recorded in the same transaction (providers deliver at least once). {{fix}}.",
      writeWithoutDedupe:
        "Every delivery of the webhook event repeats this {{operation}}, because the event id is not checked and recorded in the same transaction (providers deliver at least once). {{fix}}.",
      dedupeSplit:
        "The event id is {{how}} a different transaction from the work it guards, so two deliveries can both do the work, or a failure after the record drops the event. {{fix}}.",
    },
  },
  create(context) {
    // Convex functions, or code in a webhook module (imports and path first: cheaper than the text).
    const file = fileContextOf(context);
    if (!mayRegisterConvexFunctions(file) && !mayBeWebhookModule(file)) return {};
    if (!MAY_WRITE.test(context.sourceCode.text)) return {};
    const reported = new Set<string>();
    const report = (node: TSESTree.Node, messageId: MessageId, data: Record<string, string>) => {
      const key = `${node.range[0]}:${node.range[1]}`;
      if (reported.has(key)) return;
      reported.add(key);
      context.report({ node, messageId, data });
    };

    const reportMutation = (finding: EventMutationFinding) => {
      if (finding.split) {
        report(finding.split.node, "dedupeSplit", { how: "checked here but recorded in", fix: CONVEX_FIX });
        return;
      }
      const increment = finding.increments[0];
      if (increment) {
        const field = increment.type === "Property" ? (keyName(increment) ?? "a value") : "a value";
        report(increment, "incrementWithoutDedupe", { field, fix: CONVEX_FIX });
        return;
      }
      const write = finding.writes[0];
      if (write) {
        const op = dbWriteAt(write)?.op;
        report(write, "writeWithoutDedupe", { operation: op === "schedule" ? "scheduled function" : (op ?? "write"), fix: CONVEX_FIX });
      }
    };

    const reportHandler = (finding: HandlerWriteFinding) => {
      const fix = HANDLER_FIX[finding.store];
      if (finding.problem === "split") {
        report(finding.node, "dedupeSplit", { how: finding.ledger === "mark" ? "recorded in" : "checked in", fix });
      } else if (finding.problem === "increment") {
        report(finding.node, "incrementWithoutDedupe", { field: finding.detail, fix });
      } else {
        report(finding.node, "writeWithoutDedupe", { operation: finding.detail, fix });
      }
    };

    return {
      "Program:exit"() {
        if (mayRegisterConvexFunctions(file)) for (const finding of undedupedEventMutations(file)) reportMutation(finding);
        for (const finding of undedupedHandlerWrites(file)) reportHandler(finding);
      },
    };
  },
});
