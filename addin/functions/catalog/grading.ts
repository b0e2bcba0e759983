/**
 * The grading functions: ABC, Pareto, RFM and its segments, the value matrix, CLV and
 * weighted scores.
 * Each implementation is a thin wrapper: its arguments read by kind (../args.ts), one
 * `core/` call, cells out.
 */
import {
  gradeByCumulativeShare,
  isCellError,
  lifetimeValue,
  paretoShares,
  rfmScores,
  rfmSegments,
  valueMatrix,
  weightedScores,
} from "../../../core/index.ts";
import {
  block,
  number,
  numbers,
  optionalColumn,
  optionalNumberIn,
  optionalNumbers,
} from "../args.ts";
import { define, type FunctionEntry, type ParamSpec } from "../entry.ts";
import { spillColumns, spilled } from "../shapes.ts";
import { languageParam, optional, range } from "./params.ts";

/** `a_share`, `b_share`: formulas.md makes a text share `#NUM!`, like one out of range. */
const shareOption = optionalNumberIn("badShares");

/** RFM's recency, frequency and monetary columns, described once for RFM and RFMSEGMENT. */
const rfmParams = [
  {
    name: "recency_days",
    kind: numbers,
    en: "Days since the last purchase.",
    zh: "距最近一次购买的天数。",
  },
  { name: "frequency", kind: numbers, en: "Number of purchases.", zh: "购买次数。" },
  { name: "monetary", kind: numbers, en: "Amount spent.", zh: "消费金额。" },
] as const satisfies readonly ParamSpec[];

/** VALUEMATRIX's optional cut of `what` (value or loyalty): high at or above it. */
function cutParam(what: string, en: string, zh: string) {
  return {
    name: `${what}_cut`,
    kind: number,
    optional,
    en: `${en} at or above which ${what} is high (default: median).`,
    zh: `${zh}的分界值（默认：中位数）。`,
  } as const satisfies ParamSpec;
}

