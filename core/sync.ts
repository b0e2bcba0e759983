/**
 * Moving customer records between the team's store and a workbook table, without I/O:
 * records → table rows (Pull), the table against the pulled snapshot → what to send (Push),
 * and the conflict rule when a teammate changed a row meanwhile.
 *
 * The table has one column per record field (`creditFactors` as its five 5C columns), the
 * `extra` fields as extra columns, and two columns the pane owns: `version` (informative) and
 * `message` (why the API refused a row). A header not listed here is an `extra` field.
 */

import * as z from "zod/mini";
import { canonicalJson } from "./record.ts";
import { type CustomerDraft, type CustomerRecord, customerDraft, VALUE_FIELDS } from "./schema.ts";

/** What a workbook cell holds as far as the sync is concerned ("" is a blank cell). */
export type CellValue = string | number | boolean | null;

/** How a column's cells turn into a field value. */
type ColumnKind = "text" | "number" | "date" | "factor";

interface FieldColumn {
  readonly header: string;
  readonly kind: ColumnKind;
}

/**
 * The record's own fields, in table order, read from the record schema: one column per
 * single-valued field, a 5C factor under its own name (it lives under `creditFactors`).
 */
export const FIELD_COLUMNS: readonly FieldColumn[] = VALUE_FIELDS.map((field) => ({
  header: field.name,
  kind: field.parent === undefined ? field.kind : "factor",
}));

/** Columns the pane writes for the user's information; never sent to the API. */
export const VERSION_HEADER = "version";
export const MESSAGE_HEADER = "message";

/** Headers whose cells must stay text in Excel (ids like "001", ISO dates). */
export const TEXT_HEADERS: readonly string[] = FIELD_COLUMNS.filter(
  (c) => c.kind === "text" || c.kind === "date",
).map((c) => c.header);

const EXTRA_PREFIX = "extra.";
const columnByHeader = new Map(FIELD_COLUMNS.map((c) => [c.header, c]));
const RESERVED = new Set([...columnByHeader.keys(), VERSION_HEADER, MESSAGE_HEADER]);

/** A record with the version the table shows beside it (a stored record, or a sample one). */
type VersionedDraft = CustomerDraft & { readonly version: number };

/** A table as read from or written to a workbook. */
export interface TableData {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly CellValue[])[];
}

/** The header of an `extra` key: the key itself, prefixed only when it collides with ours. */
export function extraHeader(key: string): string {
  return RESERVED.has(key) || key.startsWith(EXTRA_PREFIX) ? `${EXTRA_PREFIX}${key}` : key;
}

