/**
 * The HTTP API end to end against DynamoDB Local (started here): every endpoint, tenancy,
 * tokens, credit workflow, grading and idempotency.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../core/policy.ts";
import { depsFor } from "../functions/deps.ts";
import { LEASE_SECONDS } from "../functions/idempotency.ts";
import { localClientConfig } from "../functions/local/dynamoLocal.ts";
import { LOCAL_AUDIENCE } from "../functions/local/gateway.ts";
import { issuerKeys } from "../functions/local/keys.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { buildLambdas } from "../scripts/build-lambdas.ts";
import { call, create } from "./api-helpers.ts";

let stack: LocalStack;
let keysDir: string;
let ana: string; // staff, acme
let li: string; // manager, acme
let mei: string; // manager, acme
let bo: string; // staff, globex

beforeAll(async () => {
  keysDir = mkdtempSync(join(tmpdir(), "crm-keys-"));
  stack = await startLocalStack({ keysDir });
  ana = await stack.token("ana", "acme");
  li = await stack.token("li", "acme", ["managers"]);
  mei = await stack.token("mei", "acme", ["managers", "other"]);
  bo = await stack.token("bo", "globex");
});

afterAll(async () => {
  await stack?.stop();
  rmSync(keysDir, { recursive: true, force: true });
});

describe("health and routing", () => {
  it("answers the health check without a token", async () => {
    const reply = await call(stack, "GET", "/health");
    expect([reply.status, reply.body]).toEqual([200, { ok: true }]);
  });

  it("answers an unknown route with a JSON 404", async () => {
    const reply = await call(stack, "GET", "/nothing", { token: ana });
    expect([reply.status, reply.body.error.code]).toEqual([404, "not_found"]);
  });

  it("serves the issuer's public keys", async () => {
    const response = await fetch(`${stack.url}/.well-known/jwks.json`);
    const jwks = (await response.json()) as { keys: { kty: string; d?: string }[] };
    expect(jwks.keys.map((k) => [k.kty, k.d])).toEqual([["RSA", undefined]]);
  });

  it("issues dev tokens", async () => {
    const reply = await call(stack, "POST", "/dev/token", { body: { user: "ana", team: "acme" } });
    const list = await call(stack, "GET", "/customers", { token: reply.body.token });
    expect(list.status).toBe(200);
  });
});

describe("tokens", () => {
  const claims = () => ({ "custom:team": "acme", "cognito:username": "ana" });

  async function signWithIssuerKey(build: (jwt: SignJWT) => SignJWT): Promise<string> {
    const keys = await issuerKeys(keysDir);
    return build(
      new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: keys.kid }).setSubject("ana"),
    ).sign(keys.privateKey);
  }

  it("refuses a request without a token", async () => {
    const reply = await call(stack, "GET", "/customers");
    expect([reply.status, reply.body.error.code]).toEqual([401, "unauthorized"]);
  });

  it("refuses an expired token", async () => {
    const token = await signWithIssuerKey((jwt) =>
      jwt.setIssuer(stack.issuer).setAudience(LOCAL_AUDIENCE).setIssuedAt(1).setExpirationTime(2),
    );
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(401);
  });

  it("refuses a token without an expiry", async () => {
    const token = await signWithIssuerKey((jwt) =>
      jwt.setIssuer(stack.issuer).setAudience(LOCAL_AUDIENCE),
    );
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(401);
  });

  it("accepts a token it signed itself with the same claims (the refusals above are real)", async () => {
    const token = await signWithIssuerKey((jwt) =>
      jwt.setIssuer(stack.issuer).setAudience(LOCAL_AUDIENCE).setExpirationTime("1h"),
    );
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(200);
  });

  it("refuses a token from another issuer", async () => {
    const token = await signWithIssuerKey((jwt) =>
      jwt.setIssuer("https://evil.example").setAudience(LOCAL_AUDIENCE).setExpirationTime("1h"),
    );
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(401);
  });

  it("refuses a token for another audience", async () => {
    const token = await signWithIssuerKey((jwt) =>
      jwt.setIssuer(stack.issuer).setAudience("other-app").setExpirationTime("1h"),
    );
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(401);
  });

  it("refuses a token signed with another key (forged)", async () => {
    const keys = await issuerKeys(keysDir);
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "RS256", kid: keys.kid })
      .setSubject("ana")
      .setIssuer(stack.issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime("1h")
      .sign(privateKey);
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(401);
  });

  it("refuses an unsigned token (alg none)", async () => {
    const part = (x: unknown) => Buffer.from(JSON.stringify(x)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const token = `${part({ alg: "none", typ: "JWT" })}.${part({
      ...claims(),
      sub: "ana",
      iss: stack.issuer,
      aud: LOCAL_AUDIENCE,
      exp: now + 3600,
    })}.`;
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(401);
  });

  it("refuses a token whose payload was altered", async () => {
    const [header, , signature] = ana.split(".");
    const payload = Buffer.from(
      JSON.stringify({
        sub: "ana",
        "custom:team": "globex",
        iss: stack.issuer,
        aud: LOCAL_AUDIENCE,
        exp: 9e9,
      }),
    ).toString("base64url");
    const token = `${header}.${payload}.${signature}`;
    expect((await call(stack, "GET", "/customers", { token })).status).toBe(401);
  });
});

describe("customers", () => {
  it("creates a record with version 1 and answers 201 with its ETag", async () => {
    const reply = await create(stack, ana, { id: "R-1", name: "华为", revenue: 100 });
    expect([
      reply.status,
      reply.headers.get("etag"),
      reply.body.version,
      reply.body.updatedBy,
    ]).toEqual([201, '"1"', 1, "ana"]);
  });

  it("reads a record with its ETag", async () => {
    await create(stack, ana, { id: "R-2", name: "阿里" });
    const reply = await call(stack, "GET", "/customers/R-2", { token: ana });
    expect([reply.status, reply.headers.get("etag"), reply.body.name]).toEqual([
      200,
      '"1"',
      "阿里",
    ]);
  });

  it("replaces a record with If-Match and bumps the version", async () => {
    await create(stack, ana, { id: "R-3", name: "a" });
    const reply = await call(stack, "PUT", "/customers/R-3", {
      token: ana,
      body: { id: "R-3", name: "b" },
      headers: { "if-match": '"1"' },
    });
    expect([reply.status, reply.body.version, reply.body.name]).toEqual([200, 2, "b"]);
  });

  it("answers 428 to a PUT without If-Match or If-None-Match", async () => {
    const reply = await call(stack, "PUT", "/customers/R-4", {
      token: ana,
      body: { id: "R-4", name: "x" },
    });
    expect([reply.status, reply.body.error.code]).toEqual([428, "precondition_required"]);
  });

  it("answers 409 with the stored record to a stale If-Match", async () => {
    await create(stack, ana, { id: "R-5", name: "first" });
    await call(stack, "PUT", "/customers/R-5", {
      token: li,
      body: { id: "R-5", name: "li" },
      headers: { "if-match": '"1"' },
    });
    const reply = await call(stack, "PUT", "/customers/R-5", {
      token: ana,
      body: { id: "R-5", name: "ana" },
      headers: { "if-match": '"1"' },
    });
    expect([
      reply.status,
      reply.body.error.code,
      reply.body.current.name,
      reply.body.current.version,
    ]).toEqual([409, "version_conflict", "li", 2]);
  });

  it("answers 409 with the stored record to creating an id that exists", async () => {
    await create(stack, ana, { id: "R-6", name: "first" });
    const reply = await create(stack, li, { id: "R-6", name: "second" });
    expect([reply.status, reply.body.current.name]).toEqual([409, "first"]);
  });

  it("answers 404 to replacing a record that does not exist", async () => {
    const reply = await call(stack, "PUT", "/customers/NOPE", {
      token: ana,
      body: { id: "NOPE", name: "x" },
      headers: { "if-match": '"1"' },
    });
    expect(reply.status).toBe(404);
  });

  it("deletes with If-Match: the record is gone from reads and the list", async () => {
    await create(stack, ana, { id: "R-7", name: "gone" });
    const deleted = await call(stack, "DELETE", "/customers/R-7", {
      token: ana,
      headers: { "if-match": '"1"' },
    });
    const read = await call(stack, "GET", "/customers/R-7", { token: ana });
    const list = await call(stack, "GET", "/customers?limit=1000", { token: ana });
    expect([
      deleted.status,
      read.status,
      list.body.items.some((r: { id: string }) => r.id === "R-7"),
    ]).toEqual([200, 404, false]);
  });

  it("answers 428 to a DELETE without If-Match", async () => {
    await create(stack, ana, { id: "R-8", name: "kept" });
    const reply = await call(stack, "DELETE", "/customers/R-8", { token: ana });
    const read = await call(stack, "GET", "/customers/R-8", { token: ana });
    expect([reply.status, read.status]).toEqual([428, 200]);
  });

  it("recreates a deleted id with the version continuing", async () => {
    await create(stack, ana, { id: "R-9", name: "one" });
    await call(stack, "DELETE", "/customers/R-9", { token: ana, headers: { "if-match": '"1"' } });
    const again = await create(stack, ana, { id: "R-9", name: "two" });
    expect([again.status, again.body.version]).toEqual([201, 3]);
  });

  it("keeps ids with spaces inside, slashes-free punctuation and Chinese", async () => {
    const id = "客户 #1?&";
    await create(stack, ana, { id, name: "x" });
    const reply = await call(stack, "GET", `/customers/${encodeURIComponent(id)}`, { token: ana });
    expect([reply.status, reply.body.id]).toEqual([200, id]);
  });

  it("keeps large, small and fractional numbers exactly as sent", async () => {
    const numbers = {
      revenue: 1e20,
      profit: -12345678901234568,
      receivables: 0.1,
      openOrders: 1e-100,
    };
    await create(stack, ana, { id: "N-1", name: "n", ...numbers });
    const reply = await call(stack, "GET", "/customers/N-1", { token: ana });
    expect(reply.body).toMatchObject(numbers);
  });

  it("lists records sorted by id, page by page with a cursor", async () => {
    for (const id of ["P-3", "P-1", "P-2"]) await create(stack, bo, { id, name: id });
    const first = await call(stack, "GET", "/customers?limit=2", { token: bo });
    const second = await call(stack, "GET", `/customers?limit=2&cursor=${first.body.nextCursor}`, {
      token: bo,
    });
    expect([
      first.body.items.map((r: { id: string }) => r.id),
      second.body.items.map((r: { id: string }) => r.id),
      second.body.nextCursor,
    ]).toEqual([["P-1", "P-2"], ["P-3"], null]);
  });

  it("batch-gets records and names the missing ids", async () => {
    await create(stack, ana, { id: "G-1", name: "g" });
    const reply = await call(stack, "POST", "/customers/batch-get", {
      token: ana,
      body: { ids: ["G-1", "G-404"] },
    });
    expect([reply.body.items.map((r: { id: string }) => r.id), reply.body.missing]).toEqual([
      ["G-1"],
      ["G-404"],
    ]);
  });

  it("keeps an audit trail newest first, per field on request", async () => {
    await create(stack, ana, { id: "H-1", name: "a", revenue: 1 });
    await call(stack, "PUT", "/customers/H-1", {
      token: li,
      body: { id: "H-1", name: "b", revenue: 1 },
      headers: { "if-match": '"1"' },
    });
    const all = await call(stack, "GET", "/customers/H-1/history", { token: ana });
    const names = await call(stack, "GET", "/customers/H-1/history?field=name", { token: ana });
    expect(all.body.items[0]).toMatchObject({
      who: "li",
      field: "name",
      old: "a",
      new: "b",
      version: 2,
    });
    expect(names.body.items.map((e: { new: string }) => e.new)).toEqual(["b", "a"]);
  });

  it("batch-writes items that each succeed or fail on their own, in request order", async () => {
    await create(stack, ana, { id: "B-2", name: "two" });
    const reply = await call(stack, "POST", "/customers/batch-write", {
      token: ana,
      body: {
        items: [
          { op: "put", id: "B-1", expectedVersion: 0, record: { id: "B-1", name: "one" } },
          { op: "put", id: "B-2", expectedVersion: 7, record: { id: "B-2", name: "stale" } },
          { op: "put", id: "B-3", expectedVersion: 0, record: { id: "B-3", name: "" } },
          {
            op: "put",
            id: "B-4",
            expectedVersion: 0,
            record: { id: "B-4", name: "x", creditLimit: 5 },
          },
          { op: "delete", id: "B-2", expectedVersion: 1 },
        ],
      },
    });
    expect(
      reply.body.results.map((r: { id: string; status: string }) => `${r.id}:${r.status}`),
    ).toEqual(["B-1:ok", "B-2:conflict", "B-3:invalid", "B-4:forbidden", "B-2:invalid"]);
  });

  it("reports the stored record on a batch conflict", async () => {
    await create(stack, ana, { id: "B-5", name: "stored" });
    const reply = await call(stack, "POST", "/customers/batch-write", {
      token: ana,
      body: {
        items: [{ op: "put", id: "B-5", expectedVersion: 0, record: { id: "B-5", name: "mine" } }],
      },
    });
    expect(reply.body.results[0]).toMatchObject({
      status: "conflict",
      current: { name: "stored", version: 1 },
    });
  });
});

describe("tenancy", () => {
  it("hides another team's record: reading it is 404", async () => {
    await create(stack, ana, { id: "T-1", name: "acme only" });
    const reply = await call(stack, "GET", "/customers/T-1", { token: bo });
    expect([reply.status, reply.body.error.code]).toEqual([404, "not_found"]);
  });

  it("does not list another team's records", async () => {
    await create(stack, ana, { id: "T-2", name: "acme only" });
    const reply = await call(stack, "GET", "/customers?limit=1000", { token: bo });
    expect(reply.body.items.some((r: { id: string }) => r.id.startsWith("T-"))).toBe(false);
  });

  it("cannot replace another team's record", async () => {
    await create(stack, ana, { id: "T-3", name: "acme" });
    const reply = await call(stack, "PUT", "/customers/T-3", {
      token: bo,
      body: { id: "T-3", name: "globex" },
      headers: { "if-match": '"1"' },
    });
    const read = await call(stack, "GET", "/customers/T-3", { token: ana });
    expect([reply.status, read.body.name]).toEqual([404, "acme"]);
  });

  it("ignores a team named in the query", async () => {
    await create(stack, ana, { id: "T-4", name: "acme" });
    const reply = await call(stack, "GET", "/customers/T-4?team=acme", { token: bo });
    expect(reply.status).toBe(404);
  });

  it("hides another team's history and batch-get", async () => {
    await create(stack, ana, { id: "T-5", name: "acme" });
    const history = await call(stack, "GET", "/customers/T-5/history", { token: bo });
    const batch = await call(stack, "POST", "/customers/batch-get", {
      token: bo,
      body: { ids: ["T-5"] },
    });
    expect([history.status, batch.body.missing]).toEqual([404, ["T-5"]]);
  });
});

describe("change feed", () => {
  it("starts from now without since and reports later changes, deletes included", async () => {
    const start = await call(stack, "GET", "/changes", { token: bo });
    await create(stack, bo, { id: "F-1", name: "f" });
    await call(stack, "DELETE", "/customers/F-1", { token: bo, headers: { "if-match": '"1"' } });
    const next = await call(stack, "GET", `/changes?since=${start.body.cursor}`, { token: bo });
    expect([start.body.changes, next.body.changes]).toEqual([
      [],
      [
        { id: "F-1", version: 1, deleted: false },
        { id: "F-1", version: 2, deleted: true },
      ],
    ]);
  });

  it("returns nothing new when read again with its own cursor", async () => {
    const first = await call(stack, "GET", "/changes?since=0", { token: ana });
    const again = await call(stack, "GET", `/changes?since=${first.body.cursor}`, { token: ana });
    expect([first.body.changes.length > 0, again.body.changes]).toEqual([true, []]);
  });
});

describe("policy", () => {
  it("serves the default policy as version 0 until a manager saves one", async () => {
    const reply = await call(stack, "GET", "/policy", { token: bo });
    expect([reply.headers.get("etag"), reply.body.source, reply.body.policy]).toEqual([
      '"0"',
      "default",
      DEFAULT_POLICY,
    ]);
  });

  it("refuses a policy change from staff with 403", async () => {
    const reply = await call(stack, "PUT", "/policy", {
      token: bo,
      body: DEFAULT_POLICY,
      headers: { "if-match": '"0"' },
    });
    expect([reply.status, reply.body.error.code]).toEqual([403, "forbidden"]);
  });

  it("lets a manager replace the policy with If-Match, and refuses a stale one", async () => {
    const saved = await call(stack, "PUT", "/policy", {
      token: mei,
      body: { ...DEFAULT_POLICY, staffRaiseLimit: 5000 },
      headers: { "if-match": '"0"' },
    });
    const stale = await call(stack, "PUT", "/policy", {
      token: li,
      body: { ...DEFAULT_POLICY, staffRaiseLimit: 1 },
      headers: { "if-match": '"0"' },
    });
    const read = await call(stack, "GET", "/policy", { token: ana });
    expect([
      saved.status,
      stale.status,
      stale.body.current.version,
      read.body.policy.staffRaiseLimit,
    ]).toEqual([200, 409, 1, 5000]);
  });
});

describe("credit limits", () => {
  // acme's policy allows staff raises up to 5000 (set in the policy tests above, which run first).
  it("refuses a staff raise above staffRaiseLimit with approval_required, and keeps the record", async () => {
    await create(stack, ana, { id: "L-1", name: "l", creditLimit: 1000 });
    const reply = await call(stack, "PUT", "/customers/L-1", {
      token: ana,
      body: { id: "L-1", name: "l", creditLimit: 7000 },
      headers: { "if-match": '"1"' },
    });
    const read = await call(stack, "GET", "/customers/L-1", { token: ana });
    expect([reply.status, reply.body.error.code, read.body.creditLimit]).toEqual([
      403,
      "approval_required",
      1000,
    ]);
  });

  it("lets staff raise within staffRaiseLimit", async () => {
    await create(stack, ana, { id: "L-2", name: "l", creditLimit: 1000 });
    const reply = await call(stack, "PUT", "/customers/L-2", {
      token: ana,
      body: { id: "L-2", name: "l", creditLimit: 6000 },
      headers: { "if-match": '"1"' },
    });
    expect([reply.status, reply.body.creditLimit]).toEqual([200, 6000]);
  });

  it("lets a manager raise any limit directly", async () => {
    await create(stack, ana, { id: "L-3", name: "l", creditLimit: 1000 });
    const reply = await call(stack, "PUT", "/customers/L-3", {
      token: li,
      body: { id: "L-3", name: "l", creditLimit: 900000 },
      headers: { "if-match": '"1"' },
    });
    expect(reply.status).toBe(200);
  });

  it("approves a request within the staff raise limit at once and writes the limit", async () => {
    await create(stack, ana, { id: "L-4", name: "l", creditLimit: 1000 });
    const reply = await call(stack, "POST", "/credit-requests", {
      token: ana,
      body: { customerId: "L-4", newLimit: 3000, reason: "good payer" },
    });
    const read = await call(stack, "GET", "/customers/L-4", { token: ana });
    expect([reply.status, reply.body.status, read.body.creditLimit, read.body.version]).toEqual([
      201,
      "approved",
      3000,
      2,
    ]);
  });

  it("keeps a larger request pending, lists it, and a second manager's approval writes the limit", async () => {
    await create(stack, ana, { id: "L-5", name: "l", creditLimit: 1000 });
    const request = await call(stack, "POST", "/credit-requests", {
      token: ana,
      body: { customerId: "L-5", newLimit: 50000, reason: "new contract" },
    });
    const pending = await call(stack, "GET", "/credit-requests?status=pending", { token: li });
    const approved = await call(stack, "POST", `/credit-requests/${request.body.id}/approve`, {
      token: li,
    });
    const read = await call(stack, "GET", "/customers/L-5", { token: ana });
    const history = await call(stack, "GET", "/customers/L-5/history?field=creditLimit", {
      token: ana,
    });
    expect([
      request.body.status,
      pending.body.items.some((r: { id: string }) => r.id === request.body.id),
      approved.body.status,
      read.body.creditLimit,
      history.body.items[0].who,
    ]).toEqual(["pending", true, "approved", 50000, "li"]);
  });

  it("never lets a manager decide their own request (four-eyes)", async () => {
    await create(stack, ana, { id: "L-6", name: "l", creditLimit: 0 });
    const request = await call(stack, "POST", "/credit-requests", {
      token: li,
      body: { customerId: "L-6", newLimit: 80000, reason: "mine" },
    });
    const own = await call(stack, "POST", `/credit-requests/${request.body.id}/approve`, {
      token: li,
    });
    const read = await call(stack, "GET", "/customers/L-6", { token: ana });
    const other = await call(stack, "POST", `/credit-requests/${request.body.id}/approve`, {
      token: mei,
    });
    expect([request.body.status, own.status, read.body.creditLimit, other.status]).toEqual([
      "pending",
      403,
      0,
      200,
    ]);
  });

  it("refuses decisions from staff", async () => {
    await create(stack, ana, { id: "L-7", name: "l" });
    const request = await call(stack, "POST", "/credit-requests", {
      token: li,
      body: { customerId: "L-7", newLimit: 90000, reason: "x" },
    });
    const reply = await call(stack, "POST", `/credit-requests/${request.body.id}/approve`, {
      token: ana,
    });
    expect([reply.status, reply.body.error.code]).toEqual([403, "forbidden"]);
  });

  it("rejects a request without touching the record, and a second decision is a conflict", async () => {
    await create(stack, ana, { id: "L-8", name: "l", creditLimit: 10 });
    const request = await call(stack, "POST", "/credit-requests", {
      token: ana,
      body: { customerId: "L-8", newLimit: 90000, reason: "x" },
    });
    const rejected = await call(stack, "POST", `/credit-requests/${request.body.id}/reject`, {
      token: li,
    });
    const again = await call(stack, "POST", `/credit-requests/${request.body.id}/approve`, {
      token: mei,
    });
    const read = await call(stack, "GET", "/customers/L-8", { token: ana });
    expect([
      rejected.body.status,
      again.status,
      again.body.error.code,
      read.body.creditLimit,
    ]).toEqual(["rejected", 409, "version_conflict", 10]);
  });

  it("answers 404 to a request for another team's customer", async () => {
    await create(stack, ana, { id: "L-9", name: "l" });
    const reply = await call(stack, "POST", "/credit-requests", {
      token: bo,
      body: { customerId: "L-9", newLimit: 1, reason: "x" },
    });
    expect(reply.status).toBe(404);
  });
});

describe("grading", () => {
  it("grades the whole team by cumulative share and writes changed grades, audited", async () => {
    const team = await stack.token("gu", "grading-team", ["managers"]);
    const revenues = [50, 30, 10, 6, 4];
    for (const [i, revenue] of revenues.entries()) {
      await create(stack, team, { id: `A-${i}`, name: `c${i}`, revenue });
    }
    await create(stack, team, { id: "A-none", name: "no revenue" });
    const reply = await call(stack, "POST", "/grading/run", {
      token: team,
      body: { basis: "revenue" },
    });
    const first = await call(stack, "GET", "/customers/A-0", { token: team });
    const history = await call(stack, "GET", "/customers/A-0/history?field=grade", { token: team });
    expect([reply.status, reply.body.counts, reply.body.ungraded, reply.body.changed]).toEqual([
      200,
      { A: 2, B: 2, C: 1, D: 0 },
      1,
      5,
    ]);
    expect([first.body.grade, history.body.items[0].new]).toEqual(["A", "A"]);
  });

  it("changes nothing when run again on unchanged data", async () => {
    const team = await stack.token("gu", "grading-team", ["managers"]);
    const reply = await call(stack, "POST", "/grading/run", {
      token: team,
      body: { basis: "revenue" },
    });
    expect(reply.body.changed).toBe(0);
  });

  it("refuses grading by staff", async () => {
    const reply = await call(stack, "POST", "/grading/run", {
      token: ana,
      body: { basis: "revenue" },
    });
    expect(reply.status).toBe(403);
  });

  it("refuses shares out of order", async () => {
    const reply = await call(stack, "POST", "/grading/run", {
      token: li,
      body: { basis: "profit", aShare: 0.9, bShare: 0.5 },
    });
    expect([reply.status, reply.body.error.code]).toEqual([400, "invalid_request"]);
  });
});

describe("idempotency", () => {
  it("returns the first response to a repeated key and changes nothing", async () => {
    await create(stack, ana, { id: "I-1", name: "one" });
    const body = {
      items: [{ op: "put", id: "I-1", expectedVersion: 1, record: { id: "I-1", name: "two" } }],
    };
    const headers = { "idempotency-key": "push-1" };
    const first = await call(stack, "POST", "/customers/batch-write", {
      token: ana,
      body,
      headers,
    });
    const again = await call(stack, "POST", "/customers/batch-write", {
      token: ana,
      body,
      headers,
    });
    const read = await call(stack, "GET", "/customers/I-1", { token: ana });
    expect([first.body, again.body, read.body.version]).toEqual([
      { results: [{ id: "I-1", status: "ok", version: 2 }] },
      { results: [{ id: "I-1", status: "ok", version: 2 }] },
      2,
    ]);
  });

  it("runs concurrent repeats of one key once", async () => {
    await create(stack, ana, { id: "I-3", name: "x" });
    const send = () =>
      call(stack, "POST", "/credit-requests", {
        token: ana,
        body: { customerId: "I-3", newLimit: 99999, reason: "once" },
        headers: { "idempotency-key": "concurrent-1" },
      });
    const replies = await Promise.all([send(), send(), send(), send(), send()]);
    const list = await call(stack, "GET", "/credit-requests", { token: ana });
    const made = list.body.items.filter((r: { customerId: string }) => r.customerId === "I-3");
    expect(made.length).toBe(1);
    const leaseSeconds = new Set(Array.from({ length: LEASE_SECONDS }, (_, i) => String(i + 1)));
    expect(
      replies.every(
        (r) =>
          r.status === 201 ||
          (r.status === 429 && leaseSeconds.has(r.headers.get("retry-after") ?? "")),
      ),
    ).toBe(true);
  });

  it("tells a repeat of a dead request to wait for the rest of its lease", async () => {
    // A request that claimed its key 5 s ago and died: nothing renewed the lease since.
    const store = depsFor(stack.tableName, localClientConfig(stack.endpoint)).store;
    const claimedAt = Math.floor(Date.now() / 1000) - 5;
    await store.claimIdempotencyKey("acme", "ana", "dead-1", claimedAt, LEASE_SECONDS);
    const repeat = await call(stack, "POST", "/customers/batch-get", {
      token: ana,
      body: { ids: ["x"] },
      headers: { "idempotency-key": "dead-1" },
    });
    const remaining = claimedAt + LEASE_SECONDS - Math.floor(Date.now() / 1000);
    expect([repeat.status, repeat.body.error.code]).toEqual([429, "throttled"]);
    // The lease's remaining whole seconds (5 unless a second boundary passed meanwhile).
    expect(Number(repeat.headers.get("retry-after"))).toBeGreaterThanOrEqual(remaining);
    expect(Number(repeat.headers.get("retry-after"))).toBeLessThanOrEqual(LEASE_SECONDS - 5);
  });

  it("scopes keys per user: another user's same key runs anew", async () => {
    await create(stack, ana, { id: "I-2", name: "x" });
    const body = { customerId: "I-2", newLimit: 100, reason: "r" };
    const headers = { "idempotency-key": "same-key" };
    const first = await call(stack, "POST", "/credit-requests", { token: ana, body, headers });
    const other = await call(stack, "POST", "/credit-requests", { token: li, body, headers });
    expect(first.body.id).not.toBe(other.body.id);
  });

  it("refuses a key over 64 characters", async () => {
    const reply = await call(stack, "POST", "/customers/batch-get", {
      token: ana,
      body: { ids: ["x"] },
      headers: { "idempotency-key": "k".repeat(65) },
    });
    expect(reply.status).toBe(400);
  });
});

describe("the Lambda bundles", () => {
  it("answer an API Gateway event in plain Node with TABLE_NAME and DYNAMODB_ENDPOINT", async () => {
    await create(stack, ana, { id: "Λ-1", name: "bundled" });
    const outDir = mkdtempSync(join(tmpdir(), "crm-lambda-"));
    try {
      await buildLambdas({ outDir });
      const event = {
        version: "2.0",
        routeKey: "GET /v1/customers/{id}",
        rawPath: "/v1/customers/%CE%9B-1",
        pathParameters: { id: "Λ-1" },
        headers: {},
        isBase64Encoded: false,
        requestContext: {
          http: { method: "GET", path: "/v1/customers/%CE%9B-1" },
          authorizer: {
            jwt: { claims: { sub: "ana", "custom:team": "acme", "cognito:groups": "[other]" } },
          },
        },
      };
      const script = `const { handler } = await import(${JSON.stringify(join(outDir, "customers", "index.mjs"))});
        process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)})));`;
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ["--input-type=module", "-e", script],
          {
            env: {
              ...process.env,
              TABLE_NAME: stack.tableName,
              DYNAMODB_ENDPOINT: stack.endpoint,
              AWS_REGION: "us-east-1",
              AWS_ACCESS_KEY_ID: "local",
              AWS_SECRET_ACCESS_KEY: "local",
            },
          },
          (error, out) => (error ? reject(error) : resolve(out)),
        );
      });
      const result = JSON.parse(stdout) as { statusCode: number; body: string };
      expect([result.statusCode, JSON.parse(result.body).name]).toEqual([200, "bundled"]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 180_000);
});
