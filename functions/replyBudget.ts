/**
 * How big a reply may grow (docs/api.md "Reply sizes"). AWS Lambda refuses a synchronous
 * response payload over 6 MB (the JSON of `statusCode`, `headers` and `body`, where the body
 * is a string escaped once more), and API Gateway then answers `502` although the work may be
 * done. So every reply that lists stored things stops adding them at a byte budget well under
 * the limit and says how to read on (a cursor, or the ids or records it left out).
 */

/** Lambda's limit on a response payload, in bytes, as its error names it (6 MiB and 100 bytes). */
export const LAMBDA_RESPONSE_LIMIT = 6_291_556;

/** What the listed things of one page may take: the rest of the payload stays far below the limit. */
export const PAGE_BUDGET = 4 * 1024 * 1024;

/**
 * What the conflicts' `current` records of one batch-write reply may take. Smaller than a
 * page: a reply to a request with an `Idempotency-Key` is kept in one DynamoDB item, which
 * holds at most 400 KB, and the rest of the reply (ids, versions, errors) needs room too.
 */
export const CURRENTS_BUDGET = 192 * 1024;

/** The bytes JSON text takes in a Lambda response payload, escaped again as (part of) the body string. */
function payloadBytesOfJson(json: string): number {
  return Buffer.byteLength(JSON.stringify(json), "utf8") - 2;
}

/** The bytes `value` adds to a Lambda response payload: its JSON, escaped again as the body string. */
export function payloadBytes(value: unknown): number {
  return payloadBytesOfJson(JSON.stringify(value));
}

/**
 * Counts values against a byte budget, in order: `take` says whether the next one still fits
 * (the first always does, so a page is never empty for want of room); once one does not fit,
 * none does, so what was taken is a prefix. `takeJson` gives the JSON it measured, so a
 * page can be built from it without making it twice.
 */
export class ByteBudget {
  #left: number;
  #taken = 0;
  #full = false;

  constructor(bytes: number) {
    this.#left = bytes;
  }

  /** Whether `value` fits in what is left (it is then counted), e.g. `budget.take(record)`. */
  take(value: unknown): boolean {
    return this.takeJson(value) !== undefined;
  }

  /** `value`'s JSON when it fits in what is left (it is then counted), else undefined. */
  takeJson(value: unknown): string | undefined {
    if (this.#full) return undefined;
    const json = JSON.stringify(value);
    const bytes = payloadBytesOfJson(json) + 1; // and its comma
    if (this.#taken > 0 && bytes > this.#left) {
      this.#full = true;
      return undefined;
    }
    this.#left -= bytes;
    this.#taken++;
    return json;
  }
}
