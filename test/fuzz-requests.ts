/**
 * fast-check arbitraries of hostile HTTP requests for every route of `functions/routes.ts`:
 * JSON bodies written as text (so odd keys such as `__proto__`, duplicate keys, lone
 * surrogates and numbers such as `1e999` reach the server exactly as a client can send
 * them), arbitrary path ids and query strings, odd headers, valid and invalid tokens.
 * Each route also gets near-valid bodies, so requests get past the first check and reach
 * the store.
 */
import fc from "fast-check";
import { DEFAULT_POLICY } from "../core/policy.ts";
import { type Route, routes } from "../functions/routes.ts";

/** A JSON object written as its key/value pairs: keys may repeat or be `__proto__`. */
export class Entries {
  constructor(readonly pairs: readonly (readonly [string, unknown])[]) {}
}

/** JSON text sent as is (a number such as `1e999`, a deeply nested array). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The JSON text of a value built from plain values, `Entries` and `RawJson`. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof Entries) {
    return `{${value.pairs.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(",")}}`;
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  if (typeof value === "object" && value !== null)
    return jsonText(new Entries(Object.entries(value)));
  // NaN and ±Infinity are not JSON: JSON.stringify writes null, as a client's would.
  return JSON.stringify(value) ?? "null";
}

/** Which token a request carries; the test turns each kind into a header value. */
export type TokenKind =
  | "staff"
  | "manager"
  | "otherManager"
  | "otherTeam"
  | "none"
  | "empty"
  | "garbage"
  | "tampered"
  | "basic";

/** A path id: text to percent-encode, raw text for the path, or the nth credit request made. */
export type PathId = { text: string } | { raw: string } | { request: number };

export interface FuzzRequest {
  readonly route: Route;
  readonly id: PathId;
  readonly query: readonly (readonly [string, string])[];
  /** Undefined: no body. */
  readonly body: string | undefined;
  readonly token: TokenKind;
  readonly headers: Readonly<Record<string, string>>;
}

const ODD_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
  "",
  " ",
  "a.b",
  "$id",
  "#",
  "C#x",
  "id",
  "name",
  "extra",
  "version",
  "items",
  "ids",
];

/** Ids of the records the fuzz writes, so writes meet each other. */
export const ID_POOL = ["F-1", "F-2", "F-3", "华为-4", "a b", "x".repeat(64), "y".repeat(100)];

const oddChar = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom(
    "\u0000",
    "\u0007",
    "\u007f",
    "\u0085",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "😀",
    "华",
    "%",
    "/",
    "#",
    "\\",
    '"',
    " ",
  ),
);

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: oddChar, maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_KEYS, ...ID_POOL) },
  { weight: 1, arbitrary: fc.nat(3000).map((n) => "x".repeat(n)) },
  // Long ids of 3- and 4-byte characters: keys near DynamoDB's size limits once encoded.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("华", "😀", "é"), fc.integer({ min: 60, max: 130 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

const oddKey = fc.oneof(fc.constantFrom(...ODD_KEYS), oddString);

const oddNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 1e308, 5e-324, 1e125, 9.99e124, 1e-130, -1, 0.5, 3651),
  fc
    .constantFrom("1e999", "-1e999", "1E400", "0.1e-400", "-0", "1.0", "10e0", "9007199254740993")
    .map((text) => new RawJson(text)),
);

/** Arbitrary JSON: deep, wide, odd keys (repeated ones too), odd numbers, odd strings. */
export const oddJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    oddNumber,
    oddString,
    fc.array(tie("value"), { maxLength: 6 }),
    fc.array(fc.tuple(oddKey, tie("value")), { maxLength: 6 }).map((pairs) => new Entries(pairs)),
  ),
})).value;

