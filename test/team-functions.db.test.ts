/**
 * The team functions (CUSTOMER, CUSTOMERS, LIVE, CREDITCHECK, HISTORY and the team policy
 * of the credit functions) from dist/functions.js in a vm, against the real local API
 * (DynamoDB Local + the local gateway, started here). Requests are counted at fetch.
 */

import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../addin/api.ts";
import { DEFAULT_POLICY } from "../core/policy.ts";
import { documentClient } from "../functions/deps.ts";
import { localClientConfig } from "../functions/local/dynamoLocal.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { feedKey } from "../functions/store/items.ts";
import { col, err, type LoadedFunctions, loadFunctions } from "./functions-harness.ts";

const CUSTOMERS = 1000;
const idOf = (i: number) => `C-${String(i).padStart(4, "0")}`;

let stack: LocalStack;
let manager: ApiClient;
let anaToken: string;
let liToken: string;

beforeAll(async () => {
  stack = await startLocalStack();
  anaToken = await stack.token("ana", "acme");
  liToken = await stack.token("li", "acme", ["managers"]);
  manager = new ApiClient({ baseUrl: stack.url, token: () => liToken });
  const items = Array.from({ length: CUSTOMERS }, (_, k) => {
    const i = k + 1;
    return {
      op: "put" as const,
      id: idOf(i),
      expectedVersion: 0,
      record: {
        id: idOf(i),
        name: `客户 ${i}`,
        creditLimit: 100_000,
        receivables: 30_000,
        openOrders: 10_000 + i,
        extra: { region: "east" },
      },
    };
  });
  for (let k = 0; k < items.length; k += 500) {
    const results = await manager.batchWrite(items.slice(k, k + 500));
    expect(results.every((r) => r.status === "ok")).toBe(true);
  }
});

afterAll(async () => {
  await stack?.stop();
});

interface Counted {
  readonly fx: LoadedFunctions;
  requests: string[];
}

