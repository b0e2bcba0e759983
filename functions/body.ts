/**
 * Request bodies and query strings checked once at the boundary: an operation reads only
 * what its schema let through. The body schemas are in `core/apiSchema.ts`; the query
 * strings, which only the handlers read, are declared here.
 */
import * as z from "zod/mini";
import { CUSTOMER_FIELDS, creditRequestStatus } from "../core/schema.ts";
import { problemsOf, surplusKeyProblems } from "../core/validation.ts";
import { invalidRequest } from "./errors.ts";
import type { ApiEvent } from "./http.ts";

/** Parses `input` with an object `schema` or throws `400` listing every problem. */
export function parseBody<S extends z.ZodMiniObject>(schema: S, input: unknown): z.output<S> {
  const allowed = Object.keys(schema.def.shape);
  const surplus = surplusKeyProblems(input, allowed);
  if (surplus !== null) throw invalidRequest(surplus);
  const result = schema.safeParse(input);
  if (!result.success) throw invalidRequest(problemsOf(result.error.issues, allowed));
  return result.data;
}

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

/** `GET /credit-requests?status=`. */
export const creditListQuery = z.object({
  status: z.optional(creditRequestStatus),
});
