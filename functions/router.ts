/**
 * The Lambda side of a route group: finds the operation for the event's route key, checks
 * the caller, applies `Idempotency-Key`, and turns every error into the one JSON shape.
 */
import { ApiError, errorResponse, invalidRequest } from "./errors.ts";
import {
  type ApiEvent,
  type ApiResult,
  type Identity,
  identityOf,
  pathParameterProblems,
} from "./http.ts";
import { replayOrRun } from "./idempotency.ts";
import type { Deps } from "./store/port.ts";

/** One operation: an HTTP event plus the verified caller in, a response out. */
export type Operation = (event: ApiEvent, identity: Identity, deps: Deps) => Promise<ApiResult>;

/** An operation that needs no caller (the health check). */
export type PublicOperation = (event: ApiEvent) => Promise<ApiResult>;

export type Operations = Readonly<Record<string, Operation | { readonly public: PublicOperation }>>;

export type Handler = (event: ApiEvent) => Promise<ApiResult>;

/** A Lambda handler over a table of operations keyed by API Gateway route key (`GET /v1/…`). */
export function createRouter(operations: Operations, deps: () => Deps): Handler {
  return async (event) => {
    try {
      const operation = operations[event.routeKey];
      if (operation === undefined) {
        return errorResponse(new ApiError("not_found", `No route ${event.routeKey}.`));
      }
      if ("public" in operation) return await operation.public(event);
      const identity = identityOf(event);
      // Path ids are checked here, once for every route, so no operation sees a bad one.
      const problems = pathParameterProblems(event);
      if (problems.length > 0) throw invalidRequest(problems);
      const d = deps();
      if (event.requestContext.http.method === "POST") {
        return await replayOrRun(event, identity, d, () => operation(event, identity, d));
      }
      return await operation(event, identity, d);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
