/** CRM.SCORE: weighted averages per row of an n × k block. */
import { BLANK, type Blank, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { commonLength } from "./columns.ts";
import { badWeights, errors } from "./errors.ts";

/**
 * The k weights of a `weights` argument: k numbers, none negative, not all 0, else `#NUM!`.
 * Omitted (`null`) → equal weights.
 */
export function weightsFrom(
  weights: Column | null | undefined,
  k: number,
): Float64Array | CellError {
  if (weights === null || weights === undefined) return new Float64Array(k).fill(1);
  if (weights.kinds.length !== k) return badWeights(k);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const w = weights.values[j] as number;
    if (weights.kinds[j] !== CellKind.Number || w < 0) return badWeights(k);
    sum += w;
  }
  // A sum beyond a double (weights near 1e308) would make every score NaN.
  if (!(sum > 0 && Number.isFinite(sum))) return badWeights(k);
  return weights.values.slice();
}

/**
 * What keeps row `i` of `factors` from being computed: a non-number factor (`#VALUE!`),
 * else a factor `outOfRange` rejects (CREDITSCORE's 0–100), else a blank when any factor is
 * blank; `undefined` when every factor is a number to use.
 */
export function rowProblem(
  factors: readonly Column[],
  i: number,
  outOfRange?: (x: number) => CellError | undefined,
): CellError | Blank | undefined {
  let rejected: CellError | undefined;
  let blank = false;
  for (const column of factors) {
    const kind = column.kinds[i];
    if (kind === CellKind.Invalid) return errors.notANumber;
    if (kind === CellKind.Blank) blank = true;
    else rejected ??= outOfRange?.(column.values[i] as number);
  }
  return rejected ?? (blank ? BLANK : undefined);
}

/**
 * Weighted average per row, `sum(w·x)/sum(w)`; `outOfRange(x)` may reject a factor with a
 * per-row error (see `rowProblem` for which problem a row shows).
 */
export function weightedRows(
  factors: readonly Column[],
  weights: Float64Array,
  outOfRange?: (x: number) => CellError | undefined,
): Cell<number>[] | CellError {
  const n = commonLength(...factors);
  if (typeof n !== "number") return n;
  let weightSum = 0;
  for (const w of weights) weightSum += w;
  const out = new Array<Cell<number>>(n);
  for (let i = 0; i < n; i++) {
    const problem = rowProblem(factors, i, outOfRange);
    if (problem !== undefined) {
      out[i] = problem;
      continue;
    }
    let sum = 0;
    for (let j = 0; j < factors.length; j++)
      sum += (weights[j] as number) * ((factors[j] as Column).values[i] as number);
    out[i] = sum / weightSum;
  }
  return out;
}

/**
 * CRM.SCORE: per row of `factors` (k columns of one length, e.g. from `columnsFromBlock`),
 * the weighted average with `weights` (k numbers) or equal weights.
 */
export function weightedScores(
  factors: readonly Column[],
  weights?: Column | null,
): Cell<number>[] | CellError {
  const w = weightsFrom(weights, factors.length);
  if (!(w instanceof Float64Array)) return w;
  return weightedRows(factors, w);
}
