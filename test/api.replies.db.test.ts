/**
 * Every reply fits AWS Lambda's 6 MB response payload (docs/api.md "Reply sizes"), against
 * DynamoDB Local and the local gateway, which answers `502` for a larger one as API Gateway
 * does: lists of big records come in byte-bounded pages, a batch-write of big conflicts
 * leaves `current`s out (ApiClient reads them), a long history pages.
 */
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../addin/api.ts";
import { CUSTOMERS, CustomerSync } from "../addin/taskpane/customerSync.ts";
import { MemoryWorkbook } from "../addin/workbook/memory.ts";
import type { CreditRequest, CustomerInput } from "../core/schema.ts";
import { documentClient } from "../functions/deps.ts";
import { createHandler } from "../functions/handlers/credit.ts";
import type { ApiEvent } from "../functions/http.ts";
import { localClientConfig } from "../functions/local/dynamoLocal.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { LAMBDA_RESPONSE_LIMIT } from "../functions/replyBudget.ts";
import { DynamoStore } from "../functions/store/dynamoStore.ts";
import { creditKey, customerKey, teamKey } from "../functions/store/items.ts";
import { call } from "./api-helpers.ts";

let stack: LocalStack;
let token: string;
let api: ApiClient;

beforeAll(async () => {
  stack = await startLocalStack();
  token = await stack.token("ana", "acme");
  api = new ApiClient({ baseUrl: stack.url, token: () => token });
});

afterAll(async () => {
  await stack?.stop();
});

/** A record of about 31 KB as JSON (50 `extra` values of 600 characters), near the 32 KB rule. */
function bigRecord(id: string, fill = "x"): CustomerInput {
  const extra: Record<string, string> = {};
  for (let k = 0; k < 50; k++) extra[`k${k}`] = `${k}${fill.repeat(599)}`;
  return { id, name: `Customer ${id}`, extra };
}

/** Stores records as version 1 straight into DynamoDB Local (no audit): the fast way to fill a team. */
async function storeDirectly(team: string, records: readonly CustomerInput[]): Promise<void> {
  const now = new Date().toISOString();
  await putItems(
    records.map((data) => ({
      pk: teamKey(team),
      sk: customerKey(data.id),
      id: data.id,
      version: 1,
      createdAt: now,
      updatedAt: now,
      updatedBy: "seed",
      data,
    })),
  );
}

/** Puts items straight into DynamoDB Local's table, 25 per BatchWriteItem. */
async function putItems(items: readonly Record<string, unknown>[]): Promise<void> {
  const client = documentClient(localClientConfig(stack.endpoint));
  for (let i = 0; i < items.length; i += 25) {
    type Request = { PutRequest: { Item: Record<string, unknown> } };
    let pending: Request[] | undefined = items
      .slice(i, i + 25)
      .map((Item) => ({ PutRequest: { Item } }));
    while (pending !== undefined && pending.length > 0) {
      const out = await client.send(
        new BatchWriteCommand({ RequestItems: { [stack.tableName]: pending } }),
      );
      pending = out.UnprocessedItems?.[stack.tableName] as Request[] | undefined;
    }
  }
  client.destroy();
}

/** Stores credit requests straight into DynamoDB Local, as the store keeps them. */
async function storeRequests(team: string, requests: readonly CreditRequest[]): Promise<void> {
  await putItems(
    requests.map((request) => ({
      pk: teamKey(team),
      sk: creditKey(request.id),
      request,
      status: request.status,
    })),
  );
}

/** The bytes of a reply body as AWS Lambda's payload counts it (the body escaped as a string). */
const payloadOf = (body: unknown) => Buffer.byteLength(JSON.stringify(JSON.stringify(body)));

