/**
 * The add-in's HTTP client for the CRM API (api.md): one method per endpoint, shared by the
 * task pane and the custom functions. Every reply is parsed with its schema from
 * `core/apiSchema.ts`, so what a method returns has the type it says. Every failure is an
 * `ApiRequestError`; nothing else throws.
 */
import type * as z from "zod/mini";
import {
  type BatchGetResponse,
  type BatchWriteItem,
  type BatchWriteResult,
  batchGetResponse,
  batchWriteResponse,
  type ChangesResponse,
  type CustomerPage,
  changesResponse,
  creditRequestList,
  customerPage,
  type DeleteResponse,
  deleteResponse,
  errorResponse,
  type GradingRequest,
  type GradingResponse,
  gradingResponse,
  type HealthResponse,
  type HistoryEntry,
  healthResponse,
  historyResponse,
  type PolicyResponse,
  type Problem,
  policyResponse,
  storedRecord,
} from "../core/apiSchema.ts";
import {
  type CreditRequest,
  type CreditRequestInput,
  type CustomerInput,
  type CustomerRecord,
  creditRequest,
  type PolicyDraft,
} from "../core/schema.ts";

/**
 * A failed request: the API's error (`code`, `message`, `details`, `current` on a 409);
 * `status` 0 and `code` "unreachable" when no response came back; `code` "bad_response"
 * (with the HTTP status) when a reply is not the shape `core/apiSchema.ts` declares.
 */
