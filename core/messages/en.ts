/** English messages, keyed by code. Every key here must exist in every other language. */
export const en = {
  // Conventions shared by every formula (formulas.md).
  notSingleColumn: "expects a single column or row",
  columnsDifferInLength: "columns differ in length",
  notANumber: "not a number",
  // Team functions.
  signIn: "Sign in from the CRM task pane",
  noCustomer: "No customer {id}",
  noField: "No field {field}",
  apiUnreachable: "Cannot reach the CRM service: {reason}. It will retry on the next calculation.",
  apiFailed: "The CRM service refused the request: {reason}",
  unexpected: "Unexpected error in {name}: {reason}",
  // Grading.
  badShares: "a_share and b_share need 0 < a_share <= b_share <= 1",
  totalNotPositive: "the sum of the values is not positive",
  badBins: "bins must be a whole number from 2 to 10",
  badLanguage: 'language must be "en" or "zh"',
  // CLV.
  badRetention: "retention must be between 0 and 1",
  badDiscountRate: "discount_rate must be greater than -1",
  clvDiverges: "1 + discount_rate - retention must be greater than 0 when periods is omitted",
  badPeriods: "periods must be a whole number, 0 or more",
  clvOverflow: "the lifetime value is too large for a number",
  // Scores and credit.
  badWeights: "weights must be {count} numbers, none negative and not all 0",
  badFactorCount: "factors must have {count} columns",
  factorOutOfRange: "each factor must be between 0 and 100",
  scoreOutOfRange: "score must be between 0 and 100",
  badBands:
    "bands must be rows of (grade, min score): distinct grades as text, distinct min scores from 0 to 100, one of them 0",
  unknownGrade: "Unknown grade {grade}",
  negativeBasis: "basis must not be negative",
  // Aging.
  badAsOf: "as_of must be a date",
  badBucketDays: "bucket_days must be whole numbers of days, 1 or more, strictly ascending",
  // Credit explained, value × risk (CREDITEXPLAIN, GRADEGAP, RISKMATRIX).
  badActions:
    "actions must be a 3 × 3 range of labels: rows A, B, C; columns low, medium, high risk",
  unknownValueGrade: "Unknown value grade {grade}: use A, B, C or D",
  // Predictive customer value (BG/NBD and Gamma-Gamma).
  badFrequency: "frequency must be a whole number, 0 or more",
  badAge: "age must be greater than 0",
  badRecency: "recency must be 0 or more",
  recencyExceedsAge: "recency exceeds age",
  recencyWithoutRepeats: "recency must be 0 when frequency is 0",
  badAvgSpend: "avg_spend must be greater than 0 where frequency > 0",
  tooFewCustomers: "the fit needs at least {count} usable rows",
  tooFewRepeatBuyers: "the fit needs at least {count} usable rows with frequency > 0",
  fitUnbounded:
    "the fit did not converge: a parameter runs off to 0 or infinity (the data cannot tell it apart)",
  fitNotConverged: "the fit did not converge",
  badBgNbdParams: "params must be 4 numbers r, alpha, a, b, each greater than 0",
  badGammaGammaParams: "params must be 3 numbers p, q, v, each greater than 0",
  aIsOne: "expected purchases are undefined when a = 1 (the closed form is 0/0)",
  meanSpendUndefined: "the mean spend is undefined when q <= 1",
  badHorizon: "horizon must be 0 or more",
  seriesDiverged: "the expected purchases overflow for this horizon",
  badMonths: "months must be a whole number from 0 to 1200",
  badMonthlyDiscount: "monthly_discount must be greater than -1",
  badUnitDays: "unit_days must be greater than 0",
} as const;

/** A message code known in every language. */
export type MessageKey = keyof typeof en;
