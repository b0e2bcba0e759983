/**
 * The DynamoDB adapter of the store port: sends what `commands.ts` builds, and owns the
 * few loops DynamoDB needs (pagination, unprocessed keys, the commit retry). Nothing about
 * the API's rules lives here.
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { CreditRequest } from "../../core/schema.ts";
import {
  batchGetCustomers,
  claimIdempotencyKey,
  commitTransaction,
  creditRequestsQuery,
  decideCreditRequest,
  entriesOf,
  feedQuery,
  getItem,
  historyQuery,
  ITEMS_PER_WRITE,
  listCustomersQuery,
  putFeedEntry,
  putIdempotentResponse,
  putNew,
  putPolicy,
  renewIdempotencyClaim,
  type TransactItem,
} from "./commands.ts";
import {
  ATTEMPT_TIMEOUT_MS,
  type FeedCursor,
  justAfter,
  lateRange,
  MAX_SEND_DELAY_MS,
  nextFeedPage,
  openingCursor,
} from "./feed.ts";
import {
  type AuditItem,
  type CreditRequestItem,
  type CustomerItem,
  creditKey,
  customerKey,
  FEED_END,
  type FeedItem,
  type IdempotencyItem,
  idempotencyKey,
  POLICY_KEY,
  type PolicyItem,
  type StoredResponse,
  teamKey,
} from "./items.ts";
import type {
  CommitResult,
  CreditRequestChange,
  CreditRequestPage,
  CustomerWrite,
  HistoryPage,
  IdempotencyClaim,
  Store,
  WriteOutcome,
} from "./port.ts";
import {
  type Backoff,
  backoffDelay,
  defaultBackoff,
  failureKind,
  RETRYABLE_REASONS,
  RetriesExhausted,
  RetryBudget,
  withRetries,
} from "./retry.ts";

/** BatchGetItem calls in flight for one request. */
const READS_IN_FLIGHT = 4;

/** A read is abandoned after this long (and retried): a hung connection never hangs a request. */
const READ_TIMEOUT_MS = 10_000;

/** Whether the stored item is the very write `item` (its earlier attempt did commit). */
function isSameWrite(stored: CustomerItem | undefined, item: CustomerItem): boolean {
  return (
    stored !== undefined &&
    stored.version === item.version &&
    stored.updatedAt === item.updatedAt &&
    stored.updatedBy === item.updatedBy &&
    (stored.deleted === true) === (item.deleted === true)
  );
}

