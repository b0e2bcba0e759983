/**
 * Sample purchase histories for the preview page, so the grading wizard's "Predicted value"
 * can be tried without one's own table: the first 200 customers of the public CDNOW data set
 * (Fader, Hardie & Lee 2005; `test/data/cdnow_customers_summary_with_transactions.csv`), the
 * first-quarter 1997 cohort observed for 39 weeks, with the weeks turned into whole days so
 * the wizard's default time unit fits. Per customer: repeat purchases, days from the first to
 * the last purchase, days since the first purchase, the mean repeat purchase (US$) and the
 * repeat revenue (repeat purchases × their mean), which the wizard's other outputs grade by.
 */
import type { NewTable } from "../workbook/port.ts";

/** Sheet and table of the sample. */
export const SAMPLE_HISTORIES = "PurchaseHistories";

// Four numbers per customer: repeat purchases, first-to-last days, age in days, mean repeat spend.
const CDNOW_FIRST_200 = `
2 213 272 22.35  1 12 272 11.77  0 0 272 0  0 0 272 0  0 0 272 0  7 206 272 73.74
1 35 272 11.77  0 0 272 0  2 250 272 25.55  0 0 272 0  5 171 272 29.44  0 0 272 0  0 0 272 0
0 0 272 0  0 0 272 0  0 0 272 0  10 239 272 24.24  1 34 272 9.99  3 198 271 25.08  0 0 271 0
2 102 271 32.3  0 0 271 0  0 0 271 0  0 0 271 0  0 0 271 0  1 11 271 227.14  0 0 271 0
1 206 271 80.46  0 0 271 0  1 41 271 40.47  0 0 271 0  0 0 271 0  0 0 271 0  0 0 271 0
1 190 271 31.14  0 0 271 0  0 0 271 0  1 15 271 13.97  0 0 271 0  0 0 271 0  0 0 270 0
0 0 270 0  0 0 270 0  0 0 270 0  1 171 270 14.96  12 241 270 29.54  0 0 270 0  0 0 270 0
1 11 270 14.37  0 0 270 0  0 0 270 0  0 0 270 0  0 0 270 0  0 0 270 0  0 0 270 0
2 232 270 28.03  1 30 270 15.36  0 0 269 0  1 269 269 6.49  0 0 269 0  4 206 269 53.4  0 0 269 0
1 113 269 43.13  0 0 269 0  0 0 269 0  0 0 269 0  2 148 269 133.48  0 0 269 0  0 0 269 0
3 205 269 42.63  0 0 269 0  0 0 269 0  1 41 269 69.23  0 0 269 0  1 36 269 20.77  0 0 269 0
0 0 269 0  0 0 268 0  3 118 268 20.22  0 0 268 0  0 0 268 0  1 52 268 42.09  0 0 268 0
0 0 268 0  0 0 268 0  7 185 268 27.63  0 0 268 0  10 248 268 13.66  0 0 268 0  0 0 268 0
1 233 268 14.99  6 262 268 50.87  0 0 268 0  0 0 268 0  0 0 268 0  0 0 268 0  0 0 268 0
2 223 268 33.42  4 263 268 20.68  1 167 268 26.22  5 253 267 17.47  0 0 267 0  0 0 267 0
0 0 267 0  1 169 267 92.8  1 43 267 52.3  0 0 267 0  0 0 267 0  1 2 267 39.09  0 0 267 0
1 2 267 12.97  0 0 267 0  0 0 267 0  1 169 267 24.99  0 0 267 0  1 37 267 28.31  0 0 267 0
0 0 267 0  0 0 267 0  0 0 267 0  1 21 267 13.77  0 0 267 0  0 0 267 0  0 0 267 0  1 50 267 36.71
0 0 266 0  0 0 266 0  0 0 266 0  4 53 266 13.62  3 182 266 19.36  0 0 266 0  1 168 266 71.66
2 199 266 13.87  0 0 266 0  1 164 266 19.54  2 52 266 23.48  0 0 266 0  2 118 266 51.8
1 15 266 29.33  1 110 266 23.54  0 0 266 0  5 48 266 35.58  2 200 266 15.16  7 239 266 22.92
2 250 266 18.98  0 0 266 0  4 205 266 29.86  13 265 266 29.34  0 0 266 0  4 231 266 28.53
4 247 266 24.94  0 0 266 0  0 0 266 0  1 20 266 16.7  0 0 266 0  1 45 266 34.32
29 264 266 26.26  0 0 265 0  3 173 265 46.59  0 0 265 0  0 0 265 0  1 14 265 46.28  0 0 265 0
10 259 265 62.44  0 0 265 0  0 0 265 0  13 197 265 25.46  0 0 265 0  0 0 265 0  1 262 265 14.49
0 0 265 0  0 0 265 0  0 0 265 0  0 0 265 0  0 0 265 0  0 0 264 0  0 0 264 0  6 230 264 35.18
8 253 264 49.25  0 0 264 0  0 0 264 0  0 0 264 0  1 35 264 15.76  0 0 264 0  4 253 264 33.91
0 0 264 0  2 55 264 11.87  3 148 264 37.99  3 42 264 28.46  0 0 264 0  0 0 264 0  0 0 264 0
0 0 264 0  0 0 264 0  6 189 264 28.77  0 0 264 0  1 11 264 27.13  0 0 264 0  0 0 264 0
2 100 263 41.48
`;

/** The sample's columns, named so the wizard guesses each one (see pages/grade.ts). */
export const SAMPLE_HISTORY_HEADERS = [
  "id",
  "repeatPurchases",
  "firstToLastDays",
  "ageDays",
  "avgSpend",
  "revenue",
] as const;

/** The sample as rows of {@link SAMPLE_HISTORY_HEADERS}, ids `CDNOW-001` to `CDNOW-200`. */
export function samplePurchaseHistories(): (string | number)[][] {
  const numbers = CDNOW_FIRST_200.trim().split(/\s+/).map(Number);
  return Array.from({ length: numbers.length / 4 }, (_, i) => {
    const [repeat = 0, firstToLast = 0, age = 0, avgSpend = 0] = numbers.slice(4 * i, 4 * i + 4);
    const revenue = Math.round(repeat * avgSpend * 100) / 100;
    const id = `CDNOW-${String(i + 1).padStart(3, "0")}`;
    return [id, repeat, firstToLast, age, avgSpend, revenue];
  });
}

/** The sample as a table for the in-memory workbook. */
export function samplePurchaseHistoriesTable(): NewTable {
  return {
    sheet: SAMPLE_HISTORIES,
    name: SAMPLE_HISTORIES,
    table: { headers: [...SAMPLE_HISTORY_HEADERS], rows: samplePurchaseHistories() },
    textHeaders: ["id"],
  };
}
