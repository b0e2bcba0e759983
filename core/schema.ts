/**
 * The one source of the shared shapes (api.md "A customer record", "The credit policy",
 * "Credit limits"): each is declared once, as a zod/mini schema, and its type is inferred
 * from it. The API parses what it receives with these schemas, the add-in parses what the
 * API answers with them, and the table columns and the cell fields are read from them.
 * The bodies of the HTTP routes that wrap these shapes are in `apiSchema.ts`.
 *
 * Input schemas are strict (an unknown field is refused with its name) and carry the API's
 * own problem messages. What a server stores and answers is declared with `z.object` over the
 * same fields (a field a newer server adds is not refused); `apiSchema.ts` reads replies.
 */
import * as z from "zod/mini";

// C0 and C1 control characters, DEL included.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

// With the u flag a surrogate pair is one code point, so only a lone surrogate matches.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** Whether text is valid Unicode (no lone surrogate, which UTF-8 and DynamoDB cannot carry). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

const NOT_UNICODE = "must be valid Unicode text (no lone surrogates)";

/** Longest id that names something to look up (api.md: path and body ids). */
export const MAX_ID_LENGTH = 128;
/** Longest id of a customer record (api.md "Records"). */
export const MAX_RECORD_ID_LENGTH = 64;

/**
 * Whether a string can name something to look up, in a path or a body (api.md: 1–128
 * characters of valid Unicode, no control characters). Lengths count UTF-16 code units, as
 * every length rule of the API does.
 */
export function lookupIdProblem(id: unknown): string | null {
  if (typeof id !== "string") return "must be text";
  if (id.length < 1 || id.length > MAX_ID_LENGTH) {
    return `must have 1 to ${MAX_ID_LENGTH} characters`;
  }
  if (CONTROL_CHARACTERS.test(id)) return "must not contain control characters";
  if (!isWellFormed(id)) return NOT_UNICODE;
  return null;
}

/** Whether a string is a customer record's id (1–64 characters, no control characters, no outer spaces). */
export function idProblem(id: unknown): string | null {
  if (typeof id === "string" && (id.length < 1 || id.length > MAX_RECORD_ID_LENGTH)) {
    return `must have 1 to ${MAX_RECORD_ID_LENGTH} characters`;
  }
  const problem = lookupIdProblem(id);
  if (problem !== null) return problem;
  if ((id as string).trim() !== id) return "must not start or end with a space";
  return null;
}

/** A zod check from a problem function: one issue with its message, or none. */
const problemCheck = (problemOf: (value: string) => string | null) =>
  z.superRefine<string>((value, ctx) => {
    const problem = problemOf(value);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem, input: value });
  });

/** An id to look something up by, e.g. `ids` of batch-get or a credit request's customerId. */
export const lookupId = z
  .string(`must be text of 1 to ${MAX_ID_LENGTH} characters`)
  .check(problemCheck(lookupIdProblem));

/** Text that DynamoDB and UTF-8 can carry. */
export const wellFormed = z.refine<string>(isWellFormed, NOT_UNICODE);

/** Text of 1 to `max` characters, e.g. a name. */
export const text = (max: number) =>
  z
    .string(`must be text of 1 to ${max} characters`)
    .check(
      z.minLength(1, `must have 1 to ${max} characters`),
      z.maxLength(max, `must have at most ${max} characters`),
      wellFormed,
    );

const optionalText = (max: number) =>
  z.optional(
    z
      .string(`must be text of up to ${max} characters`)
      .check(z.maxLength(max, `must have at most ${max} characters`), wellFormed),
  );

/** Whether DynamoDB can store a number: magnitude 1e-130 to 1e125, or 0. */
export function isStorableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return value === 0 || (magnitude >= 1e-130 && magnitude < 1e125);
}

const storable = z.refine<number>(
  isStorableNumber,
  "is too large or too small to store (magnitude from 1e-130 to 1e125, or 0)",
);
const number = (message: string) => z.number(message).check(storable);

const finite = number("must be a finite number");
const nonNegative = number("must be a finite number, 0 or more").check(
  z.gte(0, "must be 0 or more"),
);
const percent = z
  .number("must be a number from 0 to 100")
  .check(z.gte(0, "must be 0 or more"), z.lte(100, "must be 100 or less"));
const days = z
  .int("must be a whole number of days from 0 to 3650")
  .check(z.gte(0, "must be 0 or more"), z.lte(3650, "must be 3650 or less"));

/** A customer record's id, e.g. a batch-write item's `id`. */
export const recordId = z
  .string(`must be text of 1 to ${MAX_RECORD_ID_LENGTH} characters`)
  .check(problemCheck(idProblem));

