/** The policy route group: read the team's credit policy, replace it (managers). */
import type { PolicyResponse } from "../../core/apiSchema.ts";
import { DEFAULT_POLICY } from "../../core/policy.ts";
import { validatePolicy } from "../../core/validation.ts";
import { depsFromEnv } from "../deps.ts";
import { ApiError, invalidRequest, versionConflict } from "../errors.ts";
import {
  type ApiEvent,
  type ApiResult,
  type Identity,
  ifMatchVersion,
  json,
  jsonBody,
  requireManager,
} from "../http.ts";
import { createRouter, type Handler, type Operations } from "../router.ts";
import { POLICY_KEY, type PolicyItem, teamKey } from "../store/items.ts";
import type { Deps } from "../store/port.ts";

/** The policy as the API returns it: version 0 and source "default" until a manager saves one. */
function policyBody(item: PolicyItem | undefined): PolicyResponse {
  return item === undefined
    ? { policy: DEFAULT_POLICY, version: 0, source: "default" }
    : {
        policy: item.policy,
        version: item.version,
        source: "team",
        updatedAt: item.updatedAt,
        updatedBy: item.updatedBy,
      };
}

function policyResponse(item: PolicyItem | undefined): ApiResult {
  const body = policyBody(item);
  return json(200, body, { etag: `"${body.version}"` });
}

async function get(_event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  return policyResponse(await deps.store.getPolicy(identity.team));
}

async function put(event: ApiEvent, identity: Identity, deps: Deps): Promise<ApiResult> {
  requireManager(identity);
  const expected = ifMatchVersion(event);
  if (expected === undefined) {
    throw new ApiError(
      "precondition_required",
      'Send If-Match: "<version>" with the version you read ("0" while the team uses the default policy).',
    );
  }
  const body = jsonBody(event);
  // A client may send back what GET returned ({policy, version, source}); take the policy out.
  const input =
    typeof body === "object" && body !== null && "policy" in body && "source" in body
      ? body.policy
      : body;
  const result = validatePolicy(input);
  if (!result.ok) throw invalidRequest(result.problems);
  const item: PolicyItem = {
    pk: teamKey(identity.team),
    sk: POLICY_KEY,
    policy: result.policy,
    version: expected + 1,
    updatedAt: deps.now().toISOString(),
    updatedBy: identity.who,
  };
  const saved = await deps.store.putPolicy(item, expected);
  if (!saved.ok) {
    throw versionConflict(
      policyBody(saved.current),
      `The policy is at version ${saved.current?.version ?? 0}; read it again and reapply your change.`,
    );
  }
  return policyResponse(item);
}

export const operations: Operations = {
  "GET /v1/policy": get,
  "PUT /v1/policy": put,
};

/** The policy group's handler over the given dependencies. */
export function createHandler(deps: () => Deps): Handler {
  return createRouter(operations, deps);
}

/** The Lambda entry point (`TABLE_NAME` from the environment). */
export const handler: Handler = createHandler(depsFromEnv());