function extraKey(header: string): string {
  return header.startsWith(EXTRA_PREFIX) ? header.slice(EXTRA_PREFIX.length) : header;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isBlank(v: CellValue | undefined): boolean {
  return v === undefined || v === null || v === "";
}

/** The headers of a table holding these records: our columns, then every extra key seen. */
export function headersFor(records: readonly CustomerDraft[]): string[] {
  const extras = new Set<string>();
  for (const r of records) {
    if (isObject(r.extra)) for (const k of Object.keys(r.extra)) extras.add(extraHeader(k));
  }
  return [
    ...FIELD_COLUMNS.map((c) => c.header),
    ...[...extras].sort(),
    VERSION_HEADER,
    MESSAGE_HEADER,
  ];
}

/** One record as a row under `headers` (absent fields are blank). */
export function recordToRow(
  headers: readonly string[],
  record: CustomerDraft,
  version?: number,
): CellValue[] {
  const factors = isObject(record.creditFactors) ? record.creditFactors : {};
  const extra = isObject(record.extra) ? record.extra : {};
  return headers.map((h): CellValue => {
    if (h === VERSION_HEADER)
      return version ?? (typeof record.version === "number" ? record.version : "");
    if (h === MESSAGE_HEADER) return "";
    const column = columnByHeader.get(h);
    const value = column?.kind === "factor" ? factors[h] : column ? record[h] : extra[extraKey(h)];
    return toCell(value);
  });
}

function toCell(value: unknown): CellValue {
  if (value === undefined || value === null) return "";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  return JSON.stringify(value);
}

/** Records as a whole table (Pull). */
export function recordsToTable(records: readonly VersionedDraft[]): TableData {
  const headers = headersFor(records);
  return { headers, rows: records.map((r) => recordToRow(headers, r, r.version)) };
}

/** Excel's serial date (days since 1899-12-30) as `YYYY-MM-DD`. */
export function serialToIsoDate(serial: number): string {
  const ms = Math.round((serial - 25569) * 86_400_000);
  return new Date(ms).toISOString().slice(0, 10);
}

const NUMERIC_TEXT = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function cellToField(kind: ColumnKind, v: CellValue): unknown {
  if (kind === "text") return typeof v === "number" || typeof v === "boolean" ? String(v) : v;
  if (kind === "date") return typeof v === "number" ? serialToIsoDate(v) : v;
  // A number typed into a text-formatted cell arrives as text; anything else is left for the
  // API to refuse with its own message, so the user sees exactly what is wrong.
  return typeof v === "string" && NUMERIC_TEXT.test(v) ? Number(v) : v;
}

/**
 * A row as the record the API takes. Fields whose column the table lacks keep their value from
 * `base` (the pulled record), so deleting a column never erases data on the server.
 */
export function rowToDraft(
  headers: readonly string[],
  row: readonly CellValue[],
  base?: CustomerDraft,
): CustomerDraft {
  const out: Record<string, unknown> = {};
  const factors: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const seen = new Set(headers);
  headers.forEach((h, i) => {
    const v = row[i];
    if (h === VERSION_HEADER || h === MESSAGE_HEADER || v === undefined || isBlank(v)) return;
    const column = columnByHeader.get(h);
    if (!column) extra[extraKey(h)] = v;
    else if (column.kind === "factor") factors[h] = cellToField(column.kind, v);
    else out[h] = cellToField(column.kind, v);
  });
  if (base) {
    const baseFactors = isObject(base.creditFactors) ? base.creditFactors : {};
    for (const c of FIELD_COLUMNS) {
      if (seen.has(c.header)) continue;
      const v = c.kind === "factor" ? baseFactors[c.header] : base[c.header];
      if (v === undefined) continue;
      if (c.kind === "factor") factors[c.header] = v;
      else out[c.header] = v;
    }
  }
  if (Object.keys(factors).length > 0) out.creditFactors = factors;
  if (Object.keys(extra).length > 0) out.extra = extra;
  return { ...out, id: typeof out.id === "string" ? out.id : "" };
}

/** The fields of a stored record the user can edit (server fields dropped). */
export function editableFields(record: Readonly<Record<string, unknown>>): CustomerDraft {
  const { version: _v, createdAt: _c, updatedAt: _u, updatedBy: _b, ...rest } = record;
  return { ...rest, id: typeof rest.id === "string" ? rest.id : "" };
}

/** True when two records hold the same editable fields. */
export function sameRecord(a: CustomerDraft, b: CustomerDraft): boolean {
  return canonicalJson(editableFields(a)) === canonicalJson(editableFields(b));
}

/** A cell as the field value it stands for (undefined when blank). */
function fieldOf(header: string, v: CellValue | undefined): unknown {
  if (v === undefined || isBlank(v)) return undefined;
  const column = columnByHeader.get(header);
  return column ? cellToField(column.kind, v) : v;
}

// Cell by cell, as rowToDraft reads them: far cheaper than building and comparing records,
// and most rows of a 10,000-row table are unchanged.
function sameCells(
  headers: readonly string[],
  row: readonly CellValue[],
  pulled: readonly CellValue[],
): boolean {
  for (let j = 0; j < headers.length; j++) {
    const h = headers[j] ?? "";
    if (h === VERSION_HEADER || h === MESSAGE_HEADER) continue;
    if (fieldOf(h, row[j]) !== fieldOf(h, pulled[j])) return false;
  }
  return true;
}

/** What the last pull (or successful push) left on the server, per id. */
const snapshotEntry = z.object({ version: z.int(), record: customerDraft });
export type SnapshotEntry = Readonly<z.output<typeof snapshotEntry>>;
export type Snapshot = ReadonlyMap<string, SnapshotEntry>;

/** A snapshot as kept between sessions: the JSON of its `[id, entry]` pairs. */
const storedSnapshot = z.array(z.tuple([z.string(), snapshotEntry]));

/**
 * A snapshot read back from what `snapshotJson` wrote, or null when it is not one (an old or
 * damaged copy): a wrong snapshot would make a push delete rows the table still has.
 */
export function snapshotFromJson(text: string): Map<string, SnapshotEntry> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = storedSnapshot.safeParse(json);
  return parsed.success ? new Map(parsed.data) : null;
}

