/**
 * Pull and push through the in-memory workbook against the local API (DynamoDB Local, started
 * here): a cancelled or failed push keeps every unsent edit, and pushing again sends exactly those.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordsToTable, TEXT_HEADERS } from "../../core/sync.ts";
import { type LocalStack, startLocalStack } from "../../functions/local/stack.ts";
import { ApiClient } from "../api.ts";
import { MemoryWorkbook } from "../workbook/memory.ts";
import { CUSTOMERS, CustomerSync, type CustomerSyncOptions } from "./customerSync.ts";

let stack: LocalStack;
let api: ApiClient;
let team = 0;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * A client of the newest team whose first batch write the service answers `429` with
 * Retry-After 3 (as a throttled API Gateway does); every later call goes to the local API.
 * `keys` holds the Idempotency-Key of each batch write sent.
 */
async function busyOnce(): Promise<{ api: ApiClient; keys: string[] }> {
  const keys: string[] = [];
  const busyFetch: typeof fetch = async (input, init) => {
    if (String(input).endsWith("/customers/batch-write")) {
      keys.push(new Headers(init?.headers).get("Idempotency-Key") ?? "");
      if (keys.length === 1) {
        const body = { error: { code: "throttled", message: "busy" } };
        return new Response(JSON.stringify(body), {
          status: 429,
          headers: { "content-type": "application/json", "retry-after": "3" },
        });
      }
    }
    return fetch(input, init);
  };
  const token = await stack.token("ana", `team${team}`);
  return { api: new ApiClient({ baseUrl: stack.url, token: () => token, fetch: busyFetch }), keys };
}

/** A fresh team with three customers, pulled into a new workbook (`options` for the sync). */
async function pulled(options: Partial<CustomerSyncOptions> = {}): Promise<{
  sync: CustomerSync;
  workbook: MemoryWorkbook;
  client: () => ApiClient;
  use: (c: ApiClient) => void;
}> {
  team++;
  const token = await stack.token("ana", `team${team}`);
  api = new ApiClient({ baseUrl: stack.url, token: () => token });
  await api.batchWrite(
    ["A", "B", "C"].map((id) => ({
      op: "put" as const,
      id,
      expectedVersion: 0,
      record: { id, name: `n${id}`, revenue: 1 },
    })),
  );
  let current = api;
  const workbook = new MemoryWorkbook();
  const sync = new CustomerSync({
    workbook,
    api: () => current,
    team: () => `team${team}`,
    batchSize: 1,
    ...options,
  });
  await sync.pull();
  await workbook.setTableCells(
    CUSTOMERS,
    [0, 1, 2].map((row) => ({ row, header: "revenue", value: 10 + row })),
  );
  return {
    sync,
    workbook,
    client: () => current,
    use: (c) => {
      current = c;
    },
  };
}

