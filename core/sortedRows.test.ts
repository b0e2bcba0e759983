import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortRows, sortScratch } from "./sortedRows.ts";

const none = (n: number) => new Uint8Array(n);
const sortedValues = (values: Float64Array, rows: Int32Array) => [...rows].map((r) => values[r]);

describe("sortRows", () => {
  it("orders the rows of 5, 1, 3 as 1, 2, 0", () => {
    expect([...sortRows(Float64Array.of(5, 1, 3), none(3))]).toEqual([1, 2, 0]);
  });

  it("leaves out the rows marked to skip", () => {
    expect([...sortRows(Float64Array.of(9, 2, 7, 1), Uint8Array.of(0, 1, 0, 0))]).toEqual([
      3, 2, 0,
    ]);
  });

  it("orders negatives, zeros, fractions and extremes like a numeric sort", () => {
    const input = Float64Array.of(
      3.5,
      -0.25,
      0,
      -1e300,
      1e-300,
      Number.MAX_VALUE,
      -Number.MIN_VALUE,
      2,
      -7,
    );
    expect(sortedValues(input, sortRows(input, none(input.length)))).toEqual(
      [...input].sort((a, b) => a - b),
    );
  });

  it("keeps -0 and 0 together in row order", () => {
    expect([...sortRows(Float64Array.of(0, -0, 0, -1), none(4))]).toEqual([3, 0, 1, 2]);
  });

  it("reuses a scratch for several sorts", () => {
    const scratch = sortScratch(3);
    sortRows(Float64Array.of(3, 2, 1), none(3), scratch);
    expect([...sortRows(Float64Array.of(2, 9, 4), none(3), scratch)]).toEqual([0, 2, 1]);
  });

  it("matches a stable numeric sort of the rows (property)", () => {
    const values = fc.array(
      fc.oneof(
        fc.integer({ min: -20, max: 20 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      ),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(values, fc.infiniteStream(fc.boolean()), (input, skips) => {
        const skip = Uint8Array.from(input, () => (skips.next().value ? 1 : 0));
        const rows = sortRows(Float64Array.from(input), skip);
        const expected = input
          .map((v, i) => ({ v, i }))
          .filter(({ i }) => skip[i] === 0)
          .sort((a, b) => a.v - b.v || a.i - b.i);
        expect([...rows]).toEqual(expected.map((e) => e.i));
      }),
    );
  });
});
