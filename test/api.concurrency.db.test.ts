/**
 * Concurrency against DynamoDB Local (started here): no lost update under concurrent
 * If-Match writers, a change feed that misses nothing while writers write, and batches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { call, create, pool } from "./api-helpers.ts";
import { runMixedWork } from "./mixedWork.ts";

let stack: LocalStack;
let token: string;

beforeAll(async () => {
  stack = await startLocalStack();
  token = await stack.token("ana", "acme");
});

afterAll(async () => {
  await stack?.stop();
});

/** Reads, increments `orderCount` and writes with If-Match, retrying on 409 until it lands. */
async function increment(id: string): Promise<number> {
  let current = (await call(stack, "GET", `/customers/${id}`, { token })).body;
  let conflicts = 0;
  for (;;) {
    const reply = await call(stack, "PUT", `/customers/${id}`, {
      token,
      body: { id, name: current.name, orderCount: current.orderCount + 1 },
      headers: { "if-match": `"${current.version}"` },
    });
    if (reply.status === 200) return conflicts;
    if (reply.status !== 409)
      throw new Error(`unexpected ${reply.status} ${JSON.stringify(reply.body)}`);
    conflicts++;
    current = reply.body.current;
  }
}

describe("concurrent writers", () => {
  it("loses no update: 8 clients × 15 If-Match increments end at 120", async () => {
    await create(stack, token, { id: "COUNTER", name: "counter", orderCount: 0 });
    const clients = Array.from({ length: 8 }, () => async () => {
      let conflicts = 0;
      for (let i = 0; i < 15; i++) conflicts += await increment("COUNTER");
      return conflicts;
    });
    const conflicts = await Promise.all(clients.map((client) => client()));
    const read = await call(stack, "GET", "/customers/COUNTER", { token });
    const history = await call(stack, "GET", "/customers/COUNTER/history?field=orderCount", {
      token,
    });
    expect([read.body.orderCount, read.body.version, history.body.items.length]).toEqual([
      120, 121, 121,
    ]);
    // The run must really have raced, or it proves nothing.
    expect(conflicts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 300_000);

  it("misses no change in the feed read while 4 writers write", async () => {
    const feedToken = await stack.token("feed", "feedteam");
    const start = (await call(stack, "GET", "/changes", { token: feedToken })).body
      .cursor as string;
    const committed = new Set<string>();
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; i < 25; i++) {
        const id = `W${w}-${i}`;
        const made = await create(stack, feedToken, { id, name: id });
        committed.add(`${id}@${made.body.version}`);
        const changed = await call(stack, "PUT", `/customers/${id}`, {
          token: feedToken,
          body: { id, name: `${id}!` },
          headers: { "if-match": '"1"' },
        });
        committed.add(`${id}@${changed.body.version}`);
      }
    };
    const seen: string[] = [];
    const reader = async () => {
      let cursor = start;
      let reads = 0;
      // Keep reading while writers write, then once more after the last write.
      for (let last = false; ; ) {
        last = !writing;
        const reply = await call(stack, "GET", `/changes?since=${cursor}`, { token: feedToken });
        for (const c of reply.body.changes) seen.push(`${c.id}@${c.version}`);
        cursor = reply.body.cursor;
        reads++;
        if (last) return reads;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const readerDone = reader();
    await Promise.all([0, 1, 2, 3].map(writer));
    writing = false;
    const reads = await readerDone;
    expect(reads).toBeGreaterThan(2);
    // A change may come twice (after a late arrival); clients keep one per (id, version).
    expect(new Set(seen)).toEqual(committed);
  }, 300_000);

  it("serves 25 writers of one team: every write answered (acknowledged or a JSON error), none timed out, the feed read meanwhile missing nothing", async () => {
    const team = await stack.token("w25", "team25");
    const start = (await call(stack, "GET", "/changes", { token: team })).body.cursor as string;
    const acked = new Set<string>();
    const answers: string[] = [];
    let writing = true;
    const put = async (id: string, body: unknown, headers: Record<string, string>) => {
      try {
        const response = await fetch(`${stack.url}/v1/customers/${id}`, {
          method: "PUT",
          headers: {
            authorization: `Bearer ${team}`,
            "content-type": "application/json",
            ...headers,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const reply = await response.json();
        answers.push(response.ok ? "ok" : `error ${typeof reply.error?.code}`);
        if (response.ok) acked.add(`${id}@${reply.version}`);
        return reply;
      } catch (error) {
        answers.push(`no answer: ${error}`);
        return undefined;
      }
    };
    const writer = async (w: number) => {
      for (let i = 0; i < 4; i++) {
        const id = `T25-${w}-${i}`;
        const made = await put(id, { id, name: id }, { "if-none-match": "*" });
        for (let v = made?.version; v !== undefined && v < 3; ) {
          v = (await put(id, { id, name: `${id} v${v + 1}` }, { "if-match": `"${v}"` }))?.version;
        }
      }
    };
    const seen = new Set<string>();
    const reader = async () => {
      let cursor = start;
      for (let last = false; !last; ) {
        last = !writing;
        const reply = await call(stack, "GET", `/changes?since=${cursor}`, { token: team });
        for (const c of reply.body.changes) seen.add(`${c.id}@${c.version}`);
        cursor = reply.body.cursor;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const reading = reader();
    await Promise.all(Array.from({ length: 25 }, (_, w) => writer(w)));
    writing = false;
    await reading;
    expect(answers.filter((a) => a !== "ok" && a !== "error string")).toEqual([]);
    expect(acked.size).toBe(25 * 4 * 3);
    expect([...acked].filter((change) => !seen.has(change))).toEqual([]);
  }, 300_000);

  it("keeps a team at mixed work consistent: no 5xx, no timeout, no lost update, feed and audit complete", async () => {
    const report = await runMixedWork(stack, { users: 10, seconds: 8, team: "mixed" });
    const fiveHundreds = Object.entries(report.statuses).filter(
      ([status]) => Number(status) >= 500,
    );
    expect({
      fiveHundreds,
      timeouts: report.timeouts,
      notJson: report.notJson,
      lostUpdates: report.lostUpdates,
      missingFromFeed: report.missingFromFeed,
      auditGaps: report.auditGaps,
    }).toEqual({
      fiveHundreds: [],
      timeouts: 0,
      notJson: 0,
      lostUpdates: 0,
      missingFromFeed: [],
      auditGaps: 0,
    });
    expect(report.acknowledged).toBeGreaterThan(100);
  }, 300_000);

  it("lists changes of each id in version order", async () => {
    const reply = await call(stack, "GET", "/changes?since=0", { token });
    const versions = reply.body.changes
      .filter((c: { id: string }) => c.id === "COUNTER")
      .map((c: { version: number }) => c.version);
    expect(versions).toEqual(Array.from({ length: 121 }, (_, i) => i + 1));
  });
});

describe("batch-write", () => {
  it("writes 500 items in one request", async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({
      op: "put",
      id: `BIG-${String(i).padStart(3, "0")}`,
      expectedVersion: 0,
      record: { name: `客户 ${i}`, revenue: i },
    }));
    const reply = await call(stack, "POST", "/customers/batch-write", { token, body: { items } });
    const list = await call(stack, "GET", "/customers?limit=1000", { token });
    expect(reply.body.results.filter((r: { status: string }) => r.status === "ok").length).toBe(
      500,
    );
    expect(list.body.items.filter((r: { id: string }) => r.id.startsWith("BIG-")).length).toBe(500);
  }, 120_000);

  it("keeps every item of two concurrent batches to the same team", async () => {
    const batch = (prefix: string) => ({
      items: Array.from({ length: 100 }, (_, i) => ({
        op: "put",
        id: `${prefix}-${i}`,
        expectedVersion: 0,
        record: { name: prefix },
      })),
    });
    const tasks = ["CA", "CB", "CC"].map(
      (p) => () => call(stack, "POST", "/customers/batch-write", { token, body: batch(p) }),
    );
    const replies = await pool(3, tasks);
    const ok = replies
      .flatMap((r) => r.body.results)
      .filter((r: { status: string }) => r.status === "ok");
    expect(ok.length).toBe(300);
  }, 120_000);
});
