/**
 * Rows sorted by value, with the row each sorted value came from: what PARETO and RFM need
 * to give every row a cumulative sum or a rank without searching.
 *
 * A least-significant-digit radix sort on the order-preserving 64-bit pattern of each double
 * (11-bit digits, 6 passes at most, a pass skipped when all rows share its digit), so the
 * cost is linear in the rows and does not depend on how the values are spread. Fresh memory
 * is what costs most at a million rows, so all of it comes from one reusable scratch.
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

/** Working memory for sorting up to `size` rows, 24 bytes a row, reusable between sorts. */
export interface SortScratch {
  readonly size: number;
  /** Two key buffers of `size` 64-bit keys each (high word, then low word, per key). */
  readonly keys: readonly [Uint32Array, Uint32Array];
  readonly rows: readonly [Int32Array, Int32Array];
}

/** Working memory for sorts of up to `size` rows. */
export function sortScratch(size: number): SortScratch {
  return {
    size,
    keys: [new Uint32Array(2 * size), new Uint32Array(2 * size)],
    rows: [new Int32Array(size), new Int32Array(size)],
  };
}

/** The sorted rows; every array is a view into the scratch, valid until it is used again. */
export interface SortedRows {
  /** The values ascending (-0 comes back as 0). */
  readonly values: Float64Array;
  /** For each sorted value the row it came from; equal values keep row order. */
  readonly rows: Int32Array;
  /** `size` doubles of the scratch left free, for the caller's per-row results. */
  readonly spare: Float64Array;
}

function digitOf(keys: Uint32Array, k: number, d: number): number {
  return d < 3
    ? ((keys[2 * k + 1] as number) >>> (d * BITS)) & MASK
    : ((keys[2 * k] as number) >>> ((d - 3) * BITS)) & MASK;
}

/**
 * Sorts the rows `i` of `values` where `skip[i] === 0` (the caller's "counted" marker, e.g.
 * `CellKind.Number` in a column's kinds). E.g. values `[5, 1, 3]`, skip `[0, 0, 0]` →
 * `{ values: [1, 3, 5], rows: [1, 2, 0] }`.
 */
export function sortRows(
  values: Float64Array,
  skip: Uint8Array,
  scratch: SortScratch = sortScratch(values.length),
): SortedRows {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let [keysA, keysB] = scratch.keys;
  let [rowsA, rowsB] = scratch.rows;
  const counts = new Uint32Array(DIGITS * BINS);

  // Order-preserving keys: negative doubles have every bit flipped, others only the sign bit.
  let n = 0;
  for (let i = 0; i < skip.length; i++) {
    if (skip[i] !== 0) continue;
    let hi = bits[2 * i + HI] as number;
    let lo = bits[2 * i + LO] as number;
    if (hi === 0x80000000 && lo === 0) {
      // -0 sorts as 0, so that equal values stay together in row order.
      hi = 0x80000000;
    } else if (hi >>> 31 === 1) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    keysA[2 * n] = hi;
    keysA[2 * n + 1] = lo;
    rowsA[n] = i;
    for (let d = 0; d < DIGITS; d++) {
      const bin =
        d * BINS + (d < 3 ? (lo >>> (d * BITS)) & MASK : (hi >>> ((d - 3) * BITS)) & MASK);
      counts[bin] = (counts[bin] as number) + 1;
    }
    n++;
  }

  const offsets = new Uint32Array(BINS);
  for (let d = 0; d < DIGITS; d++) {
    const base = d * BINS;
    let sum = 0;
    let skipPass = false;
    for (let b = 0; b < BINS; b++) {
      const count = counts[base + b] as number;
      if (count === n) skipPass = true;
      offsets[b] = sum;
      sum += count;
    }
    if (skipPass) continue;
    for (let k = 0; k < n; k++) {
      const b = digitOf(keysA, k, d);
      const to = offsets[b] as number;
      offsets[b] = to + 1;
      keysB[2 * to] = keysA[2 * k] as number;
      keysB[2 * to + 1] = keysA[2 * k + 1] as number;
      rowsB[to] = rowsA[k] as number;
    }
    [keysA, keysB] = [keysB, keysA];
    [rowsA, rowsB] = [rowsB, rowsA];
  }

  // Back from keys to doubles, into the other key buffer; the keys' own buffer is then free.
  const sorted = new Float64Array(keysB.buffer, keysB.byteOffset, n);
  const out = new Uint32Array(keysB.buffer, keysB.byteOffset, 2 * n);
  for (let k = 0; k < n; k++) {
    const hi = keysA[2 * k] as number;
    const lo = keysA[2 * k + 1] as number;
    if (hi >>> 31 === 1) {
      out[2 * k + HI] = hi & 0x7fffffff;
      out[2 * k + LO] = lo;
    } else {
      out[2 * k + HI] = ~hi >>> 0;
      out[2 * k + LO] = ~lo >>> 0;
    }
  }
  return {
    values: sorted,
    rows: rowsA.subarray(0, n),
    spare: new Float64Array(keysA.buffer, keysA.byteOffset, scratch.size),
  };
}
