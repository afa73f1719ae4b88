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

const withDocs = ESLintUtils.RuleCreator<WebhookRuleDocs>((name) => `${REPO_URL}/blob/main/rules/${name}.md`);

/**
 * `createRule({ name, meta, create })`, typescript-eslint style, with a docs URL per rule.
 *
 * typescript-eslint's creator merges the configured options into a `structuredClone` of the
 * defaults every time the rule is created, i.e. for every rule on every file, although the
 * result only depends on the options array ESLint passes (for a rule enabled without options,
 * the same `meta.defaultOptions` array for every file). Here the merge is done once per options
 * array, and not at all for a rule without options. Rules only read their options (typed
 * `Readonly`), so sharing the merged array between files is safe.
 */
export const createRule: typeof withDocs = <Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, WebhookRuleDocs>>,
) => {
  const created = withDocs(rule);
  // What typescript-eslint merges the configured options into (`[]` for a rule without options).
  const defaults = (rule.meta.defaultOptions ?? rule.defaultOptions ?? []) as Options;
  const merged = new WeakMap<object, Options>();
  const shared: typeof created = {
    ...created,
    create(context) {
      if (defaults.length === 0 && context.options.length === 0) return rule.create(context, defaults);
      let options = merged.get(context.options);
      if (!options) {
        options = ESLintUtils.applyDefault<Options, Options>(defaults, context.options);
        merged.set(context.options, options);
      }
      return rule.create(context, options);
    },
  };
  return shared;
};
