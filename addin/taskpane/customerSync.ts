/**
 * Pull and Push of the Customers table: clicks become core/sync calls plus workbook and API
 * calls. No DOM here, so the bench and the page share it. The snapshot (what the last pull or
 * push left on the server) is kept in memory and, when it fits, in the browser's storage, so a
 * reopened pane still knows what the user changed.
 */

import type { BatchWriteItem, BatchWriteResult, ItemError } from "../../core/apiSchema.ts";
import type { CustomerDraft } from "../../core/schema.ts";
import {
  batches,
  type Conflict,
  conflictOf,
  diffTable,
  editableFields,
  limitAsk,
  MESSAGE_HEADER,
  type PushItem,
  type RowProblem,
  recordsToTable,
  recordToRow,
  resolveConflict,
  type SnapshotEntry,
  snapshotFromJson,
  snapshotJson,
  snapshotOf,
  type TableData,
  TEXT_HEADERS,
  VERSION_HEADER,
} from "../../core/sync.ts";
import type { ApiClient } from "../api.ts";
import { ApiRequestError } from "../api.ts";
import type { TableCell, Workbook } from "../workbook/port.ts";

export const CUSTOMERS = "Customers";

/** A row the API refused, with its error code (`approval_required`, …) and message. */
export interface Refused {
  readonly id: string;
  readonly row: number;
  readonly status: "invalid" | "forbidden";
  readonly code: string;
  readonly message: string;
  /** The API's error, so the pane can say it again in another language. */
  readonly error: ItemError;
}

/** What became of the credit requests sent for rows whose limit needs a manager. */
export interface LimitRequests {
  readonly requested: number;
  readonly approvedAtOnce: number;
}

/** The outcome of a push. */
export interface PushReport {
  readonly sent: number;
  readonly saved: number;
  readonly total: number;
  readonly conflicts: readonly Conflict[];
  readonly refused: readonly Refused[];
  readonly problems: readonly RowProblem[];
  /** Set when the push stopped early (cancelled or failed); the rest stays to push. */
  readonly stopped: null | {
    readonly reason: "cancelled" | "failed";
    readonly error?: ApiRequestError;
  };
}

/** How a push or the four-eyes path may be cancelled, and how it shows its progress. */
export interface SendOptions {
  readonly signal?: AbortSignal;
  /** `waitSeconds` is set while a busy service (`429`/`503`) is waited for. */
  readonly progress?: (done: number, total: number, waitSeconds?: number) => void;
}

/** Where the snapshot is kept between pane sessions (localStorage in a browser). */
export interface SnapshotStore {
  load(key: string): string | null;
  save(key: string, value: string): void;
}

export interface CustomerSyncOptions {
  readonly workbook: Workbook;
  readonly api: () => ApiClient;
  /** Snapshot key: one per team, so a teammate's pull never stands for another's. */
  readonly team: () => string;
  readonly store?: SnapshotStore | undefined;
  readonly batchSize?: number;
  /** A key per batch, sent again with the batch when it is resent, so it applies once. */
  readonly idempotencyKey?: () => string;
  /** Waits `ms` or until `signal` aborts (tests pass a quicker clock). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The text written into a row's message cell for a row the pane cannot send. */
  readonly problemText?: (problem: RowProblem) => string;
  /** A refused row's reason in the user's language (the API's own message otherwise). */
  readonly errorText?: (error: ItemError) => string;
  /** A row's message cell after its limit was sent as a credit request. */
  readonly limitText?: (limit: number, approved: boolean) => string;
}

/** A refused item's problems, field by field, or the API's message when it names none. */
function messageOf(error: ItemError): string {
  const details = (error.details ?? []).map((d) => `${d.field}: ${d.message}`).join("; ");
  return details || error.message;
}

/** A refused item's error (the API always sends one; its status stands in if not). */
function errorOf(result: BatchWriteResult): ItemError {
  return result.error ?? { code: result.status, message: result.status };
}

function toRequestItem(item: PushItem): BatchWriteItem {
  return item.op === "put"
    ? {
        op: "put",
        id: item.id,
        expectedVersion: item.expectedVersion,
        record: item.record,
      }
    : { op: "delete", id: item.id, expectedVersion: item.expectedVersion };
}

/** How often one batch is resent after `429`/`503` before the push stops as failed. */
const MAX_RESENDS = 20;
/** The wait when a `429`/`503` names none, in seconds. */
const DEFAULT_RETRY_AFTER = 2;

function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Pull, push and conflict resolution for one workbook and one API. */
export class CustomerSync {
  readonly #o: CustomerSyncOptions;
  #snapshot: Map<string, SnapshotEntry> | null = null;
  #snapshotKey = "";

