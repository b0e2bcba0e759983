/**
 * The predictive customer-value functions (BG/NBD and Gamma-Gamma), in formulas.md's order.
 * Each implementation is a thin wrapper: its arguments read by kind (../args.ts), one
 * `core/` call, cells out.
 */
import {
  aliveProbabilities,
  bgnbdFit,
  bgnbdParamsFromCells,
  type CellError,
  type CellErrorKey,
  expectedPurchaseCounts,
  expectedSpends,
  gammaGammaFit,
  gammaGammaParamsFromCells,
  type HistoryColumns,
  isCellError,
  predictedValues,
} from "../../../core/index.ts";
import { type NumberColumn, numberOrNaN, numbers, parameterRow, withErrors } from "../args.ts";
import { define, type FunctionEntry, type ParamSpec } from "../entry.ts";
import { type ColumnArg, spilled } from "../shapes.ts";
import { optional, range } from "./params.ts";

// Parameters of the predictive functions, described once.
const repeatFrequencyParam = {
  name: "frequency",
  kind: numbers,
  en: "Repeat purchases: distinct purchase periods after the first (whole number >= 0).",
  zh: "重复购买次数：首次购买之后的不同购买期数（不小于 0 的整数）。",
} as const satisfies ParamSpec;

/** frequency, recency and age: the purchase histories every BG/NBD function starts with. */
const historyParams = [
  repeatFrequencyParam,
  {
    name: "recency",
    kind: numbers,
    en: "Time from the first to the last purchase (0 without repeat purchases).",
    zh: "首次到最近一次购买的时间（没有重复购买时为 0）。",
  },
  {
    name: "age",
    kind: numbers,
    en: "Time from the first purchase to the end of the data, > 0, in the same unit.",
    zh: "首次购买到数据截止的时间，大于 0，单位相同。",
  },
] as const satisfies readonly ParamSpec[];

const avgSpendParam = {
  name: "avg_spend",
  kind: numbers,
  en: "Mean value of the repeat purchases (> 0 where frequency > 0).",
  zh: "重复购买的平均金额（frequency 大于 0 时须大于 0）。",
} as const satisfies ParamSpec;

/** A fitted model's optional 1 × k parameter row, from `from` (omitted: fitted on the call's rows). */
function fittedParams<P>(
  from: "CRM.BGNBD" | "CRM.GAMMAGAMMA",
  names: readonly string[],
  parse: (cells: readonly unknown[]) => P | CellError,
  error: CellErrorKey,
) {
  return {
    name: "params",
    kind: withErrors(parameterRow(parse), error),
    optional,
    en: `${names.join(", ")} from ${from} (default: fitted on these rows).`,
    zh: `${from} 给出的 ${names.join("、")}（默认：用这些行拟合）。`,
  } as const satisfies ParamSpec;
}

const bgnbdParamsParam = fittedParams(
  "CRM.BGNBD",
  ["r", "alpha", "a", "b"],
  bgnbdParamsFromCells,
  "badBgNbdParams",
);

const gammaGammaParamsParam = fittedParams(
  "CRM.GAMMAGAMMA",
  ["p", "q", "v"],
  gammaGammaParamsFromCells,
  "badGammaGammaParams",
);

/** frequency, recency and age (the first three arguments) as history columns, spilling like frequency. */
function history([frequency, recency, age]: readonly [
  NumberColumn,
  NumberColumn,
  NumberColumn,
  ...unknown[],
]): {
  readonly columns: HistoryColumns;
  readonly orientation: ColumnArg["orientation"];
} {
  return {
    columns: { frequency: frequency.column, recency: recency.column, age: age.column },
    orientation: frequency.orientation,
  };
}

/** The errors of the rows of a purchase history (CRM.BGNBD's arguments). */
const historyErrors = [
  "badFrequency",
  "badRecency",
  "recencyExceedsAge",
  "recencyWithoutRepeats",
  "badAge",
] as const;

/** The whole-call errors of a fit (Gamma-Gamma counts only repeat buyers). */
function fitErrors(repeatBuyers: boolean) {
  return [
    repeatBuyers ? "tooFewRepeatBuyers" : "tooFewCustomers",
    "fitUnbounded",
    "fitNotConverged",
  ] as const;
}

