/**
 * The grading wizard's plan, pure: from a table and the user's choices to the formulas,
 * headers, conditional formats and charts to write. Results go beside the table, one blank
 * column after it, because a dynamic array cannot spill inside an Excel table.
 */

import type {
  Area,
  ChartSpec,
  ColourRule,
  Formula,
  FormulaArg,
  TableInfo,
} from "../workbook/port.ts";
import type { PaneKey } from "./i18n/index.ts";
import { type HistoryChoice, type PredictionLabels, planPrediction } from "./predictionPlan.ts";

export type GradeOutput =
  | "abc"
  | "pareto"
  | "rfm"
  | "segment"
  | "matrix"
  | "credit"
  | "charts"
  | "predicted";

export interface GradeChoices extends HistoryChoice {
  readonly value: string;
  readonly recency: string;
  readonly frequency: string;
  readonly monetary: string;
  readonly loyalty: string;
  /** The first of five consecutive columns in 5C order. */
  readonly factors: string;
  readonly basis: string;
  readonly outputs: ReadonlySet<GradeOutput>;
}

/** Header texts in the user's language. */
export type GradeLabels = Readonly<
  Record<
    | "segment"
    | "matrix"
    | "score"
    | "grade"
    | "limit"
    | "term"
    | "rank"
    | "share"
    | "gradeAxis"
    | "count"
    | "whale"
    | "grades",
    string
  >
> & { readonly prediction?: PredictionLabels };

export interface GradePlan {
  readonly sheet: string;
  readonly values: readonly {
    row: number;
    col: number;
    values: (string | number)[][];
    sheet: string;
  }[];
  readonly formulas: readonly { sheet: string; row: number; col: number; formula: Formula }[];
  readonly formats: readonly { area: Area; rules: readonly ColourRule[] }[];
  /** Excel number formats of the result columns (percent, currency, whole numbers). */
  readonly numberFormats: readonly { area: Area; format: string }[];
  readonly charts: readonly ChartSpec[];
  /** How many new result columns beside the table. */
  readonly columns: number;
}

export const CHART_SHEET = "CRM Charts";

/** Fluent 2 status colours: success, warning, neutral, danger (fill, then text). */
const GREEN = { fill: "#DFF6DD", font: "#0E700E" };
const YELLOW = { fill: "#FFF4CE", font: "#8A6400" };
const ORANGE = { fill: "#FDE0C5", font: "#8A3707" };
const GREY = { fill: "#F0F0F0", font: "#616161" };
const RED = { fill: "#FDE7E9", font: "#B10E1C" };

export const ABC_COLOURS: readonly ColourRule[] = [
  { equals: "A", ...GREEN },
  { equals: "B", ...YELLOW },
  { equals: "C", ...GREY },
  { equals: "D", ...RED },
];

/** Credit grade colours by band position: the top third green down to red for the last band. */
export function creditColours(grades: readonly string[]): ColourRule[] {
  const n = grades.length;
  return grades.map((grade, i) => {
    const colour = i === n - 1 ? RED : i < n / 3 ? GREEN : i < (2 * n) / 3 ? YELLOW : ORANGE;
    return { equals: grade, ...colour };
  });
}

/** Number formats of what the wizard writes: shares as percent, scores with one decimal. */
export const PERCENT = "0.0%";
export const WHOLE = "0";
export const SCORE = "0.0";

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  CNY: "¥",
  RMB: "¥",
  JPY: "¥",
  USD: "$",
  EUR: "€",
  GBP: "£",
  HKD: "HK$",
};

/**
 * The Excel format of an amount in the policy's currency, whole units with grouping:
 * `CNY` → `[$¥]#,##0`; a code without a known symbol is written out: `[$CHF] #,##0`.
 */
export function currencyFormat(currency: string): string {
  const code = currency.trim().toUpperCase();
  const symbol = CURRENCY_SYMBOLS[code];
  if (symbol) return `[$${symbol}]#,##0`;
  return /^[A-Z]{3}$/.test(code) ? `[$${code}] #,##0` : "#,##0";
}

/** What the user must still pick, or null when the choices are complete. */
export function missingChoice(table: TableInfo, c: GradeChoices): PaneKey | null {
  const o = c.outputs;
  const needsValue = o.has("abc") || o.has("pareto") || o.has("matrix") || o.has("charts");
  if (needsValue && !c.value) return "gradeNeedValue";
  if ((o.has("rfm") || o.has("segment")) && !(c.recency && c.frequency && c.monetary)) {
    return "gradeNeedRFM";
  }
  if (o.has("matrix") && !c.loyalty) return "gradeNeedLoyalty";
  if (o.has("credit")) {
    const first = table.headers.indexOf(c.factors);
    if (first < 0 || first + 5 > table.headers.length || !c.basis) return "gradeNeedFactors";
  }
  if (o.has("predicted") && !(c.repeatPurchases && c.firstToLast && c.customerAge && c.avgSpend))
    return "gradeNeedPredicted";
  return null;
}

