import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareShown, shownValue } from "./shownValue.ts";

describe("the 15-significant-digit rule", () => {
  it("shows 79.99999999999999 as 80", () => {
    expect(shownValue(79.99999999999999)).toBe(80);
  });

  it("shows 0.7999999999999999 as 0.8", () => {
    expect(shownValue(1.2 / 1.5)).toBe(0.8);
  });

  it("compares a value that shows as the edge as equal to it", () => {
    expect([compareShown(79.99999999999999, 80), compareShown(80.00000000000001, 80)]).toEqual([
      0, 0,
    ]);
  });

  it("still tells apart values that differ in the 14th significant digit", () => {
    expect([compareShown(79.9999999999999, 80), compareShown(80.0000000000001, 80)]).toEqual([
      -1, 1,
    ]);
  });

  it("is NaN for NaN, so neither below nor at or above", () => {
    expect(Number.isNaN(compareShown(Number.NaN, 80))).toBe(true);
  });

  it("leaves 0 and numbers of at most 15 digits as they are", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), (n) => {
        expect(shownValue(n)).toBe(n);
      }),
    );
  });

  it("compares exactly as rounding every value first would (the shortcut changes nothing)", () => {
    const edge = fc.oneof(
      fc.constantFrom(0, 0.8, 0.95, 1, 40, 50, 70, 80, 90, 100),
      fc.double({ min: -1e300, max: 1e300, noNaN: true }),
    );
    fc.assert(
      fc.property(
        edge,
        fc.integer({ min: -40, max: 40 }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (e, ulps, around, other) => {
          // Values a few units in the last place from the edge, around the shortcut's
          // threshold (1e-13 of the value), and anywhere at all.
          let near = e;
          for (let k = 0; k < Math.abs(ulps); k++) near = ulps > 0 ? nextUp(near) : -nextUp(-near);
          for (const x of [near, e * (1 + around * 1e-14), other]) {
            const shown = shownValue(x);
            expect(Math.sign(compareShown(x, e))).toBe(Math.sign(shown - e) || 0);
          }
        },
      ),
    );
  });
});

/** The next double above x (x finite). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const buffer = new DataView(new ArrayBuffer(8));
  buffer.setFloat64(0, x);
  const bits = buffer.getBigInt64(0);
  buffer.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return buffer.getFloat64(0);
}
