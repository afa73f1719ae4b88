import type { TSESTree } from "@typescript-eslint/utils";
import { checkThenActPairs, type CheckThenAct } from "../src/model/atomicity.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

/** The calls that read and write Convex from outside a transaction; without both, nothing to check. */
const READS = /\.query\s*\(|runQuery|fetchQuery|preloadQuery/;
const WRITES = /\.mutation\s*\(|runMutation|fetchMutation/;

function mentionsEither(text: string, a: string, b: string): boolean {
  return text.includes(b) || text.includes(a);
}

export default createRule({
  name: "no-query-then-mutation",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow a Convex query whose result decides a later mutation in a separate transaction",
      recommended: "recommended",
    },
    schema: [],
    messages: {
      queryThenMutation:
        "The result of {{read}} {{relation}} {{write}}, but the two calls are separate transactions, so a retried or concurrent request can pass the same check before either writes. Do the read inside that mutation instead (`npx webhook-lint codemod atomic-mutation`).",
    },
  },
  create(context) {
    const text = context.sourceCode.text;
    // Every read and write named below contains "query" or "Query", and "mutation" or "Mutation": substring
    // searches first (through the rare letters: `q`, `Q` and `M` are found faster than the `u` of "uery").
    if (!mentionsEither(text, "query", "Query") || !mentionsEither(text, "mutation", "Mutation") || !READS.test(text) || !WRITES.test(text)) {
      return {};
    }
    const file = fileContextOf(context);
    const describe = (call: TSESTree.CallExpression, ref: TSESTree.Node | null): string =>
      context.sourceCode.getText(ref ?? call.callee);

    return {
      "Program:exit"() {
        for (const pair of checkThenActPairs(file)) {
          context.report({
            node: pair.readSite,
            messageId: "queryThenMutation",
            data: {
              read: describe(pair.read.node, pair.read.refNode),
              write: describe(pair.write.node, pair.write.refNode),
              relation: relation(pair),
            },
          });
        }
      },
    };
  },
});

function relation(pair: CheckThenAct): string {
  return pair.dependency === "control" ? "decides whether the code calls" : "is passed to";
}
