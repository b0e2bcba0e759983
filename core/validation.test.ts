import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "./policy.ts";
import { idProblem, isWellFormed, lookupIdProblem } from "./schema.ts";
import { clipped, limitProblems, validatePolicy, validateRecord } from "./validation.ts";

const base = { id: "C-1", name: "华为技术" };

/** The problems of an input that must be refused. */
function problemsOfRecord(input: unknown) {
  const result = validateRecord(input);
  if (result.ok) throw new Error("expected the record to be refused");
  return result.problems;
}

function problemsOfPolicy(input: unknown) {
  const result = validatePolicy(input);
  if (result.ok) throw new Error("expected the policy to be refused");
  return result.problems;
}

describe("validateRecord", () => {
  it("accepts a minimal record with a Chinese name", () => {
    expect(validateRecord(base)).toEqual({ ok: true, record: base });
  });

  it("accepts a record with every field", () => {
    const full = {
      ...base,
      owner: "ana",
      segment: "大客户",
      grade: "A",
      creditGrade: "AA",
      revenue: -12.5,
      profit: 3,
      lastOrderDate: "2024-02-29",
      orderCount: 7,
      creditFactors: { character: 80, capacity: 70, capital: 60, collateral: 50, conditions: 0 },
      creditScore: 66.5,
      creditLimit: 100000,
      receivables: 0,
      openOrders: 12,
      termDays: 3650,
      extra: { region: "华东", vip: true, rank: 3, note: null },
    };
    expect(validateRecord(full)).toEqual({ ok: true, record: full });
  });

  it("ignores server fields echoed back by a client", () => {
    const echoed = { ...base, version: 3, createdAt: "x", updatedAt: "y", updatedBy: "li" };
    expect(validateRecord(echoed)).toEqual({ ok: true, record: base });
  });

  it.each([
    ["a missing id", { name: "x" }, "id"],
    ["an empty id", { ...base, id: "" }, "id"],
    ["a 65-character id", { ...base, id: "x".repeat(65) }, "id"],
    ["a control character in the id", { ...base, id: "C\u00071" }, "id"],
    ["a newline in the id", { ...base, id: "C\n1" }, "id"],
    ["a leading space in the id", { ...base, id: " C-1" }, "id"],
    ["a trailing space in the id", { ...base, id: "C-1 " }, "id"],
    ["a numeric id", { ...base, id: 12 }, "id"],
    ["a missing name", { id: "C-1" }, "name"],
    ["an empty name", { ...base, name: "" }, "name"],
    ["a 201-character name", { ...base, name: "名".repeat(201) }, "name"],
    ["a 65-character owner", { ...base, owner: "o".repeat(65) }, "owner"],
    ["a numeric segment", { ...base, segment: 1 }, "segment"],
    ["a grade that is not text", { ...base, grade: ["A"] }, "grade"],
    ["a creditGrade that is too long", { ...base, creditGrade: "g".repeat(65) }, "creditGrade"],
    ["revenue as text", { ...base, revenue: "100" }, "revenue"],
    ["an infinite profit", { ...base, profit: Number.POSITIVE_INFINITY }, "profit"],
    ["a revenue DynamoDB cannot store", { ...base, revenue: 1e200 }, "revenue"],
    ["a NaN revenue", { ...base, revenue: Number.NaN }, "revenue"],
    ["a date in the wrong format", { ...base, lastOrderDate: "2024/01/02" }, "lastOrderDate"],
    ["a date that does not exist", { ...base, lastOrderDate: "2023-02-29" }, "lastOrderDate"],
    ["a fractional orderCount", { ...base, orderCount: 1.5 }, "orderCount"],
    ["a negative orderCount", { ...base, orderCount: -1 }, "orderCount"],
    ["creditFactors that are not an object", { ...base, creditFactors: 5 }, "creditFactors"],
    [
      "a credit factor above 100",
      {
        ...base,
        creditFactors: { character: 101, capacity: 1, capital: 1, collateral: 1, conditions: 1 },
      },
      "creditFactors.character",
    ],
    [
      "a missing credit factor",
      { ...base, creditFactors: { character: 1, capacity: 1, capital: 1, collateral: 1 } },
      "creditFactors.conditions",
    ],
    [
      "an unknown credit factor",
      {
        ...base,
        creditFactors: {
          character: 1,
          capacity: 1,
          capital: 1,
          collateral: 1,
          conditions: 1,
          luck: 1,
        },
      },
      "creditFactors.luck",
    ],
    ["a creditScore below 0", { ...base, creditScore: -0.1 }, "creditScore"],
    ["a negative creditLimit", { ...base, creditLimit: -1 }, "creditLimit"],
    ["a negative receivables", { ...base, receivables: -5 }, "receivables"],
    ["openOrders as a boolean", { ...base, openOrders: true }, "openOrders"],
    ["termDays above 3650", { ...base, termDays: 3651 }, "termDays"],
    ["fractional termDays", { ...base, termDays: 30.5 }, "termDays"],
    ["extra that is a list", { ...base, extra: [1] }, "extra"],
    ["an extra value that is an object", { ...base, extra: { a: { b: 1 } } }, "extra.a"],
    ["an extra text over 1000 characters", { ...base, extra: { a: "x".repeat(1001) } }, "extra.a"],
    ["an empty extra key", { ...base, extra: { "": 1 } }, "extra."],
    [
      "an extra key over 64 characters",
      { ...base, extra: { ["k".repeat(65)]: 1 } },
      `extra.${"k".repeat(65)}`,
    ],
    [
      "extra with 51 keys",
      { ...base, extra: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      "extra",
    ],
    ["an unknown top-level field", { ...base, team: "globex" }, "team"],
    ["a record over 32 KB", { ...base, extra: bigExtra() }, "(record)"],
    ["a body that is not an object", "C-1", "(body)"],
    ["a body that is null", null, "(body)"],
  ])("refuses %s, naming the field", (_name, input, field) => {
    const problems = problemsOfRecord(input);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
  });

  it("lists every problem of a record, field by field", () => {
    const problems = problemsOfRecord({ id: "", name: 3, creditLimit: -1, colour: "red", size: 2 });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ["colour", "creditLimit", "id", "name", "size"].sort(),
    );
  });

  it("names the allowed fields when a field is unknown", () => {
    const [problem] = problemsOfRecord({ ...base, colour: "red" });
    expect(problem?.message).toContain("allowed: id, name");
  });

  it("says why an id is refused", () => {
    expect(problemsOfRecord({ ...base, id: "a\tb" })).toEqual([
      { field: "id", message: "must not contain control characters" },
    ]);
  });
});