/** A snapshot as JSON, for `snapshotFromJson`. */
export function snapshotJson(snapshot: Snapshot): string {
  return JSON.stringify([...snapshot]);
}

/** A snapshot of pulled records. */
export function snapshotOf(records: readonly VersionedDraft[]): Map<string, SnapshotEntry> {
  return new Map(records.map((r) => [r.id, { version: r.version, record: editableFields(r) }]));
}

/** One change to send: a put (create when `expectedVersion` is 0) or a delete. */
export type PushItem =
  | {
      readonly op: "put";
      readonly id: string;
      readonly expectedVersion: number;
      readonly record: CustomerDraft;
      /** 0-based index of the table row it came from. */
      readonly row: number;
    }
  | { readonly op: "delete"; readonly id: string; readonly expectedVersion: number };

/** A row the pane cannot send, with a message key of the pane's messages. */
export interface RowProblem {
  readonly row: number;
  readonly key: "missingId" | "duplicateId";
  readonly params: Readonly<Record<string, string>>;
}

export interface TableDiff {
  readonly created: number;
  readonly edited: number;
  readonly deleted: number;
  readonly items: readonly PushItem[];
  readonly problems: readonly RowProblem[];
}

/**
 * What changed in the table since the snapshot: new ids are creates, rows that differ are
 * edits, snapshot ids no longer in the table are deletes. Rows without an id (but with data)
 * and ids used twice are problems and are not sent.
 */
export function diffTable(table: TableData, snapshot: Snapshot): TableDiff {
  const idIndex = table.headers.indexOf("id");
  const rowsById = new Map<string, number[]>();
  const problems: RowProblem[] = [];
  table.rows.forEach((row, i) => {
    if (row.every((v, j) => isBlank(v) || table.headers[j] === MESSAGE_HEADER)) return;
    const raw = idIndex >= 0 ? row[idIndex] : undefined;
    const id = isBlank(raw) ? "" : String(raw).trim();
    if (id === "") {
      problems.push({ row: i, key: "missingId", params: { row: String(i + 1) } });
      return;
    }
    rowsById.set(id, [...(rowsById.get(id) ?? []), i]);
  });
  const items: PushItem[] = [];
  let created = 0;
  let edited = 0;
  for (const [id, rows] of rowsById) {
    const [first] = rows;
    if (rows.length > 1 || first === undefined) {
      for (const row of rows) problems.push({ row, key: "duplicateId", params: { id } });
      continue;
    }
    const row = table.rows[first] ?? [];
    const base = snapshot.get(id);
    if (!base) {
      created++;
      const record = { ...rowToDraft(table.headers, row), id };
      items.push({ op: "put", id, expectedVersion: 0, record, row: first });
    } else if (!sameCells(table.headers, row, recordToRow(table.headers, base.record))) {
      const record = { ...rowToDraft(table.headers, row, base.record), id };
      edited++;
      items.push({ op: "put", id, expectedVersion: base.version, record, row: first });
    }
  }
  let deleted = 0;
  for (const [id, entry] of snapshot) {
    if (rowsById.has(id)) continue;
    deleted++;
    items.push({ op: "delete", id, expectedVersion: entry.version });
  }
  problems.sort((a, b) => a.row - b.row);
  return { created, edited, deleted, items, problems };
}

