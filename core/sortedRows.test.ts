import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortRows, sortScratch } from "./sortedRows.ts";

const allRows = (n: number) => new Uint8Array(n);

describe("sortRows", () => {
  it("sorts the worked example and names each value's row", () => {
    const { values, rows } = sortRows(Float64Array.of(5, 1, 3), allRows(3));
    expect([...values]).toEqual([1, 3, 5]);
    expect([...rows]).toEqual([1, 2, 0]);
  });

  it("sorts only the rows not marked to skip", () => {
    const { values, rows } = sortRows(Float64Array.of(9, 2, 7, 1), Uint8Array.of(0, 1, 0, 0));
    expect([...values]).toEqual([1, 7, 9]);
    expect([...rows]).toEqual([3, 2, 0]);
  });

  it("orders negatives, zeros, fractions and extremes like a numeric sort", () => {
    const input = [3.5, -0.25, 0, -1e300, 1e-300, Number.MAX_VALUE, -Number.MIN_VALUE, 2, -7];
    const { values } = sortRows(Float64Array.from(input), allRows(input.length));
    expect([...values]).toEqual([...input].sort((a, b) => a - b));
  });

  it("sorts -0 as 0, keeping row order among zeros", () => {
    const { values, rows } = sortRows(Float64Array.of(0, -0, 0), allRows(3));
    expect([...rows]).toEqual([0, 1, 2]);
    expect(Object.is(values[1], 0)).toBe(true);
  });

  it("reuses a scratch for several sorts", () => {
    const scratch = sortScratch(3);
    sortRows(Float64Array.of(3, 2, 1), allRows(3), scratch);
    const { values, rows, spare } = sortRows(Float64Array.of(2, 9, 4), allRows(3), scratch);
    expect([...values]).toEqual([2, 4, 9]);
    expect([...rows]).toEqual([0, 2, 1]);
    expect(spare.length).toBe(3);
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
      fc.property(values, (input) => {
        const { values: sorted, rows } = sortRows(Float64Array.from(input), allRows(input.length));
        const expected = input.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
        expect([...rows]).toEqual(expected.map((e) => e.i));
        expect([...sorted]).toEqual(expected.map((e) => e.v + 0));
      }),
    );
  });
});
