/**
 * Secrets: which names are secret-like (`STRIPE_WEBHOOK_SECRET`, `internalSecret`, `apiKey`)
 * and which expressions read an environment variable (`process.env.X`, `process.env["X"]`,
 * the typed `env.X` of env modules such as `@t3-oss/env-nextjs`, `import.meta.env.X`,
 * `Deno.env.get("X")`, and `const { X } = process.env`); and secrets with a hard-coded
 * fallback (`process.env.WEBHOOK_SECRET ?? "dev"`, schema defaults, default parameters).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  contains,
  findAll,
  isEqualityOperator,
  isFunction,
  keyName,
  memberPath,
  objectProperties,
  propertyName,
  staticString,
  unwrap,
  walk,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { fileFact, importsModule, moduleMatches, type FileContext } from "./file.js";
import { resolveName } from "./scope.js";
import type { ResolvedSettings } from "./settings.js";
import { hasWord } from "./text.js";

const SECRET_TOKENS = new Set([
  "secret",
  "secrets",
  "token",
  "tokens",
  "key",
  "keys",
  "apikey",
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "private",
  "privatekey",
  "credential",
  "credentials",
  "signing",
  "hmac",
]);

/** Last tokens that make a name describe a secret rather than be one (`TOKEN_URL`, `KEY_ID`). */
const NON_SECRET_LAST = new Set([
  "url",
  "uri",
  "urls",
  "endpoint",
  "host",
  "hostname",
  "domain",
  "issuer",
  "audience",
  "expiry",
  "expires",
  "expiration",
  "exp",
  "ttl",
  "id",
  "ids",
  "name",
  "names",
  "path",
  "file",
  "length",
  "len",
  "header",
  "prefix",
  "type",
  "types",
  "count",
  "limit",
  "version",
  "enabled",
  "disabled",
  "at",
  "lifetime",
  "age",
  "format",
  "field",
  "param",
  "label",
  "hint",
  "algorithm",
  "alg",
  "policy",
  "mode",
  "region",
  "index",
  "cookie",
  "location",
  // Names of a secret's name, store or form field rather than the secret (`secretEnvVar`,
  // `passwordSchema`, `apiKeyPattern`, `passwordError`).
  "var",
  "vars",
  "variable",
  "variables",
  "env",
  "manager",
  "store",
  "vault",
  "schema",
  "validator",
  "regex",
  "pattern",
  "error",
  "errors",
  "message",
  "placeholder",
  "input",
  "visible",
  "visibility",
  "shown",
  "strength",
  "rules",
]);

/** Qualifiers that make a key/token not a secret (`queryKey`, `cacheKey`, `pageToken`). */
const NON_SECRET_QUALIFIERS = new Set([
  "public",
  "publishable",
  // Keys shipped to browsers by design: Supabase's anon key (row-level security guards the data),
  // client-side keys and tokens (Paddle.js, Adyen, Braintree tokenization).
  "anon",
  "anonymous",
  "client",
  "browser",
  "frontend",
  "tokenization",
  "query",
  "cache",
  "sort",
  "primary",
  "foreign",
  "partition",
  "storage",
  "idempotency",
  "object",
  "map",
  "react",
  "unique",
  "lookup",
  "dedupe",
  "dedup",
  "event",
  "row",
  "composite",
  "site",
  "page",
  "pagination",
  "continuation",
  "next",
  "cursor",
  "sync",
  "push",
  "device",
  "fcm",
  "expo",
  "i18n",
  "translation",
  "hot",
  "shortcut",
  "keyboard",
  "design",
  "color",
  "theme",
  "css",
  "font",
  "form",
  "list",
  "local",
  "group",
  "sentry",
  "mapbox",
  // LLM usage counters (`MAX_TOKENS`, `usage.prompt_tokens`) are numbers, not credentials.
  "max",
  "min",
  "total",
  "num",
  "input",
  "output",
  "prompt",
  "completion",
  "reasoning",
  "remaining",
  "used",
  // UI and data-structure keys (`selectedKey`, `rowKey`, `tabKey`).
  "selected",
  "active",
  "expanded",
  "item",
  "column",
  "field",
  "node",
  "tab",
  "menu",
  "step",
  "option",
  "search",
  "table",
  "route",
  "message",
]);

