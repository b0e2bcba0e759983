/**
 * Rank queries over a sorted copy of a column's numbers: how many values are below, at or
 * above a given value, and the sum of those at or above it.
 *
 * Each query is answered in a bucket of a linear index over [min, max] and then by binary
 * search inside it, so for smooth data a query costs O(1) and never more than O(log n):
 * a million queries stay cheaper than the sort that precedes them.
 */

/** A sorted copy of some numbers with an index for fast lower and upper bounds. */
export interface SortedValues {
  /** The numbers, ascending. */
  readonly sorted: Float64Array;
  /** `starts[b]` = first position whose bucket is `>= b`; `starts[buckets] = length`. */
  readonly starts: Int32Array;
  readonly min: number;
  readonly scale: number;
  readonly lastBucket: number;
}

/** Sorts `numbers` in place and indexes them; pass a copy you own. */
export function indexSorted(numbers: Float64Array): SortedValues {
  numbers.sort();
  const m = numbers.length;
  const min = m > 0 ? (numbers[0] as number) : 0;
  const max = m > 0 ? (numbers[m - 1] as number) : 0;
  // Half as many buckets as values keeps the index at 2 bytes a row and buckets short.
  let buckets = Math.max(1, m >>> 1);
  let scale = buckets / (max - min);
  // Equal values, or a range too wide for a double: one bucket, plain binary search.
  if (!(scale > 0 && Number.isFinite(scale))) {
    buckets = 1;
    scale = 0;
  }
  const lastBucket = buckets - 1;
  const starts = new Int32Array(buckets + 1);
  let b = 0;
  for (let k = 0; k < m; k++) {
    const bk = bucketOf(numbers[k] as number, min, scale, lastBucket);
    while (b <= bk) starts[b++] = k;
  }
  while (b <= buckets) starts[b++] = m;
  return { sorted: numbers, starts, min, scale, lastBucket };
}

// Monotone in v (IEEE subtraction, multiplication and floor all are), which is all
// correctness needs: a value's bucket never precedes a smaller value's.
function bucketOf(v: number, min: number, scale: number, lastBucket: number): number {
  const b = Math.floor((v - min) * scale);
  // `!(b > 0)` also maps NaN (∞ · 0 when the range overflowed) to the first bucket.
  return b > 0 ? Math.min(b, lastBucket) : 0;
}

/** The number of values `< v` (the first position holding a value `>= v`). */
export function countBelow(index: SortedValues, v: number): number {
  const { sorted, starts } = index;
  const b = bucketOf(v, index.min, index.scale, index.lastBucket);
  let lo = starts[b] as number;
  let hi = starts[b + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The number of values `<= v`. */
export function countAtOrBelow(index: SortedValues, v: number): number {
  const { sorted, starts } = index;
  const b = bucketOf(v, index.min, index.scale, index.lastBucket);
  let lo = starts[b] as number;
  let hi = starts[b + 1] as number;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
