/**
 * The ports of a handler, in the API's own terms: the store (what the handlers need from
 * persistence) and the clock and id source. The DynamoDB adapter (`dynamoStore.ts`)
 * implements `Store`; no handler sees a DynamoDB type.
 */
import type { FieldChange } from "../../core/record.ts";
import type { CreditRequest, CreditRequestStatus } from "../../core/schema.ts";
import type { FeedCursor } from "./feed.ts";
import type { AuditItem, CustomerItem, FeedItem, PolicyItem, StoredResponse } from "./items.ts";

/** The answer to a claim on an idempotency key (see {@link Store.claimIdempotencyKey}). */
export type IdempotencyClaim =
  | { readonly claimed: true }
  | {
      readonly claimed: false;
      readonly response: StoredResponse | undefined;
      /** Epoch seconds when the holder's lease (or the kept response) runs out. */
      readonly expiresAt: number;
    };

/** One customer change: the new item (a tombstone for a delete) and the version it replaces. */
export interface CustomerWrite {
  readonly item: CustomerItem;
  /** The stored version this write replaces; 0 = the record must not exist yet. */
  readonly expectedVersion: number;
  readonly changes: readonly FieldChange[];
}

/**
 * A credit request stored with a commit: `create` a new one (it must not exist yet), or
 * `decide` a pending one (it must still be pending).
 */
export interface CreditRequestChange {
  readonly kind: "create" | "decide";
  readonly request: CreditRequest;
}

/** The outcome of one customer write: committed, or refused because the version moved. */
export type WriteOutcome =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly current: CustomerItem | undefined };

export interface CommitResult {
  readonly writes: WriteOutcome[];
  /** True when a credit request change's condition failed: nothing was written. */
  readonly extrasFailed: boolean;
}

/** Which audit entries one page of a history holds. */
export interface HistoryPage {
  /** Entries older than this version only (the previous page's last); all when absent. */
  readonly beforeVersion?: number | undefined;
  /** At most this many entries (versions). */
  readonly limit: number;
  /** The page ends before the first entry this refuses (the reply's byte budget). */
  readonly fits: (entry: AuditItem) => boolean;
}

/** What one page of a team's credit requests reads (newest first, by id). */
export interface CreditRequestPage {
  /** Requests older than this one only (the previous page's last); from the newest when absent. */
  readonly beforeId?: string | undefined;
  /** Those with this status only; all when absent. */
  readonly status?: CreditRequestStatus | undefined;
  /** At most this many requests. */
  readonly limit: number;
  /** The page ends before the first request this refuses (the reply's byte budget). */
  readonly fits: (request: CreditRequest) => boolean;
}

/** The store port: what the handlers need from persistence. */
export interface Store {
  getCustomer(team: string, id: string): Promise<CustomerItem | undefined>;
  getCustomers(team: string, ids: readonly string[]): Promise<Map<string, CustomerItem>>;
  /**
   * Up to `limit` live customers after `afterId`, in id order; the page ends early before
   * the first item `fits` refuses (the reply's byte budget). `more`: a next page may follow.
   */
  listCustomers(
    team: string,
    limit: number,
    afterId: string | undefined,
    fits?: (item: CustomerItem) => boolean,
  ): Promise<{ items: CustomerItem[]; more: boolean }>;
  allCustomers(team: string): Promise<CustomerItem[]>;
  /**
   * Commits writes (and credit request changes) atomically per transaction; retries end by
   * `deadlineMs`. `extrasFailed` when a request change's condition failed (already decided).
   */
  commit(
    team: string,
    writes: readonly CustomerWrite[],
    requestChanges?: readonly CreditRequestChange[],
    deadlineMs?: number,
  ): Promise<CommitResult>;
  /** One page of a customer's audit entries, newest first; `more`: older ones may follow. */
  history(
    team: string,
    id: string,
    page: HistoryPage,
  ): Promise<{ items: AuditItem[]; more: boolean }>;
  /** The cursor of a reader starting at `nowMs`: everything committed later lies ahead. */
  openFeed(team: string, nowMs: number): Promise<FeedCursor>;
  /** Up to `limit` new changes after `cursor` (plus any that arrived late) and the next cursor. */
  changes(
    team: string,
    cursor: FeedCursor,
    nowMs: number,
    limit: number,
  ): Promise<{ changes: FeedItem[]; cursor: FeedCursor }>;
  getPolicy(team: string): Promise<PolicyItem | undefined>;
  putPolicy(
    item: PolicyItem,
    expectedVersion: number,
  ): Promise<{ ok: true } | { ok: false; current: PolicyItem | undefined }>;
  getCreditRequest(team: string, id: string): Promise<CreditRequest | undefined>;
  /** One page of a team's credit requests, newest first; `more`: older ones may follow. */
  creditRequests(
    team: string,
    page: CreditRequestPage,
  ): Promise<{ items: CreditRequest[]; more: boolean }>;
  putCreditRequest(team: string, request: CreditRequest): Promise<void>;
  /**
   * Claims an idempotency key for `holdSeconds` (a lease); when it is taken, answers the
   * stored response, or undefined while the first request is still running, and when the
   * key's claim or response expires (epoch seconds).
   */
  claimIdempotencyKey(
    team: string,
    user: string,
    key: string,
    nowSeconds: number,
    holdSeconds: number,
  ): Promise<IdempotencyClaim>;
  /** Keeps the response under a claimed key until `expiresAt` (epoch seconds; now = released). */
  putIdempotent(
    team: string,
    user: string,
    key: string,
    response: StoredResponse | undefined,
    expiresAt: number,
  ): Promise<void>;
  /** Extends a running request's lease on its key to `expiresAt` (epoch seconds). */
  renewIdempotencyClaim(team: string, user: string, key: string, expiresAt: number): Promise<void>;
}

/** What a handler needs from outside, passed in (real ones from the environment by default). */
export interface Deps {
  readonly store: Store;
  readonly now: () => Date;
  /** A new credit request's id; ids made later sort after earlier ones (UUIDv7). */
  readonly newId: () => string;
}
