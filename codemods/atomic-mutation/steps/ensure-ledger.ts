/**
 * Step 2: decide the ledger table every rewritten mutation records events in. The table the
 * project already uses for its "already processed?" query / "mark processed" mutation is
 * reused with its index; otherwise `processed_events` (`eventId`, `processedAt`, index
 * `by_event_id`) is added to the schema. Two different ledgers are refused. Idempotent: an
 * existing table of that name with an index on `eventId` is reused.
 */
import { ensureSchemaTable, readSchema, type SchemaTable } from "../../../src/codemod-kit/ensure-schema-table.js";
import type { CodemodProject } from "../../../src/codemod-kit/project.js";
import type { CodemodWarning } from "../../../src/codemod-kit/types.js";
import type { LedgerTarget } from "./dedupe-mutation.js";
import type { Ledger } from "./plan.js";

export const DEFAULT_LEDGER = {
  table: "processed_events",
  field: "eventId",
  index: "by_event_id",
  fields: [
    { name: "eventId", validator: "string()" },
    { name: "processedAt", validator: "number()" },
  ],
};

const TIMESTAMP = /(?:At|_at|Time|_time|timestamp)$/;

export type LedgerDecision =
  | {
      ok: true;
      ledger: LedgerTarget;
      /** The record's other fields for a mutation, given the values its handlers' "mark processed" calls wrote. */
      fieldsFor(extra: ReadonlyMap<string, string>): Array<[string, string]> | string;
      added: boolean;
      reminders: CodemodWarning[];
    }
  | { ok: false; problem: CodemodWarning };

export function recordFields(table: SchemaTable | null, extra: ReadonlyMap<string, string>, keyField: string): Array<[string, string]> | string {
  if (!table || table.fields === null) {
    // No schema to read: write what the existing "mark processed" mutation wrote.
    const known = [...extra.entries()].filter(([k]) => k !== keyField);
    return known.length > 0 ? known : [["processedAt", "Date.now()"]];
  }
  const out: Array<[string, string]> = [];
  for (const field of table.fields) {
    if (field.name === keyField) continue;
    const value = extra.get(field.name);
    if (value !== undefined) out.push([field.name, value]);
    else if (field.validator === "number" && TIMESTAMP.test(field.name)) out.push([field.name, "Date.now()"]);
    else if (!field.optional) return `the ledger table "${table.name}" has a required field "${field.name}" the codemod cannot fill`;
  }
  return out;
}

export function decideLedger(project: CodemodProject, ledgers: readonly Ledger[], singleFile: boolean): LedgerDecision {
  const tables = [...new Map(ledgers.map((l) => [l.table, l])).values()];
  if (tables.length > 1) {
    const list = tables.map((l) => `"${l.table}" (${l.origin})`).join(" and ");
    return {
      ok: false,
      problem: project.warning(tables[1]!.file, null, `the webhooks record processed events in two different tables, ${list}; pick one ledger and run the codemod again`),
    };
  }
  const known = tables[0] ?? null;
  if (singleFile) {
    const ledger: LedgerTarget = known
      ? { table: known.table, index: known.index ?? `by_${known.field}`, field: known.field, fields: [] }
      : { table: DEFAULT_LEDGER.table, index: DEFAULT_LEDGER.index, field: DEFAULT_LEDGER.field, fields: [] };
    const reminder = project.warning(
      `${project.convexDir}/schema.ts`,
      null,
      known && known.index
        ? `uses the existing "${known.table}" table; not checked against the schema in single-file mode`
        : `the rewritten mutations read "${ledger.table}" by index "${ledger.index}" on "${ledger.field}": add that table and index to the schema (the webhook-lint CLI does this; single-file mode does not)`,
    );
    return { ok: true, ledger, fieldsFor: (extra) => recordFields(null, extra, ledger.field), added: false, reminders: [reminder] };
  }
  if (known) {
    const schema = readSchema(project);
    const table = schema.ok ? (schema.schema.tables.get(known.table) ?? null) : null;
    const index = known.index ?? table?.indexes.find((i) => i.fields[0] === known.field)?.name ?? null;
    if (!index) {
      return { ok: false, problem: project.warning(schema.ok ? schema.schema.file : known.file, table?.node ?? null, `the ledger table "${known.table}" has no index on "${known.field}"; add one and run the codemod again`) };
    }
    return {
      ok: true,
      ledger: { table: known.table, index, field: known.field, fields: [] },
      fieldsFor: (extra) => recordFields(table, extra, known.field),
      added: false,
      reminders: [],
    };
  }
  const ensured = ensureSchemaTable(project, {
    name: DEFAULT_LEDGER.table,
    fields: DEFAULT_LEDGER.fields,
    index: { name: DEFAULT_LEDGER.index, fields: [DEFAULT_LEDGER.field] },
  });
  if (!ensured.ok) {
    return { ok: false, problem: project.warning(ensured.file ?? `${project.convexDir}/schema.ts`, ensured.node ?? null, ensured.reason) };
  }
  const schema = readSchema(project);
  const table = schema.ok ? (schema.schema.tables.get(ensured.table) ?? null) : null;
  return {
    ok: true,
    ledger: { table: ensured.table, index: ensured.index, field: DEFAULT_LEDGER.field, fields: [] },
    fieldsFor: (extra) => recordFields(table, extra, DEFAULT_LEDGER.field),
    added: ensured.added,
    reminders: [],
  };
}
