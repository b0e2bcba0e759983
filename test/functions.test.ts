/**
 * Every pure and credit CRM.* function, loaded from dist/functions.js in a vm with a
 * stand-in custom functions runtime and called with Excel-shaped arguments (formulas.md).
 * Team functions are in team-functions.db.test.ts; here only their offline behaviour.
 */
import { createServer } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../core/policy.ts";
import { col, err, type LoadedFunctions, loadFunctions, row } from "./functions-harness.ts";

let fx: LoadedFunctions;
beforeAll(() => {
  fx = loadFunctions();
});

const VALUE = "#VALUE!";
const NUM = "#NUM!";
const NA = "#N/A";
const notANumber = err(VALUE, "not a number");
const notSingle = err(VALUE, "expects a single column or row");
const differ = err(VALUE, "columns differ in length");

describe("registration", () => {
  it("associates every function of formulas.md, in its order", () => {
    expect(fx.ids).toEqual([
      "ABC",
      "PARETO",
      "RFM",
      "RFMSEGMENT",
      "VALUEMATRIX",
      "CLV",
      "SCORE",
      "CREDITSCORE",
      "CREDITGRADE",
      "CREDITLIMIT",
      "CREDITTERM",
      "AGING",
      "AGEBUCKET",
      "CREDITEXPLAIN",
      "GRADEGAP",
      "RISKMATRIX",
      "BGNBD",
      "PALIVE",
      "PURCHASES",
      "GAMMAGAMMA",
      "SPEND",
      "PCLV",
      "CUSTOMER",
      "CUSTOMERS",
      "LIVE",
      "CREDITCHECK",
      "HISTORY",
    ]);
  });
});

describe("the shared session", () => {
  it("is one object for every bundle loaded in the same window", () => {
    const f = loadFunctions();
    f.session.setApiBase("http://api.example");
    expect(f.loadAgain()).toBe(f.session);
    expect(f.loadAgain().apiBase()).toBe("http://api.example");
  });
});

describe("CRM.ABC", () => {
  it("grades the worked example 50, 30, 10, 5, 5 as A, A, B, B, B down a column", () => {
    expect(fx.callSync("ABC", col(50, 30, 10, 5, 5), null, null)).toEqual(
      col("A", "A", "B", "B", "B"),
    );
  });

  it("spills across when the values are a row", () => {
    expect(fx.callSync("ABC", row(50, 30, 10, 5, 5), null, null)).toEqual(
      row("A", "A", "B", "B", "B"),
    );
  });

  it("grades zero C and a negative value D", () => {
    expect(fx.callSync("ABC", col(100, 0, -5), null, null)).toEqual(col("A", "C", "D"));
  });

  it('leaves blank cells ("" or null) blank and out of the total', () => {
    expect(fx.callSync("ABC", col(50, "", 30, null, 10, 5, 5), null, null)).toEqual(
      col("A", "", "A", "", "B", "B", "B"),
    );
  });

  it("gives #VALUE! 'not a number' only where a cell holds text or a boolean", () => {
    expect(fx.callSync("ABC", col(50, "abc", 30, true, 10, 5, 5), null, null)).toEqual(
      col("A", notANumber, "A", notANumber, "B", "B", "B"),
    );
  });

  it("uses the given a_share and b_share", () => {
    expect(fx.callSync("ABC", col(50, 30, 10, 5, 5), 0.5, 0.9)).toEqual(
      col("A", "B", "B", "C", "C"),
    );
  });

  it("is #NUM! for the whole call when a_share > b_share", () => {
    expect(fx.callSync("ABC", col(50, 30), 0.9, 0.5)).toEqual([[err(NUM)]]);
  });

  it('is #NUM! for the whole call when a share is text, even "0.8", or a boolean', () => {
    const badShares = err(NUM);
    expect([
      fx.callSync("ABC", col(50, 30), "0.8", null),
      fx.callSync("ABC", col(50, 30), null, "high"),
      fx.callSync("ABC", col(50, 30), true, null),
    ]).toEqual([[[badShares]], [[badShares]], [[badShares]]]);
  });

  it("grades B a value whose share before it is 0.8 in decimals (values 1.2, 0.2, 0.1)", () => {
    expect(fx.callSync("ABC", col(1.2, 0.2, 0.1), null, null)).toEqual(col("A", "B", "B"));
  });

  it("is #VALUE! 'expects a single column or row' for a 2 × 2 block", () => {
    expect(
      fx.callSync(
        "ABC",
        [
          [1, 2],
          [3, 4],
        ],
        null,
        null,
      ),
    ).toEqual([[notSingle]]);
  });

  it("shows its messages in Chinese when the add-in's language is zh-CN", () => {
    const zh = loadFunctions({ language: "zh-CN" });
    expect(zh.callSync("ABC", col(1, "x"), null, null)).toEqual(col("A", err(VALUE, "不是数字")));
  });
});

