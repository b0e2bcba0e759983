/**
 * Persistent throttling, end to end through a handler: a local HTTP server answers every
 * DynamoDB call the way DynamoDB does when it throttles, and the API must answer 429 with
 * Retry-After (after retrying), never 500.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "./deps.ts";
import { createHandler } from "./handlers/customers.ts";
import type { ApiEvent } from "./http.ts";
import { DynamoStore } from "./store/dynamoStore.ts";

let server: Server;
let calls = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      calls++;
      res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
      res.end(
        JSON.stringify({
          __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException",
          message: "Rate of requests exceeds the allowed throughput.",
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const event = {
  version: "2.0",
  routeKey: "GET /v1/customers/{id}",
  rawPath: "/v1/customers/C-1",
  rawQueryString: "",
  headers: {},
  pathParameters: { id: "C-1" },
  isBase64Encoded: false,
  requestContext: {
    http: { method: "GET", path: "/v1/customers/C-1" },
    authorizer: { jwt: { claims: { sub: "ana", "custom:team": "acme" }, scopes: [] } },
  },
} as unknown as ApiEvent;

describe("persistent throttling", () => {
  it("is retried with backoff, then answered 429 throttled with Retry-After", async () => {
    const { port } = server.address() as AddressInfo;
    const client = documentClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    const store = new DynamoStore(client, "crm", {
      baseMs: 1,
      maxMs: 4,
      attempts: 4,
      unreachableAttempts: 2,
      budgetMs: 5_000,
      random: Math.random,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
    });
    const handler = createHandler(() => ({ store, now: () => new Date(), newId: () => "id" }));
    const result = await handler(event);
    expect([
      result.statusCode,
      result.headers["retry-after"],
      JSON.parse(result.body).error.code,
      calls,
    ]).toEqual([429, "2", "throttled", 4]);
  });

  it("answers 503 unavailable with Retry-After when DynamoDB cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = documentClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    const store = new DynamoStore(client, "crm");
    const handler = createHandler(() => ({ store, now: () => new Date(), newId: () => "id" }));
    const result = await handler(event);
    expect([
      result.statusCode,
      result.headers["retry-after"],
      result.headers["content-type"],
      JSON.parse(result.body).error.code,
    ]).toEqual([503, "5", "application/json; charset=utf-8", "unavailable"]);
  });
});
