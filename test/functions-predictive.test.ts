/**
 * CRM.BGNBD, CRM.PALIVE, CRM.PURCHASES, CRM.GAMMAGAMMA, CRM.SPEND and CRM.PCLV loaded from
 * dist/functions.js and called with Excel's shapes (n × 1 columns, 1 × n rows, a 1 × 4
 * parameter row, null for omitted arguments), on the CDNOW customers (weeks).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cdnowCustomers } from "./cdnow.ts";
import { col, err, type LoadedFunctions, loadFunctions, row } from "./functions-harness.ts";

let fx: LoadedFunctions;
beforeAll(() => {
  fx = loadFunctions();
});

const NUM = "#NUM!";
const VALUE = "#VALUE!";
const all = cdnowCustomers();
const first30 = cdnowCustomers(30);
const asCol = (values: number[]) => values.map((v) => [v]);
/** The CDNOW columns as Excel passes B2:B2358 and so on. */
const cdnow = {
  frequency: asCol(all.frequency),
  recency: asCol(all.recency),
  age: asCol(all.age),
  avgSpend: asCol(all.avgSpend),
};
const PARAMS = row(0.243, 4.414, 0.793, 2.426);
const SPEND_PARAMS = row(6.25, 3.74, 15.44);

const fixed = (digits: number) => (v: unknown) => (v as number).toFixed(digits);

describe("CRM.BGNBD", () => {
  it("spills one row r, alpha, a, b: the published 0.243, 4.414, 0.793, 2.426 on CDNOW", () => {
    const out = fx.callSync("BGNBD", cdnow.frequency, cdnow.recency, cdnow.age) as number[][];
    expect(out).toHaveLength(1);
    expect(out[0]?.map(fixed(3))).toEqual(["0.243", "4.414", "0.793", "2.426"]);
  });

  it("is one #NUM! cell (Excel shows no message with #NUM!) for fewer than 5 usable rows", () => {
    expect(fx.callSync("BGNBD", col(1, 0, 2, ""), col(3, 0, 5, ""), col(9, 9, 9, 9))).toEqual([
      [err(NUM)],
    ]);
  });

  it("is #VALUE! 'expects a single column or row' for a 2 × 2 block", () => {
    const block = [
      [1, 2],
      [3, 4],
    ];
    expect(fx.callSync("BGNBD", block, block, block)).toEqual([
      [err(VALUE, "expects a single column or row")],
    ]);
  });
});

describe("CRM.PALIVE", () => {
  it("spills one probability per customer down the column, 1 for frequency 0", () => {
    const out = fx.callSync("PALIVE", col(2, 0), col(30.43, 0), col(38.86, 38.86), PARAMS);
    expect((out as number[][]).map((r) => r.map(fixed(4)))).toEqual([["0.7266"], ["1.0000"]]);
  });

  it("spills across when the customers are a row", () => {
    const out = fx.callSync("PALIVE", row(2, 0), row(30.43, 0), row(38.86, 38.86), PARAMS);
    expect((out as number[][])[0]).toHaveLength(2);
  });

  it("fits its own rows when params is omitted, as with the parameters of CRM.BGNBD", () => {
    const f = asCol(first30.frequency);
    const r = asCol(first30.recency);
    const t = asCol(first30.age);
    const params = fx.callSync("BGNBD", f, r, t);
    expect(fx.callSync("PALIVE", f, r, t, null)).toEqual(fx.callSync("PALIVE", f, r, t, params));
  });

  it("marks a blank row blank, text #VALUE! and recency > age #NUM!, only there", () => {
    const out = fx.callSync(
      "PALIVE",
      col(2, "", "x", 1),
      col(30, 1, 1, 9),
      col(38, 5, 5, 5),
      PARAMS,
    );
    expect((out as unknown[][]).slice(1)).toEqual([[""], [err(VALUE, "not a number")], [err(NUM)]]);
  });

  it("is #NUM! for params that are not four positive numbers", () => {
    expect(fx.callSync("PALIVE", col(1), col(1), col(2), row(0.2, 4, 0.8))).toEqual([[err(NUM)]]);
  });

  it("shows its messages in Chinese when the add-in's language is zh-CN", () => {
    const zh = loadFunctions({ language: "zh-CN" });
    expect(zh.callSync("PALIVE", col("x"), col(9), col(5), PARAMS)).toEqual([
      [err(VALUE, "不是数字")],
    ]);
  });
});

describe("CRM.PURCHASES", () => {
  it("gives FHL's 1.226 purchases in 39 weeks for x = 2, t_x = 30.43, T = 38.86", () => {
    const out = fx.callSync("PURCHASES", col(2), col(30.43), col(38.86), 39, PARAMS);
    expect((out as number[][])[0]?.map(fixed(3))).toEqual(["1.226"]);
  });

  it("is #NUM! for the whole call when a = 1", () => {
    expect(fx.callSync("PURCHASES", col(2), col(3), col(4), 39, row(0.2, 4, 1, 2))).toEqual([
      [err(NUM)],
    ]);
  });
});

describe("CRM.GAMMAGAMMA and CRM.SPEND", () => {
  it("spills one row p, q, v: 6.25, 3.74 and 15.44 on CDNOW's repeat buyers", () => {
    const [[p, q, v] = []] = fx.callSync(
      "GAMMAGAMMA",
      cdnow.frequency,
      cdnow.avgSpend,
    ) as number[][];
    expect([fixed(2)(p), fixed(2)(q)]).toEqual(["6.25", "3.74"]);
    expect(Math.abs((v as number) - 15.44)).toBeLessThanOrEqual(0.01);
  });

  it("gives 24.66 to 2 purchases of mean 22.35 and the mean 35.22 to frequency 0", () => {
    const out = fx.callSync("SPEND", col(2, 0), col(22.35, 0), SPEND_PARAMS) as number[][];
    expect(out.map((r) => r.map(fixed(2)))).toEqual([["24.66"], ["35.22"]]);
  });

  it("is #NUM! for the whole call when q <= 1 (no mean spend)", () => {
    expect(fx.callSync("SPEND", col(2), col(5), row(6, 0.9, 15))).toEqual([[err(NUM)]]);
  });
});

describe("CRM.PCLV", () => {
  it("gives 35.88 over 12 months at 1 % a month for CDNOW's customer 1 (weeks, unit_days 7)", () => {
    const out = fx.callSync(
      "PCLV",
      col(2, 0),
      col(30.43, 0),
      col(38.86, 38.86),
      col(22.35, 0),
      12,
      0.01,
      7,
      PARAMS,
      SPEND_PARAMS,
    ) as number[][];
    expect(out[0]?.map(fixed(2))).toEqual(["35.88"]);
  });

  it("fits both models on its own rows when their params are omitted", () => {
    const args = [first30.frequency, first30.recency, first30.age, first30.avgSpend].map(asCol);
    const [f, r, t, m] = args;
    const bg = fx.callSync("BGNBD", f, r, t);
    const gg = fx.callSync("GAMMAGAMMA", f, m);
    expect(fx.callSync("PCLV", ...args, 12, 0.01, 7, null, null)).toEqual(
      fx.callSync("PCLV", ...args, 12, 0.01, 7, bg, gg),
    );
  });

  it("is #NUM! for months given as text (a text option)", () => {
    expect(
      fx.callSync("PCLV", col(1), col(1), col(2), col(5), "12", 0, null, PARAMS, SPEND_PARAMS),
    ).toEqual([[err(NUM)]]);
  });
});
