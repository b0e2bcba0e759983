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
import type { Deps, Handler } from "../router.ts";
import { type HandlerGroup, handlerGroups } from "../routes.ts";
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
  /** Called if DynamoDB Local dies while the stack runs (default: print to stderr). */
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

/** Starts DynamoDB Local, creates the table and starts the gateway. */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const db = opts.db ?? "memory";
  await ensurePortFree(opts.port ?? 0);
  const dynamo = await startDynamoDbLocal({
    ...(db === "memory" ? {} : { dir: db.dir }),
    fastStart: opts.fastStart ?? true,
    onCrash: opts.onCrash ?? ((message) => console.error(message)),
  });
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
      tableName: TABLE_NAME,
      token: (user, team, groups) => gateway.token(user, team, groups ?? []),
      stop: async () => {
        await gateway.close();
        await dynamo.stop();
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}
