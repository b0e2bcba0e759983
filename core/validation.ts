/**
 * Validation of what crosses the API boundary: a customer record and a credit policy
 * (api.md), checked with their schemas (`schema.ts`) plus the rules a per-field schema cannot
 * see. Each returns every problem, field by field, with a message a person can act on, so a
 * client can mark every bad cell of a row at once.
 */
import type * as z from "zod/mini";
import type { Problem } from "./apiSchema.ts";
import { jsonBytes, MAX_RECORD_BYTES } from "./record.ts";
import {
  type CreditPolicy,
  type CustomerInput,
  creditPolicy,
  customerInput,
  FIVE_C,
  SERVER_FIELDS,
} from "./schema.ts";

export type Validated<T, K extends string> =
  | ({ readonly ok: true } & { readonly [key in K]: T })
  | { readonly ok: false; readonly problems: Problem[] };

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

const CUSTOMER_SCHEMA_FIELDS = Object.keys(customerInput.def.shape);
const POLICY_FIELDS = Object.keys(creditPolicy.def.shape);

/** Drops the server fields a client may echo back from what it read (never trusted). */
function withoutServerFields(input: unknown, fields: readonly string[]): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const copy: Record<string, unknown> = { ...input };
  for (const field of fields) delete copy[field];
  return copy;
}

/**
 * `input` read by `schema` once the server fields a client may echo back (`ignored`) are
 * dropped, or every problem, unknown fields named one by one against `allowed`.
 */
function parsed<T>(
  schema: z.ZodMiniType<T>,
  input: unknown,
  allowed: readonly string[],
  ignored: readonly string[],
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: Problem[] } {
  const surplus = surplusKeyProblems(input, allowed, ignored);
  if (surplus !== null) return { ok: false, problems: surplus };
  const result = schema.safeParse(withoutServerFields(input, ignored));
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: problemsOf(result.error.issues, allowed) };
}

/** Checks a customer record against api.md, e.g. `validateRecord({ id: "C-1", name: "华为" })`. */
export function validateRecord(input: unknown): Validated<CustomerInput, "record"> {
  const result = parsed(customerInput, input, CUSTOMER_SCHEMA_FIELDS, SERVER_FIELDS);
  if (!result.ok) return result;
  const record: CustomerInput = result.value;
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
  const result = parsed(creditPolicy, input, POLICY_FIELDS, POLICY_SERVER_FIELDS);
  if (!result.ok) return result;
  const policy: CreditPolicy = result.value;
  const problems = bandProblems(policy);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy };
}
