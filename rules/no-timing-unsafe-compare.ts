import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import {
  cryptoRuntimeAt,
  isClientFile,
  mayCompareSecrets,
  timingUnsafeCompareAt,
  type CryptoRuntime,
  type TimingUnsafeCompare,
} from "../src/model/compare.js";
import type { FileContext } from "../src/model/file.js";
import { resolveName } from "../src/model/scope.js";
import { insertStyleOf, semi } from "../src/codemod-kit/style.js";
import { isTestFile } from "../src/model/secrets.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

type MessageId =
  | "timingUnsafeCompare"
  | "timingUnsafeCompareConvex"
  | "timingUnsafeCompareEdge"
  | "useTimingSafeEqual"
  | "useConstantTimeHelper";

const HELPER = "constantTimeEqual";

const REPORT_MESSAGE: Record<CryptoRuntime, MessageId> = {
  node: "timingUnsafeCompare",
  convex: "timingUnsafeCompareConvex",
  edge: "timingUnsafeCompareEdge",
};

export default createRule<[], MessageId>({
  name: "no-timing-unsafe-compare",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow comparing signatures and secrets with operators that leak timing",
      recommended: "recommended",
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      timingUnsafeCompare:
        "Comparing {{what}} with `{{operator}}` stops at the first differing byte, so response times tell an attacker how much of a forged value is right. Check that the lengths match, then compare Buffer.from(a) and Buffer.from(b) with crypto.timingSafeEqual.",
      timingUnsafeCompareConvex:
        "Comparing {{what}} with `{{operator}}` stops at the first differing byte, so response times tell an attacker how much of a forged value is right. Convex's default runtime has no node:crypto: use a constant-time helper (or crypto.subtle.verify for an HMAC), or crypto.timingSafeEqual in a \"use node\" action.",
      timingUnsafeCompareEdge:
        "Comparing {{what}} with `{{operator}}` stops at the first differing byte, so response times tell an attacker how much of a forged value is right. The Edge runtime has no node:crypto: use a constant-time helper, or crypto.subtle.verify for an HMAC.",
      useTimingSafeEqual: "Compare with a `constantTimeEqual` helper built on crypto.timingSafeEqual.",
      useConstantTimeHelper: "Compare with a `constantTimeEqual` helper that does not stop at the first difference.",
    },
  },
  create(context) {
    const file = fileContextOf(context);
    if (!mayCompareSecrets(file)) return {};
    if (isClientFile(file) || isTestFile(file)) return {};

    const check = (node: TSESTree.BinaryExpression | TSESTree.CallExpression) => {
      const found = timingUnsafeCompareAt(file, node);
      if (!found) return;
      const runtime = cryptoRuntimeAt(file, node);
      const suggestion: MessageId = runtime === "node" ? "useTimingSafeEqual" : "useConstantTimeHelper";
      context.report({
        node,
        messageId: REPORT_MESSAGE[runtime],
        data: { what: found.sensitive.label ?? "a secret", operator: operatorText(found) },
        suggest:
          found.node.type === "BinaryExpression"
            ? [{ messageId: suggestion, fix: (fixer) => constantTimeFix(context.sourceCode, file, fixer, found.node as TSESTree.BinaryExpression, runtime) }]
            : [],
      });
    };

    return {
      // A literal on either side makes the comparison trivial (see timingUnsafeCompareAt): most `===` in ordinary code stop here.
      "BinaryExpression[operator=/^[!=]==?$/]:not([left.type=\"Literal\"], [right.type=\"Literal\"])": check,
      "CallExpression[callee.property.name=/^(?:includes|equals|localeCompare)$/]:not([arguments.0.type=\"Literal\"])": check,
    };
  },
});

function operatorText(found: TimingUnsafeCompare): string {
  return found.kind === "equality" ? found.operator : `${found.operator}()`;
}

// ---------------------------------------------------------------------------------------
// The suggestion: `a !== b` -> `!constantTimeEqual(a, b)`, plus the helper (and its import)
// when the file does not have one. Style (quotes, semicolons, indentation) follows the file.

interface Style {
  quote: string;
  semi: string;
  indent: string;
  typed: boolean;
}

/** The file's style (shared with the codemods), as the inserted helper needs it. */
function styleOf(file: FileContext): Style {
  const style = insertStyleOf(file);
  return { quote: style.quote, semi: semi(style), indent: style.indent, typed: /\.[cm]?tsx?$/.test(file.basename) };
}