export const gradingFunctions: readonly FunctionEntry[] = [
  define({
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
        kind: numbers,
        en: "Revenue, profit or any value per customer (a column or row).",
        zh: "每个客户的收入、利润或其他价值（一列或一行）。",
      },
      {
        name: "a_share",
        kind: shareOption,
        optional,
        en: "Cumulative share that ends grade A (default 0.8).",
        zh: "A 类的累计占比上限（默认 0.8）。",
      },
      {
        name: "b_share",
        kind: shareOption,
        optional,
        en: "Cumulative share that ends grade B (default 0.95).",
        zh: "B 类的累计占比上限（默认 0.95）。",
      },
    ],
    result: range,
    example: { formula: "=CRM.ABC({50;30;10;5;5})", en: "A, A, B, B, B", zh: "A、A、B、B、B" },
    // formulas.md: shares outside 0 < a <= b <= 1 are #NUM!, as a text share is (shareOption).
    errors: [],
    run: ([v, a, b]) => spilled(gradeByCumulativeShare(v.column, a, b), v.orientation),
  }),
  define({
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
        kind: numbers,
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
    errors: ["totalNotPositive"],
    run: ([v]) => spilled(paretoShares(v.column), v.orientation),
  }),
  define({
    id: "RFM",
    zhName: "RFM评分",
    kind: "sync",
    description: {
      en: "Recency, frequency and monetary quantile scores, 1 (worst) to bins (best): one row of R, F, M per customer.",
      zh: "最近消费、消费频率、消费金额的分位评分，1（最差）到 bins（最好）：每个客户一行 R、F、M。",
    },
    params: [
      ...rfmParams,
      {
        name: "bins",
        kind: optionalNumberIn("badBins"),
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
    errors: [],
    run([r, f, m, bins]) {
      const scores = rfmScores(r.column, f.column, m.column, bins);
      if (isCellError(scores)) return scores;
      // A column of customers gives n rows of (R, F, M); a row of customers gives 3 rows.
      return spillColumns([scores.r, scores.f, scores.m], r.orientation);
    },
  }),
  define({
    id: "RFMSEGMENT",
    zhName: "RFM分类",
    kind: "sync",
    description: {
      en: "The eight-class RFM model (Important value … General win-back), each of R, F, M high or low against its mean.",
      zh: "RFM 八类客户模型（重要价值客户……一般挽留客户），R、F、M 各按均值分高低。",
    },
    params: [...rfmParams, languageParam],
    result: range,
    example: {
      formula: '=CRM.RFMSEGMENT(B2:B6, C2:C6, D2:D6, "zh")',
      en: "重要价值客户 for a recent, frequent, big spender",
      zh: "最近、频繁、高消费的客户为 重要价值客户",
    },
    errors: [],
    run: ([r, f, m, lang]) =>
      spilled(rfmSegments(r.column, f.column, m.column, lang), r.orientation),
  }),
  define({
    id: "VALUEMATRIX",
    zhName: "价值矩阵",
    kind: "sync",
    description: {
      en: "The value × loyalty matrix: High/Low value, high/low loyalty, high meaning >= the cut (default: the median).",
      zh: "价值 × 忠诚度矩阵：高/低价值、高/低忠诚，不小于分界值为高（默认取中位数）。",
    },
    params: [
      { name: "value", kind: numbers, en: "Customer value.", zh: "客户价值。" },
      { name: "loyalty", kind: numbers, en: "Customer loyalty.", zh: "客户忠诚度。" },
      cutParam("value", "Value", "价值"),
      cutParam("loyalty", "Loyalty", "忠诚度"),
      languageParam,
    ],
    result: range,
    example: {
      formula: '=CRM.VALUEMATRIX({90;40;70;20}, {80;30;20;90}, , , "en")',
      en: "High value, high loyalty; Low value, low loyalty; High value, low loyalty; Low value, high loyalty (both cuts are the median, 55)",
      zh: "依次为 High value, high loyalty; Low value, low loyalty; High value, low loyalty; Low value, high loyalty（两个分界都是中位数 55）",
    },
    errors: [],
    run: ([v, l, vc, lc, lang]) =>
      spilled(valueMatrix(v.column, l.column, vc, lc, lang), v.orientation),
  }),
  define({
    id: "CLV",
    zhName: "客户终身价值",
    kind: "sync",
    description: {
      en: "Customer lifetime value with margins at the end of each period (Gupta & Lehmann); any argument may be a column.",
      zh: "客户终身价值（每期期末计利润，Gupta & Lehmann）；任一参数都可以是一列。",
    },
    params: [
      { name: "margin", kind: numbers, en: "Margin per period.", zh: "每期利润。" },
      { name: "retention", kind: numbers, en: "Retention rate, 0–1.", zh: "保留率，0 到 1。" },
      {
        name: "discount_rate",
        kind: numbers,
        en: "Discount rate per period, > -1.",
        zh: "每期折现率，大于 -1。",
      },
      {
        name: "periods",
        kind: optionalNumbers,
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
    errors: ["badRetention", "badDiscountRate", "clvDiverges", "badPeriods"],
    run([m, r, d, n]) {
      // Scalars broadcast: the result takes the orientation of the longest argument.
      let longest = m;
      for (const c of [r, d, n])
        if (c && c.column.kinds.length > longest.column.kinds.length) longest = c;
      const values = lifetimeValue(m.column, r.column, d.column, n?.column ?? null);
      return spilled(values, longest.orientation);
    },
  }),
  define({
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
        kind: block,
        en: "n × k block: one row per customer, one column per factor.",
        zh: "n × k 区域：每行一个客户，每列一个因素。",
      },
      {
        name: "weights",
        kind: optionalColumn,
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
    errors: ["badWeights"],
    run: ([factors, weights]) => spilled(weightedScores(factors, weights), "column"),
  }),
];