/** The plan for a table; call `missingChoice` first. */
export function planGrading(
  table: TableInfo,
  c: GradeChoices,
  labels: GradeLabels,
  creditGrades: readonly string[],
  currency = "",
): GradePlan {
  const o = new Set(c.outputs);
  if (o.has("charts")) {
    o.add("abc");
    o.add("pareto");
  }
  const t = table.name;
  const col = (name: string): FormulaArg => ({ table: t, column: name });
  const headerRow = table.row;
  const firstRow = table.row + 1;
  let next = table.col + table.headers.length + 1;
  const values: GradePlan["values"][number][] = [];
  const formulas: GradePlan["formulas"][number][] = [];
  const formats: GradePlan["formats"][number][] = [];
  const numberFormats: GradePlan["numberFormats"][number][] = [];
  const rows = Math.max(table.rowCount, 1);
  const spills: Partial<Record<"abc" | "pareto" | "score", FormulaArg>> = {};

  const add = (
    headers: string[],
    fn: string,
    args: FormulaArg[],
    name?: "abc" | "pareto" | "score",
  ): number => {
    const at = next;
    values.push({ sheet: table.sheet, row: headerRow, col: at, values: [headers] });
    formulas.push({ sheet: table.sheet, row: firstRow, col: at, formula: { fn, args } });
    if (name) spills[name] = { sheet: table.sheet, row: firstRow, col: at, spill: true };
    next += headers.length;
    return at;
  };
  const area = (at: number, cols = 1): Area => ({
    sheet: table.sheet,
    row: firstRow,
    col: at,
    rows,
    cols,
  });
  const format = (at: number, numberFormat: string, cols = 1): void => {
    numberFormats.push({ area: area(at, cols), format: numberFormat });
  };

  if (o.has("abc"))
    formats.push({
      area: area(add(["ABC"], "CRM.ABC", [col(c.value)], "abc")),
      rules: ABC_COLOURS,
    });
  if (o.has("pareto")) format(add(["Pareto"], "CRM.PARETO", [col(c.value)], "pareto"), PERCENT);
  const rfmArgs = [col(c.recency), col(c.frequency), col(c.monetary)];
  if (o.has("rfm")) format(add(["R", "F", "M"], "CRM.RFM", rfmArgs), WHOLE, 3);
  if (o.has("segment")) add([labels.segment], "CRM.RFMSEGMENT", rfmArgs);
  if (o.has("matrix")) add([labels.matrix], "CRM.VALUEMATRIX", [col(c.value), col(c.loyalty)]);
  if (o.has("credit")) {
    const first = table.headers.indexOf(c.factors);
    const last = table.headers[first + 4] ?? c.factors;
    const scoreAt = add(
      [labels.score],
      "CRM.CREDITSCORE",
      [{ table: t, columns: [c.factors, last] }],
      "score",
    );
    format(scoreAt, SCORE);
    const score = spills.score as FormulaArg;
    const gradeAt = add([labels.grade], "CRM.CREDITGRADE", [score]);
    formats.push({ area: area(gradeAt), rules: creditColours(creditGrades) });
    format(add([labels.limit], "CRM.CREDITLIMIT", [score, col(c.basis)]), currencyFormat(currency));
    format(add([labels.term], "CRM.CREDITTERM", [score]), WHOLE);
  }
  let prediction: ReturnType<typeof planPrediction> | null = null;
  if (o.has("predicted") && labels.prediction) {
    // The fits go before the columns that read them; the chart's data after.
    const before = formulas.length;
    prediction = planPrediction(c, labels.prediction, {
      column: col,
      addColumn: (header, fn, args, numberFormat) => {
        const at = add([header], fn, args);
        format(at, numberFormat);
        return { sheet: table.sheet, row: firstRow, col: at, spill: true };
      },
      rowCount: table.rowCount,
    });
    formulas.splice(before, 0, ...prediction.fits);
    values.push(...prediction.values);
  }
  const columns = next - (table.col + table.headers.length + 1);

  const charts: ChartSpec[] = [];
  if (o.has("charts") && spills.abc && spills.pareto) {
    const n = table.rowCount;
    const s = CHART_SHEET;
    values.push({
      sheet: s,
      row: 0,
      col: 0,
      values: [[labels.rank, labels.share], ...Array.from({ length: n }, (_, i) => [i + 1])],
    });
    formulas.push({
      sheet: s,
      row: 1,
      col: 1,
      formula: { fn: "SORTBY", args: [spills.pareto, col(c.value), -1] },
    });
    values.push({
      sheet: s,
      row: 0,
      col: 3,
      values: [[labels.gradeAxis, labels.count], ["A"], ["B"], ["C"], ["D"]],
    });
    ["A", "B", "C", "D"].forEach((g, i) => {
      formulas.push({
        sheet: s,
        row: 1 + i,
        col: 4,
        formula: { fn: "COUNTIF", args: [spills.abc as FormulaArg, g] },
      });
    });
    numberFormats.push({ area: { sheet: s, row: 1, col: 1, rows: n, cols: 1 }, format: PERCENT });
    charts.push({
      name: "crm.whale",
      sheet: s,
      type: "line",
      title: labels.whale,
      axes: { category: labels.rank, value: labels.share, valueFormat: "0%" },
      data: { sheet: s, row: 0, col: 0, rows: n + 1, cols: 2 },
      at: { row: 0, col: 6 },
    });
    charts.push({
      name: "crm.grades",
      sheet: s,
      type: "column",
      title: labels.grades,
      axes: { category: labels.gradeAxis, value: labels.count, valueFormat: WHOLE },
      data: { sheet: s, row: 0, col: 3, rows: 5, cols: 2 },
      at: { row: 18, col: 6 },
    });
  }
  if (prediction) {
    formulas.push(...prediction.chartData);
    numberFormats.push(...prediction.numberFormats);
    charts.push(prediction.chart);
  }
  return { sheet: table.sheet, values, formulas, formats, numberFormats, charts, columns };
}
