import { describe, expect, it } from "vitest";
import { cellText, dateText } from "./format.ts";

describe("values as the pane shows them", () => {
  it("groups the digits of a number", () => {
    expect([cellText("en", 1250000), cellText("zh-CN", 60000.5)]).toEqual([
      "1,250,000",
      "60,000.5",
    ]);
  });

  it("shows a dash for a blank value", () => {
    expect([cellText("en", ""), cellText("en", null)]).toEqual(["–", "–"]);
  });

  it("shows the 5C factors as words and numbers, never as JSON", () => {
    expect(cellText("zh-CN", { capital: 66, character: 74, capacity: 80 })).toBe(
      "品德 74 · 能力 80 · 资本 66",
    );
  });

  it("writes a date in the user's language", () => {
    expect([dateText("en", "2026-11-12"), dateText("zh-CN", "2026-11-12")]).toEqual([
      "Nov 12, 2026",
      "2026年11月12日",
    ]);
  });
});
