/** CRM.VALUEMATRIX: the value × loyalty matrix (高价值高忠诚 … 低价值低忠诚). */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { commonLength } from "./columns.ts";
import { errors } from "./errors.ts";
import { type SegmentLanguage, segmentLanguage } from "./segmentNames.ts";

// Index = 2·(value high) + (loyalty high).
const NAMES: Readonly<Record<SegmentLanguage, readonly string[]>> = {
  zh: ["低价值低忠诚", "低价值高忠诚", "高价值低忠诚", "高价值高忠诚"],
  en: [
    "Low value, low loyalty",
    "Low value, high loyalty",
    "High value, low loyalty",
    "High value, high loyalty",
  ],
};

/** The median of the numbers (the mean of the middle two for an even count, as Excel's MEDIAN). */
export function median(numbers: Float64Array): number {
  const sorted = Float64Array.from(numbers).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >>> 1;
  return n % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function cut(given: number | null | undefined, column: Column, counted: Uint8Array): number {
  if (given !== null && given !== undefined) return given;
  let count = 0;
  for (let i = 0; i < counted.length; i++) if (counted[i] === 1) count++;
  const numbers = new Float64Array(count);
  for (let i = 0, k = 0; i < counted.length; i++)
    if (counted[i] === 1) numbers[k++] = column.values[i] as number;
  return median(numbers);
}

/**
 * CRM.VALUEMATRIX: "High value, high loyalty" … per row; high means `>= cut`, a cut omitted
 * (`null`) is the median of the counted rows. A row counts when both cells are numbers;
 * both blank → blank; otherwise `#VALUE!`.
 */
export function valueMatrix(
  value: Column,
  loyalty: Column,
  valueCut: number | null | undefined,
  loyaltyCut: number | null | undefined,
  language: unknown,
): Cell<string>[] | CellError {
  const lang = segmentLanguage(language);
  if (lang === undefined) return errors.badLanguage;
  for (const given of [valueCut, loyaltyCut]) {
    if (given !== null && given !== undefined && !Number.isFinite(given)) return errors.notANumber;
  }
  const n = commonLength(value, loyalty);
  if (typeof n !== "number") return n;
  const counted = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    counted[i] = value.kinds[i] === CellKind.Number && loyalty.kinds[i] === CellKind.Number ? 1 : 0;
  }
  const valueLine = cut(valueCut, value, counted);
  const loyaltyLine = cut(loyaltyCut, loyalty, counted);
  const names = NAMES[lang];
  const out = new Array<Cell<string>>(n);
  for (let i = 0; i < n; i++) {
    if (counted[i] === 1) {
      const high =
        ((value.values[i] as number) >= valueLine ? 2 : 0) +
        ((loyalty.values[i] as number) >= loyaltyLine ? 1 : 0);
      out[i] = names[high] as string;
    } else {
      const bothBlank = value.kinds[i] === CellKind.Blank && loyalty.kinds[i] === CellKind.Blank;
      out[i] = bothBlank ? BLANK : errors.notANumber;
    }
  }
  return out;
}