export const predictiveFunctions: readonly FunctionEntry[] = [
  define({
    id: "BGNBD",
    zhName: "BGNBD拟合",
    kind: "sync",
    description: {
      en: "Fits the BG/NBD model (Fader, Hardie & Lee 2005) to purchase histories: one row r, alpha, a, b, for CRM.PALIVE and CRM.PURCHASES.",
      zh: "用购买记录拟合 BG/NBD 模型（Fader、Hardie、Lee，2005）：一行 r、alpha、a、b，供 CRM.PALIVE 与 CRM.PURCHASES 使用。",
    },
    params: historyParams,
    result: range,
    example: {
      formula: "=CRM.BGNBD(B2:B2358, C2:C2358, D2:D2358)",
      en: "0.243, 4.414, 0.793, 2.426 on the 2,357 CDNOW customers (weeks)",
      zh: "CDNOW 的 2,357 个客户（以周计）得 0.243、4.414、0.793、2.426",
    },
    errors: [...historyErrors, ...fitErrors(false)],
    run(p) {
      const fit = bgnbdFit(history(p).columns);
      return isCellError(fit) ? fit : [fit];
    },
  }),
  define({
    id: "PALIVE",
    zhName: "存活概率",
    kind: "sync",
    description: {
      en: "Probability that each customer is still active (BG/NBD); exactly 1 without repeat purchases.",
      zh: "每个客户仍然活跃的概率（BG/NBD）；没有重复购买的客户恰为 1。",
    },
    params: [...historyParams, bgnbdParamsParam],
    result: range,
    example: {
      formula: "=CRM.PALIVE(B2:B2358, C2:C2358, D2:D2358, $G$1:$J$1)",
      en: "0.73 for 2 repeat purchases, the last at week 30.43 of 38.86",
      zh: "重复购买 2 次、最近一次在第 30.43 周（共 38.86 周）的客户为 0.73",
    },
    errors: [...historyErrors, ...fitErrors(false)],
    run(p) {
      const h = history(p);
      return spilled(aliveProbabilities(h.columns, p[3]), h.orientation);
    },
  }),
  define({
    id: "PURCHASES",
    zhName: "预期购买次数",
    kind: "sync",
    description: {
      en: "Expected number of purchases of each customer in the next horizon time units (BG/NBD conditional expectation).",
      zh: "每个客户在未来 horizon 个时间单位内的预期购买次数（BG/NBD 条件期望）。",
    },
    params: [
      ...historyParams,
      {
        name: "horizon",
        kind: numbers,
        en: "Time units ahead, >= 0 (one value, or one per customer).",
        zh: "向后预测的时间单位数，不小于 0（一个值，或每个客户一个）。",
      },
      bgnbdParamsParam,
    ],
    result: range,
    example: {
      formula: "=CRM.PURCHASES(B2:B2358, C2:C2358, D2:D2358, 39, $G$1:$J$1)",
      en: "1.226 for 2 repeat purchases, the last at week 30.43 of 38.86 (FHL 2005)",
      zh: "重复购买 2 次、最近一次在第 30.43 周（共 38.86 周）的客户为 1.226（FHL 2005）",
    },
    errors: ["badHorizon", "aIsOne", "seriesDiverged", ...historyErrors, ...fitErrors(false)],
    run(p) {
      const h = history(p);
      return spilled(expectedPurchaseCounts(h.columns, p[3].column, p[4]), h.orientation);
    },
  }),
  define({
    id: "GAMMAGAMMA",
    zhName: "消费额拟合",
    kind: "sync",
    description: {
      en: "Fits the Gamma-Gamma spend model (Fader, Hardie & Lee 2005) on the repeat buyers: one row p, q, v, for CRM.SPEND and CRM.PCLV.",
      zh: "用重复购买客户拟合 Gamma-Gamma 消费额模型（Fader、Hardie、Lee，2005）：一行 p、q、v，供 CRM.SPEND 与 CRM.PCLV 使用。",
    },
    params: [repeatFrequencyParam, avgSpendParam],
    result: range,
    example: {
      formula: "=CRM.GAMMAGAMMA(B2:B2358, E2:E2358)",
      en: "6.25, 3.74, 15.44 on CDNOW's 946 repeat buyers",
      zh: "CDNOW 的 946 个重复购买客户得 6.25、3.74、15.44",
    },
    errors: ["badFrequency", "badAvgSpend", ...fitErrors(true)],
    run([f, m]) {
      const fit = gammaGammaFit(f.column, m.column);
      return isCellError(fit) ? fit : [fit];
    },
  }),
  define({
    id: "SPEND",
    zhName: "预期消费额",
    kind: "sync",
    description: {
      en: "Expected value of each customer's future purchases (Gamma-Gamma): (v + frequency × avg_spend) × p / (p × frequency + q - 1).",
      zh: "每个客户未来单次购买的预期金额（Gamma-Gamma）：(v + frequency × avg_spend) × p / (p × frequency + q - 1)。",
    },
    params: [repeatFrequencyParam, avgSpendParam, gammaGammaParamsParam],
    result: range,
    example: {
      formula: "=CRM.SPEND(B2:B2358, E2:E2358, $K$1:$M$1)",
      en: "24.66 for 2 repeat purchases of mean 22.35; 35.22 (the mean) without repeat purchases",
      zh: "2 次重复购买、平均 22.35 的客户为 24.66；没有重复购买的客户为总体均值 35.22",
    },
    errors: ["meanSpendUndefined", "badFrequency", "badAvgSpend", ...fitErrors(true)],
    run: ([f, m, params]) => spilled(expectedSpends(f.column, m.column, params), f.orientation),
  }),
  define({
    id: "PCLV",
    zhName: "预测终身价值",
    kind: "sync",
    description: {
      en: "Predicted value of each customer's purchases over the next months (BG/NBD × Gamma-Gamma, discounted monthly; a month is 30 days), as the lifetimes library defines it.",
      zh: "每个客户未来若干月购买的预测价值（BG/NBD × Gamma-Gamma，按月折现；一个月按 30 天），与 lifetimes 库的定义相同。",
    },
    params: [
      ...historyParams,
      avgSpendParam,
      {
        name: "months",
        kind: numberOrNaN,
        en: "Months ahead, a whole number 0–1200.",
        zh: "向后预测的月数，0 到 1200 的整数。",
      },
      {
        name: "monthly_discount",
        kind: numberOrNaN,
        en: "Discount rate per month, > -1 (e.g. 0.01).",
        zh: "月折现率，大于 -1（如 0.01）。",
      },
      {
        name: "unit_days",
        kind: numberOrNaN,
        optional,
        en: "Days per time unit of the data (default 1; 7 for weeks).",
        zh: "数据时间单位的天数（默认 1；以周计时为 7）。",
      },
      { ...bgnbdParamsParam, name: "bgnbd" },
      { ...gammaGammaParamsParam, name: "gammagamma" },
    ],
    result: range,
    example: {
      formula: "=CRM.PCLV(B2:B2358, C2:C2358, D2:D2358, E2:E2358, 12, 0.01, 7)",
      en: "35.88 (US$) for 2 repeat purchases of mean 22.35, the last at week 30.43 of 38.86",
      zh: "2 次重复购买、平均 22.35、最近一次在第 30.43 周（共 38.86 周）的客户为 35.88（美元）",
    },
    errors: [
      "badMonths",
      "badMonthlyDiscount",
      "badUnitDays",
      "aIsOne",
      "meanSpendUndefined",
      "seriesDiverged",
      "badAvgSpend",
      ...historyErrors,
      ...fitErrors(false),
      "tooFewRepeatBuyers",
    ],
    run(p) {
      const h = history(p);
      const [, , , spend, months, monthlyDiscount, unitDays, purchaseFit, spendFit] = p;
      const horizon = { months, monthlyDiscount, unitDays };
      const values = predictedValues(h.columns, spend.column, horizon, purchaseFit, spendFit);
      return spilled(values, h.orientation);
    },
  }),
];
