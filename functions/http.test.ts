import { describe, expect, it } from "vitest";
import { errorResponse, throttled } from "./errors.ts";
import { groupsOf } from "./http.ts";
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