describe("push through the in-memory workbook", () => {
  it("sends every edit and leaves nothing pending", async () => {
    const { sync } = await pulled();
    const report = await sync.push({});
    expect([report.saved, await sync.pending()]).toEqual([
      3,
      { created: 0, edited: 0, deleted: 0, pulled: true },
    ]);
  });

  it("keeps the unsent edits when cancelled after the first batch", async () => {
    const { sync } = await pulled();
    const abort = new AbortController();
    const report = await sync.push({
      signal: abort.signal,
      progress: (done) => done === 1 && abort.abort(),
    });
    expect([report.stopped?.reason, report.saved, await sync.pending()]).toEqual([
      "cancelled",
      1,
      { created: 0, edited: 2, deleted: 0, pulled: true },
    ]);
  });

  it("sends exactly the rest when pushed again after a cancel", async () => {
    const { sync } = await pulled();
    const abort = new AbortController();
    await sync.push({ signal: abort.signal, progress: (done) => done === 1 && abort.abort() });
    const again = await sync.push({});
    expect([again.total, again.saved, (await api.getCustomer("C")).revenue]).toEqual([2, 2, 12]);
  });

  it("keeps every edit when the API cannot be reached, and a retry sends them", async () => {
    const { sync, use, client } = await pulled();
    const working = client();
    use(new ApiClient({ baseUrl: "http://127.0.0.1:9", token: () => "x" }));
    const failed = await sync.push({});
    use(working);
    const retried = await sync.push({});
    expect([failed.stopped?.error?.code, failed.saved, retried.saved]).toEqual([
      "unreachable",
      0,
      3,
    ]);
  });

  it("marks a refused row with the API's message in the message column", async () => {
    const { sync, workbook } = await pulled();
    await workbook.setTableCells(CUSTOMERS, [{ row: 1, header: "revenue", value: "lots" }]);
    const report = await sync.push({});
    const table = await workbook.readTable(CUSTOMERS);
    const message = table.rows[1]?.[table.headers.indexOf("message")];
    expect([report.refused.map((r) => r.id), String(message)]).toEqual([
      ["B"],
      expect.stringContaining("revenue"),
    ]);
  });

  it("clears a refused row's message once the row has nothing left to send", async () => {
    const { sync, workbook } = await pulled();
    await workbook.setTableCells(CUSTOMERS, [{ row: 1, header: "revenue", value: "lots" }]);
    await sync.push({});
    await workbook.setTableCells(CUSTOMERS, [{ row: 1, header: "revenue", value: 1 }]);
    await sync.push({});
    const table = await workbook.readTable(CUSTOMERS);
    expect(table.rows[1]?.[table.headers.indexOf("message")]).toBe("");
  });

  it("never takes another workbook's pull as this table's snapshot", async () => {
    const saved = new Map<string, string>();
    const store = {
      load: (k: string) => saved.get(k) ?? null,
      save: (k: string, v: string) => void saved.set(k, v),
    };
    const first = new CustomerSync({
      workbook: new MemoryWorkbook(),
      api: () => api,
      team: () => "acme",
      store,
    });
    await pulled(); // a fresh team with three customers; `api` is now its client
    await first.pull();
    const other = new MemoryWorkbook();
    await other.writeTable({
      sheet: CUSTOMERS,
      name: CUSTOMERS,
      table: { headers: ["id", "name"], rows: [["Z", "z"]] },
      textHeaders: [],
    });
    const second = new CustomerSync({ workbook: other, api: () => api, team: () => "acme", store });
    expect([saved.size, await second.pending()]).toEqual([
      1,
      { created: 1, edited: 0, deleted: 0, pulled: false },
    ]);
  });

  it("takes the teammate's record into the row when the user takes theirs", async () => {
    const { sync, workbook } = await pulled();
    const stored = await api.getCustomer("A");
    await api.putCustomer("A", { id: "A", name: "theirs", revenue: 99 }, stored.version);
    const report = await sync.push({});
    const conflict = report.conflicts[0];
    if (!conflict) throw new Error("expected a conflict");
    await sync.resolve(conflict, "theirs");
    const table = await workbook.readTable(CUSTOMERS);
    expect(table.rows[0]?.slice(0, 2)).toEqual(["A", "theirs"]);
  });

  it("keeps mine through a 429: the one-item write is resent with the same Idempotency-Key", async () => {
    const waits: number[] = [];
    let next = 0;
    const { sync, use } = await pulled({
      idempotencyKey: () => `key-${next++}`,
      sleep: async (ms) => void waits.push(ms),
    });
    const stored = await api.getCustomer("A");
    await api.putCustomer("A", { id: "A", name: "theirs", revenue: 99 }, stored.version);
    const conflict = (await sync.push({})).conflicts[0];
    if (!conflict) throw new Error("expected a conflict");
    const busy = await busyOnce();
    use(busy.api);
    const again = await sync.resolve(conflict, "mine");
    const saved = await api.getCustomer("A");
    expect([again, busy.keys.length, busy.keys[0] === busy.keys[1], waits, saved.revenue]).toEqual([
      null,
      2,
      true,
      [3000],
      10,
    ]);
  });

  it("waits Retry-After on 429, shows the wait, and resends the batch with the same Idempotency-Key", async () => {
    const { workbook, client } = await pulled();
    const busy = await busyOnce();
    const waits: number[] = [];
    const shown: (number | undefined)[] = [];
    let next = 0;
    const sync = new CustomerSync({
      workbook,
      api: () => busy.api,
      team: () => `team${team}`,
      idempotencyKey: () => `key-${next++}`,
      sleep: async (ms) => void waits.push(ms),
    });
    await sync.pull();
    await workbook.setTableCells(CUSTOMERS, [{ row: 0, header: "revenue", value: 77 }]);
    const report = await sync.push({ progress: (_done, _total, wait) => shown.push(wait) });
    expect([report.saved, report.stopped, busy.keys, waits, shown.includes(3)]).toEqual([
      1,
      null,
      ["key-0", "key-0"],
      [3000],
      true,
    ]);
    expect((await client().getCustomer("A")).revenue).toBe(77);
  });

  it("counts rows the team already holds as saved, at the stored version, then pushes an edit without a conflict", async () => {
    team++;
    const token = await stack.token("li", `team${team}`, ["managers"]);
    const client = new ApiClient({ baseUrl: stack.url, token: () => token });
    const records = ["A", "B"].map((id) => ({ id, name: `n${id}`, creditLimit: 5000 }));
    const table = recordsToTable(records.map((r) => ({ ...r, version: 0 })));
    const spec = { sheet: CUSTOMERS, name: CUSTOMERS, table, textHeaders: TEXT_HEADERS };
    const elsewhere = new MemoryWorkbook();
    await elsewhere.writeTable(spec);
    await new CustomerSync({ workbook: elsewhere, api: () => client, team: () => "t" }).push({});
    const workbook = new MemoryWorkbook();
    await workbook.writeTable(spec);
    const sync = new CustomerSync({ workbook, api: () => client, team: () => "t" });
    const first = await sync.push({});
    await workbook.setTableCells(CUSTOMERS, [{ row: 0, header: "name", value: "edited" }]);
    const second = await sync.push({});
    const after = await workbook.readTable(CUSTOMERS);
    const versions = after.rows.map((r) => r[after.headers.indexOf("version")]);
    expect({
      first: [first.saved, first.total, first.conflicts.length],
      second: [second.saved, second.total, second.conflicts.length],
      versions,
      stored: (await client.getCustomer("A")).version,
    }).toEqual({ first: [2, 2, 0], second: [1, 1, 0], versions: [2, 1], stored: 2 });
  });

  it("saves the rest of a staff row and sends its new limit as a credit request", async () => {
    const { sync, workbook } = await pulled();
    await workbook.setTableCells(CUSTOMERS, [
      { row: 0, header: "creditLimit", value: 900_000 },
      { row: 1, header: "creditLimit", value: "" },
    ]);
    const report = await sync.push({});
    const refused = report.refused.map((r) => [r.id, r.code]);
    const done = await sync.requestLimits(["A"], "from the table");
    const table = await workbook.readTable(CUSTOMERS);
    const row = table.rows[0] ?? [];
    const requests = await api.listCreditRequests("pending");
    expect({
      refused,
      done,
      revenue: (await api.getCustomer("A")).revenue,
      limitCell: row[table.headers.indexOf("creditLimit")],
      requests: requests.map((r) => [r.customerId, r.newLimit]),
      pending: await sync.pending(),
    }).toEqual({
      refused: [["A", "approval_required"]],
      done: { requested: 1, approvedAtOnce: 0 },
      revenue: 10,
      limitCell: "",
      requests: [["A", 900_000]],
      pending: { created: 0, edited: 0, deleted: 0, pulled: true },
    });
  });

  it("resends the four-eyes batch after 429 with the same Idempotency-Key, showing the wait, and sends the request once", async () => {
    const waits: number[] = [];
    let next = 0;
    const { sync, workbook, use } = await pulled({
      idempotencyKey: () => `key-${next++}`,
      sleep: async (ms) => void waits.push(ms),
    });
    await workbook.setTableCells(CUSTOMERS, [{ row: 0, header: "creditLimit", value: 900_000 }]);
    await sync.push({});
    const busy = await busyOnce();
    use(busy.api);
    const shown: (number | undefined)[] = [];
    const done = await sync.requestLimits(["A"], "from the table", {
      progress: (_done, _total, wait) => shown.push(wait),
    });
    const requests = await api.listCreditRequests("pending");
    expect({
      done,
      sends: busy.keys.length,
      sameKey: busy.keys[0] === busy.keys[1],
      waits,
      shown: shown.includes(3),
      requests: requests.map((r) => [r.customerId, r.newLimit]),
      pending: await sync.pending(),
    }).toEqual({
      done: { requested: 1, approvedAtOnce: 0 },
      sends: 2,
      sameKey: true,
      waits: [3000],
      shown: true,
      requests: [["A", 900_000]],
      pending: { created: 0, edited: 0, deleted: 0, pulled: true },
    });
  });
});

