import { describe, expect, it } from "vitest";
import { columnFromCells, columnOf } from "./columns.ts";
import { errors } from "./errors.ts";
import { median, valueMatrix } from "./valueMatrix.ts";

describe("CRM.VALUEMATRIX", () => {
  it("cuts at the medians by default, high meaning >= the cut", () => {
    // Medians: value 25, loyalty 5.
    const value = columnOf([10, 20, 30, 40]);
    const loyalty = columnOf([9, 1, 9, 1]);
    expect(valueMatrix(value, loyalty, null, null, "en")).toEqual([
      "Low value, high loyalty",
      "Low value, low loyalty",
      "High value, high loyalty",
      "High value, low loyalty",
    ]);
  });

  it("names the quadrants in Chinese", () => {
    const value = columnOf([10, 20, 30, 40]);
    const loyalty = columnOf([9, 1, 9, 1]);
    expect(valueMatrix(value, loyalty, null, null, "zh")).toEqual([
      "低价值高忠诚",
      "低价值低忠诚",
      "高价值高忠诚",
      "高价值低忠诚",
    ]);
  });

  it("counts a value equal to the cut as high", () => {
    expect(valueMatrix(columnOf([5]), columnOf([5]), 5, 5, "en")).toEqual([
      "High value, high loyalty",
    ]);
  });

  it("uses given cuts", () => {
    expect(valueMatrix(columnOf([10, 20]), columnOf([1, 2]), 100, 0, "en")).toEqual([
      "Low value, high loyalty",
      "Low value, high loyalty",
    ]);
  });

  it("leaves rows that do not count out of the medians", () => {
    // Without the text row the value median is 15; with it, it would differ.
    const value = columnFromCells([10, 20, "x", ""]);
    const loyalty = columnFromCells([1, 1, 1000, ""]);
    expect(valueMatrix(value, loyalty, null, null, "en")).toEqual([
      "Low value, high loyalty",
      "High value, high loyalty",
      errors.notANumber,
      "",
    ]);
  });

  it("gives #VALUE! for a row with one blank cell", () => {
    const result = valueMatrix(columnFromCells([1, ""]), columnOf([1, 2]), null, null, "en");
    expect(result).toEqual(["High value, high loyalty", errors.notANumber]);
  });

  it("rejects a cut that is not a number", () => {
    expect(valueMatrix(columnOf([1]), columnOf([1]), Number.NaN, null, "en")).toBe(
      errors.notANumber,
    );
  });

  it("rejects an unknown language", () => {
    expect(valueMatrix(columnOf([1]), columnOf([1]), null, null, "de")).toBe(errors.badLanguage);
  });

  it("rejects columns of different lengths", () => {
    expect(valueMatrix(columnOf([1]), columnOf([1, 2]), null, null, "en")).toBe(
      errors.columnsDifferInLength,
    );
  });
});

describe("median", () => {
  it("is the middle value of an odd count", () => {
    expect(median(Float64Array.of(3, 1, 2))).toBe(2);
  });

  it("is the mean of the middle two of an even count", () => {
    expect(median(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
  });
});