const tokenCache = new Map<string, readonly string[]>();

/**
 * Splits `STRIPE_WEBHOOK_SECRET`, `stripeWebhookSecret`, `x-api-key` into lower-case tokens.
 * Memoised: rules ask about the same few names over and over.
 */
export function nameTokens(name: string): readonly string[] {
  let tokens = tokenCache.get(name);
  if (!tokens) {
    tokens = name
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((t) => t.toLowerCase());
    // An editor session lints for hours: keep the cache bounded.
    if (tokenCache.size >= 10_000) tokenCache.clear();
    tokenCache.set(name, tokens);
  }
  return tokens;
}

/**
 * True for names of secrets: env vars and arguments that hold a secret, key, token or
 * password. `NEXT_PUBLIC_*`, publishable keys, `*_URL`, `*_ID` and React Query's `queryKey`
 * are not secrets. `settings.webhook.secretNamePattern` / `nonSecretNamePattern` extend it.
 */
export function isSecretLikeName(name: string, settings?: ResolvedSettings): boolean {
  if (settings?.nonSecretNamePattern?.test(name)) return false;
  if (/^(?:NEXT_PUBLIC|VITE|PUBLIC|EXPO_PUBLIC|REACT_APP|NUXT_PUBLIC|GATSBY)_/i.test(name)) return false;
  if (settings?.secretNamePattern?.test(name)) return true;
  const tokens = nameTokens(name);
  if (tokens.length === 0) return false;
  if (NON_SECRET_LAST.has(tokens[tokens.length - 1]!)) return false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!SECRET_TOKENS.has(token) && !/(?:secret|password|apikey)s?$/.test(token)) continue;
    const previous = tokens[i - 1];
    if ((token === "key" || token === "keys" || token === "token" || token === "tokens") && previous && NON_SECRET_QUALIFIERS.has(previous)) {
      continue;
    }
    if (tokens.includes("public") || tokens.includes("publishable")) return false;
    return true;
  }
  return false;
}

export type EnvSource = "process.env" | "env" | "import.meta.env" | "Deno.env";

export interface EnvRead {
  /** The reading expression, or the destructuring property for `const { X } = process.env`. */
  node: TSESTree.Node;
  name: string;
  via: EnvSource;
  secretLike: boolean;
}

function isEnvModule(file: FileContext, source: string): boolean {
  return file.settings.envModules.some((m) => source === m || moduleMatches(source, m));
}

/** The file imports or requires an env module (`settings.webhook.envModules`). */
function importsEnvModule(file: FileContext): boolean {
  return file.fact(IMPORTS_ENV_MODULE);
}

const IMPORTS_ENV_MODULE = fileFact((file) => importsModule(file, (source) => isEnvModule(file, source), file.settings.envModuleAnchors));

/** The env object `node` denotes (`process.env`, an imported typed `env`), or null. */
export function envObjectKind(file: FileContext, node: TSESTree.Node): EnvSource | null {
  const n = unwrap(node);
  if (n.type === "Identifier") {
    // The import specifiers first: the bindings are only worth collecting when one is an env module.
    if (!importsEnvModule(file)) return null;
    const binding = file.imports.get(n.name);
    if (binding && /^(?:env|serverEnv|ENV)$/.test(binding.imported) && isEnvModule(file, binding.source)) return "env";
    return null;
  }
  // Asked of every member expression a comparison or a secret question meets: no allocation before the name says `env`.
  if (n.type !== "MemberExpression" || propertyName(n) !== "env") return null;
  if (n.object.type === "MetaProperty") return "import.meta.env";
  const object = unwrap(n.object);
  return object.type === "Identifier" && object.name === "process" ? "process.env" : null;
}

