/** Conversions from Excel's cell values to typed columns, and the checks every formula shares. */
import { type CellError, CellKind, type Column } from "./cells.ts";
import { errors } from "./errors.ts";

/**
 * A column from cell values: a finite number → Number, `null`/`undefined`/`""` → Blank,
 * anything else (text, boolean, NaN, ±Infinity) → Invalid. E.g. `columnFromCells([5, "", "x"])`.
 */
export function columnFromCells(cells: readonly unknown[]): Column {
  const n = cells.length;
  const column = { values: new Float64Array(n), kinds: new Uint8Array(n) };
  for (let i = 0; i < n; i++) setCell(column, i, cells[i]);
  return column;
}

/**
 * A column from Excel's n × 1 rows in one pass (no flattened copy: this is the hot path of
 * every formula over a long column), or `#VALUE!` "expects a single column or row" when a
 * row holds more than one cell. E.g. `columnFromRows([[5], [""], ["x"]])`.
 */
export function columnFromRows(rows: readonly unknown[]): Column | CellError {
  const n = rows.length;
  const column = { values: new Float64Array(n), kinds: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) setCell(column, i, row);
    else if (row.length === 1) setCell(column, i, row[0]);
    else return errors.notSingleColumn;
  }
  return column;
}

function setCell(column: Column, i: number, cell: unknown): void {
  if (typeof cell === "number") {
    if (Number.isFinite(cell)) column.values[i] = cell;
    else column.kinds[i] = CellKind.Invalid;
  } else if (cell === null || cell === undefined || cell === "") {
    column.kinds[i] = CellKind.Blank;
  } else {
    column.kinds[i] = CellKind.Invalid;
  }
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
