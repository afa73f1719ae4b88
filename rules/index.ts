/** Rule id -> rule, alphabetical. The file name of each rule is its id. */
import noEdgeRuntimeOnBilling from "./no-edge-runtime-on-billing.js";
import noSilentEventCase from "./no-silent-event-case.js";

export const rules = {
  "no-edge-runtime-on-billing": noEdgeRuntimeOnBilling,
  "no-silent-event-case": noSilentEventCase,
};

export type RuleId = keyof typeof rules;
