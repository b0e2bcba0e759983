/**
 * Pure builders of DynamoDB command inputs (as dynamodb-toolbox does): a test can read the
 * exact key, condition and items without a database; `dynamoStore.ts` only sends them.
 */
import type {
  BatchGetCommandInput,
  GetCommandInput,
  PutCommandInput,
  QueryCommandInput,
  TransactWriteCommandInput,
  UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { CreditRequestStatus } from "../../core/schema.ts";
import {
  type AuditItem,
  CREDIT_PREFIX,
  CUSTOMER_PREFIX,
  creditKey,
  customerKey,
  type FeedItem,
  feedKey,
  historyKey,
  historyPrefix,
  type IdempotencyItem,
  type PolicyItem,
  teamKey,
} from "./items.ts";
import type { CustomerWrite } from "./port.ts";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Transaction items per customer write: the record, its audit entry, its change-feed entry. */
export const ITEMS_PER_WRITE = 3;

/** A consistent read of one item. */
export function getItem(table: string, team: string, sk: string): GetCommandInput {
  return { TableName: table, Key: { pk: teamKey(team), sk }, ConsistentRead: true };
}

/** A consistent batch read of up to 100 customers. */
export function batchGetCustomers(
  table: string,
  team: string,
  ids: readonly string[],
): BatchGetCommandInput {
  return {
    RequestItems: {
      [table]: {
        Keys: ids.map((id) => ({ pk: teamKey(team), sk: customerKey(id) })),
        ConsistentRead: true,
      },
    },
  };
}

/** The condition that a customer write replaces exactly the version it read. */
export function versionCondition(expectedVersion: number): {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  return expectedVersion === 0
    ? { ConditionExpression: "attribute_not_exists(pk)" }
    : {
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":expected": expectedVersion },
      };
}

/** The audit and feed entries of one write committed at `committedAt` (epoch ms). */
export function entriesOf(
  team: string,
  write: CustomerWrite,
  committedAt: number,
): { audit: AuditItem; feed: FeedItem } {
  const pk = teamKey(team);
  const { item } = write;
  return {
    audit: {
      pk,
      sk: historyKey(item.id, item.version),
      id: item.id,
      version: item.version,
      when: item.updatedAt,
      who: item.updatedBy,
      changes: write.changes,
    },
    feed: {
      pk,
      sk: feedKey(committedAt, item.id, item.version),
      at: committedAt,
      id: item.id,
      version: item.version,
      deleted: item.deleted === true,
    },
  };
}

/**
 * The transaction that commits customer writes: per write its record (on condition of the
 * version it replaces), its audit entry and its feed entry under `committedAt`, the writer's
 * clock just before sending. Writes to different records share no item, so writers of one
 * team never wait on each other. `extras` ride along (e.g. a credit request's decision) and
 * commit or fail with them.
 */
export function commitTransaction(
  table: string,
  team: string,
  writes: readonly CustomerWrite[],
  committedAt: number,
  extras: readonly TransactItem[] = [],
): TransactWriteCommandInput {
  const perWrite = writes.flatMap((write): TransactItem[] => {
    const { audit, feed } = entriesOf(team, write, committedAt);
    return [
      {
        Put: {
          TableName: table,
          Item: write.item,
          ...versionCondition(write.expectedVersion),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      { Put: { TableName: table, Item: audit } },
      { Put: { TableName: table, Item: feed } },
    ];
  });
  return { TransactItems: [...perWrite, ...extras] };
}

/** A feed entry written again under a later time (a write whose first answer was lost). */
export function putFeedEntry(table: string, feed: FeedItem): PutCommandInput {
  return { TableName: table, Item: feed };
}

/** One page of live customers after `afterId`, in id order (tombstones filtered out). */
export function listCustomersQuery(
  table: string,
  team: string,
  limit: number,
  after?: string | Record<string, unknown>,
): QueryCommandInput {
  const pk = teamKey(team);
  const start = typeof after === "string" ? { pk, sk: customerKey(after) } : after;
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    FilterExpression: "attribute_not_exists(deleted)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": CUSTOMER_PREFIX },
    Limit: limit,
    ConsistentRead: true,
    ...(start === undefined ? {} : { ExclusiveStartKey: start }),
  };
}

/**
 * Up to `limit` audit entries of one customer, newest first, from just below
 * `before` (a version, or the key a previous query stopped at) or from the newest.
 */
