/**
 * The add-in's HTTP client for the CRM API (api.md): one method per endpoint, shared by the
 * task pane and the custom functions. Every failure is an `ApiRequestError`; nothing else throws.
 */
import type { CreditPolicy } from "../core/policy.ts";
import type { CustomerInput, CustomerRecord } from "../core/record.ts";

/** A stored customer record as the API returns it (api.md "Records"). */
export type ApiCustomer = CustomerRecord;

/** What a client sends for a create or replace: the record without server fields. */
export type ApiCustomerInput = CustomerInput;

export interface CustomerPage {
  readonly items: ApiCustomer[];
  readonly nextCursor: string | null;
}

export interface BatchGetResult {
  readonly items: ApiCustomer[];
  readonly missing: string[];
}

export interface BatchWriteItem {
  readonly op: "put" | "delete";
  readonly id: string;
  /** 0 creates the record. */
  readonly expectedVersion: number;
  readonly record?: ApiCustomerInput;
}

export interface BatchWriteResult {
  readonly id: string;
  readonly status: "ok" | "conflict" | "invalid" | "forbidden";
  readonly version?: number;
  readonly current?: ApiCustomer;
  readonly error?: unknown;
}

export interface HistoryEntry {
  readonly when: string;
  readonly who: string;
  readonly field: string;
  readonly old: unknown;
  readonly new: unknown;
  readonly version: number;
}

export interface Change {
  readonly id: string;
  readonly version: number;
  readonly deleted: boolean;
}

export interface ChangesResult {
  readonly changes: Change[];
  readonly cursor: string;
}

/** The team's policy and the version to send back in `If-Match` when replacing it. */
export interface VersionedPolicy {
  readonly policy: CreditPolicy;
  readonly version: number;
}

export interface CreditRequest {
  readonly id: string;
  readonly customerId: string;
  readonly newLimit: number;
  readonly reason: string;
  readonly status: "pending" | "approved" | "rejected";
  readonly [field: string]: unknown;
}

export type GradingCounts = Readonly<Record<string, number>>;

/** A failed request: `status` 0 and `code` "unreachable" when no response came back. */
export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly current?: unknown,
    /** From `Retry-After` on `429`/`503`: when sending the same request again may work. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** Without `/v1`: "" for the page's own origin, or e.g. "http://127.0.0.1:8787". */
  readonly baseUrl: string;
  /** The current bearer token, read on every request (null when signed out). */
  readonly token: () => string | null;
  readonly fetch?: typeof fetch;
}

interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal | undefined;
}

interface Response2<T> {
  readonly body: T;
  readonly etag: string | null;
}

