/**
 * The cases of issue 11 ("the API under hostile input") against DynamoDB Local and the local
 * gateway (started here): each once broke the API, and each is now answered as api.md says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { depsFor } from "../functions/deps.ts";
import { MAX_ERROR_BYTES } from "../functions/errors.ts";
import type { ApiEvent } from "../functions/http.ts";
import { localClientConfig } from "../functions/local/dynamoLocal.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { createRouter } from "../functions/router.ts";
import { call, create, type Reply } from "./api-helpers.ts";

let stack: LocalStack;
let staff: string;
let manager: string;
let otherManager: string;

beforeAll(async () => {
  stack = await startLocalStack();
  staff = await stack.token("ana", "acme");
  manager = await stack.token("li", "acme", ["managers"]);
  otherManager = await stack.token("wu", "acme", ["managers"]);
});

afterAll(async () => {
  await stack?.stop();
});

const putItem = (id: string, record: Record<string, unknown> = {}) => ({
  op: "put",
  id,
  expectedVersion: 0,
  record: { id, name: `name of ${id}`, ...record },
});

async function batchWrite(items: unknown[], headers: Record<string, string> = {}) {
  return call(stack, "POST", "/customers/batch-write", {
    token: staff,
    body: { items },
    headers,
  });
}

const statuses = (reply: Reply) => reply.body.results.map((r: { status: string }) => r.status);

async function read(id: string): Promise<Reply> {
  return call(stack, "GET", `/customers/${encodeURIComponent(id)}`, { token: staff });
}

async function pendingRequest(customerId: string): Promise<string> {
  await create(stack, manager, { id: customerId, name: "for a credit request" });
  const made = await call(stack, "POST", "/credit-requests", {
    token: staff,
    body: { customerId, newLimit: 50_000, reason: "bigger orders" },
  });
  if (made.body.status !== "pending") throw new Error(`setup failed: ${JSON.stringify(made.body)}`);
  return made.body.id;
}

describe("ids on the credit routes", () => {
  it("answers an approval of a 2,000-character request id with 400, not 500", async () => {
    const reply = await call(stack, "POST", `/credit-requests/${"r".repeat(2000)}/approve`, {
      token: manager,
    });
    expect([reply.status, reply.body.error.code, reply.body.error.details]).toEqual([
      400,
      "invalid_request",
      [{ field: "id", message: "must have 1 to 128 characters" }],
    ]);
  });

  it("answers a rejection of a 128-character request id with 404", async () => {
    const reply = await call(stack, "POST", `/credit-requests/${"r".repeat(128)}/reject`, {
      token: manager,
    });
    expect([reply.status, reply.body.error.code]).toEqual([404, "not_found"]);
  });

  it("answers a credit request for a 2,000-character customer id with 400", async () => {
    const reply = await call(stack, "POST", "/credit-requests", {
      token: staff,
      body: { customerId: "c".repeat(2000), newLimit: 5, reason: "x" },
    });
    expect([reply.status, reply.body.error.details[0].field]).toEqual([400, "customerId"]);
  });

  it("answers a path id that decodes to a lone surrogate with 400", async () => {
    const reply = await call(stack, "POST", "/credit-requests/x%ED%A0%80y/approve", {
      token: manager,
    });
    expect([reply.status, reply.body.error.code]).toEqual([400, "invalid_request"]);
  });
});

describe("long ids of wide characters", () => {
  it.each([
    ["GET", "/history"],
    ["GET", ""],
    ["DELETE", ""],
  ])("answers %s /customers/<128 Chinese characters>%s with 404", async (method, tail) => {
    const reply = await call(stack, method, `/customers/${"华".repeat(128)}${tail}`, {
      token: staff,
      headers: { "if-match": '"1"' },
    });
    expect([reply.status, reply.body.error.code]).toEqual([404, "not_found"]);
  });
});

describe("object keys in extra are data", () => {
  it("stores extra.constructor and reads it back as sent", async () => {
    const made = await create(stack, staff, { id: "K-1", name: "x", extra: { constructor: "c" } });
    const back = await read("K-1");
    expect([made.status, back.body.extra]).toEqual([201, { constructor: "c" }]);
  });

  it("stores keys named like Object.prototype's members verbatim", async () => {
    const extra = { toString: 1, hasOwnProperty: true, valueOf: null, constructor: "x" };
    await create(stack, staff, { id: "K-2", name: "x", extra });
    expect((await read("K-2")).body.extra).toEqual(extra);
  });

  it("refuses extra.__proto__ with 400 naming it, and stores nothing", async () => {
    const reply = await call(stack, "PUT", "/customers/K-3", {
      token: staff,
      rawBody: '{"id":"K-3","name":"x","extra":{"__proto__":"x","ok":1}}',
      headers: { "if-none-match": "*" },
    });
    expect([reply.status, reply.body.error.details[0].field]).toEqual([400, "extra.__proto__"]);
    expect((await read("K-3")).status).toBe(404);
  });

  it("writes the valid rows of a batch beside an extra.constructor row", async () => {
    const reply = await batchWrite([
      putItem("K-4"),
      putItem("K-5", { extra: { constructor: "c" } }),
      putItem("K-6"),
    ]);
    const back = await Promise.all(
      ["K-4", "K-5", "K-6"].map(async (id) => (await read(id)).status),
    );
    expect([statuses(reply), back]).toEqual([
      ["ok", "ok", "ok"],
      [200, 200, 200],
    ]);
  });

  it("fails only the extra.__proto__ row of a batch", async () => {
    const rawBody = JSON.stringify({ items: [putItem("K-7"), "HOLE", putItem("K-9")] }).replace(
      '"HOLE"',
      '{"op":"put","id":"K-8","expectedVersion":0,"record":{"id":"K-8","name":"x","extra":{"__proto__":"x"}}}',
    );
    const reply = await call(stack, "POST", "/customers/batch-write", { token: staff, rawBody });
    const back = await Promise.all(
      ["K-7", "K-8", "K-9"].map(async (id) => (await read(id)).status),
    );
    expect([statuses(reply), back]).toEqual([
      ["ok", "invalid", "ok"],
      [200, 404, 200],
    ]);
  });
});

describe("lone surrogates", () => {
  it("fails only the batch item whose id has a lone surrogate", async () => {
    const reply = await batchWrite([putItem("S-1"), putItem("x\ud800y"), putItem("S-2")]);
    const back = await Promise.all(["S-1", "S-2"].map(async (id) => (await read(id)).status));
    expect([statuses(reply), reply.body.results[1].id, back]).toEqual([
      ["ok", "invalid", "ok"],
      "#1",
      [200, 200],
    ]);
  });

  it("refuses a name with a lone surrogate with 400", async () => {
    const reply = await create(stack, staff, { id: "S-3", name: "bad \udc00 name" });
    expect([reply.status, reply.body.error.details[0].field]).toEqual([400, "name"]);
  });
});

describe("error replies are bounded", () => {
  const unknownKeys = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`_${i.toString(36)}`, 0]));

  it("answers a 930 KB body of 100,000 unknown keys with at most 64 KB and 100 problems", async () => {
    const body = { id: "B-1", name: "x", ...unknownKeys(100_000) };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(900_000);
    const reply = await call(stack, "PUT", "/customers/B-1", {
      token: staff,
      body,
      headers: { "if-none-match": "*" },
    });
    const bytes = Buffer.byteLength(JSON.stringify(reply.body));
    const details = reply.body.error.details;
    expect([reply.status, details.length, details[100]]).toEqual([
      400,
      101,
      { field: "(more)", message: "and 99900 more problems not listed", more: 99_900 },
    ]);
    expect(bytes).toBeLessThanOrEqual(MAX_ERROR_BYTES);
  });

  it("names the allowed fields once, not in every problem", async () => {
    const reply = await create(stack, staff, { id: "B-2", name: "x", ...unknownKeys(5) });
    const naming = reply.body.error.details.filter((p: { message: string }) =>
      p.message.includes("allowed:"),
    );
    expect(naming.length).toBe(1);
  });

  it("cuts an unknown key of 500,000 characters in the reply", async () => {
    const reply = await create(stack, staff, { id: "B-3", name: "x", ["k".repeat(500_000)]: 1 });
    expect(reply.status).toBe(400);
    expect(Buffer.byteLength(JSON.stringify(reply.body))).toBeLessThan(2_000);
  });

  it("lists at most 10 problems per invalid batch item", async () => {
    const reply = await batchWrite([putItem("B-4", unknownKeys(5_000))]);
    expect([reply.body.results[0].status, reply.body.results[0].error.details.length]).toEqual([
      "invalid",
      11,
    ]);
  });
});

describe("Idempotency-Key is bound to the user, the route and the body", () => {
  it("answers the same key with another body 422 and writes nothing", async () => {
    const headers = { "idempotency-key": "bind-1" };
    const first = await batchWrite([putItem("P-1")], headers);
    const second = await batchWrite([putItem("P-2")], headers);
    expect([first.status, second.status, second.body.error.code]).toEqual([
      200,
      422,
      "idempotency_key_reused",
    ]);
    expect((await read("P-2")).status).toBe(404);
  });

  it("answers a reject under a batch-get's key 422 and leaves the request pending", async () => {
    const id = await pendingRequest("P-3");
    const headers = { "idempotency-key": "bind-2" };
    await call(stack, "POST", "/customers/batch-get", {
      token: manager,
      body: { ids: ["P-3"] },
      headers,
    });
    const reject = await call(stack, "POST", `/credit-requests/${id}/reject`, {
      token: manager,
      headers,
    });
    const list = await call(stack, "GET", "/credit-requests?status=pending", { token: manager });
    expect([reject.status, reject.body.error.code]).toEqual([422, "idempotency_key_reused"]);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(id);
  });

  it("answers the same key on another request id of the same route 422", async () => {
    const first = await pendingRequest("P-4");
    const second = await pendingRequest("P-5");
    const headers = { "idempotency-key": "bind-3" };
    const one = await call(stack, "POST", `/credit-requests/${first}/reject`, {
      token: manager,
      headers,
    });
    const two = await call(stack, "POST", `/credit-requests/${second}/reject`, {
      token: manager,
      headers,
    });
    expect([one.status, two.status]).toEqual([200, 422]);
  });

  it("still replays the first response to the same route and body", async () => {
    const id = await pendingRequest("P-6");
    const headers = { "idempotency-key": "bind-4" };
    const one = await call(stack, "POST", `/credit-requests/${id}/approve`, {
      token: otherManager,
      headers,
    });
    const two = await call(stack, "POST", `/credit-requests/${id}/approve`, {
      token: otherManager,
      headers,
    });
    expect([one.status, two.status, two.headers.get("idempotent-replay")]).toEqual([
      200,
      200,
      "true",
    ]);
    expect(two.body).toEqual(one.body);
  });
});

describe("a request answered 500 under an Idempotency-Key", () => {
  it("is kept and replayed, so a poison request runs once, not on every retry", async () => {
    let runs = 0;
    const deps = depsFor(stack.tableName, localClientConfig(stack.endpoint));
    const handler = createRouter(
      {
        "POST /v1/poison": async () => {
          runs++;
          throw new Error("a defect this request always hits");
        },
      },
      () => deps,
    );
    const event = {
      version: "2.0",
      routeKey: "POST /v1/poison",
      rawPath: "/v1/poison",
      headers: { "idempotency-key": "poison-1" },
      body: "{}",
      isBase64Encoded: false,
      requestContext: {
        http: { method: "POST", path: "/v1/poison" },
        authorizer: { jwt: { claims: { sub: "ana", "custom:team": "acme" } } },
      },
    } as unknown as ApiEvent;
    const quiet = console.error;
    console.error = () => {};
    try {
      const replies = [await handler(event), await handler(event), await handler(event)];
      expect(replies.map((r) => [r.statusCode, r.headers["idempotent-replay"]])).toEqual([
        [500, undefined],
        [500, "true"],
        [500, "true"],
      ]);
      expect(runs).toBe(1);
    } finally {
      console.error = quiet;
    }
  });
});

describe("oversized headers", () => {
  it("gets Node's 431 for a 100 KB token, never a 5xx", async () => {
    const reply = await fetch(`${stack.url}/v1/customers`, {
      headers: { authorization: `Bearer ${"t".repeat(100_000)}` },
    });
    expect(reply.status).toBe(431);
  });
});
