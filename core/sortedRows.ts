/**
 * Rows in the order of their values: what PARETO and RFM need to give every row a
 * cumulative sum or a rank without searching.
 *
 * A least-significant-digit radix sort on the order-preserving 64-bit pattern of each double
 * (11-bit digits, 6 passes at most), so the cost is linear in the rows and does not depend on
 * how the values are spread. At a million rows fresh memory costs more than the sorting, so
 * only row numbers move (8 bytes a row): each pass reads its digit from the value again. A
 * pass is skipped when all rows share its digit, and when all values share their low 32 bits
 * (whole numbers below 2^21, for instance) only the high 32 bits are sorted on, since two
 * values alike in those are equal.
 */

const BITS = 11;
const BINS = 1 << BITS;
const MASK = BINS - 1;
// Digits 0–2 are in the low 32 bits of a key, digits 3–5 in the high 32 bits.
const DIGITS = 6;

// Which 32-bit half of a double is the high one depends on the platform's byte order.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** Working memory for sorting up to `size` rows (8 bytes a row), reusable between sorts. */
export interface SortScratch {
  readonly size: number;
  readonly rows: readonly [Int32Array, Int32Array];
}

/** Working memory for sorts of up to `size` rows. */
export function sortScratch(size: number): SortScratch {
  return { size, rows: [new Int32Array(size), new Int32Array(size)] };
}

// The order-preserving key of a double: negative doubles have every bit flipped, others
// only the sign bit; -0 is read as 0 so that equal values stay together in row order.
function keyHigh(hi: number, lo: number): number {
  if (hi >>> 31 === 0) return (hi | 0x80000000) >>> 0;
  return hi === 0x80000000 && lo === 0 ? hi : ~hi >>> 0;
}

function keyLow(hi: number, lo: number): number {
  return hi >>> 31 === 0 || (hi === 0x80000000 && lo === 0) ? lo : ~lo >>> 0;
}

function digit(keyHi: number, keyLo: number, d: number): number {
  return d < 3 ? (keyLo >>> (d * BITS)) & MASK : (keyHi >>> ((d - 3) * BITS)) & MASK;
}

/** Start offsets of each bin of digit `d` into `offsets`; false when every row shares one bin. */
function binStarts(counts: Uint32Array, d: number, n: number, offsets: Uint32Array): boolean {
  let sum = 0;
  for (let b = 0; b < BINS; b++) {
    const count = counts[d * BINS + b] as number;
    if (count === n) return false;
    offsets[b] = sum;
    sum += count;
  }
  return true;
}

/**
 * The rows `i` of `values` with `skip[i] === 0` (the caller's "counted" marker, e.g.
 * `CellKind.Number` in a column's kinds), ordered by value; equal values keep row order.
 * E.g. values `[5, 1, 3]`, skip `[0, 0, 0]` → `[1, 2, 0]`. The result is a view into the
 * scratch, valid until the scratch is used again.
 */
export function sortRows(
  values: Float64Array,
  skip: Uint8Array,
  scratch: SortScratch = sortScratch(values.length),
): Int32Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const counts = new Uint32Array(DIGITS * BINS);
  let n = 0;
  let sharedLow = -1;
  let lowsDiffer = false;
  let [rowsA, rowsB] = scratch.rows;
  for (let i = 0; i < skip.length; i++) {
    if (skip[i] !== 0) continue;
    rowsA[n++] = i;
    const hi = bits[2 * i + HI] as number;
    const lo = bits[2 * i + LO] as number;
    if (sharedLow === -1) sharedLow = lo;
    else if (lo !== sharedLow) lowsDiffer = true;
    const kh = keyHigh(hi, lo);
    const kl = keyLow(hi, lo);
    for (let d = 0; d < DIGITS; d++) {
      const bin = d * BINS + digit(kh, kl, d);
      counts[bin] = (counts[bin] as number) + 1;
    }
  }

  const offsets = new Uint32Array(BINS);
  for (let d = lowsDiffer ? 0 : 3; d < DIGITS; d++) {
    if (!binStarts(counts, d, n, offsets)) continue;
    for (let k = 0; k < n; k++) {
      const row = rowsA[k] as number;
      const hi = bits[2 * row + HI] as number;
      const lo = bits[2 * row + LO] as number;
      const b = digit(keyHigh(hi, lo), keyLow(hi, lo), d);
      const to = offsets[b] as number;
      offsets[b] = to + 1;
      rowsB[to] = row;
    }
    [rowsA, rowsB] = [rowsB, rowsA];
  }
  return rowsA.subarray(0, n);
}