describe("CRM.PARETO", () => {
  it("gives the cumulative shares of the worked example", () => {
    expect(fx.callSync("PARETO", col(50, 30, 10, 5, 5))).toEqual(col(0.5, 0.8, 0.9, 1, 1));
  });

  it("rises above 1 with a loss-making customer (the whale curve)", () => {
    const out = fx.callSync("PARETO", col(60, 50, -10)) as number[][];
    expect(out.map((r) => r[0])).toEqual([0.6, 1.1, 1]);
  });

  it("is #DIV/0! in every position when the total is not positive", () => {
    const div = err("#DIV/0!");
    expect(fx.callSync("PARETO", col(5, -10, ""))).toEqual(col(div, div, ""));
  });
});

describe("CRM.RFM", () => {
  const recency = col(50, 40, 30, 20, 10);
  const monetary = col(100, 200, 300, 400, 500);

  it("scores frequency 1, 2, 3, 4, 5 as F 1, 2, 3, 4, 5 in the middle column", () => {
    const out = fx.callSync("RFM", recency, col(1, 2, 3, 4, 5), monetary, null) as number[][];
    expect(out.map((r) => r[1])).toEqual([1, 2, 3, 4, 5]);
  });

  it("gives ties a shared score: frequency 1, 1, 1, 1, 5 → F 1, 1, 1, 1, 5", () => {
    const out = fx.callSync("RFM", recency, col(1, 1, 1, 1, 5), monetary, null) as number[][];
    expect(out.map((r) => r[1])).toEqual([1, 1, 1, 1, 5]);
  });

  it("scores fewer days since the last purchase higher", () => {
    const out = fx.callSync("RFM", recency, col(1, 2, 3, 4, 5), monetary, null) as number[][];
    expect(out.map((r) => r[0])).toEqual([1, 2, 3, 4, 5]);
  });

  it("spills three rows (R, F, M) when the customers are a row", () => {
    const out = fx.callSync("RFM", row(50, 10), row(1, 5), row(100, 500), 2) as number[][];
    expect(out).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
  });

  it("gives three blanks for an all-blank row and three #VALUE! for a partly blank one", () => {
    const out = fx.callSync("RFM", col(1, "", "", 3), col(1, "", 2, 3), col(1, "", 2, 3), null);
    expect(out).toEqual([
      [3, 1, 1],
      ["", "", ""],
      [notANumber, notANumber, notANumber],
      [1, 3, 3],
    ]);
  });

  it("is #NUM! when bins is not a whole number from 2 to 10", () => {
    expect(fx.callSync("RFM", col(1), col(1), col(1), 11)).toEqual([[err(NUM)]]);
  });

  it('is #NUM! when bins is text, even "5"', () => {
    expect(fx.callSync("RFM", col(1), col(1), col(1), "5")).toEqual([[err(NUM)]]);
  });

  it("is #VALUE! 'columns differ in length' for columns of different lengths", () => {
    expect(fx.callSync("RFM", col(1, 2), col(1, 2, 3), col(1, 2), null)).toEqual([[differ]]);
  });
});

describe("CRM.RFMSEGMENT", () => {
  const r = col(5, 50);
  const f = col(10, 1);
  const m = col(1000, 10);

  it("names the classes in English when asked", () => {
    expect(fx.callSync("RFMSEGMENT", r, f, m, "en")).toEqual(
      col("Important value", "General win-back"),
    );
  });

  it("names the classes in Chinese when asked", () => {
    expect(fx.callSync("RFMSEGMENT", r, f, m, "zh")).toEqual(col("重要价值客户", "一般挽留客户"));
  });

  it("uses the add-in's language when language is omitted", () => {
    const zh = loadFunctions({ language: "zh-CN" });
    expect(zh.callSync("RFMSEGMENT", r, f, m, null)).toEqual(col("重要价值客户", "一般挽留客户"));
  });

  it('is #VALUE! for a language other than "en" or "zh"', () => {
    expect(fx.callSync("RFMSEGMENT", r, f, m, "fr")).toEqual([
      [err(VALUE, 'language must be "en" or "zh"')],
    ]);
  });
});