/** Classifies a member expression or `Deno.env.get("X")` call as an env var read. */
export function envReadAt(file: FileContext, node: TSESTree.Node): EnvRead | null {
  const n = unwrap(node);
  if (n.type === "MemberExpression") {
    const via = envObjectKind(file, n.object);
    if (!via) return null;
    const name = propertyName(n);
    if (!name) return null;
    return { node: n, name, via, secretLike: isSecretLikeName(name, file.settings) };
  }
  if (n.type === "CallExpression" && calleeName(n) === "get" && n.callee.type === "MemberExpression") {
    if (memberPath(n.callee.object)?.join(".") !== "Deno.env") return null;
    const name = staticString(n.arguments[0]);
    if (!name) return null;
    return { node: n, name, via: "Deno.env", secretLike: isSecretLikeName(name, file.settings) };
  }
  return null;
}

/** `const { A, B: b } = process.env`: one read per destructured property. */
export function envDestructuringReads(file: FileContext, declarator: TSESTree.VariableDeclarator): EnvRead[] {
  if (!declarator.init || declarator.id.type !== "ObjectPattern") return [];
  const via = envObjectKind(file, declarator.init);
  if (!via) return [];
  const out: EnvRead[] = [];
  for (const prop of declarator.id.properties) {
    if (prop.type !== "Property") continue;
    const name = !prop.computed && prop.key.type === "Identifier" ? prop.key.name : staticString(prop.key);
    if (!name) continue;
    out.push({ node: prop, name, via, secretLike: isSecretLikeName(name, file.settings) });
  }
  return out;
}

/** Every env read inside `root`, in source order. A read's own sub-expressions are not searched. */
export function envReads(file: FileContext, root: Node): EnvRead[] {
  const out: EnvRead[] = [];
  // The candidates in walk order, from the shared node index; what lies inside a read is part of it.
  let lastRead: Node | null = null;
  for (const node of findAll(root, ["MemberExpression", "CallExpression", "VariableDeclarator"])) {
    if (lastRead && contains(lastRead, node)) continue;
    if (node.type === "VariableDeclarator") {
      out.push(...envDestructuringReads(file, node));
      continue;
    }
    const read = envReadAt(file, node);
    if (read) {
      out.push(read);
      lastRead = node;
    }
  }
  return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** Cheap text precondition for any env read. Memoised: several rules and models ask. */
export function mayReadEnv(file: FileContext): boolean {
  return file.fact(MAY_READ_ENV);
}

const MAY_READ_ENV = fileFact((file) => hasWord(file.text, "env", "v"));

// ---------------------------------------------------------------------------------------
// How strongly a name says "secret", and which secrets key a signature.

export type SecretStrength = "strong" | "weak";

/** Tokens that on their own name a credential, not just a token or a key. */
const STRONG_SECRET_TOKENS = /^(?:secrets?|\w*secrets?|\w*apikeys?|privatekeys?|passphrase|credentials?|signing|hmac)$/;
/** Qualifiers that turn a token/key/password into the value a check is made against (`expectedToken`, `adminPassword`). */
const STRONG_QUALIFIERS = new Set([
  "expected",
  "computed",
  "correct",
  "valid",
  "internal",
  "shared",
  "master",
  "admin",
  "server",
  "cron",
  "webhook",
  "signing",
  "service",
  "api",
  "private",
]);

/**
 * How strongly `name` names a secret: `strong` for secrets, API keys, private keys,
 * credentials and qualified tokens/passwords (`INTERNAL_API_SECRET`, `apiKey`, `x-api-key`,
 * `expectedToken`, `ADMIN_PASSWORD`); `weak` for bare tokens, keys and passwords (`token`,
 * `accessToken`, `password`), which user input and OAuth flows use for non-secrets too;
 * null when {@link isSecretLikeName} says it is not a secret at all.
 */
export function secretNameStrength(name: string, settings?: ResolvedSettings): SecretStrength | null {
  if (!isSecretLikeName(name, settings)) return null;
  if (settings?.secretNamePattern?.test(name)) return "strong";
  const tokens = nameTokens(name);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (STRONG_SECRET_TOKENS.test(token)) return "strong";
    if (STRONG_QUALIFIERS.has(token) && i < tokens.length - 1) return "strong";
  }
  return "weak";
}

