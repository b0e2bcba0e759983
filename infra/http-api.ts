/**
 * The HTTP API: every route of `functions/routes.ts` on its handler group's function, the
 * Cognito JWT authorizer on every route that says `auth: true`, CORS for the add-in's origin
 * only, stage throttling and JSON access logs.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IUserPoolClient, UserPool } from "aws-cdk-lib/aws-cognito";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { type HandlerGroup, type Route, routes } from "../functions/routes.ts";
import { logRetention } from "./handler-functions.ts";

/**
 * Stage-wide limits (requests per second, and the burst above it). A team of 50 makes a few
 * requests per second; the limit caps what a runaway recalculation loop can cost, and sits
 * well above a paced import (see docs/deploy.md, "Scaling").
 */
export const stageThrottle = { rateLimit: 100, burstLimit: 200 } as const;

/** Request headers the add-in sends across origins, and response headers it reads. */
const corsAllowHeaders = [
  "authorization",
  "content-type",
  "if-match",
  "if-none-match",
  "idempotency-key",
];
const corsExposeHeaders = ["etag", "retry-after"];

// The local gateway's token endpoint must never reach AWS: it signs whatever it is asked to.
const devPath = /^(\/v1)?\/dev(\/|$)/;

/** Props of {@link CrmHttpApi}. */
export interface CrmHttpApiProps {
  readonly functions: Readonly<Record<HandlerGroup, IFunction>>;
  readonly userPool: UserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The add-in's origin (`https://…`), the only one allowed by CORS. */
  readonly allowedOrigin: string;
  /** Routes to serve; the route table of `functions/routes.ts` unless a test passes others. */
  readonly routes?: readonly Route[];
}

/** The HTTP API with its authorizer, default stage and access logs. */
export class CrmHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Routes the route table marks `auth: false` (only the health check). */
  readonly publicRoutes: HttpRoute[] = [];
  /** Base URL of the API without `/v1`, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CrmHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, "Api", {
      description: "CRM credit: shared customer records",
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.allowedOrigin],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.PUT,
          CorsHttpMethod.POST,
          CorsHttpMethod.DELETE,
        ],
        allowHeaders: corsAllowHeaders,
        exposeHeaders: corsExposeHeaders,
        // Bearer tokens, not cookies: the browser need not send credentials.
        allowCredentials: false,
        maxAge: Duration.days(1),
      },
    });

    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: stageThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        // JSON, so the throttling alarm can count `status = 429` with a metric filter.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            method: "$context.httpMethod",
            routeKey: "$context.routeKey",
            status: "$context.status",
            latency: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
            user: "$context.authorizer.claims.sub",
          }),
        ),
      },
    });
    this.url = this.api.apiEndpoint;

    const authorizer = new HttpJwtAuthorizer("Cognito", props.userPool.userPoolProviderUrl, {
      jwtAudience: [props.userPoolClient.userPoolClientId],
      identitySource: ["$request.header.Authorization"],
    });
    const integrations = new Map<HandlerGroup, HttpLambdaIntegration>();
    const integrationFor = (group: HandlerGroup): HttpLambdaIntegration => {
      const existing = integrations.get(group);
      if (existing) return existing;
      const created = new HttpLambdaIntegration(`${group}Integration`, props.functions[group]);
      integrations.set(group, created);
      return created;
    };

    for (const route of props.routes ?? routes) {
      if (devPath.test(route.path)) {
        throw new Error(`Route ${route.method} ${route.path} is local only and cannot be deployed`);
      }
      const added = this.addRoute(route, integrationFor(route.group), authorizer);
      if (!route.auth) this.publicRoutes.push(...added);
    }
  }

  private addRoute(
    route: Route,
    integration: HttpLambdaIntegration,
    authorizer: HttpJwtAuthorizer,
  ): HttpRoute[] {
    return this.api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration,
      // Explicitly none, not "inherit the default": the route table decides, nothing else.
      authorizer: route.auth ? authorizer : new HttpNoneAuthorizer(),
    });
  }
}
