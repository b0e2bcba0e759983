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
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  batchGetCustomers,
  type CustomerWrite,
  changesQuery,
  claimIdempotencyKey,
  commitTransaction,
  creditRequestsQuery,
  decideCreditRequest,
  getItem,
  historyQuery,
  ITEMS_PER_WRITE,
  listCustomersQuery,
  putIdempotentResponse,
  putNew,
  putPolicy,
  type TransactItem,
} from "./commands.ts";
import {
  type AuditItem,
  COUNTER_KEY,
  type CreditRequest,
  type CreditRequestItem,
  type CustomerItem,
  creditKey,
  customerKey,
  type FeedItem,
  type IdempotencyItem,
  idempotencyKey,
  POLICY_KEY,
  type PolicyItem,
  type StoredResponse,
  teamKey,
} from "./items.ts";
import {
  type Backoff,
  backoffDelay,
  defaultBackoff,
  isRetryable,
  RETRYABLE_REASONS,
  RetriesExhausted,
  withRetries,
} from "./retry.ts";

/** The outcome of one customer write: committed, or refused because the version moved. */
export type WriteOutcome =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly current: CustomerItem | undefined };

export interface CommitResult {
  readonly writes: WriteOutcome[];
  /** True when an extra item's condition failed: nothing was written. */
  readonly extrasFailed: boolean;
}

/** The store port: what the handlers need from persistence. */
export interface Store {
  getCustomer(team: string, id: string): Promise<CustomerItem | undefined>;
  getCustomers(team: string, ids: readonly string[]): Promise<Map<string, CustomerItem>>;
  listCustomers(
    team: string,
    limit: number,
    afterId: string | undefined,
  ): Promise<{ items: CustomerItem[]; more: boolean }>;
  allCustomers(team: string): Promise<CustomerItem[]>;
  commit(
    team: string,
    writes: readonly CustomerWrite[],
    extras?: readonly TransactItem[],
  ): Promise<CommitResult>;
  history(team: string, id: string): Promise<AuditItem[]>;
  currentSeq(team: string): Promise<number>;
  changes(team: string, since: number, limit: number): Promise<FeedItem[]>;
  getPolicy(team: string): Promise<PolicyItem | undefined>;
  putPolicy(
    item: PolicyItem,
    expectedVersion: number,
  ): Promise<{ ok: true } | { ok: false; current: PolicyItem | undefined }>;
  getCreditRequest(team: string, id: string): Promise<CreditRequest | undefined>;
  listCreditRequests(team: string): Promise<CreditRequest[]>;
  putCreditRequest(team: string, request: CreditRequest): Promise<void>;
  /** The transaction item that decides a pending request (for `commit`'s extras). */
  decisionItem(team: string, request: CreditRequest): TransactItem;
  /** The transaction item that stores a new request (for `commit`'s extras). */
  newRequestItem(team: string, request: CreditRequest): TransactItem;
  /**
   * Claims an idempotency key for `holdSeconds`; when it is taken, answers the stored
   * response, or undefined while the first request is still running.
   */
  claimIdempotencyKey(
    team: string,
    user: string,
    key: string,
    nowSeconds: number,
    holdSeconds: number,
  ): Promise<{ claimed: true } | { claimed: false; response: StoredResponse | undefined }>;
  /** Keeps the response under a claimed key until `expiresAt` (epoch seconds; now = released). */
  putIdempotent(
    team: string,
    user: string,
    key: string,
    response: StoredResponse | undefined,
    expiresAt: number,
  ): Promise<void>;
}

/** How many times a commit retries after losing the race for the team's sequence number. */
const MAX_SEQUENCE_RACES = 200;

/** BatchGetItem calls in flight for one request. */
const READS_IN_FLIGHT = 4;

/** The counter's value in a cancellation reason's raw item, when DynamoDB returned it. */
function seqOf(item: Record<string, { N?: string }> | undefined): number | undefined {
  const value = Number(item?.seq?.N);
  return Number.isInteger(value) ? value : undefined;
}