/** The store on one DynamoDB table, e.g. `new DynamoStore(documentClient, "crm")`. */
export class DynamoStore implements Store {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly backoff: Backoff = defaultBackoff,
  ) {}

  /** Sends a call that is safe to repeat, retried within the backoff's budget. */
  private send<T>(fn: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    return withRetries(
      () => fn({ abortSignal: AbortSignal.timeout(READ_TIMEOUT_MS) }),
      this.backoff,
    );
  }

  async getCustomer(team: string, id: string): Promise<CustomerItem | undefined> {
    const out = await this.send((o) =>
      this.client.send(new GetCommand(getItem(this.table, team, customerKey(id))), o),
    );
    return out.Item as CustomerItem | undefined;
  }

  async getCustomers(team: string, ids: readonly string[]): Promise<Map<string, CustomerItem>> {
    const found = new Map<string, CustomerItem>();
    const unique = [...new Set(ids)];
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += 100) {
      chunks.push(unique.slice(start, start + 100));
    }
    // Reads do not contend: up to READS_IN_FLIGHT batches of 100 at once.
    const worker = async () => {
      for (let chunk = chunks.shift(); chunk !== undefined; chunk = chunks.shift()) {
        for (const item of await this.batchGet(team, chunk)) found.set(item.id, item);
      }
    };
    await Promise.all(Array.from({ length: READS_IN_FLIGHT }, worker));
    return found;
  }

  /** One BatchGetItem of up to 100 ids, retrying unprocessed keys with backoff. */
  private async batchGet(team: string, ids: readonly string[]): Promise<CustomerItem[]> {
    const items: CustomerItem[] = [];
    let input = batchGetCustomers(this.table, team, ids);
    for (let attempt = 0; ; attempt++) {
      const out = await this.send((o) => this.client.send(new BatchGetCommand(input), o));
      items.push(...((out.Responses?.[this.table] ?? []) as CustomerItem[]));
      const unprocessed = out.UnprocessedKeys?.[this.table];
      if (!unprocessed?.Keys?.length) return items;
      if (attempt + 1 >= this.backoff.attempts) {
        throw new RetriesExhausted("BatchGetItem left keys unprocessed");
      }
      await this.backoff.sleep(backoffDelay(attempt, this.backoff));
      input = { RequestItems: { [this.table]: unprocessed } };
    }
  }

  async listCustomers(
    team: string,
    limit: number,
    afterId: string | undefined,
    fits: (item: CustomerItem) => boolean = () => true,
  ): Promise<{ items: CustomerItem[]; more: boolean }> {
    return this.queryPage(
      (left, start) => listCustomersQuery(this.table, team, left, start ?? afterId),
      limit,
      (item: CustomerItem) => item,
      fits,
    );
  }

  /**
   * One page of a query: its items in key order until `limit`, or until `fits` refuses one
   * (`more` then says what may follow). A filter applies after DynamoDB's Limit (tombstones,
   * a status), so a page may need several queries; each starts where the last one stopped.
   */
  private async queryPage<Item, T>(
    query: (left: number, start: Record<string, unknown> | undefined) => QueryCommandInput,
    limit: number,
    read: (item: Item) => T,
    fits: (value: T) => boolean,
  ): Promise<{ items: T[]; more: boolean }> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    for (;;) {
      const input = query(limit - items.length, start);
      const out = await this.send((o) => this.client.send(new QueryCommand(input), o));
      for (const item of (out.Items ?? []) as Item[]) {
        const value = read(item);
        if (!fits(value)) return { items, more: true };
        items.push(value);
      }
      start = out.LastEvaluatedKey;
      if (start === undefined) return { items, more: false };
      if (items.length >= limit) return { items, more: true };
    }
  }

  async allCustomers(team: string): Promise<CustomerItem[]> {
    const all: CustomerItem[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.listCustomers(team, 1000, after);
      all.push(...page.items);
      const last = page.items[page.items.length - 1];
      if (!page.more || last === undefined) return all;
      after = last.id;
    }
  }

  /**
   * Commits writes in one transaction under a fresh commit time per attempt (never one older
   * than MAX_SEND_DELAY_MS, each attempt aborted after ATTEMPT_TIMEOUT_MS: the feed window's
   * bound). A write whose version moved is taken out (its outcome is the stored item) and the
   * rest retried; throttling and lost answers back off with full jitter until `deadlineMs`.
   * After a lost answer, a write found stored as sent was committed by that attempt: it
   * counts as done, and its feed entry is written again under a fresh time, so a reader that
   * passed the first one's time cannot have missed it.
   */
  async commit(
    team: string,
    writes: readonly CustomerWrite[],
    requestChanges: readonly CreditRequestChange[] = [],
    deadlineMs?: number,
  ): Promise<CommitResult> {
    const extras = requestChanges.map((change) => this.requestItem(team, change));
    if (writes.length === 0) return this.commitExtras(extras);
    const outcomes: (WriteOutcome | undefined)[] = writes.map(() => undefined);
    const budget = new RetryBudget(this.backoff, deadlineMs);
    let pending = writes.map((_, i) => i);
    let answerLost = false;
    const done = (i: number) => ({
      ok: true as const,
      version: (writes[i] as CustomerWrite).item.version,
    });
    while (pending.length > 0) {
      const batch = pending.map((i) => writes[i] as CustomerWrite);
      const committedAt = this.backoff.now();
      const input = commitTransaction(this.table, team, batch, committedAt, extras);
      // Never send a commit time older than the bound (a stalled event loop): take a fresh one.
      if (this.backoff.now() - committedAt > MAX_SEND_DELAY_MS) continue;
      try {
        await this.client.send(new TransactWriteCommand(input), {
          abortSignal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        for (const i of pending) outcomes[i] = done(i);
        break;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) {
          answerLost ||= failureKind(error) === "unknown";
          await budget.wait(error);
          continue;
        }
        const reasons = error.CancellationReasons ?? [];
        const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
        const conflicted = pending.filter((_, j) => failed(ITEMS_PER_WRITE * j));
        const ours: number[] = [];
        for (const i of conflicted) {
          const write = writes[i] as CustomerWrite;
          const current = await this.getCustomer(team, write.item.id);
          if (answerLost && isSameWrite(current, write.item)) ours.push(i);
          else outcomes[i] = { ok: false, current };
        }
        await this.announceAgain(
          team,
          ours.map((i) => writes[i] as CustomerWrite),
        );
        for (const i of ours) outcomes[i] = done(i);
        const extrasStart = ITEMS_PER_WRITE * batch.length;
        if (extras.some((_, k) => failed(extrasStart + k))) {
          // An earlier attempt that did commit also decided the extras: then all is done.
          const allOurs = answerLost && ours.length === pending.length;
          for (const i of pending)
            outcomes[i] ??= allOurs ? done(i) : { ok: false, current: undefined };
          return { writes: outcomes as WriteOutcome[], extrasFailed: !allOurs };
        }
        if (conflicted.length > 0) {
          pending = pending.filter((i) => !conflicted.includes(i));
        } else if (reasons.some((r) => r.Code !== undefined && RETRYABLE_REASONS.has(r.Code))) {
          await budget.wait(error, "busy");
        } else {
          throw error;
        }
      }
    }
    return {
      writes: outcomes.map((o) => o ?? { ok: false, current: undefined }),
      extrasFailed: false,
    };
  }

  /** Writes the feed entries of committed writes again under a fresh time. */
  private async announceAgain(team: string, writes: readonly CustomerWrite[]): Promise<void> {
    for (const write of writes) {
      const { feed } = entriesOf(team, write, this.backoff.now());
      await this.send((o) => this.client.send(new PutCommand(putFeedEntry(this.table, feed)), o));
    }
  }

  /** Extras alone (e.g. rejecting a request): no customer write, no feed entry. */
  private async commitExtras(extras: readonly TransactItem[]): Promise<CommitResult> {
    if (extras.length === 0) return { writes: [], extrasFailed: false };
    try {
      await this.send((o) =>
        this.client.send(new TransactWriteCommand({ TransactItems: [...extras] }), o),
      );
      return { writes: [], extrasFailed: false };
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const failed = (error.CancellationReasons ?? []).some(
          (r) => r.Code === "ConditionalCheckFailed",
        );
        if (failed) return { writes: [], extrasFailed: true };
      }
      throw error;
    }
  }

  async history(
    team: string,
    id: string,
    page: HistoryPage,
  ): Promise<{ items: AuditItem[]; more: boolean }> {
    return this.queryPage(
      (left, start) => historyQuery(this.table, team, id, left, start ?? page.beforeVersion),
      page.limit,
      (item: AuditItem) => item,
      page.fits,
    );
  }

  async openFeed(team: string, nowMs: number): Promise<FeedCursor> {
    return (await this.changes(team, openingCursor(nowMs), nowMs, 1000)).cursor;
  }

  async changes(
    team: string,
    cursor: FeedCursor,
    nowMs: number,
    limit: number,
  ): Promise<{ changes: FeedItem[]; cursor: FeedCursor }> {
    const range = lateRange(cursor);
    const late = range === undefined ? [] : await this.feedRange(team, range, undefined);
    const fresh = await this.feedRange(
      team,
      { from: justAfter(cursor.after), to: FEED_END },
      limit,
    );
    return nextFeedPage(cursor, nowMs, late, fresh);
  }

  /** Feed entries in a key range: up to `limit`, or all of them (following pages). */
  private async feedRange(
    team: string,
    range: { from: string; to: string },
    limit: number | undefined,
  ): Promise<FeedItem[]> {
    const items: FeedItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const left = limit === undefined ? undefined : limit - items.length;
      const input = feedQuery(this.table, team, range, left, start);
      const out = await this.send((o) => this.client.send(new QueryCommand(input), o));
      items.push(...((out.Items ?? []) as FeedItem[]));
      start = out.LastEvaluatedKey;
    } while (start !== undefined && (limit === undefined || items.length < limit));
    return items;
  }

  async getPolicy(team: string): Promise<PolicyItem | undefined> {
    const out = await this.send((o) =>
      this.client.send(new GetCommand(getItem(this.table, team, POLICY_KEY)), o),
    );
    return out.Item as PolicyItem | undefined;
  }

  async putPolicy(
    item: PolicyItem,
    expectedVersion: number,
  ): Promise<{ ok: true } | { ok: false; current: PolicyItem | undefined }> {
    try {
      await this.send((o) =>
        this.client.send(new PutCommand(putPolicy(this.table, item, expectedVersion)), o),
      );
      return { ok: true };
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") {
        return { ok: false, current: await this.getPolicy(item.pk.slice(teamKey("").length)) };
      }
      throw error;
    }
  }

  async getCreditRequest(team: string, id: string): Promise<CreditRequest | undefined> {
    const out = await this.send((o) =>
      this.client.send(new GetCommand(getItem(this.table, team, creditKey(id))), o),
    );
    return (out.Item as CreditRequestItem | undefined)?.request;
  }

  async creditRequests(
    team: string,
    page: CreditRequestPage,
  ): Promise<{ items: CreditRequest[]; more: boolean }> {
    return this.queryPage(
      (left, start) =>
        creditRequestsQuery(this.table, team, left, page.status, start ?? page.beforeId),
      page.limit,
      ({ request }: CreditRequestItem) => request,
      page.fits,
    );
  }

  async putCreditRequest(team: string, request: CreditRequest): Promise<void> {
    const item: CreditRequestItem = {
      pk: teamKey(team),
      sk: creditKey(request.id),
      request,
      status: request.status,
    };
    await this.send((o) => this.client.send(new PutCommand(putNew(this.table, { ...item })), o));
  }

  /** The transaction item of a credit request change (for `commit`). */
  private requestItem(team: string, { kind, request }: CreditRequestChange): TransactItem {
    return kind === "create"
      ? this.newRequestItem(team, request)
      : this.decisionItem(team, request);
  }

  private newRequestItem(team: string, request: CreditRequest): TransactItem {
    const item: CreditRequestItem = {
      pk: teamKey(team),
      sk: creditKey(request.id),
      request,
      status: request.status,
    };
    const put = putNew(this.table, { ...item });
    return { Put: { ...put, TableName: this.table, Item: { ...item } } };
  }

  private decisionItem(team: string, request: CreditRequest): TransactItem {
    return decideCreditRequest(
      this.table,
      { pk: teamKey(team), sk: creditKey(request.id) },
      { ...request },
    );
  }

  async claimIdempotencyKey(
    team: string,
    user: string,
    key: string,
    nowSeconds: number,
    holdSeconds: number,
  ): Promise<IdempotencyClaim> {
    const claim: IdempotencyItem = {
      pk: teamKey(team),
      sk: idempotencyKey(user, key),
      expiresAt: nowSeconds + holdSeconds,
    };
    try {
      await this.send((o) =>
        this.client.send(new PutCommand(claimIdempotencyKey(this.table, claim, nowSeconds)), o),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) {
        throw error;
      }
    }
    const out = await this.send((o) =>
      this.client.send(new GetCommand(getItem(this.table, team, claim.sk)), o),
    );
    const item = out.Item as IdempotencyItem | undefined;
    // Expiry is checked here too: DynamoDB deletes expired items late, and Local never does.
    const live = item !== undefined && item.expiresAt > nowSeconds;
    return live
      ? { claimed: false, response: item.response, expiresAt: item.expiresAt }
      : { claimed: false, response: undefined, expiresAt: nowSeconds };
  }

  async putIdempotent(
    team: string,
    user: string,
    key: string,
    response: StoredResponse | undefined,
    expiresAt: number,
  ): Promise<void> {
    const item: IdempotencyItem = {
      pk: teamKey(team),
      sk: idempotencyKey(user, key),
      expiresAt,
      ...(response === undefined ? {} : { response }),
    };
    await this.send((o) =>
      this.client.send(new PutCommand(putIdempotentResponse(this.table, item)), o),
    );
  }

  async renewIdempotencyClaim(
    team: string,
    user: string,
    key: string,
    expiresAt: number,
  ): Promise<void> {
    const input = renewIdempotencyClaim(
      this.table,
      { pk: teamKey(team), sk: idempotencyKey(user, key) },
      expiresAt,
    );
    await this.send((o) => this.client.send(new UpdateCommand(input), o));
  }
}
