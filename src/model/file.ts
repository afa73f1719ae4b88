/**
 * The per-file context every detector starts from: the import table, what the path says,
 * the settings, and a memo so each derived fact is computed once per file and shared by
 * every rule (and by codemods, which build the same context from their own parse).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { isFunction, staticString, unwrap, type Node } from "./ast.js";
import { resolveSettings, type ResolvedSettings } from "./settings.js";
import { includesRare } from "./text.js";

export interface ImportBinding {
  /** The local name in this file. */
  local: string;
  /** The module specifier. */
  source: string;
  /** `default`, `*` for a namespace, or the imported name. */
  imported: string;
  node: Node;
}

export interface FileInput {
  program: TSESTree.Program;
  /** Path of the file; absolute or relative. */
  filename: string;
  /** Project root (ESLint's `cwd`); used to make `filename` relative before matching path patterns. */
  cwd?: string;
  /** Full source text (comments are read from `program.comments`). */
  text: string;
  /** Raw `settings.webhook` value, or already-resolved settings. */
  settings?: unknown;
}

export interface FileContext {
  readonly program: TSESTree.Program;
  readonly text: string;
  readonly comments: readonly TSESTree.Comment[];
  readonly settings: ResolvedSettings;
  /** Forward-slash path relative to the project root when it lies inside it. */
  readonly path: string;
  readonly basename: string;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  /** Module specifiers imported, required or re-exported at top level, in source order (a module imported twice is listed twice). */
  readonly importSources: readonly string[];
  /** The file starts with a `"use server"` directive. */
  readonly useServer: boolean;
  /** Computes `compute()` once per file and key. */
  memo<T>(key: string, compute: () => T): T;
  /** The answer to `fact` for this file, computed once (see {@link fileFact}). */
  fact<T>(fact: FileFact<T>): T;
  /** Computes `compute()` once per node and key (a question about one function, switch or branch). */
  memoAt<T>(node: Node, key: string, compute: () => T): T;
}

/**
 * A question every file is asked, most of them by several rules, answered once per file and
 * kept in a numbered slot: no key to hash and no closure to allocate per ask, as with `memo`.
 * Measured inside ESLint, where parsing has just pushed everything out of the caches, a new
 * `memo` entry costs about 2 us per file and a hit about 0.4 us: for the ten or so questions
 * each library file of a monorepo is asked, that was a good part of the rules' time there.
 */
export interface FileFact<T> {
  readonly slot: number;
  readonly compute: (file: FileContext) => T;
}

let factCount = 0;

/** Declares a fact (at module level). `compute` must not return `undefined`, the mark of a slot not yet filled. */
export function fileFact<T extends object | boolean | string | number | null>(compute: (file: FileContext) => T): FileFact<T> {
  return { slot: factCount++, compute };
}

const contexts = new WeakMap<TSESTree.Program, FileContext>();

/** The shared context for a parsed file; built once per Program node. */
export function getFileContext(input: FileInput): FileContext {
  const existing = contexts.get(input.program);
  if (existing) return existing;
  const context = buildContext(input);
  contexts.set(input.program, context);
  return context;
}

function isResolved(value: unknown): value is ResolvedSettings {
  return typeof value === "object" && value !== null && "billingPath" in value && value.billingPath instanceof RegExp;
}

function buildContext(input: FileInput): FileContext {
  const settings = isResolved(input.settings) ? input.settings : resolveSettings(input.settings);
  return new ModuleContext(input.program, input.text, settings, relativePath(input.filename, input.cwd));
}

/**
 * Every file of a run gets one, before any rule knows whether the file matters to it, so it
 * does little up front: the import specifiers, and the import bindings, are each collected when
 * a question first needs them.
 */
class ModuleContext implements FileContext {
  readonly comments: readonly TSESTree.Comment[];
  readonly basename: string;
  readonly useServer: boolean;
  #imports: Map<string, ImportBinding> | null = null;
  #sources: string[] | null = null;
  readonly #memo = new Map<string, unknown>();
  readonly #facts: unknown[] = new Array(factCount);
  readonly #nodeMemo = new Map<string, Map<Node, unknown>>();

  constructor(
    readonly program: TSESTree.Program,
    readonly text: string,
    readonly settings: ResolvedSettings,
    readonly path: string,
  ) {
    this.comments = program.comments ?? [];
    this.basename = path.slice(path.lastIndexOf("/") + 1);
    this.useServer = hasDirective(program.body, "use server");
  }

