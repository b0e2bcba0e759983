import { describe, expect, it } from "vitest";
import { digamma, hypergeometric2F1, logBeta, logGamma } from "./specialFunctions.ts";

describe("logGamma", () => {
  it.each([
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [0.5, 0.5 * Math.log(Math.PI)],
    [10.5, 13.940625219403763],
    [1e-8, 18.420680738180209],
  ])("gives ln Γ(%s) = %s to 14 digits", (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 13);
  });

  it("stays finite for arguments in the millions (no Γ overflow)", () => {
    // Stirling: ln Γ(1e6) = 1e6 ln 1e6 − 1e6 − ½ ln 1e6 + ½ ln 2π + 1/(12e6).
    const x = 1e6;
    const stirling = x * Math.log(x) - x - 0.5 * Math.log(x) + 0.5 * Math.log(2 * Math.PI);
    expect(logGamma(x) / (stirling + 1 / (12 * x))).toBeCloseTo(1, 14);
  });

  it("gives ln B(2, 3) = ln(1/12)", () => {
    expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
  });
});

describe("digamma", () => {
  it("gives ψ(1) = −γ and ψ(½) = −γ − 2 ln 2", () => {
    const gamma = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-gamma, 14);
    expect(digamma(0.5)).toBeCloseTo(-gamma - 2 * Math.LN2, 14);
  });

  it("is the derivative of logGamma", () => {
    for (const x of [0.01, 0.7, 3, 42, 5000]) {
      const h = 1e-5 * x;
      const slope = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
      expect(digamma(x)).toBeCloseTo(slope, 6);
    }
  });
});

describe("hypergeometric2F1", () => {
  it("gives −ln(1 − z)/z for 2F1(1, 1; 2; z), also close to z = 1", () => {
    for (const z of [0.1, 0.5, 0.9, 0.999]) {
      expect(hypergeometric2F1(1, 1, 2, z)).toBeCloseTo(-Math.log1p(-z) / z, 11);
    }
  });

  it("gives (1 − z)^−a for 2F1(a, b; b; z)", () => {
    expect(hypergeometric2F1(0.3, 2.5, 2.5, 0.8)).toBeCloseTo(0.2 ** -0.3, 13);
  });

  it("ends a series whose upper parameter is a negative whole number (a polynomial)", () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
    const [b, c, z] = [1.5, 2.5, 0.7];
    expect(hypergeometric2F1(-2, b, c, z)).toBeCloseTo(
      1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)),
      14,
    );
  });

  it("is NaN outside 0 <= z < 1", () => {
    expect(hypergeometric2F1(1, 1, 2, 1)).toBeNaN();
  });
});
