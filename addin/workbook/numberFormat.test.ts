import { describe, expect, it } from "vitest";
import { formatted } from "./numberFormat.ts";

describe("the number formats the wizard writes, as Excel shows them", () => {
  it("shows a share as a percent with one decimal", () => {
    expect(formatted(0.5503, "0.0%")).toBe("55.0%");
  });

  it("shows a limit in the policy's currency with grouping", () => {
    expect([formatted(78000, "[$¥]#,##0"), formatted(-1500, "[$CHF] #,##0")]).toEqual([
      "¥78,000",
      "-CHF 1,500",
    ]);
  });

  it("rounds a score to one decimal and a count to a whole number", () => {
    expect([formatted(81.25, "0.0"), formatted(3.6, "0")]).toEqual(["81.3", "4"]);
  });

  it("leaves text and unknown formats to General", () => {
    expect([formatted("A", "0.0%"), formatted(1, "mm/dd")]).toEqual([null, null]);
  });
});
