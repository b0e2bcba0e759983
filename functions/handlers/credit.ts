/**
 * The credit route group: credit requests and a manager's decision on them (four-eyes: never
 * one's own). A request within the policy's staff raise limit is approved at once; approving
 * writes the new limit to the record as a new, audited version.
 */

import type { CreditRequestList } from "../../core/apiSchema.ts";
import { decisionRefusal, openingStatus } from "../../core/creditRequests.ts";
import { type CreditRequest, creditRequestInput, lookupIdProblem } from "../../core/schema.ts";
import { creditListQuery, decodeCursor, nextCursor, parseBody, parseQuery } from "../body.ts";
import { live, planPut, policyOnce } from "../customerWrites.ts";
import { depsFromEnv } from "../deps.ts";
import { ApiError, versionConflict } from "../errors.ts";
import {
  type ApiEvent,
  type ApiResult,
  type Identity,
  json,
  jsonBody,
  pathParameter,
  requireManager,
} from "../http.ts";
import { ByteBudget, PAGE_BUDGET } from "../replyBudget.ts";
import { createRouter, type Handler, type Operations } from "../router.ts";
import type { CreditRequestChange, Deps } from "../store/port.ts";

/** Attempts at writing a limit when the record keeps changing underneath. */
const LIMIT_WRITE_ATTEMPTS = 5;

/**
 * Writes `newLimit` to a customer together with `change` (the request's put or decision),
 * rereading the record when someone changed it meanwhile. Returns false when `change`'s
 * condition failed (the request was decided by someone else).
 */
async function writeLimit(
  deps: Deps,
  identity: Identity,
  customerId: string,
  newLimit: number,
  change: CreditRequestChange,
): Promise<boolean> {
  for (let attempt = 0; attempt < LIMIT_WRITE_ATTEMPTS; attempt++) {
    const stored = await deps.store.getCustomer(identity.team, customerId);
    const current = live(stored);
    if (current === undefined) {
      throw new ApiError("not_found", `No customer ${customerId} in your team.`);
    }
    const record = { ...current.data, creditLimit: newLimit };
    const plan = planPut(stored, record, current.version, identity, deps.now());
    const writes = plan.kind === "write" ? [plan.write] : [];
    const result = await deps.store.commit(identity.team, writes, [change]);
    if (result.extrasFailed) return false;
    if (result.writes.every((w) => w.ok)) return true;
  }
  throw new ApiError(
    "throttled",
    `Customer ${customerId} keeps changing; try again in a moment.`,
    undefined,
    {},
    { "retry-after": "1" },
  );
}

async function create(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const body = parseBody(creditRequestInput, jsonBody(event));
  const current = live(await deps.store.getCustomer(identity.team, body.customerId));
  if (current === undefined) {
    throw new ApiError("not_found", `No customer ${body.customerId} in your team.`);
  }
  const oldLimit = current.data.creditLimit;
  const policy = await policyOnce(deps.store, identity.team)();
  const status = openingStatus(oldLimit, body.newLimit, policy);
  const now = deps.now().toISOString();
  const base = {
    id: deps.newId(),
    customerId: body.customerId,
    oldLimit: oldLimit ?? null,
    newLimit: body.newLimit,
    reason: body.reason,
    requestedBy: identity.user,
    requestedByName: identity.who,
    createdAt: now,
  };
  if (status === "pending") {
    const request: CreditRequest = { ...base, status: "pending" };
    await deps.store.putCreditRequest(identity.team, request);
    return json(201, request);
  }
  const request: CreditRequest = {
    ...base,
    status: "approved",
    decidedBy: "policy",
    decidedByName: "within the policy's staff raise limit",
    decidedAt: now,
  };
  await writeLimit(deps, identity, body.customerId, body.newLimit, { kind: "create", request });
  return json(201, request);
}

/** Requests per page of `GET /credit-requests` (fewer when the byte budget is reached first). */
const REQUESTS_PAGE = 1000;

/**
 * The team's requests newest first by id (UUIDv7: creation time), a page at a time: only a
 * page is read. The cursor is the page's last request id.
 */
async function list(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  const { status, cursor } = parseQuery(creditListQuery, event);
  const beforeId = decodeCursor(cursor, (id) => lookupIdProblem(id) === null);
  const budget = new ByteBudget(PAGE_BUDGET);
  const page = await deps.store.creditRequests(identity.team, {
    beforeId,
    status,
    limit: REQUESTS_PAGE,
    fits: (request) => budget.take(request),
  });
  return json(200, {
    items: page.items,
    nextCursor: nextCursor(page, (request) => request.id),
  } satisfies CreditRequestList);
}

/** The pending request a manager may decide, or the refusal. */
async function decidable(event: ApiEvent, identity: Identity, deps: Deps): Promise<CreditRequest> {
  requireManager(identity);
  const id = pathParameter(event, "id");
  const request = await deps.store.getCreditRequest(identity.team, id);
  if (request === undefined)
    throw new ApiError("not_found", `No credit request ${id} in your team.`);
  const refusal = decisionRefusal(request, identity.user);
  if (refusal === "own_request") {
    throw new ApiError(
      "forbidden",
      "You cannot decide a credit request you made; another manager must decide it.",
    );
  }
  if (refusal === "already_decided") throw alreadyDecided(request);
  return request;
}

function alreadyDecided(request: CreditRequest): ApiError {
  return versionConflict(request, `Credit request ${request.id} is already ${request.status}.`);
}

async function decide(
  event: ApiEvent,
  identity: Identity,
  deps: Deps,
  status: "approved" | "rejected",
): Promise<ApiResult> {
  const request = await decidable(event, identity, deps);
  const decided: CreditRequest = {
    ...request,
    status,
    decidedBy: identity.user,
    decidedByName: identity.who,
    decidedAt: deps.now().toISOString(),
  };
  const change: CreditRequestChange = { kind: "decide", request: decided };
  const done =
    status === "approved"
      ? await writeLimit(deps, identity, request.customerId, request.newLimit, change)
      : !(await deps.store.commit(identity.team, [], [change])).extrasFailed;
  if (!done) {
    const now = await deps.store.getCreditRequest(identity.team, request.id);
    throw alreadyDecided(now ?? request);
  }
  return json(200, decided);
}

export const operations: Operations = {
  "GET /v1/credit-requests": list,
  "POST /v1/credit-requests": create,
  "POST /v1/credit-requests/{id}/approve": (event, identity, deps) =>
    decide(event, identity, deps, "approved"),
  "POST /v1/credit-requests/{id}/reject": (event, identity, deps) =>
    decide(event, identity, deps, "rejected"),
};

/** The credit group's handler over the given dependencies. */
export function createHandler(deps: () => Deps): Handler {
  return createRouter(operations, deps);
}

/** The Lambda entry point (`TABLE_NAME` from the environment). */
export const handler: Handler = createHandler(depsFromEnv());
