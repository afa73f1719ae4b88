/**
 * ensure-import: makes a named import available in a file and returns its local name,
 * adding it to an existing import of the module or as a new import after the last one.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { resolveName } from "../model/scope.js";
import type { CodemodProject } from "./project.js";
import { detectStyle, quoted, semi } from "./style.js";

export interface ImportRequest {
  /** The exported name (`v`). */
  name: string;
  /** The module specifier (`convex/values`). */
  from: string;
}

export type EnsureImportResult = { ok: true; local: string; added: boolean } | { ok: false; reason: string };

function importedName(spec: TSESTree.ImportSpecifier): string {
  return spec.imported.type === "Identifier" ? spec.imported.name : String(spec.imported.value);
}

/** Ensures `import { name } from "from"` in `file`; edits the project when it has to add it. */
export function ensureImport(project: CodemodProject, file: string, request: ImportRequest): EnsureImportResult {
  const context = project.fileContext(file);
  if (!context) return { ok: false, reason: `${file} cannot be parsed` };
  for (const binding of context.imports.values()) {
    if (binding.source === request.from && binding.imported === request.name) {
      const node = binding.node;
      const typeOnly =
        (node.type === "ImportSpecifier" && node.importKind === "type") ||
        (node.parent?.type === "ImportDeclaration" && node.parent.importKind === "type");
      if (!typeOnly) return { ok: true, local: binding.local, added: false };
    }
  }
  const program = context.program;
  const text = context.text;
  const taken = context.imports.has(request.name) || resolveName(request.name, program) !== null;
  if (taken) {
    return { ok: false, reason: `"${request.name}" is already declared in ${file}, so \`import { ${request.name} } from "${request.from}"\` cannot be added` };
  }
  const style = detectStyle(text, program);
  const declarations = program.body.filter((s): s is TSESTree.ImportDeclaration => s.type === "ImportDeclaration");
  const existing = declarations.find(
    (d) => d.source.value === request.from && d.importKind !== "type" && !d.specifiers.some((s) => s.type === "ImportNamespaceSpecifier"),
  );
  if (existing) {
    const named = existing.specifiers.filter((s): s is TSESTree.ImportSpecifier => s.type === "ImportSpecifier");
    if (named.length > 0) {
      const sorted = named.every((s, i) => i === 0 || importedName(named[i - 1]!).localeCompare(importedName(s)) <= 0);
      const after = sorted ? [...named].reverse().find((s) => importedName(s).localeCompare(request.name) < 0) : named[named.length - 1];
      if (after) project.edit(file, [{ start: after.range[1], end: after.range[1], text: `, ${request.name}` }]);
      else project.edit(file, [{ start: named[0]!.range[0], end: named[0]!.range[0], text: `${request.name}, ` }]);
      return { ok: true, local: request.name, added: true };
    }
    const defaultSpec = existing.specifiers.find((s) => s.type === "ImportDefaultSpecifier");
    if (defaultSpec) {
      project.edit(file, [{ start: defaultSpec.range[1], end: defaultSpec.range[1], text: `, { ${request.name} }` }]);
      return { ok: true, local: request.name, added: true };
    }
  }
  const line = `import { ${request.name} } from ${quoted(request.from, style)}${semi(style)}`;
  const last = declarations[declarations.length - 1];
  if (last) {
    project.edit(file, [{ start: last.range[1], end: last.range[1], text: `${style.newline}${line}` }]);
  } else {
    // After a leading directive ("use node") or at the very top.
    const first = program.body[0];
    const directive =
      first && first.type === "ExpressionStatement" && first.expression.type === "Literal" && typeof first.expression.value === "string"
        ? first
        : null;
    if (directive) project.edit(file, [{ start: directive.range[1], end: directive.range[1], text: `${style.newline}${style.newline}${line}` }]);
    else project.edit(file, [{ start: 0, end: 0, text: `${line}${style.newline}` }]);
  }
  return { ok: true, local: request.name, added: true };
}
