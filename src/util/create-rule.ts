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
 * defaults every time the rule is created, i.e. for every rule on every file. The result only
 * depends on the option values, and ESLint hands every file a new array holding the same option
 * object (the rule's `meta.defaultOptions[0]` when a config enables it without options), so the
 * merge is done once per option object here, and not at all for a rule without options. Rules
 * only read their options (typed `Readonly`), so sharing the merged array between files is safe.
 */
export const createRule: typeof withDocs = <Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, WebhookRuleDocs>>,
) => {
  const created = withDocs(rule);
  // What typescript-eslint merges the configured options into (`[]` for a rule without options).
  const defaults = (rule.meta.defaultOptions ?? rule.defaultOptions ?? []) as Options;
  const merged = new WeakMap<object, Options>();
  const optionsFor = (options: Options): Options => {
    if (defaults.length === 0 && options.length === 0) return defaults;
    const only: unknown = options[0];
    const key = options.length === 0 ? defaults : options.length === 1 && typeof only === "object" && only !== null ? only : null;
    if (key === null) return ESLintUtils.applyDefault<Options, Options>(defaults, options);
    let found = merged.get(key);
    if (!found) {
      found = ESLintUtils.applyDefault<Options, Options>(defaults, options);
      merged.set(key, found);
    }
    return found;
  };
  const shared: typeof created = {
    ...created,
    create(context) {
      return rule.create(context, optionsFor(context.options));
    },
  };
  return shared;
};
