import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnFromCells, columnOf } from "./columns.ts";
import { errors } from "./errors.ts";
import { type AbcGrade, gradeByCumulativeShare, paretoShares } from "./grading.ts";
import { shownValue } from "./shownValue.ts";

// The literal definition of formulas.md, quadratic, for checking on small inputs.
function abcByDefinition(values: readonly number[], a = 0.8, b = 0.95): AbcGrade[] {
  const total = values.filter((x) => x > 0).reduce((s, x) => s + x, 0);
  return values.map((v) => {
    if (v < 0) return "D";
    if (v === 0) return "C";
    const before = values.filter((x) => x > v).reduce((s, x) => s + x, 0);
    // Shares are compared as Excel shows them, to 15 significant digits.
    const share = shownValue(before / total);
    return share < a ? "A" : share < b ? "B" : "C";
  });
}

function paretoByDefinition(values: readonly number[]): number[] {
  const total = values.reduce((s, x) => s + x, 0);
  return values.map((v) => values.filter((x) => x >= v).reduce((s, x) => s + x, 0) / total);
}

// Whole numbers keep every sum exact, so results can be compared with the definition exactly.
const wholeValues = fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 60 });
const grades = (x: unknown) => x as AbcGrade[];

// A permutation of 0..n-1 drawn from a stream of numbers (Fisher–Yates).
function permutation(n: number, picks: IterableIterator<number>): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = (picks.next().value as number) % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}
const doubles = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
  minLength: 1,
  maxLength: 40,
});
const rank: Record<AbcGrade, number> = { A: 3, B: 2, C: 1, D: 0 };

describe("CRM.ABC", () => {
  it("grades the worked example 50, 30, 10, 5, 5 as A, A, B, B, B", () => {
    expect(gradeByCumulativeShare(columnOf([50, 30, 10, 5, 5]))).toEqual(["A", "A", "B", "B", "B"]);
  });

  it("keeps the customer whose value crosses the a_share line in A", () => {
    expect(gradeByCumulativeShare(columnOf([70, 20, 10]))).toEqual(["A", "A", "B"]);
  });

  it("grades zero C and negatives D", () => {
    expect(gradeByCumulativeShare(columnOf([10, 0, -5]))).toEqual(["A", "C", "D"]);
  });

  it("gives equal values the same grade even when together they cross the a_share line", () => {
    expect(gradeByCumulativeShare(columnOf([45, 45, 5, 5]))).toEqual(["A", "A", "B", "B"]);
  });

  it("grades a single positive value A", () => {
    expect(gradeByCumulativeShare(columnOf([7]))).toEqual(["A"]);
  });

  it("grades without any positive value: zeros C, negatives D", () => {
    expect(gradeByCumulativeShare(columnOf([0, -1, 0]))).toEqual(["C", "D", "C"]);
  });

  it("returns blanks for an all-blank column", () => {
    expect(gradeByCumulativeShare(columnFromCells([null, "", undefined]))).toEqual(["", "", ""]);
  });

  it("gives a blank for a blank cell and #VALUE! for text, computing the rest as if absent", () => {
    const result = gradeByCumulativeShare(columnFromCells([50, "", "x", 30, true, 20]));
    expect(result).toEqual(["A", "", errors.notANumber, "A", errors.notANumber, "B"]);
  });

  it("uses given shares", () => {
    expect(gradeByCumulativeShare(columnOf([50, 30, 10, 5, 5]), 0.5, 0.85)).toEqual([
      "A",
      "B",
      "B",
      "C",
      "C",
    ]);
  });

  it("treats null shares as omitted", () => {
    expect(gradeByCumulativeShare(columnOf([50, 30, 10, 5, 5]), null, null)).toEqual(
      gradeByCumulativeShare(columnOf([50, 30, 10, 5, 5])),
    );
  });

  it.each([
    [0, 0.95],
    [-0.1, 0.95],
    [0.9, 0.8],
    [0.8, 1.01],
    [Number.NaN, 0.9],
    [0.8, 0.79],
  ])("rejects a_share %s with b_share %s as #NUM!", (a, b) => {
    expect(gradeByCumulativeShare(columnOf([1, 2]), a, b)).toBe(errors.badShares);
  });

  it("grades B a customer whose share before it is exactly 0.8 in decimals (1.2 / 1.5)", () => {
    // In doubles 1.2 / 1.5 is 0.7999999999999999; Excel shows (and compares) 0.8.
    expect(gradeByCumulativeShare(columnOf([1.2, 0.2, 0.1]))).toEqual(["A", "B", "B"]);
  });

  it("accepts a_share = b_share = 1", () => {
    expect(gradeByCumulativeShare(columnOf([1, 2]), 1, 1)).toEqual(["A", "A"]);
  });

  it("matches the definition of formulas.md (property)", () => {
    fc.assert(
      fc.property(wholeValues, (values) => {
        expect(gradeByCumulativeShare(columnOf(values))).toEqual(abcByDefinition(values));
      }),
    );
  });

  it("is monotone: a larger value never gets a worse grade (property)", () => {
    fc.assert(
      fc.property(wholeValues, (values) => {
        const g = grades(gradeByCumulativeShare(columnOf(values)));
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            if ((values[i] as number) > (values[j] as number)) {
              expect(rank[g[i] as AbcGrade]).toBeGreaterThanOrEqual(rank[g[j] as AbcGrade]);
            }
          }
        }
      }),
    );
  });

  it("gives equal values the same grade (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 40 }),
        (values) => {
          const doubled = [...values, ...values];
          const g = grades(gradeByCumulativeShare(columnOf(doubled)));
          expect(g.slice(values.length)).toEqual(g.slice(0, values.length));
        },
      ),
    );
  });

  it("permutes its output when the input is permuted (property)", () => {
    fc.assert(
      fc.property(doubles, fc.infiniteStream(fc.nat()), (values, picks) => {
        const order = permutation(values.length, picks);
        const g = grades(gradeByCumulativeShare(columnOf(values)));
        const permuted = grades(
          gradeByCumulativeShare(columnOf(order.map((i) => values[i] as number))),
        );
        expect(permuted).toEqual(order.map((i) => g[i]));
      }),
    );
  });
});

