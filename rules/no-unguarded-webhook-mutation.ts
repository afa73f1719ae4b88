import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import {
  billingStateChanges,
  callsPublicRegistrar,
  convexFunctionLabel,
  convexGuard,
  findAll,
  isGeneratedServerModule,
  lookupTable,
  mayRegisterConvexFunctions,
  publicConvexFunctions,
  type BillingStateChange,
  type ConvexFunction,
  type FileContext,
} from "../src/model/index.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type Options = [{ authFunctions?: string[]; billingFields?: string[] }];
type MessageId = "unguardedMutation" | "makeInternal";

/** `mutation` -> `internalMutation`, by the module the registrar comes from. */
const INTERNAL_REGISTRAR = lookupTable<{ generated: boolean; target: string }>({
  mutation: { generated: true, target: "internalMutation" },
  mutationGeneric: { generated: false, target: "internalMutationGeneric" },
});

function list(names: readonly string[]): string {
  const unique = [...new Set(names)];
  const shown = unique.slice(0, 3);
  if (unique.length > 3) return `${shown.join(", ")} and more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** What the message says the mutation does, from its most telling change. */
function describeChanges(changes: readonly BillingStateChange[]): string {
  const fields = changes.filter((c) => c.kind === "field").map((c) => c.name);
  if (fields.length > 0) return `writes ${list(fields)}`;
  const table = changes.find((c) => c.kind === "table");
  if (table) return `writes to the ${table.name} table`;
  const call = changes.find((c) => c.kind === "internal-call");
  if (call) return `runs ${call.name}`;
  return `takes ${list(changes.filter((c) => c.kind === "provider-id").map((c) => c.name))}`;
}

/**
 * A suggestion that registers the function with `internalMutation` instead, adding (or
 * renaming) the import. Only for a plain, un-aliased `mutation`/`mutationGeneric` import.
 */
function makeInternalFix(
  file: FileContext,
  fn: ConvexFunction,
): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[]) | null {
  const callee = fn.node.callee;
  if (callee.type !== "Identifier") return null;
  const binding = file.imports.get(callee.name);
  const registrar = binding ? INTERNAL_REGISTRAR[binding.imported] : undefined;
  if (!binding || !registrar || binding.local !== binding.imported || binding.node.type !== "ImportSpecifier") return null;
  if (registrar.generated ? !isGeneratedServerModule(binding.source) : binding.source !== "convex/server") return null;
  const existing = [...file.imports.values()].find((b) => b.source === binding.source && b.imported === registrar.target);
  if (!existing && file.imports.has(registrar.target)) return null;
  if (!existing && findAll(file.program, ["Identifier"]).some((id) => id.name === registrar.target)) return null;
  const specifier = binding.node;
  const uses = findAll(file.program, ["Identifier"]).filter((id) => id.name === callee.name && id !== specifier.local && id !== specifier.imported);
  return (fixer) => {
    const fixes = [fixer.replaceText(callee, existing?.local ?? registrar.target)];
    if (!existing) {
      fixes.push(
        uses.length === 1
          ? fixer.replaceText(specifier, registrar.target)
          : fixer.insertTextAfter(specifier, `, ${registrar.target}`),
      );
    }
    return fixes;
  };
}

export default createRule<Options, MessageId>({
  name: "no-unguarded-webhook-mutation",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow unauthenticated public Convex mutations that change billing or identity state",
      recommended: "recommended",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          authFunctions: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description:
              "Names of functions that authenticate the caller (for example an imported `requireTeamMember`), in addition to the ones the rule recognises.",
          },
          billingFields: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description: "Extra field names that hold billing, entitlement or role state (for example `aiMinutes`).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ authFunctions: [], billingFields: [] }],
    messages: {
      unguardedMutation:
        "Public mutation {{fn}} {{reason}} but checks neither the caller's identity nor a shared secret, so anyone with the deployment URL can call it. Make it an internalMutation called from an httpAction, or, when a Next.js route must call it, keep it public and throw unless a secret argument matches a Convex env var (`if (!expected || args.secret !== expected) throw`).",
      makeInternal:
        "Make {{fn}} an internalMutation (callers must then use `internal.*` from an httpAction or another Convex function).",
    },
  },
  create(context, [options]) {
    const file = fileContextOf(context);
    if (!mayRegisterConvexFunctions(file) || !/mutation/i.test(context.sourceCode.text)) return {};
    if (!callsPublicRegistrar(file, ["mutation"])) return {};
    const authFunctions = new Set(options.authFunctions ?? []);
    const billingFields = new Set(options.billingFields ?? []);

    return {
      "Program:exit"() {
        for (const fn of publicConvexFunctions(file)) {
          if (fn.kind !== "mutation") continue;
          const changes = billingStateChanges(file, fn, { billingFields });
          if (changes.length === 0) continue;
          const guard = convexGuard(file, fn, authFunctions);
          if (guard.identity || guard.secret || guard.opaqueSecretCheck || guard.credentialArg) continue;
          const label = convexFunctionLabel(fn);
          const fix = makeInternalFix(file, fn);
          context.report({
            node: fn.node.callee as TSESTree.Node,
            messageId: "unguardedMutation",
            data: { fn: label, reason: describeChanges(changes) },
            suggest: fix ? [{ messageId: "makeInternal", data: { fn: label }, fix }] : [],
          });
        }
      },
    };
  },
});
