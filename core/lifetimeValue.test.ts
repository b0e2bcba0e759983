import { describe, expect, it } from "vitest";
import { columnFromCells, columnOf } from "./columns.ts";
import { errors } from "./errors.ts";
import { lifetimeValue } from "./lifetimeValue.ts";

const one = (x: number) => columnOf([x]);

describe("CRM.CLV", () => {
  it("gives 100 · 0.8 / 0.3 = 266.67 without periods", () => {
    expect(lifetimeValue(one(100), one(0.8), one(0.1))).toEqual([(100 * 0.8) / (1 + 0.1 - 0.8)]);
  });

  it("gives 72.727… + 52.892… = 125.62 over 2 periods", () => {
    const [value] = lifetimeValue(one(100), one(0.8), one(0.1), one(2)) as number[];
    expect(value).toBeCloseTo(125.619834710744, 10);
  });

  it("treats periods 0 as the unbounded form", () => {
    expect(lifetimeValue(one(100), one(0.8), one(0.1), one(0))).toEqual(
      lifetimeValue(one(100), one(0.8), one(0.1)),
    );
  });

  it("broadcasts scalars against a column", () => {
    expect(lifetimeValue(columnOf([30, 60]), one(0.5), one(0))).toEqual([30, 60]);
  });

  it("broadcasts a scalar margin against a column of retention rates", () => {
    expect(lifetimeValue(one(10), columnOf([0, 0.5]), one(0))).toEqual([0, 10]);
  });

  it("rejects two columns of different lengths", () => {
    expect(lifetimeValue(columnOf([1, 2]), columnOf([0.5, 0.5, 0.5]), one(0))).toBe(
      errors.columnsDifferInLength,
    );
  });

  it.each([-0.1, 1.1])("gives #NUM! for retention %s", (r) => {
    expect(lifetimeValue(one(100), one(r), one(0.1))).toEqual([errors.badRetention]);
  });

  it("gives #NUM! for discount_rate -1", () => {
    expect(lifetimeValue(one(100), one(0.5), one(-1))).toEqual([errors.badDiscountRate]);
  });

  it("gives #NUM! when 1 + d - r is not positive without periods", () => {
    expect(lifetimeValue(one(100), one(1), one(0))).toEqual([errors.clvDiverges]);
  });

  it("allows retention 1 with discount 0 over a finite number of periods", () => {
    expect(lifetimeValue(one(100), one(1), one(0), one(3))).toEqual([300]);
  });

  it.each([1.5, -1])("gives #NUM! for periods %s", (t) => {
    expect(lifetimeValue(one(100), one(0.5), one(0.1), one(t))).toEqual([errors.badPeriods]);
  });

  it("gives #NUM! instead of Infinity when the unbounded value overflows", () => {
    expect(lifetimeValue(one(1e308), one(0.9), one(1e-10))).toEqual([errors.clvOverflow]);
  });

  it("gives #NUM! instead of -Infinity when a negative margin overflows", () => {
    expect(lifetimeValue(one(-1e308), one(0.9), one(1e-10))).toEqual([errors.clvOverflow]);
  });

  it("gives #NUM! when the sum over periods overflows", () => {
    expect(lifetimeValue(one(1e308), one(1), one(0), one(10))).toEqual([errors.clvOverflow]);
  });

  it("gives #NUM! when values growing each period (r > 1 + d) overflow", () => {
    expect(lifetimeValue(one(100), one(1), one(-0.5), one(2000))).toEqual([errors.clvOverflow]);
  });

  it("sums a trillion periods in closed form: 100 · 0.8 / 0.3 in the limit", () => {
    const [value] = lifetimeValue(one(100), one(0.8), one(0.1), one(1e12)) as number[];
    expect(value).toBeCloseTo((100 * 0.8) / 0.3, 10);
  });

  it("agrees term by term and in closed form at 1,000 and 1,001 periods", () => {
    const [at1000] = lifetimeValue(one(100), one(0.999), one(0), one(1000)) as [number];
    const [at1001] = lifetimeValue(one(100), one(0.999), one(0), one(1001)) as [number];
    expect(at1001 - at1000).toBeCloseTo(100 * 0.999 ** 1001, 8);
  });

  it("gives #NUM! only in the row whose retention is out of range", () => {
    expect(lifetimeValue(one(10), columnOf([0.5, 2]), one(0))).toEqual([10, errors.badRetention]);
  });

  it("gives a blank for a blank cell and #VALUE! for text", () => {
    expect(lifetimeValue(columnFromCells(["", "x"]), one(0.5), one(0))).toEqual([
      "",
      errors.notANumber,
    ]);
  });
});
