/**
 * `POST /grading/run`: ABC-grades all the team's customers together with core's
 * `gradeByCumulativeShare` (as CRM.ABC does) and writes `grade` where it changed, audited.
 */

import { type GradingResponse, gradingRequest } from "../../core/apiSchema.ts";
import {
  columnFromCells,
  formatMessage,
  gradeByCumulativeShare,
  isCellError,
  isMessageKey,
} from "../../core/index.ts";
import { parseBody } from "../body.ts";
import { commitAll, live, planPut } from "../customerWrites.ts";
import { depsFromEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import {
  type ApiEvent,
  type ApiResult,
  type Identity,
  json,
  jsonBody,
  requireManager,
} from "../http.ts";
import { createRouter, type Handler, type Operations } from "../router.ts";
import type { CustomerItem } from "../store/items.ts";
import type { CustomerWrite, Deps } from "../store/port.ts";

/** Rounds of rereading records that someone changed while grading ran. */
const GRADING_ROUNDS = 3;

async function run(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  requireManager(identity);
  const body = parseBody(gradingRequest, jsonBody(event));
  const customers = await deps.store.allCustomers(identity.team);
  const column = columnFromCells(customers.map((c) => c.data[body.basis]));
  const grades = gradeByCumulativeShare(column, body.aShare, body.bShare);
  if (isCellError(grades)) {
    const message = isMessageKey(grades.key)
      ? formatMessage("en", grades.key, grades.params)
      : grades.key;
    throw new ApiError("invalid_request", `Grading is not possible: ${message}`, [
      { field: "aShare", message },
    ]);
  }
  const counts: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
  let ungraded = 0;
  const wanted = new Map<string, string>();
  grades.forEach((grade, i) => {
    const customer = customers[i] as CustomerItem;
    if (typeof grade !== "string" || grade === "") {
      ungraded++;
      return;
    }
    counts[grade] = (counts[grade] ?? 0) + 1;
    if (customer.data.grade !== grade) wanted.set(customer.id, grade);
  });
  const changed = await writeGrades(deps, identity, customers, wanted);
  return json(200, { counts, ungraded, changed } satisfies GradingResponse);
}

/** Writes the new grades; records changed meanwhile are reread and graded again on top. */
async function writeGrades(
  deps: Deps,
  identity: Identity,
  customers: readonly CustomerItem[],
  wanted: Map<string, string>,
): Promise<number> {
  let changed = 0;
  let pending = customers.filter((c) => wanted.has(c.id));
  for (let round = 0; round < GRADING_ROUNDS && pending.length > 0; round++) {
    const now = deps.now();
    const writes: CustomerWrite[] = [];
    for (const item of pending) {
      const plan = planPut(
        item,
        { ...item.data, grade: wanted.get(item.id) as string },
        item.version,
        identity,
        now,
      );
      if (plan.kind === "write") writes.push(plan.write);
    }
    const outcomes = await commitAll(deps.store, identity.team, writes);
    changed += outcomes.filter((o) => o.ok).length;
    const retry = outcomes.flatMap((o) => (o.ok ? [] : [live(o.current)]));
    pending = retry.filter(
      (c): c is CustomerItem => c !== undefined && c.data.grade !== wanted.get(c.id),
    );
  }
  return changed;
}

export const operations: Operations = {
  "POST /v1/grading/run": run,
};

/** The grading group's handler over the given dependencies. */
export function createHandler(deps: () => Deps): Handler {
  return createRouter(operations, deps);
}

/** The Lambda entry point (`TABLE_NAME` from the environment). */
export const handler: Handler = createHandler(depsFromEnv());
