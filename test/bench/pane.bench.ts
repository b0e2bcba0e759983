/**
 * The task pane's sync against the local API (DynamoDB Local): pull 10,000 customers into the
 * in-memory workbook and push 1,000 edited rows, each as a ratio to the same API calls made
 * alone (list every page; batch-write the same items). Goal: ≤ 1.5, i.e. the pane's own work
 * (table conversion, diff, workbook writes) costs at most half of the network and store time.
 * Then, without the API, what reading 100,000 records with their schema adds to `JSON.parse`.
 */
import { performance } from "node:perf_hooks";
import { ApiClient } from "../../addin/api.ts";
import { CustomerSync } from "../../addin/taskpane/customerSync.ts";
import { MemoryWorkbook } from "../../addin/workbook/memory.ts";
import type { BatchWriteItem } from "../../core/apiSchema.ts";
import { customerPage } from "../../core/apiSchema.ts";
import type { CustomerInput } from "../../core/schema.ts";
import { batches } from "../../core/sync.ts";
import { startLocalStack } from "../../functions/local/stack.ts";

const CUSTOMERS = 10_000;
const EDITS = 1_000;
const ROUNDS = 4;

function customer(i: number): CustomerInput {
  return {
    id: `C-${String(i).padStart(5, "0")}`,
    name: i % 2 ? `客户 ${i}` : `Customer ${i}`,
    revenue: 1000 + ((i * 7919) % 100_000),
    orderCount: i % 50,
    creditFactors: { character: 60, capacity: 70, capital: 50, collateral: 40, conditions: 65 },
    creditLimit: 10_000,
    extra: { region: i % 3 ? "East" : "West" },
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const PARSED = 100_000;

/** Checking 100 pages of 1,000 records with the reply schema, next to `JSON.parse` of them. */
function parseCost(): void {
  const stamp = {
    version: 3,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    updatedBy: "ana",
  };
  const pages: string[] = [];
  for (let start = 0; start < PARSED; start += 1000) {
    const items = Array.from({ length: 1000 }, (_, i) => ({ ...customer(start + i), ...stamp }));
    pages.push(JSON.stringify({ items, nextCursor: "next" }));
  }
  let json = Infinity;
  let schema = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    const bodies: unknown[] = pages.map((page) => JSON.parse(page));
    const t1 = performance.now();
    for (const body of bodies)
      if (!customerPage.safeParse(body).success) throw new Error("bad page");
    const t2 = performance.now();
    json = Math.min(json, t1 - t0);
    schema = Math.min(schema, t2 - t1);
  }
  console.log(
    `read ${PARSED.toLocaleString("en")} records: schema ${schema.toFixed(0)} ms, JSON.parse ${json.toFixed(0)} ms, ratio ${(schema / json).toFixed(2)}`,
  );
}

export default async function paneBench(): Promise<void> {
  parseCost();
  const stack = await startLocalStack();
  try {
    const token = await stack.token("li", "acme", ["managers"]);
    const api = new ApiClient({ baseUrl: stack.url, token: () => token });
    for (const chunk of batches(
      Array.from({ length: CUSTOMERS }, (_, i) => customer(i)),
      500,
    )) {
      await api.batchWrite(
        chunk.map((record) => ({ op: "put", id: record.id, expectedVersion: 0, record })),
      );
    }
    let best = { apiPull: Infinity, panePull: Infinity, apiPush: Infinity, panePush: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      const workbook = new MemoryWorkbook();
      const sync = new CustomerSync({ workbook, api: () => api, team: () => "acme" });
      const apiFirst = round % 2 === 0;
      const apiPullFirst = apiFirst ? await time(() => api.listAllCustomers()) : 0;
      const panePull = await time(() => sync.pull());
      const apiPull = apiFirst ? apiPullFirst : await time(() => api.listAllCustomers());

      // The same 1,000 edits both ways, on different rows so neither meets the other's versions.
      const table = await workbook.readTable("Customers");
      const revenue = table.headers.indexOf("revenue");
      const versionCol = table.headers.indexOf("version");
      const apiRows = table.rows.slice(0, EDITS);
      const apiItems: BatchWriteItem[] = apiRows.map((row, i) => ({
        op: "put",
        id: String(row[0]),
        expectedVersion: Number(row[versionCol]),
        record: { ...customer(i), revenue: Number(row[revenue]) + 1 },
      }));
      const apiPushOnce = (): Promise<number> =>
        time(async () => {
          for (const chunk of batches(apiItems, 200)) await api.batchWrite(chunk);
        });
      await workbook.setTableCells(
        "Customers",
        Array.from({ length: EDITS }, (_, i) => ({
          row: EDITS + i,
          header: "revenue",
          value: Number(table.rows[EDITS + i]?.[revenue]) + 1,
        })),
      );
      let saved = 0;
      const panePushOnce = (): Promise<number> =>
        time(async () => {
          saved = (await sync.push({})).saved;
        });
      // Which goes first alternates by round: DynamoDB Local slows as its tables grow.
      let apiPush: number;
      let panePush: number;
      if (apiFirst) {
        apiPush = await apiPushOnce();
        panePush = await panePushOnce();
      } else {
        panePush = await panePushOnce();
        apiPush = await apiPushOnce();
      }
      if (saved !== EDITS) throw new Error(`pane pushed ${saved} of ${EDITS} edits`);
      best = {
        apiPull: Math.min(best.apiPull, apiPull),
        panePull: Math.min(best.panePull, panePull),
        apiPush: Math.min(best.apiPush, apiPush),
        panePush: Math.min(best.panePush, panePush),
      };
    }
    const line = (what: string, pane: number, alone: number): string =>
      `${what}: pane ${pane.toFixed(0)} ms, API alone ${alone.toFixed(0)} ms, ratio ${(pane / alone).toFixed(2)} (goal ≤ 1.5)`;
    console.log(line(`pull ${CUSTOMERS.toLocaleString("en")} rows`, best.panePull, best.apiPull));
    console.log(line(`push ${EDITS.toLocaleString("en")} edits`, best.panePush, best.apiPush));
  } finally {
    await stack.stop();
  }
}
