/**
 * The CDNOW customers of Fader, Hardie & Lee (2005), as the papers and `lifetimes` use them:
 * 2,357 customers of the first-quarter 1997 cohort, in weeks, observed to week 39 (78 for
 * the full data). `test/data/cdnow_customers_summary.csv` has ID, frequency, recency, T;
 * `cdnow_customers_summary_with_transactions.csv` ID, x, t_x, T and zbar (mean repeat spend).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function csvColumns(file: string): number[][] {
  const text = readFileSync(fileURLToPath(new URL(`./data/${file}`, import.meta.url)), "utf8");
  const rows = text
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map(Number));
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, j) => rows.map((row) => row[j] as number));
}

/** Repeat purchases, recency and age (weeks) of the 2,357 customers. */
export function cdnowSummary(): { frequency: number[]; recency: number[]; age: number[] } {
  const [, frequency = [], recency = [], age = []] = csvColumns("cdnow_customers_summary.csv");
  return { frequency, recency, age };
}

/** Every column of the first `count` customers (all by default), with mean repeat spend (US$). */
export function cdnowCustomers(count?: number): {
  frequency: number[];
  recency: number[];
  age: number[];
  avgSpend: number[];
} {
  const [, frequency = [], recency = [], age = [], avgSpend = []] = csvColumns(
    "cdnow_customers_summary_with_transactions.csv",
  ).map((column) => column.slice(0, count));
  return { frequency, recency, age, avgSpend };
}
