/**
 * A property-based fuzz of every route of `functions/routes.ts` against DynamoDB Local and
 * the local gateway (started here), over real HTTP: each hostile request (see
 * `fuzz-requests.ts`) is answered with a success or the documented JSON error shape, never a
 * 5xx, never over 64 KB, and a refused request changes nothing in the table.
 *
 * Replay a failing run with the seed it prints:
 * `CRM_FUZZ_SEED=<seed> npx vitest run test/api.fuzz.db.test.ts` (`CRM_FUZZ_RUNS` sets the
 * number of requests, 2,000 by default).
 */
import { type AttributeValue, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ERROR_BYTES, MAX_PROBLEMS } from "../functions/errors.ts";
import { localClientConfig } from "../functions/local/dynamoLocal.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { routes } from "../functions/routes.ts";
import {
  type FuzzRequest,
  fuzzRequest,
  LATEST_VERSION,
  percentEncode,
  type TokenKind,
} from "./fuzz-requests.ts";

const RUNS = Number(process.env.CRM_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.CRM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** The codes api.md allows for each status. */
const CODES: Record<number, readonly string[]> = {
  400: ["invalid_request"],
  401: ["unauthorized"],
  403: ["forbidden", "approval_required"],
  404: ["not_found"],
  409: ["version_conflict"],
  413: ["payload_too_large"],
  422: ["idempotency_key_reused"],
  428: ["precondition_required"],
  429: ["throttled"],
};

let stack: LocalStack;
let tokens: Record<TokenKind, string | undefined>;
let db: DynamoDBClient;

beforeAll(async () => {
  stack = await startLocalStack();
  db = new DynamoDBClient(localClientConfig(stack.endpoint));
  const staff = await stack.token("ana", "acme");
  tokens = {
    staff: `Bearer ${staff}`,
    manager: `Bearer ${await stack.token("li", "acme", ["managers"])}`,
    otherManager: `Bearer ${await stack.token("wu", "acme", ["managers"])}`,
    otherTeam: `Bearer ${await stack.token("bo", "globex")}`,
    none: undefined,
    empty: "",
    garbage: "Bearer eyJhbGciOiJub25lIn0.e30.",
    // The signature's last character changed: verification must fail.
    tampered: `Bearer ${staff.slice(0, -2)}${staff.endsWith("AA") ? "BB" : "AA"}`,
    basic: "Basic YW5hOmFuYQ==",
  };
});

afterAll(async () => {
  db?.destroy();
  await stack?.stop();
});

/**
 * Every item of the table (it holds only this file's teams) but the idempotency keys, which
 * a refused request may keep its answer under: customers, audit and feed entries, the
 * policy, credit requests. Raw attribute values, compared as JSON.
 */
async function snapshot(): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await db.send(
      new ScanCommand({
        TableName: stack.tableName,
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const key = `${item.pk?.S} ${item.sk?.S}`;
      if (!item.sk?.S?.startsWith("IDEM#")) items.set(key, JSON.stringify(item));
    }
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Keys whose item was added, removed or changed between two snapshots. */
function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key));
}

interface Outcome {
  readonly status: number;
  readonly bytes: number;
  readonly contentType: string;
  readonly text: string;
}

/** How many requests of each route were answered with a success. */
const succeeded = new Map<string, number>();

/** The credit requests made so far: path ids that name a real request. */
const requestIds: string[] = [];
/** The last version seen of each record, for `If-Match` headers that should match. */
const versions = new Map<string, number>();

function pathOf(request: FuzzRequest): string {
  const id = request.id;
  const segment =
    "raw" in id
      ? id.raw
      : "text" in id
        ? percentEncode(id.text)
        : percentEncode(requestIds[id.request % Math.max(requestIds.length, 1)] ?? "none");
  const path = request.route.path.replace("{id}", segment);
  const query = request.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
  return query === "" ? path : `${path}?${query}`;
}