const deepJson = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, objects]) =>
    objects
      ? new RawJson(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`)
      : new RawJson(`${"[".repeat(depth)}${"]".repeat(depth)}`),
  );

const wideObject = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), oddJson)
  .map(([count, value]) => new Entries(Array.from({ length: count }, (_, i) => [`k${i}`, value])));

/** A value for a field: one it accepts (the object's mutation makes it odd, or not). */
const either = <T>(valid: fc.Arbitrary<T>) => valid;

type Mutation = (entries: Entries) => Entries;

/**
 * At most one change that makes a valid object invalid, so about half of the near-valid
 * bodies are valid and reach the store: a field's value replaced by arbitrary JSON, a field
 * dropped, or odd keys added.
 */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant((entries: Entries) => entries) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), oddJson).map(
      ([at, value]) =>
        (entries: Entries) =>
          new Entries(
            entries.pairs.map(([k, v], i) =>
              i === at % entries.pairs.length ? [k, value] : [k, v],
            ),
          ),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .nat()
      .map(
        (at) => (entries: Entries) =>
          new Entries(entries.pairs.filter((_, i) => i !== at % entries.pairs.length)),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(oddKey, oddJson), { minLength: 1, maxLength: 3 })
      .map((odd) => (entries: Entries) => new Entries([...entries.pairs, ...odd])),
  },
);

/** A valid object from `shape` (optional fields kept or dropped), then maybe mutated. */
function objectOf(
  shape: Record<string, fc.Arbitrary<unknown>>,
  required: readonly string[],
): fc.Arbitrary<Entries> {
  const fields = Object.entries(shape).map(([name, value]) =>
    required.includes(name)
      ? value.map((v) => [[name, v] as const])
      : fc.option(value, { freq: 2 }).map((v) => (v === null ? [] : [[name, v] as const])),
  );
  return fc
    .tuple(fc.tuple(...fields), mutation)
    .map(([kept, mutate]) => mutate(new Entries(kept.flat())));
}

const text = (max: number) => fc.string({ unit: "grapheme", minLength: 1, maxLength: max });
// Hundredths: fc.double's subnormals would make nearly every record unstorable (refused).
const smallNumber = fc.integer({ min: -1e11, max: 1e11 }).map((n) => n / 100);
const percent = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100);
const share = fc.integer({ min: 0, max: 100 }).map((n) => n / 100);
/** Ids of records: a few odd ones that meet often, and many plain ones, so creates succeed. */
const poolId = fc.oneof(
  fc.constantFrom(...ID_POOL),
  fc.nat(400).map((n) => `F-${n}`),
);
const anyId = fc.oneof({ weight: 4, arbitrary: poolId }, { weight: 1, arbitrary: oddString });

const extraObject = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...ODD_KEYS), text(10)),
          fc.oneof(text(20), smallNumber, fc.boolean(), fc.constant(null)),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => new Entries(pairs)),
  },
  { weight: 1, arbitrary: oddJson },
);

const record = (id: fc.Arbitrary<string>) =>
  objectOf(
    {
      id,
      name: either(text(30)),
      owner: either(text(10)),
      segment: either(text(10)),
      grade: either(fc.constantFrom("A", "B", "C", "D")),
      revenue: either(smallNumber),
      profit: either(smallNumber),
      lastOrderDate: either(fc.constantFrom("2024-02-29", "2024-01-31", "1999-12-31")),
      orderCount: either(fc.nat(1000)),
      creditFactors: either(
        fc.record({
          character: percent,
          capacity: percent,
          capital: percent,
          collateral: percent,
          conditions: percent,
        }),
      ),
      creditScore: either(percent),
      creditLimit: either(fc.constantFrom(0, 100, 1e6)),
      receivables: either(fc.nat(1e6)),
      termDays: either(fc.nat(4000)),
      extra: extraObject,
      version: either(fc.nat(5)),
    },
    ["id", "name"],
  );

/** A batch item: usually a put of a record under the item's own id, or a delete. */
const batchItem = fc
  .tuple(anyId, fc.constantFrom("put", "put", "put", "delete"))
  .chain(([id, op]) =>
    objectOf(
      {
        op: fc.constant(op),
        id: fc.constant(id),
        expectedVersion: op === "put" ? fc.constantFrom(0, 0, 1, 2) : fc.constantFrom(1, 2, 3),
        record: record(fc.constant(id)),
      },
      op === "put" ? ["op", "id", "expectedVersion", "record"] : ["op", "id", "expectedVersion"],
    ),
  );

const policy = fc
  .tuple(fc.constantFrom(...Object.keys(DEFAULT_POLICY)), oddJson, fc.boolean())
  .map(([field, value, replace]) =>
    replace
      ? new Entries([
          ...Object.entries(DEFAULT_POLICY).filter(([k]) => k !== field),
          [field, value],
        ])
      : DEFAULT_POLICY,
  );

/** Near-valid bodies per route (`METHOD path`); other routes get arbitrary JSON only. */
const bodies: Record<string, fc.Arbitrary<unknown>> = {
  "POST /v1/customers/batch-get": objectOf(
    { ids: either(fc.array(anyId, { minLength: 1, maxLength: 120 })) },
    ["ids"],
  ),
  "POST /v1/customers/batch-write": objectOf(
    { items: either(fc.array(batchItem, { minLength: 1, maxLength: 8 })) },
    ["items"],
  ),
  "PUT /v1/policy": policy,
  "POST /v1/credit-requests": objectOf(
    {
      customerId: either(anyId),
      newLimit: either(fc.constantFrom(0, 10, 5e4, 1e9)),
      reason: either(text(40)),
    },
    ["customerId", "newLimit", "reason"],
  ),
  "POST /v1/grading/run": objectOf(
    {
      basis: either(fc.constantFrom("revenue", "profit")),
      aShare: either(share),
      bShare: either(share),
    },
    ["basis"],
  ),
};

/** A record for `PUT /customers/{id}`: usually under the path's id (or none), sometimes another. */
function putRecord(id: PathId): fc.Arbitrary<unknown> {
  const own = "text" in id ? fc.constant(id.text) : anyId;
  return fc.oneof({ weight: 5, arbitrary: record(own) }, { weight: 1, arbitrary: record(anyId) });
}

/** A body for a route: near-valid, arbitrary, deep, wide or not JSON at all. */
function bodyFor(route: Route, id: PathId): fc.Arbitrary<string | undefined> {
  if (route.method === "GET") return fc.constant(undefined);
  const nearValid =
    route.method === "PUT" && route.path === "/v1/customers/{id}"
      ? putRecord(id)
      : bodies[`${route.method} ${route.path}`];
  const json = fc.oneof(
    ...(nearValid === undefined ? [] : [{ weight: 16, arbitrary: nearValid }]),
    { weight: 3, arbitrary: oddJson },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: wideObject },
  );
  return fc.oneof(
    { weight: 12, arbitrary: json.map(jsonText) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "{",
        '{"id":',
        "null",
        "\ufeff{}",
        '{"a":1}{"b":2}',
        "[1,]",
        "NaN",
        '"\\ud800"',
        '{"items":[],"items":[{}]}',
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const pathId: fc.Arbitrary<PathId> = fc.oneof(
  { weight: 8, arbitrary: poolId.map((text) => ({ text })) },
  { weight: 3, arbitrary: oddString.map((text) => ({ text })) },
  { weight: 2, arbitrary: fc.nat().map((request) => ({ request })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("%", "%zz", "%C3", "%ED%A0%80", "..", ".", "a%2Fb")
      .map((raw) => ({ raw })),
  },
);

const QUERY_NAMES = ["limit", "cursor", "since", "field", "status"];
const queryValue = fc.oneof(
  fc.constantFrom("0", "1", "2", "200", "1000", "1001", "-1", "1.5", "1e3", "", "pending", "name"),
  fc.constantFrom("revenue", "extra", "approved", "RjE", "Ri0x", "999999999999999", "9".repeat(20)),
  oddString,
);
const query = fc.array(
  fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...QUERY_NAMES) }, oddString),
    queryValue,
  ),
  { maxLength: 3 },
);

const oddHeader = fc.string({ unit: "grapheme-ascii", maxLength: 80 });
/** `LATEST_VERSION` is replaced by the test with the version it last saw for the path's id. */
export const LATEST_VERSION = "{latest}";
const version = fc.oneof(
  { weight: 3, arbitrary: fc.constant(LATEST_VERSION) },
  { weight: 1, arbitrary: fc.constantFrom('"0"', '"1"', '"2"', 'W/"3"', "1") },
);

/** Preconditions: usually one a PUT or DELETE accepts, sometimes odd or both. */
const preconditions = fc.oneof(
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 4, arbitrary: fc.constant({ "if-none-match": "*" }) },
  { weight: 4, arbitrary: version.map((v) => ({ "if-match": v })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.oneof(version, oddHeader), fc.oneof(fc.constant("*"), oddHeader))
      .map(([match, noneMatch]) => ({ "if-match": match, "if-none-match": noneMatch })),
  },
);

const headers = fc
  .tuple(
    preconditions,
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom("k1", "k2", "k3"), oddHeader) },
    ),
    fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
  )
  .map(
    ([conditions, key, contentType]): Record<string, string> => ({
      ...conditions,
      ...(key === null ? {} : { "idempotency-key": key }),
      "content-type": contentType,
    }),
  );

const token = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom<TokenKind>("staff", "manager", "otherManager") },
  { weight: 1, arbitrary: fc.constant<TokenKind>("otherTeam") },
  {
    weight: 2,
    arbitrary: fc.constantFrom<TokenKind>("none", "empty", "garbage", "tampered", "basic"),
  },
);

/** One hostile request to one of the routes (all equally likely). */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom(...routes), pathId)
  .chain(([route, id]) =>
    fc.record({
      route: fc.constant(route),
      id: fc.constant(id),
      query,
      body: bodyFor(route, id),
      token,
      headers,
    }),
  );

/** Percent-encodes text byte by byte; a lone surrogate becomes its 3 (WTF-8) bytes, as a careless client sends it. */
export function percentEncode(text: string): string {
  let out = "";
  for (const char of text) {
    if (/^[A-Za-z0-9\-_.~]$/.test(char)) {
      out += char;
      continue;
    }
    const code = char.codePointAt(0) as number;
    const bytes =
      code < 0x80
        ? [code]
        : code < 0x800
          ? [0xc0 | (code >> 6), 0x80 | (code & 63)]
          : code < 0x10000
            ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)]
            : [
                0xf0 | (code >> 18),
                0x80 | ((code >> 12) & 63),
                0x80 | ((code >> 6) & 63),
                0x80 | (code & 63),
              ];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return out;
}
