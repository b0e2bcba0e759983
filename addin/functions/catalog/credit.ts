/**
 * The credit functions: 5C score, grade, limit and term from the team policy, aging, and
 * the explained credit (points, gap to the next grade, value × risk actions).
 * Each implementation is a thin wrapper: its arguments read by kind (../args.ts), one
 * `core/` call, cells out.
 */
import {
  actionsFromCells,
  ageBuckets,
  agingTotals,
  creditGrades,
  creditLimits,
  creditPoints,
  creditScores,
  creditTerms,
  gradeGaps,
  isCellError,
  riskActions,
} from "../../../core/index.ts";
import {
  bands,
  block,
  cells,
  numbers,
  optionalColumn,
  optionalNumberIn,
  optionalTable,
  withErrors,
} from "../args.ts";
import { define, type FunctionEntry, type ParamSpec } from "../entry.ts";
import { spillColumns, spilled } from "../shapes.ts";
import { languageParam, optional, range } from "./params.ts";

// Parameters shared by several functions, described once.
const asOfParam = {
  name: "as_of",
  // A text date is `#VALUE!` "as_of must be a date".
  kind: optionalNumberIn("badAsOf"),
  optional,
  en: "Aging date (default: today).",
  zh: "账龄计算日（默认：今天）。",
} as const satisfies ParamSpec;

const bandsParam = {
  name: "bands",
  kind: bands,
  optional,
  en: "Override: a two-column block of (grade, min score) rows.",
  zh: "可选：两列（等级，最低分）区域，替代政策中的等级。",
} as const satisfies ParamSpec;

const bucketDaysParam = {
  name: "bucket_days",
  kind: withErrors(optionalColumn, "badBucketDays"),
  optional,
  en: "Bucket boundaries in days (default 30, 60, 90).",
  zh: "区间分界天数（默认 30、60、90）。",
} as const satisfies ParamSpec;

const dueDatesParam = {
  name: "due_dates",
  kind: numbers,
  en: "Due dates (Excel dates).",
  zh: "到期日（Excel 日期）。",
} as const satisfies ParamSpec;

// CREDITGRADE and GRADEGAP take the same scores and bands and fail alike.
const scoreParams = [
  { name: "score", kind: numbers, en: "Credit scores, 0–100.", zh: "信用评分，0 到 100。" },
  bandsParam,
] as const satisfies readonly ParamSpec[];

// CREDITSCORE and CREDITEXPLAIN read the same 5C block and weights, and fail alike.
const fiveCParams = [
  {
    name: "factors",
    kind: block,
    en: "n × 5 block of 5C factors, each 0–100.",
    zh: "n × 5 的 5C 因素区域，每项 0 到 100。",
  },
  {
    name: "weights",
    kind: optionalColumn,
    optional,
    en: "5 weights (default: the team policy's).",
    zh: "5 个权重（默认：团队信用政策的权重）。",
  },
] as const satisfies readonly ParamSpec[];

const fiveCErrors = ["factorOutOfRange", "badWeights", "badFactorCount"] as const;

const scoreOrGradeParam = {
  name: "score_or_grade",
  kind: cells,
  en: "Credit score (0–100) or grade label per customer.",
  zh: "每个客户的信用评分（0 到 100）或信用等级。",
} as const satisfies ParamSpec;

export const creditFunctions: readonly FunctionEntry[] = [
  define({
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
    run: ([factors, weights], ctx) => spilled(creditScores(factors, ctx.policy, weights), "column"),
  }),
  define({
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
    errors: ["scoreOutOfRange"],
    run: ([scores, table], ctx) =>
      spilled(creditGrades(scores.column, ctx.policy, table), scores.orientation),
  }),
  define({
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
        kind: numbers,
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
    errors: ["negativeBasis", "scoreOutOfRange", "unknownGrade"],
    run([s, basis, table], ctx) {
      const orientation =
        s.cells.length >= basis.column.kinds.length ? s.orientation : basis.orientation;
      return spilled(creditLimits(s.cells, basis.column, ctx.policy, table), orientation);
    },
  }),
  define({
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
    errors: ["scoreOutOfRange", "unknownGrade"],
    run: ([s, table], ctx) => spilled(creditTerms(s.cells, ctx.policy, table), s.orientation),
  }),
  define({
    id: "AGING",
    zhName: "账龄分析",
    kind: "sync",
    description: {
      en: "Receivables aging: one row of totals per bucket (Current, 1-30, 31-60, 61-90, 90+ by default).",
      zh: "应收账款账龄分析：按区间汇总金额的一行（默认 Current、1-30、31-60、61-90、90+）。",
    },
    params: [
      dueDatesParam,
      { name: "amounts", kind: numbers, en: "Amounts due.", zh: "应收金额。" },
      asOfParam,
      bucketDaysParam,
    ],
    result: range,
    example: {
      formula: "=CRM.AGING(B2:B100, C2:C100, DATE(2026,6,30))",
      en: "one row: Current, 1-30, 31-60, 61-90, 90+ totals",
      zh: "一行：各账龄区间的合计",
    },
    errors: [],
    run([d, a, at, bounds], ctx) {
      const totals = agingTotals(d.column, a.column, at ?? ctx.today(), bounds);
      return isCellError(totals) ? totals : [totals];
    },
  }),
  define({
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
    errors: [],
    run: ([d, at, bounds], ctx) =>
      spilled(ageBuckets(d.column, at ?? ctx.today(), bounds), d.orientation),
  }),
  // ---- credit explained, value × risk (issue 13, credit part) ----
  define({
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
    run([factors, weights], ctx) {
      const points = creditPoints(factors, ctx.policy, weights);
      return isCellError(points) ? points : spillColumns(points, "column");
    },
  }),
  define({
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
    errors: ["scoreOutOfRange"],
    run([scores, table], ctx) {
      const gaps = gradeGaps(scores.column, ctx.policy, table);
      return spillColumns([gaps.next, gaps.points], scores.orientation);
    },
  }),
  define({
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
        kind: cells,
        en: "ABC grade per customer: A, B, C, or D (loss-making).",
        zh: "每个客户的 ABC 等级：A、B、C，或 D（亏损客户）。",
      },
      {
        name: "credit_grade",
        kind: cells,
        en: "Credit grade (or score) per customer, from the team policy.",
        zh: "每个客户的信用等级（或评分），按团队信用政策。",
      },
      languageParam,
      {
        name: "actions",
        kind: withErrors(optionalTable(actionsFromCells), "badActions"),
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
    errors: ["unknownValueGrade", "unknownGrade", "scoreOutOfRange"],
    run: ([v, c, lang, table], ctx) =>
      spilled(riskActions(v.cells, c.cells, ctx.policy, lang, table), v.orientation),
  }),
];
