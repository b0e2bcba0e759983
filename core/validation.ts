/**
 * Validation of what crosses the API boundary: a customer record and a credit policy
 * (api.md). Each returns every problem, field by field, with a message a person can act on,
 * so a client can mark every bad cell of a row at once.
 */
import * as z from "zod/mini";
import type { CreditPolicy } from "./policy.ts";
import { FIVE_C } from "./policy.ts";
import type { CustomerInput } from "./record.ts";
import { jsonBytes, MAX_RECORD_BYTES, SERVER_FIELDS } from "./record.ts";

/** One problem with an input: the field's path (`"creditFactors.capital"`) and what is wrong. */
export interface Problem {
  readonly field: string;
  readonly message: string;
  /** Only on the last entry of a cut list: how many problems were left out. */
  readonly more?: number;
}

export type Validated<T, K extends string> =
  | ({ readonly ok: true } & { readonly [key in K]: T })
  | { readonly ok: false; readonly problems: Problem[] };

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

const text = (max: number) =>
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

/** A customer record's id, e.g. a batch-write item's `id`. */
export const recordId = z
  .string(`must be text of 1 to ${MAX_RECORD_ID_LENGTH} characters`)
  .check(problemCheck(idProblem));

const isoDate = z.string("must be a date written YYYY-MM-DD").check(
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

const creditFactors = z.strictObject(
  {
    character: percent,
    capacity: percent,
    capital: percent,
    collateral: percent,
    conditions: percent,
  },
  "must be an object with character, capacity, capital, collateral and conditions, each 0 to 100",
);

const customerSchema = z.strictObject(
  {
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
    termDays: z.optional(
      z
        .int("must be a whole number of days from 0 to 3650")
        .check(z.gte(0, "must be 0 or more"), z.lte(3650, "must be 3650 or less")),
    ),
    extra: z.optional(extra),
  },
  "must be a JSON object",
);

const band = z.strictObject(
  {
    grade: text(16),
    minScore: percent,
    limitPct: z
      .number("must be a percentage, 0 or more")
      .check(z.gte(0, "must be 0 or more"), z.lte(1000, "must be 1000 or less")),
    termDays: z
      .int("must be a whole number of days from 0 to 3650")
      .check(z.gte(0, "must be 0 or more"), z.lte(3650, "must be 3650 or less")),
  },
  "must be an object with grade, minScore, limitPct and termDays",
);

const weight = number("must be a finite number, 0 or more").check(z.gte(0, "must be 0 or more"));

const policySchema = z.strictObject(
  {
    weights: z.strictObject(
      {
        character: weight,
        capacity: weight,
        capital: weight,
        collateral: weight,
        conditions: weight,
      },
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

/** Longest field name or message a problem repeats back (unknown keys may be any length). */
const MAX_PROBLEM_TEXT = 200;

/** Text cut to `max` characters with an ellipsis, e.g. for a field name a client made up. */
export function clipped(text: string, max = MAX_PROBLEM_TEXT): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: the reply must stay valid Unicode.
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** Problems zod found, one per field, in the API's words (unknown keys one by one). */
export function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  allowed: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  // The allowed fields are named once, on the first unknown one, however many there are.
  let allowedNamed = false;
  for (const issue of issues) {
    const path = issue.path.map((segment) => clipped(String(segment))).join(".");
    if (issue.code === "unrecognized_keys") {
      const where = path === "" ? "" : `${path}.`;
      for (const key of issue.keys) {
        const nameAllowed: boolean = path === "" && !allowedNamed;
        if (nameAllowed) allowedNamed = true;
        problems.push({
          field: `${where}${clipped(key)}`,
          message: nameAllowed
            ? `is not a known field; allowed: ${allowed.join(", ")}`
            : "is not a known field",
        });
      }
    } else if (issue.code === "invalid_key") {
      const [inner] = issue.issues;
      problems.push({
        field: path,
        message: inner?.message ?? "a key of extra must have 1 to 64 characters",
      });
    } else {
      problems.push({ field: path === "" ? "(body)" : path, message: issue.message });
    }
  }
  return problems;
}

/**
 * The unknown keys of an object that has more keys than `allowed` and `ignored` together,
 * found without copying it or running a schema over it (a body of 100,000 keys then costs
 * milliseconds); null when the object could still be valid.
 */
export function surplusKeyProblems(
  input: unknown,
  allowed: readonly string[],
  ignored: readonly string[] = [],
): Problem[] | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return null;
  const keys = Object.keys(input);
  if (keys.length <= allowed.length + ignored.length) return null;
  const known = new Set([...allowed, ...ignored]);
  return keys
    .filter((key) => !known.has(key))
    .map((key, i) => ({
      field: key,
      message:
        i === 0 ? `is not a known field; allowed: ${allowed.join(", ")}` : "is not a known field",
    }));
}

/**
 * At most `max` problems, the last entry saying how many more there were (api.md: an error
 * lists at most 100), each field and message cut to a readable length.
 */
export function limitProblems(problems: readonly Problem[], max: number): Problem[] {
  const shown = problems.slice(0, max).map((p) => ({
    field: clipped(p.field),
    message: clipped(p.message, 2 * MAX_PROBLEM_TEXT),
  }));
  const more = problems.length - shown.length;
  return more > 0
    ? [...shown, { field: "(more)", message: `and ${more} more problems not listed`, more }]
    : shown;
}

/** Fields `GET /policy` adds that a client may echo back. */
const POLICY_SERVER_FIELDS = [...SERVER_FIELDS, "source"] as const;

const CUSTOMER_SCHEMA_FIELDS = Object.keys(customerSchema.def.shape);
const POLICY_FIELDS = Object.keys(policySchema.def.shape);

/** Drops the server fields a client may echo back from what it read (never trusted). */
function withoutServerFields(input: unknown, fields: readonly string[]): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const copy: Record<string, unknown> = { ...input };
  for (const field of fields) delete copy[field];
  return copy;
}

/** Checks a customer record against api.md, e.g. `validateRecord({ id: "C-1", name: "华为" })`. */
export function validateRecord(input: unknown): Validated<CustomerInput, "record"> {
  const surplus = surplusKeyProblems(input, CUSTOMER_SCHEMA_FIELDS, SERVER_FIELDS);
  if (surplus !== null) return { ok: false, problems: surplus };
  const result = customerSchema.safeParse(withoutServerFields(input, SERVER_FIELDS));
  if (!result.success) {
    return {
      ok: false,
      problems: problemsOf(result.error.issues, CUSTOMER_SCHEMA_FIELDS),
    };
  }
  const record = result.data as CustomerInput;
  const bytes = jsonBytes(record);
  if (bytes > MAX_RECORD_BYTES) {
    return {
      ok: false,
      problems: [
        {
          field: "(record)",
          message: `is ${bytes} bytes as JSON; a record may have at most ${MAX_RECORD_BYTES} bytes (32 KB)`,
        },
      ],
    };
  }
  return { ok: true, record };
}

/** Rules across bands that a per-field schema cannot see. */
function bandProblems(policy: CreditPolicy): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  policy.bands.forEach((b, i) => {
    if (seen.has(b.grade)) {
      problems.push({ field: `bands.${i}.grade`, message: `repeats grade ${b.grade}` });
    }
    seen.add(b.grade);
    const previous = policy.bands[i - 1];
    if (previous !== undefined && b.minScore >= previous.minScore) {
      problems.push({
        field: `bands.${i}.minScore`,
        message: `must be below the previous band's ${previous.minScore} (min scores strictly descending)`,
      });
    }
  });
  const last = policy.bands[policy.bands.length - 1];
  if (last !== undefined && last.minScore !== 0) {
    problems.push({
      field: `bands.${policy.bands.length - 1}.minScore`,
      message: "must be 0 in the last band, so every score has a grade",
    });
  }
  if (FIVE_C.every((c) => policy.weights[c] === 0)) {
    problems.push({ field: "weights", message: "must not all be 0" });
  }
  return problems;
}

/** Checks a credit policy against api.md (`DEFAULT_POLICY` passes). */
export function validatePolicy(input: unknown): Validated<CreditPolicy, "policy"> {
  const surplus = surplusKeyProblems(input, POLICY_FIELDS, POLICY_SERVER_FIELDS);
  if (surplus !== null) return { ok: false, problems: surplus };
  const result = policySchema.safeParse(withoutServerFields(input, POLICY_SERVER_FIELDS));
  if (!result.success) {
    return {
      ok: false,
      problems: problemsOf(result.error.issues, POLICY_FIELDS),
    };
  }
  const policy: CreditPolicy = result.data;
  const problems = bandProblems(policy);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy };
}
