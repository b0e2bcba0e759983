/** The Retry-After a repeat of a key without an answer gets, from its lease. */
import { describe, expect, it } from "vitest";
import { LEASE_SECONDS, leaseRetryAfterSeconds } from "./idempotency.ts";

describe("leaseRetryAfterSeconds", () => {
  it("answers 1 while the lease is being renewed (the request is running)", () => {
    expect(
      [0, 1, 2, 3].map((age) => leaseRetryAfterSeconds(1_000 + LEASE_SECONDS, 1_000 + age)),
    ).toEqual([1, 1, 1, 1]);
  });

  it("answers the seconds left once the lease missed a renewal (the request died)", () => {
    expect(
      [4, 5, 9].map((age) => leaseRetryAfterSeconds(1_000 + LEASE_SECONDS, 1_000 + age)),
    ).toEqual([LEASE_SECONDS - 4, LEASE_SECONDS - 5, 1]);
  });

  it("answers at least 1, even for a lease that has just run out", () => {
    expect([leaseRetryAfterSeconds(1_000, 1_000), leaseRetryAfterSeconds(1_000, 1_005)]).toEqual([
      1, 1,
    ]);
  });
});
