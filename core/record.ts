/**
 * The pure rules about customer records that both sides need (size, which fields changed).
 * The record's fields and types are declared once, in `schema.ts`.
 */

import { CUSTOMER_FIELDS, type CustomerInput } from "./schema.ts";

/** The largest record, as UTF-8 JSON (api.md: 32 KB). */
export const MAX_RECORD_BYTES = 32 * 1024;

/** Size of a value as UTF-8 JSON, e.g. `jsonBytes({ name: "王" }) === 14`. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** One changed field of a record: `old`/`new` are `null` where the field was absent. */
export interface FieldChange {
  readonly field: string;
  readonly old: unknown;
  readonly new: unknown;
}

/**
 * The fields that differ between two versions of a record (absent on one side = `null`),
 * compared by JSON value (the id excepted), e.g. `changedFields({id:"a",name:"x"}, {id:"a",name:"y"})`
 * → `[{ field: "name", old: "x", new: "y" }]`.
 */
export function changedFields(
  before: CustomerInput | undefined,
  after: CustomerInput | undefined,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of CUSTOMER_FIELDS) {
    // The id names the record and never changes: an entry for it would only be noise.
    if (field === "id") continue;
    const old = before?.[field] ?? null;
    const next = after?.[field] ?? null;
    if (canonicalJson(old) !== canonicalJson(next)) {
      changes.push({ field, old, new: next });
    }
  }
  return changes;
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
