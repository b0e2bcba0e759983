/**
 * CRM.ABC as Excel calls it (dist/functions.js in a vm, a 2-D column in, a spilled column
 * out) against core alone on 100,000 rows; and the same ABC grades computed by ordinary
 * worksheet formulas (SUMIF over the column, as a user would without the add-in) in
 * HyperFormula against CRM.ABC on 10,000 rows. Prints ratios; results must agree.
 * Needs `npm run build` first.
 */
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { HyperFormula } from "hyperformula";
import { columnFromCells, gradeByCumulativeShare } from "../../core/index.ts";
import { bundlePath, CustomFunctionsError, ErrorCode } from "../functions-harness.ts";
import { random } from "./random.ts";

type Fn = (...args: unknown[]) => unknown;

/**
 * functions.js loaded into this realm, as a plain JavaScript runtime would: the vm tests'
 * contextified global makes every global lookup slow, which Excel's runtime does not.
 */
export function loadHere(): Map<string, Fn> {
  const associated = new Map<string, Fn>();
  const holder = globalThis as { CustomFunctions?: unknown };
  holder.CustomFunctions = {
    associate: (id: string, fn: Fn) => associated.set(id, fn),
    Error: CustomFunctionsError,
    ErrorCode,
  };
  vm.runInThisContext(readFileSync(bundlePath, "utf8"), { filename: "functions.js" });
  delete holder.CustomFunctions;
  return associated;
}

/** Ledger-like values: some zeros and losses, the rest skewed and rounded (many ties). */
function ledger(rows: number, seed: number): number[] {
  const next = random(seed);
  return Array.from({ length: rows }, () => {
    const u = next();
    return u < 0.1 ? 0 : u < 0.2 ? -Math.round(next() * 5000) : Math.round(Math.exp(next() * 12));
  });
}

/**
 * Best-of-`runs` milliseconds of two functions, measured in alternating blocks (A B A B) so
 * both see the same machine load (the box is shared) without one's garbage landing in the
 * other's every run.
 */
export function bestOf(runs: number, a: () => void, b: () => void): [number, number] {
  const best = (fn: () => void) => {
    fn();
    let min = Number.POSITIVE_INFINITY;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      fn();
      min = Math.min(min, performance.now() - t0);
    }
    return min;
  };
  const a1 = best(a);
  const b1 = best(b);
  return [Math.min(a1, best(a)), Math.min(b1, best(b))];
}

function grades(spilled: unknown): string[] {
  return (spilled as unknown[][]).map((row) => String(row[0]));
}

export default async function bench(): Promise<void> {
  const functions = loadHere();
  const abc = functions.get("ABC") as Fn;

  // 1. The Excel-shaped wrapper against core alone, 100,000 rows.
  const values = ledger(100_000, 7);
  const excelColumn = values.map((v) => [v]);
  let wrapped: unknown;
  let core: unknown;
  const [coreMs, wrapperMs] = bestOf(
    25,
    () => {
      core = gradeByCumulativeShare(columnFromCells(values));
    },
    () => {
      wrapped = abc(excelColumn, null, null);
    },
  );
  const same = JSON.stringify(grades(wrapped)) === JSON.stringify(core);
  if (!same) throw new Error("CRM.ABC through the wrapper differs from core");
  console.log(
    `CRM.ABC 100,000 rows: core ${coreMs.toFixed(1)} ms, through Excel's shapes ${wrapperMs.toFixed(1)} ms, ratio ${(wrapperMs / coreMs).toFixed(2)} (goal <= 1.3)`,
  );

  // 2. Worksheet formulas (SUMIF per row) in HyperFormula against CRM.ABC, 10,000 rows.
  // SUMIF per row is O(n²): at 10,000 rows HyperFormula needs minutes. CRM_BENCH_HF_ROWS
  // makes a quick run smaller; the figure is at the default.
  const rows = Number(process.env.CRM_BENCH_HF_ROWS ?? 10_000);
  console.log(
    `(HyperFormula on ${rows.toLocaleString("en")} rows: SUMIF per row is O(n²), this takes a while)`,
  );
  const small = ledger(rows, 11);
  const formula = (r: number) => {
    const share = `SUMIF(A:A,">"&A${r})/SUMIF(A:A,">0")`;
    return `=IF(A${r}<0,"D",IF(A${r}=0,"C",IF(${share}<0.8,"A",IF(${share}<0.95,"B","C"))))`;
  };
  const sheet = small.map((v, i) => [v, formula(i + 1)]);
  let hfGrades: string[] = [];
  const t0 = performance.now();
  const hf = HyperFormula.buildFromArray(sheet, { licenseKey: "gpl-v3" });
  hfGrades = (hf.getSheetValues(0) as unknown[][]).map((row) => String(row[1]));
  const hfMs = performance.now() - t0;
  hf.destroy();
  let ours: string[] = [];
  const smallColumn = small.map((v) => [v]);
  let oursMs = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 15; r++) {
    const t1 = performance.now();
    ours = grades(abc(smallColumn, null, null));
    oursMs = Math.min(oursMs, performance.now() - t1);
  }
  if (JSON.stringify(ours) !== JSON.stringify(hfGrades)) {
    throw new Error("CRM.ABC and the SUMIF worksheet formulas disagree");
  }
  console.log(
    `ABC grades of ${rows.toLocaleString("en")} rows: SUMIF formulas in HyperFormula ${hfMs.toFixed(0)} ms, CRM.ABC ${oursMs.toFixed(2)} ms, add-in ${(hfMs / oursMs).toFixed(0)}× faster (goal >= 1000×); grades equal`,
  );
}
