import { describe, expect, it } from "vitest";
import { formulaText } from "../workbook/formula.ts";
import type { TableInfo } from "../workbook/port.ts";
import {
  ABC_COLOURS,
  CHART_SHEET,
  creditColours,
  currencyFormat,
  type GradeChoices,
  type GradeOutput,
  missingChoice,
  planGrading,
} from "./gradePlan.ts";

const table: TableInfo = {
  name: "Customers",
  sheet: "Customers",
  row: 0,
  col: 0,
  headers: [
    "id",
    "revenue",
    "days",
    "orders",
    "character",
    "capacity",
    "capital",
    "collateral",
    "conditions",
    "loyalty",
  ],
  rowCount: 3,
};
const labels = {
  segment: "Segment",
  matrix: "Matrix",
  score: "Score",
  grade: "Grade",
  limit: "Limit",
  term: "Term",
  rank: "Rank",
  share: "Share",
  gradeAxis: "Grade",
  count: "Count",
  whale: "Whale",
  grades: "Grades",
};

function choices(outputs: GradeOutput[], over: Partial<GradeChoices> = {}): GradeChoices {
  return {
    value: "revenue",
    recency: "days",
    frequency: "orders",
    monetary: "revenue",
    loyalty: "loyalty",
    factors: "character",
    basis: "revenue",
    outputs: new Set(outputs),
    ...over,
  };
}

describe("the grading plan", () => {
  it("writes the first result one blank column after the table", () => {
    const plan = planGrading(table, choices(["abc"]), labels, ["A"]);
    expect(plan.formulas.map((f) => [f.row, f.col, formulaText(f.formula)])).toEqual([
      [1, 11, "=CRM.ABC(Customers[revenue])"],
    ]);
  });

  it("gives RFM three columns and puts the next result after them", () => {
    const plan = planGrading(table, choices(["rfm", "segment"]), labels, ["A"]);
    expect(plan.formulas.map((f) => f.col)).toEqual([11, 14]);
  });

  it("feeds the credit score's spill to grade, limit and term", () => {
    const plan = planGrading(table, choices(["credit"]), labels, ["A"]);
    expect(plan.formulas.map((f) => formulaText(f.formula))).toEqual([
      "=CRM.CREDITSCORE(Customers[[character]:[conditions]])",
      "=CRM.CREDITGRADE('Customers'!$L$2#)",
      "=CRM.CREDITLIMIT('Customers'!$L$2#,Customers[revenue])",
      "=CRM.CREDITTERM('Customers'!$L$2#)",
    ]);
  });

  it("colours ABC grades and credit grades over the table's rows", () => {
    const plan = planGrading(table, choices(["abc", "credit"]), labels, ["AAA", "C"]);
    expect(plan.formats.map((f) => [f.area.col, f.area.rows, f.rules.length])).toEqual([
      [11, 3, ABC_COLOURS.length],
      [13, 3, 2],
    ]);
  });

  it("adds the ABC and Pareto columns the charts need and two charts on their own sheet", () => {
    const plan = planGrading(table, choices(["charts"]), labels, ["A"]);
    expect([plan.columns, plan.charts.map((c) => [c.sheet, c.type])]).toEqual([
      2,
      [
        [CHART_SHEET, "line"],
        [CHART_SHEET, "column"],
      ],
    ]);
  });

  it("sorts the whale curve by value, largest first", () => {
    const plan = planGrading(table, choices(["charts"]), labels, ["A"]);
    const sortBy = plan.formulas.find((f) => f.formula.fn === "SORTBY");
    expect(sortBy && formulaText(sortBy.formula)).toBe(
      "=SORTBY('Customers'!$M$2#,Customers[revenue],-1)",
    );
  });
});

describe("number formats and chart axes", () => {
  it("formats Pareto shares as percent and credit limits in the policy's currency", () => {
    const plan = planGrading(table, choices(["pareto", "credit"]), labels, ["A", "B"], "CNY");
    expect(plan.numberFormats.map((f) => [f.area.col, f.format])).toEqual([
      [11, "0.0%"],
      [12, "0.0"],
      [14, "[$¥]#,##0"],
      [15, "0"],
    ]);
  });

  it("writes an unknown currency code out beside the amount", () => {
    expect(currencyFormat("chf")).toBe("[$CHF] #,##0");
  });

  it("titles both axes of both charts and formats the whale curve's axis as percent", () => {
    const plan = planGrading(table, choices(["charts"]), labels, []);
    expect(plan.charts.map((c) => [c.name, c.axes])).toEqual([
      ["crm.whale", { category: "Rank", value: "Share", valueFormat: "0%" }],
      ["crm.grades", { category: "Grade", value: "Count", valueFormat: "0" }],
    ]);
  });
});

describe("missing choices", () => {
  it("asks for three RFM columns", () => {
    expect(missingChoice(table, choices(["rfm"], { recency: "" }))).toBe("gradeNeedRFM");
  });

  it("asks for five factor columns in a row", () => {
    expect(missingChoice(table, choices(["credit"], { factors: "collateral" }))).toBe(
      "gradeNeedFactors",
    );
  });

  it("is satisfied by complete choices", () => {
    expect(
      missingChoice(
        table,
        choices(["abc", "pareto", "rfm", "segment", "matrix", "credit", "charts"]),
      ),
    ).toBeNull();
  });
});

describe("credit colours", () => {
  it("colours the last band red and the first green", () => {
    const rules = creditColours(["AAA", "AA", "A", "BBB", "BB", "B", "C"]);
    expect([rules[0]?.fill, rules[6]?.fill]).toEqual(["#DFF6DD", "#FDE7E9"]);
  });
});
