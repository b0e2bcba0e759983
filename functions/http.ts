/**
 * Translation between API Gateway HTTP API (payload 2.0) events and plain values: headers,
 * query, JSON body, identity and responses. No domain rules live here.
 */
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import type { Problem } from "../core/apiSchema.ts";
import { isManager, MANAGERS_GROUP } from "../core/roles.ts";
import { lookupIdProblem } from "../core/schema.ts";
import { ApiError } from "./errors.ts";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/** Who is calling, from the JWT claims only (never from the path, query or body). */
export interface Identity {
  /** `sub`: the stable user id (used for four-eyes and idempotency keys). */
  readonly user: string;
  /** `email` or `cognito:username`: shown as "who" in audit entries. */
  readonly who: string;
  readonly team: string;
  readonly isManager: boolean;
}

/** A JSON response, e.g. `json(200, { ok: true })`. */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResult {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

/** A request header by name (API Gateway lowercases names; local callers may not). */
export function header(event: ApiEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** A query parameter, or undefined. */
export function query(event: ApiEvent, name: string): string | undefined {
  return event.queryStringParameters?.[name];
}

/** A path parameter that the route guarantees. */
export function pathParameter(event: ApiEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined) throw new ApiError("not_found", `Missing path parameter ${name}.`);
  return value;
}

/** What is wrong with the path parameters (every one is an id: 1–128 characters of valid Unicode). */
export function pathParameterProblems(event: ApiEvent): Problem[] {
  return Object.entries(event.pathParameters ?? {}).flatMap(([name, value]) => {
    const problem = lookupIdProblem(value);
    return problem === null ? [] : [{ field: name, message: problem }];
  });
}

/** The request body parsed as JSON; bad JSON is `400` with where it broke. */
export function jsonBody(event: ApiEvent): unknown {
  const raw =
    event.body === undefined
      ? ""
      : event.isBase64Encoded
        ? Buffer.from(event.body, "base64").toString("utf8")
        : event.body;
  if (raw.trim() === "") {
    throw new ApiError("invalid_request", "The request needs a JSON body.", [
      { field: "(body)", message: "is empty; send a JSON object" },
    ]);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "not JSON";
    throw new ApiError("invalid_request", `The body is not valid JSON: ${reason}`, [
      { field: "(body)", message: `is not valid JSON: ${reason}` },
    ]);
  }
}

/**
 * The `cognito:groups` claim in any form it arrives in: API Gateway flattens arrays to
 * `"[managers other]"`; a JSON array string or a real array are accepted too.
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== "string") return [];
  const trimmed = claim.trim();
  if (trimmed.startsWith('["')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON: fall through to API Gateway's bracketed, space-separated form.
    }
  }
  return trimmed
    .replace(/^\[/, "")
    .replace(/\]$/, "")
    .split(/[\s,]+/)
    .filter((g) => g !== "");
}

/** The caller's identity from the JWT authorizer's claims; no team claim is `403`. */
export function identityOf(event: ApiEvent): Identity {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const text = (name: string): string | undefined => {
    const value = claims[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const user = text("sub");
  if (user === undefined) throw new ApiError("unauthorized", "The token has no subject (sub).");
  const team = text("custom:team");
  if (team === undefined) {
    throw new ApiError(
      "forbidden",
      "Your account has no team (custom:team); ask an administrator.",
    );
  }
  return {
    user,
    who: text("email") ?? text("cognito:username") ?? user,
    team,
    isManager: isManager(groupsOf(claims["cognito:groups"])),
  };
}

/** Refuses a caller who is not a manager. */
export function requireManager(identity: Identity): void {
  if (!identity.isManager) {
    throw new ApiError("forbidden", `Only managers (group ${MANAGERS_GROUP}) may do this.`);
  }
}

/** The version in an `If-Match` header (`"3"`, `W/"3"` or `3`), or undefined when absent. */
export function ifMatchVersion(event: ApiEvent): number | undefined {
  const value = header(event, "if-match");
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(value);
  if (!match) {
    throw new ApiError("invalid_request", `If-Match must be a version such as "3", not ${value}.`, [
      { field: "If-Match", message: 'must be a version such as "3"' },
    ]);
  }
  return Number(match[1]);
}
