/** Rule id -> rule, alphabetical. The file name of each rule is its id. */
import noEdgeRuntimeOnBilling from "./no-edge-runtime-on-billing.js";

export const rules = {
  "no-edge-runtime-on-billing": noEdgeRuntimeOnBilling,
};

export type RuleId = keyof typeof rules;