/**
 * True for secrets that key a signature or a token check (`WEBHOOK_SECRET`,
 * `STRIPE_WEBHOOK_SECRET`, `BETTER_AUTH_SECRET`, `JWT_SECRET_KEY`, `SIGNING_KEY`), as opposed
 * to API keys and OAuth client secrets used to call out (`STRIPE_SECRET_KEY`, `OPENAI_API_KEY`,
 * `GOOGLE_CLIENT_SECRET`).
 */
export function isSigningSecretName(name: string, settings?: ResolvedSettings): boolean {
  if (!isSecretLikeName(name, settings)) return false;
  const tokens = nameTokens(name);
  if (tokens.some((t) => t === "signing" || t === "hmac" || t === "jwt" || t === "webhook" || t === "webhooks")) return true;
  // An OAuth client secret authenticates the app to a provider; it does not key a signature.
  if (tokens.includes("client")) return false;
  const last = tokens[tokens.length - 1] ?? "";
  return /secrets?$/.test(last);
}

/** Test, story and end-to-end files, where hard-coded secrets and plain comparisons are expected. */
export function isTestFile(file: FileContext): boolean {
  return file.fact(TEST_FILE);
}

const TEST_FILE = fileFact((file) => TEST_PATH.test(file.path));

/**
 * A test folder anywhere in the path (`__tests__/`, `tests/`, `e2e/`, `cypress/`...), a test, story
 * or end-to-end file name (`x.test.ts`, `x.stories.tsx`), or a test runner's config or setup file
 * (`vitest.config.ts`, `jest.setup.js`). One expression: every file of a run is asked.
 */
const TEST_PATH =
  /(?:^|\/)(?:(?:__tests__|__mocks__|tests?|e2e|cypress|playwright)\/|(?:vitest|jest|playwright)\.(?:config|setup)[^/]*$)|\.(?:test|spec|stories|e2e|cy)\.[cm]?[jt]sx?$/i;

// ---------------------------------------------------------------------------------------
// Env reads through aliases and string wrappers.

const STRING_METHODS = new Set(["trim", "trimStart", "trimEnd", "toString", "replace", "replaceAll", "valueOf"]);

/**
 * The env var whose value `node` is: `process.env.X`, `process.env.X?.trim()`, `String(env.X)`,
 * a `const` alias of one (`const secret = process.env.X`), or a name destructured from an env
 * object (`const { X } = process.env`). Null for anything else.
 */