const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, "0")}`);

describe("a team of 1,000 records of 31 KB (31 MB)", () => {
  const all = ids(1000, "B");

  beforeAll(async () => {
    await storeDirectly(
      "acme",
      all.map((id) => bigRecord(id)),
    );
  }, 120_000);

  it("answers limit=1000 with a short page under the budget and a cursor", async () => {
    const reply = await call(stack, "GET", "/customers?limit=1000", { token });
    expect(reply.status).toBe(200);
    expect(reply.body.items.length).toBeGreaterThan(50);
    expect(reply.body.items.length).toBeLessThan(1000);
    expect(reply.body.nextCursor).toEqual(expect.any(String));
    expect(payloadOf(reply.body)).toBeLessThan(LAMBDA_RESPONSE_LIMIT * 0.7);
  });

  it("gives listAllCustomers every record, in order, over several pages", async () => {
    const records = await api.listAllCustomers();
    expect(records.map((r) => r.id)).toEqual(all);
    expect(records[999]?.extra?.k49).toBe(`49${"x".repeat(599)}`);
  });

  it("answers a batch-write of 500 conflicting items under the budget, and ApiClient gets every current", async () => {
    const items = all.slice(0, 500).map((id) => ({
      op: "put" as const,
      id,
      expectedVersion: 0,
      record: { id, name: "mine" },
    }));
    const raw = await call(stack, "POST", "/customers/batch-write", {
      token,
      body: { items },
      headers: { "idempotency-key": "big-conflicts" },
    });
    expect(raw.status).toBe(200);
    // Small enough to be kept for its Idempotency-Key (one DynamoDB item: 400 KB).
    expect(Buffer.byteLength(JSON.stringify(raw.body))).toBeLessThan(400 * 1024);
    const omitted = raw.body.results.filter((r: { currentOmitted?: true }) => r.currentOmitted);
    expect(omitted.length).toBeGreaterThan(400);

    const results = await api.batchWrite(items, { idempotencyKey: "big-conflicts" });
    expect(results.map((r) => [r.status, r.current?.id, r.current?.extra?.k0])).toEqual(
      items.map((i) => ["conflict", i.id, `0${"x".repeat(599)}`]),
    );
    expect(results.some((r) => r.currentOmitted)).toBe(false);
  });
});

describe("the pane pushing 300 rows a teammate already stored as big records", () => {
  it("shows theirs, the stored big record, next to mine for every conflict", async () => {
    const team = "pane-big";
    const rows = ids(300, "P");
    await storeDirectly(
      team,
      rows.map((id) => bigRecord(id)),
    );
    const paneToken = await stack.token("ana", team);
    const workbook = new MemoryWorkbook();
    await workbook.writeTable({
      sheet: CUSTOMERS,
      name: CUSTOMERS,
      table: { headers: ["id", "name"], rows: rows.map((id) => [id, "mine"]) },
      textHeaders: [],
    });
    const sync = new CustomerSync({
      workbook,
      api: () => new ApiClient({ baseUrl: stack.url, token: () => paneToken }),
      team: () => team,
    });
    const report = await sync.push({});
    expect(
      report.conflicts.map((c) => [c.id, c.mine?.name, String(c.theirs?.extra?.k1).length]),
    ).toEqual(rows.map((id) => [id, "mine", 600]));
  });
});

describe("records full of quotes (about 62 KB each once escaped in the Lambda payload)", () => {
  const quoted = ids(100, "Q");

  beforeAll(async () => {
    // 25 values of 600 quotes: 30 KB as JSON, twice that as a Lambda payload.
    const records = quoted.map((id) => {
      const extra: Record<string, string> = {};
      for (let k = 0; k < 25; k++) extra[`q${k}`] = '"'.repeat(600);
      return { id, name: id, extra };
    });
    await storeDirectly("quotes", records);
  }, 60_000);

  it("answers a batch-get of 100 with some ids unsent, and ApiClient asks again for them", async () => {
    const quoter = await stack.token("qi", "quotes");
    const raw = await call(stack, "POST", "/customers/batch-get", {
      token: quoter,
      body: { ids: quoted },
    });
    expect(raw.status).toBe(200);
    expect(raw.body.unsent.length).toBeGreaterThan(0);
    expect(payloadOf(raw.body)).toBeLessThan(LAMBDA_RESPONSE_LIMIT * 0.7);

    const client = new ApiClient({ baseUrl: stack.url, token: () => quoter });
    const got = await client.batchGet(quoted);
    expect([got.items.map((r) => r.id).sort(), got.missing]).toEqual([quoted, []]);
  });
});

describe("1,500 credit requests with reasons of 1,000 Chinese characters (5 MB)", () => {
  it("come in pages newest first that ApiClient follows to the oldest", async () => {
    const team = "requests";
    const requests: CreditRequest[] = Array.from({ length: 1500 }, (_, i) => ({
      id: `R-${String(i).padStart(4, "0")}`,
      customerId: "C-1",
      oldLimit: null,
      newLimit: i,
      reason: "华".repeat(1000),
      status: "pending",
      requestedBy: "ana",
      requestedByName: "ana",
      // Ids in creation order, as UUIDv7 ids are (the list is by id); ten share each second.
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 10))).toISOString(),
    }));
    await storeRequests(team, requests);
    const reader = await stack.token("ana", team);
    const first = await call(stack, "GET", "/credit-requests", { token: reader });
    expect(first.body.items.length).toBeLessThan(1500);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const client = new ApiClient({ baseUrl: stack.url, token: () => reader });
    const all = await client.listCreditRequests();
    expect(all.map((r) => r.id)).toEqual(requests.map((r) => r.id).reverse());
  }, 60_000);
});

describe("2,500 small credit requests, one in four approved", () => {
  const team = "many-requests";
  // Ids sort by creation time as UUIDv7 ids do; stored straight into DynamoDB Local.
  const requests: CreditRequest[] = Array.from({ length: 2500 }, (_, i) => ({
    id: `0193-${String(i).padStart(4, "0")}`,
    customerId: "C-1",
    oldLimit: null,
    newLimit: i,
    reason: "more stock",
    status: i % 4 === 0 ? "approved" : "pending",
    requestedBy: "ana",
    requestedByName: "ana",
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  }));
  /** The credit routes on a store whose DynamoDB client counts the items its queries read. */
  let read = 0;
  let list: (
    query: Record<string, string>,
  ) => Promise<{ items: CreditRequest[]; nextCursor: string | null }>;

  beforeAll(async () => {
    await storeRequests(team, requests);
    const client = documentClient(localClientConfig(stack.endpoint));
    client.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        read += (out.output as { ScannedCount?: number }).ScannedCount ?? 0;
        return out;
      },
      { step: "initialize" },
    );
    const handler = createHandler(() => ({
      store: new DynamoStore(client, stack.tableName),
      now: () => new Date(),
      newId: () => "unused",
    }));
    list = async (query) => {
      const reply = await handler(creditListEvent(team, query));
      return JSON.parse(reply.body);
    };
  });

  it("are read a page at a time: a page of 1,000 reads 1,000, not the team's 2,500", async () => {
    read = 0;
    const first = await list({});
    expect([first.items.length, read]).toEqual([1000, 1000]);
    read = 0;
    const second = await list({ cursor: first.nextCursor ?? "" });
    expect([second.items[0]?.id, second.items.length, read]).toEqual(["0193-1499", 1000, 1000]);
  });

  it("filter by status in DynamoDB, newest first, which ApiClient follows to the oldest", async () => {
    const reader = await stack.token("ana", team);
    const client = new ApiClient({ baseUrl: stack.url, token: () => reader });
    const approved = requests.filter((r) => r.status === "approved").reverse();
    expect((await client.listCreditRequests("approved")).map((r) => r.id)).toEqual(
      approved.map((r) => r.id),
    );
    read = 0;
    const page = await list({ status: "approved" });
    expect([page.items.length, page.nextCursor, read]).toEqual([625, null, 2500]);
  });
});

/** A `GET /v1/credit-requests` event as API Gateway passes it to the credit handler. */
function creditListEvent(team: string, query: Record<string, string>): ApiEvent {
  return {
    version: "2.0",
    routeKey: "GET /v1/credit-requests",
    rawPath: "/v1/credit-requests",
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      http: { method: "GET", path: "/v1/credit-requests" },
      authorizer: { jwt: { claims: { sub: "ana", "custom:team": team }, scopes: [] } },
    },
  } as unknown as ApiEvent;
}

describe("a history of 100 versions, each changing 31 KB of extra", () => {
  it("comes in byte-bounded pages that ApiClient follows to version 1", async () => {
    const id = "H-1";
    let version = 0;
    for (let v = 1; v <= 100; v++) {
      const reply = await call(stack, "PUT", `/customers/${id}`, {
        token,
        body: bigRecord(id, String.fromCharCode(96 + (v % 26) + 1)),
        headers: version === 0 ? { "if-none-match": "*" } : { "if-match": `"${version}"` },
      });
      version = reply.body.version;
    }
    const first = await call(stack, "GET", `/customers/${id}/history?field=extra`, { token });
    expect(first.body.items[0].version).toBe(100);
    expect(first.body.items.length).toBeLessThan(100);
    expect(payloadOf(first.body)).toBeLessThan(LAMBDA_RESPONSE_LIMIT * 0.7);

    const entries = await api.history(id, "extra");
    expect(entries.map((e) => e.version)).toEqual(Array.from({ length: 100 }, (_, i) => 100 - i));
  }, 120_000);

  it("refuses a history or credit request cursor it did not make", async () => {
    const replies = await Promise.all([
      call(stack, "GET", "/customers/H-1/history?cursor=MA", { token }), // "0"
      call(stack, "GET", "/credit-requests?cursor=Cg", { token }), // "\n", no request id
    ]);
    expect(replies.map((r) => [r.status, r.body.error.details[0].field])).toEqual([
      [400, "cursor"],
      [400, "cursor"],
    ]);
  });
});
