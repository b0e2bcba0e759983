import { describe, expect, it } from "vitest";
import { type Backoff, backoffDelay, RetriesExhausted, withRetries } from "./retry.ts";

/** A backoff that records its waits instead of sleeping. */
function recordingBackoff(attempts = 4): Backoff & { waits: number[] } {
  const waits: number[] = [];
  return {
    baseMs: 10,
    maxMs: 50,
    attempts,
    random: () => 0.999,
    sleep: async (ms) => void waits.push(ms),
    waits,
  };
}

const throttling = () => Object.assign(new Error("slow down"), { name: "ThrottlingException" });

describe("withRetries", () => {
  it("retries throttling until it succeeds", async () => {
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw throttling();
        return "done";
      },
      undefined,
      recordingBackoff(),
    );
    expect([result, calls]).toEqual(["done", 3]);
  });

  it("backs off exponentially, capped", async () => {
    const backoff = recordingBackoff(6);
    await expect(
      withRetries(async () => Promise.reject(throttling()), undefined, backoff),
    ).rejects.toThrow();
    expect(backoff.waits).toEqual([9, 19, 39, 49, 49]);
  });

  it("gives up with RetriesExhausted when throttling persists", async () => {
    await expect(
      withRetries(async () => Promise.reject(throttling()), undefined, recordingBackoff()),
    ).rejects.toBeInstanceOf(RetriesExhausted);
  });

  it("does not retry an error that is not throttling", async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new Error("ValidationException");
        },
        undefined,
        recordingBackoff(),
      ),
    ).rejects.toThrow("ValidationException");
    expect(calls).toBe(1);
  });
});

describe("backoffDelay", () => {
  it("draws full jitter below the exponential bound", () => {
    const backoff = { ...recordingBackoff(), random: () => 0.5 };
    expect([0, 1, 2].map((a) => backoffDelay(a, backoff))).toEqual([5, 10, 20]);
  });
});
