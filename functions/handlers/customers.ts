/**
 * The customers route group: list, read, batch-get, create/replace, delete, batch-write,
 * history and the change feed. Each operation turns the event into a plan (pure) and one
 * store call; the rules about versions and approvals live in `customerWrites.ts` and `core/`.
 */
import {
  type BatchGetResponse,
  type BatchWriteResponse,
  type BatchWriteResult,
  batchGetRequest,
  batchWriteItem,
  batchWriteRequest,
  type ChangesResponse,
  type CustomerPage,
  type DeleteResponse,
  type HistoryEntry,
  type HistoryResponse,
  type Problem,
} from "../../core/apiSchema.ts";
import { changeNeedsApproval } from "../../core/creditRequests.ts";
import {
  type CustomerInput,
  type CustomerRecord,
  idProblem,
  lookupIdProblem,
} from "../../core/schema.ts";
import {
  limitProblems,
  problemsOf,
  surplusKeyProblems,
  validateRecord,
} from "../../core/validation.ts";
import {
  customerListQuery,
  decodeCursor,
  historyQuery,
  nextCursor,
  parseBody,
  parseQuery,
} from "../body.ts";
import { commitAll, live, type Plan, planDelete, planPut, policyOnce } from "../customerWrites.ts";
import { depsFromEnv } from "../deps.ts";
import { ApiError, invalidRequest, summary, versionConflict } from "../errors.ts";
import {
  type ApiEvent,
  type ApiResult,
  header,
  type Identity,
  ifMatchVersion,
  json,
  jsonBody,
  jsonText,
  pathParameter,
  query,
} from "../http.ts";
import { ByteBudget, CURRENTS_BUDGET, PAGE_BUDGET } from "../replyBudget.ts";
import { createRouter, type Handler, type Operations } from "../router.ts";
import { decodeFeedCursor, encodeFeedCursor } from "../store/feed.ts";
import { type AuditItem, type CustomerItem, recordOf } from "../store/items.ts";
import type { CustomerWrite, Deps } from "../store/port.ts";

/** A customer id from the path (the router has refused any that is not a valid id). */
function pathId(event: ApiEvent): string {
  return pathParameter(event, "id");
}

function withEtag(item: CustomerItem, status = 200): ApiResult {
  return json(status, recordOf(item), { etag: `"${item.version}"` });
}

function notFound(id: string): ApiError {
  return new ApiError("not_found", `No customer ${id} in your team.`);
}

function approvalRequired(id: string): ApiError {
  return new ApiError(
    "approval_required",
    `Raising the credit limit of ${id} by more than the policy's staffRaiseLimit needs a manager: raise a credit request instead.`,
  );
}

/** A record as sent, with `id` filled in when it left it out (the path or item names it). */
function withId(record: unknown, id: string): unknown {
  return typeof record === "object" &&
    record !== null &&
    !Array.isArray(record) &&
    !Object.hasOwn(record, "id")
    ? { ...record, id }
    : record;
}

/** The record of a PUT body; its id may be left out (the path names it) but must not differ. */
function recordFromBody(body: unknown, id: string): CustomerInput {
  const result = validateRecord(withId(body, id));
  if (!result.ok) throw invalidRequest(result.problems);
  if (result.record.id !== id) {
    throw invalidRequest([
      { field: "id", message: `is ${result.record.id} in the body but ${id} in the path` },
    ]);
  }
  return result.record;
}

/** Records per page of `GET /customers` when no `limit` is given. */
const DEFAULT_PAGE = 200;

async function list(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const params = parseQuery(customerListQuery, event);
  const limit = params.limit === undefined ? DEFAULT_PAGE : Number(params.limit);
  // The list cursor is the page's last id.
  const after = decodeCursor(params.cursor, (id) => idProblem(id) === null);
  const budget = new ByteBudget(PAGE_BUDGET);
  // Each record's JSON is made once, for the budget's count, and the page joined from it.
  const records: string[] = [];
  const page = await deps.store.listCustomers(identity.team, limit, after, (item) => {
    const record = budget.takeJson(recordOf(item));
    if (record !== undefined) records.push(record);
    return record !== undefined;
  });
  const next: CustomerPage["nextCursor"] = nextCursor(page, (item) => item.id);
  return jsonText(200, `{"items":[${records.join(",")}],"nextCursor":${JSON.stringify(next)}}`);
}

