/**
 * A field of a shared customer record as a cell value (CRM.CUSTOMER, CRM.LIVE,
 * CRM.CUSTOMERS, CRM.CREDITCHECK). Field names are matched ignoring letter case, as Excel
 * users expect of text arguments; `extra` fields are found by their own name.
 */
import { BLANK, type Cell, type CellError } from "../../core/cells.ts";
import { availableCredit } from "../../core/creditCheck.ts";
import { noField } from "../../core/errors.ts";
import {
  type CustomerRecord,
  SERVER_VALUE_FIELDS,
  VALUE_FIELDS,
  type ValueField,
} from "../../core/schema.ts";

type Fields = Readonly<Record<string, unknown>>;
type Read = (record: Fields) => unknown;

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null;
}

/** A field's value in a record: `creditFactors.capital` is read inside `creditFactors`. */
function reader(field: ValueField): Read {
  const { parent, name } = field;
  if (parent === undefined) return (record) => record[name];
  return (record) => {
    const object = record[parent];
    return isObject(object) ? object[name] : undefined;
  };
}

// The readable fields, keyed by lower-case name: every single-valued field of the record
// schema (the parts of `creditFactors` by their path), the server fields, and available credit.
const FIELD_READERS: ReadonlyMap<string, { readonly name: string; readonly read: Read }> = new Map(
  [
    ...[...VALUE_FIELDS, ...SERVER_VALUE_FIELDS].map((f) => ({ name: f.path, read: reader(f) })),
    { name: "availableCredit", read: availableCredit },
  ].map((f) => [f.name.toLowerCase(), f]),
);

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
export function customerField(record: CustomerRecord, field: string): Cell<unknown> | CellError {
  const name = field.trim();
  const known = FIELD_READERS.get(name.toLowerCase());
  if (known) return toCell(known.read(record));
  const extra = record.extra;
  if (extra !== undefined) {
    if (Object.hasOwn(extra, name)) return toCell(extra[name]);
    const key = Object.keys(extra).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) return toCell(extra[key]);
  }
  return noField(name);
}

/** True when `field` names a known field (extra fields excepted): CRM.CUSTOMERS checks up front. */
export function isKnownField(field: string): boolean {
  return FIELD_READERS.has(field.trim().toLowerCase());
}