/** Client for every endpoint of api.md; construct one per API base. */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #token: () => string | null;
  readonly #fetch: typeof fetch;

  constructor(opts: ApiClientOptions) {
    this.#baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.#token = opts.token;
    // Bound so a window's fetch is not called with the client as `this` (illegal invocation).
    this.#fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** `GET /health`. */
  async health(): Promise<{ ok: boolean }> {
    return (await this.#request<{ ok: boolean }>("GET", "/health")).body;
  }

  /** One page of the team's customers, sorted by id. */
  async listCustomers(
    opts: { limit?: number; cursor?: string | null } = {},
  ): Promise<CustomerPage> {
    // Built by hand: Excel's JavaScript-only runtime has no URLSearchParams.
    const query: string[] = [];
    if (opts.limit !== undefined) query.push(`limit=${opts.limit}`);
    if (opts.cursor) query.push(`cursor=${encodeURIComponent(opts.cursor)}`);
    const qs = query.length > 0 ? `?${query.join("&")}` : "";
    const body = (await this.#request<Partial<CustomerPage>>("GET", `/customers${qs}`)).body;
    return { items: body.items ?? [], nextCursor: body.nextCursor ?? null };
  }

  /** Every customer of the team, following `nextCursor` page by page. */
  async listAllCustomers(): Promise<ApiCustomer[]> {
    const all: ApiCustomer[] = [];
    let cursor: string | null = null;
    do {
      const page: CustomerPage = await this.listCustomers({ limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** `GET /customers/{id}`. */
  async getCustomer(id: string): Promise<ApiCustomer> {
    return (await this.#request<ApiCustomer>("GET", `/customers/${encodeURIComponent(id)}`)).body;
  }

  /** `POST /customers/batch-get` with 1–100 ids. */
  async batchGet(ids: readonly string[]): Promise<BatchGetResult> {
    const body = (
      await this.#request<Partial<BatchGetResult>>("POST", "/customers/batch-get", {
        body: { ids },
      })
    ).body;
    return { items: body.items ?? [], missing: body.missing ?? [] };
  }

  /** Create (`expectedVersion` 0) or replace a record; returns the stored record. */
  async putCustomer(
    id: string,
    record: ApiCustomerInput,
    expectedVersion: number,
  ): Promise<ApiCustomer> {
    const headers: Record<string, string> =
      expectedVersion === 0 ? { "If-None-Match": "*" } : { "If-Match": `"${expectedVersion}"` };
    return (
      await this.#request<ApiCustomer>("PUT", `/customers/${encodeURIComponent(id)}`, {
        body: record,
        headers,
      })
    ).body;
  }

  /** `DELETE /customers/{id}` at the given version. */
  async deleteCustomer(id: string, version: number): Promise<void> {
    await this.#request<unknown>("DELETE", `/customers/${encodeURIComponent(id)}`, {
      headers: { "If-Match": `"${version}"` },
    });
  }

  /** `POST /customers/batch-write` (1–500 items); each item succeeds or fails on its own. */
  async batchWrite(
    items: readonly BatchWriteItem[],
    opts: { idempotencyKey?: string; signal?: AbortSignal } = {},
  ): Promise<BatchWriteResult[]> {
    const headers: Record<string, string> = {};
    if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey;
    const body = (
      await this.#request<{ results?: BatchWriteResult[] }>("POST", "/customers/batch-write", {
        body: { items },
        headers,
        signal: opts.signal,
      })
    ).body;
    return body.results ?? [];
  }

  /** The audit trail of a customer, newest first, optionally for one field. */
  async history(id: string, field?: string | null): Promise<HistoryEntry[]> {
    const qs = field ? `?field=${encodeURIComponent(field)}` : "";
    const body = (
      await this.#request<unknown>("GET", `/customers/${encodeURIComponent(id)}/history${qs}`)
    ).body;
    return listOf<HistoryEntry>(body, ["items", "entries", "history"]);
  }

  /** `GET /changes`: no `since` starts the feed from now. */
  async changes(since?: string | null): Promise<ChangesResult> {
    const qs = since ? `?since=${encodeURIComponent(since)}` : "";
    const body = (await this.#request<Partial<ChangesResult>>("GET", `/changes${qs}`)).body;
    return { changes: body.changes ?? [], cursor: body.cursor ?? since ?? "" };
  }

  /** The team's credit policy (the default one until a manager saves one) and its version. */
  async getPolicy(): Promise<VersionedPolicy> {
    return policyFrom(await this.#request<unknown>("GET", "/policy"));
  }

  /** Replace the team's policy (managers), `If-Match` the version read. */
  async putPolicy(policy: CreditPolicy, version: number): Promise<VersionedPolicy> {
    return policyFrom(
      await this.#request<unknown>("PUT", "/policy", {
        body: policy,
        headers: { "If-Match": `"${version}"` },
      }),
    );
  }

  /** Ask for a new credit limit; approved at once when the policy allows it. */
  async createCreditRequest(req: {
    customerId: string;
    newLimit: number;
    reason: string;
  }): Promise<CreditRequest> {
    return (await this.#request<CreditRequest>("POST", "/credit-requests", { body: req })).body;
  }

  /** Credit requests of the team, optionally by status. */
  async listCreditRequests(status?: string | null): Promise<CreditRequest[]> {
    const qs = status ? `?status=${encodeURIComponent(status)}` : "";
    const body = (await this.#request<unknown>("GET", `/credit-requests${qs}`)).body;
    return listOf<CreditRequest>(body, ["items", "requests"]);
  }

  /** A manager approves a request (writes the new limit). */
  async approveCreditRequest(id: string): Promise<CreditRequest> {
    return (
      await this.#request<CreditRequest>(
        "POST",
        `/credit-requests/${encodeURIComponent(id)}/approve`,
        { body: {} },
      )
    ).body;
  }

  /** A manager rejects a request. */
  async rejectCreditRequest(id: string): Promise<CreditRequest> {
    return (
      await this.#request<CreditRequest>(
        "POST",
        `/credit-requests/${encodeURIComponent(id)}/reject`,
        { body: {} },
      )
    ).body;
  }

  /** ABC-grade all the team's customers on the server; returns the count per grade. */
  async runGrading(req: {
    basis: "revenue" | "profit";
    aShare?: number;
    bShare?: number;
  }): Promise<GradingCounts> {
    const body = (await this.#request<unknown>("POST", "/grading/run", { body: req })).body;
    const counts =
      isRecord(body) && isRecord(body.counts) ? body.counts : isRecord(body) ? body : {};
    return counts as GradingCounts;
  }

  async #request<T>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<Response2<T>> {
    const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
    const token = this.#token();
    if (token) headers.Authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.body);
    }
    if (opts.signal) init.signal = opts.signal;
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}/v1${path}`, init);
    } catch (error) {
      if (opts.signal?.aborted)
        throw new ApiRequestError(0, "aborted", "The request was cancelled.");
      throw new ApiRequestError(0, "unreachable", reasonOf(error));
    }
    const text = await response.text().catch(() => "");
    const body: unknown = parseJson(text);
    if (!response.ok) {
      throw errorFrom(response.status, body, text, response.headers.get("Retry-After"));
    }
    return { body: body as T, etag: response.headers.get("ETag") };
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** api.md's one error shape `{"error": {code, message, details}}`; `current` on a 409. */
function errorFrom(
  status: number,
  body: unknown,
  text: string,
  retryAfter: string | null,
): ApiRequestError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof error.code === "string" ? error.code : `http_${status}`;
  const message =
    typeof error.message === "string" ? error.message : text.slice(0, 200) || `HTTP ${status}`;
  const details = error.details;
  const current =
    (isRecord(body) ? body.current : undefined) ??
    error.current ??
    (isRecord(details) ? details.current : undefined);
  // Retry-After in seconds (an HTTP date is not sent by this API).
  const seconds =
    retryAfter !== null && /^\d{1,4}$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  return new ApiRequestError(status, code, message, details, current, seconds);
}

/** The message of anything thrown; checked by shape, as errors may come from another realm. */
export function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    const message = (error as { message: unknown }).message;
    if (typeof message === "string") return message;
  }
  return String(error);
}

function reasonOf(error: unknown): string {
  // fetch's "fetch failed" hides the useful part (e.g. ECONNREFUSED) in its cause.
  const cause =
    typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const message = cause === undefined ? "" : messageOf(cause);
  return message !== "" && message !== "undefined" ? message : messageOf(error);
}

/** A list endpoint's items, whether the body is the array itself or wraps it. */
function listOf<T>(body: unknown, keys: readonly string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  if (isRecord(body)) {
    for (const key of keys) {
      const value = body[key];
      if (Array.isArray(value)) return value as T[];
    }
  }
  return [];
}

/** The policy body (bare or wrapped in `policy`) with its version from ETag or body. */
function policyFrom(res: Response2<unknown>): VersionedPolicy {
  const body = res.body;
  const policy = (isRecord(body) && isRecord(body.policy) ? body.policy : body) as CreditPolicy;
  const fromTag = res.etag ? Number(res.etag.replace(/^W\//, "").replace(/"/g, "")) : Number.NaN;
  const fromBody = isRecord(body) && typeof body.version === "number" ? body.version : 0;
  return { policy, version: Number.isFinite(fromTag) ? fromTag : fromBody };
}