async function get(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const id = pathId(event);
  const item = live(await deps.store.getCustomer(identity.team, id));
  if (item === undefined) throw notFound(id);
  return withEtag(item);
}

async function batchGet(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const { ids } = parseBody(batchGetRequest, jsonBody(event));
  const found = await deps.store.getCustomers(identity.team, ids);
  const items: CustomerRecord[] = [];
  const missing: string[] = [];
  const unsent: string[] = [];
  const budget = new ByteBudget(PAGE_BUDGET);
  for (const id of ids) {
    const item = live(found.get(id));
    if (item === undefined) missing.push(id);
    else {
      const record = recordOf(item);
      if (budget.take(record)) items.push(record);
      else unsent.push(id);
    }
  }
  return json(200, {
    items,
    missing,
    ...(unsent.length > 0 ? { unsent } : {}),
  } satisfies BatchGetResponse);
}

/** The result of a single-record plan: the stored record, or the refusal. */
async function commitOne(deps: Deps, identity: Identity, plan: Plan, id: string, created: boolean) {
  if (plan.kind === "conflict") {
    if (plan.current === undefined && !created) throw notFound(id);
    throw versionConflict(
      plan.current === undefined ? null : recordOf(plan.current),
      plan.current === undefined
        ? `Customer ${id} was changed by someone else; read it again.`
        : `Customer ${id} is at version ${plan.current.version}; your change was based on another version. Read it again and reapply your change.`,
    );
  }
  if (plan.kind === "unchanged") return plan.item;
  const [outcome] = await commitAll(deps.store, identity.team, [plan.write]);
  if (outcome === undefined || !outcome.ok) {
    const current = outcome === undefined ? undefined : live(outcome.current);
    return commitOne(deps, identity, { kind: "conflict", current }, id, created);
  }
  return plan.write.item;
}

async function put(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const id = pathId(event);
  const ifMatch = ifMatchVersion(event);
  const ifNoneMatch = header(event, "if-none-match");
  if (ifMatch === undefined && ifNoneMatch === undefined) {
    throw new ApiError(
      "precondition_required",
      'Send If-None-Match: * to create a customer, or If-Match: "<version>" to replace one.',
    );
  }
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw invalidRequest([{ field: "If-None-Match", message: "cannot be sent with If-Match" }]);
  }
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== "*") {
    throw invalidRequest([{ field: "If-None-Match", message: 'must be "*"' }]);
  }
  const record = recordFromBody(jsonBody(event), id);
  const stored = await deps.store.getCustomer(identity.team, id);
  const current = live(stored);
  if (ifMatch !== undefined && current === undefined) throw notFound(id);
  const oldLimit = ifMatch === undefined ? undefined : current?.data.creditLimit;
  const policy = policyOnce(deps.store, identity.team);
  const plan = planPut(stored, record, ifMatch ?? 0, identity, deps.now());
  if (
    plan.kind === "write" &&
    (await changeNeedsApproval(oldLimit, record.creditLimit, identity.isManager, policy))
  ) {
    throw approvalRequired(id);
  }
  const item = await commitOne(deps, identity, plan, id, ifMatch === undefined);
  return withEtag(item, ifMatch === undefined ? 201 : 200);
}

async function remove(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const id = pathId(event);
  const ifMatch = ifMatchVersion(event);
  if (ifMatch === undefined) {
    throw new ApiError("precondition_required", 'Send If-Match: "<version>" to delete a customer.');
  }
  const stored = await deps.store.getCustomer(identity.team, id);
  if (live(stored) === undefined) throw notFound(id);
  const plan = planDelete(stored, ifMatch, identity, deps.now());
  const item = await commitOne(deps, identity, plan, id, false);
  return json(200, { id, version: item.version, deleted: true } satisfies DeleteResponse);
}

/** An invalid batch item, with its first problems and how many more there were. */
function invalidItem(id: string, problems: Problem[]): BatchWriteResult {
  return {
    id,
    status: "invalid",
    error: {
      code: "invalid_request",
      message: summary(problems),
      details: limitProblems(problems, MAX_ITEM_PROBLEMS),
    },
  };
}

