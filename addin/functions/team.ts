/**
 * The team functions' view of the shared records: lookups made within one calculation are
 * collected and sent as `batch-get` requests of at most 100 ids; results are cached for the
 * session and kept fresh by one poll loop over the change feed, which also wakes the
 * `CRM.LIVE` cells and reloads the team's credit policy while credit cells are open.
 * Failures are never cached, so the next calculation retries.
 */

import type { HistoryEntry } from "../../core/apiSchema.ts";
import type { CellError } from "../../core/cells.ts";
import { apiFailed, apiUnreachable, errors } from "../../core/errors.ts";
import type { CustomerRecord } from "../../core/schema.ts";
import { ApiRequestError, messageOf } from "../api.ts";
import type { Session } from "../session.ts";
import type { TeamPort } from "./teamPort.ts";

/** The most ids one `batch-get` takes (api.md). */
export const BATCH_LIMIT = 100;

export interface TeamOptions {
  readonly session: Session;
  /** Change-feed poll interval (formulas.md: 10 s by default). */
  readonly pollIntervalMs?: number;
  /** How long lookups are collected before they are sent (one calculation arrives in bursts). */
  readonly batchDelayMs?: number;
}

/** What the team data is doing, for the task pane and the tests. */
export interface TeamStats {
  readonly cachedRecords: number;
  readonly watchedCells: number;
  readonly policyCells: number;
  readonly polling: boolean;
  readonly cursor: string | null;
}

/** The cell error for a failed request: unreachable, signed out, or refused with a reason. */
export function requestError(error: unknown): CellError {
  if (error instanceof ApiRequestError) {
    if (error.status === 0) return apiUnreachable(error.message);
    if (error.status === 401) return errors.signIn;
    return apiFailed(error.message);
  }
  return apiUnreachable(messageOf(error));
}

type RecordResult = CustomerRecord | null | CellError;

function identityOf(session: Session): string | null {
  const s = session.get();
  return s === null ? null : `${s.user}\u0000${s.team}\u0000${session.apiBase()}`;
}

/** The shared records behind CRM.CUSTOMER, CUSTOMERS, LIVE, CREDITCHECK and HISTORY. */
export class TeamData implements TeamPort {
  readonly #session: Session;
  #pollIntervalMs: number;
  readonly #batchDelayMs: number;

  // Cache: a record, or null for "no such customer". Dropped on a change of user or team.
  readonly #records = new Map<string, CustomerRecord | null>();
  readonly #inflight = new Map<string, Promise<RecordResult>>();
  #pending = new Map<string, (result: RecordResult) => void>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #list: Promise<readonly CustomerRecord[] | CellError> | null = null;
  readonly #history = new Map<string, Promise<readonly HistoryEntry[] | null | CellError>>();
  readonly #watchers = new Map<string, Set<() => void>>();
  #policyCells = 0;

  #identity: string | null = null;
  // Bumped on every reset: answers to requests of an older session are not cached.
  #generation = 0;
  #cursor: string | null = null;
  /** The highest version the feed reported per id: a change the feed sends again is skipped. */
  readonly #feedVersions = new Map<string, number>();
  #cursorReady: Promise<void> = Promise.resolve();
  #pollTimer: ReturnType<typeof setTimeout> | null = null;
  #polling = false;
  #readFailed = false;

  constructor(opts: TeamOptions) {
    this.#session = opts.session;
    this.#pollIntervalMs = opts.pollIntervalMs ?? 10_000;
    this.#batchDelayMs = opts.batchDelayMs ?? 5;
    this.#session.subscribe(() => this.#onSession());
    this.#onSession();
  }

