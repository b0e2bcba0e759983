/**
 * The single table's items (one partition per team, `pk = TEAM#<team>`) and their sort keys.
 * Kept in one place so the key layout can be read at a glance:
 *
 * | item | sk |
 * |---|---|
 * | customer (tombstone after delete) | `C#<id>` (sorts the list by id) |
 * | audit entry of one change | `H#<encoded id>#<version>` |
 * | change-feed entry | `F#<commit ms>#<encoded id>#<version>` |
 * | credit policy | `POLICY` |
 * | credit request | `CR#<request id>` |
 * | idempotent response | `IDEM#<encoded user>#<encoded key>` |
 */

import type { FieldChange } from "../../core/record.ts";
import type {
  CreditPolicy,
  CreditRequest,
  CreditRequestStatus,
  CustomerInput,
  CustomerRecord,
} from "../../core/schema.ts";

/** The partition of a team. */
export const teamKey = (team: string): string => `TEAM#${team}`;

export const CUSTOMER_PREFIX = "C#";
/** `C#<id>`: customers sort by id. */
export const customerKey = (id: string): string => `${CUSTOMER_PREFIX}${id}`;

/** Numbers in sort keys are zero-padded so that string order is numeric order. */
export const padNumber = (n: number): string => String(n).padStart(15, "0");

/** `H#<encoded id>#`: every audit entry of one customer (`#` in ids is encoded, so `H#a#` is never a prefix of `H#a#b#…`). */
export const historyPrefix = (id: string): string => `H#${encodeURIComponent(id)}#`;
/** The audit entry of one version of a customer, e.g. `H#C-1#000000000000003`. */
export const historyKey = (id: string, version: number): string =>
  `${historyPrefix(id)}${padNumber(version)}`;

export const FEED_PREFIX = "F#";
/** The feed's position at a time: below every entry committed at or after `ms`. */
export const feedTimeKey = (ms: number): string => `${FEED_PREFIX}${padNumber(ms)}`;
/**
 * The change-feed entry of one version, ordered by the writer's commit time, e.g.
 * `F#001733130000000#C-1#000000000000003` (the id encoded, so it never contains `#` or space).
 */
export const feedKey = (ms: number, id: string, version: number): string =>
  `${feedTimeKey(ms)}#${encodeURIComponent(id)}#${padNumber(version)}`;
/** Above every feed key (`~` sorts after digits). */
export const FEED_END = `${FEED_PREFIX}~`;

export const POLICY_KEY = "POLICY";
export const CREDIT_PREFIX = "CR#";
/** `CR#<request id>`. */
export const creditKey = (id: string): string => `${CREDIT_PREFIX}${id}`;
/** `IDEM#<user>#<key>`, both encoded so neither can forge the other's prefix. */
export const idempotencyKey = (user: string, key: string): string =>
  `IDEM#${encodeURIComponent(user)}#${encodeURIComponent(key)}`;

export interface Key {
  readonly pk: string;
  readonly sk: string;
}

/** A customer as stored: the client's fields under `data`, server fields beside them. */
export interface CustomerItem extends Key {
  readonly id: string;
  readonly version: number;
  /** Present on a tombstone: the record is gone from reads but its version keeps counting. */
  readonly deleted?: true;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly data: CustomerInput;
}

export interface AuditItem extends Key {
  readonly id: string;
  readonly version: number;
  readonly when: string;
  readonly who: string;
  readonly changes: readonly FieldChange[];
}

export interface FeedItem extends Key {
  /** The writer's clock (epoch ms) just before it sent the transaction. */
  readonly at: number;
  readonly id: string;
  readonly version: number;
  readonly deleted: boolean;
}

export interface PolicyItem extends Key {
  readonly policy: CreditPolicy;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface CreditRequestItem extends Key {
  readonly request: CreditRequest;
  readonly status: CreditRequestStatus;
}

/** A response kept for an `Idempotency-Key`. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The request it answered (`requestFingerprint`): a key replays only for the same one. */
  readonly fingerprint?: string;
}

export interface IdempotencyItem extends Key {
  /** Absent while the first request with the key is still running. */
  readonly response?: StoredResponse;
  /** Epoch seconds: the table's TTL attribute. */
  readonly expiresAt: number;
}

/** The record the API returns for a stored (not deleted) customer. */
export function recordOf(item: CustomerItem): CustomerRecord {
  return {
    ...item.data,
    id: item.id,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    updatedBy: item.updatedBy,
  };
}
