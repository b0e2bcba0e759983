/** CRM.CREDITSCORE, CREDITGRADE, CREDITLIMIT and CREDITTERM under an explicit credit policy. */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { columnFromCells } from "./columns.ts";
import { badFactorCount, errors, unknownGrade } from "./errors.ts";
import { type CreditBand, type CreditPolicy, FIVE_C } from "./policy.ts";
import { weightedRows, weightsFrom } from "./scores.ts";
import { compareShown } from "./shownValue.ts";

/** A (grade, min score) row of a `bands` override. */
export interface GradeBand {
  readonly grade: string;
  readonly minScore: number;
}

/**
 * The bands of a `bands` argument: rows of (grade, min score) in any order, e.g.
 * `[["A", 80], ["B", 50], ["C", 0]]`. Fully blank rows are skipped; the bands come back
 * sorted by min score, highest first. Grades must be non-empty text and distinct, min
 * scores distinct numbers 0–100, one of them 0; else `#VALUE!`.
 */
export function bandsFromCells(rows: readonly (readonly unknown[])[]): GradeBand[] | CellError {
  const bands: GradeBand[] = [];
  for (const row of rows) {
    if (row.length !== 2) return errors.badBands;
    const [grade, minScore] = row;
    const blank = (x: unknown) => x === null || x === undefined || x === "";
    if (blank(grade) && blank(minScore)) continue;
    if (typeof grade !== "string" || grade.trim() === "") return errors.badBands;
    if (typeof minScore !== "number" || !(minScore >= 0 && minScore <= 100)) return errors.badBands;
    bands.push({ grade: grade.trim(), minScore });
  }
  bands.sort((x, y) => y.minScore - x.minScore);
  const grades = new Set(bands.map((band) => band.grade.toLowerCase()));
  if (grades.size !== bands.length) return errors.badBands;
  for (let k = 1; k < bands.length; k++) {
    if ((bands[k] as GradeBand).minScore === (bands[k - 1] as GradeBand).minScore)
      return errors.badBands;
  }
  if (bands.at(-1)?.minScore !== 0) return errors.badBands;
  return bands;
}

/**
 * CRM.CREDITSCORE: per row of 5 factor columns in 5C order (each 0–100, else `#NUM!` in
 * that row), the weighted average with `weights` (5 numbers) or the policy's 5C weights.
 */
export function creditScores(
  factors: readonly Column[],
  policy: CreditPolicy,
  weights?: Column | null,
): Cell<number>[] | CellError {
  if (factors.length !== FIVE_C.length) return badFactorCount(FIVE_C.length);
  const w = creditWeights(policy, weights);
  if (!(w instanceof Float64Array)) return w;
  return weightedRows(factors, w, factorOutOfRange);
}

/** The 5C weights in 5C order: `weights` (5 numbers, else `#NUM!`) or the policy's. */
export function creditWeights(
  policy: CreditPolicy,
  weights?: Column | null,
): Float64Array | CellError {
  return weights === null || weights === undefined
    ? weightsFrom(columnFromCells(FIVE_C.map((c) => policy.weights[c])), FIVE_C.length)
    : weightsFrom(weights, FIVE_C.length);
}

/** A 5C factor outside 0–100 is `#NUM!` in its row. */
export function factorOutOfRange(x: number): CellError | undefined {
  return x >= 0 && x <= 100 ? undefined : errors.factorOutOfRange;
}

/**
 * The index in `bands` (sorted highest first) of the highest band whose min score <= score,
 * the score compared as Excel shows it (15 significant digits: 79.99999999999999 is 80);
 * a score outside 0–100 is `#NUM!`.
 */
export function bandIndexOfScore(score: number, bands: readonly GradeBand[]): number | CellError {
  if (!(compareShown(score, 0) >= 0 && compareShown(score, 100) <= 0))
    return errors.scoreOutOfRange;
  for (let k = 0; k < bands.length; k++)
    if (compareShown(score, (bands[k] as GradeBand).minScore) >= 0) return k;
  // Unreachable for validated bands (the last min score is 0), kept total for safety.
  return errors.scoreOutOfRange;
}

/** The grade of the highest band whose min score <= score (bands sorted highest first). */
function gradeOfScore(score: number, bands: readonly GradeBand[]): string | CellError {
  const k = bandIndexOfScore(score, bands);
  return typeof k === "number" ? (bands[k] as GradeBand).grade : k;
}

