/**
 * Every `CRM.*` function, one entry each: the table from which the registration
 * (main.ts), functions.json and its zh-CN twin (scripts/build-functions.ts) and
 * docs/functions.md (docs.ts) are all made. Each implementation is a thin wrapper: Excel's
 * 2-D arrays and `null` for omitted optionals in, one `core/` call, cells out.
 */
import {
  actionsFromCells,
  ageBuckets,
  agingTotals,
  aliveProbabilities,
  BLANK,
  bgnbdFit,
  bgnbdParamsFromCells,
  type Cell,
  type CellError,
  creditCheck,
  creditGrades,
  creditLimits,
  creditPoints,
  creditScores,
  creditTerms,
  errors,
  expectedPurchaseCounts,
  expectedSpends,
  gammaGammaFit,
  gammaGammaParamsFromCells,
  gradeByCumulativeShare,
  gradeGaps,
  type HistoryColumns,
  isCellError,
  lifetimeValue,
  noCustomer,
  noField,
  paretoShares,
  predictedValues,
  rfmScores,
  rfmSegments,
  riskActions,
  valueMatrix,
  weightedScores,
} from "../../core/index.ts";
import {
  bands,
  block,
  cells,
  language,
  type NumberColumn,
  number,
  numberOrNaN,
  numbers,
  optionalColumn,
  optionalNumberIn,
  optionalNumbers,
  optionalTable,
  parameterRow,
  parseArgs,
} from "./args.ts";
import { customerField, isKnownField } from "./customerFields.ts";
import type { FunctionContext, FunctionEntry, Output, ParamSpec } from "./entry.ts";
import {
  type ColumnArg,
  columnArg,
  isOmitted,
  optionalNumber,
  scalarArg,
  spill,
} from "./shapes.ts";

// ---- argument kinds shared by several functions (args.ts reads them) ----

/** `a_share`, `b_share`: formulas.md makes a text share `#NUM!`, like one out of range. */
const shareOption = optionalNumberIn(errors.badShares);
/** `as_of`: a text date is `#VALUE!` "as_of must be a date". */
const asOf = optionalNumberIn(errors.badAsOf);
/** CREDITSCORE and CREDITEXPLAIN: the 5C block and optional weights. */
const fiveCArgs = [block, optionalColumn] as const;
/** CREDITGRADE and GRADEGAP: scores and optional bands. */
const scoreArgs = [numbers, bands] as const;
/** The predictive functions' frequency, recency and age. */
const historyArgs = [numbers, numbers, numbers] as const;
const bgnbdParams = parameterRow(bgnbdParamsFromCells);
const gammaGammaParams = parameterRow(gammaGammaParamsFromCells);

/** frequency, recency and age (the first three arguments) as history columns, spilling like frequency. */
function history(parsed: readonly [NumberColumn, NumberColumn, NumberColumn, ...unknown[]]): {
  readonly columns: HistoryColumns;
  readonly orientation: ColumnArg["orientation"];
} {
  const [frequency, recency, age] = parsed;
  return {
    columns: { frequency: frequency.column, recency: recency.column, age: age.column },
    orientation: frequency.orientation,
  };
}

/** Cells of a column result spilled like the input, or the whole-call error. */
function spilled(
  result: readonly Cell<unknown>[] | CellError,
  orientation: ColumnArg["orientation"],
): Output {
  return isCellError(result) ? result : spill(result, orientation);
}

/**
 * Parallel result columns (RFM's R, F, M; CREDITEXPLAIN's five points) as Excel's block:
 * for a column of customers, row i is `[c0[i], c1[i], …]`; for a row of customers, one row
 * per result column.
 */
function spillColumns(
  columns: readonly (readonly Cell<unknown>[])[],
  orientation: ColumnArg["orientation"],
): Cell<unknown>[][] {
  if (orientation === "row") return columns.map((column) => [...column]);
  const n = columns[0]?.length ?? 0;
  const k = columns.length;
  const rows = new Array<Cell<unknown>[]>(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<Cell<unknown>>(k);
    for (let j = 0; j < k; j++)
      row[j] = (columns[j] as readonly Cell<unknown>[])[i] as Cell<unknown>;
    rows[i] = row;
  }
  return rows;
}

/** A customer id cell as text (ids typed as numbers, e.g. 1001, are read as "1001"). */
function customerId(arg: unknown): string {
  const value = scalarArg(arg);
  if (isOmitted(value)) return "";
  return String(value).trim();
}

const DEFAULT_FIELDS = ["id", "name", "grade", "creditGrade", "creditLimit"];
const HISTORY_HEADER = ["when", "who", "field", "old", "new"];

function historyCell(value: unknown): Cell<unknown> {
  if (value === undefined || value === null) return BLANK;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  return JSON.stringify(value);
}

/** CRM.CUSTOMER's value, shared by CRM.LIVE. */
async function customerValue(args: readonly unknown[], ctx: FunctionContext): Promise<Output> {
  const id = customerId(args[0]);
  const field = customerId(args[1]);
  if (id === "") return BLANK;
  const record = await ctx.team.customer(id);
  if (isCellError(record)) return record;
  if (record === null) return noCustomer(id);
  return customerField(record, field);
}

// ---- errors shared by the predictive functions ----

const columnErrors = [
  { code: "#VALUE!", key: "columnsDifferInLength" },
  { code: "#VALUE!", key: "notSingleColumn" },
  { code: "#VALUE!", key: "notANumber" },
] as const;

const historyErrors = [
  { code: "#NUM!", key: "badFrequency" },
  { code: "#NUM!", key: "badRecency" },
  { code: "#NUM!", key: "recencyExceedsAge" },
  { code: "#NUM!", key: "recencyWithoutRepeats" },
  { code: "#NUM!", key: "badAge" },
  ...columnErrors,
] as const;

