/**
 * Faults of the local stack, against DynamoDB Local (started here, on data folders in /tmp):
 * DynamoDB Local killed mid-push, and the gateway process killed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PID_FILE } from "../functions/local/dynamoLocal.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { call } from "./api-helpers.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("DynamoDB Local killed mid-push", () => {
  let stack: LocalStack;
  const dir = mkdtempSync(join(tmpdir(), "crm-faults-"));
  const events: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ db: { dir }, onCrash: (message) => events.push(message) });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 while it is down, brings it back on the same data, and the resumed push stores every row exactly once with a gap-free feed", async () => {
    const token = await stack.token("ana", "faults");
    const opening = (await call(stack, "GET", "/changes?since=0", { token })).body.cursor;
    const refusals: string[] = [];
    const firstPid = stack.dynamoPid();
    const rows = (batch: number) =>
      Array.from({ length: 100 }, (_, i) => {
        const id = `K-${batch}-${String(i).padStart(3, "0")}`;
        return { op: "put", id, expectedVersion: 0, record: { id, name: `客户 ${id}` } };
      });
    /** Sends one batch until it is answered, waiting Retry-After, always with the same key. */
    const push = async (batch: number) => {
      for (;;) {
        const reply = await call(stack, "POST", "/customers/batch-write", {
          token,
          body: { items: rows(batch) },
          headers: { "idempotency-key": `push-${batch}` },
        });
        if (reply.status === 200) return reply.body.results;
        refusals.push(
          `${reply.status} ${reply.body?.error?.code} retry-after ${reply.headers.get("retry-after")}`,
        );
        await sleep(1000 * Number(reply.headers.get("retry-after") ?? "1"));
      }
    };
    const results = [];
    for (let batch = 0; batch < 8; batch++) {
      if (batch === 3) setTimeout(() => process.kill(firstPid, "SIGKILL"), 40);
      results.push(...(await push(batch)));
    }

    // Items a dead request committed before the kill come back as conflicts holding what was sent.
    const resent = results.filter(
      (r) => !(r.status === "ok" || (r.status === "conflict" && r.current?.version === 1)),
    );
    const list = await call(stack, "GET", "/customers?limit=1000", { token });
    const ids = list.body.items.map((c: { id: string }) => c.id);
    const feed = new Set<string>();
    for (let cursor = opening; ; ) {
      const page = await call(stack, "GET", `/changes?since=${cursor}`, { token });
      for (const c of page.body.changes) feed.add(`${c.id}@${c.version}`);
      cursor = page.body.cursor;
      if (page.body.changes.length === 0) break;
    }
    const expected = Array.from({ length: 8 }, (_, b) => rows(b).map((r) => r.id)).flat();
    expect(refusals.some((r) => r.startsWith("503 unavailable retry-after"))).toBe(true);
    expect(
      refusals.filter((r) => !/^(503 unavailable|429 throttled) retry-after \d+$/.test(r)),
    ).toEqual([]);
    expect([stack.dynamoPid() !== firstPid, events.at(-1)]).toEqual([
      true,
      "DynamoDB Local is back.",
    ]);
    expect(resent).toEqual([]);
    expect([ids.length, new Set(ids).size]).toEqual([800, 800]);
    expect(list.body.items.every((c: { version: number }) => c.version === 1)).toBe(true);
    expect(expected.filter((id) => !feed.has(`${id}@1`))).toEqual([]);
  }, 300_000);
});

describe("the gateway process killed", () => {
  const dir = mkdtempSync(join(tmpdir(), "crm-orphan-"));
  const started: ChildProcess[] = [];
  const api = () => {
    const child = spawn(
      join(process.cwd(), "node_modules/.bin/tsx"),
      [join(process.cwd(), "functions/local/main.ts")],
      { cwd: dir, env: { ...process.env, CRM_API_PORT: "0" }, stdio: "pipe" },
    );
    started.push(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return {
      child,
      output: () => output,
      exited: new Promise<number | null>((r) => child.once("exit", (code) => r(code))),
    };
  };

  afterAll(() => {
    for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("leaves no DynamoDB Local behind, and a second npm run api on the same folder starts no second one", async () => {
    const first = api();
    for (let i = 0; i < 1200 && !first.output().includes("CRM API on"); i++) await sleep(100);
    const owner = JSON.parse(readFileSync(join(dir, ".data/dynamodb", PID_FILE), "utf8"));
    const second = api();
    const secondCode = await second.exited;
    process.kill(owner.owner, "SIGKILL");
    for (let i = 0; i < 100 && isAlive(owner.java); i++) await sleep(100);
    expect([
      secondCode,
      /already runs for process/.test(second.output()),
      isAlive(owner.java),
    ]).toEqual([1, true, false]);
  }, 300_000);
});
