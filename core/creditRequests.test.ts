import { describe, expect, it } from "vitest";
import {
  changeNeedsApproval,
  decisionRefusal,
  mayNeedApproval,
  openingStatus,
} from "./creditRequests.ts";
import { DEFAULT_POLICY } from "./policy.ts";
import { isManager, MANAGERS_GROUP } from "./roles.ts";

const policy = { ...DEFAULT_POLICY, staffRaiseLimit: 2000 };
const policyRead = (reads: string[]) => async () => {
  reads.push("policy");
  return policy;
};

describe("mayNeedApproval", () => {
  it("is true only for a raise by staff", () => {
    expect(mayNeedApproval(1000, 1001, false)).toBe(true);
    expect(mayNeedApproval(undefined, 1, false)).toBe(true);
  });

  it("is false for a lowered, unchanged or removed limit, and for a manager", () => {
    expect(mayNeedApproval(1000, 1000, false)).toBe(false);
    expect(mayNeedApproval(1000, 0, false)).toBe(false);
    expect(mayNeedApproval(1000, undefined, false)).toBe(false);
    expect(mayNeedApproval(0, 1_000_000, true)).toBe(false);
  });
});

describe("changeNeedsApproval", () => {
  it("refuses a staff raise beyond staffRaiseLimit after reading the policy", async () => {
    const reads: string[] = [];
    expect(await changeNeedsApproval(1000, 3001, false, policyRead(reads))).toBe(true);
    expect(reads).toEqual(["policy"]);
  });

  it("lets a lowered limit through without reading the policy", async () => {
    const reads: string[] = [];
    expect(await changeNeedsApproval(5000, 10, false, policyRead(reads))).toBe(false);
    expect(reads).toEqual([]);
  });
});

describe("openingStatus", () => {
  it("opens a request beyond staffRaiseLimit as pending, even a manager's", () => {
    expect(openingStatus(1000, 3001, policy)).toBe("pending");
  });

  it("approves a request within staffRaiseLimit at once", () => {
    expect(openingStatus(1000, 3000, policy)).toBe("approved");
  });
});

describe("decisionRefusal", () => {
  const pending = { requestedBy: "ana", status: "pending" as const };

  it("lets another manager decide a pending request", () => {
    expect(decisionRefusal(pending, "li")).toBeUndefined();
  });

  it("refuses the requester (four eyes) before looking at the status", () => {
    expect(decisionRefusal(pending, "ana")).toBe("own_request");
    expect(decisionRefusal({ ...pending, status: "approved" }, "ana")).toBe("own_request");
  });

  it("refuses a request already decided", () => {
    expect(decisionRefusal({ ...pending, status: "rejected" }, "li")).toBe("already_decided");
  });
});

describe("isManager", () => {
  it("is true for a member of the managers group only", () => {
    expect(isManager(["staff", MANAGERS_GROUP])).toBe(true);
    expect(isManager(["staff"])).toBe(false);
    expect(isManager([])).toBe(false);
  });
});
