import { RuleTester } from "@typescript-eslint/rule-tester";

/** RuleTester for .ts/.tsx/.js cases, with @typescript-eslint/parser (no type information). */
export const ruleTester = new RuleTester({
  languageOptions: {
    parserOptions: { ecmaFeatures: { jsx: true } },
  },
});