/**
 * CRM.CREDITGRADE: per score (0–100, else `#NUM!`), the grade of the highest band whose
 * min score <= score; `bands` (from `bandsFromCells`) overrides the policy's.
 */
export function creditGrades(
  scores: Column,
  policy: CreditPolicy,
  bands?: readonly GradeBand[] | null,
): Cell<string>[] {
  const table = bands ?? policy.bands;
  const n = scores.kinds.length;
  const out = new Array<Cell<string>>(n);
  for (let i = 0; i < n; i++) {
    const kind = scores.kinds[i];
    out[i] =
      kind === CellKind.Blank
        ? BLANK
        : kind === CellKind.Invalid
          ? errors.notANumber
          : gradeOfScore(scores.values[i] as number, table);
  }
  return out;
}

/**
 * The policy band of a score or grade label cell: a number is graded by `bands` (or the
 * policy's), then found in the policy by grade label, as is a text label (trimmed, any
 * letter case); a label the policy lacks is `#VALUE!` "Unknown grade". Blank → blank.
 */
export function policyBand(
  cell: unknown,
  policy: CreditPolicy,
  bands: readonly GradeBand[] | null | undefined,
): CreditBand | typeof BLANK | CellError {
  if (cell === null || cell === undefined || cell === "") return BLANK;
  let label: string;
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return errors.notANumber;
    const grade = gradeOfScore(cell, bands ?? policy.bands);
    if (typeof grade !== "string") return grade;
    label = grade;
  } else if (typeof cell === "string") {
    label = cell.trim();
  } else {
    return errors.notANumber;
  }
  const wanted = label.toLowerCase();
  return policy.bands.find((band) => band.grade.toLowerCase() === wanted) ?? unknownGrade(label);
}

/**
 * CRM.CREDITLIMIT: per row, `floor(basis · pct(grade) / 100 / unit) · unit`, capped at the
 * policy maximum. `scoreOrGrade` holds raw cells (a score or a grade label); a length-1
 * argument broadcasts. Negative basis → `#NUM!`. E.g. score 85, basis 1,234,567 → 185,000.
 */
export function creditLimits(
  scoreOrGrade: readonly unknown[],
  basis: Column,
  policy: CreditPolicy,
  bands?: readonly GradeBand[] | null,
): Cell<number>[] | CellError {
  const m = scoreOrGrade.length;
  const b = basis.kinds.length;
  if (m !== b && m !== 1 && b !== 1) return errors.columnsDifferInLength;
  const n = m === 1 ? b : m;
  const out = new Array<Cell<number>>(n);
  for (let i = 0; i < n; i++) {
    const band = policyBand(scoreOrGrade[scoreOrGrade.length === 1 ? 0 : i], policy, bands);
    const at = basis.kinds.length === 1 ? 0 : i;
    const kind = basis.kinds[at];
    if (typeof band !== "object" || !("limitPct" in band)) out[i] = band;
    else if (kind === CellKind.Invalid) out[i] = errors.notANumber;
    else if (kind === CellKind.Blank) out[i] = BLANK;
    else out[i] = limitOf(basis.values[at] as number, band.limitPct, policy);
  }
  return out;
}

/** The limit of one basis at `limitPct` percent, rounded down to the policy's unit and capped. */
export function limitOf(basis: number, limitPct: number, policy: CreditPolicy): number | CellError {
  if (basis < 0) return errors.negativeBasis;
  // Multiply before dividing by 100: 1,234,567 · 15 / 100 is exact where · 0.15 is not.
  const unit = policy.limitRounding;
  const limit = Math.floor((basis * limitPct) / 100 / unit) * unit;
  return policy.maxLimit === null ? limit : Math.min(limit, policy.maxLimit);
}

/**
 * CRM.CREDITTERM: per score or grade label cell, the term in days of its policy band
 * (graded by `bands` when given, the term still read from the policy).
 */
export function creditTerms(
  scoreOrGrade: readonly unknown[],
  policy: CreditPolicy,
  bands?: readonly GradeBand[] | null,
): Cell<number>[] {
  return scoreOrGrade.map((cell) => {
    const band = policyBand(cell, policy, bands);
    return typeof band === "object" && "termDays" in band ? band.termDays : band;
  });
}
