/**
 * `Idempotency-Key` (api.md): the first response to a key is kept 24 hours per team and
 * user, bound to the route and body it answered; a repeat returns it and changes nothing,
 * and the same key on another route or body is `422` and changes nothing either.
 */
import { createHash } from "node:crypto";
import { ApiError, errorResponse } from "./errors.ts";
import { type ApiEvent, type ApiResult, header, type Identity } from "./http.ts";
import type { Deps } from "./store/port.ts";

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * The claim on a key is a lease: it holds the key this long and the running request renews
 * it every RENEW_MS, so a request that died (a killed Lambda or gateway) frees its key within
 * seconds and the client can resume the batch with the same key.
 */
export const LEASE_SECONDS = 10;
const RENEW_MS = 3_000;
/** The largest reply body kept under a key: what fits one DynamoDB item with its key and headers. */
const MAX_KEPT_BODY_BYTES = 350 * 1024;

/**
 * What a key is bound to besides its user: the route, its path parameters and the body's
 * bytes, as a SHA-256 hex digest (the body itself is never kept).
 */
export function requestFingerprint(event: ApiEvent): string {
  const body = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
  return createHash("sha256")
    .update(JSON.stringify([event.routeKey, event.pathParameters ?? {}]))
    .update("\n")
    .update(body)
    .digest("hex");
}

function keyReused(): ApiError {
  return new ApiError(
    "idempotency_key_reused",
    "This Idempotency-Key was already used for another request (another route or body); send a new key with a new request.",
  );
}

/**
 * A live request renews its lease every RENEW_MS, so its lease always has more than this many
 * whole seconds left (a second of slack for a slow renewal); a lease with fewer missed a renewal.
 */
const LIVE_LEASE_FLOOR = LEASE_SECONDS - RENEW_MS / 1000 - 1;

/**
 * How long a repeat should wait for a key whose request has no answer yet. A lease renewed
 * lately belongs to a running request, which usually answers within a second: 1. A lease that
 * missed a renewal belongs to a request that died, and its key frees only when the lease runs
 * out, so an earlier retry would be refused again: the lease's remaining whole seconds.
 * @example leaseRetryAfterSeconds(1_700_000_010, 1_700_000_002) // 1 (renewed 2 s ago: alive)
 * @example leaseRetryAfterSeconds(1_700_000_010, 1_700_000_005) // 5 (no renewal for 5 s: dead)
 */
export function leaseRetryAfterSeconds(leaseExpiresAt: number, nowSeconds: number): number {
  const remaining = leaseExpiresAt - nowSeconds;
  return remaining > LIVE_LEASE_FLOOR ? 1 : Math.max(1, remaining);
}

/**
 * Runs `run` once per key: the key is claimed first, so a concurrent repeat waits (`429`,
 * Retry-After from the lease) instead of running twice, and a later repeat
 * gets the stored response.
 */
export async function replayOrRun(
  event: ApiEvent,
  identity: Identity,
  deps: Deps,
  run: () => Promise<ApiResult>,
): Promise<ApiResult> {
  const key = header(event, "idempotency-key");
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 64) {
    throw new ApiError("invalid_request", "Idempotency-Key must have 1 to 64 characters.", [
      { field: "Idempotency-Key", message: "must have 1 to 64 characters" },
    ]);
  }
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  const { team, user } = identity;
  const claim = await deps.store.claimIdempotencyKey(team, user, key, nowSeconds, LEASE_SECONDS);
  if (!claim.claimed) {
    if (claim.response === undefined) {
      throw new ApiError(
        "throttled",
        "A request with this Idempotency-Key is still running; retry in a moment for its answer.",
        undefined,
        {},
        { "retry-after": String(leaseRetryAfterSeconds(claim.expiresAt, nowSeconds)) },
      );
    }
    // A response kept before keys were bound to their request cannot prove it answers this one.
    const { fingerprint: answered, ...response } = claim.response;
    if (answered !== requestFingerprint(event)) throw keyReused();
    return { ...response, headers: { ...response.headers, "idempotent-replay": "true" } };
  }
  let result: ApiResult;
  let renewing: Promise<void> = Promise.resolve();
  const renew = setInterval(() => {
    const expiresAt = Math.floor(deps.now().getTime() / 1000) + LEASE_SECONDS;
    // A failed renewal only shortens the lease; the request itself goes on.
    renewing = deps.store.renewIdempotencyClaim(team, user, key, expiresAt).catch(() => {});
  }, RENEW_MS);
  try {
    result = await run();
  } catch (error) {
    result = errorResponse(error);
  } finally {
    clearInterval(renew);
    // A renewal landing after the release below would hold the released key again.
    await renewing;
  }
  // Busy answers (429, 503) are not "the first response": the client is meant to retry
  // them, so the claim is released (expired at once). A 500 is kept like any answer, so a
  // poison request is run once, not again on every retry of its key.
  // A reply too large for one DynamoDB item (400 KB) cannot be kept either: its key is
  // released, and a repeat runs again (the version conditions keep that from writing twice).
  const keep =
    result.statusCode !== 429 &&
    result.statusCode !== 503 &&
    Buffer.byteLength(result.body, "utf8") <= MAX_KEPT_BODY_BYTES;
  const { statusCode, headers, body } = result;
  await deps.store.putIdempotent(
    team,
    user,
    key,
    keep ? { statusCode, headers, body, fingerprint: requestFingerprint(event) } : undefined,
    keep ? nowSeconds + IDEMPOTENCY_TTL_SECONDS : nowSeconds,
  );
  return result;
}