  /** Change the poll interval (tests, or a pane setting); takes effect from the next tick. */
  setPollInterval(ms: number): void {
    this.#pollIntervalMs = ms;
    if (this.#pollTimer !== null) {
      clearTimeout(this.#pollTimer);
      this.#pollTimer = null;
      this.#schedulePoll();
    }
  }

  stats(): TeamStats {
    let watched = 0;
    for (const set of this.#watchers.values()) watched += set.size;
    return {
      cachedRecords: this.#records.size,
      watchedCells: watched,
      policyCells: this.#policyCells,
      polling: this.#pollTimer !== null || this.#polling,
      cursor: this.#cursor,
    };
  }

  customer(id: string): Promise<RecordResult> {
    if (this.#session.get() === null) return Promise.resolve(errors.signIn);
    const cached = this.#records.get(id);
    if (cached !== undefined) return Promise.resolve(cached);
    const inflight = this.#inflight.get(id);
    if (inflight) return inflight;
    const promise = new Promise<RecordResult>((resolve) => this.#pending.set(id, resolve));
    this.#inflight.set(id, promise);
    this.#flushTimer ??= setTimeout(() => void this.#flush(), this.#batchDelayMs);
    return promise;
  }

  customers(): Promise<readonly CustomerRecord[] | CellError> {
    if (this.#session.get() === null) return Promise.resolve(errors.signIn);
    if (this.#list) return this.#list;
    const generation = this.#generation;
    let list: Promise<readonly CustomerRecord[] | CellError> | null = null;
    list = (async () => {
      await this.#cursorReady;
      try {
        const items = await this.#session.api().listAllCustomers();
        if (generation === this.#generation) for (const r of items) this.#records.set(r.id, r);
        this.#schedulePoll();
        return items;
      } catch (error) {
        this.#readFailed = true;
        if (this.#list === list) this.#list = null;
        return requestError(error);
      }
    })();
    this.#list = list;
    return list;
  }

  history(id: string, field: string | null): Promise<readonly HistoryEntry[] | null | CellError> {
    if (this.#session.get() === null) return Promise.resolve(errors.signIn);
    const key = `${id}\u0000${field ?? ""}`;
    const cached = this.#history.get(key);
    if (cached) return cached;
    const generation = this.#generation;
    let entries: Promise<readonly HistoryEntry[] | null | CellError> | null = null;
    entries = (async () => {
      await this.#cursorReady;
      try {
        const list = await this.#session.api().history(id, field);
        this.#schedulePoll();
        return list;
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 404) return null;
        this.#readFailed = true;
        if (generation === this.#generation && this.#history.get(key) === entries)
          this.#history.delete(key);
        return requestError(error);
      }
    })();
    this.#history.set(key, entries);
    return entries;
  }

  watch(id: string, onChange: () => void): () => void {
    let set = this.#watchers.get(id);
    if (!set) {
      set = new Set();
      this.#watchers.set(id, set);
    }
    // A wrapper per call, so the same callback watched twice is two cells.
    const cell = () => onChange();
    set.add(cell);
    this.#schedulePoll();
    return () => {
      const current = this.#watchers.get(id);
      current?.delete(cell);
      if (current?.size === 0) this.#watchers.delete(id);
    };
  }

  /** A credit cell is open: reload the team policy on every poll tick until it closes. */
  trackPolicy(): () => void {
    this.#policyCells++;
    this.#schedulePoll();
    let open = true;
    return () => {
      if (open) this.#policyCells--;
      open = false;
    };
  }

  /** One poll of the change feed now (tests, and the pane's "refresh"). */
  async pollNow(): Promise<void> {
    await this.#poll();
  }

  // ---- internals ----

  #onSession(): void {
    const identity = identityOf(this.#session);
    if (identity === this.#identity) return;
    this.#identity = identity;
    this.#generation++;
    this.#records.clear();
    this.#inflight.clear();
    for (const resolve of this.#pending.values()) resolve(errors.signIn);
    this.#pending.clear();
    this.#list = null;
    this.#history.clear();
    this.#cursor = null;
    this.#feedVersions.clear();
    if (this.#pollTimer !== null) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
    if (identity === null) {
      this.#cursorReady = Promise.resolve();
      this.#notifyAll();
      return;
    }
    // Open the change feed before the first read, so no change after a read can be missed.
    this.#cursorReady = this.#openFeed(this.#generation);
    void this.#loadPolicy();
    this.#notifyAll();
  }

  async #openFeed(generation: number): Promise<void> {
    try {
      const { cursor } = await this.#session.api().changes();
      if (generation === this.#generation) this.#cursor = cursor;
    } catch {
      // The first poll tick tries again (and then drops what was read meanwhile).
    }
  }

  async #loadPolicy(): Promise<void> {
    const generation = this.#generation;
    try {
      const { policy, version } = await this.#session.api().getPolicy();
      const current = this.#session.policy();
      if (generation !== this.#generation) return;
      if (current.source !== "team" || current.version !== version) {
        this.#session.setPolicy(policy, version);
      }
    } catch {
      // Offline or signed out: the credit functions keep the policy they have.
    }
  }

  async #flush(): Promise<void> {
    this.#flushTimer = null;
    const batch = this.#pending;
    this.#pending = new Map();
    const generation = this.#generation;
    await this.#cursorReady;
    const ids = [...batch.keys()];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH_LIMIT) chunks.push(ids.slice(i, i + BATCH_LIMIT));
    await Promise.all(chunks.map((chunk) => this.#fetchChunk(chunk, batch, generation)));
  }

  async #fetchChunk(
    ids: readonly string[],
    batch: Map<string, (r: RecordResult) => void>,
    generation: number,
  ): Promise<void> {
    const settle = (id: string, result: RecordResult) => {
      if (generation === this.#generation) this.#inflight.delete(id);
      batch.get(id)?.(result);
    };
    try {
      const { items } = await this.#session.api().batchGet(ids);
      const found = new Map(items.map((r) => [r.id, r]));
      const current = generation === this.#generation;
      for (const id of ids) {
        const record = found.get(id) ?? null;
        if (current) this.#records.set(id, record);
        settle(id, record);
      }
      this.#schedulePoll();
    } catch (error) {
      this.#readFailed = true;
      const cellError = requestError(error);
      for (const id of ids) settle(id, cellError);
    }
  }

  #hasWork(): boolean {
    return (
      this.#records.size > 0 ||
      this.#list !== null ||
      this.#history.size > 0 ||
      this.#watchers.size > 0 ||
      this.#policyCells > 0
    );
  }

  #schedulePoll(): void {
    if (this.#pollTimer !== null || this.#polling || this.#identity === null || !this.#hasWork())
      return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = null;
      void this.#poll().finally(() => this.#schedulePoll());
    }, this.#pollIntervalMs);
  }

  async #poll(): Promise<void> {
    if (this.#identity === null || this.#polling) return;
    this.#polling = true;
    try {
      await this.#pollOnce();
    } finally {
      this.#polling = false;
    }
  }

  async #pollOnce(): Promise<void> {
    const generation = this.#generation;
    const api = this.#session.api();
    if (this.#policyCells > 0) await this.#loadPolicy();
    if (this.#cursor === null) {
      await this.#openFeed(generation);
      if (this.#cursor === null || generation !== this.#generation) return;
      // Reads made while the feed was closed may have missed changes: read them again.
      this.#dropCache();
      this.#notifyAll();
      return;
    }
    let result: Awaited<ReturnType<typeof api.changes>>;
    try {
      result = await api.changes(this.#cursor);
    } catch (error) {
      // A cursor the API no longer takes (e.g. from before an upgrade): open the feed again.
      if (error instanceof ApiRequestError && error.status === 400) this.#cursor = null;
      return;
    }
    if (generation !== this.#generation) return;
    this.#cursor = result.cursor;
    const changed = new Set<string>();
    for (const change of result.changes) {
      // The feed may send a change twice (api.md): one per (id, version) counts.
      if (change.version <= (this.#feedVersions.get(change.id) ?? 0)) continue;
      this.#feedVersions.set(change.id, change.version);
      const cached = this.#records.get(change.id);
      const stale =
        change.deleted ||
        cached === undefined ||
        cached === null ||
        change.version > cached.version;
      if (!stale) continue;
      if (change.deleted) this.#records.set(change.id, null);
      else this.#records.delete(change.id);
      changed.add(change.id);
    }
    if (changed.size > 0) {
      this.#list = null;
      for (const key of [...this.#history.keys()]) {
        if (changed.has(key.slice(0, key.indexOf("\u0000")))) this.#history.delete(key);
      }
    }
    if (this.#readFailed) {
      // The service answers again: cells that showed "cannot reach" read once more.
      this.#readFailed = false;
      this.#notifyAll();
      return;
    }
    for (const id of changed) this.#notify(id);
  }

  #dropCache(): void {
    this.#records.clear();
    this.#list = null;
    this.#history.clear();
  }

  #notify(id: string): void {
    for (const fn of [...(this.#watchers.get(id) ?? [])]) fn();
  }

  #notifyAll(): void {
    for (const id of [...this.#watchers.keys()]) this.#notify(id);
  }
}
