import { describe, expect, it } from "vitest";
import { cdnowCustomers } from "../test/cdnow.ts";
import { expectedSpend, fitGammaGamma, gammaGammaLogLikelihood } from "./gammaGamma.ts";

const cdnow = cdnowCustomers();
const repeatBuyers = cdnow.frequency.flatMap((x, i) => (x > 0 ? [i] : []));
const data = {
  x: Float64Array.from(repeatBuyers, (i) => cdnow.frequency[i] as number),
  meanSpend: Float64Array.from(repeatBuyers, (i) => cdnow.avgSpend[i] as number),
};

describe("the Gamma-Gamma fit", () => {
  it("is fitted on CDNOW's 946 repeat buyers", () => {
    expect(data.x.length).toBe(946);
  });

  it("reproduces the published p 6.25, q 3.74 and v 15.44 (± 0.01)", () => {
    const fit = fitGammaGamma(data);
    if ("failure" in fit) throw new Error(fit.failure);
    expect(fit.params.p.toFixed(2)).toBe("6.25");
    expect(fit.params.q.toFixed(2)).toBe("3.74");
    expect(Math.abs(fit.params.v - 15.44)).toBeLessThanOrEqual(0.01);
  });

  it("has an analytic gradient equal to the numerical one", () => {
    const g = new Float64Array(3);
    const at = { p: 5, q: 3, v: 12 };
    gammaGammaLogLikelihood(data, at, g);
    (["p", "q", "v"] as const).forEach((name, i) => {
      const e = 1e-6;
      const up = gammaGammaLogLikelihood(data, { ...at, [name]: at[name] + e });
      const down = gammaGammaLogLikelihood(data, { ...at, [name]: at[name] - e });
      expect(g[i]).toBeCloseTo((up - down) / (2 * e), 3);
    });
  });
});

describe("expected spend", () => {
  const params = { p: 6.25, q: 3.74, v: 15.44 };

  it("weighs a customer's own mean against the population's: (v + x m) p / (p x + q − 1)", () => {
    expect(expectedSpend(params, 2, 22.35)).toBeCloseTo(((15.44 + 2 * 22.35) * 6.25) / 15.24, 12);
  });

  it("gives the population mean p v / (q − 1) without repeat purchases", () => {
    expect(expectedSpend(params, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
  });

  it("tends to the customer's own mean as purchases pile up", () => {
    expect(expectedSpend(params, 10_000, 40)).toBeCloseTo(40, 1);
  });
});
