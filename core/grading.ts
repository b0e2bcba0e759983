/** CRM.ABC and CRM.PARETO: grading customers by their cumulative share of value. */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { errors } from "./errors.ts";
import { compareShown } from "./shownValue.ts";
import { sortRows } from "./sortedRows.ts";

/** An ABC grade: D is a loss-making customer (劣质客户). */
export type AbcGrade = "A" | "B" | "C" | "D";

/**
 * CRM.ABC: "A" while the values strictly greater than `v` hold less than `aShare` of the
 * positive total, "B" below `bShare`, else "C"; 0 → "C", negative → "D". Shares are compared
 * as Excel shows them (15 significant digits).
 * Omitted shares (`null`/`undefined`) are 0.8 and 0.95. E.g. `50, 30, 10, 5, 5` → `A, A, B, B, B`.
 */
export function gradeByCumulativeShare(
  values: Column,
  aShare?: number | null,
  bShare?: number | null,
): Cell<AbcGrade>[] | CellError {
  const a = aShare ?? 0.8;
  const b = bShare ?? 0.95;
  if (!(0 < a && a <= b && b <= 1)) return errors.badShares;

  const { values: v, kinds } = values;
  const n = kinds.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (kinds[i] === CellKind.Number && (v[i] as number) > 0) positives++;
  const sorted = new Float64Array(positives);
  for (let i = 0, k = 0; i < n; i++) {
    if (kinds[i] === CellKind.Number && (v[i] as number) > 0) sorted[k++] = v[i] as number;
  }
  sorted.sort();

  // The total, summed from the largest down exactly as before(v) is, so that the grades
  // do not depend on the order of the input.
  let total = 0;
  for (let k = positives - 1; k >= 0; k--) total += sorted[k] as number;

  // Walk groups of equal values from the largest: before(v) only grows, so the grades
  // are decided by two thresholds, the smallest value still A and the smallest still B.
  let minA = Number.POSITIVE_INFINITY;
  let minB = Number.POSITIVE_INFINITY;
  let before = 0;
  let k = positives - 1;
  while (k >= 0) {
    const value = sorted[k] as number;
    // The share as Excel shows it (15 significant digits): 1.2 / 1.5 is 0.8, not A.
    const share = before / total;
    if (compareShown(share, a) < 0) minA = value;
    else if (compareShown(share, b) < 0) minB = value;
    else break;
    while (k >= 0 && sorted[k] === value) before += sorted[k--] as number;
  }
  if (minB > minA) minB = minA;

  const grades = new Array<Cell<AbcGrade>>(n);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    if (kind === CellKind.Blank) grades[i] = BLANK;
    else if (kind === CellKind.Invalid) grades[i] = errors.notANumber;
    else {
      const value = v[i] as number;
      grades[i] =
        value < 0 ? "D" : value === 0 ? "C" : value >= minA ? "A" : value >= minB ? "B" : "C";
    }
  }
  return grades;
}

/**
 * CRM.PARETO: per customer, the sum of all values `>= v` over the sum of all values
 * (negatives included: the whale curve). A total `<= 0` makes every number `#DIV/0!`.
 * E.g. `50, 30, 10, 5, 5` → `0.5, 0.8, 0.9, 1, 1`.
 */
export function paretoShares(values: Column): Cell<number>[] {
  const { values: v, kinds } = values;
  const n = kinds.length;
  // CellKind.Number is 0: the kinds themselves mark the rows to sort.
  const rows = sortRows(v, kinds);

  // Walk groups of equal values from the largest, giving each row the sum of everything
  // down to and including its group; the last sum is the total, added in the same order,
  // so the smallest value's share is exactly 1.
  const shares = new Array<Cell<number>>(n);
  let atOrAbove = 0;
  let k = rows.length - 1;
  while (k >= 0) {
    const value = v[rows[k] as number] as number;
    let first = k;
    while (first >= 0 && v[rows[first] as number] === value) {
      atOrAbove += value;
      first--;
    }
    for (let j = k; j > first; j--) shares[rows[j] as number] = atOrAbove;
    k = first;
  }
  const total = atOrAbove;
  const positive = total > 0;
  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    if (kind === CellKind.Number) {
      shares[i] = positive ? (shares[i] as number) / total : errors.totalNotPositive;
    } else {
      shares[i] = kind === CellKind.Blank ? BLANK : errors.notANumber;
    }
  }
  return shares;
}
