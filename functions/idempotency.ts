/**
 * `Idempotency-Key` (api.md): the first response to a key is kept 24 hours per team and
 * user; a repeat returns it and changes nothing.
 */
import { ApiError, errorResponse } from "./errors.ts";
import { type ApiEvent, type ApiResult, header, type Identity } from "./http.ts";
import type { Deps } from "./router.ts";

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Runs `run` once per key: a stored response for the same key is returned instead. */
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
  const stored = await deps.store.getIdempotent(identity.team, identity.user, key, nowSeconds);
  if (stored !== undefined) {
    return { ...stored, headers: { ...stored.headers, "idempotent-replay": "true" } };
  }
  let result: ApiResult;
  try {
    result = await run();
  } catch (error) {
    result = errorResponse(error);
  }
  // Busy or broken answers are not "the first response": the client is meant to retry them.
  if (result.statusCode < 500 && result.statusCode !== 429) {
    const { statusCode, headers, body } = result;
    await deps.store.putIdempotent(
      identity.team,
      identity.user,
      key,
      { statusCode, headers, body },
      nowSeconds,
      IDEMPOTENCY_TTL_SECONDS,
    );
  }
  return result;
}
