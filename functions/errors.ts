/**
 * The API's one error family (api.md "Errors"): every refusal is an `ApiError`, and
 * `errorResponse` turns any thrown value into the one JSON error shape, in one place.
 */
import type { Problem } from "../core/validation.ts";
import { RetriesExhausted, StoreUnavailable } from "./store/retry.ts";

export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "approval_required"
  | "not_found"
  | "version_conflict"
  | "payload_too_large"
  | "precondition_required"
  | "throttled"
  | "internal"
  | "unavailable";

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  approval_required: 403,
  not_found: 404,
  version_conflict: 409,
  payload_too_large: 413,
  precondition_required: 428,
  throttled: 429,
  internal: 500,
  unavailable: 503,
};

/** Seconds a client waits after `429` when DynamoDB stayed busy through the retries. */
export const BUSY_RETRY_AFTER_SECONDS = 2;
/** Seconds a client waits after `503`: DynamoDB Local restarts in about that time. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** A refusal the client can act on: status and code from api.md, a message, optional details. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra top-level body fields, e.g. `current` on a 409. */
    readonly body: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = STATUS[code];
  }
}

/** `400 invalid_request` listing each problem, e.g. `invalidRequest([{field: "id", message: "…"}])`. */
export function invalidRequest(problems: readonly Problem[], message?: string): ApiError {
  const summary =
    message ?? `Invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join("; ")}`;
  return new ApiError("invalid_request", summary, problems);
}

/** `409 version_conflict` carrying the stored item as `current`. */
export function versionConflict(current: unknown, message: string): ApiError {
  return new ApiError("version_conflict", message, undefined, { current });
}

/** `429 throttled` with `Retry-After` in seconds. */
export function throttled(retryAfterSeconds: number, cause?: unknown): ApiError {
  return new ApiError(
    "throttled",
    `The service is busy; retry after ${retryAfterSeconds} s.`,
    undefined,
    {},
    { "retry-after": String(retryAfterSeconds) },
    { cause },
  );
}

/** `503 unavailable` with `Retry-After`: the store cannot be reached now; nothing was lost. */
export function unavailable(retryAfterSeconds: number, cause?: unknown): ApiError {
  return new ApiError(
    "unavailable",
    `The service cannot reach its database right now; retry after ${retryAfterSeconds} s.`,
    undefined,
    {},
    { "retry-after": String(retryAfterSeconds) },
    { cause },
  );
}

/** The API's answer to what the store throws when DynamoDB is busy or out of reach. */
function fromStoreFailure(error: unknown): unknown {
  if (error instanceof RetriesExhausted) return throttled(BUSY_RETRY_AFTER_SECONDS, error);
  if (error instanceof StoreUnavailable) return unavailable(UNAVAILABLE_RETRY_AFTER_SECONDS, error);
  return error;
}

/** The HTTP result of an error: `{"error": {code, message, details}}` plus any extra body fields. */
export interface ErrorResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * The one place an error becomes a response. A busy store is `429`, an unreachable one
 * `503` (both with `Retry-After`); anything else that is not an `ApiError` is a defect:
 * logged for the operator, answered `500 internal` without internals.
 */
export function errorResponse(
  thrown: unknown,
  log: (e: unknown) => void = console.error,
): ErrorResult {
  const error = fromStoreFailure(thrown);
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError("internal", "Something went wrong on the server; try again later.");
  if (!(error instanceof ApiError)) log(error);
  const payload: Record<string, unknown> = {
    error: {
      code: apiError.code,
      message: apiError.message,
      ...(apiError.details === undefined ? {} : { details: apiError.details }),
    },
    ...apiError.body,
  };
  return {
    statusCode: apiError.status,
    headers: { "content-type": "application/json; charset=utf-8", ...apiError.headers },
    body: JSON.stringify(payload),
  };
}
