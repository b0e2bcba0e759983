import { describe, expect, it } from "vitest";
import { minimise } from "./optimise.ts";

describe("minimise (BFGS)", () => {
  it("finds the minimum (1, 1) of Rosenbrock's valley from (−1.2, 1)", () => {
    const result = minimise(
      (x, g) => {
        const [a = 0, b = 0] = x;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
    );
    expect(result.failure).toBeNull();
    expect(result.x[0]).toBeCloseTo(1, 7);
    expect(result.x[1]).toBeCloseTo(1, 7);
  });

  it("reports an unbounded problem after a few evaluations instead of running on", () => {
    let evaluations = 0;
    const result = minimise(
      (x, g) => {
        evaluations++;
        g[0] = -Math.exp(-(x[0] ?? 0));
        return Math.exp(-(x[0] ?? 0));
      },
      [0],
    );
    expect([result.failure, evaluations < 100]).toEqual(["unbounded", true]);
  });

  it("stops after maxEvaluations when no step decreases the value", () => {
    let evaluations = 0;
    // A gradient that points the wrong way: every line search backtracks to nothing.
    const result = minimise(
      (x, g) => {
        evaluations++;
        g[0] = -1;
        return (x[0] ?? 0) ** 2 + 1;
      },
      [0],
      { maxEvaluations: 50 },
    );
    expect(result.failure).not.toBeNull();
    expect(evaluations).toBe(50);
  });
});
