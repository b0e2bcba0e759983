/** Conversions from Excel's cell values to typed columns, and the checks every formula shares. */
import { type CellError, CellKind, type Column } from "./cells.ts";
import { errors } from "./errors.ts";

/**
 * A column from cell values: a finite number → Number, `null`/`undefined`/`""` → Blank,
 * anything else (text, boolean, NaN, ±Infinity) → Invalid. E.g. `columnFromCells([5, "", "x"])`.
 */
export function columnFromCells(cells: readonly unknown[]): Column {
  const n = cells.length;
  const values = new Float64Array(n);
  const kinds = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const cell = cells[i];
    if (typeof cell === "number") {
      if (Number.isFinite(cell)) values[i] = cell;
      else kinds[i] = CellKind.Invalid;
    } else if (cell === null || cell === undefined || cell === "") {
      kinds[i] = CellKind.Blank;
    } else {
      kinds[i] = CellKind.Invalid;
    }
  }
  return { values, kinds };
}

/** A column of numbers only (no blanks), e.g. for tests: `columnOf([50, 30, 10])`. */
export function columnOf(numbers: readonly number[]): Column {
  return columnFromCells(numbers);
}

/**
 * An n × k block (Excel's rows) as k columns of length n, e.g. SCORE's factors.
 * A ragged block is read as if short rows ended in blanks.
 */
export function columnsFromBlock(rows: readonly (readonly unknown[])[]): Column[] {
  let width = 0;
  for (const row of rows) width = Math.max(width, row.length);
  const columns: Column[] = [];
  for (let j = 0; j < width; j++) columns.push(columnFromCells(rows.map((row) => row[j])));
  return columns;
}

/**
 * The cells of an Excel argument that must be a single column or row, flattened; a block
 * wider and taller than 1 is `#VALUE!` "expects a single column or row".
 */
export function flattenColumnOrRow(rows: readonly (readonly unknown[])[]): unknown[] | CellError {
  if (rows.length === 1) return [...(rows[0] ?? [])];
  const cells: unknown[] = [];
  for (const row of rows) {
    if (row.length > 1) return errors.notSingleColumn;
    cells.push(row[0]);
  }
  return cells;
}

/** The common length of columns, or `#VALUE!` "columns differ in length". */
export function commonLength(...columns: readonly Column[]): number | CellError {
  const n = columns[0]?.kinds.length ?? 0;
  for (const column of columns) if (column.kinds.length !== n) return errors.columnsDifferInLength;
  return n;
}

/**
 * The common length of columns where a length-1 column broadcasts (a scalar argument),
 * or `#VALUE!` "columns differ in length".
 */
export function broadcastLength(...columns: readonly Column[]): number | CellError {
  let n = 1;
  for (const column of columns) {
    const len = column.kinds.length;
    if (len === 1) continue;
    if (n !== 1 && len !== n) return errors.columnsDifferInLength;
    n = len;
  }
  return n;
}
