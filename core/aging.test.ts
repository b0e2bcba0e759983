import { describe, expect, it } from "vitest";
import { ageBuckets, agingTotals, bucketLabels } from "./aging.ts";
import { columnFromCells, columnOf } from "./columns.ts";
import { errors } from "./errors.ts";

const AS_OF = 46_000;
// Due dates that are exactly 0, 30, 31, 60, 61, 90 and 91 days old on AS_OF.
const DAYS = [0, 30, 31, 60, 61, 90, 91];
const due = columnOf(DAYS.map((d) => AS_OF - d));

describe("CRM.AGEBUCKET", () => {
  it("labels the boundaries 0/30/31/60/61/90/91 days", () => {
    expect(ageBuckets(due, AS_OF)).toEqual([
      "Current",
      "1-30",
      "31-60",
      "31-60",
      "61-90",
      "61-90",
      "90+",
    ]);
  });

  it("labels not-yet-due invoices Current", () => {
    expect(ageBuckets(columnOf([AS_OF + 10]), AS_OF)).toEqual(["Current"]);
  });

  it("labels 1 day overdue 1-30", () => {
    expect(ageBuckets(columnOf([AS_OF - 1]), AS_OF)).toEqual(["1-30"]);
  });

  it("follows the same pattern for other boundaries", () => {
    expect(
      ageBuckets(columnOf([AS_OF - 7, AS_OF - 8, AS_OF - 100]), AS_OF, columnOf([7, 14])),
    ).toEqual(["1-7", "8-14", "14+"]);
  });

  it("gives a blank for a blank date and #VALUE! for text", () => {
    expect(ageBuckets(columnFromCells(["", "soon"]), AS_OF)).toEqual(["", errors.notANumber]);
  });

  it("rejects an as_of that is not a number", () => {
    expect(ageBuckets(due, Number.NaN)).toBe(errors.badAsOf);
  });
});

describe("CRM.AGING", () => {
  it("totals amounts per bucket with the default boundaries", () => {
    const amounts = columnOf([1, 2, 4, 8, 16, 32, 64]);
    expect(agingTotals(due, amounts, AS_OF)).toEqual([1, 2, 12, 48, 64]);
  });

  it("gives k + 2 totals for k boundaries", () => {
    expect(agingTotals(due, columnOf([1, 1, 1, 1, 1, 1, 1]), AS_OF, columnOf([45]))).toEqual([
      1, 2, 4,
    ]);
  });

  it("skips rows with a blank date or amount", () => {
    const dates = columnFromCells([AS_OF, "", AS_OF]);
    expect(agingTotals(dates, columnFromCells([5, 7, ""]), AS_OF)).toEqual([5, 0, 0, 0, 0]);
  });

  it("gives #VALUE! for the whole call when a date is text", () => {
    expect(agingTotals(columnFromCells(["x"]), columnOf([1]), AS_OF)).toBe(errors.notANumber);
  });

  it("gives #VALUE! for the whole call when an amount is text", () => {
    expect(agingTotals(columnOf([AS_OF]), columnFromCells([true]), AS_OF)).toBe(errors.notANumber);
  });

  it("rejects columns of different lengths", () => {
    expect(agingTotals(columnOf([1, 2]), columnOf([1]), AS_OF)).toBe(errors.columnsDifferInLength);
  });

  it("gives zeros for no invoices", () => {
    expect(agingTotals(columnOf([]), columnOf([]), AS_OF)).toEqual([0, 0, 0, 0, 0]);
  });

  it.each([
    ["descending", [60, 30]],
    ["repeated", [30, 30]],
    ["fractional", [30.5]],
    ["zero", [0, 30]],
  ])("rejects %s bucket_days as #NUM!", (_name, days) => {
    expect(agingTotals(due, due, AS_OF, columnOf(days))).toBe(errors.badBucketDays);
  });

  it("rejects bucket_days with text as #NUM!", () => {
    expect(agingTotals(due, due, AS_OF, columnFromCells([30, "x"]))).toBe(errors.badBucketDays);
  });

  it("rejects all-blank bucket_days as #NUM!", () => {
    expect(agingTotals(due, due, AS_OF, columnFromCells(["", null]))).toBe(errors.badBucketDays);
  });

  it("ignores blank cells in bucket_days", () => {
    expect(agingTotals(due, due, AS_OF, columnFromCells([30, "", 60, 90]))).toEqual(
      agingTotals(due, due, AS_OF),
    );
  });
});

describe("bucketLabels", () => {
  it("labels the default buckets Current, 1-30, 31-60, 61-90, 90+", () => {
    expect(bucketLabels([30, 60, 90])).toEqual(["Current", "1-30", "31-60", "61-90", "90+"]);
  });
});
