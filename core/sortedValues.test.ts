import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countAtOrBelow, countBelow, indexSorted } from "./sortedValues.ts";

const numbers = fc.array(
  fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  {
    maxLength: 50,
  },
);

describe("sorted value index", () => {
  it("counts values below and at or below any probe exactly (property)", () => {
    fc.assert(
      fc.property(
        numbers,
        fc.array(fc.double({ noNaN: true }), { maxLength: 10 }),
        (values, probes) => {
          const index = indexSorted(Float64Array.from(values));
          for (const v of [...values, ...probes]) {
            expect(countBelow(index, v)).toBe(values.filter((x) => x < v).length);
            expect(countAtOrBelow(index, v)).toBe(values.filter((x) => x <= v).length);
          }
        },
      ),
    );
  });

  it("handles the widest range of doubles", () => {
    const index = indexSorted(Float64Array.of(-Number.MAX_VALUE, 0, Number.MAX_VALUE));
    expect(countBelow(index, 0)).toBe(1);
    expect(countAtOrBelow(index, Number.MAX_VALUE)).toBe(3);
  });
});
