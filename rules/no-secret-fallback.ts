import type { TSESTree } from "@typescript-eslint/utils";
import { WRAPPER_TYPES } from "../src/model/ast.js";
import { describeFallback, isTestFile, LITERAL_FALLBACK_TYPES, mayReadEnv, secretFallbackAt } from "../src/model/secrets.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

/**
 * Node types a fallback value can have before `unwrap` (a string, a template, a ternary of
 * those, or one of them behind a TypeScript wrapper): an esquery pattern for the selectors.
 */
const FALLBACK_TYPES = `/^(?:${[...LITERAL_FALLBACK_TYPES, ...WRAPPER_TYPES].join("|")})$/`;

/**
 * The selectors: only nodes whose fallback side may be a hard-coded string (see literalFallback),
 * as most `||`, `??` and ternaries in ordinary code fall back to something else and never reach
 * the rule. Built once: a selector string made per file is a new string for ESLint to look up.
 */
const PATTERN_DEFAULT = `AssignmentPattern[right.type=${FALLBACK_TYPES}]`;
const LOGICAL = `LogicalExpression[operator=/^(?:\\?\\?|\\|\\|)$/][right.type=${FALLBACK_TYPES}]`;
const LOGICAL_ASSIGNMENT = `AssignmentExpression[operator=/^(?:\\?\\?=|\\|\\|=)$/][right.type=${FALLBACK_TYPES}]`;
const CONDITIONAL = `ConditionalExpression[consequent.type=${FALLBACK_TYPES}], ConditionalExpression[alternate.type=${FALLBACK_TYPES}]`;
const SCHEMA_DEFAULT = "CallExpression[callee.property.name=/^(?:default|catch)$/], CallExpression[callee.name=\"cleanEnv\"]";

/** Secret-ish words that make a default parameter worth a look when the file reads no env. */
const SECRET_WORDS = /secret|signing|hmac|api_?key|private|passw|credential|passphrase/i;

export default createRule({
  name: "no-secret-fallback",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow hard-coded fallbacks for secret environment variables",
      recommended: "recommended",
    },
    schema: [],
    messages: {
      signingSecretFallback:
        "`{{name}}` falls back to {{fallback}} when it is unset, so signatures and tokens are then checked with a key anyone can read (Node's HMAC accepts an empty or placeholder key). Fail fast instead: throw at startup or return a 500 when the secret is missing.",
      secretFallback:
        "`{{name}}` falls back to {{fallback}} when it is unset, so a missing secret goes unnoticed and a value anyone can read stands in for it. Fail fast instead: throw at startup or return a 500 when the secret is missing.",
    },
  },
  create(context) {
    const file = fileContextOf(context);
    if (isTestFile(file)) return {};
    const readsEnv = mayReadEnv(file);

    const check = (node: TSESTree.Node) => {
      const found = secretFallbackAt(file, node);
      if (!found) return;
      context.report({
        node: found.node,
        messageId: found.signing ? "signingSecretFallback" : "secretFallback",
        data: { name: found.name, fallback: describeFallback(found.node) },
      });
    };

    if (!readsEnv) {
      // Without env reads only a parameter default can hold a secret, and only in a file that names one:
      // asked at the first hard-coded default, as most files have none (cheaper than searching every file).
      let namesSecrets: boolean | undefined;
      return {
        [PATTERN_DEFAULT](node: TSESTree.AssignmentPattern) {
          namesSecrets ??= SECRET_WORDS.test(file.text);
          if (namesSecrets) check(node);
        },
      };
    }
    return {
      [PATTERN_DEFAULT]: check,
      [LOGICAL]: check,
      [LOGICAL_ASSIGNMENT]: check,
      [CONDITIONAL]: check,
      [SCHEMA_DEFAULT]: check,
    };
  },
});
