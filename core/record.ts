/**
 * The shared customer record (api.md "Records"): what a client sends, what the server adds,
 * and the pure rules about records that both sides need (size, which fields changed).
 */

/** The five 5C credit factors, each 0–100. */
export interface CreditFactors {
  readonly character: number;
  readonly capacity: number;
  readonly capital: number;
  readonly collateral: number;
  readonly conditions: number;
}

/** A value of the free-form `extra` object. */
export type ExtraValue = string | number | boolean | null;

/** The fields a client sends for a customer (server fields excluded). */
export interface CustomerInput {
  readonly id: string;
  readonly name: string;
  readonly owner?: string;
  readonly segment?: string;
  readonly grade?: string;
  readonly creditGrade?: string;
  readonly revenue?: number;
  readonly profit?: number;
  /** `YYYY-MM-DD`. */
  readonly lastOrderDate?: string;
  readonly orderCount?: number;
  readonly creditFactors?: CreditFactors;
  readonly creditScore?: number;
  readonly creditLimit?: number;
  readonly receivables?: number;
  readonly openOrders?: number;
  readonly termDays?: number;
  readonly extra?: Readonly<Record<string, ExtraValue>>;
}

/** The fields only the server sets. */
export interface ServerFields {
  readonly version: number;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A stored customer record as the API returns it. */
export type CustomerRecord = CustomerInput & ServerFields;

/** The client fields of a record, in api.md order (the order audit entries are written in). */
export const CUSTOMER_FIELDS = [
  "id",
  "name",
  "owner",
  "segment",
  "grade",
  "creditGrade",
  "revenue",
  "profit",
  "lastOrderDate",
  "orderCount",
  "creditFactors",
  "creditScore",
  "creditLimit",
  "receivables",
  "openOrders",
  "termDays",
  "extra",
] as const satisfies readonly (keyof CustomerInput)[];

export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** Server fields a client may echo back in a body (they are ignored, never trusted). */
export const SERVER_FIELDS = ["version", "createdAt", "updatedAt", "updatedBy"] as const;

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

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The client fields of a stored record (drops the server fields). */
export function customerInputOf(record: CustomerRecord): CustomerInput {
  const { version: _v, createdAt: _c, updatedAt: _u, updatedBy: _b, ...input } = record;
  return input;
}
