/**
 * The bodies of every HTTP route (`functions/routes.ts`, api.md "Endpoints"), declared once:
 * the handlers parse requests with the request schemas and type their answers with the
 * response types, and `ApiClient` parses every answer with the response schemas. Request
 * schemas are strict and say what is wrong in the API's words; response schemas never refuse
 * a field they do not know (a newer server may add one): `z.object` drops it, and records and
 * the policy, read in bulk, are checked by type (`quick`) and kept as they came.
 */
import * as z from "zod/mini";
import {
  type CustomerDraft,
  creditPolicy,
  creditRequest,
  customerRecord,
  lookupId,
  recordId,
} from "./schema.ts";

/** A check of a value against the types of a schema only (no refinements, extra keys allowed). */
type TypeCheck = (value: unknown) => boolean;

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The type check of `schema`, compiled once from its definition (false for kinds it does not know). */
function typeCheckOf(schema: z.core.$ZodType): TypeCheck {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case "string":
      return (value) => typeof value === "string";
    case "number":
      return (value) => typeof value === "number";
    case "boolean":
      return (value) => typeof value === "boolean";
    case "null":
      return (value) => value === null;
    case "unknown":
      return () => true;
    case "optional": {
      const inner = typeCheckOf(def.innerType);
      return (value) => value === undefined || inner(value);
    }
    case "nullable": {
      const inner = typeCheckOf(def.innerType);
      return (value) => value === null || inner(value);
    }
    case "pipe":
      return typeCheckOf(def.out);
    case "union": {
      const options = def.options.map(typeCheckOf);
      return (value) => options.some((option) => option(value));
    }
    case "array": {
      const element = typeCheckOf(def.element);
      return (value) => Array.isArray(value) && value.every(element);
    }
    case "record": {
      const values = typeCheckOf(def.valueType);
      return (value) => isObject(value) && Object.values(value).every(values);
    }
    case "object": {
      const fields = Object.entries(def.shape).map(
        ([key, field]) => [key, typeCheckOf(field)] as const,
      );
      return (value) => isObject(value) && fields.every(([key, check]) => check(value[key]));
    }
    default:
      return () => false;
  }
}

/**
 * `schema` for reading what a trusted server sends in bulk (100,000 records on a pull): a
 * value whose fields have the right types passes as it is, without running every rule or
 * copying it (about 10 times faster); any other value is parsed with `schema`, whose issues
 * name the field that is off.
 */
function quick<T>(schema: z.ZodMiniType<T>): z.ZodMiniType<T> {
  const hasTypes = typeCheckOf(schema);
  return z.custom<T>().check(
    z.superRefine((value, ctx) => {
      if (hasTypes(value)) return;
      const result = schema.safeParse(value);
      if (result.success) return;
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: value });
      }
    }),
  );
}

/** A request's body: a JSON object with these fields and no other (each unknown one named). */
const request = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.strictObject(shape, "must be a JSON object");

/** A reply's body: a JSON object with these fields (others, from a newer server, dropped). */
const reply = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.object(shape, "must be a JSON object");

const text = z.string("must be text");
const wholeNumber = z.int("must be a whole number");

/** One problem with an input: the field's path (`"creditFactors.capital"`) and what is wrong. */
export const problem = z.object(
  {
    field: text,
    message: text,
    /** Only on the last entry of a cut list: how many problems were left out. */
    more: z.optional(wholeNumber),
  },
  "must be a problem (an object with field and message)",
);
export type Problem = z.output<typeof problem>;

/** The one error shape: `{"error": {code, message, details?}}`, and `current` on a `409`. */
export const errorResponse = reply({
  error: z.object(
    {
      code: text,
      message: text,
      details: z.optional(z.array(problem, "must be a list of problems")),
    },
    "must be an object with code and message",
  ),
  /** On `409 version_conflict`: what is stored now (a record, the policy or a request), or null. */
  current: z.optional(z.unknown()),
});
export type ErrorResponse = z.output<typeof errorResponse>;
/** The error of a refused batch item: the `error` of the one error shape. */
export type ItemError = ErrorResponse["error"];

/**
 * A stored record in a reply (`GET`/`PUT /customers/{id}`, lists, a conflict's `current`):
 * checked by field type, fast, and tolerant of fields a newer server adds at any level.
 */
export const storedRecord = quick(customerRecord);

/** `GET /health`. */
export const healthResponse = reply({ ok: z.boolean("must be true or false") });
export type HealthResponse = z.output<typeof healthResponse>;

/** `GET /customers`: one page, sorted by id. */
export const customerPage = reply({
  items: z.array(storedRecord, "must be a list of records"),
  nextCursor: z.nullable(z.string("must be text or null")),
});
export type CustomerPage = z.output<typeof customerPage>;

