/**
 * ensure-schema-table: reads the tables of `convex/schema.ts` and adds a table (fields and
 * one index) to the `defineSchema({ ... })` object when it is missing.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { calleeName, findAll, keyName, memberPath, staticString, unwrap } from "../model/ast.js";
import { resolveName } from "../model/scope.js";
import { ensureImport } from "./ensure-import.js";
import type { CodemodProject } from "./project.js";
import { detectStyle, quoted } from "./style.js";
import { insertPropertyEdit } from "./text-edits.js";

export interface SchemaField {
  name: string;
  /** Validator call name after `v.`: `string`, `number`, `optional(...)`, ... (source text). */
  validator: string;
  optional: boolean;
}

export interface SchemaIndex {
  name: string;
  fields: string[];
}

export interface SchemaTable {
  name: string;
  /** Null when the table's fields are not a literal the codemod can read. */
  fields: SchemaField[] | null;
  indexes: SchemaIndex[];
  node: TSESTree.Property;
}

export interface SchemaInfo {
  file: string;
  /** The object literal passed to `defineSchema`. */
  object: TSESTree.ObjectExpression;
  tables: Map<string, SchemaTable>;
}

/** `schema.ts` (or `.js`) in the Convex folder. */
export function schemaFile(project: CodemodProject): string | null {
  for (const ext of [".ts", ".js", ".mts", ".mjs"]) {
    const file = `${project.convexDir ? `${project.convexDir}/` : ""}schema${ext}`;
    if (project.exists(file)) return file;
  }
  return null;
}

function readFields(node: TSESTree.Node | undefined): SchemaField[] | null {
  if (!node) return null;
  const object = unwrap(node);
  if (object.type !== "ObjectExpression") return null;
  const out: SchemaField[] = [];
  for (const prop of object.properties) {
    if (prop.type !== "Property") return null;
    const name = keyName(prop);
    if (name === null) return null;
    const value = unwrap(prop.value);
    const path = value.type === "CallExpression" ? memberPath(value.callee) : null;
    const validator = path ? path[path.length - 1]! : "?";
    out.push({ name, validator, optional: validator === "optional" });
  }
  return out;
}

/** Walks `defineTable({...}).index(...).index(...)` down to the `defineTable` call. */
function readTable(name: string, property: TSESTree.Property): SchemaTable {
  const indexes: SchemaIndex[] = [];
  let node: TSESTree.Node = unwrap(property.value);
  let fields: SchemaField[] | null = null;
  while (node.type === "CallExpression") {
    const callee = unwrap(node.callee);
    const method = calleeName(node);
    if (callee.type === "MemberExpression" && method === "index") {
      const indexName = staticString(node.arguments[0]);
      const list = node.arguments[1] ? unwrap(node.arguments[1]) : null;
      if (indexName !== null && list && list.type === "ArrayExpression") {
        const cols = list.elements.map((e) => (e ? staticString(e) : null));
        if (cols.every((c): c is string => c !== null)) indexes.unshift({ name: indexName, fields: cols });
      }
      node = unwrap(callee.object);
      continue;
    }
    if (callee.type === "MemberExpression") {
      node = unwrap(callee.object);
      continue;
    }
    if (method === "defineTable") fields = readFields(node.arguments[0]);
    break;
  }
  return { name, fields, indexes, node: property };
}

/** The schema's tables. Null with a reason when there is no schema or it is not a literal. */
export function readSchema(project: CodemodProject): { ok: true; schema: SchemaInfo } | { ok: false; file: string | null; reason: string; node?: TSESTree.Node } {
  const file = schemaFile(project);
  if (!file) {
    return {
      ok: false,
      file: null,
      reason: `no ${project.convexDir}/schema.ts: the dedupe table needs an index, which needs a schema. Add a schema (https://docs.convex.dev/database/schemas) and run the codemod again`,
    };
  }
  const context = project.fileContext(file);
  if (!context) return { ok: false, file, reason: `${file} cannot be parsed` };
  const call = findAll(context.program, ["CallExpression"]).find((c) => calleeName(c) === "defineSchema");
  if (!call || !call.arguments[0]) return { ok: false, file, reason: "no defineSchema({ ... }) call found" };
  let arg = unwrap(call.arguments[0]);
  if (arg.type === "Identifier") {
    const binding = resolveName(arg.name, arg);
    if (binding?.kind === "variable" && binding.init && binding.path.length === 0) arg = unwrap(binding.init);
  }
  if (arg.type !== "ObjectExpression") {
    return { ok: false, file, reason: "the defineSchema argument is not an object literal, so a table cannot be added safely", node: call };
  }
  const tables = new Map<string, SchemaTable>();
  for (const prop of arg.properties) {
    if (prop.type !== "Property") continue;
    const name = keyName(prop);
    if (name !== null) tables.set(name, readTable(name, prop));
  }
  return { ok: true, schema: { file, object: arg, tables } };
}

export interface TableRequest {
  name: string;
  fields: Array<{ name: string; validator: string }>;
  index: SchemaIndex;
}

export type EnsureTableResult =
  | { ok: true; added: boolean; table: string; index: string }
  | { ok: false; file: string | null; reason: string; node?: TSESTree.Node };

/**
 * Ensures the table exists with an index whose first field is the request's first index field.
 * An existing table of that name is reused when it fits, refused when it does not.
 */
export function ensureSchemaTable(project: CodemodProject, request: TableRequest): EnsureTableResult {
  const read = readSchema(project);
  if (!read.ok) return read;
  const { schema } = read;
  const existing = schema.tables.get(request.name);
  if (existing) {
    const key = request.index.fields[0]!;
    const index = existing.indexes.find((i) => i.fields[0] === key);
    const field = existing.fields?.find((f) => f.name === key);
    if (index && (existing.fields === null || field)) return { ok: true, added: false, table: request.name, index: index.name };
    return {
      ok: false,
      file: schema.file,
      reason: `table "${request.name}" already exists without an index on "${key}"; add \`.index(${JSON.stringify(request.index.name)}, [${JSON.stringify(key)}])\` or rename the dedupe table`,
      node: existing.node,
    };
  }
  const v = ensureImport(project, schema.file, { name: "v", from: "convex/values" });
  if (!v.ok) return { ok: false, file: schema.file, reason: v.reason };
  const again = readSchema(project);
  if (!again.ok) return again;
  const context = project.fileContext(schema.file)!;
  const style = detectStyle(context.text, context.program);
  const defineTable = context.imports.get("defineTable") ? "defineTable" : null;
  if (!defineTable) {
    const imported = ensureImport(project, schema.file, { name: "defineTable", from: "convex/server" });
    if (!imported.ok) return { ok: false, file: schema.file, reason: imported.reason };
    return ensureSchemaTable(project, request);
  }
  const fields = request.fields.map((f) => `\t${f.name}: ${v.local}.${f.validator},`).join("\n");
  const index = `.index(${quoted(request.index.name, style)}, [${request.index.fields.map((f) => quoted(f, style)).join(", ")}])`;
  const property = `${request.name}: ${defineTable}({\n${fields}\n})${index}`;
  project.edit(schema.file, [insertPropertyEdit(context.text, again.schema.object, property, style)]);
  return { ok: true, added: true, table: request.name, index: request.index.name };
}
