/**
 * Retrying what DynamoDB asks to be retried (throttling, transaction conflicts) with
 * exponential backoff and full jitter; when it persists, the caller answers `429`.
 */

/** Error names DynamoDB uses for "too busy, try again". */
const RETRYABLE = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TransactionConflictException",
  "TransactionInProgressException",
]);

/** Cancellation reason codes of a transaction that mean "try again", not "condition failed". */
export const RETRYABLE_REASONS = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
]);

/** Whether an SDK error is worth retrying. */
export function isRetryable(error: unknown): boolean {
  return error instanceof Error && RETRYABLE.has(error.name);
}

export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly attempts: number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const defaultBackoff: Backoff = {
  baseMs: 20,
  maxMs: 1000,
  attempts: 8,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The wait before retry `attempt` (0-based): full jitter over `base * 2^attempt`, capped. */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  return Math.floor(backoff.random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt));
}

/** Thrown when retries are used up: the handler answers `429` with `Retry-After`. */
export class RetriesExhausted extends Error {
  override readonly name = "RetriesExhausted";
}

/**
 * Runs `fn` until it succeeds or fails with something not retryable; `retryable` decides.
 * E.g. `await withRetries(() => send(cmd), isRetryable)`.
 */
export async function withRetries<T>(
  fn: () => Promise<T>,
  retryable: (error: unknown) => boolean = isRetryable,
  backoff: Backoff = defaultBackoff,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!retryable(error)) throw error;
      if (attempt + 1 >= backoff.attempts) {
        throw new RetriesExhausted("DynamoDB stayed busy after retries", { cause: error });
      }
      await backoff.sleep(backoffDelay(attempt, backoff));
    }
  }
}
