/**
 * The cell errors the formulas return, frozen and shared: a million-row result holds
 * pointers to these few objects, never one allocation per row.
 */
import type { CellError, ErrorCode } from "./cells.ts";
import type { MessageKey } from "./messages/index.ts";

function cellError(code: ErrorCode, key: MessageKey, params?: Record<string, string>): CellError {
  return Object.freeze(
    params === undefined ? { code, key } : { code, key, params: Object.freeze(params) },
  );
}

/** Errors without parameters, one frozen object each. */
export const errors = {
  notSingleColumn: cellError("#VALUE!", "notSingleColumn"),
  columnsDifferInLength: cellError("#VALUE!", "columnsDifferInLength"),
  notANumber: cellError("#VALUE!", "notANumber"),
  badShares: cellError("#NUM!", "badShares"),
  totalNotPositive: cellError("#DIV/0!", "totalNotPositive"),
  badBins: cellError("#NUM!", "badBins"),
  badLanguage: cellError("#VALUE!", "badLanguage"),
  badRetention: cellError("#NUM!", "badRetention"),
  badDiscountRate: cellError("#NUM!", "badDiscountRate"),
  clvDiverges: cellError("#NUM!", "clvDiverges"),
  badPeriods: cellError("#NUM!", "badPeriods"),
  clvOverflow: cellError("#NUM!", "clvOverflow"),
  factorOutOfRange: cellError("#NUM!", "factorOutOfRange"),
  scoreOutOfRange: cellError("#NUM!", "scoreOutOfRange"),
  badBands: cellError("#VALUE!", "badBands"),
  negativeBasis: cellError("#NUM!", "negativeBasis"),
  badAsOf: cellError("#VALUE!", "badAsOf"),
  badBucketDays: cellError("#NUM!", "badBucketDays"),
  // Credit explained, value × risk (CREDITEXPLAIN, GRADEGAP, RISKMATRIX).
  badActions: cellError("#VALUE!", "badActions"),
  // Predictive customer value.
  badFrequency: cellError("#NUM!", "badFrequency"),
  badAge: cellError("#NUM!", "badAge"),
  badRecency: cellError("#NUM!", "badRecency"),
  recencyExceedsAge: cellError("#NUM!", "recencyExceedsAge"),
  recencyWithoutRepeats: cellError("#NUM!", "recencyWithoutRepeats"),
  badAvgSpend: cellError("#NUM!", "badAvgSpend"),
  fitUnbounded: cellError("#NUM!", "fitUnbounded"),
  fitNotConverged: cellError("#NUM!", "fitNotConverged"),
  badBgNbdParams: cellError("#NUM!", "badBgNbdParams"),
  badGammaGammaParams: cellError("#NUM!", "badGammaGammaParams"),
  aIsOne: cellError("#NUM!", "aIsOne"),
  meanSpendUndefined: cellError("#NUM!", "meanSpendUndefined"),
  badHorizon: cellError("#NUM!", "badHorizon"),
  seriesDiverged: cellError("#NUM!", "seriesDiverged"),
  badMonths: cellError("#NUM!", "badMonths"),
  badMonthlyDiscount: cellError("#NUM!", "badMonthlyDiscount"),
  badUnitDays: cellError("#NUM!", "badUnitDays"),
  // The team's shared data (CRM.CUSTOMER and the other team functions).
  signIn: cellError("#N/A", "signIn"),
} as const;

/** The code of each error whose message names something (an id, a field, a count). */
const CODES_WITH_PARAMS = {
  noCustomer: "#N/A",
  noField: "#VALUE!",
  apiUnreachable: "#N/A",
  apiFailed: "#N/A",
  badWeights: "#NUM!",
  badFactorCount: "#VALUE!",
  unknownGrade: "#VALUE!",
  unknownValueGrade: "#VALUE!",
  tooFewRepeatBuyers: "#NUM!",
  tooFewCustomers: "#NUM!",
} as const satisfies Partial<Record<MessageKey, ErrorCode>>;

type KeyWithParams = keyof typeof CODES_WITH_PARAMS;

function withParams(key: KeyWithParams, params: Record<string, string>): CellError {
  return cellError(CODES_WITH_PARAMS[key], key, params);
}

/** The message key of every cell error, e.g. `"badShares"` or `"noCustomer"`. */
export type CellErrorKey = keyof typeof errors | KeyWithParams;

/** The code of the cell error with this key (the docs list errors by key): `#NUM!` for `"badShares"`. */
export function errorCode(key: CellErrorKey): ErrorCode {
  return key in errors
    ? errors[key as keyof typeof errors].code
    : CODES_WITH_PARAMS[key as KeyWithParams];
}

/** `#N/A` "No customer {id}". */
export function noCustomer(id: string): CellError {
  return withParams("noCustomer", { id });
}

/** `#VALUE!` "No field {field}". */
export function noField(field: string): CellError {
  return withParams("noField", { field });
}

/** `#N/A`: the team's API could not be reached ({reason}). */
export function apiUnreachable(reason: string): CellError {
  return withParams("apiUnreachable", { reason });
}

/** `#N/A`: the team's API refused the request ({reason}). */
export function apiFailed(reason: string): CellError {
  return withParams("apiFailed", { reason });
}

/** `#NUM!` "weights must be {count} numbers…". */
export function badWeights(count: number): CellError {
  return withParams("badWeights", { count: String(count) });
}

/** `#VALUE!` "factors must have {count} columns". */
export function badFactorCount(count: number): CellError {
  return withParams("badFactorCount", { count: String(count) });
}

/** `#VALUE!` "Unknown grade {grade}". */
export function unknownGrade(grade: string): CellError {
  return withParams("unknownGrade", { grade });
}

/** `#VALUE!` "Unknown value grade {grade}: use A, B, C or D". */
export function unknownValueGrade(grade: string): CellError {
  return withParams("unknownValueGrade", { grade });
}

/** `#NUM!` "the fit needs at least {count} usable rows" (with frequency > 0 for Gamma-Gamma). */
export function tooFewRows(count: number, repeatBuyers: boolean): CellError {
  return withParams(repeatBuyers ? "tooFewRepeatBuyers" : "tooFewCustomers", {
    count: String(count),
  });
}