export function envReadOf(file: FileContext, node: Node | null | undefined, depth = 4): EnvRead | null {
  if (!node || depth < 0) return null;
  const n = unwrap(node);
  const direct = envReadAt(file, n);
  if (direct) return direct;
  if (n.type === "CallExpression") {
    const name = calleeName(n);
    const callee = unwrap(n.callee);
    if (callee.type === "MemberExpression" && name && STRING_METHODS.has(name)) return envReadOf(file, callee.object, depth);
    if (callee.type === "Identifier" && name === "String") return envReadOf(file, n.arguments[0], depth);
    return null;
  }
  if (n.type !== "Identifier") return null;
  const binding = resolveName(n.name, n);
  if (binding?.kind !== "variable" || !binding.init || binding.declarationKind !== "const") return null;
  if (binding.path.length === 0) return envReadOf(file, binding.init, depth - 1);
  if (binding.path.length === 1) {
    const via = envObjectKind(file, binding.init);
    const name = binding.path[0]!;
    if (via && name !== "[]") return { node: binding.id, name, via, secretLike: isSecretLikeName(name, file.settings) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Fallbacks for secrets: `process.env.X ?? "dev"` and friends.

export type SecretFallbackKind =
  | "logical"
  | "logical-assignment"
  | "conditional"
  | "destructuring-default"
  | "parameter-default"
  | "schema-default";

export interface SecretFallback {
  /** The hard-coded value used when the secret is missing (the node to report). */
  node: TSESTree.Node;
  /** The whole construct: the `??` expression, the default, the `.default(...)` call. */
  expression: TSESTree.Node;
  kind: SecretFallbackKind;
  /** The env var or parameter name. */
  name: string;
  /** The env read, when the secret comes from the environment. */
  read: EnvRead | null;
  /** The secret keys a signature or token check ({@link isSigningSecretName}). */
  signing: boolean;
}

/** The node types {@link literalFallback} accepts once unwrapped (for selectors; a test keeps them in step). */
export const LITERAL_FALLBACK_TYPES: readonly string[] = ["Literal", "TemplateLiteral", "ConditionalExpression"];

/**
 * A hard-coded fallback value: a string or template literal, or a conditional whose branches
 * all are (`isDev ? "dev-secret" : ""`). Numbers, `null`, `undefined` and calls are not: they
 * do not stand in for a key, and a call may throw.
 */
export function literalFallback(node: Node | null | undefined): TSESTree.Literal | TSESTree.TemplateLiteral | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "string") return n;
  if (n.type === "TemplateLiteral") return n;
  if (n.type === "ConditionalExpression") {
    const consequent = literalFallback(n.consequent);
    return consequent && literalFallback(n.alternate) ? consequent : null;
  }
  return null;
}

/** How a message names a fallback value: `an empty string`, `"dev-secret"`, `a template literal`. */
export function describeFallback(node: Node): string {
  const n = unwrap(node);
  if (n.type === "ConditionalExpression") return "a hard-coded value";
  const value = staticString(n);
  if (value === null) return "a template literal";
  if (value.trim() === "") return value === "" ? "an empty string" : "a blank string";
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(shown);
}

const NULLISH_OR_FALSY_OPERATORS = new Set(["??", "||"]);

/** Operands of a `??`/`||` chain, left to right: `a ?? b || c` -> a, b, c. */
function fallbackChain(node: Node): Node[] {
  const n = unwrap(node);
  if (n.type === "LogicalExpression" && NULLISH_OR_FALSY_OPERATORS.has(n.operator)) {
    return [...fallbackChain(n.left), ...fallbackChain(n.right)];
  }
  return [n];
}

function firstSecretRead(file: FileContext, operands: readonly Node[]): EnvRead | null {
  for (const operand of operands) {
    const read = envReadOf(file, operand);
    if (read?.secretLike) return read;
  }
  return null;
}

function fallbackOf(
  file: FileContext,
  kind: SecretFallbackKind,
  expression: TSESTree.Node,
  value: TSESTree.Node,
  read: EnvRead | null,
  name: string,
): SecretFallback {
  return { node: value, expression, kind, name, read, signing: isSigningSecretName(name, file.settings) };
}

/** Classifies one node as a secret with a hard-coded fallback, or returns null. */
export function secretFallbackAt(file: FileContext, node: TSESTree.Node): SecretFallback | null {
  switch (node.type) {
    case "LogicalExpression": {
      if (!NULLISH_OR_FALSY_OPERATORS.has(node.operator)) return null;
      const value = literalFallback(node.right);
      if (!value) return null;
      const read = firstSecretRead(file, fallbackChain(node.left));
      if (!read) return null;
      if (isEmpty(value) && isCheckedForEmpty(file, node, read)) return null;
      return fallbackOf(file, "logical", node, value, read, read.name);
    }
    case "AssignmentExpression": {
      if (node.operator !== "??=" && node.operator !== "||=") return null;
      const value = literalFallback(node.right);
      if (!value) return null;
      const target = unwrap(node.left);
      const read = envReadAt(file, target) ?? envReadOf(file, target) ?? letAliasRead(file, target);
      if (!read?.secretLike) return null;
      return fallbackOf(file, "logical-assignment", node, value, read, read.name);
    }
    case "ConditionalExpression": {
      const consequent = literalFallback(node.consequent);
      const alternate = literalFallback(node.alternate);
      if (!consequent === !alternate) return null;
      const value = (consequent ?? alternate)!;
      const read = envReadOf(file, consequent ? node.alternate : node.consequent);
      if (!read?.secretLike) return null;
      if (!mentionsEnvVar(file, node.test, read.name)) return null;
      return fallbackOf(file, "conditional", node, value, read, read.name);
    }
    case "AssignmentPattern":
      return defaultValueFallback(file, node);
    case "CallExpression":
      return schemaDefaultFallback(file, node);
    default:
      return null;
  }
}

/** Every secret fallback in the file, in source order (for codemods and reports). */
export function secretFallbacks(file: FileContext): readonly SecretFallback[] {
  return file.memo("secrets:fallbacks", () => {
    const out: SecretFallback[] = [];
    // The node types secretFallbackAt answers for, from the shared index.
    for (const node of findAll(file.program, ["LogicalExpression", "AssignmentExpression", "ConditionalExpression", "AssignmentPattern", "CallExpression"])) {
      const found = secretFallbackAt(file, node);
      if (found) out.push(found);
    }
    return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
  });
}

function isEmpty(value: Node): boolean {
  return staticString(value) === "";
}

function letAliasRead(file: FileContext, node: Node): EnvRead | null {
  if (node.type !== "Identifier") return null;
  const binding = resolveName(node.name, node);
  if (binding?.kind !== "variable" || !binding.init || binding.path.length > 0) return null;
  return envReadOf(file, binding.init);
}

function mentionsEnvVar(file: FileContext, root: Node, name: string): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (n.type === "MemberExpression" || n.type === "CallExpression" || n.type === "Identifier") {
      if (envReadOf(file, n)?.name === name) {
        found = true;
        return false;
      }
    }
    return true;
  });
  return found;
}