  get imports(): ReadonlyMap<string, ImportBinding> {
    if (!this.#imports) this.#collect();
    return this.#imports!;
  }

  get importSources(): readonly string[] {
    // Most questions only need the specifiers: collect those alone until a binding is asked for.
    // A list, not a set: every file is asked, and a set would hash every specifier to answer a few tests.
    this.#sources ??= collectImports(this.program, false).sources;
    return this.#sources;
  }

  memo<T>(key: string, compute: () => T): T {
    // One lookup for a hit (the common case); `has` only to tell a stored `undefined` from none.
    const known = this.#memo.get(key);
    if (known !== undefined || this.#memo.has(key)) return known as T;
    const value = compute();
    this.#memo.set(key, value);
    return value;
  }

  fact<T>(fact: FileFact<T>): T {
    const known = this.#facts[fact.slot];
    if (known !== undefined) return known as T;
    const value = fact.compute(this);
    this.#facts[fact.slot] = value;
    return value;
  }

  memoAt<T>(node: Node, key: string, compute: () => T): T {
    let table = this.#nodeMemo.get(key);
    if (!table) {
      table = new Map();
      this.#nodeMemo.set(key, table);
    }
    const known = table.get(node);
    if (known !== undefined || table.has(node)) return known as T;
    const value = compute();
    table.set(node, value);
    return value;
  }

  #collect(): void {
    const { imports, sources } = collectImports(this.program);
    this.#imports = imports;
    this.#sources = sources;
  }
}

/** Normalises separators and strips the project root. Accepts `\` as well as `/`. */
export function relativePath(filename: string, cwd?: string): string {
  const file = filename.includes("\\") ? filename.replace(/\\/g, "/") : filename;
  if (cwd) {
    const root = projectRoot(cwd);
    if (root && file.startsWith(root) && file.charCodeAt(root.length) === 47 /* "/" */) return file.slice(root.length + 1);
  }
  return file.startsWith("./") ? file.slice(2) : file;
}

let lastCwd: string | undefined;
let lastRoot = "";

/** `cwd` with forward slashes and no trailing slash; the same for every file of a run, so the last one is kept. */
function projectRoot(cwd: string): string {
  if (cwd !== lastCwd) {
    lastCwd = cwd;
    lastRoot = cwd.replace(/\\/g, "/").replace(/\/+$/, "");
  }
  return lastRoot;
}

export function hasDirective(statements: readonly TSESTree.Node[], directive: string): boolean {
  for (const statement of statements) {
    if (statement.type !== "ExpressionStatement") return false;
    if (statement.expression.type !== "Literal" || typeof statement.expression.value !== "string") return false;
    if (statement.expression.value === directive) return true;
  }
  return false;
}

function requireSource(node: Node | null | undefined): string | null {
  if (!node) return null;
  let n = unwrap(node);
  if (n.type === "AwaitExpression") n = unwrap(n.argument);
  if (n.type === "MemberExpression") n = unwrap(n.object);
  if (n.type === "CallExpression" && n.callee.type === "Identifier" && n.callee.name === "require") {
    return staticString(n.arguments[0]);
  }
  if (n.type === "ImportExpression") return staticString(n.source);
  return null;
}

/** The module's imports and requires; with `bindings: false` only their specifiers (much cheaper). */
function collectImports(
  program: TSESTree.Program,
  bindings = true,
): {
  imports: Map<string, ImportBinding>;
  sources: string[];
} {
  const imports = new Map<string, ImportBinding>();
  const sources: string[] = [];
  for (const statement of program.body) {
    if (statement.type === "ImportDeclaration") {
      const source = statement.source.value;
      sources.push(source);
      if (!bindings) continue;
      for (const spec of statement.specifiers) {
        const imported =
          spec.type === "ImportDefaultSpecifier"
            ? "default"
            : spec.type === "ImportNamespaceSpecifier"
              ? "*"
              : spec.imported.type === "Identifier"
                ? spec.imported.name
                : String(spec.imported.value);
        imports.set(spec.local.name, { local: spec.local.name, source, imported, node: spec });
      }
      continue;
    }
    if (statement.type === "VariableDeclaration") {
      for (const declarator of statement.declarations) {
        // Only calls (`require(...)`, `await import(...)`) and their members can be a require.
        if (!declarator.init || declarator.init.type === "Literal" || isFunction(declarator.init)) continue;
        const source = requireSource(declarator.init);
        if (source === null) continue;
        sources.push(source);
        if (!bindings) continue;
        const init = unwrap(declarator.init);
        const viaDefault = init.type === "MemberExpression";
        if (declarator.id.type === "Identifier") {
          imports.set(declarator.id.name, {
            local: declarator.id.name,
            source,
            imported: viaDefault ? "default" : "*",
            node: declarator,
          });
        } else if (declarator.id.type === "ObjectPattern") {
          for (const prop of declarator.id.properties) {
            if (prop.type !== "Property" || prop.key.type !== "Identifier") continue;
            const value = prop.value.type === "AssignmentPattern" ? prop.value.left : prop.value;
            if (value.type !== "Identifier") continue;
            imports.set(value.name, { local: value.name, source, imported: prop.key.name, node: prop });
          }
        }
      }
      continue;
    }
    if (statement.type === "ExportNamedDeclaration" && statement.source) {
      sources.push(statement.source.value);
    }
  }
  return { imports, sources };
}

/** True when `source` is `name` or ends in `/name` (so `@/convex/_generated/server` matches `_generated/server`). */
export function moduleMatches(source: string, name: string): boolean {
  if (!source.includes(name)) return false;
  const bare = source.replace(/\.(?:[cm]?[jt]sx?)$/, "");
  return bare === name || bare.endsWith(`/${name}`);
}

/** The import binding of a local name, if it was imported from a module matching one of `modules`. */
export function importedFrom(file: FileContext, local: string, modules: readonly string[]): ImportBinding | null {
  const binding = file.imports.get(local);
  if (!binding) return null;
  return modules.some((m) => moduleMatches(binding.source, m) || binding.source === m) ? binding : null;
}

/**
 * True when the file imports anything from a module matching `test`. With `anchors`, strings
 * one of which every specifier `test` accepts contains (`"vix"`, `"bhooks"`): a specifier is
 * written in the text as it is, so a text that contains none of them imports no such module, and
 * its imports are not collected (a walk over the top-level statements, which parsing has just
 * pushed out of the caches: measured inside ESLint, dearer than a few searches for rare characters).
 */
export function importsModule(file: FileContext, test: (source: string) => boolean, anchors?: readonly string[]): boolean {
  if (anchors && !mentionsAnyRare(file.text, anchors)) return false;
  const sources = file.importSources;
  for (let i = 0; i < sources.length; i++) if (test(sources[i]!)) return true;
  return false;
}

/** The path says this is a webhook route or module (`settings.webhook.webhookPathPatterns`). */
export function isWebhookPath(file: FileContext): boolean {
  return file.fact(WEBHOOK_PATH);
}

const WEBHOOK_PATH = fileFact((file) => file.settings.webhookPath.test(file.path));

/** The path says billing/payments/checkout/stripe/subscriptions/webhooks (`billingPathPatterns`). */
export function isBillingPath(file: FileContext): boolean {
  return file.memo("path:billing", () => file.settings.billingPath.test(file.path));
}

const ROUTE_FILE = /^route\.(?:[cm]?[jt]sx?)$/;
/** An App Router route handler file (`route.ts` and friends, under any folder). */
export function isAppRouteFile(file: FileContext): boolean {
  return ROUTE_FILE.test(file.basename);
}

/** A Pages Router API route (`pages/api/**`, also under `src/`). */
export function isPagesApiFile(file: FileContext): boolean {
  return /(?:^|\/)pages\/api\//.test(file.path);
}

/** A file inside a Convex functions folder (but not its generated code). */
export function isConvexFolderFile(file: FileContext): boolean {
  return file.fact(CONVEX_FOLDER);
}

const CONVEX_FOLDER = fileFact((file) => {
  const path = file.path;
  if (!mentionsAny(path, file.settings.convexDirs) || file.basename === "_generated") return false;
  // The folders one by one, without splitting the path (monorepos have many paths that merely mention "convex").
  let inFolder = false;
  for (let start = 0, end = path.indexOf("/"); end !== -1; start = end + 1, end = path.indexOf("/", start)) {
    const segment = path.slice(start, end);
    if (segment === "_generated") return false;
    if (file.settings.convexDirs.has(segment)) inFolder = true;
  }
  return inFolder;
});

function mentionsAnyRare(text: string, words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) if (includesRare(text, words[i]!)) return true;
  return false;
}

function mentionsAny(text: string, words: Iterable<string>): boolean {
  for (const word of words) if (text.includes(word)) return true;
  return false;
}

/** The Convex module name (`billing` for `convex/billing.ts`, `stripe/webhooks` for nested). */
export function convexModuleName(file: FileContext): string | null {
  const segments = file.path.split("/");
  for (let i = segments.length - 2; i >= 0; i--) {
    if (file.settings.convexDirs.has(segments[i]!)) {
      return segments
        .slice(i + 1)
        .join("/")
        .replace(/\.(?:[cm]?[jt]sx?)$/, "");
    }
  }
  return null;
}

/** Statements at the top level of the file, with `export` wrappers removed. */
export function topLevelDeclarations(program: TSESTree.Program): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  for (const statement of program.body) {
    if ((statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") && statement.declaration) {
      out.push(statement.declaration);
    } else {
      out.push(statement);
    }
  }
  return out;
}