/** functions.js signed in as `user`, its requests recorded (method and path). */
async function signedIn(token: string, user = "ana"): Promise<Counted> {
  const counted: Counted = {
    requests: [],
    fx: undefined as unknown as LoadedFunctions,
  };
  const recording: typeof fetch = (input, init) => {
    counted.requests.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  const fx = loadFunctions({ fetch: recording });
  (counted as { fx: LoadedFunctions }).fx = fx;
  fx.session.setApiBase(stack.url);
  fx.session.set({ token, user, team: "acme", groups: [], expiresAt: Date.now() + 3_600_000 });
  // Signing in opens the change feed; a calculation starts after that.
  await until(() => fx.team.stats().cursor !== null);
  counted.requests.length = 0;
  return counted;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("CRM.CUSTOMER", () => {
  it("answers 1,000 cells of one calculation with at most 10 requests", async () => {
    const { fx, requests } = await signedIn(anaToken);
    const cells = Array.from({ length: CUSTOMERS }, (_, k) =>
      fx.call("CUSTOMER", idOf(k + 1), "name"),
    );
    const values = await Promise.all(cells);
    expect(values[0]).toBe("客户 1");
    expect(values[CUSTOMERS - 1]).toBe(`客户 ${CUSTOMERS}`);
    expect(requests.length).toBeLessThanOrEqual(10);
    expect(requests.every((r) => r === "POST /v1/customers/batch-get")).toBe(true);
    fx.session.set(null);
  });

  it("answers the next calculation from the session's cache without a request", async () => {
    const { fx, requests } = await signedIn(anaToken);
    await fx.call("CUSTOMER", idOf(1), "name");
    const before = requests.length;
    expect(await fx.call("CUSTOMER", idOf(1), "creditLimit")).toBe(100_000);
    expect(requests.length).toBe(before);
    fx.session.set(null);
  });

  it("computes availableCredit as creditLimit - receivables - openOrders", async () => {
    const { fx } = await signedIn(anaToken);
    expect(await fx.call("CUSTOMER", idOf(5), "availableCredit")).toBe(100_000 - 30_000 - 10_005);
    fx.session.set(null);
  });

  it("reads an extra field by its name and leaves a field the record lacks blank", async () => {
    const { fx } = await signedIn(anaToken);
    expect(await fx.call("CUSTOMER", idOf(5), "region")).toBe("east");
    expect(await fx.call("CUSTOMER", idOf(5), "segment")).toBe("");
    fx.session.set(null);
  });

  it("is #N/A 'No customer <id>' for an unknown id", async () => {
    const { fx } = await signedIn(anaToken);
    expect(await fx.call("CUSTOMER", "NOPE", "name")).toEqual(err("#N/A", "No customer NOPE"));
    fx.session.set(null);
  });

  it("is #VALUE! 'No field <field>' for an unknown field", async () => {
    const { fx } = await signedIn(anaToken);
    expect(await fx.call("CUSTOMER", idOf(1), "colour")).toEqual(err("#VALUE!", "No field colour"));
    fx.session.set(null);
  });

  it("does not see another team's customers", async () => {
    const { fx } = await signedIn(await stack.token("bo", "globex"), "bo");
    expect(await fx.call("CUSTOMER", idOf(1), "name")).toEqual(
      err("#N/A", `No customer ${idOf(1)}`),
    );
    fx.session.set(null);
  });

  it("reads the new value after a teammate's change once the change feed reports it", async () => {
    const { fx } = await signedIn(anaToken);
    expect(await fx.call("CUSTOMER", idOf(7), "segment")).toBe("");
    const current = await manager.getCustomer(idOf(7));
    const { version, createdAt, updatedAt, updatedBy, ...input } = current;
    await manager.putCustomer(idOf(7), { ...input, segment: "retail" }, version);
    await fx.team.pollNow();
    expect(await fx.call("CUSTOMER", idOf(7), "segment")).toBe("retail");
    fx.session.set(null);
  });
});

describe("CRM.CUSTOMERS", () => {
  it("spills the team's customers sorted by id under a header of the default fields", async () => {
    const { fx } = await signedIn(anaToken);
    const table = (await fx.call("CUSTOMERS", null)) as unknown[][];
    expect(table[0]).toEqual(["id", "name", "grade", "creditGrade", "creditLimit"]);
    expect(table).toHaveLength(CUSTOMERS + 1);
    expect(table[1]).toEqual([idOf(1), "客户 1", "", "", 100_000]);
    expect(table.slice(1).map((r) => r[0])).toEqual(
      Array.from({ length: CUSTOMERS }, (_, k) => idOf(k + 1)),
    );
    fx.session.set(null);
  });

  it("shows the fields asked for, and is #VALUE! for a field no record has", async () => {
    const { fx } = await signedIn(anaToken);
    const table = (await fx.call("CUSTOMERS", [["id", "region"]])) as unknown[][];
    expect(table[2]).toEqual([idOf(2), "east"]);
    expect(await fx.call("CUSTOMERS", col("id", "colour"))).toEqual([
      [err("#VALUE!", "No field colour")],
    ]);
    fx.session.set(null);
  });
});

describe("CRM.CREDITCHECK", () => {
  it('is "OK" up to the available credit and "HOLD" above it', async () => {
    const { fx } = await signedIn(anaToken);
    const available = 100_000 - 30_000 - 10_003;
    expect(await fx.call("CREDITCHECK", idOf(3), available)).toBe("OK");
    expect(await fx.call("CREDITCHECK", idOf(3), available + 1)).toBe("HOLD");
    fx.session.set(null);
  });
});

describe("CRM.HISTORY", () => {
  it("spills the audit trail newest first under a header", async () => {
    const { fx } = await signedIn(anaToken);
    for (const owner of ["ana", "li"]) {
      const { version, createdAt, updatedAt, updatedBy, ...input } = await manager.getCustomer(
        idOf(9),
      );
      await manager.putCustomer(idOf(9), { ...input, owner }, version);
    }
    const table = (await fx.call("HISTORY", idOf(9), "owner")) as unknown[][];
    expect(table[0]).toEqual(["when", "who", "field", "old", "new"]);
    expect(table.slice(1).map((r) => [r[2], r[3], r[4]])).toEqual([
      ["owner", "ana", "li"],
      ["owner", "", "ana"],
    ]);
    fx.session.set(null);
  });
});

describe("CRM.LIVE", () => {
  it("updates by itself after another user's PUT, and stops once cancelled", async () => {
    const { fx, requests } = await signedIn(anaToken);
    fx.team.setPollInterval(100);
    const cell = fx.stream("LIVE", idOf(11), "name");
    expect(await cell.waitFor(1)).toBe("客户 11");

    const put = async (name: string) => {
      const { version, createdAt, updatedAt, updatedBy, ...input } = await manager.getCustomer(
        idOf(11),
      );
      await manager.putCustomer(idOf(11), { ...input, name }, version);
    };
    await put("客户 11 (renamed)");
    expect(await cell.waitFor(2)).toBe("客户 11 (renamed)");

    cell.cancel();
    expect(fx.team.stats().watchedCells).toBe(0);
    await put("客户 11 (again)");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cell.values).toHaveLength(2);
    expect(requests.filter((r) => r.startsWith("GET /v1/changes")).length).toBeGreaterThan(0);
    fx.session.set(null);
  });

  it("updates once per change when the feed sends a window again after a late arrival", async () => {
    const { fx } = await signedIn(anaToken);
    fx.team.setPollInterval(100);
    await manager.putCustomer("LIVE-GONE", { id: "LIVE-GONE", name: "soon gone" }, 0);
    const cell = fx.stream("LIVE", "LIVE-GONE", "name");
    expect(await cell.waitFor(1)).toBe("soon gone");
    await manager.deleteCustomer("LIVE-GONE", 1);
    await cell.waitFor(2);
    // A change that commits late: its feed entry lands behind what the reader has seen, so
    // the next read sends the window again, the deletion included.
    const raw = documentClient(localClientConfig(stack.endpoint));
    const at = Date.now() - 5_000;
    await raw.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          pk: "TEAM#acme",
          sk: feedKey(at, "LATE-1", 1),
          id: "LATE-1",
          version: 1,
          deleted: false,
          at,
        },
      }),
    );
    raw.destroy();
    await fx.team.pollNow();
    await fx.team.pollNow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cell.values).toHaveLength(2);
    cell.cancel();
    fx.session.set(null);
  });

  it("shares one poll loop among all live cells", async () => {
    const { fx, requests } = await signedIn(anaToken);
    fx.team.setPollInterval(200);
    const cells = Array.from({ length: 50 }, (_, k) => fx.stream("LIVE", idOf(k + 1), "name"));
    await Promise.all(cells.map((c) => c.waitFor(1)));
    requests.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const polls = requests.filter((r) => r.startsWith("GET /v1/changes")).length;
    // One loop at 200 ms polls at most 7 or 8 times in 1.5 s; a loop per cell would be 50 × that.
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(10);
    for (const c of cells) c.cancel();
    fx.session.set(null);
  });
});

