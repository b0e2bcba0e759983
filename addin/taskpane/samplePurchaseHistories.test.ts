/** The preview's sample purchase histories are the CDNOW excerpt they say they are. */
import { describe, expect, it } from "vitest";
import { cdnowCustomers } from "../../test/cdnow.ts";
import { SAMPLE_HISTORY_HEADERS, samplePurchaseHistories } from "./samplePurchaseHistories.ts";

describe("samplePurchaseHistories", () => {
  it("holds the first 200 CDNOW customers, their weeks as whole days", () => {
    const cdnow = cdnowCustomers(200);
    const rows = samplePurchaseHistories();
    const column = (header: (typeof SAMPLE_HISTORY_HEADERS)[number]) =>
      rows.map((row) => row[SAMPLE_HISTORY_HEADERS.indexOf(header)]);
    expect({
      repeat: column("repeatPurchases"),
      firstToLast: column("firstToLastDays"),
      age: column("ageDays"),
      avgSpend: column("avgSpend"),
    }).toEqual({
      repeat: cdnow.frequency,
      firstToLast: cdnow.recency.map((weeks) => Math.round(weeks * 7)),
      age: cdnow.age.map((weeks) => Math.round(weeks * 7)),
      avgSpend: cdnow.avgSpend,
    });
  });

  it("gives each customer an id and repeat revenue to grade by", () => {
    const [first] = samplePurchaseHistories();
    expect([first?.[0], first?.[5]]).toEqual(["CDNOW-001", 44.7]);
  });
});