function helperSource(style: Style, timingSafeEqual: string | null): string {
  const { indent: i, semi, typed, quote: q } = style;
  const signature = typed ? `function ${HELPER}(a: unknown, b: unknown): boolean {` : `function ${HELPER}(a, b) {`;
  const guard = `${i}if (typeof a !== ${q}string${q} || typeof b !== ${q}string${q}) return false${semi}`;
  const body = timingSafeEqual
    ? [
        `${i}const x = Buffer.from(a)${semi}`,
        `${i}const y = Buffer.from(b)${semi}`,
        `${i}return x.length === y.length && ${timingSafeEqual}(x, y)${semi}`,
      ]
    : [
        `${i}const x = new TextEncoder().encode(a)${semi}`,
        `${i}const y = new TextEncoder().encode(b)${semi}`,
        `${i}let diff = x.length ^ y.length${semi}`,
        `${i}for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0)${semi}`,
        `${i}return diff === 0${semi}`,
      ];
  const comment = "// Constant-time string comparison: the time taken does not depend on where a and b differ.";
  return [comment, signature, guard, ...body, "}"].join("\n");
}

function constantTimeFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  file: FileContext,
  fixer: TSESLint.RuleFixer,
  node: TSESTree.BinaryExpression,
  runtime: CryptoRuntime,
): TSESLint.RuleFix[] {
  const operand = (n: TSESTree.Node) => (n.type === "SequenceExpression" ? `(${sourceCode.getText(n)})` : sourceCode.getText(n));
  const negate = node.operator === "!==" || node.operator === "!=";
  const fixes = [fixer.replaceText(node, `${negate ? "!" : ""}${HELPER}(${operand(node.left)}, ${operand(node.right)})`)];
  if (file.imports.has(HELPER) || resolveName(HELPER, sourceCode.ast)) return fixes;

  const style = styleOf(file);
  let timingSafeEqual: string | null = null;
  if (runtime === "node") {
    const found = nodeCryptoReference(sourceCode, file, fixer, style);
    timingSafeEqual = found.reference;
    if (found.fix) fixes.push(found.fix);
  }
  const text = sourceCode.text;
  const helper = helperSource(style, timingSafeEqual);
  fixes.push(fixer.insertTextAfterRange([text.length, text.length], text.endsWith("\n") ? `\n${helper}\n` : `\n\n${helper}\n`));
  return fixes;
}

/** How to call Node's `timingSafeEqual` here, adding it to an existing `crypto` import or importing it. */
function nodeCryptoReference(
  sourceCode: Readonly<TSESLint.SourceCode>,
  file: FileContext,
  fixer: TSESLint.RuleFixer,
  style: Style,
): { reference: string; fix: TSESLint.RuleFix | null } {
  const existing = file.imports.get("timingSafeEqual");
  if (existing) return { reference: "timingSafeEqual", fix: null };
  let named: TSESTree.Node | null = null;
  for (const binding of file.imports.values()) {
    if (!/^(?:node:)?crypto$/.test(binding.source)) continue;
    // `import type { KeyObject } from "crypto"` brings no value into scope.
    const declaration = binding.node.parent;
    if (declaration?.type === "ImportDeclaration" && declaration.importKind === "type") continue;
    if (binding.node.type === "ImportSpecifier" && binding.node.importKind === "type") continue;
    if (binding.imported === "default" || binding.imported === "*") return { reference: `${binding.local}.timingSafeEqual`, fix: null };
    named = binding.node;
  }
  const program = sourceCode.ast;
  if (named) {
    // `import { createHmac } from "crypto"` / `const { createHmac } = require("crypto")`: add to the list.
    const owner = named.parent;
    const last =
      owner?.type === "ImportDeclaration"
        ? owner.specifiers[owner.specifiers.length - 1]
        : owner?.type === "ObjectPattern"
          ? owner.properties[owner.properties.length - 1]
          : undefined;
    if (last) return { reference: "timingSafeEqual", fix: fixer.insertTextAfter(last, ", timingSafeEqual") };
  }
  const q = style.quote;
  const imports = program.body.filter((s): s is TSESTree.ImportDeclaration => s.type === "ImportDeclaration");
  const lastImport = imports[imports.length - 1];
  if (lastImport) {
    return { reference: "timingSafeEqual", fix: fixer.insertTextAfter(lastImport, `\nimport { timingSafeEqual } from ${q}node:crypto${q}${style.semi}`) };
  }
  const commonJs = file.importSources.length > 0 || /\bmodule\.exports\b|\bexports\.\w+\s*=/.test(sourceCode.text);
  const statement = commonJs
    ? `const { timingSafeEqual } = require(${q}node:crypto${q})${style.semi}`
    : `import { timingSafeEqual } from ${q}node:crypto${q}${style.semi}`;
  const first = program.body.find((s) => !(s.type === "ExpressionStatement" && "directive" in s && s.directive));
  if (!first) return { reference: "timingSafeEqual", fix: fixer.insertTextAfterRange([0, 0], `${statement}\n`) };
  return { reference: "timingSafeEqual", fix: fixer.insertTextBefore(first, `${statement}\n\n`) };
}