describe("CRM.VALUEMATRIX", () => {
  it("splits at the medians by default", () => {
    expect(fx.callSync("VALUEMATRIX", col(1, 4), col(4, 1), null, null, "en")).toEqual(
      col("Low value, high loyalty", "High value, low loyalty"),
    );
  });

  it("uses the given cuts (high means >= cut)", () => {
    expect(fx.callSync("VALUEMATRIX", col(1, 4), col(4, 1), 1, 1, "zh")).toEqual(
      col("高价值高忠诚", "高价值高忠诚"),
    );
  });
});

describe("CRM.CLV", () => {
  it("gives margin · r / (1 + d − r) when periods is omitted: 266.67", () => {
    expect(fx.callSync("CLV", 100, 0.8, 0.1, null)).toEqual([[expect.closeTo(266.6667, 3)]]);
  });

  it("sums T periods when periods is given: 125.62 for 2", () => {
    expect(fx.callSync("CLV", 100, 0.8, 0.1, 2)).toEqual([[expect.closeTo(125.6198, 3)]]);
  });

  it("broadcasts scalars against a column of margins", () => {
    const out = fx.callSync("CLV", col(100, 200), 0.8, 0.1, null) as number[][];
    expect(out.map((r) => Math.round(r[0] as number))).toEqual([267, 533]);
  });

  it("is #NUM! when retention is outside 0–1", () => {
    expect(fx.callSync("CLV", 100, 1.5, 0.1, null)).toEqual([[err(NUM)]]);
  });

  it("is #NUM! instead of Infinity when the value overflows a number", () => {
    expect(fx.callSync("CLV", col(1e308, 100), 0.9, 1e-10, null)).toEqual(
      col(err(NUM), expect.closeTo(900, 3)),
    );
  });

  it("is #NUM! when the unbounded form diverges (1 + d − r <= 0)", () => {
    expect(fx.callSync("CLV", 100, 1, 0, null)).toEqual([[err(NUM)]]);
  });
});

describe("CRM.SCORE", () => {
  it("gives the weighted average per row", () => {
    expect(
      fx.callSync(
        "SCORE",
        [
          [80, 60],
          [100, 0],
        ],
        row(3, 1),
      ),
    ).toEqual(col(75, 75));
  });

  it("uses equal weights when weights is omitted", () => {
    expect(fx.callSync("SCORE", [[80, 60]], null)).toEqual(col(70));
  });

  it("leaves a row with a blank factor blank and marks a text factor #VALUE!", () => {
    expect(
      fx.callSync(
        "SCORE",
        [
          [80, ""],
          [80, "x"],
        ],
        null,
      ),
    ).toEqual(col("", notANumber));
  });

  it("is #NUM! when the weights are all zero", () => {
    expect(fx.callSync("SCORE", [[80, 60]], row(0, 0))).toEqual([[err(NUM)]]);
  });
});

describe("CRM.CREDITSCORE and the policy", () => {
  it("weights the 5C factors with the policy's weights", () => {
    const cell = fx.stream("CREDITSCORE", [[100, 100, 0, 0, 0]], null);
    expect(cell.last).toEqual(col(50));
    cell.cancel();
  });

  it("marks a row with a factor outside 0–100 #NUM!", () => {
    const cell = fx.stream("CREDITSCORE", [[101, 100, 0, 0, 0]], null);
    expect(cell.last).toEqual(col(err(NUM)));
    cell.cancel();
  });

  it("is #VALUE! when the block does not have 5 columns", () => {
    const cell = fx.stream("CREDITSCORE", [[1, 2, 3]], null);
    expect(cell.last).toEqual([[err(VALUE, "factors must have 5 columns")]]);
    cell.cancel();
  });

  it("recalculates when the team policy changes", () => {
    const f = loadFunctions();
    const cell = f.stream("CREDITSCORE", [[100, 0, 0, 0, 0]], null);
    f.session.setPolicy(
      {
        ...DEFAULT_POLICY,
        weights: { character: 1, capacity: 1, capital: 0, collateral: 0, conditions: 0 },
      },
      2,
    );
    expect(cell.values).toEqual([col(25), col(50)]);
    cell.cancel();
  });

  it("stops updating once Excel cancels the cell", () => {
    const f = loadFunctions();
    const cell = f.stream("CREDITGRADE", col(85), null);
    cell.cancel();
    f.session.setPolicy(
      { ...DEFAULT_POLICY, bands: [{ grade: "X", minScore: 0, limitPct: 1, termDays: 1 }] },
      2,
    );
    expect(cell.values).toEqual([col("AA")]);
    expect(f.team.stats().policyCells).toBe(0);
  });
});

