/**
 * The HTTP API: every route of `functions/routes.ts` on its handler group's function, the
 * Cognito JWT authorizer on every route that says `auth: true`, stage and per-route
 * throttling, and JSON access logs kept for a year. No CORS: the add-in calls it through its
 * own origin (CloudFront's `/v1/*`, `infra/hosting.ts`), so no other origin's page may.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
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
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { type HandlerGroup, type Route, routes } from "../functions/routes.ts";

/** A throttle: steady requests per second, and the burst (token bucket size) above it. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Stage-wide limits, sized for the stated target of 1,000 teams of 50: about 2,300 requests/s
 * on average over a working day, twice that at the morning peak (docs/deploy.md, "Throttling").
 * Within the account's regional API Gateway quota of 10,000 requests/s (burst 5,000).
 */
export const stageThrottle: Throttle = { rateLimit: 5_000, burstLimit: 5_000 };

/**
 * Tighter limits on the expensive routes, so that they cannot take the stage's budget (or the
 * account's Lambda concurrency) from everyone else: a grading run holds 1 GB for up to 29 s,
 * a batch write up to 200 records for about a second.
 */
export const routeThrottles: Readonly<Record<string, Throttle>> = {
  "POST /v1/grading/run": { rateLimit: 2, burstLimit: 10 },
  "POST /v1/customers/batch-write": { rateLimit: 250, burstLimit: 500 },
};

/** API access logs are an audit trail of who changed credit data: kept a year, and kept. */
export const accessLogRetention = RetentionDays.ONE_YEAR;

/**
 * One JSON line per request: who (token subject, source IP, user agent), what (route, path),
 * and how it went. JSON, so the throttling alarm can count `status = 429` with a metric filter.
 */
export const accessLogFields = {
  requestId: "$context.requestId",
  time: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  user: "$context.authorizer.claims.sub",
  method: "$context.httpMethod",
  routeKey: "$context.routeKey",
  path: "$context.path",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latency: "$context.responseLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
} as const;

// The local gateway's token endpoint must never reach AWS: it signs whatever it is asked to.
const devPath = /^(\/v1)?\/dev(\/|$)/;

/** Props of {@link CrmHttpApi}. */
export interface CrmHttpApiProps {
  readonly functions: Readonly<Record<HandlerGroup, IFunction>>;
  readonly userPool: UserPool;
  readonly userPoolClient: IUserPoolClient;
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

  constructor(scope: Construct, id: string, props: CrmHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, "Api", {
      description: "CRM credit: shared customer records",
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: accessLogRetention,
      // Kept when the stack is deleted: docs/deploy.md, "Tearing down", says how to remove it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: stageThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

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

    const throttled: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> =
      {};
    for (const route of props.routes ?? routes) {
      if (devPath.test(route.path)) {
        throw new Error(`Route ${route.method} ${route.path} is local only and cannot be deployed`);
      }
      const added = this.addRoute(route, integrationFor(route.group), authorizer);
      if (!route.auth) this.publicRoutes.push(...added);
      const routeKey = `${route.method} ${route.path}`;
      const throttle = routeThrottles[routeKey];
      if (throttle) {
        throttled[routeKey] = {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
        };
        // API Gateway refuses route settings for a route that does not exist yet.
        this.stage.node.addDependency(...added);
      }
    }
    if (Object.keys(throttled).length > 0) {
      (this.stage.node.defaultChild as CfnStage).routeSettings = throttled;
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
