/** The real dependencies of a Lambda handler, built from its environment on first use. */
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { v7 as uuidv7 } from "uuid";
import { DynamoStore } from "./store/dynamoStore.ts";
import type { Deps } from "./store/port.ts";

/**
 * A document client that drops `undefined` (optional fields) and carries every number as a
 * JavaScript number both ways: records hold doubles such as revenue 1e20, which the SDK would
 * otherwise refuse to write (beyond MAX_SAFE_INTEGER) or read back as BigInt. Every object is
 * marshalled as a map by its own keys: without `convertClassInstanceToMap` the marshaller
 * reads an `extra` key named `constructor` as the object's class and throws.
 */
export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: {
      removeUndefinedValues: true,
      allowImpreciseNumbers: true,
      convertClassInstanceToMap: true,
    },
    unmarshallOptions: { wrapNumbers: (value: string) => Number(value) },
  });
}

/**
 * Dependencies on one table: `TABLE_NAME`, and `DYNAMODB_ENDPOINT` for DynamoDB Local. The
 * SDK makes one attempt per call: the store retries itself (full jitter, a time budget, and a
 * fresh commit time per transaction attempt, which the SDK's own retries would not take).
 */
export function depsFor(table: string, config: DynamoDBClientConfig = {}): Deps {
  return {
    store: new DynamoStore(documentClient({ maxAttempts: 1, ...config }), table),
    now: () => new Date(),
    // UUIDv7 (RFC 9562): ids sort by creation time, so lists read newest first by key.
    newId: () => uuidv7(),
  };
}

/** Reads the environment once, on the first request (so importing a handler has no effects). */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): () => Deps {
  let deps: Deps | undefined;
  return () => {
    if (deps === undefined) {
      const table = env.TABLE_NAME;
      if (!table) throw new Error("TABLE_NAME is not set");
      const endpoint = env.DYNAMODB_ENDPOINT;
      deps = depsFor(table, endpoint ? { endpoint } : {});
    }
    return deps;
  };
}
