/**
 * A team at work on the local stack, for the concurrency test (short) and `npm run bench api`
 * (50 users, 60 s): users pull, batch-get, increment shared counters with If-Match,
 * batch-write 100 rows with an Idempotency-Key, raise and approve credit requests and follow
 * the change feed, each waiting `Retry-After` on 429/503 as the add-in does. Afterwards it
 * checks that no update was lost and that the feed and the audit trail hold every change.
 */
import type { LocalStack } from "../functions/local/stack.ts";

export interface MixedWorkOptions {
  readonly users: number;
  readonly seconds: number;
  readonly team: string;
  /** Shared records every user increments with If-Match. */
  readonly counters?: number;
  /** A request with no answer in this long counts as a timeout. */
  readonly timeoutMs?: number;
}

export interface MixedWorkReport {
  readonly requests: number;
  /** Count per HTTP status (0: no answer / timeout). */
  readonly statuses: Record<number, number>;
  readonly timeouts: number;
  /** Error answers that were not the API's JSON error shape. */
  readonly notJson: number;
  /** Latencies in ms per kind of work. */
  readonly latencies: Record<string, number[]>;
  /** Counters whose final value differs from the increments acknowledged. */
  readonly lostUpdates: number;
  /** Acknowledged `(id, version)` pairs the feed never reported. */
  readonly missingFromFeed: string[];
  /** Counters whose audit trail lacks a version. */
  readonly auditGaps: number;
  readonly acknowledged: number;
}

type Kind = "pull" | "batchGet" | "put" | "batchWrite" | "credit" | "feed";
const WEIGHTS: readonly [Kind, number][] = [
  ["put", 40],
  ["feed", 15],
  ["batchGet", 15],
  ["pull", 10],
  ["batchWrite", 10],
  ["credit", 10],
];
/** Each kind as often as its weight: a step picks one by a spread-out index. */
const KINDS: readonly Kind[] = WEIGHTS.flatMap(([kind, weight]) => Array(weight).fill(kind));

interface Reply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the work reads arbitrary JSON bodies
  readonly body: any;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the work and checks its outcome; see the module comment. */
