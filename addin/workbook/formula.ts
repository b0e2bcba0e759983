/** Formulas as Excel text, and A1 addresses: pure, shared by both workbook adapters. */
import type { Formula, FormulaArg } from "./port.ts";

/** The column letters of a 0-based column index: 0 → "A", 27 → "AB". */
export function columnLetters(col: number): string {
  let n = col + 1;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** An absolute A1 address of a 0-based cell: (1, 7) → "$H$2". */
export function a1(row: number, col: number): string {
  return `$${columnLetters(col)}$${row + 1}`;
}

/** A sheet name as a formula reference: always quoted, quotes doubled. */
export function sheetRef(sheet: string): string {
  return `'${sheet.replaceAll("'", "''")}'`;
}

// Structured references escape these characters with a leading apostrophe.
const SPECIAL = /[[\]#']/g;

function columnRef(name: string): string {
  return `[${name.replace(SPECIAL, "'$&")}]`;
}

function argText(arg: FormulaArg): string {
  if (typeof arg === "number") return String(arg);
  if (typeof arg === "string") return `"${arg.replaceAll('"', '""')}"`;
  if ("spill" in arg) return `${sheetRef(arg.sheet)}!${a1(arg.row, arg.col)}#`;
  if ("sheet" in arg) return `${sheetRef(arg.sheet)}!${a1(arg.row, arg.col)}`;
  if ("columns" in arg) {
    return `${arg.table}[${columnRef(arg.columns[0])}:${columnRef(arg.columns[1])}]`;
  }
  return `${arg.table}[${arg.column.replace(SPECIAL, "'$&")}]`;
}

/** The Excel text of a formula: `=CRM.ABC(Customers[revenue],0.8)`. */
export function formulaText(formula: Formula): string {
  return `=${formula.fn}(${formula.args.map(argText).join(",")})`;
}
