import { describe, expect, it } from "vitest";
import { columnFromCells, columnOf, columnsFromBlock } from "./columns.ts";
import { badWeights, errors } from "./errors.ts";
import { weightedScores } from "./scores.ts";

describe("CRM.SCORE", () => {
  it("averages each row with equal weights by default", () => {
    expect(
      weightedScores(
        columnsFromBlock([
          [1, 2, 3],
          [10, 20, 60],
        ]),
      ),
    ).toEqual([2, 30]);
  });

  it("weights each row: sum(w·x) / sum(w)", () => {
    const factors = columnsFromBlock([[100, 0]]);
    expect(weightedScores(factors, columnOf([3, 1]))).toEqual([75]);
  });

  it("scores the course's loyalty drivers weighted 25/24/12/19/7/13", () => {
    const factors = columnsFromBlock([[80, 70, 60, 90, 50, 40]]);
    const expected = (80 * 25 + 70 * 24 + 60 * 12 + 90 * 19 + 50 * 7 + 40 * 13) / 100;
    expect(weightedScores(factors, columnOf([25, 24, 12, 19, 7, 13]))).toEqual([expected]);
  });

  it("gives a blank for a row with any blank factor", () => {
    expect(
      weightedScores(
        columnsFromBlock([
          [1, ""],
          [1, 3],
        ]),
      ),
    ).toEqual(["", 2]);
  });

  it("gives #VALUE! for a row with text, even with a blank", () => {
    expect(weightedScores(columnsFromBlock([["", "x"]]))).toEqual([errors.notANumber]);
  });

  it("rejects weights of the wrong count", () => {
    expect(weightedScores(columnsFromBlock([[1, 2]]), columnOf([1, 2, 3]))).toEqual(badWeights(2));
  });

  it("rejects a negative weight", () => {
    expect(weightedScores(columnsFromBlock([[1, 2]]), columnOf([1, -1]))).toEqual(badWeights(2));
  });

  it("rejects all-zero weights", () => {
    expect(weightedScores(columnsFromBlock([[1, 2]]), columnOf([0, 0]))).toEqual(badWeights(2));
  });

  it("rejects a blank weight", () => {
    expect(weightedScores(columnsFromBlock([[1, 2]]), columnFromCells([1, ""]))).toEqual(
      badWeights(2),
    );
  });

  it("allows a zero weight beside a positive one", () => {
    expect(weightedScores(columnsFromBlock([[10, 99]]), columnOf([1, 0]))).toEqual([10]);
  });
});