describe("CRM.CREDITGRADE", () => {
  it("grades a score of 85 AA with the default policy", () => {
    const cell = fx.stream("CREDITGRADE", col(85, 40, 39.9), null);
    expect(cell.last).toEqual(col("AA", "B", "C"));
    cell.cancel();
  });

  it("grades AA a score Excel shows as 80 (79.99999999999999)", () => {
    const cell = fx.stream("CREDITGRADE", col(79.99999999999999, 79.9999999999999), null);
    expect(cell.last).toEqual(col("AA", "A"));
    cell.cancel();
  });

  it("grades AA the score of the factors 79.7, 79.5, 80.1, 79.7, 81.5", () => {
    const score = fx.stream("CREDITSCORE", [[79.7, 79.5, 80.1, 79.7, 81.5]], null);
    const grade = fx.stream("CREDITGRADE", score.last, null);
    expect([score.last, grade.last]).toEqual([col(79.99999999999999), col("AA")]);
    score.cancel();
    grade.cancel();
  });

  it("is #NUM! for a score outside 0–100", () => {
    const cell = fx.stream("CREDITGRADE", col(120), null);
    expect(cell.last).toEqual(col(err(NUM)));
    cell.cancel();
  });

  it("uses the bands argument instead of the policy's", () => {
    const cell = fx.stream("CREDITGRADE", col(85, 20), [
      ["Good", 50],
      ["Poor", 0],
    ]);
    expect(cell.last).toEqual(col("Good", "Poor"));
    cell.cancel();
  });
});

describe("CRM.CREDITLIMIT", () => {
  it("gives 185,000 for score 85 and basis 1,234,567 (AA, 15 %, rounded down to 1,000)", () => {
    const cell = fx.stream("CREDITLIMIT", 85, 1234567, null);
    expect(cell.last).toEqual([[185000]]);
    cell.cancel();
  });

  it("takes a grade label as well as a score", () => {
    const cell = fx.stream("CREDITLIMIT", col("AAA", "C"), col(1000000, 1000000), null);
    expect(cell.last).toEqual(col(200000, 0));
    cell.cancel();
  });

  it("is #VALUE! for an unknown grade label and #NUM! for a negative basis", () => {
    const cell = fx.stream("CREDITLIMIT", col("ZZ", 85), col(1000, -1), null);
    expect(cell.last).toEqual(col(err(VALUE, "Unknown grade ZZ"), err(NUM)));
    cell.cancel();
  });
});

describe("CRM.CREDITTERM", () => {
  it("gives 60 days for AA and 90 for a score of 95", () => {
    const cell = fx.stream("CREDITTERM", col("AA", 95), null);
    expect(cell.last).toEqual(col(60, 90));
    cell.cancel();
  });
});

