/**
 * `settings.webhook`: the shared vocabulary users can extend. Documented in README.md
 * ("Shared settings"); every rule reads it through {@link resolveSettings}.
 */

export interface WebhookSettings {
  /** Extra logger names: objects (`pino`, `log`) whose method calls, or functions whose calls, only log. */
  loggers?: string[];
  /** Extra regular expressions (source strings, case-insensitive) matched against a file path to call it a billing route/module. */
  billingPathPatterns?: string[];
  /** Extra regular expressions (case-insensitive) matched against a file path to call it a webhook route/module. */
  webhookPathPatterns?: string[];
  /** Extra names of keys that carry the app's own user id in provider metadata (`clerkUserId`, `userId`, ...). */
  identityFields?: string[];
  /** Extra names of fields that hold an email address. */
  emailFields?: string[];
  /** Extra names of functions that verify a webhook signature (called as `name(...)` or `x.name(...)`). */
  verifiers?: string[];
  /** Extra regular expression (case-insensitive) for secret-like env var and argument names. */
  secretNamePattern?: string;
  /** Regular expression (case-insensitive) for names that must never count as secrets, checked first. */
  nonSecretNamePattern?: string;
  /** Extra module specifiers (exact, or ending in `/name`) whose `env` export is a typed env object. */
  envModules?: string[];
  /** Extra folder names that hold Convex functions (default: `convex`, or `functions` in `convex.json`). */
  convexDirs?: string[];
}

export interface ResolvedSettings {
  loggers: ReadonlySet<string>;
  billingPath: RegExp;
  webhookPath: RegExp;
  identityFields: ReadonlySet<string>;
  emailFields: ReadonlySet<string>;
  verifiers: ReadonlySet<string>;
  secretNamePattern: RegExp | null;
  nonSecretNamePattern: RegExp | null;
  envModules: readonly string[];
  /** The env modules that contain no other one (`env` for all the defaults): a file that mentions none imports none. */
  envModuleAnchors: readonly string[];
  convexDirs: ReadonlySet<string>;
}

export const DEFAULT_LOGGERS = ["console", "logger", "log", "Logger"] as const;

export const DEFAULT_BILLING_PATH_PATTERNS = [
  "billing",
  "payments?",
  "checkout",
  "stripe",
  "polar",
  "lemon-?squeezy",
  "paddle",
  "subscriptions?",
  "invoices?",
  "webhooks?",
] as const;

export const DEFAULT_WEBHOOK_PATH_PATTERNS = ["webhooks?", "web-hooks?", "auth-webhook"] as const;

export const DEFAULT_IDENTITY_FIELDS = [
  "userId",
  "user_id",
  "clerkUserId",
  "clerk_user_id",
  "clerkId",
  "clerk_id",
  "appUserId",
  "app_user_id",
  "externalId",
  "external_id",
  "customerExternalId",
  "client_reference_id",
  "accountId",
  "account_id",
  "organizationId",
  "orgId",
  "teamId",
  "workspaceId",
] as const;

export const DEFAULT_EMAIL_FIELDS = [
  "email",
  "emailAddress",
  "email_address",
  "primaryEmail",
  "primary_email",
  "primaryEmailAddress",
  "userEmail",
  "user_email",
  "customerEmail",
  "customer_email",
  "receipt_email",
  "billingEmail",
  "billing_email",
] as const;

export const DEFAULT_ENV_MODULES = ["env", "env.mjs", "env.js", "env.ts", "@t3-oss/env-nextjs", "@t3-oss/env-core"] as const;

function compileAlternatives(patterns: readonly string[]): RegExp {
  return new RegExp(`(?:${patterns.map((p) => `(?:${p})`).join("|")})`, "i");
}

function stringArray(value: unknown, key: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new Error(`webhook-lint: settings.webhook.${key} must be an array of strings.`);
  }
  return value as string[];
}