/** A batch item checked on its own: the op to apply, or why it is refused. */
type Checked =
  | { ok: true; op: "put"; id: string; expectedVersion: number; record: CustomerInput }
  | { ok: true; op: "delete"; id: string; expectedVersion: number }
  | { ok: false; result: BatchWriteResult };

/** Problems listed per invalid batch item: 500 items must not make a reply many MB long. */
const MAX_ITEM_PROBLEMS = 10;

/** The id an invalid item is answered under: its own when that is a valid id, else `#<index>`. */
function echoedId(raw: unknown, index: number): string {
  const id =
    typeof raw === "object" && raw !== null && Object.hasOwn(raw, "id")
      ? (raw as { id: unknown }).id
      : undefined;
  return typeof id === "string" && lookupIdProblem(id) === null ? id : `#${index}`;
}

const ITEM_FIELDS = Object.keys(batchWriteItem.def.shape);

function checkItem(raw: unknown, index: number, seen: Set<string>): Checked {
  const surplus = surplusKeyProblems(raw, ITEM_FIELDS);
  if (surplus !== null) return { ok: false, result: invalidItem(echoedId(raw, index), surplus) };
  const parsed = batchWriteItem.safeParse(raw);
  if (!parsed.success) {
    const problems = problemsOf(parsed.error.issues, ITEM_FIELDS);
    return { ok: false, result: invalidItem(echoedId(raw, index), problems) };
  }
  const { op, id, expectedVersion } = parsed.data;
  if (seen.has(id)) {
    return {
      ok: false,
      result: invalidItem(id, [{ field: "id", message: "appears more than once in this batch" }]),
    };
  }
  seen.add(id);
  if (op === "delete") {
    if (expectedVersion === 0) {
      return {
        ok: false,
        result: invalidItem(id, [
          { field: "expectedVersion", message: "must be the version to delete, 1 or more" },
        ]),
      };
    }
    return { ok: true, op, id, expectedVersion };
  }
  const validated = validateRecord(withId(parsed.data.record, id));
  if (!validated.ok) {
    return {
      ok: false,
      result: invalidItem(
        id,
        validated.problems.map((p) => ({ ...p, field: `record.${p.field}` })),
      ),
    };
  }
  if (validated.record.id !== id) {
    return {
      ok: false,
      result: invalidItem(id, [
        { field: "record.id", message: `differs from the item's id ${id}` },
      ]),
    };
  }
  return { ok: true, op, id, expectedVersion, record: validated.record };
}

async function batchWrite(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const { items } = parseBody(batchWriteRequest, jsonBody(event));
  const seen = new Set<string>();
  const checked = items.map((raw, i) => checkItem(raw, i, seen));
  const ids = checked.flatMap((c) => (c.ok ? [c.id] : []));
  const stored = await deps.store.getCustomers(identity.team, ids);
  const policy = policyOnce(deps.store, identity.team);
  const now = deps.now();
  const results: BatchWriteResult[] = new Array(items.length);
  const writes: CustomerWrite[] = [];
  const writeIndex: number[] = [];
  for (const [i, c] of checked.entries()) {
    if (!c.ok) {
      results[i] = c.result;
      continue;
    }
    const before = stored.get(c.id);
    const plan =
      c.op === "put"
        ? planPut(before, c.record, c.expectedVersion, identity, now)
        : planDelete(before, c.expectedVersion, identity, now);
    if (plan.kind === "conflict") {
      results[i] = conflictResult(c.id, plan.current);
    } else if (plan.kind === "unchanged") {
      results[i] = { id: c.id, status: "ok", version: plan.item.version };
    } else if (
      c.op === "put" &&
      (await changeNeedsApproval(
        live(before)?.data.creditLimit,
        c.record.creditLimit,
        identity.isManager,
        policy,
      ))
    ) {
      results[i] = {
        id: c.id,
        status: "forbidden",
        error: { code: "approval_required", message: approvalRequired(c.id).message },
      };
    } else {
      writes.push(plan.write);
      writeIndex.push(i);
    }
  }
  const outcomes = await commitAll(deps.store, identity.team, writes);
  outcomes.forEach((outcome, j) => {
    const i = writeIndex[j] as number;
    const id = (writes[j] as CustomerWrite).item.id;
    results[i] = outcome.ok
      ? { id, status: "ok", version: outcome.version }
      : conflictResult(id, live(outcome.current));
  });
  return json(200, { results: withinBudget(results) } satisfies BatchWriteResponse);
}