  constructor(options: CustomerSyncOptions) {
    this.#o = options;
  }

  /**
   * The snapshot of the signed-in team for this workbook, loaded from the store on first use.
   * Keyed by the workbook's own id too: another workbook's pull must never stand for this
   * table, or a push would delete every record that table lacks.
   */
  async snapshot(): Promise<Map<string, SnapshotEntry> | null> {
    const key = `crm.snapshot.${this.#o.team()}.${await this.#o.workbook.id()}`;
    if (this.#snapshotKey !== key) {
      this.#snapshotKey = key;
      this.#snapshot = null;
      const saved = this.#o.store?.load(key);
      if (saved) this.#snapshot = snapshotFromJson(saved);
    }
    return this.#snapshot;
  }

  #save(): void {
    const snap = this.#snapshot;
    if (!snap || !this.#o.store) return;
    try {
      this.#o.store.save(this.#snapshotKey, snapshotJson(snap));
    } catch {
      // Over the storage quota: the snapshot stays in memory for this session, which is enough.
    }
  }

  /** Whether the workbook has a Customers table. */
  async hasTable(): Promise<boolean> {
    return (await this.#o.workbook.tables()).some((t) => t.name === CUSTOMERS);
  }

  /**
   * Unsent changes of the table (null when there is no table). A table never pulled into this
   * workbook has every row unsent (`pulled` false): a Pull would replace them all.
   */
  async pending(): Promise<{
    created: number;
    edited: number;
    deleted: number;
    pulled: boolean;
  } | null> {
    if (!(await this.hasTable())) return null;
    const snap = await this.snapshot();
    const diff = diffTable(await this.#o.workbook.readTable(CUSTOMERS), snap ?? new Map());
    return { created: diff.created, edited: diff.edited, deleted: diff.deleted, pulled: !!snap };
  }

  /** Write every record of the team into the Customers table; returns how many. */
  async pull(progress?: (done: number, total: number) => void): Promise<number> {
    const records = await this.#o.api().listAllCustomers();
    const table = recordsToTable(records);
    await this.#o.workbook.writeTable(
      { sheet: CUSTOMERS, name: CUSTOMERS, table, textHeaders: TEXT_HEADERS },
      progress,
    );
    await this.snapshot();
    this.#snapshot = snapshotOf(records);
    this.#save();
    return records.length;
  }

  /**
   * Send what changed since the pull in batches. Saved rows move into the snapshot as each
   * batch returns, so a cancelled or failed push keeps exactly the unsent edits for a retry.
   */
  async push(opts: SendOptions): Promise<PushReport> {
    const snap = (await this.snapshot()) ?? new Map<string, SnapshotEntry>();
    this.#snapshot = snap;
    const table = await this.#o.workbook.readTable(CUSTOMERS);
    const diff = diffTable(table, snap);
    const conflicts: Conflict[] = [];
    const refused: Refused[] = [];
    const cells: TableCell[] = diff.problems.map((p) => ({
      row: p.row,
      header: MESSAGE_HEADER,
      value: this.#o.problemText?.(p) ?? `${p.key} ${Object.values(p.params).join(" ")}`,
    }));
    let sent = 0;
    let saved = 0;
    let stopped: PushReport["stopped"] = null;
    const total = diff.items.length;
    opts.progress?.(0, total);
    for (const batch of batches(diff.items, this.#o.batchSize ?? 200)) {
      if (opts.signal?.aborted) {
        stopped = { reason: "cancelled" };
        break;
      }
      const outcome = await this.#sendBatch(batch.map(toRequestItem), sent, total, opts);
      if (!outcome.ok) {
        stopped = outcome.stopped;
        break;
      }
      const results = outcome.results;
      sent += batch.length;
      batch.forEach((item, i) => {
        const result = results[i];
        const row = item.op === "put" ? item.row : -1;
        if (!result) return;
        if (result.status === "ok") {
          saved++;
          if (item.op === "delete") snap.delete(item.id);
          else {
            snap.set(item.id, {
              version: result.version ?? item.expectedVersion + 1,
              record: item.record,
            });
            cells.push({ row, header: VERSION_HEADER, value: result.version ?? "" });
            cells.push({ row, header: MESSAGE_HEADER, value: "" });
          }
          return;
        }
        if (result.status === "conflict") {
          const current = result.current ?? null;
          const conflict = conflictOf(item, current);
          if (conflict) {
            conflicts.push(conflict);
            return;
          }
          // The team already holds exactly this row (a teammate made the same change, or the
          // rows were pushed from another workbook): it is saved, at the stored version.
          saved++;
          if (current) {
            snap.set(item.id, { version: current.version, record: editableFields(current) });
            cells.push({ row, header: VERSION_HEADER, value: current.version });
            cells.push({ row, header: MESSAGE_HEADER, value: "" });
          } else snap.delete(item.id);
          return;
        }
        const error = errorOf(result);
        const message = this.#o.errorText?.(error) ?? messageOf(error);
        refused.push({ id: item.id, row, status: result.status, code: error.code, message, error });
        if (row >= 0) cells.push({ row, header: MESSAGE_HEADER, value: message });
      });
      this.#save();
      opts.progress?.(sent, total);
    }
    // An old message goes once its row has nothing left to send (fixed, or edited back).
    const messageCol = table.headers.indexOf(MESSAGE_HEADER);
    const stillMarked = new Set([
      ...diff.items.flatMap((i) => (i.op === "put" ? [i.row] : [])),
      ...diff.problems.map((p) => p.row),
    ]);
    table.rows.forEach((row, r) => {
      const old = messageCol >= 0 ? row[messageCol] : "";
      if (old !== "" && old !== null && old !== undefined && !stillMarked.has(r)) {
        cells.push({ row: r, header: MESSAGE_HEADER, value: "" });
      }
    });
    await this.#writeCells(table, cells);
    return { sent, saved, total, conflicts, refused, problems: diff.problems, stopped };
  }

  /**
   * Sends one batch; on `429`/`503` waits Retry-After (shown through `progress`) and sends it
   * again with the same Idempotency-Key, so a batch the server already ran is not run twice.
   */
  async #sendBatch(
    items: readonly BatchWriteItem[],
    sent: number,
    total: number,
    opts: SendOptions,
  ): Promise<
    | { ok: true; results: BatchWriteResult[] }
    | { ok: false; stopped: NonNullable<PushReport["stopped"]> }
  > {
    const key = this.#o.idempotencyKey?.();
    const sleep = this.#o.sleep ?? sleepUnlessAborted;
    for (let resends = 0; ; resends++) {
      try {
        const results = await this.#o.api().batchWrite(items, {
          ...(key ? { idempotencyKey: key } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        return { ok: true, results };
      } catch (error) {
        const e =
          error instanceof ApiRequestError
            ? error
            : new ApiRequestError(0, "unreachable", String(error));
        if (e.code === "aborted") return { ok: false, stopped: { reason: "cancelled" } };
        const busy = e.status === 429 || e.status === 503;
        if (!busy || resends >= MAX_RESENDS) {
          return { ok: false, stopped: { reason: "failed", error: e } };
        }
        const seconds = e.retryAfterSeconds ?? DEFAULT_RETRY_AFTER;
        opts.progress?.(sent, total, seconds);
        await sleep(seconds * 1000, opts.signal);
        if (opts.signal?.aborted) return { ok: false, stopped: { reason: "cancelled" } };
        opts.progress?.(sent, total);
      }
    }
  }

  /** One batch sent as `#sendBatch` does, its results or the error it stopped on. */
  async #sendAll(items: readonly BatchWriteItem[], opts: SendOptions): Promise<BatchWriteResult[]> {
    const outcome = await this.#sendBatch(items, 0, items.length, opts);
    if (outcome.ok) return outcome.results;
    throw outcome.stopped.error ?? new ApiRequestError(0, "aborted", "The request was cancelled.");
  }

  /**
   * The four-eyes path for rows whose credit limit staff may not set: save the rest of each row
   * with the stored limit, then ask a credit manager for the new limit with a credit request.
   * The row shows the stored limit and, in its message cell, the limit asked for. The rows go
   * as one batch, resent on `429`/`503` as a push resends its batches.
   */
  async requestLimits(
    ids: readonly string[],
    reason: string,
    opts: SendOptions = {},
  ): Promise<LimitRequests> {
    const snap = (await this.snapshot()) ?? new Map<string, SnapshotEntry>();
    this.#snapshot = snap;
    const table = await this.#o.workbook.readTable(CUSTOMERS);
    const wanted = new Set(ids);
    const asks = diffTable(table, snap).items.flatMap((item) => {
      const ask = wanted.has(item.id) ? limitAsk(item, snap.get(item.id)) : null;
      return ask && item.op === "put" ? [{ item, ask }] : [];
    });
    const cells: TableCell[] = [];
    let requested = 0;
    let approvedAtOnce = 0;
    try {
      const items = asks.map(({ item, ask }) => toRequestItem({ ...item, record: ask.record }));
      const results = await this.#sendAll(items, opts);
      for (const [i, { item, ask }] of asks.entries()) {
        const result = results[i];
        if (result?.status !== "ok" || item.op !== "put") continue;
        snap.set(item.id, {
          version: result.version ?? item.expectedVersion + 1,
          record: ask.record,
        });
        this.#save();
        const request = await this.#o
          .api()
          .createCreditRequest({ customerId: item.id, newLimit: ask.newLimit, reason });
        requested++;
        const approved = request.status === "approved";
        let version = result.version ?? "";
        if (approved) {
          // Approved at once: the server wrote the new limit, so the row and snapshot take
          // the stored record as it is now.
          approvedAtOnce++;
          const stored = await this.#o.api().getCustomer(item.id);
          snap.set(item.id, {
            version: stored.version,
            record: editableFields(stored),
          });
          version = stored.version;
        }
        cells.push(
          {
            row: item.row,
            header: "creditLimit",
            value: approved ? ask.newLimit : ask.storedLimit,
          },
          { row: item.row, header: VERSION_HEADER, value: version },
          {
            row: item.row,
            header: MESSAGE_HEADER,
            value: this.#o.limitText?.(ask.newLimit, approved) ?? "",
          },
        );
      }
    } finally {
      this.#save();
      await this.#writeCells(table, cells);
    }
    return { requested, approvedAtOnce };
  }

  /**
   * Resolve one conflict (keep mine / take theirs); returns a new conflict if it happens again.
   * Keeping mine sends one item, resent on `429`/`503` as a push resends its batches.
   */
  async resolve(
    conflict: Conflict,
    choice: "mine" | "theirs",
    opts: SendOptions = {},
  ): Promise<Conflict | null> {
    const snap = (await this.snapshot()) ?? new Map<string, SnapshotEntry>();
    this.#snapshot = snap;
    const table = await this.#o.workbook.readTable(CUSTOMERS);
    const row = this.#rowOf(table, conflict.id);
    const resolution = resolveConflict(conflict, choice, row);
    if (resolution.snapshot) snap.set(conflict.id, resolution.snapshot);
    else snap.delete(conflict.id);
    let again: Conflict | null = null;
    let version = resolution.snapshot?.version;
    if (resolution.push) {
      let result: BatchWriteResult | undefined;
      try {
        [result] = await this.#sendAll([toRequestItem(resolution.push)], opts);
      } catch (error) {
        this.#save();
        throw error;
      }
      if (result?.status === "ok") {
        version = result.version;
        if (resolution.push.op === "delete") snap.delete(conflict.id);
        else
          snap.set(conflict.id, { version: result.version ?? 0, record: resolution.push.record });
      } else if (result?.status === "conflict") {
        again = conflictOf(resolution.push, result.current ?? null);
      } else if (result) {
        this.#save();
        const error = errorOf(result);
        throw new ApiRequestError(400, error.code, messageOf(error), error.details);
      }
    }
    this.#save();
    await this.#showRow(table, conflict.id, row, resolution.row, version);
    return again;
  }

  #rowOf(table: TableData, id: string): number {
    const idCol = table.headers.indexOf("id");
    return table.rows.findIndex((r) => String(r[idCol] ?? "").trim() === id);
  }

  async #showRow(
    table: TableData,
    id: string,
    row: number,
    record: CustomerDraft | null,
    version: number | undefined,
  ): Promise<void> {
    const wb = this.#o.workbook;
    if (record === null) {
      if (row >= 0) await wb.deleteTableRows(CUSTOMERS, [row]);
      return;
    }
    const values = recordToRow(table.headers, { ...record, id }, version);
    if (row < 0) {
      await wb.appendTableRows(CUSTOMERS, [values]);
      return;
    }
    const current = table.rows[row] ?? [];
    const cells = table.headers
      .map((header, c) => ({ row, header, value: values[c] ?? "" }))
      .filter((cell, c) => cell.value !== (current[c] ?? ""));
    await wb.setTableCells(CUSTOMERS, cells);
  }

  async #writeCells(table: TableData, cells: readonly TableCell[]): Promise<void> {
    const present = new Set(table.headers);
    const wanted = cells.filter((c) => c.row >= 0 && present.has(c.header));
    const changed = wanted.filter((c) => {
      const old = table.rows[c.row]?.[table.headers.indexOf(c.header)] ?? "";
      return old !== c.value;
    });
    if (changed.length > 0) await this.#o.workbook.setTableCells(CUSTOMERS, changed);
  }
}