describe("CRM.CREDITEXPLAIN", () => {
  it("spills each 5C factor's points per customer, adding up to CRM.CREDITSCORE", () => {
    const factors = [
      [90, 85, 80, 70, 75],
      [80, 80, 80, 80, 80],
    ];
    const points = fx.stream("CREDITEXPLAIN", factors, null);
    const scores = fx.stream("CREDITSCORE", factors, null);
    expect([points.last, scores.last]).toEqual([
      [
        [22.5, 21.25, 16, 10.5, 11.25],
        [20, 20, 16, 12, 12],
      ],
      col(81.5, 80),
    ]);
    points.cancel();
    scores.cancel();
  });

  it("uses the given weights", () => {
    const cell = fx.stream("CREDITEXPLAIN", [[100, 50, 0, 0, 0]], row(1, 1, 0, 0, 0));
    expect(cell.last).toEqual([[50, 25, 0, 0, 0]]);
    cell.cancel();
  });

  it("gives a blank row for a blank factor, and the row's error in all five cells", () => {
    const num = err(NUM);
    const cell = fx.stream(
      "CREDITEXPLAIN",
      [
        [80, "", 80, 80, 80],
        [80, "x", 80, 80, 80],
        [80, 120, 80, 80, 80],
      ],
      null,
    );
    expect(cell.last).toEqual([
      ["", "", "", "", ""],
      Array(5).fill(notANumber),
      Array(5).fill(num),
    ]);
    cell.cancel();
  });

  it("is one error cell for factors without 5 columns or bad weights", () => {
    const a = fx.stream("CREDITEXPLAIN", [[1, 2, 3]], null);
    const b = fx.stream("CREDITEXPLAIN", [[1, 2, 3, 4, 5]], row(0, 0, 0, 0, 0));
    expect([a.last, b.last]).toEqual([[[err(VALUE, "factors must have 5 columns")]], [[err(NUM)]]]);
    a.cancel();
    b.cancel();
  });

  it("recalculates with the team policy's weights", () => {
    const f = loadFunctions();
    const cell = f.stream("CREDITEXPLAIN", [[100, 0, 0, 0, 0]], null);
    f.session.setPolicy(
      {
        ...DEFAULT_POLICY,
        weights: { character: 1, capacity: 1, capital: 0, collateral: 0, conditions: 0 },
      },
      2,
    );
    expect(cell.values).toEqual([[[25, 0, 0, 0, 0]], [[50, 0, 0, 0, 0]]]);
    cell.cancel();
  });
});

describe("CRM.GRADEGAP", () => {
  it("spills the next grade and the points still needed, one row per customer", () => {
    const cell = fx.stream("GRADEGAP", col(85, 72.5, 95), null);
    expect(cell.last).toEqual([
      ["AAA", 5],
      ["AA", 7.5],
      ["", 0],
    ]);
    cell.cancel();
  });

  it("counts a score shown as 80 as AA, 10 points from AAA", () => {
    const cell = fx.stream("GRADEGAP", 79.99999999999999, null);
    expect(cell.last).toEqual([["AAA", expect.closeTo(10, 12)]]);
    cell.cancel();
  });

  it("spills two rows when the scores are a row", () => {
    const cell = fx.stream("GRADEGAP", row(85, 45), null);
    expect(cell.last).toEqual([
      ["AAA", "BB"],
      [5, 5],
    ]);
    cell.cancel();
  });

  it('gives "", "" for a blank, #VALUE! in both for text, #NUM! in both outside 0–100', () => {
    const num = err(NUM);
    const cell = fx.stream("GRADEGAP", col("", "high", 101), null);
    expect(cell.last).toEqual([
      ["", ""],
      [notANumber, notANumber],
      [num, num],
    ]);
    cell.cancel();
  });

  it("uses the bands argument, and is one #VALUE! for bad bands", () => {
    const good = fx.stream("GRADEGAP", col(20), [
      ["Good", 50],
      ["Poor", 0],
    ]);
    const bad = fx.stream("GRADEGAP", col(20), [["Good", 50]]);
    expect([good.last, bad.last]).toEqual([
      [["Good", 30]],
      [[expect.objectContaining({ code: VALUE, message: expect.stringMatching(/^bands must/) })]],
    ]);
    good.cancel();
    bad.cancel();
  });
});

