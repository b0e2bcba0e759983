/** The team's credit policy (api.md) and the built-in default (formulas.md). */

export interface CreditBand {
  readonly grade: string;
  readonly minScore: number;
  /** Percent of the basis, e.g. 15 for 15 %. */
  readonly limitPct: number;
  readonly termDays: number;
}

/** The five 5C weights, in 5C order. */
export interface CreditWeights {
  readonly character: number;
  readonly capacity: number;
  readonly capital: number;
  readonly collateral: number;
  readonly conditions: number;
}

export interface CreditPolicy {
  readonly weights: CreditWeights;
  /** Min scores strictly descending, the last one 0. */
  readonly bands: readonly CreditBand[];
  readonly limitRounding: number;
  readonly maxLimit: number | null;
  readonly staffRaiseLimit: number;
  readonly currency: string;
}

export const FIVE_C = ["character", "capacity", "capital", "collateral", "conditions"] as const;

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
