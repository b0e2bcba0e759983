/**
 * Bad input against DynamoDB Local (started here): each kind is answered with the JSON error
 * shape and changes nothing, proven by reading the record, the policy and the feed back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../core/policy.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { type CallOptions, call, create } from "./api-helpers.ts";

let stack: LocalStack;
let staff: string;
let manager: string;

beforeAll(async () => {
  stack = await startLocalStack();
  staff = await stack.token("ana", "acme");
  manager = await stack.token("li", "acme", ["managers"]);
  // A manager creates it: a limit on a new record is a raise from 0, beyond staff's allowance.
  const made = await create(stack, manager, { id: "X-1", name: "华为", creditLimit: 1000 });
  if (made.status !== 201) throw new Error(`setup failed: ${JSON.stringify(made.body)}`);
});

afterAll(async () => {
  await stack?.stop();
});

const record = { id: "X-1", name: "华为", creditLimit: 1000 };
const replace = (body: unknown, extra: Record<string, string> = {}): CallOptions => ({
  body,
  headers: { "if-match": '"1"', ...extra },
});
const batch = (items: unknown[]) => ({ body: { items } });
const putItem = (rec: Record<string, unknown>) => ({
  op: "put",
  id: "X-1",
  expectedVersion: 1,
  record: rec,
});

type Case = [
  name: string,
  method: string,
  path: string,
  opts: CallOptions,
  status: number,
  code: string,
];

const cases: Case[] = [
  [
    "bad JSON",
    "PUT",
    "/customers/X-1",
    { rawBody: '{"id": "X-1",', headers: { "if-match": '"1"' } },
    400,
    "invalid_request",
  ],
  [
    "an empty body",
    "PUT",
    "/customers/X-1",
    { rawBody: "", headers: { "if-match": '"1"' } },
    400,
    "invalid_request",
  ],
  [
    "a list instead of a record",
    "PUT",
    "/customers/X-1",
    replace([record]),
    400,
    "invalid_request",
  ],
  [
    "a name of the wrong type",
    "PUT",
    "/customers/X-1",
    replace({ ...record, name: 5 }),
    400,
    "invalid_request",
  ],
  [
    "an unknown field",
    "PUT",
    "/customers/X-1",
    replace({ ...record, team: "globex" }),
    400,
    "invalid_request",
  ],
  [
    "a negative credit limit",
    "PUT",
    "/customers/X-1",
    replace({ ...record, creditLimit: -1 }),
    400,
    "invalid_request",
  ],
  [
    "NaN (not JSON)",
    "PUT",
    "/customers/X-1",
    { rawBody: '{"id":"X-1","name":"x","revenue":NaN}', headers: { "if-match": '"1"' } },
    400,
    "invalid_request",
  ],
  [
    "Infinity (1e999)",
    "PUT",
    "/customers/X-1",
    { rawBody: '{"id":"X-1","name":"x","revenue":1e999}', headers: { "if-match": '"1"' } },
    400,
    "invalid_request",
  ],
  [
    "a 33 KB record",
    "PUT",
    "/customers/X-1",
    replace({
      ...record,
      extra: Object.fromEntries(Array.from({ length: 34 }, (_, i) => [`k${i}`, "x".repeat(1000)])),
    }),
    400,
    "invalid_request",
  ],
  [
    "a body over 1 MB",
    "PUT",
    "/customers/X-1",
    replace({ ...record, note: "x".repeat(1_100_000) }),
    413,
    "payload_too_large",
  ],
  ["a control character in the path id", "GET", "/customers/X%07-1", {}, 400, "invalid_request"],
  [
    "a control character in the body id",
    "PUT",
    "/customers/X-1",
    replace({ ...record, id: "X-\u00001" }),
    400,
    "invalid_request",
  ],
  [
    "a body id that differs from the path",
    "PUT",
    "/customers/X-1",
    replace({ ...record, id: "X-2" }),
    400,
    "invalid_request",
  ],
  [
    "a 65-character id",
    "PUT",
    `/customers/${"x".repeat(65)}`,
    { body: { name: "x" }, headers: { "if-none-match": "*" } },
    400,
    "invalid_request",
  ],
  [
    "a date that does not exist",
    "PUT",
    "/customers/X-1",
    replace({ ...record, lastOrderDate: "2023-02-30" }),
    400,
    "invalid_request",
  ],
  [
    "fractional termDays",
    "PUT",
    "/customers/X-1",
    replace({ ...record, termDays: 1.5 }),
    400,
    "invalid_request",
  ],
  [
    "an extra value that is an object",
    "PUT",
    "/customers/X-1",
    replace({ ...record, extra: { a: { b: 1 } } }),
    400,
    "invalid_request",
  ],
  [
    "a malformed If-Match",
    "PUT",
    "/customers/X-1",
    { body: record, headers: { "if-match": "latest" } },
    400,
    "invalid_request",
  ],
  [
    "If-None-Match other than *",
    "PUT",
    "/customers/X-1",
    { body: record, headers: { "if-none-match": '"1"' } },
    400,
    "invalid_request",
  ],
  [
    "no precondition on PUT",
    "PUT",
    "/customers/X-1",
    { body: { ...record, name: "x" } },
    428,
    "precondition_required",
  ],
  ["no precondition on DELETE", "DELETE", "/customers/X-1", {}, 428, "precondition_required"],
  [
    "a stale If-Match on DELETE",
    "DELETE",
    "/customers/X-1",
    { headers: { "if-match": '"9"' } },
    409,
    "version_conflict",
  ],
  [
    "a staff raise above the limit",
    "PUT",
    "/customers/X-1",
    replace({ ...record, creditLimit: 999999 }),
    403,
    "approval_required",
  ],
  [
    "a 501-item batch",
    "POST",
    "/customers/batch-write",
    batch(Array.from({ length: 501 }, () => putItem({ ...record, name: "x" }))),
    400,
    "invalid_request",
  ],
  ["an empty batch", "POST", "/customers/batch-write", batch([]), 400, "invalid_request"],
  [
    "a batch without items",
    "POST",
    "/customers/batch-write",
    { body: { records: [] } },
    400,
    "invalid_request",
  ],
  [
    "101 ids to batch-get",
    "POST",
    "/customers/batch-get",
    { body: { ids: Array.from({ length: 101 }, (_, i) => `id${i}`) } },
    400,
    "invalid_request",
  ],
  ["a list limit of 0", "GET", "/customers?limit=0", {}, 400, "invalid_request"],
  ["a list limit of 1001", "GET", "/customers?limit=1001", {}, 400, "invalid_request"],
  ["a forged list cursor", "GET", "/customers?cursor=%%%", {}, 400, "invalid_request"],
  [
    "a feed cursor that is not a number",
    "GET",
    "/changes?since=yesterday",
    {},
    400,
    "invalid_request",
  ],
  [
    "a history field that does not exist",
    "GET",
    "/customers/X-1/history?field=colour",
    {},
    400,
    "invalid_request",
  ],
  [
    "a credit request with a negative limit",
    "POST",
    "/credit-requests",
    { body: { customerId: "X-1", newLimit: -5, reason: "x" } },
    400,
    "invalid_request",
  ],
  [
    "a credit request with an unknown field",
    "POST",
    "/credit-requests",
    { body: { customerId: "X-1", newLimit: 5, reason: "x", approved: true } },
    400,
    "invalid_request",
  ],
  [
    "a credit request without a reason",
    "POST",
    "/credit-requests",
    { body: { customerId: "X-1", newLimit: 5 } },
    400,
    "invalid_request",
  ],
  [
    "a credit request status filter that does not exist",
    "GET",
    "/credit-requests?status=maybe",
    {},
    400,
    "invalid_request",
  ],
  [
    "an Idempotency-Key over 64 characters",
    "POST",
    "/credit-requests",
    {
      body: { customerId: "X-1", newLimit: 5, reason: "x" },
      headers: { "idempotency-key": "k".repeat(65) },
    },
    400,
    "invalid_request",
  ],
  [
    "a policy change from staff",
    "PUT",
    "/policy",
    { body: DEFAULT_POLICY, headers: { "if-match": '"0"' } },
    403,
    "forbidden",
  ],
  ["grading by staff", "POST", "/grading/run", { body: { basis: "revenue" } }, 403, "forbidden"],
];

const managerCases: Case[] = [
  [
    "a policy with bands out of order",
    "PUT",
    "/policy",
    {
      body: { ...DEFAULT_POLICY, bands: [...DEFAULT_POLICY.bands].reverse() },
      headers: { "if-match": '"0"' },
    },
    400,
    "invalid_request",
  ],
  [
    "a policy with a negative staffRaiseLimit",
    "PUT",
    "/policy",
    { body: { ...DEFAULT_POLICY, staffRaiseLimit: -1 }, headers: { "if-match": '"0"' } },
    400,
    "invalid_request",
  ],
  [
    "a policy without If-Match",
    "PUT",
    "/policy",
    { body: DEFAULT_POLICY },
    428,
    "precondition_required",
  ],
  [
    "grading on an unknown basis",
    "POST",
    "/grading/run",
    { body: { basis: "mood" } },
    400,
    "invalid_request",
  ],
  [
    "grading with shares out of order",
    "POST",
    "/grading/run",
    { body: { basis: "revenue", aShare: 0.9, bShare: 0.1 } },
    400,
    "invalid_request",
  ],
];

/** Everything a bad request could have changed. */
async function snapshot() {
  const [customer, policy, list, requests] = await Promise.all([
    call(stack, "GET", "/customers/X-1", { token: staff }),
    call(stack, "GET", "/policy", { token: staff }),
    call(stack, "GET", "/customers?limit=1000", { token: staff }),
    call(stack, "GET", "/credit-requests", { token: staff }),
  ]);
  const feed = await call(stack, "GET", "/changes?since=0", { token: staff });
  // The record must be there to prove it unchanged.
  expect(customer.body.version).toBe(1);
  return {
    customer: customer.body,
    policy: policy.body,
    list: list.body,
    requests: requests.body,
    // The changes, not the cursor: it carries the time of the read (docs/api.md "The change feed").
    feed: feed.body.changes,
  };
}

