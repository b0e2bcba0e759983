/**
 * A field of a shared customer record as a cell value (CRM.CUSTOMER, CRM.LIVE,
 * CRM.CUSTOMERS, CRM.CREDITCHECK). Field names are matched ignoring letter case, as Excel
 * users expect of text arguments; `extra` fields are found by their own name.
 */
import { BLANK, type Cell, type CellError } from "../../core/cells.ts";
import { availableCredit } from "../../core/creditCheck.ts";
import { noField } from "../../core/errors.ts";
import { FIVE_C } from "../../core/policy.ts";
import { CUSTOMER_FIELDS, SERVER_FIELDS } from "../../core/record.ts";
import type { ApiCustomer } from "../api.ts";

type Read = (record: Readonly<Record<string, unknown>>) => unknown;

// The readable fields, keyed by lower-case name. `creditFactors` is an object, not a cell
// value, so its five parts are fields of their own: `creditFactors.character` and so on.
const FIELD_READERS: ReadonlyMap<string, { readonly name: string; readonly read: Read }> = (() => {
  const map = new Map<string, { name: string; read: Read }>();
  const add = (name: string, read: Read) => map.set(name.toLowerCase(), { name, read });
  for (const field of [...CUSTOMER_FIELDS, ...SERVER_FIELDS]) {
    if (field === "creditFactors" || field === "extra") continue;
    add(field, (r) => r[field]);
  }
  for (const factor of FIVE_C) {
    add(`creditFactors.${factor}`, (r) => {
      const factors = r.creditFactors;
      return typeof factors === "object" && factors !== null
        ? (factors as Record<string, unknown>)[factor]
        : undefined;
    });
  }
  add("availableCredit", availableCredit);
  return map;
})();

/** The canonical names of every field CRM.CUSTOMER reads (besides `extra` fields). */
export const READABLE_FIELDS: readonly string[] = [...FIELD_READERS.values()].map((f) => f.name);

function toCell(value: unknown): Cell<unknown> {
  if (value === undefined || value === null) return BLANK;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  return JSON.stringify(value);
}

/**
 * The cell value of `field` in `record`: a known field (blank when the record lacks it),
 * else an `extra` field of that name, else `#VALUE!` "No field <field>".
 */
export function customerField(record: ApiCustomer, field: string): Cell<unknown> | CellError {
  const fields = record as unknown as Readonly<Record<string, unknown>>;
  const name = field.trim();
  const known = FIELD_READERS.get(name.toLowerCase());
  if (known) return toCell(known.read(fields));
  const extra = fields.extra;
  if (typeof extra === "object" && extra !== null) {
    const values = extra as Readonly<Record<string, unknown>>;
    if (Object.hasOwn(values, name)) return toCell(values[name]);
    const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) return toCell(values[key]);
  }
  return noField(name);
}

/** True when `field` names a known field (extra fields excepted): CRM.CUSTOMERS checks up front. */
export function isKnownField(field: string): boolean {
  return FIELD_READERS.has(field.trim().toLowerCase());
}
