/**
 * CRM.BGNBD, CRM.PALIVE, CRM.PURCHASES, CRM.GAMMAGAMMA, CRM.SPEND and CRM.PCLV over typed
 * columns: the row rules of formulas.md ("Predictive customer value") around the models of
 * bgnbd.ts and gammaGamma.ts. A blank row gives a blank, text `#VALUE!`, a row that breaks
 * the rules `#NUM!`; all three stay out of every fit of the call. Fits need 5 usable rows.
 */
import {
  type BgNbdParams,
  expectedPurchases,
  type Fit,
  fitBgNbd,
  probabilityAlive,
  purchaseHistories,
} from "./bgnbd.ts";
import { BLANK, type Blank, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { broadcastLength, commonLength } from "./columns.ts";
import { errors, tooFewRows } from "./errors.ts";
import { expectedSpend, fitGammaGamma, type GammaGammaParams } from "./gammaGamma.ts";

export type { BgNbdParams } from "./bgnbd.ts";
export type { GammaGammaParams } from "./gammaGamma.ts";

/** The fewest usable rows a fit takes (for Gamma-Gamma: rows with frequency > 0). */
export const MIN_FIT_ROWS = 5;

/** Days in the month of CRM.PCLV (a month is 30 days, whatever the data's time unit). */
const DAYS_PER_MONTH = 30;

/** The most months CRM.PCLV sums (100 years). */
const MAX_MONTHS = 1200;

/** Each customer's purchase history, one column each, in one time unit. */
export interface HistoryColumns {
  readonly frequency: Column;
  readonly recency: Column;
  readonly age: Column;
}

/** A row's state: null when usable, else the blank or error it shows. */
type RowState = null | Blank | CellError;

/** A length-1 column is a scalar: every row reads its only cell. */
const at = (column: Column, i: number): number => (column.kinds.length === 1 ? 0 : i);
const kindAt = (column: Column, i: number) => column.kinds[at(column, i)];
const valueAt = (column: Column, i: number) => column.values[at(column, i)] as number;

/**
 * Each row's state: `#VALUE!` if any input is not a number, else blank if any is blank, else
 * the first broken rule of `rule` (or null: usable).
 */
function rowStates(
  n: number,
  inputs: readonly Column[],
  rule: (i: number) => CellError | null,
): RowState[] {
  const states = new Array<RowState>(n);
  for (let i = 0; i < n; i++) {
    let invalid = false;
    let blank = false;
    for (const column of inputs) {
      const kind = kindAt(column, i);
      if (kind === CellKind.Invalid) invalid = true;
      else if (kind === CellKind.Blank) blank = true;
    }
    states[i] = invalid ? errors.notANumber : blank ? BLANK : rule(i);
  }
  return states;
}

/** The rules of a purchase history (x whole >= 0, 0 <= t_x <= T, T > 0, t_x = 0 when x = 0). */
function historyRule(h: HistoryColumns): (i: number) => CellError | null {
  return (i) => {
    const x = valueAt(h.frequency, i);
    const recency = valueAt(h.recency, i);
    const age = valueAt(h.age, i);
    if (!(Number.isInteger(x) && x >= 0)) return errors.badFrequency;
    if (!(age > 0)) return errors.badAge;
    if (!(recency >= 0)) return errors.badRecency;
    if (recency > age) return errors.recencyExceedsAge;
    if (x === 0 && recency !== 0) return errors.recencyWithoutRepeats;
    return null;
  };
}

/** The history rules plus: avg_spend > 0 where frequency > 0. */
function spendRule(h: HistoryColumns, avgSpend: Column): (i: number) => CellError | null {
  const history = historyRule(h);
  return (i) => {
    const broken = history(i);
    if (broken) return broken;
    if (valueAt(h.frequency, i) > 0 && !(valueAt(avgSpend, i) > 0)) return errors.badAvgSpend;
    return null;
  };
}

/** The error of a fit that has no maximum. */
function fitError(fit: { failure: string }): CellError {
  return fit.failure === "unbounded" ? errors.fitUnbounded : errors.fitNotConverged;
}

/** The BG/NBD fit of the usable rows, or the whole-call error. */
function bgnbdOf(h: HistoryColumns, states: readonly RowState[]): BgNbdParams | CellError {
  const x: number[] = [];
  const recency: number[] = [];
  const age: number[] = [];
  states.forEach((state, i) => {
    if (state !== null) return;
    x.push(valueAt(h.frequency, i));
    recency.push(valueAt(h.recency, i));
    age.push(valueAt(h.age, i));
  });
  if (x.length < MIN_FIT_ROWS) return tooFewRows(MIN_FIT_ROWS, false);
  const fit: Fit<BgNbdParams> = fitBgNbd(purchaseHistories(x, recency, age));
  return "failure" in fit ? fitError(fit) : fit.params;
}

/** The Gamma-Gamma fit of the usable rows with frequency > 0, or the whole-call error. */
function gammaGammaOf(
  frequency: Column,
  avgSpend: Column,
  states: readonly RowState[],
): GammaGammaParams | CellError {
  const x: number[] = [];
  const meanSpend: number[] = [];
  states.forEach((state, i) => {
    if (state !== null || valueAt(frequency, i) === 0) return;
    x.push(valueAt(frequency, i));
    meanSpend.push(valueAt(avgSpend, i));
  });
  if (x.length < MIN_FIT_ROWS) return tooFewRows(MIN_FIT_ROWS, true);
  const fit = fitGammaGamma({ x: Float64Array.from(x), meanSpend: Float64Array.from(meanSpend) });
  return "failure" in fit ? fitError(fit) : fit.params;
}

/** Rows' results: the state where not usable, `value(i)` where usable (NaN → `nan`). */
function perRow(
  states: readonly RowState[],
  value: (i: number) => number,
  nan: CellError,
): Cell<number>[] {
  return states.map((state, i) => {
    if (state !== null) return state;
    const v = value(i);
    return Number.isFinite(v) ? v : nan;
  });
}

/** The length of the history columns (and more), or `#VALUE!` "columns differ in length". */
function lengthOf(h: HistoryColumns, ...more: Column[]): number | CellError {
  return commonLength(h.frequency, h.recency, h.age, ...more);
}

/** CRM.BGNBD: the fitted [r, alpha, a, b] of the usable rows, e.g. on CDNOW [0.243, 4.414, 0.793, 2.426]. */
export function bgnbdFit(h: HistoryColumns): number[] | CellError {
  const n = lengthOf(h);
  if (typeof n !== "number") return n;
  const params = bgnbdOf(h, rowStates(n, [h.frequency, h.recency, h.age], historyRule(h)));
  if ("code" in params) return params;
  return [params.r, params.alpha, params.a, params.b];
}

/** BG/NBD parameters from cells (a 1 × 4 range from CRM.BGNBD), or `#NUM!`. */
export function bgnbdParamsFromCells(cells: readonly unknown[]): BgNbdParams | CellError {
  const p = positiveNumbers(cells, 4);
  if (!p) return errors.badBgNbdParams;
  return { r: p[0] as number, alpha: p[1] as number, a: p[2] as number, b: p[3] as number };
}

/** Gamma-Gamma parameters from cells (a 1 × 3 range from CRM.GAMMAGAMMA), or `#NUM!`. */
export function gammaGammaParamsFromCells(cells: readonly unknown[]): GammaGammaParams | CellError {
  const p = positiveNumbers(cells, 3);
  if (!p) return errors.badGammaGammaParams;
  return { p: p[0] as number, q: p[1] as number, v: p[2] as number };
}

function positiveNumbers(cells: readonly unknown[], count: number): number[] | null {
  if (cells.length !== count) return null;
  const out: number[] = [];
  for (const cell of cells) {
    if (!(typeof cell === "number" && Number.isFinite(cell) && cell > 0)) return null;
    out.push(cell);
  }
  return out;
}

/** CRM.PALIVE: P(alive) per row, with the given parameters or (null) fitted on the call's rows. */
export function aliveProbabilities(
  h: HistoryColumns,
  params: BgNbdParams | null,
): Cell<number>[] | CellError {
  const n = lengthOf(h);
  if (typeof n !== "number") return n;
  const states = rowStates(n, [h.frequency, h.recency, h.age], historyRule(h));
  const p = params ?? bgnbdOf(h, states);
  if ("code" in p) return p;
  return perRow(
    states,
    (i) => probabilityAlive(p, valueAt(h.frequency, i), valueAt(h.recency, i), valueAt(h.age, i)),
    errors.fitNotConverged,
  );
}

/**
 * CRM.PURCHASES: expected purchases in the next `horizon` time units per row (horizon a
 * column, or one cell for every row), with the given or fitted parameters.
 */
export function expectedPurchaseCounts(
  h: HistoryColumns,
  horizon: Column,
  params: BgNbdParams | null,
): Cell<number>[] | CellError {
  const n = lengthOf(h);
  if (typeof n !== "number") return n;
  if (broadcastLength(h.frequency, horizon) !== n) return errors.columnsDifferInLength;
  if (horizon.kinds.length === 1 && n !== 1) {
    // One horizon for every row: a bad one is the answer of every row, without a fit.
    const single = rowStates(1, [horizon], () => horizonRule(horizon, 0));
    if (single[0] !== null) return new Array<Cell<number>>(n).fill(single[0] as Blank | CellError);
  }
  const history = historyRule(h);
  const states = rowStates(
    n,
    [h.frequency, h.recency, h.age, horizon],
    (i) => history(i) ?? horizonRule(horizon, i),
  );
  const p = params ?? bgnbdOf(h, states);
  if ("code" in p) return p;
  if (p.a === 1) return errors.aIsOne;
  return perRow(
    states,
    (i) =>
      expectedPurchases(
        p,
        valueAt(horizon, i),
        valueAt(h.frequency, i),
        valueAt(h.recency, i),
        valueAt(h.age, i),
      ),
    errors.seriesDiverged,
  );
}

function horizonRule(horizon: Column, i: number): CellError | null {
  return valueAt(horizon, i) >= 0 ? null : errors.badHorizon;
}

/** CRM.GAMMAGAMMA: the fitted [p, q, v] of the usable rows with frequency > 0. */
export function gammaGammaFit(frequency: Column, avgSpend: Column): number[] | CellError {
  const n = commonLength(frequency, avgSpend);
  if (typeof n !== "number") return n;
  const states = rowStates(n, [frequency, avgSpend], spendOnlyRule(frequency, avgSpend));
  const params = gammaGammaOf(frequency, avgSpend, states);
  if ("code" in params) return params;
  return [params.p, params.q, params.v];
}

/** Gamma-Gamma reads only frequency and avg_spend: x whole >= 0, avg_spend > 0 where x > 0. */
function spendOnlyRule(frequency: Column, avgSpend: Column): (i: number) => CellError | null {
  return (i) => {
    const x = valueAt(frequency, i);
    if (!(Number.isInteger(x) && x >= 0)) return errors.badFrequency;
    if (x > 0 && !(valueAt(avgSpend, i) > 0)) return errors.badAvgSpend;
    return null;
  };
}

/** The whole-call error of Gamma-Gamma parameters that give no finite mean spend. */
function spendParamsError(params: GammaGammaParams): CellError | null {
  return params.q <= 1 ? errors.meanSpendUndefined : null;
}

/** CRM.SPEND: the expected value of a future purchase per row, with given or fitted params. */
export function expectedSpends(
  frequency: Column,
  avgSpend: Column,
  params: GammaGammaParams | null,
): Cell<number>[] | CellError {
  const n = commonLength(frequency, avgSpend);
  if (typeof n !== "number") return n;
  const states = rowStates(n, [frequency, avgSpend], spendOnlyRule(frequency, avgSpend));
  const p = params ?? gammaGammaOf(frequency, avgSpend, states);
  if ("code" in p) return p;
  const broken = spendParamsError(p);
  if (broken) return broken;
  return perRow(
    states,
    (i) => expectedSpend(p, valueAt(frequency, i), valueAt(avgSpend, i)),
    errors.fitNotConverged,
  );
}

/** The scalar arguments of CRM.PCLV. */
export interface ValueHorizon {
  readonly months: number | null;
  readonly monthlyDiscount: number | null;
  /** Days per time unit of the data; null → 1 (days). */
  readonly unitDays: number | null;
}

/** The discounted value of a customer's purchases over `months` months (see `predictedValues`). */
function predictedValueOf(
  bgnbd: BgNbdParams,
  spend: number,
  horizon: { months: number; discount: number; unitsPerMonth: number },
  x: number,
  recency: number,
  age: number,
): number {
  let value = 0;
  let before = 0;
  let factor = 1;
  for (let i = 1; i <= horizon.months; i++) {
    const upTo = expectedPurchases(bgnbd, i * horizon.unitsPerMonth, x, recency, age);
    factor /= 1 + horizon.discount;
    value += (upTo - before) * spend * factor;
    before = upTo;
  }
  return value;
}

/**
 * CRM.PCLV: Σ over months i = 1..months of (E[purchases to month i] − E[to month i − 1]) ·
 * expected spend / (1 + monthly_discount)^i, a month being 30 days; the definition of the
 * `lifetimes` library. Both fits (where their params are null) use the rows usable for all inputs.
 */
export function predictedValues(
  h: HistoryColumns,
  avgSpend: Column,
  horizon: ValueHorizon,
  bgnbd: BgNbdParams | null,
  gammaGamma: GammaGammaParams | null,
): Cell<number>[] | CellError {
  const { months, monthlyDiscount } = horizon;
  const unitDays = horizon.unitDays ?? 1;
  if (!(months !== null && Number.isInteger(months) && months >= 0 && months <= MAX_MONTHS))
    return errors.badMonths;
  if (!(monthlyDiscount !== null && monthlyDiscount > -1)) return errors.badMonthlyDiscount;
  if (!(unitDays > 0)) return errors.badUnitDays;
  const n = lengthOf(h, avgSpend);
  if (typeof n !== "number") return n;
  const states = rowStates(n, [h.frequency, h.recency, h.age, avgSpend], spendRule(h, avgSpend));
  const purchases = bgnbd ?? bgnbdOf(h, states);
  if ("code" in purchases) return purchases;
  const spend = gammaGamma ?? gammaGammaOf(h.frequency, avgSpend, states);
  if ("code" in spend) return spend;
  const broken = spendParamsError(spend);
  if (broken) return broken;
  if (purchases.a === 1) return errors.aIsOne;
  const steps = { months, discount: monthlyDiscount, unitsPerMonth: DAYS_PER_MONTH / unitDays };
  return perRow(
    states,
    (i) => {
      const x = valueAt(h.frequency, i);
      return predictedValueOf(
        purchases,
        expectedSpend(spend, x, valueAt(avgSpend, i)),
        steps,
        x,
        valueAt(h.recency, i),
        valueAt(h.age, i),
      );
    },
    errors.seriesDiverged,
  );
}
