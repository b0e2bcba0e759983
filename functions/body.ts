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

/** An opaque cursor of a paged list: the text that places the page's last item, base64url-encoded. */
function encodeCursor(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/**
 * The cursor after a page: its last item's place (`placeOf`), or null when nothing may follow
 * (`more` false, or an empty page).
 */
export function nextCursor<T>(
  page: { readonly items: readonly T[]; readonly more: boolean },
  placeOf: (last: T) => string,
): string | null {
  const last = page.items[page.items.length - 1];
  return page.more && last !== undefined ? encodeCursor(placeOf(last)) : null;
}

/** The text of a cursor `encodeCursor` made and `isValid` accepts, or `400` naming `cursor`. */
export function decodeCursor(
  cursor: string | undefined,
  isValid: (text: string) => boolean,
): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!isValid(text) || encodeCursor(text) !== cursor) {
    throw invalidRequest([{ field: "cursor", message: "is not a cursor this API returned" }]);
  }
  return text;
}

/** `GET /customers?limit=&cursor=`: `cursor` is checked by decoding it. */
export const customerListQuery = z.object({
  limit: z.optional(wholeNumber(1, 1000)),
  cursor: z.optional(z.string()),
});

/** `GET /customers/{id}/history?field=&cursor=`: `cursor` is checked by decoding it. */
export const historyQuery = z.object({
  field: z.optional(z.enum(CUSTOMER_FIELDS, `must be one of ${CUSTOMER_FIELDS.join(", ")}`)),
  cursor: z.optional(z.string()),
});

/** `GET /credit-requests?status=&cursor=`: `cursor` is checked by decoding it. */
export const creditListQuery = z.object({
  status: z.optional(creditRequestStatus),
  cursor: z.optional(z.string()),
});
