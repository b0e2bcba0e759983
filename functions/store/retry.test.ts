import { describe, expect, it } from "vitest";
import {
  type Backoff,
  backoffDelay,
  failureKind,
  RetriesExhausted,
  RetryBudget,
  StoreUnavailable,
  withRetries,
} from "./retry.ts";

/** A backoff that records its waits instead of sleeping. */
function recordingBackoff(attempts = 4): Backoff & { waits: number[] } {
  const waits: number[] = [];
  let clock = 0;
  return {
    baseMs: 10,
    maxMs: 50,
    attempts,
    unreachableAttempts: 3,
    budgetMs: 1_000,
    random: () => 0.999,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    now: () => clock,
    waits,
  };
}

const throttling = () => Object.assign(new Error("slow down"), { name: "ThrottlingException" });

describe("withRetries", () => {
  it("retries throttling until it succeeds", async () => {
    let calls = 0;
    const result = await withRetries(async () => {
      calls++;
      if (calls < 3) throw throttling();
      return "done";
    }, recordingBackoff());
    expect([result, calls]).toEqual(["done", 3]);
  });

  it("backs off exponentially, capped", async () => {
    const backoff = recordingBackoff(6);
    await expect(withRetries(async () => Promise.reject(throttling()), backoff)).rejects.toThrow();
    expect(backoff.waits).toEqual([9, 19, 39, 49, 49]);
  });

  it("gives up with RetriesExhausted when throttling persists", async () => {
    await expect(
      withRetries(async () => Promise.reject(throttling()), recordingBackoff()),
    ).rejects.toBeInstanceOf(RetriesExhausted);
  });

  it("does not retry an error that is not throttling", async () => {
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new Error("ValidationException");
      }, recordingBackoff()),
    ).rejects.toThrow("ValidationException");
    expect(calls).toBe(1);
  });
});

describe("failures", () => {
  const refused = () =>
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });

  it("gives up with StoreUnavailable when DynamoDB cannot be reached", async () => {
    const backoff = recordingBackoff();
    await expect(
      withRetries(async () => Promise.reject(refused()), backoff),
    ).rejects.toBeInstanceOf(StoreUnavailable);
    expect(backoff.waits).toHaveLength(2);
  });

  it("stops retrying busy calls when the time budget runs out", async () => {
    const backoff = { ...recordingBackoff(100), budgetMs: 100 };
    await expect(
      withRetries(async () => Promise.reject(throttling()), backoff),
    ).rejects.toBeInstanceOf(RetriesExhausted);
    expect(backoff.waits.reduce((a, b) => a + b, 0)).toBeLessThan(100);
  });

  it("waits on a failure the caller names busy (a transaction cancelled by a conflict)", async () => {
    const backoff = recordingBackoff();
    const cancelled = Object.assign(new Error("cancelled"), {
      name: "TransactionCanceledException",
    });
    await new RetryBudget(backoff).wait(cancelled, "busy");
    expect(backoff.waits).toHaveLength(1);
  });

  it("tells a lost answer from a request that was never sent", () => {
    const reset = new Error("fetch failed", {
      cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
    });
    const aborted = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect([refused(), reset, aborted, throttling(), new Error("x")].map(failureKind)).toEqual([
      "notSent",
      "unknown",
      "unknown",
      "busy",
      "other",
    ]);
  });
});

describe("backoffDelay", () => {
  it("draws full jitter below the exponential bound", () => {
    const backoff = { ...recordingBackoff(), random: () => 0.5 };
    expect([0, 1, 2].map((a) => backoffDelay(a, backoff))).toEqual([5, 10, 20]);
  });
});
