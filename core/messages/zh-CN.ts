import type { MessageKey } from "./en.ts";

/** 简体中文 messages, keyed by the same codes as `en.ts`. */
export const zhCN: Record<MessageKey, string> = {
  notSingleColumn: "此处需要单独一列或一行",
  columnsDifferInLength: "各列的长度不一致",
  notANumber: "不是数字",
  signIn: "请在 CRM 任务窗格中登录",
  noCustomer: "找不到客户 {id}",
  noField: "没有字段 {field}",
  apiUnreachable: "无法连接 CRM 服务：{reason}。下次计算时会自动重试。",
  apiFailed: "CRM 服务拒绝了请求：{reason}",
  unexpected: "{name} 出现意外错误：{reason}",
  badShares: "a_share 和 b_share 须满足 0 < a_share <= b_share <= 1",
  totalNotPositive: "各值之和不是正数",
  badBins: "bins 须为 2 到 10 之间的整数",
  badLanguage: 'language 须为 "en" 或 "zh"',
  badRetention: "retention（保留率）须在 0 到 1 之间",
  badDiscountRate: "discount_rate（折现率）须大于 -1",
  clvDiverges: "省略 periods 时，1 + discount_rate - retention 须大于 0",
  badPeriods: "periods 须为大于或等于 0 的整数",
  clvOverflow: "客户终身价值超出了数字的范围",
  badWeights: "weights 须为 {count} 个数字，不能为负，也不能全为 0",
  badFactorCount: "factors 须有 {count} 列",
  factorOutOfRange: "每个因素的分值须在 0 到 100 之间",
  scoreOutOfRange: "评分须在 0 到 100 之间",
  badBands:
    "bands 须为（等级，最低分）的行：等级为文本且不能重复，最低分在 0 到 100 之间且不能重复，其中须有一个为 0",
  unknownGrade: "未知的信用等级 {grade}",
  negativeBasis: "basis（计算基数）不能为负数",
  badAsOf: "as_of 须为日期",
  badBucketDays: "bucket_days 须为大于或等于 1 的整数天数，且严格递增",
  // 信用评分解释、价值 × 风险（CREDITEXPLAIN、GRADEGAP、RISKMATRIX）。
  badActions: "actions 须为 3 × 3 的标签区域：行为 A、B、C，列为低、中、高风险",
  unknownValueGrade: "未知的价值等级 {grade}：须为 A、B、C 或 D",
};
