import { describe, expect, it } from "vitest";
import { withinLambdaLimit } from "./local/gateway.ts";
import { ByteBudget, LAMBDA_RESPONSE_LIMIT, payloadBytes } from "./replyBudget.ts";

describe("payloadBytes", () => {
  it("counts a value's JSON as the body string of a Lambda payload: quotes escaped again", () => {
    expect(payloadBytes({ a: '"' })).toBe(JSON.stringify(JSON.stringify({ a: '"' })).length - 2);
    expect(payloadBytes({ a: '"' })).toBe(16);
  });

  it("counts UTF-8 bytes: a Chinese character is three", () => {
    // \"华为\": two escaped quotes and two characters of three bytes.
    expect(payloadBytes("华为")).toBe(10);
  });
});

describe("ByteBudget", () => {
  it("takes values while they fit, then none", () => {
    const budget = new ByteBudget(30);
    const taken = ["aaaaaaaa", "bbbbbbbb", "cccccccccccccccccccc", "d"].map((v) => budget.take(v));
    // Each takes its escaped JSON plus a comma: 8 + 4 + 1 = 13 bytes for the first two.
    expect(taken).toEqual([true, true, false, false]);
  });

  it("always takes the first value, so a page is never empty for want of room", () => {
    expect(new ByteBudget(1).take("a long value")).toBe(true);
  });
});

describe("the local gateway's Lambda payload limit", () => {
  const result = (bodyBytes: number) => ({
    statusCode: 200,
    headers: {},
    body: "x".repeat(bodyBytes),
  });
  const envelope = JSON.stringify(result(0)).length;

  it("passes a result of exactly the limit", () => {
    const fits = result(LAMBDA_RESPONSE_LIMIT - envelope);
    expect(withinLambdaLimit(fits, "GET /v1/customers")).toBe(fits);
  });

  it("answers 502 as API Gateway does for a result one byte over", () => {
    const over = withinLambdaLimit(result(LAMBDA_RESPONSE_LIMIT - envelope + 1), "GET /v1/x");
    expect([over.statusCode, JSON.parse(over.body)]).toEqual([
      502,
      { message: "Internal Server Error" },
    ]);
  });
});
