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
} from "@aws-sdk/lib-dynamodb";
import type { FieldChange } from "../../core/record.ts";
import {
  type AuditItem,
  COUNTER_KEY,
  CREDIT_PREFIX,
  CUSTOMER_PREFIX,
  type CustomerItem,
  customerKey,
  FEED_PREFIX,
  type FeedItem,
  feedKey,
  historyKey,
  historyPrefix,
  type IdempotencyItem,
  type PolicyItem,
  padSeq,
  teamKey,
} from "./items.ts";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** One customer change: the new item (a tombstone for a delete) and the version it replaces. */
export interface CustomerWrite {
  readonly item: CustomerItem;
  /** The stored version this write replaces; 0 = the record must not exist yet. */
  readonly expectedVersion: number;
  readonly changes: readonly FieldChange[];
}

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

/**
 * The transaction that commits customer writes with gap-free sequence numbers
 * `currentSeq + 1 …`: the counter moves from `currentSeq` (condition) to the last one taken,
 * and each write puts its record (conditional on version), audit entry and feed entry.
 * `extras` ride along (e.g. a credit request's decision) and commit or fail with them.
 */
export function commitTransaction(
  table: string,
  team: string,
  currentSeq: number,
  writes: readonly CustomerWrite[],
  extras: readonly TransactItem[] = [],
): TransactWriteCommandInput {
  const pk = teamKey(team);
  const counter: TransactItem = {
    Put: {
      TableName: table,
      Item: { pk, sk: COUNTER_KEY, seq: currentSeq + writes.length },
      // On a lost race the cancellation reason carries the counter: no extra read to retry.
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      ...(currentSeq === 0
        ? { ConditionExpression: "attribute_not_exists(pk)" }
        : {
            ConditionExpression: "#seq = :seq",
            ExpressionAttributeNames: { "#seq": "seq" },
            ExpressionAttributeValues: { ":seq": currentSeq },
          }),
    },
  };
  const perWrite = writes.flatMap((write, i): TransactItem[] => {
    const seq = currentSeq + 1 + i;
    const { item } = write;
    const audit: AuditItem = {
      pk,
      sk: historyKey(item.id, seq),
      id: item.id,
      version: item.version,
      when: item.updatedAt,
      who: item.updatedBy,
      changes: write.changes,
    };
    const feed: FeedItem = {
      pk,
      sk: feedKey(seq),
      seq,
      id: item.id,
      version: item.version,
      deleted: item.deleted === true,
    };
    return [
      {
        Put: {
          TableName: table,
          Item: item,
          ...versionCondition(write.expectedVersion),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      { Put: { TableName: table, Item: audit } },
      { Put: { TableName: table, Item: feed } },
    ];
  });
  return { TransactItems: [counter, ...perWrite, ...extras] };
}

/** One page of live customers after `afterId`, in id order (tombstones filtered out). */
export function listCustomersQuery(
  table: string,
  team: string,
  limit: number,
  afterId: string | undefined,
): QueryCommandInput {
  const pk = teamKey(team);
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    FilterExpression: "attribute_not_exists(deleted)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": CUSTOMER_PREFIX },
    Limit: limit,
    ConsistentRead: true,
    ...(afterId === undefined ? {} : { ExclusiveStartKey: { pk, sk: customerKey(afterId) } }),
  };
}

/** Audit entries of one customer, newest first. */
export function historyQuery(
  table: string,
  team: string,
  id: string,
  exclusiveStartKey?: Record<string, unknown>,
): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": teamKey(team), ":prefix": historyPrefix(id) },
    ScanIndexForward: false,
    ConsistentRead: true,
    ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
  };
}

/** Change-feed entries with a sequence number above `since`, oldest first. */
export function changesQuery(
  table: string,
  team: string,
  since: number,
  limit: number,
): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: {
      ":pk": teamKey(team),
      ":from": feedKey(since + 1),
      ":to": `${FEED_PREFIX}${"9".repeat(padSeq(0).length)}`,
    },
    Limit: limit,
    ConsistentRead: true,
  };
}

/** Credit requests of a team (a team has few; the handler filters by status). */
export function creditRequestsQuery(
  table: string,
  team: string,
  exclusiveStartKey?: Record<string, unknown>,
): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": teamKey(team), ":prefix": CREDIT_PREFIX },
    ConsistentRead: true,
    ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
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
