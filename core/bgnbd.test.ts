import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cdnowSummary } from "../test/cdnow.ts";
import {
  type BgNbdParams,
  bgnbdLogLikelihood,
  expectedPurchases,
  expectedPurchasesOverDropout,
  fitBgNbd,
  probabilityAlive,
  purchaseHistories,
} from "./bgnbd.ts";
import { hypergeometric2F1 } from "./specialFunctions.ts";

const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

const params = fc.record({
  r: fc.double({ min: 0.01, max: 20, noNaN: true }),
  alpha: fc.double({ min: 0.01, max: 500, noNaN: true }),
  a: fc.double({ min: 0.01, max: 20, noNaN: true }),
  b: fc.double({ min: 0.01, max: 50, noNaN: true }),
});
/** (x, t_x, T) with 0 <= t_x <= T, t_x = 0 when x = 0, T up to 10,000 (days). */
const history = fc
  .tuple(
    fc.integer({ min: 0, max: 5000 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0.1, max: 10_000, noNaN: true }),
  )
  .map(([x, share, age]) => ({ x, recency: x === 0 ? 0 : share * age, age }));

describe("the BG/NBD fit", () => {
  const cdnow = cdnowSummary();
  const histories = purchaseHistories(cdnow.frequency, cdnow.recency, cdnow.age);

  it("reproduces the published CDNOW parameters r 0.243, alpha 4.414, a 0.793, b 2.426", () => {
    const fit = fitBgNbd(histories);
    if ("failure" in fit) throw new Error(fit.failure);
    const { r, alpha, a, b } = fit.params;
    expect([r, alpha, a, b].map((p) => p.toFixed(3))).toEqual(["0.243", "4.414", "0.793", "2.426"]);
  });

  it("reproduces the published CDNOW log-likelihood −9582.4", () => {
    const fit = fitBgNbd(histories);
    if ("failure" in fit) throw new Error(fit.failure);
    expect(fit.logLikelihood.toFixed(1)).toBe("-9582.4");
    expect(bgnbdLogLikelihood(histories, fit.params)).toBeCloseTo(fit.logLikelihood, 6);
  });

  it("finds the same optimum in days as in weeks (α scales by 7)", () => {
    const days = purchaseHistories(
      cdnow.frequency,
      cdnow.recency.map((t) => t * 7),
      cdnow.age.map((t) => t * 7),
    );
    const weeks = fitBgNbd(histories);
    const fit = fitBgNbd(days);
    if ("failure" in fit || "failure" in weeks) throw new Error("no fit");
    expect(fit.params.r).toBeCloseTo(weeks.params.r, 6);
    expect(fit.params.alpha / 7).toBeCloseTo(weeks.params.alpha, 5);
  });

  it("has an analytic gradient equal to the numerical one", () => {
    const g = new Float64Array(4);
    const at = { r: 0.3, alpha: 5, a: 0.7, b: 2 };
    bgnbdLogLikelihood(histories, at, g);
    (["r", "alpha", "a", "b"] as const).forEach((name, i) => {
      const e = 1e-6;
      const up = bgnbdLogLikelihood(histories, { ...at, [name]: at[name] + e });
      const down = bgnbdLogLikelihood(histories, { ...at, [name]: at[name] - e });
      expect(g[i]).toBeCloseTo((up - down) / (2 * e), 3);
    });
  });

  it("reports a fit without an optimum (no customer ever came back) as unbounded", () => {
    const fit = fitBgNbd(purchaseHistories([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [10, 20, 30, 40, 50]));
    expect(fit).toEqual({ failure: "unbounded" });
  });
});

describe("P(alive)", () => {
  it("is in [0, 1] for any parameters and history, with frequencies in the thousands", () => {
    fc.assert(
      fc.property(params, history, (p, h) => {
        const alive = probabilityAlive(p, h.x, h.recency, h.age);
        return alive >= 0 && alive <= 1;
      }),
    );
  });

  it("is exactly 1 without repeat purchases (one can only drop out after a purchase)", () => {
    fc.assert(
      fc.property(params, fc.double({ min: 0.1, max: 10_000, noNaN: true }), (p, age) => {
        return probabilityAlive(p, 0, 0, age) === 1;
      }),
    );
  });

  it("is 1/(1 + a/(b+x−1)) for a customer who bought at the end of the period", () => {
    expect(probabilityAlive(CDNOW, 3, 20, 20)).toBeCloseTo(1 / (1 + 0.793 / (2.426 + 2)), 14);
  });
});

describe("expected purchases", () => {
  it("gives FHL's 1.226 for x = 2, t_x = 30.43, T = 38.86 over the next 39 weeks", () => {
    expect(expectedPurchases(CDNOW, 39, 2, 30.43, 38.86).toFixed(3)).toBe("1.226");
  });

  it("is 0 for a horizon of 0", () => {
    expect(expectedPurchases(CDNOW, 0, 4, 10, 30)).toBe(0);
  });

  it("agrees with the untransformed closed form of FHL (2005) eq. 10", () => {
    for (const [t, x, tx, T] of [
      [39, 2, 30.43, 38.86],
      [10, 0, 0, 20],
      [52, 15, 35, 38],
      [100, 1, 2, 3],
    ] as const) {
      const { r, alpha, a, b } = CDNOW;
      const z = t / (alpha + T + t);
      const f = hypergeometric2F1(r + x, b + x, a + b + x - 1, z);
      const numerator = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * f;
      const denominator =
        1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0);
      const direct = (((a + b + x - 1) / (a - 1)) * numerator) / denominator;
      expect(expectedPurchases(CDNOW, t, x, tx, T)).toBeCloseTo(direct, 10);
    }
  });

  it("increases with the horizon, however long", () => {
    fc.assert(
      fc.property(
        params.filter((p) => Math.abs(p.a - 1) > 1e-3),
        history,
        fc.double({ min: 0.0001, max: 1e6, noNaN: true }),
        fc.double({ min: 0.0001, max: 1e6, noNaN: true }),
        (p, h, share, extraShare) => {
          const t1 = share * (p.alpha + h.age);
          const extra = extraShare * (p.alpha + h.age);
          const shorter = expectedPurchases(p, t1, h.x, h.recency, h.age);
          const longer = expectedPurchases(p, t1 + extra, h.x, h.recency, h.age);
          return Number.isFinite(shorter) && shorter >= 0 && longer >= shorter * (1 - 1e-9);
        },
      ),
    );
  });

  it("gives the same expectation by the integral over p as by the series", () => {
    for (const [p, t, x, tx, T] of [
      [CDNOW, 39, 2, 30.43, 38.86],
      [CDNOW, 39, 0, 0, 38.86],
      [{ r: 2, alpha: 30, a: 3, b: 5 }, 365, 40, 300, 400],
      [{ r: 0.01, alpha: 0.01, a: 0.05, b: 0.01 }, 10, 0, 0, 0.1],
    ] as const) {
      const series = expectedPurchases(p, t, x, tx, T);
      expect(expectedPurchasesOverDropout(p, t, x, tx, T) / series).toBeCloseTo(1, 10);
    }
  });

  it("tends to P(alive)(a+b+x−1)/(a−1), the expected purchases left, when a > 1", () => {
    const p = { r: 0.5, alpha: 10, a: 2.5, b: 3 };
    const limit = (probabilityAlive(p, 2, 5, 10) * (p.a + p.b + 2 - 1)) / (p.a - 1);
    expect(expectedPurchases(p, 1e9, 2, 5, 10) / limit).toBeCloseTo(1, 4);
  });

  it("stays finite for 3,000 purchases over 10,000 days", () => {
    const p = { r: 0.8, alpha: 30, a: 0.5, b: 4 };
    const expected = expectedPurchases(p, 365, 3000, 9990, 10_000);
    // Nearly certainly alive, buying at about (r + x)/(α + T) a day.
    expect(expected).toBeGreaterThan(100);
    expect(expected).toBeLessThan(365 * ((0.8 + 3000) / (30 + 10_000)));
  });
});
