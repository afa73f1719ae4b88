import type { TSESTree } from "@typescript-eslint/utils";
import {
  compileExclusionPattern,
  DEFAULT_EXCLUSION_PATTERN,
  eventDispatchAt,
  exclusionComment,
  mayHoldEventDispatch,
  silentBranchReason,
  staticString,
  type EventBranch,
  type EventDispatch,
  type SilentReason,
} from "../src/model/index.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type Options = [{ checkDefault?: boolean; exclusionPattern?: string }];

const REASONS: Record<SilentReason, string> = {
  break: "only breaks",
  return: "only returns",
  log: "only logs",
  ack: "only returns an acknowledgement",
  empty: "is empty",
  "commented-out": "holds only commented-out code",
  "no-op": "does nothing",
};

export default createRule<Options, "silentCase">({
  name: "no-silent-event-case",
  meta: {
    type: "problem",
    docs: {
      description: "Require every handled webhook event case to change state or document why it is excluded",
      recommended: "recommended",
    },
    schema: [
      {
        type: "object",
        properties: {
          checkDefault: {
            type: "boolean",
            description:
              "Also report a `default` case (or final `else`) that only logs or breaks. Off by default: logging unknown event types there is the providers' own sample code.",
          },
          exclusionPattern: {
            type: "string",
            description:
              "Regular expression (source, case-insensitive) for the phrase that marks a documented exclusion comment; replaces the built-in phrases. The comment must still give a reason and must not be a TODO/FIXME.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkDefault: false, exclusionPattern: DEFAULT_EXCLUSION_PATTERN }],
    messages: {
      silentCase:
        'The {{subject}} {{reason}}, so the event is acknowledged but nothing happens and the provider never retries it. Act on it (a state change) or add a "Documented exclusion: <why>" comment.',
    },
  },
  create(context, [options]) {
    const file = fileContextOf(context);
    if (!mayHoldEventDispatch(file)) return {};
    const sourceCode = context.sourceCode;
    const checkDefault = options.checkDefault ?? false;
    const pattern = compileExclusionPattern(options.exclusionPattern ?? DEFAULT_EXCLUSION_PATTERN);

    const describe = (dispatch: EventDispatch, branch: EventBranch): string => {
      if (branch.labelNodes.length === 0) return dispatch.kind === "switch" ? "default case" : "else branch";
      const events = branch.labelNodes.map((label) => {
        const value = staticString(label);
        return value === null ? sourceCode.getText(label) : `"${value}"`;
      });
      if (branch.isDefault) events.push("default");
      return `${dispatch.kind === "switch" ? "case" : "branch"} for ${events.join(", ")}`;
    };

    const check = (node: TSESTree.SwitchStatement | TSESTree.IfStatement) => {
      const dispatch = eventDispatchAt(file, node);
      if (!dispatch) return;
      for (const branch of dispatch.branches) {
        if (branch.isDefault && !checkDefault) continue;
        const reason = silentBranchReason(file, dispatch, branch);
        if (reason === null) continue;
        if (exclusionComment(dispatch, branch, pattern)) continue;
        // A final `else` is reported at the `else` keyword, not at its block.
        const elseToken = dispatch.kind === "if-chain" && branch.isDefault ? sourceCode.getTokenBefore(branch.node) : null;
        context.report({
          ...(elseToken ? { loc: elseToken.loc } : { node: branch.node }),
          messageId: "silentCase",
          data: { subject: describe(dispatch, branch), reason: REASONS[reason] },
        });
      }
    };

    return {
      SwitchStatement: check,
      IfStatement(node) {
        // Only chain heads: `else if` links are read as part of their chain.
        if (node.parent.type === "IfStatement" && node.parent.alternate === node) return;
        check(node);
      },
    };
  },
});