/** A row a teammate changed since the pull: my change and the stored one, side by side. */
export interface Conflict {
  readonly id: string;
  /** My record, or null when I deleted the row. */
  readonly mine: CustomerDraft | null;
  /** The stored record, or null when a teammate deleted it. */
  readonly theirs: CustomerRecord | null;
}

/** The conflict of a refused push item, or null when the teammate made the very same change. */
export function conflictOf(item: PushItem, current: CustomerRecord | null): Conflict | null {
  const mine = item.op === "put" ? item.record : null;
  if (mine === null && current === null) return null;
  if (mine !== null && current !== null && sameRecord(mine, current)) return null;
  return { id: item.id, mine, theirs: current };
}

/** What resolving a conflict means for the server, the snapshot and the table row. */
export interface Resolution {
  /** The item to push (keep mine), or null when nothing needs sending. */
  readonly push: PushItem | null;
  /** The snapshot entry for the id after resolving, or null to drop it. */
  readonly snapshot: SnapshotEntry | null;
  /** The record the table row must show, or null when the row must go. */
  readonly row: CustomerDraft | null;
}

/**
 * The conflict rule. Keep mine: send my change against the stored version (a create when a
 * teammate deleted it, a delete of their version when I deleted it); the snapshot becomes
 * theirs so a failed re-send is still a visible edit. Take theirs: the row and the snapshot
 * become the stored record (or the row goes when they deleted it).
 */
export function resolveConflict(
  conflict: Conflict,
  choice: "mine" | "theirs",
  row: number,
): Resolution {
  const { mine, theirs } = conflict;
  const theirsEntry = theirs ? { version: theirs.version, record: editableFields(theirs) } : null;
  if (choice === "theirs") {
    return { push: null, snapshot: theirsEntry, row: theirsEntry?.record ?? null };
  }
  const expectedVersion = theirs?.version ?? 0;
  const push: PushItem | null =
    mine === null
      ? theirs === null
        ? null
        : { op: "delete", id: conflict.id, expectedVersion }
      : { op: "put", id: conflict.id, expectedVersion, record: mine, row };
  return { push, snapshot: theirsEntry, row: mine };
}

/** Items in batches the API accepts (batch-write takes 1–500 items). */
export function batches<T>(items: readonly T[], size = 200): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError("batch size must be >= 1");
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A credit limit the API refused to set directly, split into what can be saved and what to ask. */
export interface LimitAsk {
  /** The row's record with the stored limit kept (or no limit, for a new customer). */
  readonly record: CustomerDraft;
  /** The limit to ask a credit manager for. */
  readonly newLimit: number;
  /** The limit the row shows until a manager decides ("" for none). */
  readonly storedLimit: number | "";
}

/**
 * The four-eyes split of a put whose credit limit needs a manager: the rest of the row can be
 * saved at once with the stored limit, and the new limit becomes a credit request. Null when the
 * put does not raise a limit (nothing to ask for).
 */
export function limitAsk(item: PushItem, base: SnapshotEntry | undefined): LimitAsk | null {
  if (item.op !== "put") return null;
  const newLimit = item.record.creditLimit;
  if (typeof newLimit !== "number") return null;
  const stored = base?.record.creditLimit;
  const storedLimit = typeof stored === "number" ? stored : "";
  if (newLimit === storedLimit) return null;
  const { creditLimit: _asked, ...rest } = item.record;
  const record = storedLimit === "" ? rest : { ...rest, creditLimit: storedLimit };
  return { record: { ...record, id: item.id }, newLimit, storedLimit };
}
