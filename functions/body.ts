/**
 * Schemas of request bodies (other than records and policies) and of query strings, checked
 * once at the boundary: an operation reads only what its schema let through.
 */
import * as z from "zod/mini";
import { CUSTOMER_FIELDS } from "../core/record.ts";
import {
  lookupId,
  problemsOf,
  recordId,
  surplusKeyProblems,
  wellFormed,
} from "../core/validation.ts";
import { invalidRequest } from "./errors.ts";
import type { ApiEvent } from "./http.ts";

/** Parses `input` with `schema` or throws `400` listing every problem. */
export function parseBody<T>(
  schema: z.ZodMiniType<T>,
  input: unknown,
  allowed: readonly string[],
): T {
  const surplus = surplusKeyProblems(input, allowed);
  if (surplus !== null) throw invalidRequest(surplus);
  const result = schema.safeParse(input);
  if (!result.success) throw invalidRequest(problemsOf(result.error.issues, allowed));
  return result.data;
}

export const batchGetBody = z.strictObject(
  {
    ids: z
      .array(lookupId, "must be a list of ids")
      .check(z.minLength(1, "must have 1 to 100 ids"), z.maxLength(100, "must have 1 to 100 ids")),
  },
  "must be a JSON object",
);

export const batchWriteBody = z.strictObject(
  {
    items: z
      .array(z.unknown(), "must be a list of items")
      .check(
        z.minLength(1, "must have 1 to 500 items"),
        z.maxLength(500, "must have at most 500 items"),
      ),
  },
  "must be a JSON object",
);

export const batchWriteItem = z.strictObject(
  {
    op: z.enum(["put", "delete"], 'must be "put" or "delete"'),
    id: recordId,
    expectedVersion: z
      .int("must be a whole number, 0 to create")
      .check(z.gte(0, "must be 0 or more")),
    record: z.optional(z.unknown()),
  },
  "must be an object with op, id, expectedVersion and record",
);

export const creditRequestBody = z.strictObject(
  {
    customerId: lookupId,
    newLimit: z
      .number("must be a finite number, 0 or more")
      .check(z.gte(0, "must be 0 or more"), z.lt(1e125, "is too large")),
    reason: z
      .string("must be text of 1 to 1000 characters")
      .check(
        z.minLength(1, "must say why, 1 to 1000 characters"),
        z.maxLength(1000, "must have at most 1000 characters"),
        wellFormed,
      ),
  },
  "must be a JSON object",
);

export const gradingBody = z.strictObject(
  {
    basis: z.enum(["revenue", "profit"], 'must be "revenue" or "profit"'),
    aShare: z.optional(z.nullable(z.number("must be a number between 0 and 1"))),
    bShare: z.optional(z.nullable(z.number("must be a number between 0 and 1"))),
  },
  "must be a JSON object",
);

/** Parses the query string with `schema` (unknown parameters are ignored) or throws `400`. */
export function parseQuery<T>(schema: z.ZodMiniType<T>, event: ApiEvent): T {
  const result = schema.safeParse(event.queryStringParameters ?? {});
  if (!result.success) throw invalidRequest(problemsOf(result.error.issues, []));
  return result.data;
}

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.string(message).check(
    z.regex(/^\d{1,15}$/, message),
    z.refine((value) => Number(value) >= min && Number(value) <= max, message),
  );
};

/** `GET /customers?limit=&cursor=`: `cursor` is checked by decoding it. */
export const customerListQuery = z.object({
  limit: z.optional(wholeNumber(1, 1000)),
  cursor: z.optional(z.string()),
});

/** `GET /customers/{id}/history?field=`. */
export const historyQuery = z.object({
  field: z.optional(z.enum(CUSTOMER_FIELDS, `must be one of ${CUSTOMER_FIELDS.join(", ")}`)),
});

export const CREDIT_REQUEST_STATUSES = ["pending", "approved", "rejected"] as const;

/** `GET /credit-requests?status=`. */
export const creditListQuery = z.object({
  status: z.optional(
    z.enum(CREDIT_REQUEST_STATUSES, `must be one of ${CREDIT_REQUEST_STATUSES.join(", ")}`),
  ),
});