describe("bad input", () => {
  it("has at least 20 kinds of bad input under test", () => {
    expect(cases.length + managerCases.length).toBeGreaterThanOrEqual(20);
  });

  it.each([
    ...cases.map((c) => [...c, "staff"] as const),
    ...managerCases.map((c) => [...c, "manager"] as const),
  ])(
    "answers %s with the JSON error and changes nothing",
    async (_name, method, path, opts, status, code, who) => {
      const before = await snapshot();
      const reply = await call(stack, method, path, {
        ...opts,
        token: who === "staff" ? staff : manager,
      });
      const after = await snapshot();
      expect([reply.status, reply.body.error.code, typeof reply.body.error.message]).toEqual([
        status,
        code,
        "string",
      ]);
      expect(reply.headers.get("content-type")).toContain("application/json");
      expect(after).toEqual(before);
    },
  );

  it("lists each problem of a bad record in details", async () => {
    const reply = await call(stack, "PUT", "/customers/X-1", {
      token: staff,
      ...replace({ id: "X-1", name: "", creditLimit: -1, colour: "red" }),
    });
    expect(reply.body.error.details.map((p: { field: string }) => p.field).sort()).toEqual([
      "colour",
      "creditLimit",
      "name",
    ]);
  });

  it("marks a bad batch item invalid and writes nothing for it", async () => {
    const before = await snapshot();
    const reply = await call(stack, "POST", "/customers/batch-write", {
      token: staff,
      ...batch([putItem({ ...record, creditLimit: Number.NaN })]),
    });
    const after = await snapshot();
    expect(reply.body.results[0].status).toBe("invalid");
    expect(after).toEqual(before);
  });
});