describe("CRM.RISKMATRIX", () => {
  it("gives the action for value grade × credit risk, in English", () => {
    const cell = fx.stream(
      "RISKMATRIX",
      col("A", "B", "C", "D"),
      col("AA", "BB", "B", "AAA"),
      "en",
      null,
    );
    expect(cell.last).toEqual(col("Grow", "Maintain", "Cash only", "Review"));
    cell.cancel();
  });

  it("names the actions in Chinese when asked, and in the add-in's language by default", () => {
    const zh = loadFunctions({ language: "zh-CN" });
    const asked = fx.stream("RISKMATRIX", col("A", "C"), col("AA", "B"), "zh", null);
    const byDefault = zh.stream("RISKMATRIX", col("A", "C"), col("AA", "B"), null, null);
    expect([asked.last, byDefault.last]).toEqual([
      col("重点发展", "现款交易"),
      col("重点发展", "现款交易"),
    ]);
    asked.cancel();
    byDefault.cancel();
  });

  it("replaces the table with custom actions", () => {
    const actions = [
      ["Invest", "Insure", "Guard"],
      ["Nurture", "Keep", "Watch"],
      ["Self-serve", "Cap", "Prepay"],
    ];
    const cell = fx.stream("RISKMATRIX", col("A", "B", "D"), col("BB", "B", "AA"), "en", actions);
    expect(cell.last).toEqual(col("Insure", "Watch", "Review"));
    cell.cancel();
  });

  it('gives #VALUE! in the row of an unknown grade and "" for a blank', () => {
    const cell = fx.stream(
      "RISKMATRIX",
      col("E", "A", "", "A"),
      col("AA", "ZZ", "AA", null),
      "en",
      null,
    );
    expect(cell.last).toEqual(
      col(
        err(VALUE, "Unknown value grade E: use A, B, C or D"),
        err(VALUE, "Unknown grade ZZ"),
        "",
        "",
      ),
    );
    cell.cancel();
  });

  it("is one #VALUE! for a bad language, bad actions or columns of different lengths", () => {
    const calls = [
      fx.stream("RISKMATRIX", col("A"), col("AA"), "fr", null),
      fx.stream("RISKMATRIX", col("A"), col("AA"), "en", [["a", "b", "c"]]),
      fx.stream("RISKMATRIX", col("A", "B"), col("AA"), "en", null),
    ];
    expect(calls.map((c) => c.last)).toEqual([
      [[err(VALUE, 'language must be "en" or "zh"')]],
      [
        [
          err(
            VALUE,
            "actions must be a 3 × 3 range of labels: rows A, B, C; columns low, medium, high risk",
          ),
        ],
      ],
      [[differ]],
    ]);
    for (const c of calls) c.cancel();
  });
});

describe("the examples of docs/functions.md for the credit explanations", () => {
  it("=CRM.CREDITEXPLAIN({90,85,80,70,75}) → 22.5, 21.25, 16, 10.5, 11.25", () => {
    const cell = fx.stream("CREDITEXPLAIN", [[90, 85, 80, 70, 75]], null);
    expect(cell.last).toEqual([[22.5, 21.25, 16, 10.5, 11.25]]);
    cell.cancel();
  });

  it("=CRM.GRADEGAP({85;79.99999999999999}) → AAA, 5 and AAA, 10", () => {
    const cell = fx.stream("GRADEGAP", col(85, 79.99999999999999), null);
    const rows = cell.last as [string, number][];
    expect(rows.map(([grade, points]) => [grade, Number(points.toPrecision(15))])).toEqual([
      ["AAA", 5],
      ["AAA", 10],
    ]);
    cell.cancel();
  });

  it('=CRM.RISKMATRIX({"A";"C";"D"}, {"AA";"B";"AAA"}, "en" or "zh")', () => {
    const en = fx.stream("RISKMATRIX", col("A", "C", "D"), col("AA", "B", "AAA"), "en", null);
    const zh = fx.stream("RISKMATRIX", col("A", "C", "D"), col("AA", "B", "AAA"), "zh", null);
    expect([en.last, zh.last]).toEqual([
      col("Grow", "Cash only", "Review"),
      col("重点发展", "现款交易", "重新评估"),
    ]);
    en.cancel();
    zh.cancel();
  });
});

