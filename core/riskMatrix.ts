/**
 * CRM.RISKMATRIX: where a customer sits on value (ABC grade) × credit risk (the credit
 * grade's band), and what to do about it.
 */
import { BLANK, type Cell, type CellError, isCellError } from "./cells.ts";
import { policyBand } from "./credit.ts";
import { errors, unknownValueGrade } from "./errors.ts";
import type { CreditPolicy } from "./policy.ts";
import { type SegmentLanguage, segmentLanguage } from "./segmentNames.ts";

/** The credit risk tiers, in the order of the matrix's columns. */
export type RiskTier = "low" | "medium" | "high";

const TIERS: readonly RiskTier[] = ["low", "medium", "high"];

/** Value rows A, B, C (the matrix's rows); D is loss-making and always gets "Review". */
const VALUE_ROWS = ["A", "B", "C"] as const;

/** Actions: rows A, B, C; columns low, medium, high risk. */
export type ActionTable = readonly (readonly string[])[];

const BUILT_IN: Readonly<Record<SegmentLanguage, { table: ActionTable; review: string }>> = {
  en: {
    table: [
      ["Grow", "Secure", "Protect"],
      ["Develop", "Maintain", "Monitor"],
      ["Serve efficiently", "Limit", "Cash only"],
    ],
    review: "Review",
  },
  zh: {
    table: [
      ["重点发展", "担保维护", "严控风险"],
      ["积极培育", "保持维护", "密切监控"],
      ["低成本服务", "限制额度", "现款交易"],
    ],
    review: "重新评估",
  },
};

/**
 * The risk tier of a band's min score: >= 70 low, >= 50 medium, below 50 high. The min
 * score is the policy's (typed, so compared as it is). E.g. AA (80) → "low", BB (50) → "medium".
 */
export function riskTierOf(minScore: number): RiskTier {
  return minScore >= 70 ? "low" : minScore >= 50 ? "medium" : "high";
}

/**
 * The `actions` argument: exactly 3 rows (A, B, C) of 3 labels (low, medium, high risk),
 * each non-empty text or a number (shown as typed), trimmed; else `#VALUE!`.
 * E.g. `[["Grow", "Secure", "Protect"], …]`.
 */
export function actionsFromCells(rows: readonly (readonly unknown[])[]): ActionTable | CellError {
  if (rows.length !== VALUE_ROWS.length) return errors.badActions;
  const table: string[][] = [];
  for (const row of rows) {
    if (row.length !== TIERS.length) return errors.badActions;
    const labels: string[] = [];
    for (const cell of row) {
      const label =
        typeof cell === "string" ? cell.trim() : typeof cell === "number" ? String(cell) : "";
      if (label === "") return errors.badActions;
      labels.push(label);
    }
    table.push(labels);
  }
  return table;
}

/** The ABC grade of a `value_grade` cell (trimmed, any letter case), blank, or `#VALUE!`. */
function valueRow(cell: unknown): number | "D" | typeof BLANK | CellError {
  if (cell === null || cell === undefined || cell === "") return BLANK;
  const label = typeof cell === "string" ? cell.trim().toUpperCase() : String(cell);
  if (label === "D") return "D";
  const row = VALUE_ROWS.indexOf(label as (typeof VALUE_ROWS)[number]);
  return row >= 0 ? row : unknownValueGrade(String(cell));
}

/**
 * CRM.RISKMATRIX: per row, the action for (value grade, credit grade). The credit grade
 * is a label found in the policy (any letter case) or a score graded by it; its band's min
 * score gives the risk tier. An unknown grade in either column is `#VALUE!` in that row,
 * else a blank in either is `""`; D (loss-making) is "Review" at every risk. `language` is
 * "en" or "zh" (else `#VALUE!` for the whole call); `actions` replaces the A–C rows.
 * E.g. `("A", "AA")` → "Grow", `("C", "B")` → "Cash only".
 */
export function riskActions(
  valueGrades: readonly unknown[],
  creditGrades: readonly unknown[],
  policy: CreditPolicy,
  language: unknown,
  actions?: ActionTable | null,
): Cell<string>[] | CellError {
  const lang = segmentLanguage(language);
  if (lang === undefined) return errors.badLanguage;
  if (valueGrades.length !== creditGrades.length) return errors.columnsDifferInLength;
  const names = BUILT_IN[lang];
  const table = actions ?? names.table;
  return valueGrades.map((valueCell, i) => {
    const row = valueRow(valueCell);
    const band = policyBand(creditGrades[i], policy, null);
    if (isCellError(row)) return row;
    if (isCellError(band)) return band;
    if (row === BLANK || band === BLANK) return BLANK;
    if (row === "D") return names.review;
    const column = TIERS.indexOf(riskTierOf(band.minScore));
    return (table[row] as readonly string[])[column] as string;
  });
}
