/**
 * The project a codemod edits: an in-memory ts-morph Project over the files on disk. Files
 * are read lazily and only parsed when a text prefilter says they may matter; edits are
 * text replacements on the in-memory source files, so nothing touches the disk until the
 * engine saves once at the end.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Project, type SourceFile } from "ts-morph";
import type { TSESTree } from "@typescript-eslint/utils";
import { analyzeSource, ParseError } from "../model/parse.js";
import type { FileContext } from "../model/file.js";
import { discoverLayout, findProjectRoot, listSourceFiles, resolveSpecifier, type ProjectLayout } from "./discover.js";
import { codeFrame, lineColumn } from "./frame.js";
import type { CodemodWarning } from "./types.js";

/** One replacement in a file's current text: `[start, end)` becomes `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface FileSource {
  /** Reads a project file as UTF-8; throws like `fs.readFileSync`. */
  read(absolutePath: string): string;
}

const diskSource: FileSource = { read: (path) => readFileSync(path, "utf8") };

export interface LoadOptions {
  /** Only files matching this are listed in {@link CodemodProject.files} (default: every source file). */
  files?: readonly string[];
  /** Where to read files from (default: the disk). */
  source?: FileSource;
  /** `settings.webhook` for the model (the Convex folder is added to `convexDirs`). */
  settings?: Record<string, unknown>;
  /** Called as files are prefiltered, for progress output. */
  onProgress?: (done: number, total: number) => void;
}

export class CodemodProject {
  readonly layout: ProjectLayout;
  readonly project: Project;
  /** Every source file the codemod may look at, project-relative, sorted. */
  readonly files: readonly string[];
  /** Files that could not be read or parsed, with the reason. */
  readonly skipped: SkippedFile[] = [];
  readonly settings: Record<string, unknown>;
  private readonly source: FileSource;
  private readonly originals = new Map<string, string | null>();
  private readonly contexts = new Map<string, { text: string; context: FileContext }>();
  private readonly onProgress: ((done: number, total: number) => void) | undefined;

  constructor(layout: ProjectLayout, options: LoadOptions = {}) {
    this.layout = layout;
    this.source = options.source ?? diskSource;
    this.files = options.files ?? listSourceFiles(layout);
    this.onProgress = options.onProgress;
    const convexFolder = layout.convexDir.split("/").pop() || "convex";
    const raw = options.settings ?? {};
    const dirs = Array.isArray(raw.convexDirs) ? (raw.convexDirs as string[]) : [];
    this.settings = { ...raw, convexDirs: [...new Set([...dirs, convexFolder])] };
    this.project = new Project({
      useInMemoryFileSystem: true,
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
      compilerOptions: { allowJs: true },
    });
  }

  get root(): string {
    return this.layout.root;
  }

  get convexDir(): string {
    return this.layout.convexDir;
  }

  /** The file's original text as read from disk, or null when it does not exist or cannot be read. */
  original(file: string): string | null {
    if (!this.originals.has(file)) {
      let text: string | null;
      try {
        text = this.source.read(join(this.root, file));
      } catch (error) {
        text = null;
        if (this.files.includes(file)) {
          const code = (error as NodeJS.ErrnoException).code;
          this.skip(file, `cannot be read (${code ?? (error as Error).message}); file skipped`);
        }
      }
      this.originals.set(file, text);
    }
    return this.originals.get(file)!;
  }

  /** True when the file exists in the project (on disk or created by the codemod). */
  exists(file: string): boolean {
    return this.project.getSourceFile(this.memPath(file)) !== undefined || this.original(file) !== null;
  }

  /** The current text (with the edits so far), or null when the file does not exist. */
  text(file: string): string | null {
    const sourceFile = this.project.getSourceFile(this.memPath(file));
    if (sourceFile) return sourceFile.getFullText();
    return this.original(file);
  }

  /** Files whose current text matches `pattern` (a cheap text test before any parsing). */
  grep(pattern: RegExp, files: readonly string[] = this.files): string[] {
    const out: string[] = [];
    let done = 0;
    for (const file of files) {
      const text = this.text(file);
      pattern.lastIndex = 0;
      if (text !== null && pattern.test(text)) out.push(file);
      done++;
      if (this.onProgress && done % 200 === 0) this.onProgress(done, files.length);
    }
    this.onProgress?.(files.length, files.length);
    return out;
  }