function optionalPattern(value: unknown, key: string): RegExp | null {
  if (value === undefined) return null;
  if (typeof value !== "string") throw new Error(`webhook-lint: settings.webhook.${key} must be a string.`);
  try {
    return new RegExp(value, "i");
  } catch (error) {
    throw new Error(`webhook-lint: settings.webhook.${key} is not a valid regular expression: ${(error as Error).message}`);
  }
}

function compileUserPatterns(values: string[], key: string): string[] {
  for (const value of values) {
    try {
      new RegExp(value, "i");
    } catch (error) {
      throw new Error(`webhook-lint: settings.webhook.${key} has an invalid regular expression "${value}": ${(error as Error).message}`);
    }
  }
  return values;
}

const KNOWN_KEYS = new Set([
  "loggers",
  "billingPathPatterns",
  "webhookPathPatterns",
  "identityFields",
  "emailFields",
  "verifiers",
  "secretNamePattern",
  "nonSecretNamePattern",
  "envModules",
  "convexDirs",
]);

const cache = new WeakMap<object, ResolvedSettings>();
let defaults: ResolvedSettings | undefined;

/**
 * Validates and compiles `settings.webhook`. Memoised per settings object, so the work
 * is done once per config, not once per file. Throws a clear error on bad input.
 */
export function resolveSettings(raw: unknown): ResolvedSettings {
  if (raw === undefined || raw === null) return (defaults ??= build({}));
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error("webhook-lint: settings.webhook must be an object.");
  }
  const cached = cache.get(raw);
  if (cached) return cached;
  const resolved = build(raw as Record<string, unknown>);
  cache.set(raw, resolved);
  return resolved;
}

function build(raw: Record<string, unknown>): ResolvedSettings {
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new Error(
        `webhook-lint: unknown key settings.webhook.${key}. Known keys: ${[...KNOWN_KEYS].sort().join(", ")}.`,
      );
    }
  }
  const envModules = [...DEFAULT_ENV_MODULES, ...stringArray(raw.envModules, "envModules")];
  return {
    loggers: new Set([...DEFAULT_LOGGERS, ...stringArray(raw.loggers, "loggers")]),
    billingPath: compileAlternatives([
      ...DEFAULT_BILLING_PATH_PATTERNS,
      ...compileUserPatterns(stringArray(raw.billingPathPatterns, "billingPathPatterns"), "billingPathPatterns"),
    ]),
    webhookPath: compileAlternatives([
      ...DEFAULT_WEBHOOK_PATH_PATTERNS,
      ...compileUserPatterns(stringArray(raw.webhookPathPatterns, "webhookPathPatterns"), "webhookPathPatterns"),
    ]),
    identityFields: new Set([...DEFAULT_IDENTITY_FIELDS, ...stringArray(raw.identityFields, "identityFields")]),
    emailFields: new Set([...DEFAULT_EMAIL_FIELDS, ...stringArray(raw.emailFields, "emailFields")]),
    verifiers: new Set(stringArray(raw.verifiers, "verifiers")),
    secretNamePattern: optionalPattern(raw.secretNamePattern, "secretNamePattern"),
    nonSecretNamePattern: optionalPattern(raw.nonSecretNamePattern, "nonSecretNamePattern"),
    envModules,
    envModuleAnchors: withoutContaining(envModules),
    convexDirs: new Set(["convex", ...stringArray(raw.convexDirs, "convexDirs")]),
  };
}

/** The strings of `list` that contain no other one (a repeated string once): a text that contains none of these contains none of `list`. */
function withoutContaining(list: readonly string[]): string[] {
  return list.filter((s, i) => !list.some((other, j) => (other === s ? j < i : s.includes(other))));
}

/** Reads `settings.webhook` from an ESLint-style settings object. */
export function settingsFrom(settings: Readonly<Record<string, unknown>> | undefined): ResolvedSettings {
  return resolveSettings(settings?.webhook);
}
