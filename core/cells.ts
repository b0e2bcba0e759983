/**
 * The cell model shared by every formula: typed columns in, cells or per-position errors out.
 * The Excel edge converts its 2-D arrays to these and back; nothing here knows about Office.
 */

/** What a position of an input column holds. */
export const CellKind = { Number: 0, Blank: 1, Invalid: 2 } as const;
export type CellKind = (typeof CellKind)[keyof typeof CellKind];

/**
 * A column of numeric inputs: `values[i]` is meaningful only where `kinds[i]` is `CellKind.Number`.
 * Typed arrays keep a million rows at 9 bytes a row.
 */
export interface Column {
  readonly values: Float64Array;
  readonly kinds: Uint8Array;
}

/** Excel error codes a formula can return. */
export type ErrorCode = "#VALUE!" | "#NUM!" | "#DIV/0!" | "#N/A";

/** An error in one position (or for a whole call): a code and a message key of `core/messages`. */
export interface CellError {
  readonly code: ErrorCode;
  readonly key: string;
  /** Values substituted into the message, e.g. `{ id: "C-1" }` for "No customer {id}". */
  readonly params?: Readonly<Record<string, string>>;
}

/** A blank result cell (Excel shows an empty cell). */
export const BLANK = "";
export type Blank = typeof BLANK;

/** One output position: a value, a blank, or an error. */
export type Cell<T> = T | Blank | CellError;

export function isCellError(x: unknown): x is CellError {
  return typeof x === "object" && x !== null && "code" in x && "key" in x;
}
