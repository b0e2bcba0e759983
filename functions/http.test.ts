import { describe, expect, it } from "vitest";
import { ApiError, errorResponse, invalidRequest, MAX_ERROR_BYTES, throttled } from "./errors.ts";
import { type ApiEvent, groupsOf, pathParameterProblems } from "./http.ts";
import { requestFingerprint } from "./idempotency.ts";
import { claimsAsStrings, matchRoute } from "./local/gateway.ts";

describe("groupsOf", () => {
  it("reads API Gateway's flattened form", () => {
    expect(groupsOf("[managers other]")).toEqual(["managers", "other"]);
  });

  it("reads a JSON array string", () => {
    expect(groupsOf('["managers","x"]')).toEqual(["managers", "x"]);
  });

  it("reads a real array", () => {
    expect(groupsOf(["managers"])).toEqual(["managers"]);
  });

  it("reads no groups from a missing claim", () => {
    expect(groupsOf(undefined)).toEqual([]);
  });
});

describe("claimsAsStrings", () => {
  it("passes every claim as a string, lists bracketed as API Gateway does", () => {
    expect(claimsAsStrings({ exp: 5, "cognito:groups": ["managers", "b"], sub: "ana" })).toEqual({
      exp: "5",
      "cognito:groups": "[managers b]",
      sub: "ana",
    });
  });
});

describe("matchRoute", () => {
  it("prefers a literal route over a path parameter", () => {
    expect(matchRoute("POST", "/v1/customers/batch-get")?.route.path).toBe(
      "/v1/customers/batch-get",
    );
  });

  it("decodes path parameters", () => {
    expect(matchRoute("GET", "/v1/customers/%E5%AE%A2%20%231/history")?.pathParameters).toEqual({
      id: "客 #1",
    });
  });

  it("matches nothing for a method the path does not have", () => {
    expect(matchRoute("PATCH", "/v1/customers/a")).toBeUndefined();
  });
});

describe("errorResponse", () => {
  it("hides internals of an unexpected error behind 500 internal", () => {
    const result = errorResponse(new Error("secret table name"), () => {});
    expect([result.statusCode, result.body.includes("secret")]).toEqual([500, false]);
  });

  it("answers throttling with 429 and Retry-After", () => {
    const result = errorResponse(throttled(3));
    expect([
      result.statusCode,
      result.headers["retry-after"],
      JSON.parse(result.body).error.code,
    ]).toEqual([429, "3", "throttled"]);
  });
});

describe("errorResponse bounds", () => {
  const problems = (count: number, size = 10) =>
    Array.from({ length: count }, (_, i) => ({ field: `f${i}`, message: "m".repeat(size) }));

  it("lists 100 problems and says how many more there were", () => {
    const details = JSON.parse(errorResponse(invalidRequest(problems(250))).body).error.details;
    expect([details.length, details[100]]).toEqual([
      101,
      { field: "(more)", message: "and 150 more problems not listed", more: 150 },
    ]);
  });

  it("stays within 64 KB when 100 problems carry long messages", () => {
    const body = errorResponse(invalidRequest(problems(100, 5_000))).body;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_ERROR_BYTES);
  });

  it("names only the first few problems in the message", () => {
    const message = JSON.parse(errorResponse(invalidRequest(problems(50))).body).error.message;
    expect(message).toMatch(/f2 m+; and 47 more \(see details\)$/);
  });

  it("cuts a message that quotes a long header", () => {
    const body = errorResponse(new ApiError("invalid_request", `bad: ${"x".repeat(100_000)}`)).body;
    expect(Buffer.byteLength(body)).toBeLessThan(1_100);
  });

  it("answers a reused Idempotency-Key with 422", () => {
    expect(errorResponse(new ApiError("idempotency_key_reused", "x")).statusCode).toBe(422);
  });
});

/** A POST event for the idempotency fingerprint. */
function post(routeKey: string, body: string, pathParameters?: Record<string, string>): ApiEvent {
  return { routeKey, body, isBase64Encoded: false, pathParameters } as unknown as ApiEvent;
}

describe("requestFingerprint", () => {
  it("is the same for the same route, path and body", () => {
    expect(requestFingerprint(post("POST /v1/x", "{}"))).toBe(
      requestFingerprint(post("POST /v1/x", "{}")),
    );
  });

  it.each([
    ["another body", post("POST /v1/x", '{"a":1}')],
    ["another route", post("POST /v1/y", "{}")],
    ["another path id", post("POST /v1/x", "{}", { id: "2" })],
  ])("differs for %s", (_name, other) => {
    expect(requestFingerprint(other)).not.toBe(requestFingerprint(post("POST /v1/x", "{}")));
  });
});

describe("pathParameterProblems", () => {
  it.each([
    ["a 129-character id", "r".repeat(129), "must have 1 to 128 characters"],
    ["a lone surrogate", "x\ud800", "must be valid Unicode text (no lone surrogates)"],
    ["a control character", "a\u0000", "must not contain control characters"],
  ])("refuses %s", (_name, id, message) => {
    expect(pathParameterProblems({ pathParameters: { id } } as unknown as ApiEvent)).toEqual([
      { field: "id", message },
    ]);
  });

  it("accepts a 128-character id", () => {
    const event = { pathParameters: { id: "r".repeat(128) } } as unknown as ApiEvent;
    expect(pathParameterProblems(event)).toEqual([]);
  });
});
