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
import { PREDICTION_SHEET } from "./predictionPlan.ts";

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
    repeatPurchases: "",
    firstToLast: "",
    customerAge: "",
    avgSpend: "",
    unitDays: 1,
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

describe("the predicted value", () => {
  const histories: TableInfo = {
    name: "Histories",
    sheet: "Data",
    row: 0,
    col: 0,
    headers: ["id", "frequency", "recency", "age", "avgSpend"],
    rowCount: 30,
  };
  const prediction = {
    bgnbd: "BG/NBD",
    gammaGamma: "Gamma-Gamma",
    unitDays: "Days per unit",
    horizon: "Horizon",
    discount: "Discount",
    alive: "P(alive)",
    purchases: "Purchases",
    value: "Value",
    recency: "Recency",
    chart: "P(alive) by recency",
  };
  const weekly = choices(["predicted"], {
    repeatPurchases: "frequency",
    firstToLast: "recency",
    customerAge: "age",
    avgSpend: "avgSpend",
    unitDays: 7,
  });
  const plan = planGrading(histories, weekly, { ...labels, prediction }, ["A"]);
  const texts = plan.formulas.map((f) => [f.sheet, formulaText(f.formula)]);

  it("fits both models in labelled cells of their own sheet, before the columns that read them", () => {
    expect(texts.slice(0, 2)).toEqual([
      [PREDICTION_SHEET, "=CRM.BGNBD(Histories[frequency],Histories[recency],Histories[age])"],
      [PREDICTION_SHEET, "=CRM.GAMMAGAMMA(Histories[frequency],Histories[avgSpend])"],
    ]);
    const labelled = plan.values.filter((v) => v.sheet === PREDICTION_SHEET).map((v) => v.values);
    expect(labelled).toContainEqual([["BG/NBD"], ["r", "alpha", "a", "b"]]);
    expect(labelled).toContainEqual([
      ["Days per unit", 7],
      ["Horizon", 360 / 7],
      ["Discount", 0.01],
    ]);
  });

  it("writes P(alive), purchases and value in 12 months beside the table, reading the fitted cells", () => {
    const fit = "'CRM Prediction'!$A$3#";
    const history = "Histories[frequency],Histories[recency],Histories[age]";
    expect(texts.slice(2, 5)).toEqual([
      ["Data", `=CRM.PALIVE(${history},${fit})`],
      ["Data", `=CRM.PURCHASES(${history},'CRM Prediction'!$B$10,${fit})`],
      [
        "Data",
        `=CRM.PCLV(${history},Histories[avgSpend],12,'CRM Prediction'!$B$11,'CRM Prediction'!$B$9,${fit},'CRM Prediction'!$A$7#)`,
      ],
    ]);
    expect(plan.columns).toBe(3);
  });

  it("charts P(alive) against recency as a scatter of the sorted pairs", () => {
    expect(texts.slice(5)).toEqual([
      [PREDICTION_SHEET, "=SORTBY(Histories[recency],Histories[recency],1)"],
      [PREDICTION_SHEET, "=SORTBY('Data'!$G$2#,Histories[recency],1)"],
    ]);
    expect(plan.charts.map((c) => [c.sheet, c.type, c.data.rows])).toEqual([
      [PREDICTION_SHEET, "scatter", 31],
    ]);
  });

  it("formats P(alive) as percent, purchases with two decimals and the value as an amount", () => {
    const formats = plan.numberFormats.map((f) => [f.area.sheet, f.area.col, f.format]);
    expect(formats).toEqual([
      ["Data", 6, "0.0%"],
      ["Data", 7, "0.00"],
      ["Data", 8, "#,##0.00"],
      [PREDICTION_SHEET, 7, "0.0%"],
    ]);
  });

  it("titles the chart's axes and names it, so a run again replaces it", () => {
    const [chart] = plan.charts;
    expect([chart?.name, chart?.axes]).toEqual([
      "crm.prediction.alive",
      { category: "Recency", value: "P(alive)", valueFormat: "0%" },
    ]);
  });

  it("asks for all four history columns", () => {
    expect(missingChoice(histories, { ...weekly, avgSpend: "" })).toBe("gradeNeedPredicted");
    expect(missingChoice(histories, weekly)).toBeNull();
  });
});