  /** The ts-morph source file (created in memory from the disk text on first use). */
  sourceFile(file: string): SourceFile | null {
    const path = this.memPath(file);
    const existing = this.project.getSourceFile(path);
    if (existing) return existing;
    const text = this.original(file);
    if (text === null) return null;
    return this.project.createSourceFile(path, text, { overwrite: true });
  }

  /**
   * The model's view of the file's current text (typescript-estree AST, the same one ESLint
   * gives the rules). Null when the file is missing or has a syntax error (then it is
   * recorded in {@link skipped}).
   */
  fileContext(file: string): FileContext | null {
    const text = this.text(file);
    if (text === null) return null;
    const cached = this.contexts.get(file);
    if (cached && cached.text === text) return cached.context;
    try {
      const context = analyzeSource(text, join(this.root, file), { cwd: this.root, settings: this.settings });
      this.contexts.set(file, { text, context });
      return context;
    } catch (error) {
      if (error instanceof ParseError) {
        this.skip(file, `has a syntax error at ${error.line}:${error.column} (${firstLine(error.message)}); file skipped`);
        return null;
      }
      throw error;
    }
  }

  /** Applies non-overlapping edits (positions in the current text) in one go. */
  edit(file: string, edits: readonly TextEdit[]): void {
    if (edits.length === 0) return;
    const sourceFile = this.sourceFile(file);
    if (!sourceFile) throw new Error(`webhook-lint: cannot edit missing file ${file}`);
    const text = sourceFile.getFullText();
    const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
    let out = text;
    let limit = Infinity;
    for (const e of sorted) {
      if (e.end > limit || e.start > e.end) throw new Error(`webhook-lint: overlapping edits in ${file}`);
      out = out.slice(0, e.start) + e.text + out.slice(e.end);
      limit = e.start;
    }
    if (out !== text) sourceFile.replaceWithText(out);
  }

  /** Creates a new file (fails if it exists). */
  create(file: string, text: string): void {
    if (this.exists(file)) throw new Error(`webhook-lint: ${file} already exists`);
    this.originals.set(file, null);
    this.project.createSourceFile(this.memPath(file), text);
  }

  /** Files whose text differs from the disk, with both texts, sorted by path. */
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const sourceFile of this.project.getSourceFiles()) {
      const file = sourceFile.getFilePath().slice(1);
      const after = sourceFile.getFullText();
      const before = this.originals.get(file) ?? null;
      if (before !== after) out.push({ file, before, after });
    }
    return out.sort((a, b) => a.file.localeCompare(b.file));
  }

  /** A warning at a node (or offset) of the file's current text. */
  warning(file: string, at: TSESTree.Node | number | null, reason: string): CodemodWarning {
    const text = this.text(file) ?? "";
    if (at === null) return { file, line: 0, column: 0, reason, frame: "" };
    const offset = typeof at === "number" ? at : at.range[0];
    const { line, column } = lineColumn(text, offset);
    return { file, line, column, reason, frame: codeFrame(text, line, column) };
  }

  /** Resolves an import specifier in `fromFile` to a project-relative path without extension. */
  resolveImport(fromFile: string, specifier: string): string | null {
    return resolveSpecifier(this.layout, fromFile, specifier);
  }

  private skip(file: string, reason: string): void {
    if (!this.skipped.some((s) => s.file === file)) this.skipped.push({ file, reason });
  }

  private memPath(file: string): string {
    return `/${file}`;
  }
}

export interface FileChange {
  file: string;
  /** Null for a file the codemod created. */
  before: string | null;
  after: string;
}

function firstLine(message: string): string {
  const text = message.replace(/^.*?:\d+:\d+: /, "");
  return text.split("\n")[0]!;
}

/** Loads the project that contains `start` (a folder; its nearest package.json/convex.json folder is the root). */
export function loadProject(start: string, options: LoadOptions = {}): CodemodProject {
  return new CodemodProject(discoverLayout(findProjectRoot(start)), options);
}

/** A project made of the given files only, nothing read from disk (tests, jscodeshift mode). */
export function virtualProject(
  root: string,
  files: Record<string, string>,
  options: Omit<LoadOptions, "files" | "source"> & { layout?: Partial<ProjectLayout> } = {},
): CodemodProject {
  const layout: ProjectLayout = { root, convexDir: "convex", aliases: [], appDirs: [], ...options.layout };
  const byPath = new Map(Object.entries(files).map(([path, text]) => [join(root, path), text]));
  return new CodemodProject(layout, {
    ...options,
    files: Object.keys(files).sort(),
    source: {
      read(path) {
        const text = byPath.get(path);
        if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
        return text;
      },
    },
  });
}