/**
 * `const secret = process.env.X ?? ""; if (!secret) throw ...`: an empty fallback that is
 * checked before use is a way to satisfy the type checker, not a fallback. Looks for a
 * falsy/empty check of the alias or of the env var itself in the same function (or module).
 */
function isCheckedForEmpty(file: FileContext, expression: TSESTree.Node, read: EnvRead): boolean {
  let top: TSESTree.Node = expression;
  for (;;) {
    const parent: TSESTree.Node | undefined = top.parent;
    if (!parent) break;
    if (
      parent.type === "ChainExpression" ||
      parent.type === "TSAsExpression" ||
      parent.type === "TSNonNullExpression" ||
      parent.type === "TSSatisfiesExpression" ||
      (parent.type === "MemberExpression" && parent.object === top) ||
      (parent.type === "CallExpression" && parent.callee === top)
    ) {
      top = parent;
      continue;
    }
    break;
  }
  // `if (!(process.env.X ?? "").trim())`, `(process.env.X || "").length > 0`: the expression is the check.
  const user = top.parent;
  if (
    (user?.type === "UnaryExpression" && user.operator === "!") ||
    ((user?.type === "IfStatement" || user?.type === "ConditionalExpression") && user.test === top) ||
    (user?.type === "LogicalExpression" && user.operator === "&&" && user.left === top) ||
    (user?.type === "BinaryExpression" && /^(?:[!=]==?|[<>]=?)$/.test(user.operator))
  ) {
    return true;
  }
  const declarator = user?.type === "VariableDeclarator" && user.init === top ? user : null;
  const alias = declarator?.id.type === "Identifier" ? declarator.id.name : null;
  const scope = enclosingScope(expression);
  const subjectMatches = (subject: Node): boolean => {
    let s = unwrap(subject);
    if (s.type === "MemberExpression" && propertyName(s) === "length") s = unwrap(s.object);
    if (s.type === "CallExpression" && calleeName(s) === "trim" && s.callee.type === "MemberExpression") s = unwrap(s.callee.object);
    if (alias && s.type === "Identifier" && s.name === alias) {
      const binding = resolveName(alias, s);
      return binding?.kind === "variable" && binding.declarator === declarator;
    }
    return envReadOf(file, s)?.name === read.name;
  };
  let checked = false;
  walk(scope, (n) => {
    if (checked) return false;
    switch (n.type) {
      case "UnaryExpression":
        if (n.operator === "!" && subjectMatches(n.argument)) checked = true;
        break;
      case "IfStatement":
      case "ConditionalExpression":
        if (subjectMatches(n.test)) checked = true;
        break;
      case "LogicalExpression":
        if (n.operator === "&&" && subjectMatches(n.left)) checked = true;
        break;
      case "BinaryExpression":
        if (isEqualityOperator(n.operator) && n.left.type !== "PrivateIdentifier") {
          if ((subjectMatches(n.left) && isEmptyish(n.right)) || (subjectMatches(n.right) && isEmptyish(n.left))) checked = true;
        }
        break;
      case "CallExpression": {
        const name = calleeName(n);
        if (name && /^(?:assert|invariant|ok|ensure|must|required?|expectEnv)$/.test(name) && n.arguments[0] && subjectMatches(n.arguments[0])) {
          checked = true;
        }
        break;
      }
      default:
        break;
    }
    return !checked;
  });
  return checked;
}

