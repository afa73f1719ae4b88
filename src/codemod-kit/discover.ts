/**
 * What a codemod needs to know about the project before it reads any source: where the
 * root is, which folder holds the Convex functions (`convex.json` `functions`), the
 * `tsconfig.json` path aliases, the Next.js app/pages folders, and which files to consider.
 */
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { ts } from "ts-morph";

export interface PathAlias {
  /** `@/*` */
  pattern: string;
  /** Project-relative targets with `*`: `src/*`. */
  targets: string[];
}

export interface ProjectLayout {
  /** Absolute project root. */
  root: string;
  /** Project-relative Convex functions folder, forward slashes, no trailing slash (`convex`). */
  convexDir: string;
  /** `tsconfig.json`/`jsconfig.json` `compilerOptions.paths`, resolved against `baseUrl`. */
  aliases: PathAlias[];
  /** Next.js route folders that exist: `app`, `src/app`, `pages`, `src/pages`. */
  appDirs: string[];
}

export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;

/** Folders never read: dependencies, build output, VCS data. `convex/_generated` is handled by layout. */
export const IGNORED_DIRS = new Set([
  "node_modules",
  ".next",
  ".git",
  ".turbo",
  ".vercel",
  ".netlify",
  "dist",
  "build",
  "out",
  "coverage",
]);

/** The nearest folder at or above `start` with a `package.json` or `convex.json`; `start` itself when none. */
export function findProjectRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, "convex.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

function readJsonc(path: string): unknown {
  try {
    const text = readFileSync(path, "utf8");
    const parsed = ts.parseConfigFileTextToJson(path, text);
    return parsed.error ? null : parsed.config;
  } catch {
    return null;
  }
}

function toPosix(path: string): string {
  return path.split(sep).join("/").replace(/\\/g, "/");
}

function cleanRelative(path: string): string {
  const normal = posix.normalize(toPosix(path)).replace(/^\.\//, "").replace(/\/+$/, "");
  return normal === "." ? "" : normal;
}

/** `convex.json` `functions` (default `convex`), project-relative. */
export function convexFunctionsDir(root: string): string {
  const config = readJsonc(join(root, "convex.json")) as { functions?: unknown } | null;
  if (config && typeof config.functions === "string" && config.functions.trim() !== "") {
    return cleanRelative(config.functions);
  }
  return "convex";
}

function compilerPaths(root: string, file: string, depth = 0): PathAlias[] {
  const config = readJsonc(file) as {
    extends?: unknown;
    compilerOptions?: { baseUrl?: unknown; paths?: Record<string, unknown> };
  } | null;
  if (!config) return [];
  const here = dirname(file);
  const options = config.compilerOptions ?? {};
  if (options.paths && typeof options.paths === "object") {
    const base = typeof options.baseUrl === "string" ? resolve(here, options.baseUrl) : here;
    const aliases: PathAlias[] = [];
    for (const [pattern, targets] of Object.entries(options.paths)) {
      if (!Array.isArray(targets)) continue;
      aliases.push({
        pattern,
        targets: targets
          .filter((t): t is string => typeof t === "string")
          .map((t) => cleanRelative(relative(root, resolve(base, t)))),
      });
    }
    return aliases;
  }
  if (typeof config.extends === "string" && config.extends.startsWith(".") && depth < 3) {
    const parent = resolve(here, config.extends.endsWith(".json") ? config.extends : `${config.extends}.json`);
    return compilerPaths(root, parent, depth + 1);
  }
  return [];
}

/** Path aliases from `tsconfig.json` (or `jsconfig.json`), following relative `extends`. */
export function pathAliases(root: string): PathAlias[] {
  for (const name of ["tsconfig.json", "jsconfig.json"]) {
    const file = join(root, name);
    if (existsSync(file)) return compilerPaths(root, file);
  }
  return [];
}

export function discoverLayout(root: string): ProjectLayout {
  const appDirs = ["app", "src/app", "pages", "src/pages"].filter((dir) => {
    try {
      return statSync(join(root, dir)).isDirectory();
    } catch {
      return false;
    }
  });
  return { root, convexDir: convexFunctionsDir(root), aliases: pathAliases(root), appDirs };
}

function isSourceFile(name: string): boolean {
  if (/\.d\.[cm]?ts$/.test(name)) return false;
  return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/**
 * Project-relative source files, sorted, skipping {@link IGNORED_DIRS}, dot-folders and the
 * Convex `_generated` folder. Symlinked folders are not followed.
 */
export function listSourceFiles(layout: ProjectLayout): string[] {
  const generated = layout.convexDir ? `${layout.convexDir}/_generated` : "_generated";
  const out: string[] = [];
  const visit = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(layout.root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (IGNORED_DIRS.has(entry.name) || entry.name.startsWith(".") || path === generated) continue;
        visit(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isSourceFile(entry.name)) {
        out.push(path);
      }
    }
  };
  visit("");
  return out.sort();
}

/**
 * Resolves an import specifier written in `fromFile` to a project-relative path without
 * extension (`convex/_generated/api`), through relative paths and the path aliases.
 * Null for bare package imports.
 */
export function resolveSpecifier(layout: ProjectLayout, fromFile: string, specifier: string): string | null {
  if (specifier.startsWith(".")) {
    return cleanRelative(posix.join(posix.dirname(fromFile), specifier)).replace(/\.(?:[cm]?[jt]sx?)$/, "");
  }
  for (const alias of layout.aliases) {
    const star = alias.pattern.indexOf("*");
    if (star === -1) {
      if (specifier === alias.pattern && alias.targets[0] !== undefined) return alias.targets[0];
      continue;
    }
    const prefix = alias.pattern.slice(0, star);
    const suffix = alias.pattern.slice(star + 1);
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) continue;
    const middle = specifier.slice(prefix.length, specifier.length - suffix.length);
    const target = alias.targets[0];
    if (target === undefined) continue;
    return cleanRelative(target.replace("*", middle)).replace(/\.(?:[cm]?[jt]sx?)$/, "");
  }
  return null;
}
