/**
 * Why a customer has its credit grade and what would move it: CRM.CREDITEXPLAIN (each 5C
 * factor's points) and CRM.GRADEGAP (the next grade up and the points still needed), and
 * the same for one customer as the task pane's credit page shows it.
 */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { columnOf, commonLength } from "./columns.ts";
import {
  bandIndexOfScore,
  creditScores,
  creditWeights,
  factorOutOfRange,
  type GradeBand,
} from "./credit.ts";
import { badFactorCount, errors } from "./errors.ts";
import { type CreditPolicy, FIVE_C } from "./policy.ts";
import type { CreditFactors } from "./schema.ts";
import { rowProblem } from "./scores.ts";

/**
 * CRM.CREDITEXPLAIN: five columns of points in 5C order, row i's `w_j · x_j / sum(w)`, so
 * each row adds up to its CRM.CREDITSCORE (same weights: `weights` or the policy's). A row
 * CREDITSCORE leaves blank is blank in all five; its error (`#VALUE!`, `#NUM!`) is in all five.
 * E.g. factors `80, 80, 80, 80, 80` with the default weights → `20, 20, 16, 12, 12`.
 */
export function creditPoints(
  factors: readonly Column[],
  policy: CreditPolicy,
  weights?: Column | null,
): Cell<number>[][] | CellError {
  if (factors.length !== FIVE_C.length) return badFactorCount(FIVE_C.length);
  const w = creditWeights(policy, weights);
  if (!(w instanceof Float64Array)) return w;
  const n = commonLength(...factors);
  if (typeof n !== "number") return n;
  let weightSum = 0;
  for (const x of w) weightSum += x;
  const points = factors.map(() => new Array<Cell<number>>(n));
  for (let i = 0; i < n; i++) {
    const problem = rowProblem(factors, i, factorOutOfRange);
    for (let j = 0; j < factors.length; j++) {
      const x = (factors[j] as Column).values[i] as number;
      (points[j] as Cell<number>[])[i] = problem ?? ((w[j] as number) * x) / weightSum;
    }
  }
  return points;
}

/** The next grade up and the points still needed to reach it; the top grade: `""`, 0. */
export interface GradeGap {
  readonly next: string;
  readonly points: number;
}

/**
 * CRM.GRADEGAP: per score, the next grade up and the points still needed to reach it
 * (`next band's min score − score`; the top grade `""`, 0), as two parallel columns. A
 * blank score gives `"", ""`; text `#VALUE!` in both; a score outside 0–100 `#NUM!` in both. `bands` (from `bandsFromCells`) overrides the policy's.
 * E.g. scores `85, 95` → next `AAA, ""`, points `5, 0`.
 */
export function gradeGaps(
  scores: Column,
  policy: CreditPolicy,
  bands?: readonly GradeBand[] | null,
): { next: Cell<string>[]; points: Cell<number>[] } {
  const table = bands ?? policy.bands;
  const n = scores.kinds.length;
  const next = new Array<Cell<string>>(n);
  const points = new Array<Cell<number>>(n);
  for (let i = 0; i < n; i++) {
    const kind = scores.kinds[i];
    const score = scores.values[i] as number;
    // The grade is found as CRM.CREDITGRADE finds it (15 significant digits), so the gap
    // to the next band up is always > 0.
    const k =
      kind === CellKind.Blank
        ? BLANK
        : kind === CellKind.Invalid
          ? errors.notANumber
          : bandIndexOfScore(score, table);
    if (typeof k !== "number") {
      next[i] = k;
      points[i] = k;
    } else if (k === 0) {
      next[i] = "";
      points[i] = 0;
    } else {
      const up = table[k - 1] as GradeBand;
      next[i] = up.grade;
      points[i] = up.minScore - score;
    }
  }
  return { next, points };
}

/** One customer's credit score explained, as the credit page shows it. */
export interface CreditExplanation {
  /** Each factor's share of the weights in 5C order, `w_j / sum(w)` (0.25 for 25 %). */
  readonly shares: readonly number[];
  /** Points per factor in 5C order, `share_j · x_j`; they add up to `score`. */
  readonly points: readonly number[];
  readonly score: number;
  readonly grade: string;
  readonly gap: GradeGap;
}

/**
 * The explanation of one customer's 5C factors under `policy`: the same numbers as
 * CRM.CREDITEXPLAIN, CRM.CREDITSCORE, CRM.CREDITGRADE and CRM.GRADEGAP in a row of cells,
 * or the error one of them would show (a factor outside 0–100: `#NUM!`).
 */
export function explainCredit(
  factors: CreditFactors,
  policy: CreditPolicy,
): CreditExplanation | CellError {
  const columns = FIVE_C.map((c) => columnOf([factors[c]]));
  const points = creditPoints(columns, policy);
  const scores = creditScores(columns, policy);
  if (!Array.isArray(points)) return points;
  if (!Array.isArray(scores)) return scores;
  // One row of numbers is never blank: a non-number factor is `#VALUE!` in its columns.
  const score = scores[0] as number | CellError;
  if (typeof score !== "number") return score;
  const k = bandIndexOfScore(score, policy.bands);
  if (typeof k !== "number") return k;
  const gaps = gradeGaps(columnOf([score]), policy);
  const gap = { next: gaps.next[0] as string, points: gaps.points[0] as number };
  // The policy's weights are valid here: creditPoints would have refused them.
  const weights = creditWeights(policy) as Float64Array;
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  return {
    shares: Array.from(weights, (w) => w / weightSum),
    points: points.map((column) => column[0] as number),
    score,
    grade: (policy.bands[k] as GradeBand).grade,
    gap,
  };
}
