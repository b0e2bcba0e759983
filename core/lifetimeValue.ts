/** CRM.CLV: customer lifetime value with margins at the end of each period (Gupta & Lehmann). */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { broadcastLength } from "./columns.ts";
import { errors } from "./errors.ts";

/** The lifetime value of one customer, or the error of its arguments. */
export function lifetimeValueOf(
  margin: number,
  retention: number,
  discountRate: number,
  periods: number,
): number | CellError {
  if (!(retention >= 0 && retention <= 1)) return errors.badRetention;
  if (!(discountRate > -1)) return errors.badDiscountRate;
  if (!(Number.isInteger(periods) && periods >= 0)) return errors.badPeriods;
  let value: number;
  if (periods === 0) {
    const denominator = 1 + discountRate - retention;
    if (!(denominator > 0)) return errors.clvDiverges;
    value = (margin * retention) / denominator;
  } else {
    value = discountedSum(margin, retention / (1 + discountRate), periods);
  }
  // Finite inputs can still overflow (a margin near 1e308, a denominator near 0): Excel
  // has no infinity, so a result beyond a double is #NUM! like Excel's own overflows.
  return Number.isFinite(value) ? value : errors.clvOverflow;
}

/** Terms summed one by one up to this many periods, as the definition reads. */
const SUMMED_PERIODS = 1000;

/**
 * `sum over t = 1..periods of margin · ratio^t`: term by term for up to 1,000 periods, the
 * closed geometric form beyond (a whole number of periods may be 1e12, which no loop ends).
 */
function discountedSum(margin: number, ratio: number, periods: number): number {
  if (periods > SUMMED_PERIODS) {
    if (ratio === 1) return margin * periods;
    return (margin * ratio * (1 - ratio ** periods)) / (1 - ratio);
  }
  let sum = 0;
  let factor = 1;
  for (let t = 1; t <= periods; t++) {
    factor *= ratio;
    sum += margin * factor;
  }
  return sum;
}

/**
 * CRM.CLV per row: `margin·r/(1+d−r)`, or with `periods = T` the sum over t = 1..T of
 * `margin·(r/(1+d))^t`. Each argument is a column; a length-1 column (a scalar) broadcasts.
 * `periods` omitted → `null`. E.g. `CLV(100, 0.8, 0.1)` → 266.67.
 */
export function lifetimeValue(
  margin: Column,
  retention: Column,
  discountRate: Column,
  periods?: Column | null,
): Cell<number>[] | CellError {
  const columns = periods
    ? [margin, retention, discountRate, periods]
    : [margin, retention, discountRate];
  const n = broadcastLength(...columns);
  if (typeof n !== "number") return n;
  const out = new Array<Cell<number>>(n);
  // A length-1 argument is a scalar: every row reads its only cell.
  const at = (column: Column, i: number) => (column.kinds.length === 1 ? 0 : i);
  const kindOf = (column: Column, i: number) => column.kinds[at(column, i)];
  const numberAt = (column: Column, i: number) => column.values[at(column, i)] as number;
  for (let i = 0; i < n; i++) {
    let invalid = false;
    let blank = false;
    for (const column of columns) {
      const kind = kindOf(column, i);
      if (kind === CellKind.Invalid) invalid = true;
      else if (kind === CellKind.Blank) blank = true;
    }
    if (invalid) out[i] = errors.notANumber;
    else if (blank) out[i] = BLANK;
    else {
      out[i] = lifetimeValueOf(
        numberAt(margin, i),
        numberAt(retention, i),
        numberAt(discountRate, i),
        periods ? numberAt(periods, i) : 0,
      );
    }
  }
  return out;
}
