/** CRM.AGING and CRM.AGEBUCKET: receivables aging (账龄分析) by days past due. */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { commonLength } from "./columns.ts";
import { errors } from "./errors.ts";

/** The default bucket boundaries in days: Current, 1-30, 31-60, 61-90, 90+. */
export const DEFAULT_BUCKET_DAYS: readonly number[] = [30, 60, 90];

/**
 * The boundaries of a `bucket_days` argument: whole numbers >= 1, strictly ascending, at
 * least one; blank cells are skipped; omitted (`null`) → 30, 60, 90; else `#NUM!`.
 */
export function bucketDaysFrom(bucketDays: Column | null | undefined): number[] | CellError {
  if (bucketDays === null || bucketDays === undefined) return [...DEFAULT_BUCKET_DAYS];
  const bounds: number[] = [];
  for (let j = 0; j < bucketDays.kinds.length; j++) {
    const kind = bucketDays.kinds[j];
    if (kind === CellKind.Blank) continue;
    const days = bucketDays.values[j] as number;
    if (kind === CellKind.Invalid || !Number.isInteger(days) || days < 1)
      return errors.badBucketDays;
    if (bounds.length > 0 && days <= (bounds.at(-1) as number)) return errors.badBucketDays;
    bounds.push(days);
  }
  return bounds.length === 0 ? errors.badBucketDays : bounds;
}

/** The labels of the buckets for boundaries, e.g. `[30, 60, 90]` → Current, 1-30, 31-60, 61-90, 90+. */
export function bucketLabels(bounds: readonly number[]): string[] {
  const labels = ["Current"];
  let from = 1;
  for (const to of bounds) {
    labels.push(`${from}-${to}`);
    from = to + 1;
  }
  labels.push(`${bounds.at(-1) ?? 0}+`);
  return labels;
}

/** The bucket of `days` past due: 0 for days <= 0, i for days in (bounds[i-2], bounds[i-1]], the last beyond. */
export function bucketOfDays(days: number, bounds: readonly number[]): number {
  if (days <= 0) return 0;
  let k = 0;
  while (k < bounds.length && days > (bounds[k] as number)) k++;
  return k + 1;
}

/**
 * CRM.AGING: the total amount per bucket (k boundaries → k + 2 totals), `days = asOf − due`.
 * Rows with a blank date or amount are skipped; a non-number is `#VALUE!` for the whole call.
 * `asOf` is an Excel serial date (the edge passes today when omitted).
 */
export function agingTotals(
  dueDates: Column,
  amounts: Column,
  asOf: number,
  bucketDays?: Column | null,
): number[] | CellError {
  if (!Number.isFinite(asOf)) return errors.badAsOf;
  const bounds = bucketDaysFrom(bucketDays);
  if (!Array.isArray(bounds)) return bounds;
  const n = commonLength(dueDates, amounts);
  if (typeof n !== "number") return n;
  const totals = new Array<number>(bounds.length + 2).fill(0);
  for (let i = 0; i < n; i++) {
    const dateKind = dueDates.kinds[i];
    const amountKind = amounts.kinds[i];
    if (dateKind === CellKind.Invalid || amountKind === CellKind.Invalid) return errors.notANumber;
    if (dateKind === CellKind.Blank || amountKind === CellKind.Blank) continue;
    const bucket = bucketOfDays(asOf - (dueDates.values[i] as number), bounds);
    totals[bucket] = (totals[bucket] as number) + (amounts.values[i] as number);
  }
  return totals;
}

/** CRM.AGEBUCKET: the bucket label per due date ("Current", "1-30", …); blank → blank. */
export function ageBuckets(
  dueDates: Column,
  asOf: number,
  bucketDays?: Column | null,
): Cell<string>[] | CellError {
  if (!Number.isFinite(asOf)) return errors.badAsOf;
  const bounds = bucketDaysFrom(bucketDays);
  if (!Array.isArray(bounds)) return bounds;
  const labels = bucketLabels(bounds);
  const n = dueDates.kinds.length;
  const out = new Array<Cell<string>>(n);
  for (let i = 0; i < n; i++) {
    const kind = dueDates.kinds[i];
    out[i] =
      kind === CellKind.Blank
        ? BLANK
        : kind === CellKind.Invalid
          ? errors.notANumber
          : (labels[bucketOfDays(asOf - (dueDates.values[i] as number), bounds)] as string);
  }
  return out;
}
