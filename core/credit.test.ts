import { describe, expect, it } from "vitest";
import { columnFromCells, columnOf, columnsFromBlock } from "./columns.ts";
import {
  bandsFromCells,
  creditGrades,
  creditLimits,
  creditScores,
  creditTerms,
  type GradeBand,
} from "./credit.ts";
import { badFactorCount, badWeights, errors, unknownGrade } from "./errors.ts";
import { type CreditPolicy, DEFAULT_POLICY } from "./policy.ts";

const policy = DEFAULT_POLICY;
const bands = (rows: unknown[][]) => bandsFromCells(rows) as GradeBand[];

describe("CRM.CREDITSCORE", () => {
  it("weights the 5C factors with the policy's weights", () => {
    const factors = columnsFromBlock([[80, 60, 70, 50, 90]]);
    const expected = 80 * 0.25 + 60 * 0.25 + 70 * 0.2 + 50 * 0.15 + 90 * 0.15;
    expect((creditScores(factors, policy) as number[])[0]).toBeCloseTo(expected, 12);
  });

  it("uses given weights", () => {
    const factors = columnsFromBlock([[100, 0, 0, 0, 0]]);
    expect(creditScores(factors, policy, columnOf([1, 1, 0, 0, 0]))).toEqual([50]);
  });

  it("gives #NUM! in a row with a factor above 100", () => {
    const factors = columnsFromBlock([
      [101, 50, 50, 50, 50],
      [50, 50, 50, 50, 50],
    ]);
    expect(creditScores(factors, policy)).toEqual([errors.factorOutOfRange, 50]);
  });

  it("gives #NUM! in a row with a negative factor", () => {
    expect(creditScores(columnsFromBlock([[-1, 50, 50, 50, 50]]), policy)).toEqual([
      errors.factorOutOfRange,
    ]);
  });

  it("gives a blank for a row with a blank factor", () => {
    expect(creditScores(columnsFromBlock([[50, "", 50, 50, 50]]), policy)).toEqual([""]);
  });

  it("rejects a block that is not 5 columns wide", () => {
    expect(creditScores(columnsFromBlock([[1, 2, 3, 4]]), policy)).toEqual(badFactorCount(5));
  });

  it("rejects weights that are not 5 numbers", () => {
    expect(creditScores(columnsFromBlock([[1, 2, 3, 4, 5]]), policy, columnOf([1]))).toEqual(
      badWeights(5),
    );
  });
});

describe("CRM.CREDITGRADE", () => {
  it("grades by the highest band whose min score <= score", () => {
    expect(creditGrades(columnOf([100, 90, 89.9, 80, 70, 60, 50, 40, 39, 0]), policy)).toEqual([
      "AAA",
      "AAA",
      "AA",
      "AA",
      "A",
      "BBB",
      "BB",
      "B",
      "C",
      "C",
    ]);
  });

  it("grades AA the score of factors 79.7, 79.5, 80.1, 79.7, 81.5, which shows as 80", () => {
    const [score] = creditScores(columnsFromBlock([[79.7, 79.5, 80.1, 79.7, 81.5]]), policy) as [
      number,
    ];
    expect([score, creditGrades(columnOf([score]), policy)]).toEqual([79.99999999999999, ["AA"]]);
  });

  it("grades A a score that shows below 80 (79.9999999999999)", () => {
    expect(creditGrades(columnOf([79.9999999999999]), policy)).toEqual(["A"]);
  });

  it("takes a score that shows as 100 as in range (100.00000000000001)", () => {
    expect(creditGrades(columnOf([100.00000000000001]), policy)).toEqual(["AAA"]);
  });

  it.each([-1, 100.5])("gives #NUM! for score %s", (score) => {
    expect(creditGrades(columnOf([score]), policy)).toEqual([errors.scoreOutOfRange]);
  });

  it("gives a blank for a blank and #VALUE! for text", () => {
    expect(creditGrades(columnFromCells(["", "high"]), policy)).toEqual(["", errors.notANumber]);
  });

  it("uses a bands override instead of the policy", () => {
    const override = bands([
      ["Gold", 75],
      ["Silver", 40],
      ["Bronze", 0],
    ]);
    expect(creditGrades(columnOf([80, 75, 50, 10]), policy, override)).toEqual([
      "Gold",
      "Gold",
      "Silver",
      "Bronze",
    ]);
  });
});

