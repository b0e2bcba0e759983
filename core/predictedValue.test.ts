import { describe, expect, it } from "vitest";
import { cdnowCustomers, cdnowSummary } from "../test/cdnow.ts";
import { expectedPurchases } from "./bgnbd.ts";
import type { Column } from "./cells.ts";
import { columnFromCells, columnOf } from "./columns.ts";
import { errors, tooFewRows } from "./errors.ts";
import { expectedSpend } from "./gammaGamma.ts";
import {
  aliveProbabilities,
  type BgNbdParams,
  bgnbdFit,
  bgnbdParamsFromCells,
  expectedPurchaseCounts,
  expectedSpends,
  gammaGammaFit,
  gammaGammaParamsFromCells,
  predictedValues,
} from "./predictedValue.ts";

const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const SPEND = { p: 6.25, q: 3.74, v: 15.44 };

/** History columns from cells (numbers, blanks, text). */
const history = (frequency: unknown[], recency: unknown[], age: unknown[]) => ({
  frequency: columnFromCells(frequency),
  recency: columnFromCells(recency),
  age: columnFromCells(age),
});

/** The first 30 CDNOW customers: enough to fit both models (13 repeat buyers). */
const first30 = cdnowCustomers(30);

describe("CRM.BGNBD on columns", () => {
  it("gives r, alpha, a, b of the 2,357 CDNOW customers to the published digits", () => {
    const c = cdnowSummary();
    const fit = bgnbdFit(history(c.frequency, c.recency, c.age)) as number[];
    expect(fit.map((p) => p.toFixed(3))).toEqual(["0.243", "4.414", "0.793", "2.426"]);
  });

  it("leaves blank, text and rule-breaking rows out of the fit", () => {
    const clean = bgnbdFit(history(first30.frequency, first30.recency, first30.age));
    const noisy = bgnbdFit(
      history(
        [...first30.frequency, "", "x", 3, 1.5],
        [...first30.recency, 4, 4, 50, 2],
        [...first30.age, 10, 10, 40, 10],
      ),
    );
    expect(noisy).toEqual(clean);
  });

  it("is #NUM! 'needs at least 5 usable rows' for four customers", () => {
    expect(bgnbdFit(history([1, 0, 2, 0], [3, 0, 5, 0], [9, 9, 9, 9]))).toEqual(
      tooFewRows(5, false),
    );
  });

  it("is #NUM! when nobody came back (no optimum: the fit runs off)", () => {
    expect(bgnbdFit(history([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [5, 6, 7, 8, 9]))).toBe(
      errors.fitUnbounded,
    );
  });

  it("is #VALUE! when the columns differ in length", () => {
    expect(bgnbdFit(history([1, 2], [1, 2], [3]))).toBe(errors.columnsDifferInLength);
  });
});

describe("the row rules", () => {
  const rows = history(
    [1, "", "x", 1.5, -1, 2, 0, 2, 2],
    [2, 1, 1, 1, 0, 9, 3, -1, 1],
    [5, 5, 5, 5, 5, 5, 5, 5, 0],
  );

  it("gives blank, #VALUE! or the broken rule's #NUM! per row, and P(alive) elsewhere", () => {
    const out = aliveProbabilities(rows, CDNOW) as unknown[];
    expect(out.slice(1)).toEqual([
      "",
      errors.notANumber,
      errors.badFrequency,
      errors.badFrequency,
      errors.recencyExceedsAge,
      errors.recencyWithoutRepeats,
      errors.badRecency,
      errors.badAge,
    ]);
    expect(out[0]).toBeGreaterThan(0);
  });
});

describe("CRM.PALIVE", () => {
  it("fits the call's own rows when params are omitted", () => {
    const h = history(first30.frequency, first30.recency, first30.age);
    const [r = 0, alpha = 0, a = 0, b = 0] = bgnbdFit(h) as number[];
    expect(aliveProbabilities(h, null)).toEqual(aliveProbabilities(h, { r, alpha, a, b }));
  });

  it("gives 1 to every customer without repeat purchases", () => {
    const h = history(first30.frequency, first30.recency, first30.age);
    const out = aliveProbabilities(h, CDNOW) as unknown[];
    const withoutRepeats = first30.frequency.flatMap((x, i) => (x === 0 ? [out[i]] : []));
    expect(withoutRepeats.length).toBeGreaterThan(10);
    expect(new Set(withoutRepeats)).toEqual(new Set([1]));
  });
});

describe("params from cells", () => {
  it("reads r, alpha, a, b from a 1 × 4 range", () => {
    expect(bgnbdParamsFromCells([0.243, 4.414, 0.793, 2.426])).toEqual(CDNOW);
  });

  it.each([[[0.2, 4, 0.8]], [[0.2, 4, 0, 2]], [[0.2, "4", 0.8, 2]], [[0.2, -4, 0.8, 2]]])(
    "is #NUM! for %j",
    (cells) => {
      expect(bgnbdParamsFromCells(cells)).toBe(errors.badBgNbdParams);
    },
  );

  it("is #NUM! for Gamma-Gamma params that are not 3 positive numbers", () => {
    expect(gammaGammaParamsFromCells([6.25, 3.74])).toBe(errors.badGammaGammaParams);
  });
});

describe("CRM.PURCHASES", () => {
  const h = history([2, 0], [30.43, 0], [38.86, 38.86]);

  it("gives FHL's 1.226 for x = 2, t_x = 30.43, T = 38.86 over 39 weeks", () => {
    const [first] = expectedPurchaseCounts(h, columnOf([39]), CDNOW) as number[];
    expect(first?.toFixed(3)).toBe("1.226");
  });

  it("takes a column of horizons, one per row", () => {
    const out = expectedPurchaseCounts(h, columnOf([39, 0]), CDNOW);
    expect(out).toEqual([expectedPurchases(CDNOW, 39, 2, 30.43, 38.86), 0]);
  });

  it("gives every row the blank or error of a single bad horizon, without fitting", () => {
    expect(expectedPurchaseCounts(h, columnFromCells([-1]), null)).toEqual([
      errors.badHorizon,
      errors.badHorizon,
    ]);
    expect(expectedPurchaseCounts(h, columnFromCells([""]), null)).toEqual(["", ""]);
  });

  it("is #NUM! for the whole call when a = 1 (0/0)", () => {
    expect(expectedPurchaseCounts(h, columnOf([39]), { ...CDNOW, a: 1 })).toBe(errors.aIsOne);
  });
});

describe("CRM.GAMMAGAMMA and CRM.SPEND", () => {
  it("gives p 6.25, q 3.74, v 15.44 on CDNOW, fitting only the repeat buyers", () => {
    const c = cdnowCustomers();
    const [p = 0, q = 0, v = 0] = gammaGammaFit(
      columnOf(c.frequency),
      columnOf(c.avgSpend),
    ) as number[];
    expect([p.toFixed(2), q.toFixed(2)]).toEqual(["6.25", "3.74"]);
    expect(Math.abs(v - 15.44)).toBeLessThanOrEqual(0.01);
  });

  it("is #NUM! with fewer than 5 repeat buyers", () => {
    expect(gammaGammaFit(columnOf([1, 2, 0, 0, 0, 3]), columnOf([5, 6, 0, 0, 0, 7]))).toEqual(
      tooFewRows(5, true),
    );
  });

  it("gives the population mean to a customer without repeat purchases", () => {
    expect(expectedSpends(columnOf([0, 2]), columnOf([0, 22.35]), SPEND)).toEqual([
      expectedSpend(SPEND, 0, 0),
      expectedSpend(SPEND, 2, 22.35),
    ]);
  });

  it("is #NUM! in a row of a repeat buyer whose avg_spend is not positive", () => {
    expect(expectedSpends(columnOf([3]), columnOf([0]), SPEND)).toEqual([errors.badAvgSpend]);
  });

  it("is #NUM! for the whole call when q <= 1 (no mean spend)", () => {
    expect(expectedSpends(columnOf([1]), columnOf([5]), { ...SPEND, q: 1 })).toBe(
      errors.meanSpendUndefined,
    );
  });
});

describe("CRM.PCLV", () => {
  const h = history(first30.frequency, first30.recency, first30.age);
  const spend: Column = columnOf(first30.avgSpend);
  const horizon = (months: number, monthlyDiscount: number) => ({
    months,
    monthlyDiscount,
    unitDays: 7,
  });

  it("without discount is the expected purchases over the months times the expected spend", () => {
    const [value] = predictedValues(h, spend, horizon(12, 0), CDNOW, SPEND) as number[];
    const purchases = expectedPurchases(CDNOW, (12 * 30) / 7, 2, 30.43, 38.86);
    expect(value).toBeCloseTo(purchases * expectedSpend(SPEND, 2, 22.35), 10);
  });

  it("is worth less with a monthly discount", () => {
    const plain = predictedValues(h, spend, horizon(12, 0), CDNOW, SPEND) as number[];
    const discounted = predictedValues(h, spend, horizon(12, 0.01), CDNOW, SPEND) as number[];
    discounted.forEach((v, i) => {
      expect(v).toBeLessThan(plain[i] as number);
    });
  });

  it("fits both models on the call's rows when their params are omitted", () => {
    const [r = 0, alpha = 0, a = 0, b = 0] = bgnbdFit(h) as number[];
    const [p = 0, q = 0, v = 0] = gammaGammaFit(h.frequency, spend) as number[];
    expect(predictedValues(h, spend, horizon(6, 0.01), null, null)).toEqual(
      predictedValues(h, spend, horizon(6, 0.01), { r, alpha, a, b }, { p, q, v }),
    );
  });

  it.each([
    [{ months: 1.5, monthlyDiscount: 0, unitDays: 1 }, errors.badMonths],
    [{ months: null, monthlyDiscount: 0, unitDays: 1 }, errors.badMonths],
    [{ months: 12, monthlyDiscount: -1, unitDays: 1 }, errors.badMonthlyDiscount],
    [{ months: 12, monthlyDiscount: 0, unitDays: 0 }, errors.badUnitDays],
  ])("is #NUM! for the whole call for %j", (scalars, error) => {
    expect(predictedValues(h, spend, scalars, CDNOW, SPEND)).toBe(error);
  });
});
