import { describe, expect, it } from "vitest";
import { needsApproval } from "./creditRules.ts";
import { DEFAULT_POLICY } from "./policy.ts";

const policy = { ...DEFAULT_POLICY, staffRaiseLimit: 2000 };

describe("needsApproval", () => {
  it("requires approval when staff raise by more than staffRaiseLimit", () => {
    expect(needsApproval(1000, 3001, policy, false)).toBe(true);
  });

  it("lets staff raise by exactly staffRaiseLimit", () => {
    expect(needsApproval(1000, 3000, policy, false)).toBe(false);
  });

  it("lets staff lower a limit", () => {
    expect(needsApproval(5000, 0, policy, false)).toBe(false);
  });

  it("counts a missing old limit as 0", () => {
    expect(needsApproval(undefined, 2001, policy, false)).toBe(true);
  });

  it("never requires approval to remove a limit", () => {
    expect(needsApproval(5000, undefined, policy, false)).toBe(false);
  });

  it("never requires approval from a manager", () => {
    expect(needsApproval(0, 1_000_000, policy, true)).toBe(false);
  });
});
