/** The ESLint plugin: `import webhook from "webhook-lint"`. */
import type { TSESLint } from "@typescript-eslint/utils";
import { rules } from "../rules/index.js";
import { buildConfigs, type ConfigName } from "./configs.js";
import { packageInfo } from "./util/package-info.js";

const { name, version } = packageInfo();

const plugin = {
  meta: { name, version },
  rules,
  configs: {} as Record<ConfigName, TSESLint.FlatConfig.ConfigArray>,
};

plugin.configs = buildConfigs(plugin, rules);

// Only a default export: CommonJS `require("webhook-lint")` and tools that load plugins
// that way then see the plugin itself. Globs live in "webhook-lint/configs".
export default plugin;
export type { ConfigName };
export type { WebhookSettings } from "./model/settings.js";
