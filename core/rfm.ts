/** CRM.RFM and CRM.RFMSEGMENT: recency, frequency and monetary scores and the eight RFM classes. */
import { BLANK, type Cell, type CellError, CellKind, type Column } from "./cells.ts";
import { commonLength } from "./columns.ts";
import { errors } from "./errors.ts";
import { type SegmentLanguage, segmentLanguage } from "./segmentNames.ts";
import { type SortScratch, sortRows, sortScratch } from "./sortedRows.ts";

/**
 * RFM scores as three parallel columns (not n rows of 3): three flat arrays cost a tenth of
 * a million small row arrays. The Excel edge spills row i as `[r[i], f[i], m[i]]`.
 */
export interface RfmScores {
  readonly r: Cell<number>[];
  readonly f: Cell<number>[];
  readonly m: Cell<number>[];
}

// Which rows count (all three numbers), which are blank (all three blank), the rest #VALUE!.
// Counted is 0 because sortRows sorts the rows marked 0.
const Row = { Counted: 0, Blank: 1, Invalid: 2 } as const;

function classifyRows(columns: readonly [Column, Column, Column], n: number): Uint8Array {
  const [a, b, c] = columns;
  const rows = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ka = a.kinds[i];
    const kb = b.kinds[i];
    const kc = c.kinds[i];
    if (ka === CellKind.Number && kb === CellKind.Number && kc === CellKind.Number) continue;
    rows[i] =
      ka === CellKind.Blank && kb === CellKind.Blank && kc === CellKind.Blank
        ? Row.Blank
        : Row.Invalid;
  }
  return rows;
}

/**
 * Writes `1 + floor(bins · c / n)` for every counted row, where `c` counts the rows with a
 * lower value (or, when `lowerIsBetter`, a higher one); equal values share a score.
 * Scores (1–10) go to a byte per row: the rows come in value order, and random writes are
 * cheap in a typed array.
 */
function writeScores(
  column: Column,
  skip: Uint8Array,
  bins: number,
  lowerIsBetter: boolean,
  scores: Uint8Array,
  scratch: SortScratch,
): void {
  const v = column.values;
  const rows = sortRows(v, skip, scratch);
  const n = rows.length;
  let first = 0;
  while (first < n) {
    const value = v[rows[first] as number] as number;
    let end = first;
    while (end < n && v[rows[end] as number] === value) end++;
    const better = lowerIsBetter ? n - end : first;
    // bins · c is an exact integer, so a whole quotient is never rounded down by one.
    const score = 1 + Math.floor((bins * better) / n);
    for (let k = first; k < end; k++) scores[rows[k] as number] = score;
    first = end;
  }
}

/**
 * CRM.RFM: quantile scores 1..bins (bins omitted → 5, else a whole number 2–10).
 * R = 1 + floor(bins · #{recency > r} / n), F and M with #{< f} and #{< m}.
 * E.g. frequency `1, 1, 1, 1, 5` → F `1, 1, 1, 1, 5`.
 */
export function rfmScores(
  recencyDays: Column,
  frequency: Column,
  monetary: Column,
  bins?: number | null,
): RfmScores | CellError {
  const b = bins ?? 5;
  if (!(Number.isInteger(b) && b >= 2 && b <= 10)) return errors.badBins;
  const n = commonLength(recencyDays, frequency, monetary);
  if (typeof n !== "number") return n;
  const rows = classifyRows([recencyDays, frequency, monetary], n);

  const scratch = sortScratch(n);
  const scores = new Uint8Array(n);
  const column = (values: Column, lowerIsBetter: boolean): Cell<number>[] => {
    writeScores(values, rows, b, lowerIsBetter, scores, scratch);
    const out = new Array<Cell<number>>(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      out[i] =
        row === Row.Counted ? (scores[i] as number) : row === Row.Blank ? BLANK : errors.notANumber;
    }
    return out;
  };
  const r = column(recencyDays, true);
  const f = column(frequency, false);
  const m = column(monetary, false);
  return { r, f, m };
}

// Index = 4·R + 2·F + M with high = 1: the table of formulas.md, read bottom-up.
const SEGMENTS: Readonly<Record<SegmentLanguage, readonly string[]>> = {
  zh: [
    "一般挽留客户",
    "重要挽留客户",
    "一般保持客户",
    "重要保持客户",
    "一般发展客户",
    "重要发展客户",
    "一般价值客户",
    "重要价值客户",
  ],
  en: [
    "General win-back",
    "Important win-back",
    "General retention",
    "Important retention",
    "General development",
    "Important development",
    "General value",
    "Important value",
  ],
};

function meanOfCounted(column: Column, rows: Uint8Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] === Row.Counted) {
      sum += column.values[i] as number;
      count++;
    }
  }
  return sum / count;
}

/**
 * CRM.RFMSEGMENT: the eight-class RFM model; R is high when recency <= its mean, F and M
 * when >= their means. `language` is "en" or "zh" (the edge passes the display language when omitted).
 */
export function rfmSegments(
  recencyDays: Column,
  frequency: Column,
  monetary: Column,
  language: unknown,
): Cell<string>[] | CellError {
  const lang = segmentLanguage(language);
  if (lang === undefined) return errors.badLanguage;
  const n = commonLength(recencyDays, frequency, monetary);
  if (typeof n !== "number") return n;
  const rows = classifyRows([recencyDays, frequency, monetary], n);
  const meanR = meanOfCounted(recencyDays, rows);
  const meanF = meanOfCounted(frequency, rows);
  const meanM = meanOfCounted(monetary, rows);
  const names = SEGMENTS[lang];
  const out = new Array<Cell<string>>(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (row === Row.Blank) out[i] = BLANK;
    else if (row === Row.Invalid) out[i] = errors.notANumber;
    else {
      const high =
        ((recencyDays.values[i] as number) <= meanR ? 4 : 0) +
        ((frequency.values[i] as number) >= meanF ? 2 : 0) +
        ((monetary.values[i] as number) >= meanM ? 1 : 0);
      out[i] = names[high] as string;
    }
  }
  return out;
}
