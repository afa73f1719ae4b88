import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import {
  builderSecretChecks,
  callsPublicRegistrar,
  contains,
  convexFunctionLabel,
  convexSecretCheck,
  failClosedRewrite,
  helperSecretChecks,
  mayRegisterConvexFunctions,
  publicConvexFunctions,
  uncheckedSecretArgs,
  uncomparedSecretReads,
  type ArgShapeKind,
  type CheckSubject,
  type FailOpenHow,
  type SecretCheckProblem,
} from "../src/model/index.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type MessageId =
  | "secretNotCompared"
  | "noThrowOnMismatch"
  | "failsOpenWhenUnset"
  | "optionalSecretArg"
  | "secretArgUnchecked"
  | "rejectWhenUnset";

const HOW: Record<FailOpenHow, string> = {
  skipped: "the comparison is skipped when the variable is missing",
  undefined: "a caller that sends no secret compares `undefined` with `undefined`, which matches",
  null: "a caller that sends `null` passes because `null != undefined` is false",
  empty: "a caller that sends an empty string matches the empty fallback",
};

const VALIDATOR: Partial<Record<ArgShapeKind, string>> = {
  optional: "optional (`v.optional`)",
  any: "not validated (`v.any()`)",
  unvalidated: "not validated (the function has no `args`)",
};

const PARAMETER: Partial<Record<ArgShapeKind, string>> = {
  optional: "an optional parameter",
  unvalidated: "an untyped parameter",
};

export default createRule<[], MessageId>({
  name: "require-convex-secret-check",
  meta: {
    type: "problem",
    docs: {
      description: "Require public Convex functions that take a shared secret to check it, throw on mismatch and fail closed",
      recommended: "recommended",
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      secretNotCompared:
        "{{fn}} reads {{name}} but never compares it with an argument, so it authenticates no caller. Throw unless the caller's secret matches (`if (!expected || args.secret !== expected) throw new Error(\"Unauthorized\")`) and set the variable in Convex with `npx convex env set {{name}}`, because `.env.local` never reaches Convex.",
      noThrowOnMismatch:
        "{{fn}} compares {{arg}} with {{name}} but {{effect}}. Throw (`throw new Error(\"Unauthorized\")`) so the caller sees the failure, and set the variable in Convex with `npx convex env set {{name}}`, because `.env.local` never reaches Convex.",
      failsOpenWhenUnset:
        "{{fn}} lets every caller through when {{name}} is unset in the Convex deployment: {{how}}. Reject a missing value too (`if (!expected || {{value}} !== expected) throw`) and set it with `npx convex env set {{name}}`, because `.env.local` never reaches Convex.",
      optionalSecretArg:
        "{{fn}} accepts calls without {{arg}}: it is {{validator}} and the check lets a missing value through. Require it (`v.string()`) and throw unless it equals the expected secret (`if (!expected || {{value}} !== expected) throw`).",
      secretArgUnchecked:
        "{{fn}} declares the secret argument {{arg}} but never checks it, so any caller gets through. Compare it with a Convex env var and throw on mismatch (`if (!expected || args.{{arg}} !== expected) throw`), setting the variable with `npx convex env set`.",
      rejectWhenUnset: "Reject the call when {{name}} is unset.",
    },
  },
  create(context) {
    // Convex functions, or secret-check helpers that read the environment in a Convex module.
    // Imports and path first: cheaper than any scan of the text.
    const file = fileContextOf(context);
    if (!mayRegisterConvexFunctions(file)) return {};
    if (!/mutation|query|action|\benv\b/i.test(context.sourceCode.text)) return {};

    return {
      "Program:exit"() {
        const reported = new Set<string>();
        const report = (
          node: TSESTree.Node,
          messageId: MessageId,
          data: Record<string, string>,
          suggest?: TSESLint.SuggestionReportDescriptor<MessageId>[],
        ) => {
          const key = `${messageId}:${node.range[0]}:${node.range[1]}`;
          if (reported.has(key)) return;
          reported.add(key);
          context.report({ node, messageId, data, ...(suggest ? { suggest } : {}) });
        };

        const reportProblem = (label: string, problem: SecretCheckProblem, subject: CheckSubject | null) => {
          const { comparison } = problem;
          const name = comparison.envNames[0] ?? "the secret";
          const arg = comparison.argName;
          const helper = subject?.kind === "helper";
          const value = subject?.params.some((p) => p.role === "value" && p.name === arg) ? arg : `args.${arg}`;
          switch (problem.kind) {
            case "no-throw-on-mismatch":
              report(comparison.reportNode, "noThrowOnMismatch", {
                fn: label,
                arg,
                name,
                effect:
                  problem.effect === "returns"
                    ? "returns without an error when the secret is wrong or missing, so the caller (and the webhook provider) sees success and the work is silently skipped"
                    : "runs on when the secret is wrong or missing, so any caller gets through",
              });
              break;
            case "optional-secret-arg":
              report(problem.shape.arg?.validator ?? comparison.reportNode, "optionalSecretArg", {
                fn: label,
                arg,
                value,
                validator: (helper ? PARAMETER : VALIDATOR)[problem.shape.kind] ?? "optional",
              });
              break;
            case "fails-open-when-unset": {
              const rewrite = failClosedRewrite(comparison);
              const sourceCode = context.sourceCode;
              report(
                comparison.reportNode,
                "failsOpenWhenUnset",
                { fn: label, name, arg, value, how: HOW[problem.how ?? "undefined"] },
                rewrite
                  ? [
                      {
                        messageId: "rejectWhenUnset",
                        data: { name },
                        fix: (fixer) =>
                          fixer.replaceText(
                            rewrite.test,
                            `!${sourceCode.getText(rewrite.secret)} || ${sourceCode.getText(rewrite.comparison)}`,
                          ),
                      },
                    ]
                  : undefined,
              );
              break;
            }
          }
        };

        // Checks shared by many functions are judged where they are defined.
        const shared = [...builderSecretChecks(file), ...helperSecretChecks(file)];
        const judgedHelpers: TSESTree.Node[] = [];
        for (const check of shared) {
          if (!check.check.problem) continue;
          judgedHelpers.push(check.subject.fn);
          reportProblem(check.name, check.check.problem, check.subject);
        }

        const functions = callsPublicRegistrar(file, ["query", "mutation", "action"]) ? publicConvexFunctions(file) : [];
        for (const fn of functions) {
          const label = convexFunctionLabel(fn);
          const check = convexSecretCheck(file, fn);
          const problem = check.problem;
          if (problem) {
            if (!judgedHelpers.some((helper) => contains(helper, problem.comparison.node))) reportProblem(label, problem, null);
            continue;
          }
          if (check.comparisons.length > 0 || check.opaqueArgUses.length > 0) continue;
          // Reading or declaring a secret without any check. Actions use keys to call out, and
          // convex-helpers builders may consume a secret argument before the handler runs.
          if (fn.kind === "action" || fn.viaBuilder) continue;
          const reads = uncomparedSecretReads(file, fn);
          for (const read of reads) report(read.node, "secretNotCompared", { fn: label, name: read.name });
          if (reads.length > 0) continue;
          for (const arg of uncheckedSecretArgs(file, fn)) report(arg.property.key, "secretArgUnchecked", { fn: label, arg: arg.name });
        }
      },
    };
  },
});
