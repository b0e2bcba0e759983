/** The health check: no token, no database. */
import type { HealthResponse } from "../../core/apiSchema.ts";
import { json } from "../http.ts";
import { createRouter, type Handler, type Operations } from "../router.ts";
import type { Deps } from "../store/port.ts";

export const operations: Operations = {
  "GET /v1/health": { public: async () => json(200, { ok: true } satisfies HealthResponse) },
};

/** The health group's handler (it never uses its dependencies). */
export function createHandler(deps: () => Deps): Handler {
  return createRouter(operations, deps);
}

/** The Lambda entry point. */
export const handler: Handler = createHandler(() => {
  throw new Error("the health check has no dependencies");
});
