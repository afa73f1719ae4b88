/**
 * Secrets: which names are secret-like (`STRIPE_WEBHOOK_SECRET`, `internalSecret`, `apiKey`)
 * and which expressions read an environment variable (`process.env.X`, `process.env["X"]`,
 * the typed `env.X` of env modules such as `@t3-oss/env-nextjs`, `import.meta.env.X`,
 * `Deno.env.get("X")`, and `const { X } = process.env`).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { calleeName, memberPath, propertyName, staticString, unwrap, walk, type Node } from "./ast.js";
import { moduleMatches, type FileContext } from "./file.js";
import type { ResolvedSettings } from "./settings.js";

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
]);

/** Qualifiers that make a key/token not a secret (`queryKey`, `cacheKey`, `pageToken`). */
const NON_SECRET_QUALIFIERS = new Set([
  "public",
  "publishable",
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
]);

/** Splits `STRIPE_WEBHOOK_SECRET`, `stripeWebhookSecret`, `x-api-key` into lower-case tokens. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
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

/** The env object `node` denotes (`process.env`, an imported typed `env`), or null. */
export function envObjectKind(file: FileContext, node: TSESTree.Node): EnvSource | null {
  const n = unwrap(node);
  const path = memberPath(n);
  if (!path) return null;
  const joined = path.join(".");
  if (joined === "process.env") return "process.env";
  if (n.type === "MemberExpression" && n.object.type === "MetaProperty" && propertyName(n) === "env") return "import.meta.env";
  if (path.length === 1) {
    const binding = file.imports.get(path[0]!);
    if (binding && /^(?:env|serverEnv|ENV)$/.test(binding.imported) && isEnvModule(file, binding.source)) return "env";
  }
  return null;
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

/** Every env read inside `root`, in source order. */
export function envReads(file: FileContext, root: Node): EnvRead[] {
  const out: EnvRead[] = [];
  walk(root, (node) => {
    if (node.type === "MemberExpression" || node.type === "CallExpression") {
      const read = envReadAt(file, node);
      if (read) {
        out.push(read);
        return false;
      }
    }
    if (node.type === "VariableDeclarator") out.push(...envDestructuringReads(file, node));
    return true;
  });
  return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** Cheap text precondition for any env read. */
export function mayReadEnv(file: FileContext): boolean {
  return /\benv\b/.test(file.text);
}
