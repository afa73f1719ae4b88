import { ESLintUtils } from "@typescript-eslint/utils";

/** Plugin-specific `meta.docs` fields, read by the configs and the docs generator. */
export interface WebhookRuleDocs {
  description: string;
  /** The narrowest config that enables the rule; absent means `all` only. */
  recommended?: "recommended" | "strict";
  /** Always false: no rule needs type information. */
  requiresTypeChecking?: false;
}

export const REPO_URL = "https://github.com/webhook-lint/webhook-lint";

/** `createRule({ name, meta, create })`, typescript-eslint style, with a docs URL per rule. */
export const createRule = ESLintUtils.RuleCreator<WebhookRuleDocs>(
  (name) => `${REPO_URL}/blob/main/rules/${name}.md`,
);