/** The whole-call errors of a fit (Gamma-Gamma counts only repeat buyers). */
function fitErrors(repeatBuyers: boolean) {
  return [
    { code: "#NUM!", key: repeatBuyers ? "tooFewRepeatBuyers" : "tooFewCustomers" },
    { code: "#NUM!", key: "fitUnbounded" },
    { code: "#NUM!", key: "fitNotConverged" },
  ] as const;
}

// ---- the table ----

const range = "range" as const;
const scalar = "scalar" as const;
const optional = true as const;

// Parameters shared by several functions, described once.
const asOfParam: ParamSpec = {
  name: "as_of",
  shape: scalar,
  optional,
  en: "Aging date (default: today).",
  zh: "账龄计算日（默认：今天）。",
};
const bandsParam: ParamSpec = {
  name: "bands",
  shape: range,
  optional,
  en: "Override: a two-column block of (grade, min score) rows.",
  zh: "可选：两列（等级，最低分）区域，替代政策中的等级。",
};
const bucketDaysParam: ParamSpec = {
  name: "bucket_days",
  shape: range,
  optional,
  en: "Bucket boundaries in days (default 30, 60, 90).",
  zh: "区间分界天数（默认 30、60、90）。",
};
// CREDITGRADE and GRADEGAP take the same scores and bands and fail alike.
const scoreParams: readonly ParamSpec[] = [
  { name: "score", shape: range, en: "Credit scores, 0–100.", zh: "信用评分，0 到 100。" },
  bandsParam,
];
const scoreErrors: FunctionEntry["errors"] = [
  { code: "#NUM!", key: "scoreOutOfRange" },
  { code: "#VALUE!", key: "badBands" },
  { code: "#VALUE!", key: "notSingleColumn" },
  { code: "#VALUE!", key: "notANumber" },
];
const dueDatesParam: ParamSpec = {
  name: "due_dates",
  shape: range,
  en: "Due dates (Excel dates).",
  zh: "到期日（Excel 日期）。",
};
// CREDITSCORE and CREDITEXPLAIN read the same 5C block, weights and errors.
const fiveCParams: readonly ParamSpec[] = [
  {
    name: "factors",
    shape: range,
    en: "n × 5 block of 5C factors, each 0–100.",
    zh: "n × 5 的 5C 因素区域，每项 0 到 100。",
  },
  {
    name: "weights",
    shape: range,
    optional,
    en: "5 weights (default: the team policy's).",
    zh: "5 个权重（默认：团队信用政策的权重）。",
  },
];
const fiveCErrors: FunctionEntry["errors"] = [
  { code: "#NUM!", key: "factorOutOfRange" },
  { code: "#NUM!", key: "badWeights" },
  { code: "#VALUE!", key: "badFactorCount" },
  { code: "#VALUE!", key: "notSingleColumn" },
  { code: "#VALUE!", key: "notANumber" },
];
const frequencyParam: ParamSpec = {
  name: "frequency",
  shape: range,
  en: "Number of purchases.",
  zh: "购买次数。",
};
const idParam: ParamSpec = { name: "id", shape: scalar, en: "Customer id.", zh: "客户编号。" };
const languageParam: ParamSpec = {
  name: "language",
  shape: scalar,
  optional,
  en: '"en" or "zh" (default: the add-in\'s language).',
  zh: '"en" 或 "zh"（默认：加载项的显示语言）。',
};
const monetaryParam: ParamSpec = {
  name: "monetary",
  shape: range,
  en: "Amount spent.",
  zh: "消费金额。",
};
const recencyDaysParam: ParamSpec = {
  name: "recency_days",
  shape: range,
  en: "Days since the last purchase.",
  zh: "距最近一次购买的天数。",
};
const scoreOrGradeParam: ParamSpec = {
  name: "score_or_grade",
  shape: range,
  en: "Credit score (0–100) or grade label per customer.",
  zh: "每个客户的信用评分（0 到 100）或信用等级。",
};

// Parameters of the predictive functions, described once.
const repeatFrequencyParam: ParamSpec = {
  name: "frequency",
  shape: range,
  en: "Repeat purchases: distinct purchase periods after the first (whole number >= 0).",
  zh: "重复购买次数：首次购买之后的不同购买期数（不小于 0 的整数）。",
};
const recencyParam: ParamSpec = {
  name: "recency",
  shape: range,
  en: "Time from the first to the last purchase (0 without repeat purchases).",
  zh: "首次到最近一次购买的时间（没有重复购买时为 0）。",
};
const ageParam: ParamSpec = {
  name: "age",
  shape: range,
  en: "Time from the first purchase to the end of the data, > 0, in the same unit.",
  zh: "首次购买到数据截止的时间，大于 0，单位相同。",
};
const avgSpendParam: ParamSpec = {
  name: "avg_spend",
  shape: range,
  en: "Mean value of the repeat purchases (> 0 where frequency > 0).",
  zh: "重复购买的平均金额（frequency 大于 0 时须大于 0）。",
};
const bgnbdParamsParam: ParamSpec = {
  name: "params",
  shape: range,
  optional,
  en: "r, alpha, a, b from CRM.BGNBD (default: fitted on these rows).",
  zh: "CRM.BGNBD 给出的 r、alpha、a、b（默认：用这些行拟合）。",
};
const gammaGammaParamsParam: ParamSpec = {
  name: "params",
  shape: range,
  optional,
  en: "p, q, v from CRM.GAMMAGAMMA (default: fitted on these rows).",
  zh: "CRM.GAMMAGAMMA 给出的 p、q、v（默认：用这些行拟合）。",
};