/** `POST /customers/batch-get` request. */
export const batchGetRequest = request({
  ids: z
    .array(lookupId, "must be a list of ids")
    .check(z.minLength(1, "must have 1 to 100 ids"), z.maxLength(100, "must have 1 to 100 ids")),
});
export type BatchGetRequest = z.output<typeof batchGetRequest>;

/** `POST /customers/batch-get` response. */
export const batchGetResponse = reply({
  items: z.array(storedRecord, "must be a list of records"),
  missing: z.array(text, "must be a list of ids"),
});
export type BatchGetResponse = z.output<typeof batchGetResponse>;

/** `POST /customers/batch-write` request; each item is checked on its own (`batchWriteItem`). */
export const batchWriteRequest = request({
  items: z
    .array(z.unknown(), "must be a list of items")
    .check(
      z.minLength(1, "must have 1 to 500 items"),
      z.maxLength(500, "must have at most 500 items"),
    ),
});

/** One batch-write item; its `record` is checked as a record (its problems under `record.`). */
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

/** A batch-write item as a client sends it: a put carries the row's record, unchecked. */
export type BatchWriteItem =
  | {
      readonly op: "put";
      readonly id: string;
      /** 0 creates the record. */
      readonly expectedVersion: number;
      readonly record: CustomerDraft;
    }
  | { readonly op: "delete"; readonly id: string; readonly expectedVersion: number };

/** What became of one batch-write item, in the order of the request. */
export const batchWriteResult = z.object(
  {
    id: text,
    status: z.enum(
      ["ok", "conflict", "invalid", "forbidden"],
      'must be "ok", "conflict", "invalid" or "forbidden"',
    ),
    /** On `ok`: the version stored. */
    version: z.optional(wholeNumber),
    /** On `conflict`: the stored record (absent when it was deleted). */
    current: z.optional(storedRecord),
    /** On `invalid` and `forbidden`: why. */
    error: z.optional(errorResponse.shape.error),
  },
  "must be a result (an object)",
);
export type BatchWriteResult = z.output<typeof batchWriteResult>;

/** `POST /customers/batch-write` response. */
export const batchWriteResponse = reply({
  results: z.array(batchWriteResult, "must be a list of results"),
});
export type BatchWriteResponse = z.output<typeof batchWriteResponse>;

/** `DELETE /customers/{id}` response. */
export const deleteResponse = reply({
  id: text,
  version: wholeNumber,
  deleted: z.literal(true, "must be true"),
});
export type DeleteResponse = z.output<typeof deleteResponse>;

/** One changed field of one version, as the audit trail lists it. */
export const historyEntry = z.object(
  {
    when: text,
    who: text,
    field: text,
    old: z.unknown(),
    new: z.unknown(),
    version: wholeNumber,
  },
  "must be a history entry (an object)",
);
export type HistoryEntry = z.output<typeof historyEntry>;

/** `GET /customers/{id}/history` response, newest first. */
export const historyResponse = reply({
  items: z.array(historyEntry, "must be a list of history entries"),
});
export type HistoryResponse = z.output<typeof historyResponse>;

/** One entry of the change feed. */
export const change = z.object(
  {
    id: text,
    version: wholeNumber,
    deleted: z.boolean("must be true or false"),
  },
  "must be a change (an object)",
);
export type Change = z.output<typeof change>;

/** `GET /changes` response. */
export const changesResponse = reply({
  changes: z.array(change, "must be a list of changes"),
  cursor: text,
});
export type ChangesResponse = z.output<typeof changesResponse>;

/** `GET /policy` and `PUT /policy` response: the policy with its version (also the ETag). */
export const policyResponse = reply({
  policy: quick(creditPolicy),
  version: wholeNumber,
  source: z.enum(["default", "team"], 'must be "default" or "team"'),
  updatedAt: z.optional(text),
  updatedBy: z.optional(text),
});
export type PolicyResponse = z.output<typeof policyResponse>;

/** `GET /credit-requests` response, newest first. */
export const creditRequestList = reply({
  items: z.array(creditRequest, "must be a list of credit requests"),
});
export type CreditRequestList = z.output<typeof creditRequestList>;

/** `POST /grading/run` request. */
export const gradingRequest = request({
  basis: z.enum(["revenue", "profit"], 'must be "revenue" or "profit"'),
  aShare: z.optional(z.nullable(z.number("must be a number between 0 and 1"))),
  bShare: z.optional(z.nullable(z.number("must be a number between 0 and 1"))),
});
export type GradingRequest = z.output<typeof gradingRequest>;

/** `POST /grading/run` response: customers per grade, those left ungraded, records changed. */
export const gradingResponse = reply({
  counts: z.record(text, wholeNumber, "must be an object of counts per grade"),
  ungraded: wholeNumber,
  changed: wholeNumber,
});
export type GradingResponse = z.output<typeof gradingResponse>;
