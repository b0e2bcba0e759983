/**
 * API throughput on the local stack, as ratios against baselines measured in the same run:
 * - If-Match PUTs to different records at 1, 5, 25 and 50 concurrent writers in one team vs
 *   the same number of writers spread over as many teams (goal at 25: ratio ≥ 0.8);
 * - a push of `CRM_BENCH_ROWS` rows (default 100,000) through `POST /customers/batch-write`
 *   vs a raw `BatchWriteItem` of the same items (goal ≥ 0.5);
 * - `POST /customers/batch-get` of 100 ids vs a raw `BatchGetItem`;
 * - a pull of 10,000 records (`GET /customers?limit=1000` page by page) vs raw `Query` pages
 *   of the same items, and what the reply budget's count adds to building a page's JSON;
 * - 50 users for 60 s of mixed work (`test/mixedWork.ts`): statuses, timeouts, lost updates,
 *   feed and audit completeness.
 */
import { BatchGetCommand, BatchWriteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ApiClient } from "../../addin/api.ts";
import { documentClient } from "../../functions/deps.ts";
import { localClientConfig } from "../../functions/local/dynamoLocal.ts";
import { type LocalStack, startLocalStack } from "../../functions/local/stack.ts";
import { ByteBudget } from "../../functions/replyBudget.ts";
import { type CustomerItem, customerKey, recordOf, teamKey } from "../../functions/store/items.ts";
import { runMixedWork } from "../mixedWork.ts";

const ROWS = Number(process.env.CRM_BENCH_ROWS ?? "100000");
const PER_REQUEST = 500;
const GET_RUNS = 40;
const WRITER_COUNTS = [1, 5, 25, 50];
/** Seconds per slice; one team and many teams alternate over ROUNDS slices each (a shared machine drifts). */
const WRITE_SECONDS = 3;
const ROUNDS = 3;