/**
 * The results with each conflict's `current` while they fit `CURRENTS_BUDGET`, in order;
 * beyond it a conflict says `currentOmitted` instead, and the client reads those records.
 */
function withinBudget(results: readonly BatchWriteResult[]): BatchWriteResult[] {
  const budget = new ByteBudget(CURRENTS_BUDGET);
  return results.map((result) =>
    result.current === undefined || budget.take(result.current)
      ? result
      : { id: result.id, status: result.status, currentOmitted: true },
  );
}

function conflictResult(id: string, current: CustomerItem | undefined): BatchWriteResult {
  return current === undefined
    ? { id, status: "conflict" }
    : { id, status: "conflict", current: recordOf(current) };
}

/** Versions per page of `GET /customers/{id}/history`. */
const HISTORY_PAGE = 1000;

async function history(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const id = pathId(event);
  const { field, cursor } = parseQuery(historyQuery, event);
  // The history cursor is the page's last version.
  const version = decodeCursor(cursor, (text) => /^[1-9]\d{0,14}$/.test(text));
  const beforeVersion = version === undefined ? undefined : Number(version);
  // No record can have an id beyond the record rule, and its percent-encoded audit key
  // (9 bytes per CJK character) could exceed DynamoDB's 1 KB sort key: nothing to read.
  if (idProblem(id) !== null) throw notFound(id);
  const entriesOf = (audit: AuditItem): HistoryEntry[] =>
    audit.changes
      .filter((change) => field === undefined || change.field === field)
      .map((change) => ({
        when: audit.when,
        who: audit.who,
        field: change.field,
        old: change.old,
        new: change.new,
        version: audit.version,
      }));
  const budget = new ByteBudget(PAGE_BUDGET);
  const page = await deps.store.history(identity.team, id, {
    beforeVersion,
    limit: HISTORY_PAGE,
    fits: (audit) => budget.take(entriesOf(audit)),
  });
  if (page.items.length === 0 && beforeVersion === undefined) throw notFound(id);
  return json(200, {
    items: page.items.flatMap(entriesOf),
    nextCursor: nextCursor(page, (audit) => String(audit.version)),
  } satisfies HistoryResponse);
}

/** Most changes one `GET /changes` returns; the cursor continues from the last. */
const CHANGES_PAGE = 1000;

/**
 * The change feed (docs/api.md "The change feed"): no `since` opens it at now; the cursor is
 * opaque. A change may come twice (once more after a late arrival): clients keep the
 * highest version they saw per id.
 */
async function changes(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const since = query(event, "since");
  const nowMs = deps.now().getTime();
  if (since === undefined || since === "") {
    const cursor = await deps.store.openFeed(identity.team, nowMs);
    return json(200, { changes: [], cursor: encodeFeedCursor(cursor) } satisfies ChangesResponse);
  }
  const from = decodeFeedCursor(since);
  if (from === undefined) {
    throw invalidRequest([{ field: "since", message: "must be a cursor this API returned" }]);
  }
  const page = await deps.store.changes(identity.team, from, nowMs, CHANGES_PAGE);
  return json(200, {
    changes: page.changes.map((f) => ({ id: f.id, version: f.version, deleted: f.deleted })),
    cursor: encodeFeedCursor(page.cursor),
  } satisfies ChangesResponse);
}

export const operations: Operations = {
  "GET /v1/customers": list,
  "POST /v1/customers/batch-get": batchGet,
  "POST /v1/customers/batch-write": batchWrite,
  "GET /v1/customers/{id}": get,
  "PUT /v1/customers/{id}": put,
  "DELETE /v1/customers/{id}": remove,
  "GET /v1/customers/{id}/history": history,
  "GET /v1/changes": changes,
};

/** The customers group's handler over the given dependencies. */
export function createHandler(deps: () => Deps): Handler {
  return createRouter(operations, deps);
}

/** The Lambda entry point (`TABLE_NAME` from the environment). */
export const handler: Handler = createHandler(depsFromEnv());
