import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnFromCells, columnOf, columnsFromBlock } from "./columns.ts";
import { bandsFromCells, creditScores, type GradeBand } from "./credit.ts";
import { creditPoints, explainCredit, gradeGaps } from "./creditExplain.ts";
import { badFactorCount, badWeights, errors } from "./errors.ts";
import { DEFAULT_POLICY } from "./policy.ts";

const policy = DEFAULT_POLICY;
/** Row i of the five point columns. */
const rowOf = (points: unknown, i: number) => (points as unknown[][]).map((column) => column[i]);

describe("CRM.CREDITEXPLAIN", () => {
  it("gives each factor w · x / sum(w) with the policy's weights, in 5C order", () => {
    const points = creditPoints(columnsFromBlock([[80, 80, 80, 80, 80]]), policy);
    expect(rowOf(points, 0)).toEqual([20, 20, 16, 12, 12]);
  });

  it("uses given weights, divided by their sum", () => {
    const points = creditPoints(
      columnsFromBlock([[100, 50, 0, 0, 0]]),
      policy,
      columnOf([2, 2, 0, 0, 0]),
    );
    expect(rowOf(points, 0)).toEqual([50, 25, 0, 0, 0]);
  });

  it("adds up, row by row, to CRM.CREDITSCORE of the same factors (property)", () => {
    const factor = fc.double({ min: 0, max: 100, noNaN: true });
    const weight = fc.double({ min: 0, max: 1000, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.array(factor, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
        fc.option(fc.array(weight, { minLength: 5, maxLength: 5 }), { nil: undefined }),
        (rows, weights) => {
          fc.pre(weights === undefined || weights.some((w) => w > 0));
          const factors = columnsFromBlock(rows);
          const w = weights === undefined ? null : columnOf(weights);
          const points = creditPoints(factors, policy, w) as number[][];
          const scores = creditScores(factors, policy, w) as number[];
          rows.forEach((_, i) => {
            const sum = rowOf(points, i).reduce((s: number, p) => s + (p as number), 0);
            expect(Math.abs(sum - (scores[i] as number))).toBeLessThanOrEqual(1e-12);
          });
        },
      ),
    );
  });

  it("gives five blanks for a row with a blank factor", () => {
    const points = creditPoints(columnsFromBlock([[80, "", 80, 80, 80]]), policy);
    expect(rowOf(points, 0)).toEqual(["", "", "", "", ""]);
  });

  it("gives #VALUE! in all five cells of a row with a text factor, and computes the others", () => {
    const points = creditPoints(
      columnsFromBlock([
        [80, "good", 80, 80, 80],
        [80, 80, 80, 80, 80],
      ]),
      policy,
    );
    expect([rowOf(points, 0), rowOf(points, 1)]).toEqual([
      Array(5).fill(errors.notANumber),
      [20, 20, 16, 12, 12],
    ]);
  });

  it("gives #NUM! in all five cells of a row with a factor outside 0–100", () => {
    const points = creditPoints(columnsFromBlock([[80, 101, 80, 80, 80]]), policy);
    expect(rowOf(points, 0)).toEqual(Array(5).fill(errors.factorOutOfRange));
  });

  it("lets text win over a factor out of range, as CRM.CREDITSCORE does", () => {
    const points = creditPoints(columnsFromBlock([[101, "x", 80, 80, 80]]), policy);
    expect(rowOf(points, 0)).toEqual(Array(5).fill(errors.notANumber));
  });

  it("is #VALUE! for the whole call when factors do not have 5 columns", () => {
    expect(creditPoints(columnsFromBlock([[80, 80, 80, 80]]), policy)).toEqual(badFactorCount(5));
  });

  it("is #NUM! for the whole call when the weights are all 0", () => {
    const factors = columnsFromBlock([[80, 80, 80, 80, 80]]);
    expect(creditPoints(factors, policy, columnOf([0, 0, 0, 0, 0]))).toEqual(badWeights(5));
  });
});

describe("CRM.GRADEGAP", () => {
  it("gives the next grade up and the points still needed", () => {
    expect(gradeGaps(columnOf([85, 72.5, 0, 39]), policy)).toEqual({
      next: ["AAA", "AA", "B", "B"],
      points: [5, 7.5, 40, 1],
    });
  });

  it('gives the top grade "" and 0', () => {
    expect(gradeGaps(columnOf([90, 100]), policy)).toEqual({ next: ["", ""], points: [0, 0] });
  });

  it("counts a score that shows as 80 (79.99999999999999) as AA, 10 points from AAA", () => {
    const { next, points } = gradeGaps(columnOf([79.99999999999999]), policy);
    expect([next[0], (points[0] as number).toPrecision(15)]).toEqual(["AAA", "10.0000000000000"]);
  });

  it("always needs more than 0 points below the top grade (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (score) => {
        const { next, points } = gradeGaps(columnOf([score]), policy);
        if (next[0] !== "") expect(points[0]).toBeGreaterThan(0);
        else expect(points[0]).toBe(0);
      }),
    );
  });

  it('gives "", "" for a blank score, #VALUE! in both for text, #NUM! in both outside 0–100', () => {
    expect(gradeGaps(columnFromCells(["", "high", 101, -1]), policy)).toEqual({
      next: ["", errors.notANumber, errors.scoreOutOfRange, errors.scoreOutOfRange],
      points: ["", errors.notANumber, errors.scoreOutOfRange, errors.scoreOutOfRange],
    });
  });

  it("uses a bands override instead of the policy", () => {
    const bands = bandsFromCells([
      ["Bronze", 0],
      ["Gold", 75],
      ["Silver", 40],
    ]) as GradeBand[];
    expect(gradeGaps(columnOf([10, 50, 80]), policy, bands)).toEqual({
      next: ["Silver", "Gold", ""],
      points: [30, 25, 0],
    });
  });
});

describe("one customer's credit explained (the credit page)", () => {
  it("gives the points, score, grade and gap of the same functions", () => {
    const factors = { character: 90, capacity: 85, capital: 80, collateral: 70, conditions: 75 };
    expect(explainCredit(factors, policy)).toEqual({
      shares: [0.25, 0.25, 0.2, 0.15, 0.15],
      points: [22.5, 21.25, 16, 10.5, 11.25],
      score: 81.5,
      grade: "AA",
      gap: { next: "AAA", points: 8.5 },
    });
  });

  it("grades the issue's factors 79.7, 79.5, 80.1, 79.7, 81.5 AA, as Excel shows 80", () => {
    const factors = {
      character: 79.7,
      capacity: 79.5,
      capital: 80.1,
      collateral: 79.7,
      conditions: 81.5,
    };
    expect(explainCredit(factors, policy)).toMatchObject({ grade: "AA", gap: { next: "AAA" } });
  });

  it("is #NUM! for a factor outside 0–100", () => {
    const factors = { character: 120, capacity: 85, capital: 80, collateral: 70, conditions: 75 };
    expect(explainCredit(factors, policy)).toBe(errors.factorOutOfRange);
  });
});
