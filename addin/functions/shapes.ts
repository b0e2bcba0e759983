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
  const rows = asRows(arg);
  if (rows.length === 1) {
    const row = rows[0] ?? [];
    return { cells: [...row], orientation: row.length > 1 ? "row" : "column" };
  }
  const cells = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? [];
    if (row.length !== 1) return errors.notSingleColumn;
    cells[i] = row[0];
  }
  return { cells, orientation: "column" };
}

/** Cells laid out as the argument was: a column spills down, a row spills across. */
export function spill<T>(cells: readonly T[], orientation: ColumnArg["orientation"]): T[][] {
  if (orientation === "row") return [[...cells]];
  const rows = new Array<T[]>(cells.length);
  for (let i = 0; i < cells.length; i++) rows[i] = [cells[i] as T];
  return rows;
}

/** The first scalar of an argument that may be a cell or a 1 × 1 range. */
export function scalarArg(arg: unknown): unknown {
  if (!Array.isArray(arg)) return arg;
  const first: unknown = arg[0];
  return Array.isArray(first) ? first[0] : first;
}

/** A scalar number argument: omitted → null, a number → itself, anything else → `#VALUE!`. */
export function optionalNumber(arg: unknown): number | null | CellError {
  const value = scalarArg(arg);
  if (isOmitted(value) || value === "") return null;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return errors.notANumber;
}

export type { Cell };
export { isCellError };
