/**
 * The whole API on one machine: DynamoDB Local, the table, the handlers and the local
 * gateway. Tests start one per file; `npm run api` wraps it.
 */

import { depsFor } from "../deps.ts";
import { createHandler as credit } from "../handlers/credit.ts";
import { createHandler as customers } from "../handlers/customers.ts";
import { createHandler as grading } from "../handlers/grading.ts";
import { createHandler as health } from "../handlers/health.ts";
import { createHandler as policy } from "../handlers/policy.ts";
import type { Handler } from "../router.ts";
import { type HandlerGroup, handlerGroups } from "../routes.ts";
import type { Deps } from "../store/port.ts";
import { localClientConfig, startDynamoDbLocal } from "./dynamoLocal.ts";
import { ensurePortFree, startGateway, type TrustedIssuer } from "./gateway.ts";
import { issuerKeys } from "./keys.ts";
import { ensureTable } from "./table.ts";

export interface LocalStack {
  /** e.g. `http://127.0.0.1:8787`; the API is at `url + "/v1"`. */
  readonly url: string;
  /** A signed token for a user of a team, e.g. `token("li", "acme", ["managers"])`. */
  token(user: string, team: string, groups?: string[]): Promise<string>;
  stop(): Promise<void>;
  /** DynamoDB Local's endpoint and the table, for benchmarks and tests that look underneath. */
  readonly endpoint: string;
  /** DynamoDB Local's Java process now (another one after a restart). */
  dynamoPid(): number;
  readonly tableName: string;
  readonly issuer: string;
}

export interface LocalStackOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** "memory" (default) keeps nothing; `{ dir }` keeps DynamoDB Local's data there. */
  readonly db?: "memory" | { readonly dir: string };
  /** Where the issuer's key pair is kept; in memory when absent. */
  readonly keysDir?: string;
  /**
   * Start DynamoDB Local with a quick-starting JVM (default true, for tests); long-lived
   * processes pass false for full speed.
   */
  readonly fastStart?: boolean;
  /**
   * Told when DynamoDB Local dies while the stack runs and when it is back (default: print to
   * stderr). The gateway stays up meanwhile and answers `503` with Retry-After.
   */
  readonly onCrash?: (message: string) => void;
  /** Accept an OpenID provider's tokens too, as the JWT authorizer accepts the user pool's. */
  readonly trust?: TrustedIssuer;
}

export const TABLE_NAME = "crm";

// Locally the handlers run on the developer's Node (20 or newer); in AWS they run on Node 22,
// so the SDK's warning about its future Node 20 support says nothing about the product.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const factories: Record<HandlerGroup, (deps: () => Deps) => Handler> = {
  health,
  customers,
  policy,
  credit,
  grading,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts DynamoDB Local, creates the table and starts the gateway. If DynamoDB Local dies,
 * it is started again on the same port and data folder (in memory: empty again) until the
 * stack stops; requests meanwhile get `503 unavailable`.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const db = opts.db ?? "memory";
  const report = opts.onCrash ?? ((message) => console.error(message));
  await ensurePortFree(opts.port ?? 0);
  const start = (port: number) =>
    startDynamoDbLocal({
      ...(db === "memory" ? {} : { dir: db.dir }),
      port,
      fastStart: opts.fastStart ?? true,
      onCrash: crashed,
    });
  let stopped = false;
  let restarting: Promise<void> = Promise.resolve();
  let dynamo = await start(0);
  function crashed(message: string): void {
    if (stopped) return;
    const where = db === "memory" ? "(in memory: its data is gone)" : `on ${db.dir}`;
    report(`${message}\nStarting DynamoDB Local again ${where}; the API answers 503 meanwhile.`);
    restarting = restart();
  }
  async function restart(): Promise<void> {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const next = await start(dynamo.port);
        dynamo = next;
        if (stopped) break;
        await ensureTable(next.endpoint, TABLE_NAME);
        report("DynamoDB Local is back.");
        return;
      } catch (error) {
        report(
          `DynamoDB Local did not start again: ${error instanceof Error ? error.message : error}`,
        );
        await sleep(Math.min(10_000, 500 * 2 ** attempt));
      }
    }
  }
  try {
    await ensureTable(dynamo.endpoint, TABLE_NAME);
    const deps = depsFor(TABLE_NAME, localClientConfig(dynamo.endpoint));
    const handlers = Object.fromEntries(
      (Object.keys(handlerGroups) as HandlerGroup[]).map((group) => [
        group,
        factories[group](() => deps),
      ]),
    ) as Record<HandlerGroup, Handler>;
    const gateway = await startGateway({
      handlers,
      keys: await issuerKeys(opts.keysDir),
      port: opts.port ?? 0,
      ...(opts.trust ? { trust: opts.trust } : {}),
    });
    return {
      url: gateway.url,
      issuer: gateway.issuer,
      endpoint: dynamo.endpoint,
      dynamoPid: () => dynamo.pid,
      tableName: TABLE_NAME,
      token: (user, team, groups) => gateway.token(user, team, groups ?? []),
      stop: async () => {
        stopped = true;
        await gateway.close();
        await restarting;
        await dynamo.stop();
      },
    };
  } catch (error) {
    stopped = true;
    await dynamo.stop();
    throw error;
  }
}
