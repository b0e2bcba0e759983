/** CRM.SCORE: weighted averages per row of an n × k block. */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
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
  if (!(sum > 0)) return badWeights(k);
  return weights.values.slice();
}

/**
 * Weighted average per row, `sum(w·x)/sum(w)`; `check(x)` may reject a factor with a
 * per-row error (CREDITSCORE's 0–100 range). A non-number factor → `#VALUE!`, else any
 * blank → blank.
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
    let cell: Cell<number> | undefined;
    let blank = false;
    let sum = 0;
    for (let j = 0; j < factors.length; j++) {
      const column = factors[j] as Column;
      const kind = column.kinds[i];
      if (kind === CellKind.Invalid) {
        cell = errors.notANumber;
        break;
      }
      if (kind === CellKind.Blank) {
        blank = true;
        continue;
      }
      const x = column.values[i] as number;
      const rejected = outOfRange?.(x);
      if (rejected !== undefined) cell ??= rejected;
      sum += (weights[j] as number) * x;
    }
    out[i] = cell ?? (blank ? BLANK : sum / weightSum);
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
