import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { paneMessages, paneText } from "./index.ts";
import { zhCN } from "./zh-CN.ts";

const placeholders = (s: string): string[] =>
  [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();

describe("pane messages", () => {
  it("has every English key in Chinese", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it("uses the same placeholders in both languages", () => {
    const differ = Object.keys(en).filter(
      (k) =>
        placeholders(en[k as keyof typeof en]).join() !==
        placeholders(zhCN[k as keyof typeof en]).join(),
    );
    expect(differ).toEqual([]);
  });

  it("has no empty message", () => {
    const empty = Object.entries(paneMessages).flatMap(([lang, m]) =>
      Object.entries(m)
        .filter(([, v]) => v.trim() === "")
        .map(([k]) => `${lang}.${k}`),
    );
    expect(empty).toEqual([]);
  });

  it("fills placeholders", () => {
    expect(paneText("zh-CN", "pulled", { count: 3 })).toBe("已把 3 位客户拉取到 Customers 表。");
  });

  it("leaves a placeholder without a value visible", () => {
    expect(paneText("en", "pulled")).toBe("Pulled {count} customers into the Customers table.");
  });
});
