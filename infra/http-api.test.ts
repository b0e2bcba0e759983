/**
 * The HTTP API construct's guard against the local-only token endpoint (the route table has
 * none; this is what stops one from being added and deployed). No synth: construction only.
 */
import { App, Stack } from "aws-cdk-lib";
import { UserPool } from "aws-cdk-lib/aws-cognito";
import { Code, Function as LambdaFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { describe, expect, it } from "vitest";
import { type HandlerGroup, handlerGroups, type Route, routes } from "../functions/routes.ts";
import { CrmHttpApi, routeThrottles, stageThrottle } from "./http-api.ts";

function build(routes: readonly Route[]): CrmHttpApi {
  const stack = new Stack(new App(), "Guard");
  const fn = new LambdaFunction(stack, "Fn", {
    runtime: Runtime.NODEJS_22_X,
    handler: "index.handler",
    code: Code.fromInline("export const handler = async () => ({ statusCode: 200 });"),
  });
  const functions = Object.fromEntries(
    Object.keys(handlerGroups).map((group) => [group, fn]),
  ) as Record<HandlerGroup, LambdaFunction>;
  const userPool = new UserPool(stack, "Users");
  return new CrmHttpApi(stack, "Http", {
    functions,
    userPool,
    userPoolClient: userPool.addClient("Client"),
    routes,
  });
}

describe("CrmHttpApi", () => {
  it.each(["/v1/dev/token", "/dev/token", "/v1/dev"])("refuses to deploy %s", (path) => {
    expect(() => build([{ method: "POST", path, group: "health", auth: false }])).toThrow(
      /local only and cannot be deployed/,
    );
  });

  it("accepts a path that merely starts with the letters dev", () => {
    expect(() =>
      build([{ method: "GET", path: "/v1/devices", group: "health", auth: true }]),
    ).not.toThrow();
  });
});

describe("routeThrottles", () => {
  it("names only routes of the route table, so no limit is silently dropped", () => {
    const routeKeys = routes.map((route) => `${route.method} ${route.path}`);
    expect(Object.keys(routeThrottles).filter((key) => !routeKeys.includes(key))).toEqual([]);
  });

  it("keeps every route's limit below the stage's", () => {
    for (const throttle of Object.values(routeThrottles)) {
      expect(throttle.rateLimit).toBeLessThan(stageThrottle.rateLimit);
      expect(throttle.burstLimit).toBeLessThan(stageThrottle.burstLimit);
    }
  });
});