describe("bandsFromCells", () => {
  it("sorts bands given in ascending order", () => {
    expect(
      bandsFromCells([
        ["C", 0],
        ["B", 50],
        ["A", 80],
      ]),
    ).toEqual([
      { grade: "A", minScore: 80 },
      { grade: "B", minScore: 50 },
      { grade: "C", minScore: 0 },
    ]);
  });

  it("skips fully blank rows and trims grades", () => {
    expect(
      bandsFromCells([
        [" A ", 50],
        ["", null],
        ["C", 0],
      ]),
    ).toEqual([
      { grade: "A", minScore: 50 },
      { grade: "C", minScore: 0 },
    ]);
  });

  it("rejects bands without a min score of 0", () => {
    expect(
      bandsFromCells([
        ["A", 50],
        ["B", 10],
      ]),
    ).toBe(errors.badBands);
  });

  it("rejects two bands with the same min score", () => {
    expect(
      bandsFromCells([
        ["A", 50],
        ["B", 50],
        ["C", 0],
      ]),
    ).toBe(errors.badBands);
  });

  it("rejects a repeated grade", () => {
    expect(
      bandsFromCells([
        ["A", 50],
        ["a", 0],
      ]),
    ).toBe(errors.badBands);
  });

  it("rejects a min score above 100", () => {
    expect(
      bandsFromCells([
        ["A", 101],
        ["C", 0],
      ]),
    ).toBe(errors.badBands);
  });

  it("rejects a block that is not two columns", () => {
    expect(
      bandsFromCells([
        ["A", 50, 1],
        ["C", 0, 1],
      ]),
    ).toBe(errors.badBands);
  });

  it("rejects a number as a grade", () => {
    expect(bandsFromCells([[1, 0]])).toBe(errors.badBands);
  });

  it("rejects text as a min score", () => {
    expect(
      bandsFromCells([
        ["A", "50"],
        ["C", 0],
      ]),
    ).toBe(errors.badBands);
  });
});

describe("CRM.CREDITLIMIT", () => {
  it("gives score 85 on basis 1,234,567 a limit of 185,000 (AA, 15 %, rounded down to 1,000)", () => {
    expect(creditLimits([85], columnOf([1_234_567]), policy)).toEqual([185_000]);
  });

  it("grades a score that shows as 80 (79.99999999999999) AA, 15 %", () => {
    expect(creditLimits([79.99999999999999], columnOf([100_000]), policy)).toEqual([15_000]);
  });

  it("takes the grade from a label, in any letter case", () => {
    expect(creditLimits(["aa", "BBB"], columnOf([100_000, 100_000]), policy)).toEqual([
      15_000, 10_000,
    ]);
  });

  it("gives #VALUE! for an unknown grade label", () => {
    expect(creditLimits(["Z"], columnOf([1000]), policy)).toEqual([unknownGrade("Z")]);
  });

  it("gives #NUM! for a negative basis", () => {
    expect(creditLimits([85], columnOf([-1]), policy)).toEqual([errors.negativeBasis]);
  });

  it("gives #NUM! for a score out of range", () => {
    expect(creditLimits([120], columnOf([1000]), policy)).toEqual([errors.scoreOutOfRange]);
  });

  it("rounds down to the policy's unit", () => {
    const hundreds: CreditPolicy = { ...policy, limitRounding: 100 };
    expect(creditLimits([85], columnOf([1_234_567]), hundreds)).toEqual([185_100]);
  });

  it("caps at the policy's maximum", () => {
    const capped: CreditPolicy = { ...policy, maxLimit: 50_000 };
    expect(creditLimits([95], columnOf([1_000_000]), capped)).toEqual([50_000]);
  });

  it("gives grade C a limit of 0", () => {
    expect(creditLimits([10], columnOf([1_000_000]), policy)).toEqual([0]);
  });

  it("broadcasts a single basis over a column of scores", () => {
    expect(creditLimits([95, 85], columnOf([100_000]), policy)).toEqual([20_000, 15_000]);
  });

  it("rejects columns of different lengths", () => {
    expect(creditLimits([95, 85], columnOf([1, 2, 3]), policy)).toBe(errors.columnsDifferInLength);
  });

  it("grades scores by a bands override and reads the percentage from the policy by label", () => {
    const override = bands([
      ["AAA", 50],
      ["C", 0],
    ]);
    expect(creditLimits([60, 40], columnOf([100_000, 100_000]), policy, override)).toEqual([
      20_000, 0,
    ]);
  });

  it("gives #VALUE! when an override grade is not in the policy", () => {
    const override = bands([
      ["Gold", 50],
      ["C", 0],
    ]);
    expect(creditLimits([60], columnOf([100_000]), policy, override)).toEqual([
      unknownGrade("Gold"),
    ]);
  });

  it("gives a blank for a blank score or basis and #VALUE! for a boolean", () => {
    expect(creditLimits(["", 85, true], columnFromCells([1000, "", 1000]), policy)).toEqual([
      "",
      "",
      errors.notANumber,
    ]);
  });
});

describe("CRM.CREDITTERM", () => {
  it("gives the term of the grade of a score", () => {
    expect(creditTerms([95, 85, 65, 45, 5], policy)).toEqual([90, 60, 45, 15, 0]);
  });

  it("gives a score that shows as 80 (79.99999999999999) the AA term", () => {
    expect(creditTerms([79.99999999999999], policy)).toEqual([60]);
  });

  it("gives the term of a grade label", () => {
    expect(creditTerms(["BB"], policy)).toEqual([30]);
  });

  it("gives #VALUE! for an unknown label", () => {
    expect(creditTerms(["AAAA"], policy)).toEqual([unknownGrade("AAAA")]);
  });

  it("grades by a bands override", () => {
    expect(
      creditTerms(
        [55],
        policy,
        bands([
          ["AAA", 50],
          ["C", 0],
        ]),
      ),
    ).toEqual([90]);
  });
});
