/**
 * Flat configs derived from rule metadata: `recommended` (rules whose docs say
 * `recommended`), `strict` (also `strict` ones) and `all`.
 */
import type { TSESLint } from "@typescript-eslint/utils";
import * as tsParser from "@typescript-eslint/parser";
import type { WebhookRuleDocs } from "./util/create-rule.js";

/** Every JavaScript and TypeScript file; each rule decides by itself whether a file matters. */
export const FILES = ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"];
/** TypeScript files, parsed with @typescript-eslint/parser unless a later config says otherwise. */
export const TS_FILES = ["**/*.{ts,tsx,mts,cts}"];
/** JavaScript files, parsed by ESLint's default parser with JSX on (Next.js pages and components). */
export const JS_FILES = ["**/*.{js,jsx,mjs,cjs}"];
/** Generated Convex code is never linted. */
export const IGNORES = ["**/convex/_generated/**"];

export type ConfigName = "recommended" | "strict" | "all";
export const CONFIG_NAMES: readonly ConfigName[] = ["recommended", "strict", "all"];

type AnyRule = { meta: { docs?: WebhookRuleDocs } };

export function ruleLevelIn(config: ConfigName, docs: WebhookRuleDocs | undefined): boolean {
  if (config === "all") return true;
  if (config === "strict") return docs?.recommended === "recommended" || docs?.recommended === "strict";
  return docs?.recommended === "recommended";
}

export function buildConfigs(
  plugin: TSESLint.FlatConfig.Plugin,
  rules: Record<string, AnyRule>,
): Record<ConfigName, TSESLint.FlatConfig.ConfigArray> {
  const make = (config: ConfigName): TSESLint.FlatConfig.ConfigArray => {
    const enabled: TSESLint.FlatConfig.Rules = {};
    for (const [id, rule] of Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))) {
      if (ruleLevelIn(config, rule.meta.docs)) enabled[`webhook/${id}`] = "error";
    }
    return [
      {
        name: `webhook/${config}/typescript-parser`,
        files: TS_FILES,
        ignores: IGNORES,
        languageOptions: { parser: tsParser as TSESLint.FlatConfig.Parser },
      },
      {
        name: `webhook/${config}/javascript-jsx`,
        files: JS_FILES,
        ignores: IGNORES,
        languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
      },
      {
        name: `webhook/${config}`,
        files: FILES,
        ignores: IGNORES,
        plugins: { webhook: plugin },
        rules: enabled,
      },
    ];
  };
  return { recommended: make("recommended"), strict: make("strict"), all: make("all") };
}