describe("CRM.AGING and CRM.AGEBUCKET", () => {
  const asOf = 46_000;
  const due = col(asOf, asOf - 1, asOf - 45, asOf - 61, asOf - 400);
  const amounts = col(1, 10, 100, 1000, 10000);

  it("totals the amounts per bucket in one row: Current, 1-30, 31-60, 61-90, 90+", () => {
    expect(fx.callSync("AGING", due, amounts, asOf, null)).toEqual([[1, 10, 100, 1000, 10000]]);
  });

  it("uses the given bucket_days (k boundaries give k + 2 totals)", () => {
    expect(fx.callSync("AGING", due, amounts, asOf, row(60))).toEqual([[1, 110, 11000]]);
  });

  it("skips rows with a blank date or amount", () => {
    expect(fx.callSync("AGING", col(asOf, "", asOf), col("", 5, 7), asOf, null)).toEqual([
      [7, 0, 0, 0, 0],
    ]);
  });

  it("is #VALUE! for the whole call when a date is text", () => {
    expect(fx.callSync("AGING", col("x"), col(1), asOf, null)).toEqual([[notANumber]]);
  });

  it("labels each invoice with its bucket", () => {
    expect(fx.callSync("AGEBUCKET", due, asOf, null)).toEqual(
      col("Current", "1-30", "31-60", "61-90", "90+"),
    );
  });

  it("ages against today when as_of is omitted", () => {
    const now = new Date();
    const today =
      Math.floor((now.getTime() - now.getTimezoneOffset() * 60_000) / 86_400_000) + 25_569;
    expect(fx.callSync("AGEBUCKET", col(today, today - 1), null, null)).toEqual(
      col("Current", "1-30"),
    );
  });

  it("is #NUM! for bucket_days that do not ascend", () => {
    expect(fx.callSync("AGEBUCKET", due, asOf, row(60, 30))).toEqual([[err(NUM)]]);
  });
});

describe("team functions without a session", () => {
  const signIn = err(NA, "Sign in from the CRM task pane");

  it("CRM.CUSTOMER is #N/A 'Sign in from the CRM task pane'", async () => {
    expect(await fx.call("CUSTOMER", "C-1", "name")).toEqual(signIn);
  });

  it("CRM.CUSTOMERS, CREDITCHECK and HISTORY are #N/A too", async () => {
    expect(await fx.call("CUSTOMERS", null)).toEqual([[signIn]]);
    expect(await fx.call("CREDITCHECK", "C-1", 5)).toEqual(signIn);
    expect(await fx.call("HISTORY", "C-1", null)).toEqual([[signIn]]);
  });

  it("CRM.LIVE streams the same #N/A", async () => {
    const cell = fx.stream("LIVE", "C-1", "name");
    expect(await cell.waitFor(1)).toEqual(signIn);
    cell.cancel();
  });
});

describe("team functions when the service cannot be reached", () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return typeof address === "object" && address ? address.port : 0;
  }

  it("is #N/A with a message, and the next calculation tries again", async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const f = loadFunctions({ fetch: counting });
    f.session.setApiBase(`http://127.0.0.1:${await closedPort()}`);
    f.session.set({
      token: "t",
      user: "ana",
      team: "acme",
      groups: [],
      expiresAt: Date.now() + 3_600_000,
    });
    const first = (await f.call("CUSTOMER", "C-1", "name")) as { code: string; message: string };
    const before = requests;
    const second = (await f.call("CUSTOMER", "C-1", "name")) as { code: string; message: string };
    expect(first.code).toBe(NA);
    expect(first.message).toMatch(
      /^Cannot reach the CRM service: .+\. It will retry on the next calculation\.$/,
    );
    expect(second.code).toBe(NA);
    expect(requests).toBeGreaterThan(before);
    f.session.set(null);
  });
});

describe("signing in", () => {
  it("asks Excel once to recalculate, so cells that asked to sign in read the data", async () => {
    const calculations: string[] = [];
    // Office.js's Excel.run, reduced to the calls made: a request context with calculate.
    const Excel = {
      async run(batch: (context: unknown) => Promise<void>) {
        const context = {
          workbook: { application: { calculate: (type: string) => calculations.push(type) } },
          sync: async () => {},
        };
        await batch(context);
      },
    };
    const f = loadFunctions({ Excel });
    f.session.setApiBase("http://127.0.0.1:9");
    const ana = {
      token: "t",
      user: "ana",
      team: "acme",
      groups: [],
      expiresAt: Date.now() + 60_000,
    };
    f.session.set(ana);
    f.session.set({ ...ana, token: "refreshed" });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calculations).toEqual(["Full"]);
    f.session.set(null);
  });
});

describe("nothing throws", () => {
  it("turns an unexpected exception into #VALUE! with a message", async () => {
    const hostile = {
      toString() {
        throw new Error("boom");
      },
    };
    expect(await fx.call("CUSTOMER", hostile, "name")).toEqual(
      err(VALUE, "Unexpected error in CRM.CUSTOMER: boom"),
    );
  });
});