export function historyQuery(
  table: string,
  team: string,
  id: string,
  limit: number,
  before?: number | Record<string, unknown>,
): QueryCommandInput {
  const pk = teamKey(team);
  const start = typeof before === "number" ? { pk, sk: historyKey(id, before) } : before;
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": historyPrefix(id) },
    ScanIndexForward: false,
    ConsistentRead: true,
    Limit: limit,
    ...(start === undefined ? {} : { ExclusiveStartKey: start }),
  };
}

/**
 * Feed entries from `from` to `to` (both inclusive), oldest first, strongly consistent: a
 * change whose write was answered before this read started is in it.
 */
export function feedQuery(
  table: string,
  team: string,
  range: { from: string; to: string },
  limit: number | undefined,
  exclusiveStartKey?: Record<string, unknown>,
): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":pk": teamKey(team), ":from": range.from, ":to": range.to },
    ConsistentRead: true,
    ...(limit === undefined ? {} : { Limit: limit }),
    ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
  };
}

/**
 * Up to `limit` credit requests of a team (evaluated: `status`, when given, filters after the
 * limit), newest first by id (ids are UUIDv7, so by creation time), from just below `before`
 * (a request id, or the key a previous query stopped at) or from the newest.
 */
export function creditRequestsQuery(
  table: string,
  team: string,
  limit: number,
  status?: CreditRequestStatus,
  before?: string | Record<string, unknown>,
): QueryCommandInput {
  const pk = teamKey(team);
  const start = typeof before === "string" ? { pk, sk: creditKey(before) } : before;
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: {
      ":pk": pk,
      ":prefix": CREDIT_PREFIX,
      ...(status === undefined ? {} : { ":status": status }),
    },
    ...(status === undefined
      ? {}
      : {
          FilterExpression: "#status = :status",
          ExpressionAttributeNames: { "#status": "status" },
        }),
    ScanIndexForward: false,
    ConsistentRead: true,
    Limit: limit,
    ...(start === undefined ? {} : { ExclusiveStartKey: start }),
  };
}

/** Replaces the policy if it is still at `expectedVersion` (0: none saved yet). */
export function putPolicy(
  table: string,
  item: PolicyItem,
  expectedVersion: number,
): PutCommandInput {
  return {
    TableName: table,
    Item: item,
    ...versionCondition(expectedVersion),
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  };
}

/** Puts a new item that must not exist yet. */
export function putNew(table: string, item: Record<string, unknown>): PutCommandInput {
  return { TableName: table, Item: item, ConditionExpression: "attribute_not_exists(pk)" };
}

/**
 * Moves a credit request from pending to its decision; fails if someone decided first.
 * As a transaction item so that an approval and the new limit commit together.
 */
export function decideCreditRequest(
  table: string,
  key: { pk: string; sk: string },
  request: Record<string, unknown>,
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: "SET #request = :request, #status = :status",
      ConditionExpression: "#status = :pending",
      ExpressionAttributeNames: { "#request": "request", "#status": "status" },
      ExpressionAttributeValues: {
        ":request": request,
        ":status": request.status,
        ":pending": "pending",
      },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
}

/**
 * Claims an idempotency key (a marker without a response) unless a live claim or response
 * is there; an expired one may be replaced (DynamoDB's TTL deletes late, Local never does).
 */
export function claimIdempotencyKey(
  table: string,
  item: IdempotencyItem,
  nowSeconds: number,
): PutCommandInput {
  return {
    TableName: table,
    Item: item,
    ConditionExpression: "attribute_not_exists(pk) OR expiresAt <= :now",
    ExpressionAttributeValues: { ":now": nowSeconds },
  };
}

/** Stores the response under a key this request claimed (or expires the claim). */
export function putIdempotentResponse(table: string, item: IdempotencyItem): PutCommandInput {
  return { TableName: table, Item: item };
}

/** Extends a running request's claim on its key (a lease), unless a response is stored. */
export function renewIdempotencyClaim(
  table: string,
  key: { pk: string; sk: string },
  expiresAt: number,
): UpdateCommandInput {
  return {
    TableName: table,
    Key: key,
    UpdateExpression: "SET expiresAt = :expiresAt",
    ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#response)",
    ExpressionAttributeNames: { "#response": "response" },
    ExpressionAttributeValues: { ":expiresAt": expiresAt },
  };
}
