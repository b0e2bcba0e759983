import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnFromCells, columnOf } from "./columns.ts";
import { errors } from "./errors.ts";
import { type RfmScores, rfmScores, rfmSegments } from "./rfm.ts";

const scores = (x: unknown) => x as RfmScores;
const ones = (n: number) => columnOf(new Array<number>(n).fill(1));

// The formula of formulas.md, quadratic, for checking on small inputs.
function scoreByDefinition(
  values: readonly number[],
  bins: number,
  better: (x: number, v: number) => boolean,
) {
  const n = values.length;
  return values.map((v) => 1 + Math.floor((bins * values.filter((x) => better(x, v)).length) / n));
}

describe("CRM.RFM", () => {
  it("scores frequency 1, 2, 3, 4, 5 as F 1, 2, 3, 4, 5", () => {
    expect(scores(rfmScores(ones(5), columnOf([1, 2, 3, 4, 5]), ones(5))).f).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  it("scores frequency 1, 1, 1, 1, 5 as F 1, 1, 1, 1, 5", () => {
    expect(scores(rfmScores(ones(5), columnOf([1, 1, 1, 1, 5]), ones(5))).f).toEqual([
      1, 1, 1, 1, 5,
    ]);
  });

  it("scores fewer days since the last purchase higher", () => {
    expect(scores(rfmScores(columnOf([50, 40, 30, 20, 10]), ones(5), ones(5))).r).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  it("scores monetary like frequency", () => {
    expect(scores(rfmScores(ones(4), ones(4), columnOf([300, 100, 200, 400]))).m).toEqual([
      3, 1, 2, 4,
    ]);
  });

  it("scores in 2 bins", () => {
    expect(scores(rfmScores(ones(4), columnOf([1, 2, 3, 4]), ones(4), 2)).f).toEqual([1, 1, 2, 2]);
  });

  it("scores in 10 bins", () => {
    const f = columnOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(scores(rfmScores(ones(10), f, ones(10), 10)).f).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.each([1, 11, 2.5, Number.NaN, -3])("rejects bins %s as #NUM!", (bins) => {
    expect(rfmScores(ones(2), ones(2), ones(2), bins)).toBe(errors.badBins);
  });

  it("treats null bins as 5", () => {
    expect(scores(rfmScores(ones(5), columnOf([1, 2, 3, 4, 5]), ones(5), null)).f).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  it("scores a single row 1, 1, 1", () => {
    expect(rfmScores(columnOf([3]), columnOf([2]), columnOf([9]))).toEqual({
      r: [1],
      f: [1],
      m: [1],
    });
  });

  it("gives three blanks for a row with all three blank, and leaves it out of n", () => {
    const result = scores(
      rfmScores(
        columnFromCells([1, "", 3]),
        columnFromCells([1, null, 2]),
        columnFromCells([1, "", 1]),
      ),
    );
    expect(result).toEqual({ r: [3, "", 1], f: [1, "", 3], m: [1, "", 1] });
  });

  it("gives #VALUE! in all three positions for a partly blank row", () => {
    const v = errors.notANumber;
    const result = scores(
      rfmScores(columnFromCells([1, "", 3]), columnFromCells([1, 5, 2]), ones(3)),
    );
    expect([result.r[1], result.f[1], result.m[1]]).toEqual([v, v, v]);
  });

  it("gives #VALUE! in all three positions for a row with text", () => {
    const v = errors.notANumber;
    const result = scores(rfmScores(ones(2), columnFromCells([1, "many"]), ones(2)));
    expect(result).toEqual({ r: [1, v], f: [1, v], m: [1, v] });
  });

  it("returns blanks for all-blank columns", () => {
    const blank = columnFromCells(["", ""]);
    expect(rfmScores(blank, blank, blank)).toEqual({ r: ["", ""], f: ["", ""], m: ["", ""] });
  });

  it("rejects columns of different lengths", () => {
    expect(rfmScores(ones(2), ones(3), ones(2))).toBe(errors.columnsDifferInLength);
  });

  const column = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 });

  it("matches the formulas of formulas.md and stays within 1..bins (property)", () => {
    fc.assert(
      fc.property(column, fc.integer({ min: 2, max: 10 }), (values, bins) => {
        const n = values.length;
        const result = scores(
          rfmScores(columnOf(values), columnOf(values), columnOf(values), bins),
        );
        expect(result.r).toEqual(scoreByDefinition(values, bins, (x, v) => x > v));
        expect(result.f).toEqual(scoreByDefinition(values, bins, (x, v) => x < v));
        expect(result.m).toEqual(result.f);
        for (const s of [...result.r, ...result.f]) {
          expect(s).toBeGreaterThanOrEqual(1);
          expect(s).toBeLessThanOrEqual(bins);
        }
        expect(result.r.length).toBe(n);
      }),
    );
  });

  it("permutes its output when the rows are permuted (property)", () => {
    const rows = fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
      ),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(rows, fc.infiniteStream(fc.nat()), (table, picks) => {
        const order = table.map((_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const j = (picks.next().value as number) % (i + 1);
          [order[i], order[j]] = [order[j] as number, order[i] as number];
        }
        const score = (t: typeof table) =>
          scores(
            rfmScores(
              columnOf(t.map((x) => x[0])),
              columnOf(t.map((x) => x[1])),
              columnOf(t.map((x) => x[2])),
            ),
          );
        const whole = score(table);
        const permuted = score(order.map((i) => table[i] as [number, number, number]));
        expect(permuted).toEqual({
          r: order.map((i) => whole.r[i]),
          f: order.map((i) => whole.f[i]),
          m: order.map((i) => whole.m[i]),
        });
      }),
    );
  });

  it("is monotone: more frequency never scores lower, more recency days never higher (property)", () => {
    fc.assert(
      fc.property(column, (values) => {
        const result = scores(rfmScores(columnOf(values), columnOf(values), columnOf(values)));
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            if ((values[i] as number) > (values[j] as number)) {
              expect(result.f[i] as number).toBeGreaterThanOrEqual(result.f[j] as number);
              expect(result.r[i] as number).toBeLessThanOrEqual(result.r[j] as number);
            }
          }
        }
      }),
    );
  });
});

describe("CRM.RFMSEGMENT", () => {
  // Means: recency 20, frequency 5, monetary 500.
  const recency = columnOf([10, 30, 10, 30, 20]);
  const frequency = columnOf([8, 8, 2, 2, 5]);
  const monetary = columnOf([900, 900, 100, 100, 500]);

  it("names the eight classes in English", () => {
    expect(rfmSegments(recency, frequency, monetary, "en")).toEqual([
      "Important value",
      "Important retention",
      "General development",
      "General win-back",
      "Important value",
    ]);
  });

  it("names the classes in Chinese", () => {
    expect(rfmSegments(recency, frequency, monetary, "zh")).toEqual([
      "重要价值客户",
      "重要保持客户",
      "一般发展客户",
      "一般挽留客户",
      "重要价值客户",
    ]);
  });

  it("covers all eight combinations of high and low", () => {
    const r = columnOf([0, 0, 0, 0, 10, 10, 10, 10]);
    const f = columnOf([9, 9, 0, 0, 9, 9, 0, 0]);
    const m = columnOf([9, 0, 9, 0, 9, 0, 9, 0]);
    expect(rfmSegments(r, f, m, "zh")).toEqual([
      "重要价值客户",
      "一般价值客户",
      "重要发展客户",
      "一般发展客户",
      "重要保持客户",
      "一般保持客户",
      "重要挽留客户",
      "一般挽留客户",
    ]);
  });

  it("accepts the language in any letter case and as zh-CN", () => {
    expect(rfmSegments(ones(1), ones(1), ones(1), "ZH-cn")).toEqual(["重要价值客户"]);
  });

  it.each(["fr", "", 1, null])("rejects language %s as #VALUE!", (language) => {
    expect(rfmSegments(ones(1), ones(1), ones(1), language)).toBe(errors.badLanguage);
  });

  it("gives a blank for an all-blank row and #VALUE! for a partly blank one", () => {
    const result = rfmSegments(
      columnFromCells([1, "", ""]),
      columnFromCells([1, "", 3]),
      columnFromCells([1, "", 1]),
      "en",
    );
    expect(result).toEqual(["Important value", "", errors.notANumber]);
  });

  it("rejects columns of different lengths", () => {
    expect(rfmSegments(ones(1), ones(2), ones(1), "en")).toBe(errors.columnsDifferInLength);
  });
});