/** The store on one DynamoDB table, e.g. `new DynamoStore(documentClient, "crm")`. */
export class DynamoStore implements Store {
  /**
   * The last sequence number this instance committed per team: the next commit tries the
   * following one without reading the counter (a warm Lambda or the local gateway usually
   * guesses right; a wrong guess just loses the race once).
   */
  private readonly lastSeq = new Map<string, number>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly backoff: Backoff = defaultBackoff,
  ) {}

  private send<T>(fn: () => Promise<T>): Promise<T> {
    return withRetries(fn, isRetryable, this.backoff);
  }

  async getCustomer(team: string, id: string): Promise<CustomerItem | undefined> {
    const out = await this.send(() =>
      this.client.send(new GetCommand(getItem(this.table, team, customerKey(id)))),
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
      const out = await this.send(() => this.client.send(new BatchGetCommand(input)));
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
  ): Promise<{ items: CustomerItem[]; more: boolean }> {
    const items: CustomerItem[] = [];
    let after = afterId;
    // Tombstones are filtered after the limit is applied, so a page may need several queries.
    for (;;) {
      const input = listCustomersQuery(this.table, team, limit - items.length, after);
      const out = await this.send(() => this.client.send(new QueryCommand(input)));
      items.push(...((out.Items ?? []) as CustomerItem[]));
      const last = out.LastEvaluatedKey?.sk;
      if (typeof last !== "string") return { items, more: false };
      if (items.length >= limit) return { items, more: true };
      after = last.slice(customerKey("").length);
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
   * Commits writes in one transaction with the next sequence numbers. Losing the race for
   * the counter retries at once with the new value; a write whose version moved is taken
   * out (its outcome is the stored item) and the rest retried; throttling backs off.
   */
  async commit(
    team: string,
    writes: readonly CustomerWrite[],
    extras: readonly TransactItem[] = [],
  ): Promise<CommitResult> {
    if (writes.length === 0) return this.commitExtras(extras);
    const outcomes: (WriteOutcome | undefined)[] = writes.map(() => undefined);
    let pending = writes.map((_, i) => i);
    let races = 0;
    let busy = 0;
    let known = this.lastSeq.get(team);
    while (pending.length > 0) {
      const seq = known ?? (await this.currentSeq(team));
      known = undefined;
      const batch = pending.map((i) => writes[i] as CustomerWrite);
      const input = commitTransaction(this.table, team, seq, batch, extras);
      try {
        await this.client.send(new TransactWriteCommand(input));
        this.lastSeq.set(team, seq + batch.length);
        for (const i of pending)
          outcomes[i] = { ok: true, version: (writes[i] as CustomerWrite).item.version };
        break;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) {
          if (!isRetryable(error)) throw error;
          if (++busy >= this.backoff.attempts) throw new RetriesExhausted("busy", { cause: error });
          await this.backoff.sleep(backoffDelay(busy, this.backoff));
          continue;
        }
        const reasons = error.CancellationReasons ?? [];
        const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
        const extrasStart = 1 + ITEMS_PER_WRITE * batch.length;
        if (extras.some((_, k) => failed(extrasStart + k))) {
          return {
            writes: outcomes.map((o) => o ?? { ok: false, current: undefined }),
            extrasFailed: true,
          };
        }
        const conflicted = pending.filter((_, j) => failed(1 + ITEMS_PER_WRITE * j));
        for (const i of conflicted) {
          const write = writes[i] as CustomerWrite;
          outcomes[i] = { ok: false, current: await this.getCustomer(team, write.item.id) };
        }
        if (conflicted.length > 0) {
          pending = pending.filter((i) => !conflicted.includes(i));
        } else if (failed(0)) {
          // Another writer took the next sequence number first: retry with the counter's value.
          if (++races >= MAX_SEQUENCE_RACES) throw new RetriesExhausted("sequence contention");
          known = seqOf(reasons[0]?.Item);
          this.lastSeq.delete(team);
          if (races > 3) {
            await this.backoff.sleep(Math.floor(this.backoff.random() * Math.min(races, 20)));
          }
        } else if (reasons.some((r) => r.Code !== undefined && RETRYABLE_REASONS.has(r.Code))) {
          if (++busy >= this.backoff.attempts) throw new RetriesExhausted("busy", { cause: error });
          await this.backoff.sleep(backoffDelay(busy, this.backoff));
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

  /** Extras alone (e.g. rejecting a request): no sequence number is taken. */
  private async commitExtras(extras: readonly TransactItem[]): Promise<CommitResult> {
    if (extras.length === 0) return { writes: [], extrasFailed: false };
    try {
      await this.send(() =>
        this.client.send(new TransactWriteCommand({ TransactItems: [...extras] })),
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

  async history(team: string, id: string): Promise<AuditItem[]> {
    const items: AuditItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const input = historyQuery(this.table, team, id, start);
      const out = await this.send(() => this.client.send(new QueryCommand(input)));
      items.push(...((out.Items ?? []) as AuditItem[]));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async currentSeq(team: string): Promise<number> {
    const out = await this.send(() =>
      this.client.send(new GetCommand(getItem(this.table, team, COUNTER_KEY))),
    );
    const seq: unknown = out.Item?.seq;
    return typeof seq === "number" ? seq : 0;
  }

  /**
   * Feed entries after `since`, cut at the first gap: sequence numbers are gap-free once
   * committed, so a gap can only be a transaction not yet visible to this read, and
   * stopping there keeps the next read (from the returned cursor) from skipping it.
   */
  async changes(team: string, since: number, limit: number): Promise<FeedItem[]> {
    const input = changesQuery(this.table, team, since, limit);
    const out = await this.send(() => this.client.send(new QueryCommand(input)));
    const result: FeedItem[] = [];
    let expected = since + 1;
    for (const item of (out.Items ?? []) as FeedItem[]) {
      if (item.seq !== expected) break;
      result.push(item);
      expected++;
    }
    return result;
  }

  async getPolicy(team: string): Promise<PolicyItem | undefined> {
    const out = await this.send(() =>
      this.client.send(new GetCommand(getItem(this.table, team, POLICY_KEY))),
    );
    return out.Item as PolicyItem | undefined;
  }

  async putPolicy(
    item: PolicyItem,
    expectedVersion: number,
  ): Promise<{ ok: true } | { ok: false; current: PolicyItem | undefined }> {
    try {
      await this.send(() =>
        this.client.send(new PutCommand(putPolicy(this.table, item, expectedVersion))),
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
    const out = await this.send(() =>
      this.client.send(new GetCommand(getItem(this.table, team, creditKey(id)))),
    );
    return (out.Item as CreditRequestItem | undefined)?.request;
  }

  async listCreditRequests(team: string): Promise<CreditRequest[]> {
    const requests: CreditRequest[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const input = creditRequestsQuery(this.table, team, start);
      const out = await this.send(() => this.client.send(new QueryCommand(input)));
      requests.push(...((out.Items ?? []) as CreditRequestItem[]).map((i) => i.request));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return requests;
  }

  async putCreditRequest(team: string, request: CreditRequest): Promise<void> {
    const item: CreditRequestItem = {
      pk: teamKey(team),
      sk: creditKey(request.id),
      request,
      status: request.status,
    };
    await this.send(() => this.client.send(new PutCommand(putNew(this.table, { ...item }))));
  }

  newRequestItem(team: string, request: CreditRequest): TransactItem {
    const item: CreditRequestItem = {
      pk: teamKey(team),
      sk: creditKey(request.id),
      request,
      status: request.status,
    };
    const put = putNew(this.table, { ...item });
    return { Put: { ...put, TableName: this.table, Item: { ...item } } };
  }

  decisionItem(team: string, request: CreditRequest): TransactItem {
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
  ): Promise<{ claimed: true } | { claimed: false; response: StoredResponse | undefined }> {
    const claim: IdempotencyItem = {
      pk: teamKey(team),
      sk: idempotencyKey(user, key),
      expiresAt: nowSeconds + holdSeconds,
    };
    try {
      await this.send(() =>
        this.client.send(new PutCommand(claimIdempotencyKey(this.table, claim, nowSeconds))),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) {
        throw error;
      }
    }
    const out = await this.send(() =>
      this.client.send(new GetCommand(getItem(this.table, team, claim.sk))),
    );
    const item = out.Item as IdempotencyItem | undefined;
    // Expiry is checked here too: DynamoDB deletes expired items late, and Local never does.
    const live = item !== undefined && item.expiresAt > nowSeconds;
    return { claimed: false, response: live ? item.response : undefined };
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
    await this.send(() =>
      this.client.send(new PutCommand(putIdempotentResponse(this.table, item))),
    );
  }
}
