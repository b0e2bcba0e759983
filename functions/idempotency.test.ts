/** The Retry-After a repeat of a running key gets: the lease's remaining whole seconds. */
import { describe, expect, it } from "vitest";
import { LEASE_SECONDS, leaseRetryAfterSeconds } from "./idempotency.ts";

describe("leaseRetryAfterSeconds", () => {
  it("answers the seconds left on the lease", () => {
    expect(leaseRetryAfterSeconds(1_000 + LEASE_SECONDS, 1_003)).toBe(LEASE_SECONDS - 3);
  });

  it("answers at least 1, even for a lease that has just run out", () => {
    expect([leaseRetryAfterSeconds(1_000, 1_000), leaseRetryAfterSeconds(1_000, 1_005)]).toEqual([
      1, 1,
    ]);
  });
});
