/**
 * CRM.ABC agrees with the grades a user would compute with ordinary worksheet formulas
 * (SUMIF over the column), evaluated by HyperFormula, on 200 rows with ties, zeros and
 * losses. (The same comparison at 10,000 rows, timed, is in test/bench/functions.bench.ts.)
 */
import { HyperFormula } from "hyperformula";
import { expect, it } from "vitest";
import { col, loadFunctions } from "./functions-harness.ts";

function worksheetGrades(values: readonly number[], aShare: number, bShare: number): string[] {
  const formula = (r: number) => {
    const share = `SUMIF(A:A,">"&A${r})/SUMIF(A:A,">0")`;
    return `=IF(A${r}<0,"D",IF(A${r}=0,"C",IF(${share}<${aShare},"A",IF(${share}<${bShare},"B","C"))))`;
  };
  const hf = HyperFormula.buildFromArray(
    values.map((v, i) => [v, formula(i + 1)]),
    { licenseKey: "gpl-v3" },
  );
  const grades = (hf.getSheetValues(0) as unknown[][]).map((row) => String(row[1]));
  hf.destroy();
  return grades;
}

// 200 values: a few large accounts, many ties, zeros and losses.
const values = Array.from({ length: 200 }, (_, i) => {
  if (i % 17 === 0) return 0;
  if (i % 11 === 0) return -((i * 37) % 500);
  return ((i * 7919) % 97) * ((i % 5) + 1) + (i < 10 ? 5000 : 0);
});

it("grades 200 rows exactly as SUMIF worksheet formulas do (default shares)", () => {
  const fx = loadFunctions();
  const ours = (fx.callSync("ABC", col(...values), null, null) as unknown[][]).map((r) => r[0]);
  expect(ours).toEqual(worksheetGrades(values, 0.8, 0.95));
});

it("grades 200 rows exactly as SUMIF worksheet formulas do (shares 0.5 and 0.7)", () => {
  const fx = loadFunctions();
  const ours = (fx.callSync("ABC", col(...values), 0.5, 0.7) as unknown[][]).map((r) => r[0]);
  expect(ours).toEqual(worksheetGrades(values, 0.5, 0.7));
});
