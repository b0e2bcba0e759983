/**
 * ApiClient reads every reply with its schema: a local HTTP server answers each path with a
 * canned reply (status and body), as a server of another version or a proxy might.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, ApiRequestError } from "./api.ts";

const stored = {
  id: "C-1",
  name: "华为",
  version: 3,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-02T00:00:00Z",
  updatedBy: "li",
};

/** The reply to each path: status and body text. */
const replies: Record<string, { status: number; body: string }> = {
  "/v1/customers/C-1": { status: 200, body: JSON.stringify({ ...stored, rating: "new field" }) },
  "/v1/customers/C-2": { status: 200, body: JSON.stringify({ ...stored, version: "3" }) },
  "/v1/customers?limit=1000": {
    status: 200,
    body: JSON.stringify({ items: [stored], nextCursor: null, total: 1 }),
  },
  "/v1/changes": { status: 200, body: "<html>proxy login</html>" },
  "/v1/credit-requests": { status: 200, body: JSON.stringify({ requests: [] }) },
  "/v1/policy": {
    status: 409,
    body: JSON.stringify({
      error: { code: "version_conflict", message: "The policy is at version 4." },
      current: { version: 4 },
    }),
  },
  "/v1/health": { status: 502, body: JSON.stringify({ message: "Bad Gateway" }) },
};

let server: Server;
let api: ApiClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const reply = replies[req.url ?? ""] ?? { status: 404, body: "" };
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  api = new ApiClient({ baseUrl: `http://127.0.0.1:${port}`, token: () => "t" });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The ApiRequestError a call fails with. */
async function failure(call: Promise<unknown>): Promise<ApiRequestError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiRequestError)) throw new Error(`no ApiRequestError: ${error}`);
  return error;
}

describe("ApiClient replies", () => {
  it("reads a record with a field a newer server added", async () => {
    expect(await api.getCustomer("C-1")).toMatchObject(stored);
  });

  it("reads a page with an unknown extra top-level field", async () => {
    expect(await api.listAllCustomers()).toEqual([stored]);
  });

  it("turns a field of the wrong type into bad_response naming the field, with the HTTP status", async () => {
    const error = await failure(api.getCustomer("C-2"));

    expect([error.status, error.code, error.message]).toEqual([
      200,
      "bad_response",
      "The reply to GET /customers/C-2 is not what this add-in expects: version must be a whole number.",
    ]);
  });

  it("turns a reply that is not JSON into bad_response", async () => {
    const error = await failure(api.changes());

    expect([error.code, error.message]).toEqual([
      "bad_response",
      "The reply to GET /changes is not what this add-in expects: the body must be a JSON object.",
    ]);
  });

  it("does not guess at a list under another name", async () => {
    const error = await failure(api.listCreditRequests());

    expect([error.code, error.message]).toEqual([
      "bad_response",
      "The reply to GET /credit-requests is not what this add-in expects: items must be a list of credit requests.",
    ]);
  });

  it("reads code, message and current from the one error shape", async () => {
    const error = await failure(api.getPolicy());

    expect([error.status, error.code, error.message, error.current]).toEqual([
      409,
      "version_conflict",
      "The policy is at version 4.",
      { version: 4 },
    ]);
  });

  it("keeps the status of an error reply that did not come from the API", async () => {
    const error = await failure(api.health());

    expect([error.status, error.code]).toEqual([502, "http_502"]);
  });
});
