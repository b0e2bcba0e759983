/**
 * Retrying what is worth retrying with exponential backoff and full jitter, within a time
 * budget: "busy" (throttling, transaction conflicts) ends as `RetriesExhausted` (the API
 * answers `429`), "unreachable" (no connection, a timeout, a 5xx) as `StoreUnavailable`
 * (`503`). Never a request left hanging.
 */

/** Error names DynamoDB uses for "too busy, try again". */
const BUSY = new Set([
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

/** Socket errors where the request may have reached DynamoDB (its outcome is unknown). */
const LOST_ANSWER = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED"]);
/** Socket errors where the request never left (DynamoDB is not there). */
const NOT_SENT = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** Names of an aborted or timed-out attempt, and DynamoDB's own 5xx errors. */
const LOST_ANSWER_NAMES = new Set([
  "AbortError",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalServerError",
  "ServiceUnavailable",
]);

/**
 * What a failed DynamoDB call means: `busy` (retry, then 429), `notSent` (it never reached
 * DynamoDB), `unknown` (it may have been applied: a lost answer), or `other` (a real error).
 */
export type FailureKind = "busy" | "notSent" | "unknown" | "other";

/** The kind of a failure, looking through `cause` (fetch and the SDK wrap socket errors). */
export function failureKind(error: unknown): FailureKind {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (BUSY.has(e.name)) return "busy";
    if (typeof code === "string" && NOT_SENT.has(code)) return "notSent";
    if (typeof code === "string" && LOST_ANSWER.has(code)) return "unknown";
    if (LOST_ANSWER_NAMES.has(e.name) || (status !== undefined && status >= 500)) return "unknown";
    if (/socket hang up/i.test(e.message)) return "unknown";
    e = e.cause;
  }
  return "other";
}

/** Whether an SDK error is worth retrying (every kind but `other`). */
export function isRetryable(error: unknown): boolean {
  return failureKind(error) !== "other";
}

export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Most attempts for "busy". */
  readonly attempts: number;
  /** Most attempts while DynamoDB cannot be reached: the client hears `503` quickly. */
  readonly unreachableAttempts: number;
  /** Longest a call keeps retrying, from its first attempt. */
  readonly budgetMs: number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

export const defaultBackoff: Backoff = {
  baseMs: 20,
  maxMs: 1000,
  attempts: 8,
  unreachableAttempts: 3,
  budgetMs: 8_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

/** The wait before retry `attempt` (0-based): full jitter over `base * 2^attempt`, capped. */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  return Math.floor(backoff.random() * Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt));
}

/** Thrown when "busy" persists: the handler answers `429` with `Retry-After`. */
export class RetriesExhausted extends Error {
  override readonly name = "RetriesExhausted";
}

/** Thrown when DynamoDB cannot be reached or keeps failing: the handler answers `503`. */
export class StoreUnavailable extends Error {
  override readonly name = "StoreUnavailable";
}

/**
 * Counts the retries of one call and decides, per failure, whether to wait and go again or
 * to give up with the error the API maps (`RetriesExhausted`, `StoreUnavailable`).
 */
export class RetryBudget {
  private busy = 0;
  private unreachable = 0;
  private readonly deadline: number;

  constructor(
    private readonly backoff: Backoff = defaultBackoff,
    deadlineMs?: number,
  ) {
    this.deadline = Math.min(
      deadlineMs ?? Number.POSITIVE_INFINITY,
      backoff.now() + backoff.budgetMs,
    );
  }

  /** Waits before the next attempt after `error`, or throws what the caller should see. */
  async wait(error: unknown, kind: FailureKind = failureKind(error)): Promise<void> {
    if (kind === "other") throw error;
    const attempt = kind === "busy" ? this.busy++ : this.unreachable++;
    const delay = backoffDelay(attempt, this.backoff);
    const outOfTime = this.backoff.now() + delay >= this.deadline;
    if (kind === "busy" && (attempt + 1 >= this.backoff.attempts || outOfTime)) {
      throw new RetriesExhausted("DynamoDB stayed busy after retries", { cause: error });
    }
    if (kind !== "busy" && (attempt + 1 >= this.backoff.unreachableAttempts || outOfTime)) {
      throw new StoreUnavailable("DynamoDB cannot be reached", { cause: error });
    }
    await this.backoff.sleep(delay);
  }
}

/**
 * Runs `fn` until it succeeds, fails with something not retryable, or the budget ends.
 * Only for calls that are safe to repeat (reads, idempotent puts).
 * E.g. `await withRetries(() => send(cmd))`.
 */
export async function withRetries<T>(
  fn: () => Promise<T>,
  backoff: Backoff = defaultBackoff,
): Promise<T> {
  const budget = new RetryBudget(backoff);
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      await budget.wait(error);
    }
  }
}