describe("credit functions with the team policy", () => {
  it("use the team policy once loaded and recalculate when a manager changes it", async () => {
    const { fx } = await signedIn(anaToken);
    fx.team.setPollInterval(100);
    const cell = fx.stream("CREDITGRADE", col(85), null);
    await until(() => fx.session.policy().source === "team");
    expect(cell.last).toEqual(col("AA"));
    const { version } = await manager.getPolicy();
    await manager.putPolicy(
      {
        ...DEFAULT_POLICY,
        bands: [
          { grade: "GOOD", minScore: 60, limitPct: 10, termDays: 30 },
          { grade: "POOR", minScore: 0, limitPct: 0, termDays: 0 },
        ],
      },
      version,
    );
    await until(() => JSON.stringify(cell.last) === JSON.stringify(col("GOOD")));
    expect(cell.last).toEqual(col("GOOD"));
    cell.cancel();
    fx.session.set(null);
  });
});

describe("ApiClient (addin/api.ts) errors", () => {
  it("throws ApiRequestError with the API's code and status for an unknown customer", async () => {
    await expect(manager.getCustomer("NOPE")).rejects.toMatchObject({
      status: 404,
      code: "not_found",
    });
  });

  it("carries the stored record as current on a version conflict", async () => {
    const stored = await manager.getCustomer(idOf(20));
    const { version, createdAt, updatedAt, updatedBy, ...input } = stored;
    await manager.putCustomer(idOf(20), { ...input, owner: "li" }, version);
    await expect(
      manager.putCustomer(idOf(20), { ...input, owner: "ana" }, version),
    ).rejects.toMatchObject({
      status: 409,
      code: "version_conflict",
      current: { id: idOf(20), owner: "li", version: version + 1 },
    });
  });

  it("reports status 0 and code unreachable when nothing answers", async () => {
    const offline = new ApiClient({ baseUrl: "http://127.0.0.1:9", token: () => liToken });
    await expect(offline.health()).rejects.toMatchObject({ status: 0, code: "unreachable" });
  });
});
