/** Schemas of request bodies other than records and policies, checked once at the boundary. */
import * as z from "zod/mini";
import {
  lookupId,
  problemsOf,
  recordId,
  surplusKeyProblems,
  wellFormed,
} from "../core/validation.ts";
import { invalidRequest } from "./errors.ts";

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