export async function runMixedWork(
  stack: LocalStack,
  opts: MixedWorkOptions,
): Promise<MixedWorkReport> {
  const counters = opts.counters ?? 10;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const statuses: Record<number, number> = {};
  const latencies: Record<string, number[]> = {};
  let requests = 0;
  let timeouts = 0;
  let notJson = 0;
  const acked = new Set<string>();
  const increments = new Map<string, number>();

  /** One request; waits Retry-After and sends the same again on 429/503, as the add-in does. */
  const call = async (
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    for (;;) {
      requests++;
      let reply: Reply;
      try {
        const response = await fetch(`${stack.url}/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        let parsed: unknown;
        try {
          parsed = text === "" ? undefined : JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        reply = { status: response.status, body: parsed };
        const retryAfter = Number(response.headers.get("retry-after") ?? "1");
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        if (reply.status >= 400 && typeof reply.body?.error?.code !== "string") notJson++;
        if (reply.status === 429 || reply.status === 503) {
          await sleep(1000 * retryAfter);
          continue;
        }
        return reply;
      } catch {
        timeouts++;
        statuses[0] = (statuses[0] ?? 0) + 1;
        return { status: 0, body: undefined };
      }
    }
  };
  const timed = async <T>(kind: string, run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      const list = latencies[kind] ?? [];
      list.push(performance.now() - start);
      latencies[kind] = list;
    }
  };

  const manager = await stack.token("mw-manager", opts.team, ["managers"]);
  const opening = await call(manager, "GET", "/changes");
  const counterIds = Array.from({ length: counters }, (_, i) => `MW-COUNTER-${i}`);
  for (const id of counterIds) {
    const made = await call(
      manager,
      "PUT",
      `/customers/${id}`,
      { id, name: id, orderCount: 0 },
      {
        "if-none-match": "*",
      },
    );
    if (made.status !== 201) throw new Error(`setup: ${made.status} ${JSON.stringify(made.body)}`);
    acked.add(`${id}@1`);
  }
  const deadline = Date.now() + opts.seconds * 1000;

  const user = async (u: number) => {
    const token = await stack.token(`mw-user-${u}`, opts.team);
    let cursor: string = opening.body.cursor;
    let made = 0;
    const mine: string[] = [];
    const creditId = `MW-CREDIT-${u}`;
    await call(
      token,
      "PUT",
      `/customers/${creditId}`,
      { id: creditId, name: creditId },
      {
        "if-none-match": "*",
      },
    ).then((r) => r.status === 201 && acked.add(`${creditId}@1`));
    for (let step = 0; Date.now() < deadline; step++) {
      const kind = KINDS[(u * 7919 + step * 104_729) % KINDS.length] as Kind;
      await timed(kind, async () => {
        if (kind === "pull") await call(token, "GET", "/customers?limit=1000");
        else if (kind === "batchGet") {
          await call(token, "POST", "/customers/batch-get", {
            ids: [...counterIds, ...mine.slice(-90)],
          });
        } else if (kind === "feed") {
          const reply = await call(token, "GET", `/changes?since=${cursor}`);
          if (reply.status === 200) cursor = reply.body.cursor;
        } else if (kind === "put") {
          const id = counterIds[(u + step) % counterIds.length] as string;
          let current = (await call(token, "GET", `/customers/${id}`)).body;
          for (let tries = 0; current?.version !== undefined && tries < 50; tries++) {
            const reply = await call(
              token,
              "PUT",
              `/customers/${id}`,
              { id, name: id, orderCount: current.orderCount + 1 },
              { "if-match": `"${current.version}"` },
            );
            if (reply.status === 200) {
              increments.set(id, (increments.get(id) ?? 0) + 1);
              acked.add(`${id}@${reply.body.version}`);
              break;
            }
            if (reply.status !== 409) break;
            current = reply.body.current;
          }
        } else if (kind === "batchWrite") {
          const items = Array.from({ length: 100 }, (_, i) => {
            const id = `MW-${u}-${made}-${i}`;
            return { op: "put", id, expectedVersion: 0, record: { id, name: id, revenue: i } };
          });
          const key = `mw-${u}-${made++}`;
          const reply = await call(
            token,
            "POST",
            "/customers/batch-write",
            { items },
            {
              "idempotency-key": key,
            },
          );
          for (const result of reply.body?.results ?? []) {
            if (result.status === "ok") {
              acked.add(`${result.id}@${result.version}`);
              mine.push(result.id);
            }
          }
        } else {
          const request = await call(token, "POST", "/credit-requests", {
            customerId: creditId,
            newLimit: 10_000 + step,
            reason: "mixed work",
          });
          if (request.status === 201 && request.body.status === "pending") {
            await call(manager, "POST", `/credit-requests/${request.body.id}/approve`, {});
          }
        }
      });
    }
  };
  await Promise.all(Array.from({ length: opts.users }, (_, u) => user(u)));

  // Afterwards: counters hold every acknowledged increment, audited version by version …
  let lostUpdates = 0;
  let auditGaps = 0;
  for (const id of counterIds) {
    const read = await call(manager, "GET", `/customers/${id}`);
    const history = await call(manager, "GET", `/customers/${id}/history?field=orderCount`);
    const expected = increments.get(id) ?? 0;
    if (read.body.orderCount !== expected || read.body.version !== expected + 1) lostUpdates++;
    const versions = new Set(history.body.items.map((h: { version: number }) => h.version));
    if (versions.size !== expected + 1) auditGaps++;
  }
  // … and the feed from before the work reports every acknowledged change.
  const reported = new Set<string>();
  let cursor: string = opening.body.cursor;
  for (;;) {
    const page = await call(manager, "GET", `/changes?since=${cursor}`);
    for (const c of page.body.changes) reported.add(`${c.id}@${c.version}`);
    cursor = page.body.cursor;
    if (page.body.changes.length === 0) break;
  }
  return {
    requests,
    statuses,
    timeouts,
    notJson,
    latencies,
    lostUpdates,
    missingFromFeed: [...acked].filter((change) => !reported.has(change)),
    auditGaps,
    acknowledged: acked.size,
  };
}
