/**
 * API throughput on the local stack, as ratios against DynamoDB Local itself in the same run:
 * 10,000 records through `POST /customers/batch-write` vs a raw `BatchWriteItem` of the same
 * items, and `POST /customers/batch-get` of 100 ids vs a raw `BatchGetItem` (p50, p95).
 */
import { BatchGetCommand, BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../../functions/deps.ts";
import { localClientConfig } from "../../functions/local/dynamoLocal.ts";
import { startLocalStack } from "../../functions/local/stack.ts";
import { customerKey, teamKey } from "../../functions/store/items.ts";

const ROWS = 10_000;
const PER_REQUEST = 500;
const GET_RUNS = 40;

const record = (i: number) => ({
  id: `C-${String(i).padStart(5, "0")}`,
  name: `客户 ${i}`,
  owner: "ana",
  segment: i % 3 === 0 ? "大客户" : "中小客户",
  revenue: (i * 7919) % 100_000,
  profit: (i * 104_729) % 10_000,
  lastOrderDate: "2024-06-30",
  orderCount: i % 50,
  creditLimit: 0,
});

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs the API benchmark and prints its figures. */
export default async function apiBench(): Promise<void> {
  // Full JIT, as a long-lived emulator runs: the ratio is about our code, not JVM warm-up.
  const stack = await startLocalStack({ fastStart: false });
  try {
    const token = await stack.token("bench", "bench-api");
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${stack.url}/v1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<unknown>;
    };
    const client = documentClient(localClientConfig(stack.endpoint));
    const now = new Date().toISOString();

    // Baseline: the same items straight into DynamoDB Local, 25 per BatchWriteItem.
    let start = performance.now();
    for (let i = 0; i < ROWS; i += 25) {
      const items = Array.from({ length: Math.min(25, ROWS - i) }, (_, j) => {
        const data = record(i + j);
        return {
          PutRequest: {
            Item: {
              pk: teamKey("bench-raw"),
              sk: customerKey(data.id),
              id: data.id,
              version: 1,
              createdAt: now,
              updatedAt: now,
              updatedBy: "bench",
              data,
            },
          },
        };
      });
      let pending: typeof items | undefined = items;
      while (pending !== undefined && pending.length > 0) {
        const out = await client.send(
          new BatchWriteCommand({ RequestItems: { [stack.tableName]: pending } }),
        );
        pending = out.UnprocessedItems?.[stack.tableName] as typeof items | undefined;
      }
    }
    const rawSeconds = (performance.now() - start) / 1000;

    start = performance.now();
    let ok = 0;
    for (let i = 0; i < ROWS; i += PER_REQUEST) {
      const items = Array.from({ length: PER_REQUEST }, (_, j) => ({
        op: "put",
        id: record(i + j).id,
        expectedVersion: 0,
        record: record(i + j),
      }));
      const reply = (await post("/customers/batch-write", { items })) as {
        results: { status: string }[];
      };
      ok += reply.results.filter((r) => r.status === "ok").length;
    }
    const apiSeconds = (performance.now() - start) / 1000;
    if (ok !== ROWS) throw new Error(`batch-write stored ${ok} of ${ROWS}`);

    const rawRate = ROWS / rawSeconds;
    const apiRate = ROWS / apiSeconds;
    console.log(`raw BatchWriteItem      ${rawRate.toFixed(0).padStart(7)} rows/s`);
    console.log(
      `API batch-write         ${apiRate.toFixed(0).padStart(7)} rows/s  (audited, change feed, conditional)`,
    );
    console.log(
      `ratio API / raw         ${(apiRate / rawRate).toFixed(2).padStart(7)}  (goal >= 0.3)`,
    );

    const ids = (run: number) =>
      Array.from({ length: 100 }, (_, k) => record((run * 131 + k * 97) % ROWS).id);
    const rawTimes: number[] = [];
    const apiTimes: number[] = [];
    for (let run = 0; run < GET_RUNS; run++) {
      let t = performance.now();
      await client.send(
        new BatchGetCommand({
          RequestItems: {
            [stack.tableName]: {
              Keys: ids(run).map((id) => ({ pk: teamKey("bench-raw"), sk: customerKey(id) })),
              ConsistentRead: true,
            },
          },
        }),
      );
      rawTimes.push(performance.now() - t);
      t = performance.now();
      await post("/customers/batch-get", { ids: ids(run) });
      apiTimes.push(performance.now() - t);
    }
    const line = (name: string, times: number[]) =>
      `${name.padEnd(24)}p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`;
    console.log(line("raw BatchGetItem (100)", rawTimes));
    console.log(line("API batch-get (100)", apiTimes));
    console.log(
      `ratio API / raw p50     ${(percentile(apiTimes, 50) / percentile(rawTimes, 50)).toFixed(2).padStart(7)}  (time; lower is better)`,
    );
    client.destroy();
  } finally {
    await stack.stop();
  }
}