function isEmptyish(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return n.value === "" || n.value === 0 || n.value === null;
  if (n.type === "Identifier") return n.name === "undefined";
  return staticString(n) === "";
}

function enclosingScope(node: Node): Node {
  let current = node.parent;
  while (current) {
    if (isFunction(current) || current.type === "Program") return current;
    current = current.parent;
  }
  return node;
}

/** `const { WEBHOOK_SECRET = "dev" } = process.env` and `function f(secret = "dev")`. */
function defaultValueFallback(file: FileContext, pattern: TSESTree.AssignmentPattern): SecretFallback | null {
  const value = literalFallback(pattern.right);
  if (!value) return null;
  const parent = pattern.parent;
  // Destructuring an env object.
  if (parent?.type === "Property" && parent.value === pattern && parent.parent?.type === "ObjectPattern") {
    const objectPattern = parent.parent;
    const owner = objectPattern.parent;
    const name = keyName(parent);
    if (!name) return null;
    if (owner?.type === "VariableDeclarator" && owner.id === objectPattern && owner.init) {
      const via = envObjectKind(file, owner.init);
      if (!via) return null;
      if (!isSecretLikeName(name, file.settings)) return null;
      const read: EnvRead = { node: parent, name, via, secretLike: true };
      if (isEmpty(value) && isCheckedForEmpty(file, pattern, read)) return null;
      return fallbackOf(file, "destructuring-default", pattern, value, read, name);
    }
    // A destructured options parameter: `function createHandler({ secret = "dev" } = {})`.
    const fn = owner?.type === "AssignmentPattern" ? owner.parent : owner;
    if (isFunction(fn) && !isComponent(fn) && isParameterDefaultSecret(file, name)) {
      return fallbackOf(file, "parameter-default", pattern, value, null, name);
    }
    return null;
  }
  // A plain parameter: `function sign(payload, secret = "dev-secret")`.
  if (isFunction(parent) && parent.params.includes(pattern) && pattern.left.type === "Identifier") {
    const name = pattern.left.name;
    if (!isParameterDefaultSecret(file, name)) return null;
    return fallbackOf(file, "parameter-default", pattern, value, null, name);
  }
  return null;
}

/** Parameters are caller input: only strong secret names (`secret`, `apiKey`, `signingKey`) count, not `token = ""`. */
function isParameterDefaultSecret(file: FileContext, name: string): boolean {
  return secretNameStrength(name, file.settings) === "strong" || isSigningSecretName(name, file.settings);
}