async function send(request: FuzzRequest): Promise<Outcome> {
  const headers: Record<string, string> = { ...request.headers };
  if (headers["if-match"] === LATEST_VERSION) {
    const id = "text" in request.id ? request.id.text : "";
    headers["if-match"] = `"${versions.get(id) ?? 1}"`;
  }
  const authorization = tokens[request.token];
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(`${stack.url}${pathOf(request)}`, {
    method: request.route.method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    bytes: body.length,
    contentType: response.headers.get("content-type") ?? "",
    text: body.toString("utf8"),
  };
}

/** What is wrong with an error reply's shape, or null. */
function errorShapeProblem(status: number, body: unknown): string | null {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (typeof error !== "object" || error === null) return "no error object";
  if (!(CODES[status] ?? []).includes(String(error.code))) {
    return `code ${String(error.code)} is not one api.md gives status ${status}`;
  }
  if (typeof error.message !== "string" || error.message === "") return "no message";
  const details = error.details;
  if (details === undefined) return null;
  if (!Array.isArray(details) || details.length > MAX_PROBLEMS + 1) {
    return "details is not a list of at most 100 problems and a count";
  }
  const bad = details.find(
    (d: { field?: unknown; message?: unknown }) =>
      typeof d?.field !== "string" || typeof d?.message !== "string",
  );
  return bad === undefined ? null : `a problem without field and message: ${JSON.stringify(bad)}`;
}

/** Customer ids that a batch-write reply says were written. */
function writtenIds(body: { results?: { id: string; status: string }[] }): Set<string> {
  return new Set((body.results ?? []).filter((r) => r.status === "ok").map((r) => r.id));
}

/** Versions in a reply: a record, a batch-write's results, a conflict's `current`. */
function rememberVersions(body: unknown): void {
  const seen = (value: unknown) => {
    const v = value as { id?: unknown; version?: unknown } | null;
    if (typeof v?.id === "string" && typeof v.version === "number") versions.set(v.id, v.version);
  };
  const b = body as { results?: unknown[]; current?: unknown; items?: unknown[] } | null;
  seen(b);
  seen(b?.current);
  for (const item of [...(b?.results ?? []), ...(b?.items ?? [])]) {
    seen(item);
    seen((item as { current?: unknown } | null)?.current);
  }
}

interface Tally {
  total: number;
  refused: number;
  perRoute: Map<string, number>;
  largest: number;
  /** Customer records created, changed or deleted by the requests, counted as they happen. */
  recordChanges: number;
}

/** Runs one request and checks the reply and the table against the one before it. */
async function check(
  request: FuzzRequest,
  before: Map<string, string>,
  tally: Tally,
): Promise<Map<string, string>> {
  const outcome = await send(request);
  const after = await snapshot();
  const routeKey = `${request.route.method} ${request.route.path}`;
  tally.total++;
  tally.perRoute.set(routeKey, (tally.perRoute.get(routeKey) ?? 0) + 1);
  tally.largest = Math.max(tally.largest, outcome.bytes);
  const where = `${routeKey} → ${outcome.status} ${outcome.text.slice(0, 300)}`;
  if (outcome.status >= 500) throw new Error(`a ${outcome.status}: ${where}`);
  if (outcome.bytes > MAX_ERROR_BYTES)
    throw new Error(`a reply of ${outcome.bytes} bytes: ${where}`);
  if (!outcome.contentType.includes("application/json")) throw new Error(`not JSON: ${where}`);
  const body: unknown = JSON.parse(outcome.text);
  const changed = changedKeys(before, after);
  tally.recordChanges += changed.filter((key) => / C#/.test(key)).length;
  if (outcome.status >= 400) {
    tally.refused++;
    const problem = errorShapeProblem(outcome.status, body);
    if (problem !== null) throw new Error(`${problem}: ${where}`);
    if (changed.length > 0) throw new Error(`refused but changed ${changed.join(", ")}: ${where}`);
  } else if (routeKey === "POST /v1/customers/batch-write") {
    const written = writtenIds(body as { results?: { id: string; status: string }[] });
    const stray = changed.filter((key) => {
      const match = / C#(.*)$/s.exec(key);
      return match !== null && !written.has(match[1] as string);
    });
    if (stray.length > 0) throw new Error(`items not "ok" changed ${stray.join(", ")}: ${where}`);
  }
  if (outcome.status < 400) succeeded.set(routeKey, (succeeded.get(routeKey) ?? 0) + 1);
  rememberVersions(body);
  if (routeKey === "POST /v1/credit-requests" && outcome.status === 201) {
    requestIds.push((body as { id: string }).id);
  }
  return after;
}

describe("every route under hostile input", () => {
  it(`answers ${RUNS} generated requests with a success or the JSON error shape, never a 5xx, never over 64 KB, changing nothing when refused`, async () => {
    const tally: Tally = {
      total: 0,
      refused: 0,
      perRoute: new Map(),
      largest: 0,
      recordChanges: 0,
    };
    let last = await snapshot();
    let failure = "";
    try {
      await fc.assert(
        fc.asyncProperty(fuzzRequest, async (request) => {
          try {
            last = await check(request, last, tally);
          } catch (error) {
            failure = error instanceof Error ? error.message : String(error);
            throw error;
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    } catch (error) {
      throw new Error(
        `Fuzz failed at request ${tally.total}: ${failure}\nReplay with CRM_FUZZ_SEED=${SEED} CRM_FUZZ_RUNS=${RUNS}.\n${String(error).slice(0, 3000)}`,
      );
    }
    console.info(
      `fuzz: ${tally.total} requests (seed ${SEED}), ${tally.refused} refused, largest reply ${tally.largest} bytes, ${tally.recordChanges} record changes, ${last.size} items in the table, successes per route:`,
      Object.fromEntries(succeeded),
    );
    // Every route was exercised, and enough requests got past the checks to write records.
    const fewest = Math.min(...routes.map((r) => tally.perRoute.get(`${r.method} ${r.path}`) ?? 0));
    expect([
      fewest >= Math.floor(RUNS / routes.length / 3),
      tally.recordChanges >= RUNS / 200,
    ]).toEqual([true, true]);
  }, 300_000);
});