/** A calendar date written `YYYY-MM-DD` (a table column of dates). */
export const isoDate = z.string("must be a date written YYYY-MM-DD").check(
  z.refine((value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return false;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, "must be a real date written YYYY-MM-DD"),
);

const extraValue = z.union(
  [z.string().check(z.maxLength(1000), wellFormed), z.number(), z.boolean(), z.null()],
  { error: "must be text of up to 1000 characters, a finite number, true, false or null" },
);

/**
 * A key that would turn into a prototype when a JavaScript program (the SDK's marshaller,
 * zod, a client) copies it into an object: it could never be read back, so it is refused.
 */
const PROTOTYPE_KEY = "__proto__";

/** Refuses an own `__proto__` key before zod's record drops it silently. */
const noPrototypeKey = z.superRefine<unknown>((value, ctx) => {
  if (typeof value === "object" && value !== null && Object.hasOwn(value, PROTOTYPE_KEY)) {
    ctx.addIssue({
      code: "custom",
      message: `a key of extra must not be ${PROTOTYPE_KEY} (it cannot be stored as data)`,
      input: value,
      path: [PROTOTYPE_KEY],
    });
  }
});

const extra = z.pipe(
  z.unknown().check(noPrototypeKey),
  z
    .record(
      z
        .string()
        .check(
          z.minLength(1, "a key of extra must have 1 to 64 characters"),
          z.maxLength(64, "a key of extra must have 1 to 64 characters"),
          z.refine(isWellFormed, `a key of extra ${NOT_UNICODE}`),
        ),
      extraValue,
      "must be an object",
    )
    .check(z.refine((value) => Object.keys(value).length <= 50, "must have at most 50 keys")),
);

/** The five 5C credit factors, in 5C order. */
export const FIVE_C = ["character", "capacity", "capital", "collateral", "conditions"] as const;
export type FiveC = (typeof FIVE_C)[number];

/** An object with one value per 5C factor, e.g. `byFactor(() => 0)`. */
export function byFactor<T>(value: (factor: FiveC) => T): Record<FiveC, T> {
  return {
    character: value("character"),
    capacity: value("capacity"),
    capital: value("capital"),
    collateral: value("collateral"),
    conditions: value("conditions"),
  };
}

const creditFactors = z.strictObject(
  byFactor(() => percent),
  "must be an object with character, capacity, capital, collateral and conditions, each 0 to 100",
);

/** The fields a client sends for a customer, in api.md order (the order audit entries use). */
const customerShape = {
  id: recordId,
  name: text(200),
  owner: optionalText(64),
  segment: optionalText(64),
  grade: optionalText(64),
  creditGrade: optionalText(64),
  revenue: z.optional(finite),
  profit: z.optional(finite),
  lastOrderDate: z.optional(isoDate),
  orderCount: z.optional(
    z.int("must be a whole number, 0 or more").check(z.gte(0, "must be 0 or more")),
  ),
  creditFactors: z.optional(creditFactors),
  creditScore: z.optional(percent),
  creditLimit: z.optional(nonNegative),
  receivables: z.optional(nonNegative),
  openOrders: z.optional(nonNegative),
  termDays: z.optional(days),
  extra: z.optional(extra),
};

/** The fields only the server sets. */
const serverShape = {
  version: z.int("must be a whole number").check(z.gte(1, "must be 1 or more")),
  /** ISO 8601. */
  createdAt: z.string("must be text"),
  updatedAt: z.string("must be text"),
  updatedBy: z.string("must be text"),
};

/** A customer record as a client sends it: every field checked, unknown fields refused. */
export const customerInput = z.strictObject(customerShape, "must be a JSON object");

/** A stored customer record as the API returns it (a field unknown to this client is dropped). */
export const customerRecord = z.object(
  { ...customerShape, ...serverShape },
  "must be a customer record (an object)",
);

/** The five 5C credit factors, each 0–100. */
export type CreditFactors = z.output<typeof creditFactors>;
/** A value of the free-form `extra` object. */
export type ExtraValue = z.output<typeof extraValue>;
/** A valid customer record as a client sends it (no server fields). */
export type CustomerInput = z.output<typeof customerInput>;
/** A stored customer record as the API returns it: the input plus version and server fields. */
export type CustomerRecord = z.output<typeof customerRecord>;
/**
 * A record read from a table that the API has not checked yet: an id and any fields, as the
 * cells gave them. The pane sends drafts as they are, so the API names each row's problem.
 */
export type CustomerDraft = { readonly id: string } & Readonly<Record<string, unknown>>;

/** A draft: any object with a text id (its fields are the API's to check). */
export const customerDraft = z.custom<CustomerDraft>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    "id" in value &&
    typeof value.id === "string",
  "must be a record with a text id",
);

/** The client fields of a record, in api.md order. */
export const CUSTOMER_FIELDS = Object.keys(customerShape) as (keyof typeof customerShape)[];
export type CustomerField = keyof typeof customerShape;

/** Server fields a client may echo back in a body (they are ignored, never trusted). */
export const SERVER_FIELDS = Object.keys(serverShape) as (keyof typeof serverShape)[];

/** What a record field holds as a single value: text, a number, or a `YYYY-MM-DD` date. */
export type ValueKind = "text" | "number" | "date";

/** One single-valued field of a record: a top-level field, or a part of an object field. */
export interface ValueField {
  /** The field's path, e.g. `name` or `creditFactors.capital`. */
  readonly path: string;
  /** Its own name, e.g. `capital`. */
  readonly name: string;
  /** The object field it belongs to (`creditFactors`), or undefined at the top level. */
  readonly parent?: CustomerField;
  readonly kind: ValueKind;
}

