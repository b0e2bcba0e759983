/** The built-in default credit policy (formulas.md); its shape is declared in `schema.ts`. */
import type { CreditPolicy } from "./schema.ts";

export type { CreditBand, CreditPolicy, CreditWeights } from "./schema.ts";
export { FIVE_C } from "./schema.ts";

export const DEFAULT_POLICY: CreditPolicy = {
  weights: { character: 0.25, capacity: 0.25, capital: 0.2, collateral: 0.15, conditions: 0.15 },
  bands: [
    { grade: "AAA", minScore: 90, limitPct: 20, termDays: 90 },
    { grade: "AA", minScore: 80, limitPct: 15, termDays: 60 },
    { grade: "A", minScore: 70, limitPct: 12, termDays: 60 },
    { grade: "BBB", minScore: 60, limitPct: 10, termDays: 45 },
    { grade: "BB", minScore: 50, limitPct: 7, termDays: 30 },
    { grade: "B", minScore: 40, limitPct: 5, termDays: 15 },
    { grade: "C", minScore: 0, limitPct: 0, termDays: 0 },
  ],
  limitRounding: 1000,
  maxLimit: null,
  staffRaiseLimit: 0,
  currency: "CNY",
};
