import { describe, expect, it } from "vitest";
import { availableCredit, creditCheck } from "./creditCheck.ts";

describe("availableCredit", () => {
  it("is the limit less receivables and open orders", () => {
    expect(availableCredit({ creditLimit: 100, receivables: 30, openOrders: 20 })).toBe(50);
  });

  it("counts a missing or non-numeric receivable or open order as 0", () => {
    expect(availableCredit({ creditLimit: 100, openOrders: "20" })).toBe(100);
  });

  it("is undefined without a limit, even when the customer owes money", () => {
    expect(availableCredit({ receivables: 30 })).toBeUndefined();
  });

  it("goes negative when the customer owes more than the limit", () => {
    expect(availableCredit({ creditLimit: 10, receivables: 30 })).toBe(-20);
  });
});

describe("creditCheck", () => {
  it("passes an order up to the available credit and holds one above it", () => {
    const record = { creditLimit: 100, receivables: 30, openOrders: 20 };
    expect(creditCheck(record, 50)).toBe("OK");
    expect(creditCheck(record, 50.01)).toBe("HOLD");
  });

  it("counts no limit as 0: a zero order passes only when nothing is owed", () => {
    expect(creditCheck({}, 0)).toBe("OK");
    expect(creditCheck({ receivables: 1 }, 0)).toBe("HOLD");
  });
});