/** The catalog: one entry per `CRM.*` function of formulas.md, in its order. */
export const catalog: readonly FunctionEntry[] = [
  {
    id: "ABC",
    zhName: "ABC分级",
    kind: "sync",
    description: {
      en: "ABC grading by cumulative share of value (Pareto): A, B, C, and D for loss-making customers.",
      zh: "按价值累计占比进行客户 ABC 分类（帕累托）：A、B、C，亏损客户为 D。",
    },
    params: [
      {
        name: "values",
        shape: range,
        en: "Revenue, profit or any value per customer (a column or row).",
        zh: "每个客户的收入、利润或其他价值（一列或一行）。",
      },
      {
        name: "a_share",
        shape: scalar,
        optional,
        en: "Cumulative share that ends grade A (default 0.8).",
        zh: "A 类的累计占比上限（默认 0.8）。",
      },
      {
        name: "b_share",
        shape: scalar,
        optional,
        en: "Cumulative share that ends grade B (default 0.95).",
        zh: "B 类的累计占比上限（默认 0.95）。",
      },
    ],
    result: range,
    example: { formula: "=CRM.ABC({50;30;10;5;5})", en: "A, A, B, B, B", zh: "A、A、B、B、B" },
    errors: [
      { code: "#NUM!", key: "badShares" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      // formulas.md: shares outside 0 < a <= b <= 1 are #NUM!, and so is a text share.
      const p = parseArgs([numbers, shareOption, shareOption], args, ctx);
      if (isCellError(p)) return p;
      const [v, a, b] = p;
      return spilled(gradeByCumulativeShare(v.column, a, b), v.orientation);
    },
  },
  {
    id: "PARETO",
    zhName: "帕累托",
    kind: "sync",
    description: {
      en: "Cumulative share of value per customer: the sum of all values >= its value over the total (the whale curve).",
      zh: "每个客户的累计价值占比：所有不小于其价值之和除以总和（鲸鱼曲线）。",
    },
    params: [
      {
        name: "values",
        shape: range,
        en: "Value per customer (a column or row).",
        zh: "每个客户的价值（一列或一行）。",
      },
    ],
    result: range,
    example: {
      formula: "=CRM.PARETO({50;30;10;5;5})",
      en: "0.5, 0.8, 0.9, 1, 1",
      zh: "0.5、0.8、0.9、1、1",
    },
    errors: [
      { code: "#DIV/0!", key: "totalNotPositive" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([numbers], args, ctx);
      if (isCellError(p)) return p;
      const [v] = p;
      return spilled(paretoShares(v.column), v.orientation);
    },
  },
  {
    id: "RFM",
    zhName: "RFM评分",
    kind: "sync",
    description: {
      en: "Recency, frequency and monetary quantile scores, 1 (worst) to bins (best): one row of R, F, M per customer.",
      zh: "最近消费、消费频率、消费金额的分位评分，1（最差）到 bins（最好）：每个客户一行 R、F、M。",
    },
    params: [
      recencyDaysParam,
      frequencyParam,
      monetaryParam,
      {
        name: "bins",
        shape: scalar,
        optional,
        en: "Number of score levels, a whole number 2–10 (default 5).",
        zh: "评分级数，2 到 10 的整数（默认 5）。",
      },
    ],
    result: range,
    example: {
      formula: "=CRM.RFM(B2:B6, C2:C6, D2:D6)",
      en: "frequency 1, 2, 3, 4, 5 gives F 1, 2, 3, 4, 5",
      zh: "频率 1、2、3、4、5 得 F 为 1、2、3、4、5",
    },
    errors: [
      { code: "#NUM!", key: "badBins" },
      { code: "#VALUE!", key: "columnsDifferInLength" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, numbers, numbers, optionalNumberIn(errors.badBins)], args, ctx);
      if (isCellError(p)) return p;
      const [r, f, m, bins] = p;
      const scores = rfmScores(r.column, f.column, m.column, bins);
      if (isCellError(scores)) return scores;
      // A column of customers gives n rows of (R, F, M); a row of customers gives 3 rows.
      return spillColumns([scores.r, scores.f, scores.m], r.orientation);
    },
  },
  {
    id: "RFMSEGMENT",
    zhName: "RFM分类",
    kind: "sync",
    description: {
      en: "The eight-class RFM model (Important value … General win-back), each of R, F, M high or low against its mean.",
      zh: "RFM 八类客户模型（重要价值客户……一般挽留客户），R、F、M 各按均值分高低。",
    },
    params: [recencyDaysParam, frequencyParam, monetaryParam, languageParam],
    result: range,
    example: {
      formula: '=CRM.RFMSEGMENT(B2:B6, C2:C6, D2:D6, "zh")',
      en: "重要价值客户 for a recent, frequent, big spender",
      zh: "最近、频繁、高消费的客户为 重要价值客户",
    },
    errors: [
      { code: "#VALUE!", key: "badLanguage" },
      { code: "#VALUE!", key: "columnsDifferInLength" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, numbers, numbers, language], args, ctx);
      if (isCellError(p)) return p;
      const [r, f, m, lang] = p;
      return spilled(rfmSegments(r.column, f.column, m.column, lang), r.orientation);
    },
  },
  {
    id: "VALUEMATRIX",
    zhName: "价值矩阵",
    kind: "sync",
    description: {
      en: "The value × loyalty matrix: High/Low value, high/low loyalty, high meaning >= the cut (default: the median).",
      zh: "价值 × 忠诚度矩阵：高/低价值、高/低忠诚，不小于分界值为高（默认取中位数）。",
    },
    params: [
      { name: "value", shape: range, en: "Customer value.", zh: "客户价值。" },
      { name: "loyalty", shape: range, en: "Customer loyalty.", zh: "客户忠诚度。" },
      {
        name: "value_cut",
        shape: scalar,
        optional,
        en: "Value at or above which value is high (default: median).",
        zh: "价值的分界值（默认：中位数）。",
      },
      {
        name: "loyalty_cut",
        shape: scalar,
        optional,
        en: "Loyalty at or above which loyalty is high (default: median).",
        zh: "忠诚度的分界值（默认：中位数）。",
      },
      languageParam,
    ],
    result: range,
    example: {
      formula: '=CRM.VALUEMATRIX({90;40;70;20}, {80;30;20;90}, , , "en")',
      en: "High value, high loyalty; Low value, low loyalty; High value, low loyalty; Low value, high loyalty (both cuts are the median, 55)",
      zh: "依次为 High value, high loyalty; Low value, low loyalty; High value, low loyalty; Low value, high loyalty（两个分界都是中位数 55）",
    },
    errors: [
      { code: "#VALUE!", key: "badLanguage" },
      { code: "#VALUE!", key: "columnsDifferInLength" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, numbers, number, number, language], args, ctx);
      if (isCellError(p)) return p;
      const [v, l, vc, lc, lang] = p;
      return spilled(valueMatrix(v.column, l.column, vc, lc, lang), v.orientation);
    },
  },
  {
    id: "CLV",
    zhName: "客户终身价值",
    kind: "sync",
    description: {
      en: "Customer lifetime value with margins at the end of each period (Gupta & Lehmann); any argument may be a column.",
      zh: "客户终身价值（每期期末计利润，Gupta & Lehmann）；任一参数都可以是一列。",
    },
    params: [
      { name: "margin", shape: range, en: "Margin per period.", zh: "每期利润。" },
      { name: "retention", shape: range, en: "Retention rate, 0–1.", zh: "保留率，0 到 1。" },
      {
        name: "discount_rate",
        shape: range,
        en: "Discount rate per period, > -1.",
        zh: "每期折现率，大于 -1。",
      },
      {
        name: "periods",
        shape: range,
        optional,
        en: "Number of periods; omitted or 0: unbounded.",
        zh: "期数；省略或 0 表示无限期。",
      },
    ],
    result: range,
    example: {
      formula: "=CRM.CLV(100, 0.8, 0.1)",
      en: "266.67 (with periods 2: 125.62)",
      zh: "266.67（periods 为 2 时：125.62）",
    },
    errors: [
      { code: "#NUM!", key: "badRetention" },
      { code: "#NUM!", key: "badDiscountRate" },
      { code: "#NUM!", key: "clvDiverges" },
      { code: "#NUM!", key: "badPeriods" },
      { code: "#VALUE!", key: "columnsDifferInLength" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, numbers, numbers, optionalNumbers], args, ctx);
      if (isCellError(p)) return p;
      const [m, r, d, n] = p;
      // Scalars broadcast: the result takes the orientation of the longest argument.
      let longest = m;
      for (const c of [r, d, n])
        if (c && c.column.kinds.length > longest.column.kinds.length) longest = c;
      const values = lifetimeValue(m.column, r.column, d.column, n?.column ?? null);
      return spilled(values, longest.orientation);
    },
  },
  {
    id: "SCORE",
    zhName: "加权评分",
    kind: "sync",
    description: {
      en: "Weighted average per row of a block of factors: sum(w × x) / sum(w); equal weights by default.",
      zh: "对因素区域逐行加权平均：sum(w × x) / sum(w)；默认等权。",
    },
    params: [
      {
        name: "factors",
        shape: range,
        en: "n × k block: one row per customer, one column per factor.",
        zh: "n × k 区域：每行一个客户，每列一个因素。",
      },
      {
        name: "weights",
        shape: range,
        optional,
        en: "k non-negative weights, not all 0 (a row or column).",
        zh: "k 个非负权重，不能全为 0（一行或一列）。",
      },
    ],
    result: range,
    example: {
      formula: "=CRM.SCORE({80,60,90,70,50}, {25,24,12,19,7})",
      en: "71.264… (6200 / 87)",
      zh: "71.264…（6200 / 87）",
    },
    errors: [
      { code: "#NUM!", key: "badWeights" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([block, optionalColumn], args, ctx);
      if (isCellError(p)) return p;
      const [factors, weights] = p;
      return spilled(weightedScores(factors, weights), "column");
    },
  },
  {
    id: "CREDITSCORE",
    zhName: "信用评分",
    kind: "policy",
    description: {
      en: "5C credit score 0–100 per row (character, capacity, capital, collateral, conditions), with the policy's 5C weights by default.",
      zh: "按 5C（品德、能力、资本、抵押、条件）逐行计算 0 到 100 的信用评分，默认使用信用政策的 5C 权重。",
    },
    params: fiveCParams,
    result: range,
    example: {
      formula: "=CRM.CREDITSCORE({90,85,80,70,75})",
      en: "81.5 (default weights 0.25, 0.25, 0.2, 0.15, 0.15: 22.5 + 21.25 + 16 + 10.5 + 11.25)",
      zh: "81.5（默认权重 0.25、0.25、0.2、0.15、0.15：22.5 + 21.25 + 16 + 10.5 + 11.25）",
    },
    errors: fiveCErrors,
    run(args, ctx) {
      const p = parseArgs(fiveCArgs, args, ctx);
      if (isCellError(p)) return p;
      const [factors, weights] = p;
      return spilled(creditScores(factors, ctx.policy, weights), "column");
    },
  },
  {
    id: "CREDITGRADE",
    zhName: "信用等级",
    kind: "policy",
    description: {
      en: "Credit grade per score: the highest band whose min score <= score (the team policy's bands by default).",
      zh: "按评分确定信用等级：最低分不高于评分的最高等级（默认使用团队信用政策的等级）。",
    },
    params: scoreParams,
    result: range,
    example: { formula: "=CRM.CREDITGRADE(85)", en: "AA (default policy)", zh: "AA（默认政策）" },
    errors: scoreErrors,
    run(args, ctx) {
      const p = parseArgs(scoreArgs, args, ctx);
      if (isCellError(p)) return p;
      const [scores, table] = p;
      return spilled(creditGrades(scores.column, ctx.policy, table), scores.orientation);
    },
  },
  {
    id: "CREDITLIMIT",
    zhName: "信用额度",
    kind: "policy",
    description: {
      en: "Credit limit: basis × the grade's limit %, rounded down to the policy's unit and capped at its maximum.",
      zh: "信用额度：计算基数 × 等级对应的额度比例，按政策的取整单位向下取整，并以最高额度为上限。",
    },
    params: [
      scoreOrGradeParam,
      {
        name: "basis",
        shape: range,
        en: "The amount the limit % applies to (e.g. net worth or annual purchases).",
        zh: "额度比例的计算基数（如净资产或年采购额）。",
      },
      bandsParam,
    ],
    result: range,
    example: {
      formula: "=CRM.CREDITLIMIT(85, 1234567)",
      en: "185000 (AA, 15 %)",
      zh: "185000（AA，15%）",
    },
    errors: [
      { code: "#NUM!", key: "negativeBasis" },
      { code: "#NUM!", key: "scoreOutOfRange" },
      { code: "#VALUE!", key: "unknownGrade" },
      { code: "#VALUE!", key: "badBands" },
      { code: "#VALUE!", key: "columnsDifferInLength" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([cells, numbers, bands], args, ctx);
      if (isCellError(p)) return p;
      const [s, basis, table] = p;
      const orientation =
        s.cells.length >= basis.column.kinds.length ? s.orientation : basis.orientation;
      return spilled(creditLimits(s.cells, basis.column, ctx.policy, table), orientation);
    },
  },
  {
    id: "CREDITTERM",
    zhName: "信用期限",
    kind: "policy",
    description: {
      en: "Credit term in days per score or grade, from the team policy.",
      zh: "按评分或信用等级给出信用期限（天），取自团队信用政策。",
    },
    params: [scoreOrGradeParam, bandsParam],
    result: range,
    example: { formula: '=CRM.CREDITTERM("AA")', en: "60 (default policy)", zh: "60（默认政策）" },
    errors: [
      { code: "#NUM!", key: "scoreOutOfRange" },
      { code: "#VALUE!", key: "unknownGrade" },
      { code: "#VALUE!", key: "badBands" },
      { code: "#VALUE!", key: "notSingleColumn" },
    ],
    run(args, ctx) {
      const p = parseArgs([cells, bands], args, ctx);
      if (isCellError(p)) return p;
      const [s, table] = p;
      return spilled(creditTerms(s.cells, ctx.policy, table), s.orientation);
    },
  },
  {
    id: "AGING",
    zhName: "账龄分析",
    kind: "sync",
    description: {
      en: "Receivables aging: one row of totals per bucket (Current, 1-30, 31-60, 61-90, 90+ by default).",
      zh: "应收账款账龄分析：按区间汇总金额的一行（默认 Current、1-30、31-60、61-90、90+）。",
    },
    params: [
      dueDatesParam,
      { name: "amounts", shape: range, en: "Amounts due.", zh: "应收金额。" },
      asOfParam,
      bucketDaysParam,
    ],
    result: range,
    example: {
      formula: "=CRM.AGING(B2:B100, C2:C100, DATE(2026,6,30))",
      en: "one row: Current, 1-30, 31-60, 61-90, 90+ totals",
      zh: "一行：各账龄区间的合计",
    },
    errors: [
      { code: "#VALUE!", key: "badAsOf" },
      { code: "#NUM!", key: "badBucketDays" },
      { code: "#VALUE!", key: "columnsDifferInLength" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, numbers, asOf, optionalColumn], args, ctx);
      if (isCellError(p)) return p;
      const [d, a, at, bounds] = p;
      const totals = agingTotals(d.column, a.column, at ?? ctx.today(), bounds);
      return isCellError(totals) ? totals : [totals];
    },
  },
  {
    id: "AGEBUCKET",
    zhName: "账龄区间",
    kind: "sync",
    description: {
      en: "The aging bucket label per due date (Current, 1-30, 31-60, 61-90, 90+ by default).",
      zh: "每个到期日所在的账龄区间（默认 Current、1-30、31-60、61-90、90+）。",
    },
    params: [dueDatesParam, asOfParam, bucketDaysParam],
    result: range,
    example: {
      formula: "=CRM.AGEBUCKET(B2:B100, DATE(2026,6,30))",
      en: '"1-30" for an invoice 12 days past due',
      zh: '逾期 12 天的发票为 "1-30"',
    },
    errors: [
      { code: "#VALUE!", key: "badAsOf" },
      { code: "#NUM!", key: "badBucketDays" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#VALUE!", key: "notANumber" },
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, asOf, optionalColumn], args, ctx);
      if (isCellError(p)) return p;
      const [d, at, bounds] = p;
      return spilled(ageBuckets(d.column, at ?? ctx.today(), bounds), d.orientation);
    },
  },
  // ---- credit explained, value × risk (issue 13, credit part) ----
  {
    id: "CREDITEXPLAIN",
    zhName: "信用评分明细",
    kind: "policy",
    description: {
      en: "Why a customer has its credit score: each 5C factor's points, w × x / sum(w), in 5C order; a row adds up to its CRM.CREDITSCORE.",
      zh: "信用评分的来由：按 5C 顺序给出每个因素的得分 w × x / sum(w)，每行之和等于 CRM.CREDITSCORE。",
    },
    params: fiveCParams,
    result: range,
    example: {
      formula: "=CRM.CREDITEXPLAIN({90,85,80,70,75})",
      en: "22.5, 21.25, 16, 10.5, 11.25 (default policy; they add up to the score 81.5)",
      zh: "22.5、21.25、16、10.5、11.25（默认政策；合计为评分 81.5）",
    },
    errors: fiveCErrors,
    run(args, ctx) {
      const p = parseArgs(fiveCArgs, args, ctx);
      if (isCellError(p)) return p;
      const [factors, weights] = p;
      const points = creditPoints(factors, ctx.policy, weights);
      return isCellError(points) ? points : spillColumns(points, "column");
    },
  },
  {
    id: "GRADEGAP",
    zhName: "升级差距",
    kind: "policy",
    description: {
      en: 'The next credit grade up and the points still needed to reach it (the top grade: "", 0).',
      zh: '上一级信用等级及还差的分数（最高等级为 ""、0）。',
    },
    params: scoreParams,
    result: range,
    example: {
      formula: "=CRM.GRADEGAP({85;79.99999999999999})",
      en: "AAA, 5 and AAA, 10 (default policy; the second score shows as 80, so it is AA)",
      zh: "AAA、5 与 AAA、10（默认政策；第二个评分显示为 80，因此为 AA）",
    },
    errors: scoreErrors,
    run(args, ctx) {
      const p = parseArgs(scoreArgs, args, ctx);
      if (isCellError(p)) return p;
      const [scores, table] = p;
      const gaps = gradeGaps(scores.column, ctx.policy, table);
      return spillColumns([gaps.next, gaps.points], scores.orientation);
    },
  },
  {
    id: "RISKMATRIX",
    zhName: "价值风险矩阵",
    kind: "policy",
    description: {
      en: "What to do with a customer by value (ABC grade) × credit risk (the credit grade's band: low, medium, high).",
      zh: "按价值（ABC 等级）× 信用风险（信用等级所在区间：低、中、高）给出客户的处理策略。",
    },
    params: [
      {
        name: "value_grade",
        shape: range,
        en: "ABC grade per customer: A, B, C, or D (loss-making).",
        zh: "每个客户的 ABC 等级：A、B、C，或 D（亏损客户）。",
      },
      {
        name: "credit_grade",
        shape: range,
        en: "Credit grade (or score) per customer, from the team policy.",
        zh: "每个客户的信用等级（或评分），按团队信用政策。",
      },
      languageParam,
      {
        name: "actions",
        shape: range,
        optional,
        en: "3 × 3 labels replacing the table: rows A, B, C; columns low, medium, high risk.",
        zh: "替代默认策略的 3 × 3 标签：行为 A、B、C，列为低、中、高风险。",
      },
    ],
    result: range,
    example: {
      formula: '=CRM.RISKMATRIX({"A";"C";"D"}, {"AA";"B";"AAA"}, "en")',
      en: "Grow, Cash only, Review",
      zh: 'Grow、Cash only、Review（language 为 "zh" 时：重点发展、现款交易、重新评估）',
    },
    errors: [
      { code: "#VALUE!", key: "unknownValueGrade" },
      { code: "#VALUE!", key: "unknownGrade" },
      { code: "#NUM!", key: "scoreOutOfRange" },
      { code: "#VALUE!", key: "badLanguage" },
      { code: "#VALUE!", key: "badActions" },
      { code: "#VALUE!", key: "columnsDifferInLength" },
      { code: "#VALUE!", key: "notSingleColumn" },
    ],
    run(args, ctx) {
      const p = parseArgs([cells, cells, language, optionalTable(actionsFromCells)], args, ctx);
      if (isCellError(p)) return p;
      const [v, c, lang, table] = p;
      return spilled(riskActions(v.cells, c.cells, ctx.policy, lang, table), v.orientation);
    },
  },
  // ---- Predictive customer value (BG/NBD and Gamma-Gamma): formulas.md, in its order ----
  {
    id: "BGNBD",
    zhName: "BGNBD拟合",
    kind: "sync",
    description: {
      en: "Fits the BG/NBD model (Fader, Hardie & Lee 2005) to purchase histories: one row r, alpha, a, b, for CRM.PALIVE and CRM.PURCHASES.",
      zh: "用购买记录拟合 BG/NBD 模型（Fader、Hardie、Lee，2005）：一行 r、alpha、a、b，供 CRM.PALIVE 与 CRM.PURCHASES 使用。",
    },
    params: [repeatFrequencyParam, recencyParam, ageParam],
    result: range,
    example: {
      formula: "=CRM.BGNBD(B2:B2358, C2:C2358, D2:D2358)",
      en: "0.243, 4.414, 0.793, 2.426 on the 2,357 CDNOW customers (weeks)",
      zh: "CDNOW 的 2,357 个客户（以周计）得 0.243、4.414、0.793、2.426",
    },
    errors: [...historyErrors, ...fitErrors(false)],
    run(args, ctx) {
      const p = parseArgs(historyArgs, args, ctx);
      if (isCellError(p)) return p;
      const fit = bgnbdFit(history(p).columns);
      return isCellError(fit) ? fit : [fit];
    },
  },
  {
    id: "PALIVE",
    zhName: "存活概率",
    kind: "sync",
    description: {
      en: "Probability that each customer is still active (BG/NBD); exactly 1 without repeat purchases.",
      zh: "每个客户仍然活跃的概率（BG/NBD）；没有重复购买的客户恰为 1。",
    },
    params: [repeatFrequencyParam, recencyParam, ageParam, bgnbdParamsParam],
    result: range,
    example: {
      formula: "=CRM.PALIVE(B2:B2358, C2:C2358, D2:D2358, $G$1:$J$1)",
      en: "0.73 for 2 repeat purchases, the last at week 30.43 of 38.86",
      zh: "重复购买 2 次、最近一次在第 30.43 周（共 38.86 周）的客户为 0.73",
    },
    errors: [{ code: "#NUM!", key: "badBgNbdParams" }, ...historyErrors, ...fitErrors(false)],
    run(args, ctx) {
      const p = parseArgs([...historyArgs, bgnbdParams], args, ctx);
      if (isCellError(p)) return p;
      const h = history(p);
      return spilled(aliveProbabilities(h.columns, p[3]), h.orientation);
    },
  },
  {
    id: "PURCHASES",
    zhName: "预期购买次数",
    kind: "sync",
    description: {
      en: "Expected number of purchases of each customer in the next horizon time units (BG/NBD conditional expectation).",
      zh: "每个客户在未来 horizon 个时间单位内的预期购买次数（BG/NBD 条件期望）。",
    },
    params: [
      repeatFrequencyParam,
      recencyParam,
      ageParam,
      {
        name: "horizon",
        shape: range,
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
    errors: [
      { code: "#NUM!", key: "badHorizon" },
      { code: "#NUM!", key: "aIsOne" },
      { code: "#NUM!", key: "seriesDiverged" },
      { code: "#NUM!", key: "badBgNbdParams" },
      ...historyErrors,
      ...fitErrors(false),
    ],
    run(args, ctx) {
      const p = parseArgs([...historyArgs, numbers, bgnbdParams], args, ctx);
      if (isCellError(p)) return p;
      const h = history(p);
      return spilled(expectedPurchaseCounts(h.columns, p[3].column, p[4]), h.orientation);
    },
  },
  {
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
    errors: [
      { code: "#NUM!", key: "badFrequency" },
      { code: "#NUM!", key: "badAvgSpend" },
      ...columnErrors,
      ...fitErrors(true),
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, numbers], args, ctx);
      if (isCellError(p)) return p;
      const [f, m] = p;
      const fit = gammaGammaFit(f.column, m.column);
      return isCellError(fit) ? fit : [fit];
    },
  },
  {
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
    errors: [
      { code: "#NUM!", key: "meanSpendUndefined" },
      { code: "#NUM!", key: "badGammaGammaParams" },
      { code: "#NUM!", key: "badFrequency" },
      { code: "#NUM!", key: "badAvgSpend" },
      ...columnErrors,
      ...fitErrors(true),
    ],
    run(args, ctx) {
      const p = parseArgs([numbers, numbers, gammaGammaParams], args, ctx);
      if (isCellError(p)) return p;
      const [f, m, params] = p;
      return spilled(expectedSpends(f.column, m.column, params), f.orientation);
    },
  },
  {
    id: "PCLV",
    zhName: "预测终身价值",
    kind: "sync",
    description: {
      en: "Predicted value of each customer's purchases over the next months (BG/NBD × Gamma-Gamma, discounted monthly; a month is 30 days), as the lifetimes library defines it.",
      zh: "每个客户未来若干月购买的预测价值（BG/NBD × Gamma-Gamma，按月折现；一个月按 30 天），与 lifetimes 库的定义相同。",
    },
    params: [
      repeatFrequencyParam,
      recencyParam,
      ageParam,
      avgSpendParam,
      {
        name: "months",
        shape: scalar,
        en: "Months ahead, a whole number 0–1200.",
        zh: "向后预测的月数，0 到 1200 的整数。",
      },
      {
        name: "monthly_discount",
        shape: scalar,
        en: "Discount rate per month, > -1 (e.g. 0.01).",
        zh: "月折现率，大于 -1（如 0.01）。",
      },
      {
        name: "unit_days",
        shape: scalar,
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
      { code: "#NUM!", key: "badMonths" },
      { code: "#NUM!", key: "badMonthlyDiscount" },
      { code: "#NUM!", key: "badUnitDays" },
      { code: "#NUM!", key: "aIsOne" },
      { code: "#NUM!", key: "meanSpendUndefined" },
      { code: "#NUM!", key: "seriesDiverged" },
      { code: "#NUM!", key: "badBgNbdParams" },
      { code: "#NUM!", key: "badGammaGammaParams" },
      { code: "#NUM!", key: "badAvgSpend" },
      ...historyErrors,
      ...fitErrors(false),
      { code: "#NUM!", key: "tooFewRepeatBuyers" },
    ],
    run(args, ctx) {
      const kinds = [...historyArgs, numbers, numberOrNaN, numberOrNaN, numberOrNaN] as const;
      const p = parseArgs([...kinds, bgnbdParams, gammaGammaParams], args, ctx);
      if (isCellError(p)) return p;
      const h = history(p);
      const [, , , spend, months, monthlyDiscount, unitDays, purchaseFit, spendFit] = p;
      const horizon = { months, monthlyDiscount, unitDays };
      const values = predictedValues(h.columns, spend.column, horizon, purchaseFit, spendFit);
      return spilled(values, h.orientation);
    },
  },
  // ---- end of the predictive functions ----
  {
    id: "CUSTOMER",
    zhName: "客户字段",
    kind: "async",
    description: {
      en: "A field of a shared customer record, e.g. availableCredit (= creditLimit - receivables - openOrders).",
      zh: "团队共享客户记录的一个字段，例如 availableCredit（= creditLimit - receivables - openOrders）。",
    },
    params: [
      idParam,
      {
        name: "field",
        shape: scalar,
        en: 'Field name, e.g. "creditLimit", "availableCredit" or an extra field.',
        zh: '字段名，如 "creditLimit"、"availableCredit" 或扩展字段。',
      },
    ],
    result: scalar,
    example: {
      formula: '=CRM.CUSTOMER(A2, "availableCredit")',
      en: "the customer's available credit",
      zh: "该客户的可用信用额度",
    },
    errors: [
      { code: "#N/A", key: "signIn" },
      { code: "#N/A", key: "noCustomer" },
      { code: "#VALUE!", key: "noField" },
      { code: "#N/A", key: "apiUnreachable" },
      { code: "#N/A", key: "apiFailed" },
    ],
    run: customerValue,
  },
  {
    id: "CUSTOMERS",
    zhName: "客户列表",
    kind: "async",
    description: {
      en: "The team's customers, one row each, sorted by id, with a header row.",
      zh: "团队的全部客户，每个一行，按编号排序，带标题行。",
    },
    params: [
      {
        name: "fields",
        shape: range,
        optional,
        en: "Field names (default id, name, grade, creditGrade, creditLimit).",
        zh: "字段名（默认 id、name、grade、creditGrade、creditLimit）。",
      },
    ],
    result: range,
    example: {
      formula: '=CRM.CUSTOMERS({"id","name","availableCredit"})',
      en: "a table with a header row",
      zh: "带标题行的表格",
    },
    errors: [
      { code: "#N/A", key: "signIn" },
      { code: "#VALUE!", key: "noField" },
      { code: "#VALUE!", key: "notSingleColumn" },
      { code: "#N/A", key: "apiUnreachable" },
      { code: "#N/A", key: "apiFailed" },
    ],
    async run([fieldsArg], ctx) {
      let fields = DEFAULT_FIELDS;
      if (!isOmitted(fieldsArg)) {
        const flat = columnArg(fieldsArg);
        if (isCellError(flat)) return flat;
        fields = flat.cells.filter((c) => !isOmitted(c) && c !== "").map((c) => String(c).trim());
        if (fields.length === 0) fields = DEFAULT_FIELDS;
      }
      const records = await ctx.team.customers();
      if (isCellError(records)) return records;
      const rows: Cell<unknown>[][] = [fields];
      const seen = new Set<string>();
      for (const record of records) {
        rows.push(
          fields.map((field) => {
            const value = customerField(record, field);
            if (!isCellError(value)) seen.add(field);
            // An extra field another record has: blank here, as for a known field it lacks.
            return isCellError(value) ? BLANK : value;
          }),
        );
      }
      const unknown = fields.find((field) => !isKnownField(field) && !seen.has(field));
      return unknown === undefined ? rows : noField(unknown);
    },
  },
  {
    id: "LIVE",
    zhName: "实时字段",
    kind: "live",
    description: {
      en: "As CRM.CUSTOMER, but the cell updates by itself when anyone on the team changes the record.",
      zh: "与 CRM.CUSTOMER 相同，但团队中任何人修改该记录后单元格会自动更新。",
    },
    params: [idParam, { name: "field", shape: scalar, en: "Field name.", zh: "字段名。" }],
    result: scalar,
    example: {
      formula: '=CRM.LIVE(A2, "creditLimit")',
      en: "the limit, updated within the poll interval (10 s)",
      zh: "信用额度，在轮询间隔（10 秒）内自动更新",
    },
    errors: [
      { code: "#N/A", key: "signIn" },
      { code: "#N/A", key: "noCustomer" },
      { code: "#VALUE!", key: "noField" },
      { code: "#N/A", key: "apiUnreachable" },
      { code: "#N/A", key: "apiFailed" },
    ],
    watch(args, ctx, emit) {
      const id = customerId(args[0]);
      let latest = 0;
      let stopped = false;
      const update = (): void => {
        // Only the newest read may set the cell: an older, slower one must not overwrite it.
        const mine = ++latest;
        void customerValue(args, ctx).then((value) => {
          if (!stopped && mine === latest) emit(value);
        });
      };
      const unwatch = id === "" ? () => {} : ctx.team.watch(id, update);
      update();
      return () => {
        stopped = true;
        unwatch();
      };
    },
  },
  {
    id: "CREDITCHECK",
    zhName: "信用检查",
    kind: "async",
    description: {
      en: '"OK" when the order amount <= the customer\'s available credit, else "HOLD".',
      zh: '订单金额不超过客户可用信用额度时为 "OK"，否则为 "HOLD"。',
    },
    params: [
      idParam,
      {
        name: "order_amount",
        shape: scalar,
        en: "Amount of the order to check.",
        zh: "待检查的订单金额。",
      },
    ],
    result: scalar,
    example: { formula: "=CRM.CREDITCHECK(A2, 50000)", en: '"OK" or "HOLD"', zh: '"OK" 或 "HOLD"' },
    errors: [
      { code: "#N/A", key: "signIn" },
      { code: "#N/A", key: "noCustomer" },
      { code: "#VALUE!", key: "notANumber" },
      { code: "#N/A", key: "apiUnreachable" },
      { code: "#N/A", key: "apiFailed" },
    ],
    async run([idArg, amountArg], ctx) {
      const id = customerId(idArg);
      const amount = optionalNumber(amountArg);
      if (id === "" || amount === null) return BLANK;
      if (isCellError(amount)) return amount;
      const record = await ctx.team.customer(id);
      if (isCellError(record)) return record;
      if (record === null) return noCustomer(id);
      return creditCheck(record, amount);
    },
  },
  {
    id: "HISTORY",
    zhName: "变更历史",
    kind: "async",
    description: {
      en: "The audit trail of a customer, newest first: when, who, field, old, new (with a header row).",
      zh: "客户的变更记录，最新的在前：时间、操作人、字段、旧值、新值（带标题行）。",
    },
    params: [
      idParam,
      {
        name: "field",
        shape: scalar,
        optional,
        en: "Only changes of this field.",
        zh: "只看该字段的变更。",
      },
    ],
    result: range,
    example: {
      formula: '=CRM.HISTORY(A2, "creditLimit")',
      en: "every change of the limit, newest first",
      zh: "信用额度的每次变更，最新的在前",
    },
    errors: [
      { code: "#N/A", key: "signIn" },
      { code: "#N/A", key: "noCustomer" },
      { code: "#N/A", key: "apiUnreachable" },
      { code: "#N/A", key: "apiFailed" },
    ],
    async run([idArg, fieldArg], ctx) {
      const id = customerId(idArg);
      if (id === "") return BLANK;
      const field = customerId(fieldArg);
      const entries = await ctx.team.history(id, field === "" ? null : field);
      if (isCellError(entries)) return entries;
      if (entries === null) return noCustomer(id);
      const rows: Cell<unknown>[][] = [HISTORY_HEADER];
      for (const e of entries)
        rows.push([e.when, e.who, e.field, historyCell(e.old), historyCell(e.new)]);
      return rows;
    },
  },
];