describe("ApiClient against the local API", () => {
  it("reads the real reply of every route with its schema", async () => {
    const staff = new ApiClient({
      baseUrl: stack.url,
      token: await stack.token("ana", "replies").then((t) => () => t),
    });
    const manager = new ApiClient({
      baseUrl: stack.url,
      token: await stack.token("li", "replies", ["managers"]).then((t) => () => t),
    });
    const opened = await staff.changes();
    const created = await staff.putCustomer("R-1", { id: "R-1", name: "华为", revenue: 5 }, 0);
    const [written] = await staff.batchWrite([
      { op: "put", id: "R-2", expectedVersion: 0, record: { id: "R-2", name: "n", revenue: 9 } },
    ]);
    const policy = await manager.getPolicy();
    const saved = await manager.putPolicy(policy.policy, policy.version);
    const request = await staff.createCreditRequest({
      customerId: "R-1",
      newLimit: 1000,
      reason: "new order",
    });
    const approved = await manager.approveCreditRequest(request.id);
    const graded = await manager.runGrading({ basis: "revenue" });
    const deleted = await staff.deleteCustomer("R-2", 2);

    expect({
      health: await staff.health(),
      created: created.version,
      written: written?.status,
      read: (await staff.getCustomer("R-1")).creditLimit,
      page: (await staff.listCustomers()).items.map((r) => r.id),
      got: (await staff.batchGet(["R-1", "R-9"])).missing,
      history: (await staff.history("R-1", "creditLimit")).map((e) => e.new),
      saved: [saved.version, saved.source],
      requests: (await staff.listCreditRequests()).map((r) => r.status),
      approved: approved.status,
      graded: Object.values(graded.counts).reduce((a, b) => a + b, 0) + graded.ungraded,
      deleted: deleted.deleted,
      feed: (await staff.changes(opened.cursor)).changes.length > 0,
    }).toEqual({
      health: { ok: true },
      created: 1,
      written: "ok",
      read: 1000,
      page: ["R-1"],
      got: ["R-9"],
      history: [1000],
      saved: [1, "team"],
      requests: ["approved"],
      approved: "approved",
      graded: 2,
      deleted: true,
      feed: true,
    });
  });
});