const record = (i: number) => ({
  id: `C-${String(i).padStart(6, "0")}`,
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

const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;

interface WriteRun {
  readonly rate: number;
  readonly latencies: number[];
  /** Failed writes by status (0: no answer). */
  readonly failures: Record<number, number>;
}

/**
 * `writers` concurrent writers, each replacing its own record with If-Match for
 * WRITE_SECONDS; `teamOf(w)` puts writer `w` in a team.
 */
async function writeRun(
  stack: LocalStack,
  writers: number,
  teamOf: (w: number) => string,
  tag: string,
): Promise<WriteRun> {
  const tokens = await Promise.all(
    Array.from({ length: writers }, (_, w) => stack.token(`writer-${w}`, teamOf(w))),
  );
  const send = (w: number, version: number, name: string) =>
    fetch(`${stack.url}/v1/customers/${tag}-${w}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${tokens[w]}`,
        "content-type": "application/json",
        ...(version === 0 ? { "if-none-match": "*" } : { "if-match": `"${version}"` }),
      },
      body: JSON.stringify({ id: `${tag}-${w}`, name }),
      signal: AbortSignal.timeout(30_000),
    });
  await Promise.all(tokens.map((_, w) => send(w, 0, "start").then((r) => r.text())));
  const latencies: number[] = [];
  const failures: Record<number, number> = {};
  const fail = (status: number) => {
    failures[status] = (failures[status] ?? 0) + 1;
  };
  const start = performance.now();
  const end = start + WRITE_SECONDS * 1000;
  await Promise.all(
    tokens.map(async (_, w) => {
      for (let version = 1; performance.now() < end; ) {
        const t = performance.now();
        try {
          const response = await send(w, version, `v${version}`);
          await response.text();
          if (response.ok) version++;
          else fail(response.status);
        } catch {
          fail(0);
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  return { rate: (latencies.length - failed) / seconds, latencies, failures };
}

/** Rounds of slices merged into one run: writes per second over all of them. */
function merged(runs: readonly WriteRun[]): WriteRun {
  const failures: Record<number, number> = {};
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.failures)) {
      failures[Number(status)] = (failures[Number(status)] ?? 0) + count;
    }
  }
  return {
    rate: runs.reduce((sum, run) => sum + run.rate, 0) / runs.length,
    latencies: runs.flatMap((run) => run.latencies),
    failures,
  };
}

async function writersBench(stack: LocalStack): Promise<void> {
  console.log(
    `If-Match PUTs to different records, ${ROUNDS} alternating slices of ${WRITE_SECONDS} s (writes/s, latency p50/p95/p99)`,
  );
  for (const writers of WRITER_COUNTS) {
    const ones: WriteRun[] = [];
    const manys: WriteRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const runOne = () => writeRun(stack, writers, () => "bench-one", `one${writers}-${round}`);
      const runMany = () =>
        writeRun(stack, writers, (w) => `bench-many-${w}`, `many${writers}-${round}`);
      if (round % 2 === 0) {
        ones.push(await runOne());
        manys.push(await runMany());
      } else {
        manys.push(await runMany());
        ones.push(await runOne());
      }
    }
    const one = merged(ones);
    const many = merged(manys);
    const line = (name: string, run: WriteRun) =>
      `  ${String(writers).padStart(2)} writers, ${name.padEnd(15)} ${run.rate.toFixed(0).padStart(5)} writes/s  p50 ${ms(percentile(run.latencies, 50))}  p95 ${ms(percentile(run.latencies, 95))}  p99 ${ms(percentile(run.latencies, 99))}${Object.keys(run.failures).length > 0 ? `  failed by status ${JSON.stringify(run.failures)}` : ""}`;
    console.log(line("one team", one));
    console.log(line("one team each", many));
    console.log(
      `  ${String(writers).padStart(2)} writers, ratio one team / many teams ${(one.rate / many.rate).toFixed(2)}${writers === 25 ? "  (goal >= 0.8)" : ""}`,
    );
  }
}

async function pushBench(stack: LocalStack): Promise<void> {
  const token = await stack.token("bench", "bench-api");
  const client = documentClient(localClientConfig(stack.endpoint));
  const now = new Date().toISOString();

  // Baseline: the same items straight into DynamoDB Local, 25 per BatchWriteItem.
  let start = performance.now();
  for (let i = 0; i < ROWS; i += 25) {
    const items = Array.from({ length: Math.min(25, ROWS - i) }, (_, j) => {
      const data = record(i + j);
      const key = { pk: teamKey("bench-raw"), sk: customerKey(data.id) };
      const item = { ...key, id: data.id, version: 1, createdAt: now, updatedAt: now };
      return { PutRequest: { Item: { ...item, updatedBy: "bench", data } } };
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
    const items = Array.from({ length: Math.min(PER_REQUEST, ROWS - i) }, (_, j) => ({
      op: "put",
      id: record(i + j).id,
      expectedVersion: 0,
      record: record(i + j),
    }));
    const response = await fetch(`${stack.url}/v1/customers/batch-write`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ items }),
    });
    if (!response.ok) throw new Error(`batch-write: ${response.status} ${await response.text()}`);
    const reply = (await response.json()) as { results: { status: string }[] };
    ok += reply.results.filter((r) => r.status === "ok").length;
  }
  const apiSeconds = (performance.now() - start) / 1000;
  if (ok !== ROWS) throw new Error(`batch-write stored ${ok} of ${ROWS}`);

  const rawRate = ROWS / rawSeconds;
  const apiRate = ROWS / apiSeconds;
  console.log(`Push of ${ROWS} rows (requests of ${PER_REQUEST}, one at a time)`);
  console.log(`  raw BatchWriteItem      ${rawRate.toFixed(0).padStart(7)} rows/s`);
  console.log(
    `  API batch-write         ${apiRate.toFixed(0).padStart(7)} rows/s  (audited, change feed, conditional)`,
  );
  console.log(
    `  ratio API / raw         ${(apiRate / rawRate).toFixed(2).padStart(7)}  (goal >= 0.5)`,
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
    const response = await fetch(`${stack.url}/v1/customers/batch-get`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ids: ids(run) }),
    });
    await response.text();
    apiTimes.push(performance.now() - t);
  }
  const line = (name: string, times: number[]) =>
    `  ${name.padEnd(24)}p50 ${ms(percentile(times, 50))}   p95 ${ms(percentile(times, 95))}`;
  console.log(line("raw BatchGetItem (100)", rawTimes));
  console.log(line("API batch-get (100)", apiTimes));
  console.log(
    `  ratio API / raw p50     ${(percentile(apiTimes, 50) / percentile(rawTimes, 50)).toFixed(2).padStart(7)}  (time; lower is better)`,
  );
  client.destroy();
}

const PULLED = 10_000;
const PULL_ROUNDS = 5;

/** Items as the store keeps them, written straight into the table, 25 per BatchWriteItem. */
async function seed(stack: LocalStack, team: string, count: number): Promise<CustomerItem[]> {
  const client = documentClient(localClientConfig(stack.endpoint));
  const now = new Date().toISOString();
  const items: CustomerItem[] = Array.from({ length: count }, (_, i) => {
    const data = record(i);
    const key = { pk: teamKey(team), sk: customerKey(data.id) };
    return {
      ...key,
      id: data.id,
      version: 1,
      createdAt: now,
      updatedAt: now,
      updatedBy: "b",
      data,
    };
  });
  for (let i = 0; i < count; i += 25) {
    let pending: { PutRequest: { Item: CustomerItem } }[] | undefined = items
      .slice(i, i + 25)
      .map((Item) => ({ PutRequest: { Item } }));
    while (pending !== undefined && pending.length > 0) {
      const out = await client.send(
        new BatchWriteCommand({ RequestItems: { [stack.tableName]: pending } }),
      );
      pending = out.UnprocessedItems?.[stack.tableName] as typeof pending;
    }
  }
  client.destroy();
  return items;
}