export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The problems the API listed, field by field (on `400 invalid_request`). */
    readonly details?: readonly Problem[],
    /** On `409`: what is stored now (a record, the policy or a credit request), or null. */
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
  async health(): Promise<HealthResponse> {
    return this.#request("GET", "/health", healthResponse);
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
    return this.#request("GET", `/customers${qs}`, customerPage);
  }

  /** Every customer of the team, following `nextCursor` page by page. */
  async listAllCustomers(): Promise<CustomerRecord[]> {
    const all: CustomerRecord[] = [];
    let cursor: string | null = null;
    do {
      const page: CustomerPage = await this.listCustomers({ limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** `GET /customers/{id}`. */
  async getCustomer(id: string): Promise<CustomerRecord> {
    return this.#request("GET", `/customers/${encodeURIComponent(id)}`, storedRecord);
  }

  /** `POST /customers/batch-get` with 1–100 ids. */
  async batchGet(ids: readonly string[]): Promise<BatchGetResponse> {
    return this.#request("POST", "/customers/batch-get", batchGetResponse, { body: { ids } });
  }

  /** Create (`expectedVersion` 0) or replace a record; returns the stored record. */
  async putCustomer(
    id: string,
    record: CustomerInput,
    expectedVersion: number,
  ): Promise<CustomerRecord> {
    const headers: Record<string, string> =
      expectedVersion === 0 ? { "If-None-Match": "*" } : { "If-Match": `"${expectedVersion}"` };
    return this.#request("PUT", `/customers/${encodeURIComponent(id)}`, storedRecord, {
      body: record,
      headers,
    });
  }

  /** `DELETE /customers/{id}` at the given version. */
  async deleteCustomer(id: string, version: number): Promise<DeleteResponse> {
    return this.#request("DELETE", `/customers/${encodeURIComponent(id)}`, deleteResponse, {
      headers: { "If-Match": `"${version}"` },
    });
  }

  /**
   * `POST /customers/batch-write` (1–500 items); each item succeeds or fails on its own. A put
   * carries the row as read (a draft): the API answers each bad row with its own problems.
   */
  async batchWrite(
    items: readonly BatchWriteItem[],
    opts: { idempotencyKey?: string; signal?: AbortSignal } = {},
  ): Promise<BatchWriteResult[]> {
    const headers: Record<string, string> = {};
    if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey;
    const { results } = await this.#request("POST", "/customers/batch-write", batchWriteResponse, {
      body: { items },
      headers,
      signal: opts.signal,
    });
    return results;
  }

  /** The audit trail of a customer, newest first, optionally for one field. */
  async history(id: string, field?: string | null): Promise<HistoryEntry[]> {
    const qs = field ? `?field=${encodeURIComponent(field)}` : "";
    const path = `/customers/${encodeURIComponent(id)}/history${qs}`;
    return (await this.#request("GET", path, historyResponse)).items;
  }

  /** `GET /changes`: no `since` starts the feed from now. */
  async changes(since?: string | null): Promise<ChangesResponse> {
    const qs = since ? `?since=${encodeURIComponent(since)}` : "";
    return this.#request("GET", `/changes${qs}`, changesResponse);
  }

  /** The team's credit policy (the default one until a manager saves one) and its version. */
  async getPolicy(): Promise<PolicyResponse> {
    return this.#request("GET", "/policy", policyResponse);
  }

  /**
   * Replace the team's policy (managers), `If-Match` the version read. The policy goes as the
   * form holds it (a draft): the API names each field that is wrong.
   */
  async putPolicy(policy: PolicyDraft, version: number): Promise<PolicyResponse> {
    return this.#request("PUT", "/policy", policyResponse, {
      body: policy,
      headers: { "If-Match": `"${version}"` },
    });
  }

  /** Ask for a new credit limit; approved at once when the policy allows it. */
  async createCreditRequest(req: CreditRequestInput): Promise<CreditRequest> {
    return this.#request("POST", "/credit-requests", creditRequest, { body: req });
  }

  /** Credit requests of the team, newest first, optionally by status. */
  async listCreditRequests(status?: string | null): Promise<CreditRequest[]> {
    const qs = status ? `?status=${encodeURIComponent(status)}` : "";
    return (await this.#request("GET", `/credit-requests${qs}`, creditRequestList)).items;
  }

  /** A manager approves a request (writes the new limit). */
  async approveCreditRequest(id: string): Promise<CreditRequest> {
    const path = `/credit-requests/${encodeURIComponent(id)}/approve`;
    return this.#request("POST", path, creditRequest, { body: {} });
  }

  /** A manager rejects a request. */
  async rejectCreditRequest(id: string): Promise<CreditRequest> {
    const path = `/credit-requests/${encodeURIComponent(id)}/reject`;
    return this.#request("POST", path, creditRequest, { body: {} });
  }

  /** ABC-grade all the team's customers on the server: the count per grade and what changed. */
  async runGrading(req: GradingRequest): Promise<GradingResponse> {
    return this.#request("POST", "/grading/run", gradingResponse, { body: req });
  }

  /** Sends a request and parses its answer with `schema`; every failure is an `ApiRequestError`. */
  async #request<T>(
    method: string,
    path: string,
    schema: z.ZodMiniType<T>,
    opts: RequestOptions = {},
  ): Promise<T> {
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
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw badResponse(response.status, method, path, parsed.error.issues);
    return parsed.data;
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

/**
 * A reply this client cannot read (`bad_response`), naming the first field that is off, e.g.
 * `The reply to GET /customers is not what this add-in expects: items.3.version must be a whole number.`
 */
function badResponse(
  status: number,
  method: string,
  path: string,
  issues: readonly z.core.$ZodIssue[],
): ApiRequestError {
  const [first] = issues;
  const field = first === undefined || first.path.length === 0 ? "the body" : first.path.join(".");
  const problem = first?.message ?? "is not valid";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : "";
  const where = path.split("?")[0];
  return new ApiRequestError(
    status,
    "bad_response",
    `The reply to ${method} ${where} is not what this add-in expects: ${field} ${problem}${more}.`,
  );
}

/**
 * api.md's one error shape `{"error": {code, message, details}}`, with `current` on a 409. A
 * reply that does not have it came from something in front of the API (a gateway, a proxy):
 * its status and text are what there is to say.
 */
function errorFrom(
  status: number,
  body: unknown,
  text: string,
  retryAfter: string | null,
): ApiRequestError {
  // Retry-After in seconds (an HTTP date is not sent by this API).
  const seconds =
    retryAfter !== null && /^\d{1,4}$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  const parsed = errorResponse.safeParse(body);
  if (!parsed.success) {
    const message = text.slice(0, 200) || `HTTP ${status}`;
    return new ApiRequestError(status, `http_${status}`, message, undefined, undefined, seconds);
  }
  const { error, current } = parsed.data;
  return new ApiRequestError(status, error.code, error.message, error.details, current, seconds);
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
