/**
 * Excel's shapes in and out: a "column" argument arrives as a 2-D array (n × 1 or 1 × n),
 * and its result must spill in the same orientation. Nothing here knows the formulas.
 */
import { type Cell, type CellError, isCellError } from "../../core/cells.ts";
import { errors } from "../../core/errors.ts";

/** A flattened column argument and how to spill a result of the same length. */
export interface ColumnArg {
  readonly cells: unknown[];
  readonly orientation: "column" | "row";
}

/** Excel passes `null` (or nothing) for an omitted optional argument. */
export function isOmitted(arg: unknown): arg is null | undefined {
  return arg === null || arg === undefined;
}

/** A scalar passed where a range is allowed arrives as itself: treat it as 1 × 1. */
export function asRows(arg: unknown): readonly (readonly unknown[])[] {
  if (Array.isArray(arg)) return arg.map((row) => (Array.isArray(row) ? row : [row]));
  return [[arg]];
}

/** The cells of a single column or row, or `#VALUE!` "expects a single column or row". */
export function columnArg(arg: unknown): ColumnArg | CellError {
  if (!Array.isArray(arg)) return { cells: [arg], orientation: "column" };
  if (arg.length === 1) {
    const row: unknown = arg[0];
    if (!Array.isArray(row)) return { cells: [row], orientation: "column" };
    return { cells: [...row], orientation: row.length > 1 ? "row" : "column" };
  }
  // The hot path for a long column: check the shape, then one `map` (faster than push).
  for (let i = 0; i < arg.length; i++) {
    const row: unknown = arg[i];
    if (Array.isArray(row) && row.length !== 1) return errors.notSingleColumn;
  }
  const cells = arg.map((row: unknown) => (Array.isArray(row) ? row[0] : row));
  return { cells, orientation: "column" };
}

/** How many distinct non-number cells `spill` keeps in its short list. */
const FEW = 8;

/**
 * A result spilled down a column: the rows Excel takes, and which of them hold a cell
 * error. Rows holding the same text or the same (shared, frozen) error are one array, so
 * the error rows are a handful however long the column is, and the adapter turns them into
 * Excel's errors without reading every row (none at all when the column has no error).
 */
export class ColumnSpill {
  constructor(
    readonly rows: Cell<unknown>[][],
    readonly errorRows: readonly Cell<unknown>[][],
  ) {}
}

/**
 * Cells down a column, one row each, written over `cells` (a fresh array from a core call,
 * which nothing else holds: a second 100,000-element array was a third of what CRM.ABC's
 * wrapper cost). Down a column, rows holding the same text or the same (shared, frozen)
 * error are one array: a 100,000-row grade column is five row arrays, not 100,000, which
 * spares the garbage collector most of the work. Excel only reads the result; nothing
 * mutates a row after this except the adapter, which replaces an error the same way
 * everywhere. E.g. `spill(["A", 5, "A"]).rows` → `[["A"], [5], ["A"]]`, one `["A"]` twice.
 */
export function spill(cells: Cell<unknown>[]): ColumnSpill {
  // A grade column holds a handful of distinct values: a short list compared by identity is
  // found faster than a Map's hash; past `FEW` distinct values the Map takes over.
  const seen: unknown[] = [];
  const seenRows: Cell<unknown>[][] = [];
  const shared = new Map<unknown, Cell<unknown>[]>();
  const errorRows: Cell<unknown>[][] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell === "number") {
      cells[i] = [cell];
      continue;
    }
    let row: Cell<unknown>[] | undefined;
    for (let j = 0; j < seen.length; j++) {
      if (seen[j] === cell) {
        row = seenRows[j];
        break;
      }
    }
    if (row === undefined && seen.length === FEW) row = shared.get(cell);
    if (row === undefined) {
      row = [cell];
      if (isCellError(cell)) errorRows.push(row);
      if (seen.length < FEW) {
        seen.push(cell);
        seenRows.push(row);
      } else shared.set(cell, row);
    }
    cells[i] = row;
  }
  return new ColumnSpill(cells as Cell<unknown>[][], errorRows);
}

/** The first scalar of an argument that may be a cell or a 1 × 1 range. */
export function scalarArg(arg: unknown): unknown {
  if (!Array.isArray(arg)) return arg;
  const first: unknown = arg[0];
  return Array.isArray(first) ? first[0] : first;
}

/**
 * A scalar number argument: omitted → null, a number → itself, anything else (text, even
 * "0.8", or a boolean) → `notANumber`, by default `#VALUE!` "not a number". An option whose
 * contract reads "else `#NUM!`" (`a_share`, `bins`) passes its own `#NUM!` error.
 */
export function optionalNumber(
  arg: unknown,
  notANumber: CellError = errors.notANumber,
): number | null | CellError {
  const value = scalarArg(arg);
  if (isOmitted(value) || value === "") return null;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return notANumber;
}

/**
 * A core call's column result (a fresh array, which becomes the rows) spilled like the
 * input, or the whole-call error.
 */
export function spilled(
  result: Cell<unknown>[] | CellError,
  orientation: ColumnArg["orientation"],
): CellError | Cell<unknown>[][] | ColumnSpill {
  if (isCellError(result)) return result;
  return orientation === "row" ? [result] : spill(result);
}

/**
 * Parallel result columns (RFM's R, F, M; CREDITEXPLAIN's five points) as Excel's block:
 * for a column of customers, row i is `[c0[i], c1[i], …]`; for a row of customers, one row
 * per result column.
 */
export function spillColumns(
  columns: readonly (readonly Cell<unknown>[])[],
  orientation: ColumnArg["orientation"],
): Cell<unknown>[][] {
  if (orientation === "row") return columns.map((column) => [...column]);
  const n = columns[0]?.length ?? 0;
  const k = columns.length;
  const rows = new Array<Cell<unknown>[]>(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<Cell<unknown>>(k);
    for (let j = 0; j < k; j++)
      row[j] = (columns[j] as readonly Cell<unknown>[])[i] as Cell<unknown>;
    rows[i] = row;
  }
  return rows;
}

export type { Cell };
export { isCellError };