/**
 * A pull of PULLED records through the API (pages of 1,000, each counted against the reply
 * budget) next to raw Query pages of the same items; then the budget's own cost: building
 * the JSON of a page of 1,000 records with and without counting each one.
 */
async function pullBench(stack: LocalStack): Promise<void> {
  const team = "bench-pull";
  const items = await seed(stack, team, PULLED);
  const token = await stack.token("bench", team);
  const api = new ApiClient({ baseUrl: stack.url, token: () => token });
  const client = documentClient(localClientConfig(stack.endpoint));
  const rawPull = async () => {
    let start: Record<string, unknown> | undefined;
    let count = 0;
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :c)",
          ExpressionAttributeValues: { ":pk": teamKey(team), ":c": customerKey("") },
          ConsistentRead: true,
          Limit: 1000,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      count += out.Items?.length ?? 0;
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return count;
  };
  const raw: number[] = [];
  const viaApi: number[] = [];
  for (let round = 0; round < PULL_ROUNDS; round++) {
    let t = performance.now();
    if ((await rawPull()) !== PULLED) throw new Error("raw pull lost records");
    raw.push(performance.now() - t);
    t = performance.now();
    if ((await api.listAllCustomers()).length !== PULLED) throw new Error("API pull lost records");
    viaApi.push(performance.now() - t);
  }
  client.destroy();
  const best = (times: number[]) => Math.min(...times);
  console.log(
    `Pull of ${PULLED.toLocaleString("en")} records (pages of 1,000; best of ${PULL_ROUNDS})`,
  );
  console.log(`  raw Query pages         ${ms(best(raw))}`);
  console.log(`  API listAllCustomers    ${ms(best(viaApi))}`);
  console.log(
    `  ratio API / raw         ${(best(viaApi) / best(raw)).toFixed(2).padStart(7)}  (time)`,
  );

  const page = items.slice(0, 1000);
  const build = (counted: boolean) => {
    const budget = new ByteBudget(4 * 1024 * 1024);
    if (!counted) return JSON.stringify({ items: page.map(recordOf), nextCursor: null }).length;
    // As the list handler does: each record's JSON made once, for the count, and joined.
    const records = page.map((item) => budget.takeJson(recordOf(item)) ?? "");
    return `{"items":[${records.join(",")}],"nextCursor":null}`.length;
  };
  const cpu = (counted: boolean) => {
    const t = performance.now();
    for (let n = 0; n < 50; n++) build(counted);
    return (performance.now() - t) / 50;
  };
  let plain = Infinity;
  let counted = Infinity;
  for (let round = 0; round < PULL_ROUNDS; round++) {
    plain = Math.min(plain, cpu(false));
    counted = Math.min(counted, cpu(true));
  }
  console.log(`  a page's JSON, plain    ${plain.toFixed(2).padStart(6)} ms`);
  console.log(
    `  with the budget count   ${counted.toFixed(2).padStart(6)} ms  (ratio ${(counted / plain).toFixed(2)})`,
  );
}

async function mixedWorkBench(stack: LocalStack): Promise<void> {
  const users = 50;
  const seconds = 60;
  const report = await runMixedWork(stack, { users, seconds, team: "bench-mixed" });
  const fiveHundreds = Object.entries(report.statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  console.log(`Mixed work: ${users} users for ${seconds} s in one team`);
  console.log(
    `  ${report.requests} requests (${(report.requests / seconds).toFixed(0)}/s), statuses ${JSON.stringify(report.statuses)}`,
  );
  console.log(
    `  5xx ${fiveHundreds}, timeouts ${report.timeouts}, lost updates ${report.lostUpdates}, ` +
      `missing from feed ${report.missingFromFeed.length} of ${report.acknowledged}, audit gaps ${report.auditGaps}`,
  );
  for (const [kind, times] of Object.entries(report.latencies)) {
    console.log(
      `  ${kind.padEnd(11)} ${String(times.length).padStart(5)} ops  p50 ${ms(percentile(times, 50))}  p95 ${ms(percentile(times, 95))}  p99 ${ms(percentile(times, 99))}`,
    );
  }
}

/** Runs the API benchmark and prints its figures. */
export default async function apiBench(): Promise<void> {
  // Full JIT, as a long-lived emulator runs: the ratio is about our code, not JVM warm-up.
  const stack = await startLocalStack({ fastStart: false });
  try {
    const only = process.env.CRM_BENCH_API;
    if (only === undefined || only.includes("writers")) await writersBench(stack);
    if (only === undefined || only.includes("push")) await pushBench(stack);
    if (only === undefined || only.includes("pull")) await pullBench(stack);
    if (only === undefined || only.includes("mixed")) await mixedWorkBench(stack);
  } finally {
    await stack.stop();
  }
}