/** An `extra` object that puts a record just over 32 KB. */
function bigExtra(): Record<string, string> {
  return Object.fromEntries(Array.from({ length: 34 }, (_, i) => [`k${i}`, "x".repeat(1000)]));
}

describe("object keys of extra", () => {
  it("keeps keys named like Object.prototype's members", () => {
    const extra = JSON.parse('{"constructor":"c","toString":1,"hasOwnProperty":null}');
    expect(validateRecord({ ...base, extra })).toEqual({ ok: true, record: { ...base, extra } });
  });

  it("refuses a __proto__ key instead of dropping it", () => {
    const extra = JSON.parse('{"__proto__":"x"}');
    expect(problemsOfRecord({ ...base, extra }).map((p) => p.field)).toEqual(["extra.__proto__"]);
  });

  it("refuses a key with a lone surrogate", () => {
    expect(problemsOfRecord({ ...base, extra: { "k\ud800": 1 } })[0]?.message).toContain(
      "valid Unicode",
    );
  });
});

describe("unicode text", () => {
  it.each(["name", "owner", "segment"])("refuses a lone surrogate in %s", (field) => {
    expect(problemsOfRecord({ ...base, [field]: "a\udfffb" }).map((p) => p.field)).toEqual([field]);
  });

  it("accepts emoji (surrogate pairs)", () => {
    expect(validateRecord({ ...base, name: "😀 客户" }).ok).toBe(true);
  });
});

describe("lookupIdProblem", () => {
  it.each([
    ["a 128-character id", "x".repeat(128), null],
    ["a 129-character id", "x".repeat(129), "must have 1 to 128 characters"],
    ["an id with outer spaces", " x ", null],
    ["a lone surrogate", "x\ud800y", "must be valid Unicode text (no lone surrogates)"],
    ["a number", 5, "must be text"],
  ])("answers %s", (_name, id, problem) => {
    expect(lookupIdProblem(id)).toBe(problem);
  });
});

