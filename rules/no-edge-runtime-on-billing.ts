import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { isAppRouteFile, isPagesApiFile, keyName, objectProperties, staticString, unwrap } from "../src/model/index.js";
import { isBillingModule } from "../src/model/webhook.js";
import { EDGE_RUNTIMES, segmentConfigExports } from "../src/model/routes.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";
import { removeListElement, removeStatement } from "../src/util/fix.js";

export default createRule({
  name: "no-edge-runtime-on-billing",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow the Edge runtime on billing and webhook routes",
      recommended: "recommended",
    },
    fixable: "code",
    schema: [],
    messages: {
      edgeRuntime:
        'This {{kind}} route opts into the "{{runtime}}" runtime, where Node\'s crypto and Buffer, Stripe\'s sync constructEvent and large event payloads fail. Remove the export: Node.js is the default runtime.',
    },
  },
  create(context) {
    const file = fileContextOf(context);
    const appRoute = isAppRouteFile(file);
    if (!appRoute && !isPagesApiFile(file)) return {};
    if (!context.sourceCode.text.includes("runtime")) return {};
    if (!isBillingModule(file)) return {};
    const kind = appRoute ? "App Router" : "Pages API";

    return {
      "Program:exit"() {
        const exports = segmentConfigExports(file);
        const runtime = exports.get("runtime");
        if (runtime && appRoute) {
          const value = staticString(runtime.init);
          if (value !== null && EDGE_RUNTIMES.has(value)) {
            context.report({
              node: runtime,
              messageId: "edgeRuntime",
              data: { kind, runtime: value },
              fix: (fixer) => removeDeclarator(context.sourceCode, fixer, runtime),
            });
          }
        }
        const config = exports.get("config");
        const configObject = config?.init ? unwrap(config.init) : null;
        if (config && configObject?.type === "ObjectExpression") {
          const property = objectProperties(configObject).get("runtime");
          const value = property ? staticString(property.value) : null;
          if (property && value !== null && EDGE_RUNTIMES.has(value)) {
            const onlyProperty = configObject.properties.length === 1 && keyName(property) === "runtime";
            context.report({
              node: property,
              messageId: "edgeRuntime",
              data: { kind, runtime: value },
              fix: (fixer) =>
                onlyProperty
                  ? removeDeclarator(context.sourceCode, fixer, config)
                  : removeListElement(context.sourceCode, fixer, property),
            });
          }
        }
      },
    };
  },
});

function removeDeclarator(
  sourceCode: Readonly<TSESLint.SourceCode>,
  fixer: TSESLint.RuleFixer,
  declarator: TSESTree.VariableDeclarator,
): TSESLint.RuleFix {
  const declaration = declarator.parent;
  if (declaration.declarations.length > 1) return removeListElement(sourceCode, fixer, declarator);
  const statement = declaration.parent?.type === "ExportNamedDeclaration" ? declaration.parent : declaration;
  return removeStatement(sourceCode, fixer, statement);
}
