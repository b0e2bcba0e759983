import { describe, expect, it } from "vitest";
import { errors, unknownGrade, unknownValueGrade } from "./errors.ts";
import { type CreditPolicy, DEFAULT_POLICY } from "./policy.ts";
import { actionsFromCells, riskActions, riskTierOf } from "./riskMatrix.ts";

const policy = DEFAULT_POLICY;
// One credit grade per risk tier of the default policy: AA low, BB medium, B high.
const tiers = ["AA", "BB", "B"];
/** The actions of value grade `value` at low, medium and high risk. */
const rowOf = (value: string, language: string, actions?: string[][]) =>
  riskActions([value, value, value], tiers, policy, language, actions ?? null);

describe("CRM.RISKMATRIX", () => {
  it("gives the English table of formulas.md, rows A, B, C by low, medium, high risk", () => {
    expect(["A", "B", "C"].map((v) => rowOf(v, "en"))).toEqual([
      ["Grow", "Secure", "Protect"],
      ["Develop", "Maintain", "Monitor"],
      ["Serve efficiently", "Limit", "Cash only"],
    ]);
  });

  it("gives the Chinese table of formulas.md", () => {
    expect(["A", "B", "C"].map((v) => rowOf(v, "zh"))).toEqual([
      ["重点发展", "担保维护", "严控风险"],
      ["积极培育", "保持维护", "密切监控"],
      ["低成本服务", "限制额度", "现款交易"],
    ]);
  });

  it("gives a loss-making customer (D) Review at every risk, in both languages", () => {
    expect([rowOf("D", "en"), rowOf("D", "zh")]).toEqual([
      ["Review", "Review", "Review"],
      ["重新评估", "重新评估", "重新评估"],
    ]);
  });

  it("takes the risk tier from the band's min score: >= 70 low, 50–69 medium, below 50 high", () => {
    expect([100, 90, 70, 69.99, 60, 50, 49.99, 40, 0].map(riskTierOf)).toEqual([
      "low",
      "low",
      "low",
      "medium",
      "medium",
      "medium",
      "high",
      "high",
      "high",
    ]);
  });

  it("puts every grade of the default policy in its tier", () => {
    const grades = ["AAA", "AA", "A", "BBB", "BB", "B", "C"];
    const values = grades.map(() => "A");
    expect(riskActions(values, grades, policy, "en")).toEqual([
      "Grow",
      "Grow",
      "Grow",
      "Secure",
      "Secure",
      "Protect",
      "Protect",
    ]);
  });

  it("reads the tier from the team policy's bands", () => {
    const strict: CreditPolicy = {
      ...policy,
      bands: [
        { grade: "Gold", minScore: 85, limitPct: 10, termDays: 30 },
        { grade: "Silver", minScore: 55, limitPct: 5, termDays: 15 },
        { grade: "Bronze", minScore: 0, limitPct: 0, termDays: 0 },
      ],
    };
    expect(riskActions(["A", "A", "A"], ["gold", "Silver", "Bronze"], strict, "en")).toEqual([
      "Grow",
      "Secure",
      "Protect",
    ]);
  });

  it("grades a score in the credit column by the policy, as Excel shows it", () => {
    expect(riskActions(["A", "A", "A"], [85, 69.99999999999999, 45], policy, "en")).toEqual([
      "Grow",
      "Grow",
      "Protect",
    ]);
  });

  it("reads grades trimmed and in any letter case", () => {
    expect(riskActions([" b ", "c"], ["aa ", " bb"], policy, "en")).toEqual(["Develop", "Limit"]);
  });

  it("gives #VALUE! in the row of an unknown value grade or credit grade", () => {
    expect(riskActions(["E", "A", "A"], ["AA", "ZZ", "AA"], policy, "en")).toEqual([
      unknownValueGrade("E"),
      unknownGrade("ZZ"),
      "Grow",
    ]);
  });

  it('gives "" for a blank in either column, and an unknown grade wins over a blank', () => {
    expect(riskActions(["", "A", null, "X"], ["AA", "", "", ""], policy, "en")).toEqual([
      "",
      "",
      "",
      unknownValueGrade("X"),
    ]);
  });

  it("gives #NUM! in the row of a credit score outside 0–100", () => {
    expect(riskActions(["A"], [101], policy, "en")).toEqual([errors.scoreOutOfRange]);
  });

  it("replaces rows A–C with custom actions, keeping D's Review in the language", () => {
    const actions = [
      ["Invest", "Insure", "Guard"],
      ["Nurture", "Keep", "Watch"],
      ["Self-serve", "Cap", "Prepay"],
    ];
    expect([
      rowOf("A", "en", actions),
      rowOf("C", "zh", actions),
      rowOf("D", "zh", actions),
    ]).toEqual([
      ["Invest", "Insure", "Guard"],
      ["Self-serve", "Cap", "Prepay"],
      ["重新评估", "重新评估", "重新评估"],
    ]);
  });

  it("is #VALUE! for the whole call for a language other than en or zh", () => {
    expect(riskActions(["A"], ["AA"], policy, "fr")).toBe(errors.badLanguage);
  });

  it("is #VALUE! for the whole call when the columns differ in length", () => {
    expect(riskActions(["A", "B"], ["AA"], policy, "en")).toBe(errors.columnsDifferInLength);
  });
});

describe("the actions argument", () => {
  it("reads 3 rows of 3 labels, trimmed", () => {
    expect(
      actionsFromCells([
        [" Grow ", "Secure", "Protect"],
        ["Develop", "Maintain", "Monitor"],
        ["Serve", "Limit", 0],
      ]),
    ).toEqual([
      ["Grow", "Secure", "Protect"],
      ["Develop", "Maintain", "Monitor"],
      ["Serve", "Limit", "0"],
    ]);
  });

  it.each([
    [
      "two rows",
      [
        ["a", "b", "c"],
        ["d", "e", "f"],
      ],
    ],
    [
      "a row of two",
      [
        ["a", "b", "c"],
        ["d", "e"],
        ["g", "h", "i"],
      ],
    ],
    [
      "a blank label",
      [
        ["a", "b", "c"],
        ["d", "", "f"],
        ["g", "h", "i"],
      ],
    ],
    [
      "a boolean label",
      [
        ["a", "b", "c"],
        ["d", true, "f"],
        ["g", "h", "i"],
      ],
    ],
  ])("is #VALUE! for %s", (_, rows) => {
    expect(actionsFromCells(rows)).toBe(errors.badActions);
  });
});
