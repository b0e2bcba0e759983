/**
 * The grading wizard's "Predicted value" output, pure: the BG/NBD and Gamma-Gamma fits in
 * labelled cells of the CRM Prediction sheet (so users see the parameters and can reuse
 * them), the per-customer formulas that read those cells (P(alive), purchases and value in
 * the next 12 months), and a scatter chart of P(alive) against recency.
 */
import type { Area, ChartSpec, FormulaArg } from "../workbook/port.ts";

export const PREDICTION_SHEET = "CRM Prediction";

/** The monthly discount rate written in its own cell (the `lifetimes` default, 1 % a month). */
export const MONTHLY_DISCOUNT = 0.01;

/** P(alive) as percent (as the wizard's shares), purchases with two decimals, values as amounts. */
const PERCENT = "0.0%";
const COUNT = "0.00";
const AMOUNT = "#,##0.00";

/** 12 months of 30 days, as CRM.PCLV counts months. */
const HORIZON_MONTHS = 12;
const DAYS_PER_MONTH = 30;

/** Texts in the user's language. */
export type PredictionLabels = Readonly<
  Record<
    | "bgnbd"
    | "gammaGamma"
    | "unitDays"
    | "horizon"
    | "discount"
    | "alive"
    | "purchases"
    | "value"
    | "recency"
    | "chart",
    string
  >
>;

/** The columns of the customers' purchase histories, in one time unit. */
export interface HistoryChoice {
  readonly repeatPurchases: string;
  readonly firstToLast: string;
  readonly customerAge: string;
  readonly avgSpend: string;
  /** Days per time unit of those columns: 1 (days) or 7 (weeks). */
  readonly unitDays: number;
}

/** What the grading plan provides: its table's column references and how to add columns. */
export interface PlanContext {
  readonly column: (name: string) => FormulaArg;
  /** Adds one result column beside the table, in a number format; returns its spill. */
  readonly addColumn: (
    header: string,
    fn: string,
    args: FormulaArg[],
    numberFormat: string,
  ) => FormulaArg;
  readonly rowCount: number;
}

type Values = { sheet: string; row: number; col: number; values: (string | number)[][] };
type Formula = {
  sheet: string;
  row: number;
  col: number;
  formula: { fn: string; args: FormulaArg[] };
};

/**
 * The prediction's cells, formulas and chart. Formulas come in dependency order: the fits,
 * then (through `addColumn`) the table's columns, then the chart's data, which reads them.
 */
export function planPrediction(
  c: HistoryChoice,
  labels: PredictionLabels,
  ctx: PlanContext,
): {
  values: Values[];
  fits: Formula[];
  chartData: Formula[];
  numberFormats: { area: Area; format: string }[];
  chart: ChartSpec;
} {
  const s = PREDICTION_SHEET;
  const history = [c.repeatPurchases, c.firstToLast, c.customerAge].map(ctx.column);
  const spend = ctx.column(c.avgSpend);
  const cell = (row: number): FormulaArg => ({ sheet: s, row, col: 1 });
  const values: Values[] = [
    { sheet: s, row: 0, col: 0, values: [[labels.bgnbd], ["r", "alpha", "a", "b"]] },
    { sheet: s, row: 4, col: 0, values: [[labels.gammaGamma], ["p", "q", "v"]] },
    {
      sheet: s,
      row: 8,
      col: 0,
      values: [
        [labels.unitDays, c.unitDays],
        [labels.horizon, (HORIZON_MONTHS * DAYS_PER_MONTH) / c.unitDays],
        [labels.discount, MONTHLY_DISCOUNT],
      ],
    },
    { sheet: s, row: 0, col: 6, values: [[labels.recency, labels.alive]] },
  ];
  const bgnbd: FormulaArg = { sheet: s, row: 2, col: 0, spill: true };
  const gammaGamma: FormulaArg = { sheet: s, row: 6, col: 0, spill: true };
  const fits: Formula[] = [
    { sheet: s, row: 2, col: 0, formula: { fn: "CRM.BGNBD", args: history } },
    {
      sheet: s,
      row: 6,
      col: 0,
      formula: { fn: "CRM.GAMMAGAMMA", args: [history[0] as FormulaArg, spend] },
    },
  ];
  const alive = ctx.addColumn(labels.alive, "CRM.PALIVE", [...history, bgnbd], PERCENT);
  ctx.addColumn(labels.purchases, "CRM.PURCHASES", [...history, cell(9), bgnbd], COUNT);
  ctx.addColumn(
    labels.value,
    "CRM.PCLV",
    [...history, spend, HORIZON_MONTHS, cell(10), cell(8), bgnbd, gammaGamma],
    AMOUNT,
  );
  // The chart's points, sorted by recency (both by the same key, so pairs stay together).
  const recency = ctx.column(c.firstToLast);
  const chartData: Formula[] = [
    { sheet: s, row: 1, col: 6, formula: { fn: "SORTBY", args: [recency, recency, 1] } },
    { sheet: s, row: 1, col: 7, formula: { fn: "SORTBY", args: [alive, recency, 1] } },
  ];
  const chart: ChartSpec = {
    name: "crm.prediction.alive",
    sheet: s,
    type: "scatter",
    title: labels.chart,
    axes: { category: labels.recency, value: labels.alive, valueFormat: "0%" },
    data: { sheet: s, row: 0, col: 6, rows: ctx.rowCount + 1, cols: 2 },
    at: { row: 12, col: 0 },
  };
  const numberFormats = [
    { area: { sheet: s, row: 1, col: 7, rows: ctx.rowCount, cols: 1 }, format: PERCENT },
  ];
  return { values, fits, chartData, numberFormats, chart };
}