describe("CRM.PARETO", () => {
  it("gives the worked example 50, 30, 10, 5, 5 as 0.5, 0.8, 0.9, 1, 1", () => {
    expect(paretoShares(columnOf([50, 30, 10, 5, 5]))).toEqual([0.5, 0.8, 0.9, 1, 1]);
  });

  it("rises above 1 with loss-making customers and falls back to 1 (the whale curve)", () => {
    expect(paretoShares(columnOf([60, 50, -10]))).toEqual([0.6, 1.1, 1]);
  });

  it("gives #DIV/0! in every numeric position for a zero total", () => {
    const d = errors.totalNotPositive;
    expect(paretoShares(columnFromCells([5, -5, "", 0]))).toEqual([d, d, "", d]);
  });

  it("gives #DIV/0! for a negative total", () => {
    const d = errors.totalNotPositive;
    expect(paretoShares(columnOf([1, -3]))).toEqual([d, d]);
  });

  it("returns blanks for an all-blank column", () => {
    expect(paretoShares(columnFromCells([null, ""]))).toEqual(["", ""]);
  });

  it("gives 1 for a single positive value", () => {
    expect(paretoShares(columnOf([42]))).toEqual([1]);
  });

  it("gives a blank for a blank and #VALUE! for text, computing the rest as if absent", () => {
    expect(paretoShares(columnFromCells([30, null, "x", 10]))).toEqual([
      0.75,
      "",
      errors.notANumber,
      1,
    ]);
  });

  it("matches the definition of formulas.md (property)", () => {
    fc.assert(
      fc.property(wholeValues, (values) => {
        const total = values.reduce((s, x) => s + x, 0);
        const expected =
          total > 0 ? paretoByDefinition(values) : values.map(() => errors.totalNotPositive);
        expect(paretoShares(columnOf(values))).toEqual(expected);
      }),
    );
  });

  it("permutes its output when the input is permuted (property)", () => {
    fc.assert(
      fc.property(doubles, fc.infiniteStream(fc.nat()), (values, picks) => {
        const order = permutation(values.length, picks);
        const shares = paretoShares(columnOf(values));
        const permuted = paretoShares(columnOf(order.map((i) => values[i] as number)));
        expect(permuted).toEqual(order.map((i) => shares[i]));
      }),
    );
  });

  it("ends at exactly 1 for the smallest value when the total is positive (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          // Clearly positive, so that no order of summation can make it 0.
          fc.pre(values.reduce((s, x) => s + x, 0) > 1);
          const shares = paretoShares(columnOf(values));
          const smallest = values.indexOf(Math.min(...values));
          expect(shares[smallest]).toBe(1);
        },
      ),
    );
  });
});
