/**
 * The API's one error family (api.md "Errors"): every refusal is an `ApiError`, and
 * `errorResponse` turns any thrown value into the one JSON error shape, in one place.
 */
import type { Problem } from "../core/apiSchema.ts";
import { clipped, limitProblems } from "../core/validation.ts";
import { RetriesExhausted, StoreUnavailable } from "./store/retry.ts";

export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "approval_required"
  | "not_found"
  | "version_conflict"
  | "payload_too_large"
  | "idempotency_key_reused"
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
  idempotency_key_reused: 422,
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
  return new ApiError(
    "invalid_request",
    message ?? `Invalid request: ${summary(problems)}`,
    problems,
  );
}

/** Problems named in a message before it says "and n more". */
const PROBLEMS_IN_MESSAGE = 3;

/** The first few problems in one line, e.g. `name must have 1 to 200 characters; and 4 more`. */
export function summary(problems: readonly Problem[]): string {
  const named = limitProblems(problems, PROBLEMS_IN_MESSAGE).map((p) =>
    p.more === undefined ? `${p.field} ${p.message}` : `and ${p.more} more (see details)`,
  );
  return named.join("; ");
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

/** api.md: an error lists at most 100 problems and is at most 64 KB. */
export const MAX_PROBLEMS = 100;
export const MAX_ERROR_BYTES = 64 * 1024;
/** Longest message an error repeats (a message may quote a header or path a client sent). */
const MAX_MESSAGE = 1000;

/** The error body as JSON, its details cut until it fits `MAX_ERROR_BYTES`. */
function boundedErrorBody(apiError: ApiError): string {
  const error = { code: apiError.code, message: clipped(apiError.message, MAX_MESSAGE) };
  const details = Array.isArray(apiError.details)
    ? limitProblems(apiError.details as Problem[], MAX_PROBLEMS)
    : apiError.details;
  const bodyOf = (shown: unknown, extras: Readonly<Record<string, unknown>>) =>
    JSON.stringify({
      error: shown === undefined ? error : { ...error, details: shown },
      ...extras,
    });
  let body = bodyOf(details, apiError.body);
  // Cut problems (keeping the count of what was left out) until the reply fits.
  for (let keep = MAX_PROBLEMS / 2; bytes(body) > MAX_ERROR_BYTES && keep >= 1; keep /= 2) {
    if (!Array.isArray(apiError.details)) break;
    body = bodyOf(limitProblems(apiError.details as Problem[], Math.floor(keep)), apiError.body);
  }
  return bytes(body) > MAX_ERROR_BYTES ? bodyOf(undefined, {}) : body;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
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
  return {
    statusCode: apiError.status,
    headers: { "content-type": "application/json; charset=utf-8", ...apiError.headers },
    body: boundedErrorBody(apiError),
  };
}