const isCustomerField = (name: string): name is CustomerField => Object.hasOwn(customerShape, name);

/** The schema a field holds when it is present (`z.optional(x)` holds `x`). */
function present(schema: z.core.$ZodType): z.core.$ZodType {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  return def.type === "optional" ? present(def.innerType) : schema;
}

/**
 * The single-valued fields of an object shape, in its order, each with the kind its schema
 * accepts; an object field's parts under its path. Free-form fields (`extra`) have none.
 */
function valueFieldsOf(
  shape: Readonly<Record<string, z.core.$ZodType>>,
  parent?: CustomerField,
): ValueField[] {
  return Object.entries(shape).flatMap(([name, field]): ValueField[] => {
    const schema = present(field);
    const def = (schema as z.core.$ZodTypes)._zod.def;
    const path = parent === undefined ? name : `${parent}.${name}`;
    const at = parent === undefined ? {} : { parent };
    if (schema === isoDate) return [{ path, name, ...at, kind: "date" }];
    if (def.type === "string") return [{ path, name, ...at, kind: "text" }];
    if (def.type === "number") return [{ path, name, ...at, kind: "number" }];
    if (def.type === "object" && parent === undefined && isCustomerField(name)) {
      return valueFieldsOf(def.shape, name);
    }
    return [];
  });
}

/**
 * Every single-valued field of a record, in api.md order, read from its schema: the
 * top-level text, number and date fields and the parts of `creditFactors` (`extra` is
 * free-form, so it is not among them). The table's columns and the cells' fields.
 */
export const VALUE_FIELDS: readonly ValueField[] = valueFieldsOf(customerShape);

/** The server fields, which a client reads but never sets (`version`, `updatedBy`, …). */
export const SERVER_VALUE_FIELDS: readonly ValueField[] = valueFieldsOf(serverShape);

const band = z.strictObject(
  {
    grade: text(16),
    minScore: percent,
    limitPct: z
      .number("must be a percentage, 0 or more")
      .check(z.gte(0, "must be 0 or more"), z.lte(1000, "must be 1000 or less")),
    termDays: days,
  },
  "must be an object with grade, minScore, limitPct and termDays",
);

const weight = number("must be a finite number, 0 or more").check(z.gte(0, "must be 0 or more"));

/** The team's credit policy (api.md "The credit policy"), field by field. */
export const creditPolicy = z.strictObject(
  {
    weights: z.strictObject(
      byFactor(() => weight),
      "must be an object with the five 5C weights",
    ),
    bands: z
      .array(band, "must be a list of bands")
      .check(
        z.minLength(1, "must have at least one band"),
        z.maxLength(50, "must have at most 50 bands"),
      ),
    limitRounding: number("must be a finite number greater than 0").check(
      z.gt(0, "must be greater than 0"),
    ),
    maxLimit: z.nullable(
      number("must be a finite number, 0 or more, or null").check(z.gte(0, "must be 0 or more")),
    ),
    staffRaiseLimit: nonNegative,
    currency: z
      .string("must be a three-letter ISO 4217 code such as CNY")
      .check(z.regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as CNY")),
  },
  "must be a JSON object",
);

export type CreditPolicy = z.output<typeof creditPolicy>;
export type CreditBand = CreditPolicy["bands"][number];
/** The five 5C weights. */
export type CreditWeights = CreditPolicy["weights"];

/** Values as a form holds them before the API checked them: a number may still be text. */
export type Unchecked<T> = T extends number
  ? number | string
  : T extends readonly (infer U)[]
    ? Unchecked<U>[]
    : T extends object
      ? { [K in keyof T]: Unchecked<T[K]> }
      : T;

/** A policy as typed into the pane's form: sent as it is, so the API names what is wrong. */
export type PolicyDraft = Unchecked<CreditPolicy>;

export const CREDIT_REQUEST_STATUSES = ["pending", "approved", "rejected"] as const;
export const creditRequestStatus = z.enum(
  CREDIT_REQUEST_STATUSES,
  `must be one of ${CREDIT_REQUEST_STATUSES.join(", ")}`,
);
export type CreditRequestStatus = z.output<typeof creditRequestStatus>;

/** What a client sends to ask for a new credit limit. */
export const creditRequestInput = z.strictObject(
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
export type CreditRequestInput = z.output<typeof creditRequestInput>;

/** A credit request as stored and as the API returns it. */
export const creditRequest = z.object(
  {
    id: z.string("must be text"),
    customerId: z.string("must be text"),
    oldLimit: z.nullable(z.number("must be a number or null")),
    newLimit: z.number("must be a number"),
    reason: z.string("must be text"),
    status: creditRequestStatus,
    /** `sub` of the requester (four eyes compares this). */
    requestedBy: z.string("must be text"),
    requestedByName: z.string("must be text"),
    createdAt: z.string("must be text"),
    decidedBy: z.optional(z.string("must be text")),
    decidedByName: z.optional(z.string("must be text")),
    decidedAt: z.optional(z.string("must be text")),
  },
  "must be a credit request (an object)",
);
export type CreditRequest = z.output<typeof creditRequest>;