describe("limitProblems", () => {
  it("keeps at most the given number and counts the rest", () => {
    const problems = Array.from({ length: 5 }, (_, i) => ({ field: `f${i}`, message: "m" }));
    expect(limitProblems(problems, 2)).toEqual([
      { field: "f0", message: "m" },
      { field: "f1", message: "m" },
      { field: "(more)", message: "and 3 more problems not listed", more: 3 },
    ]);
  });

  it("names the allowed fields once for many unknown fields", () => {
    const problems = problemsOfRecord({ ...base, a: 1, b: 2, c: 3 });
    expect(problems.filter((p) => p.message.includes("allowed:")).length).toBe(1);
  });
});

describe("clipped", () => {
  it("never cuts a surrogate pair in half", () => {
    const cut = clipped(`${"x".repeat(8)}😀😀`, 10);
    expect([cut, isWellFormed(cut)]).toEqual([`${"x".repeat(8)}…`, true]);
  });
});

describe("idProblem", () => {
  it("accepts Chinese ids", () => {
    expect(idProblem("客户-001")).toBeNull();
  });

  it("refuses DEL", () => {
    expect(idProblem("a\u007f")).toBe("must not contain control characters");
  });
});

describe("validatePolicy", () => {
  it("accepts the default policy", () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it("ignores the version and source a client echoes back", () => {
    expect(validatePolicy({ ...DEFAULT_POLICY, version: 2, source: "team" }).ok).toBe(true);
  });

  const withBands = (bands: unknown) => ({ ...DEFAULT_POLICY, bands });

  it.each([
    [
      "a negative weight",
      { ...DEFAULT_POLICY, weights: { ...DEFAULT_POLICY.weights, capital: -1 } },
      "weights.capital",
    ],
    [
      "all weights 0",
      {
        ...DEFAULT_POLICY,
        weights: { character: 0, capacity: 0, capital: 0, collateral: 0, conditions: 0 },
      },
      "weights",
    ],
    ["a missing weight", { ...DEFAULT_POLICY, weights: { character: 1 } }, "weights.capacity"],
    ["no bands", withBands([]), "bands"],
    ["bands that are not a list", withBands("AAA"), "bands"],
    [
      "a repeated grade",
      withBands([
        { grade: "A", minScore: 50, limitPct: 10, termDays: 30 },
        { grade: "A", minScore: 0, limitPct: 0, termDays: 0 },
      ]),
      "bands.1.grade",
    ],
    [
      "min scores not strictly descending",
      withBands([
        { grade: "A", minScore: 50, limitPct: 10, termDays: 30 },
        { grade: "B", minScore: 50, limitPct: 5, termDays: 0 },
        { grade: "C", minScore: 0, limitPct: 0, termDays: 0 },
      ]),
      "bands.1.minScore",
    ],
    [
      "a last band above 0",
      withBands([{ grade: "A", minScore: 10, limitPct: 10, termDays: 30 }]),
      "bands.0.minScore",
    ],
    [
      "a band with a negative limitPct",
      withBands([{ grade: "A", minScore: 0, limitPct: -1, termDays: 30 }]),
      "bands.0.limitPct",
    ],
    [
      "a band with fractional termDays",
      withBands([{ grade: "A", minScore: 0, limitPct: 1, termDays: 1.5 }]),
      "bands.0.termDays",
    ],
    [
      "a band with an unknown field",
      withBands([{ grade: "A", minScore: 0, limitPct: 1, termDays: 1, colour: "red" }]),
      "bands.0.colour",
    ],
    ["limitRounding of 0", { ...DEFAULT_POLICY, limitRounding: 0 }, "limitRounding"],
    ["a negative maxLimit", { ...DEFAULT_POLICY, maxLimit: -1 }, "maxLimit"],
    ["maxLimit as text", { ...DEFAULT_POLICY, maxLimit: "none" }, "maxLimit"],
    ["a negative staffRaiseLimit", { ...DEFAULT_POLICY, staffRaiseLimit: -1 }, "staffRaiseLimit"],
    ["a lowercase currency", { ...DEFAULT_POLICY, currency: "cny" }, "currency"],
    ["a missing currency", { ...DEFAULT_POLICY, currency: undefined }, "currency"],
    ["an unknown top-level field", { ...DEFAULT_POLICY, team: "acme" }, "team"],
  ])("refuses %s, naming the field", (_name, input, field) => {
    expect(problemsOfPolicy(input).map((p) => p.field)).toContain(field);
  });
});