/** React components take props like `{ apiKey = "" }` for display; their defaults are not secrets. */
function isComponent(fn: FunctionNode): boolean {
  let name: string | null = null;
  if (fn.type === "FunctionDeclaration" || fn.type === "FunctionExpression") name = fn.id?.name ?? null;
  if (!name && fn.parent?.type === "VariableDeclarator" && fn.parent.id.type === "Identifier") name = fn.parent.id.name;
  if (name && /^[A-Z]/.test(name) && !/^[A-Z0-9_]+$/.test(name)) return true;
  let jsx = false;
  walk(fn.body, (n) => {
    if (jsx) return false;
    if (n.type === "JSXElement" || n.type === "JSXFragment") jsx = true;
    return !jsx;
  });
  return jsx;
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Schema defaults for secrets in env modules: `z.string().default("dev")` (or `.catch(...)`)
 * for a secret-like key of `createEnv({ server: { ... } })` (t3-env) or of an UPPER_SNAKE
 * `z.object({ ... })` env schema; envalid's `cleanEnv(process.env, { X: str({ default }) })`.
 */
function schemaDefaultFallback(file: FileContext, call: TSESTree.CallExpression): SecretFallback | null {
  const name = calleeName(call);
  const callee = unwrap(call.callee);
  if ((name === "default" || name === "catch") && callee.type === "MemberExpression") {
    const argument = call.arguments[0];
    if (!argument || argument.type === "SpreadElement") return null;
    const fallbackFn = unwrap(argument);
    const value =
      literalFallback(argument) ??
      (fallbackFn.type === "ArrowFunctionExpression" && fallbackFn.body.type !== "BlockStatement" ? literalFallback(fallbackFn.body) : null);
    if (!value) return null;
    // Climb the rest of the chain: `z.string().default("x").describe("...")`.
    let top: TSESTree.Node = call;
    while (top.parent?.type === "MemberExpression" && top.parent.object === top && top.parent.parent?.type === "CallExpression") {
      top = top.parent.parent;
    }
    const property = top.parent;
    if (property?.type !== "Property" || property.value !== top) return null;
    const key = keyName(property);
    if (!key || !isSecretLikeName(key, file.settings)) return null;
    if (!isEnvSchemaObject(file, property.parent, key)) return null;
    return fallbackOf(file, "schema-default", call, value, null, key);
  }
  if (name === "cleanEnv" && callee.type === "Identifier") {
    // Report the first secret with a `default` (envalid's `devDefault` is dev-only and fine).
    const specs = call.arguments[1] ? unwrap(call.arguments[1]) : null;
    if (specs?.type !== "ObjectExpression") return null;
    for (const prop of specs.properties) {
      if (prop.type !== "Property") continue;
      const key = keyName(prop);
      if (!key || !isSecretLikeName(key, file.settings)) continue;
      const validator = unwrap(prop.value);
      if (validator.type !== "CallExpression") continue;
      const fallback = objectProperties(validator.arguments[0]).get("default");
      const value = fallback ? literalFallback(fallback.value) : null;
      if (value) return fallbackOf(file, "schema-default", call, value, null, key);
    }
  }
  return null;
}

function isEnvSchemaObject(file: FileContext, object: Node | undefined, key: string): boolean {
  if (object?.type !== "ObjectExpression") return false;
  const holder = object.parent;
  // t3-env: createEnv({ server: { ... }, shared: { ... } })
  if (holder?.type === "Property" && holder.value === object) {
    const section = keyName(holder);
    const config = holder.parent;
    const call = config?.parent;
    if (
      (section === "server" || section === "shared") &&
      call?.type === "CallExpression" &&
      calleeName(call) === "createEnv" &&
      call.arguments[0] === config
    ) {
      return true;
    }
  }
  // z.object({ WEBHOOK_SECRET: z.string().default("dev") }) in a file that reads the environment.
  if (holder?.type === "CallExpression" && calleeName(holder) === "object" && holder.arguments[0] === object) {
    return UPPER_SNAKE.test(key) && /\b(?:process\.env|import\.meta\.env|Deno\.env|createEnv)\b/.test(file.text);
  }
  return false;
}
