/**
 * The synthesized CloudFormation template of the whole stack, read with
 * aws-cdk-lib/assertions, and cdk-nag's AWS Solutions checks over the same synth (one synth
 * for the file: it bundles every handler with esbuild). The add-in build is a small stand-in
 * `dist/` in a temporary folder, so the upload and its config.json are part of the template.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PolicyValidationPluginReport } from "aws-cdk-lib";
import { App, Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { AwsSolutionsChecks } from "cdk-nag";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WRITE_BUDGET_MS } from "../functions/customerWrites.ts";
import { type HandlerGroup, handlerGroups, routes, tableSchema } from "../functions/routes.ts";
import { ATTEMPT_TIMEOUT_MS } from "../functions/store/feed.ts";
import { officeFrameAncestors, officeJsOrigin } from "./content-security-policy.ts";
import { CrmStack } from "./crm-stack.ts";
import { accessLogFields, routeThrottles, stageThrottle } from "./http-api.ts";
import type { StackSettings } from "./settings.ts";
import { outputNames } from "./stack-names.ts";

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const groups = Object.keys(handlerGroups) as HandlerGroup[];
const settings: StackSettings = {
  authDomainPrefix: "crm-test",
  withAssets: "auto",
  alarmEmail: undefined,
};

let workDir: string;
let app: App;
let stack: CrmStack;
let template: Template;
let resources: Resources;
let nagReport: PolicyValidationPluginReport;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "crm-infra-"));
  const distDir = join(workDir, "dist");
  mkdirSync(join(distDir, "lambda", "customers"), { recursive: true });
  writeFileSync(join(distDir, "taskpane.html"), "<!doctype html><title>CRM</title>");
  writeFileSync(join(distDir, "lambda", "customers", "index.mjs"), "export const handler = 1;");
  writeFileSync(join(distDir, "config.json"), '{"apiBase":"http://127.0.0.1:8787"}');
  writeFileSync(join(distDir, "manifest.xml"), "<OfficeApp/>");

  app = new App({ outdir: join(workDir, "cdk.out") });
  stack = new CrmStack(app, "CrmTest", { settings, distDir });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Resources;
  nagReport = new AwsSolutionsChecks(app).validateScope(stack);
  // Bundling five handlers and CDK's CloudFormation validation take a while on a busy machine.
}, 300_000);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnFunction);
}

function ofType(type: string): [string, Record<string, unknown>][] {
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties]);
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOfRole(roleId: string): Statement[] {
  return ofType("AWS::IAM::Policy")
    .filter(([, props]) => JSON.stringify(props.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, props]) => (props.PolicyDocument as { Statement: Statement[] }).Statement);
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function functionProps(group: HandlerGroup): Record<string, unknown> {
  const resource = resources[logicalId(stack.functions.byGroup[group])];
  if (!resource) throw new Error(`no function for ${group} in the template`);
  return resource.Properties;
}

/** Every cdk-nag finding acknowledged in a stack: [rule, reason]. */
function acknowledgedFindings(scope: Stack): [string, string][] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === "aws:cdk:acknowledged-rules")
    .flatMap((m) => Object.entries(m.data as Record<string, string>));
}

/** A template value as text, `{ Ref: X }` as `<X>` and joins joined, so a test can read it. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  const intrinsic = value as Record<string, unknown>;
  if ("Ref" in intrinsic) return `<${String(intrinsic.Ref)}>`;
  if ("Fn::GetAtt" in intrinsic) return `<${(intrinsic["Fn::GetAtt"] as string[]).join(".")}>`;
  if ("Fn::Join" in intrinsic) {
    const [separator, parts] = intrinsic["Fn::Join"] as [string, unknown[]];
    return parts.map(asText).join(separator);
  }
  return JSON.stringify(value);
}

/** The Content-Security-Policy CloudFront sends: directive name → sources. */
function policyOf(synthesized: Template): Map<string, string[]> {
  const [policy] = Object.values(
    synthesized.findResources("AWS::CloudFront::ResponseHeadersPolicy"),
  ) as { Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: unknown } } }[];
  const headers = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig as {
    ContentSecurityPolicy: { ContentSecurityPolicy: unknown; Override: boolean };
  };
  const directives = asText(headers.ContentSecurityPolicy.ContentSecurityPolicy).split("; ");
  return new Map(
    directives.map((directive) => {
      const [name = "", ...sources] = directive.split(" ");
      return [name, sources];
    }),
  );
}

const tableArn = (): unknown => ({ "Fn::GetAtt": [logicalId(stack.table), "Arn"] });

describe("Lambda functions", () => {
  it("creates exactly one function per handler group of the route table", () => {
    const handlerFunctions = ofType("AWS::Lambda::Function").filter(([, props]) =>
      String(props.Runtime).startsWith("nodejs"),
    );
    expect(handlerFunctions.map(([id]) => id).sort()).toEqual(
      groups.map((group) => logicalId(stack.functions.byGroup[group])).sort(),
    );
  });

  it.each(groups)("runs the %s function on Node.js 22 and arm64", (group) => {
    const props = functionProps(group);
    expect(props.Runtime).toBe("nodejs22.x");
    expect(props.Architectures).toEqual(["arm64"]);
  });

  it.each(groups)("gives the %s function the table name in TABLE_NAME", (group) => {
    expect(functionProps(group).Environment).toEqual({
      Variables: expect.objectContaining({ TABLE_NAME: { Ref: logicalId(stack.table) } }),
    });
  });

  it("ships the handlers' source maps without switching them on at run time", () => {
    for (const group of groups) {
      const variables = (functionProps(group).Environment as { Variables: object }).Variables;
      expect(variables).not.toHaveProperty("NODE_OPTIONS");
      expect(functionProps(group).Handler).toBe("index.handler");
    }
  });

  it("writes every function's logs to its own log group kept for 30 days", () => {
    for (const group of groups) {
      const logGroupId = (functionProps(group).LoggingConfig as { LogGroup: { Ref: string } })
        .LogGroup.Ref;
      expect(resources[logGroupId]?.Properties.RetentionInDays).toBe(30);
    }
  });

  it.each(groups)("traces the %s function with X-Ray", (group) => {
    expect(functionProps(group).TracingConfig).toEqual({ Mode: "Active" });
  });

  it("caps the grading function's concurrency and leaves the others in the shared pool", () => {
    const reserved = Object.fromEntries(
      groups.map((group) => [group, functionProps(group).ReservedConcurrentExecutions]),
    );
    expect(reserved).toEqual({
      health: undefined,
      customers: undefined,
      policy: undefined,
      credit: undefined,
      grading: 100,
    });
  });

  it("reserves enough for the grading route's throttle at the function's timeout", () => {
    const { rateLimit, burstLimit } = routeThrottles["POST /v1/grading/run"] ?? stageThrottle;
    const timeoutSeconds = Number(functionProps("grading").Timeout);
    expect(rateLimit * timeoutSeconds + burstLimit).toBeLessThanOrEqual(
      Number(functionProps("grading").ReservedConcurrentExecutions),
    );
  });
});

describe("least privilege", () => {
  it.each(groups)("allows the %s function only its group's table actions", (group) => {
    const fn = stack.functions.byGroup[group];
    const roleId = stack.getLogicalId(fn.role?.node.defaultChild as CfnFunction);
    const tableActions = statementsOfRole(roleId)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith("dynamodb:"));
    expect(tableActions.sort()).toEqual([...handlerGroups[group].tableActions].sort());
  });

  it.each(groups)("scopes the %s function's table actions to the table alone", (group) => {
    const fn = stack.functions.byGroup[group];
    const roleId = stack.getLogicalId(fn.role?.node.defaultChild as CfnFunction);
    const tableStatements = statementsOfRole(roleId).filter((s) =>
      actionsOf(s).some((action) => action.startsWith("dynamodb:")),
    );
    for (const statement of tableStatements) {
      expect(statement.Resource).toEqual(tableArn());
    }
  });

  it.each(groups)(
    "lets the %s function do nothing but write its logs, send traces and use the table",
    (group) => {
      const fn = stack.functions.byGroup[group];
      const roleId = stack.getLogicalId(fn.role?.node.defaultChild as CfnFunction);
      const services = new Set(
        statementsOfRole(roleId)
          .flatMap(actionsOf)
          .map((action) => action.split(":")[0]),
      );
      expect([...services].sort()).toEqual(
        handlerGroups[group].tableActions.length > 0
          ? ["dynamodb", "logs", "xray"]
          : ["logs", "xray"],
      );
      expect(resources[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
    },
  );

  it.each(groups)("allows the %s function on '*' only the two X-Ray writes", (group) => {
    const fn = stack.functions.byGroup[group];
    const roleId = stack.getLogicalId(fn.role?.node.defaultChild as CfnFunction);
    const onAnything = statementsOfRole(roleId).filter((s) => s.Resource === "*");
    expect(onAnything.flatMap(actionsOf).sort()).toEqual([
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]);
  });
});

describe("HTTP API", () => {
  const routeKeys = (): Map<string, Record<string, unknown>> =>
    new Map(ofType("AWS::ApiGatewayV2::Route").map(([, p]) => [String(p.RouteKey), p]));

  it("has exactly the routes of the route table", () => {
    expect([...routeKeys().keys()].sort()).toEqual(
      routes.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it("has no /dev route", () => {
    expect([...routeKeys().keys()].filter((key) => key.includes("/dev"))).toEqual([]);
  });

  it("puts the Cognito JWT authorizer on every route but GET /v1/health", () => {
    const [authorizerId] = ofType("AWS::ApiGatewayV2::Authorizer").map(([id]) => id);
    for (const [key, props] of routeKeys()) {
      if (key === "GET /v1/health") continue;
      expect({ key, type: props.AuthorizationType, id: props.AuthorizerId }).toEqual({
        key,
        type: "JWT",
        id: { Ref: authorizerId },
      });
    }
  });

  it("leaves GET /v1/health open", () => {
    expect(routeKeys().get("GET /v1/health")?.AuthorizationType).toBe("NONE");
  });

  it("checks tokens against the user pool as issuer and the add-in client as audience", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(stack.auth.client) }],
        Issuer: { "Fn::GetAtt": [logicalId(stack.auth.userPool), "ProviderURL"] },
      },
    });
  });

  it("sends each route to its handler group's function", () => {
    const integrationTarget = new Map(
      ofType("AWS::ApiGatewayV2::Integration").map(([id, p]) => [
        id,
        (p.IntegrationUri as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0],
      ]),
    );
    for (const route of routes) {
      const props = routeKeys().get(`${route.method} ${route.path}`);
      const target = props?.Target as { "Fn::Join": [string, [string, { Ref: string }]] };
      const integrationId = target["Fn::Join"][1][1].Ref;
      expect(integrationTarget.get(integrationId)).toBe(
        logicalId(stack.functions.byGroup[route.group]),
      );
    }
  });

  it("allows no cross-origin calls: the add-in calls it on its own origin", () => {
    const [api] = ofType("AWS::ApiGatewayV2::Api");
    expect(api?.[1].CorsConfiguration).toBeUndefined();
  });

  const stageResource = (): { Properties: Record<string, unknown>; DependsOn?: string[] } => {
    const [id] = ofType("AWS::ApiGatewayV2::Stage").map(([stageId]) => stageId);
    return template.toJSON().Resources[id ?? ""];
  };

  it("limits the whole stage to 5,000 requests/s with a burst of 5,000", () => {
    expect(stageResource().Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 5_000,
      ThrottlingBurstLimit: 5_000,
    });
  });

  it("throttles the grading run and batch writes per route, below the stage", () => {
    expect(stageResource().Properties.RouteSettings).toEqual({
      "POST /v1/grading/run": { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 10 },
      "POST /v1/customers/batch-write": { ThrottlingRateLimit: 250, ThrottlingBurstLimit: 500 },
    });
  });

  it("creates the throttled routes before the stage that names them", () => {
    const routeIds = ofType("AWS::ApiGatewayV2::Route")
      .filter(([, p]) => String(p.RouteKey) in routeThrottles)
      .map(([id]) => id);
    expect(routeIds).toHaveLength(2);
    expect(stageResource().DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it("logs who made each request: token subject, source IP and user agent, as JSON", () => {
    const settings = stageResource().Properties.AccessLogSettings as {
      DestinationArn: unknown;
      Format: string;
    };
    expect(settings.DestinationArn).toEqual({
      "Fn::GetAtt": [logicalId(stack.http.accessLogs), "Arn"],
    });
    expect(JSON.parse(settings.Format)).toMatchObject({
      user: "$context.authorizer.claims.sub",
      sourceIp: "$context.identity.sourceIp",
      userAgent: "$context.identity.userAgent",
      routeKey: "$context.routeKey",
      status: "$context.status",
    });
    expect(JSON.parse(settings.Format)).toEqual(accessLogFields);
  });

  it("keeps the access logs for a year, and keeps them when the stack is deleted", () => {
    const logs = template.toJSON().Resources[logicalId(stack.http.accessLogs)];
    expect([
      logs.Properties.RetentionInDays,
      logs.DeletionPolicy,
      logs.UpdateReplacePolicy,
    ]).toEqual([365, "Retain", "Retain"]);
  });
});

describe("DynamoDB table", () => {
  it("keys items by the route table's pk and sk strings", () => {
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      KeySchema: [
        { AttributeName: tableSchema.partitionKey, KeyType: "HASH" },
        { AttributeName: tableSchema.sortKey, KeyType: "RANGE" },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: tableSchema.partitionKey, AttributeType: "S" },
        { AttributeName: tableSchema.sortKey, AttributeType: "S" },
      ]),
    });
  });

  it("bills on demand", () => {
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      BillingMode: "PAY_PER_REQUEST",
    });
  });

  it("is encrypted at rest with the AWS managed KMS key", () => {
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
    });
  });

  it("has point-in-time recovery and deletion protection", () => {
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it("expires idempotency records through the TTL attribute", () => {
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
    });
  });

  it("has no secondary index: the change feed is read from the table, strongly consistent", () => {
    const tables = template.findResources("AWS::DynamoDB::GlobalTable");
    const indexes = Object.values(tables).map((table) => [
      table.Properties.GlobalSecondaryIndexes,
      table.Properties.LocalSecondaryIndexes,
    ]);
    expect(indexes).toEqual([[undefined, undefined]]);
  });

  it("gives every handler time for a request's write budget plus one transaction attempt", () => {
    const needed = Math.ceil((WRITE_BUDGET_MS + ATTEMPT_TIMEOUT_MS) / 1000);
    const timeouts = Object.values(template.findResources("AWS::Lambda::Function"))
      .filter((fn) => fn.Properties.Handler === "index.handler")
      .map((fn) => fn.Properties.Timeout as number);
    expect([timeouts.length > 0, timeouts.filter((t) => t <= needed)]).toEqual([true, []]);
  });

  it("is kept when the stack is deleted", () => {
    template.hasResource("AWS::DynamoDB::GlobalTable", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
    });
  });
});

describe("Cognito", () => {
  it("signs users in by e-mail and requires an authenticator-app second factor", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      UsernameAttributes: ["email"],
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it("has a team attribute that the app client can read but not write", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      Schema: Match.arrayWith([Match.objectLike({ Name: "team", AttributeDataType: "String" })]),
    });
    const [client] = ofType("AWS::Cognito::UserPoolClient");
    expect(client?.[1].ReadAttributes).toContain("custom:team");
    expect(client?.[1].WriteAttributes).not.toContain("custom:team");
  });

  it("has a managers group", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolGroup", { GroupName: "managers" });
  });

  it("lets the add-in sign in with the code flow as a public client", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ["openid", "email", "profile"],
      GenerateSecret: false,
      SupportedIdentityProviders: ["COGNITO"],
    });
  });

  it("allows no sign-in flow straight from the client (refresh at the token endpoint)", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", { ExplicitAuthFlows: [] });
  });

  it("redirects to the add-in's callback page after sign-in and after sign-out", () => {
    const domain = { "Fn::GetAtt": [logicalId(stack.hosting.distribution), "DomainName"] };
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      CallbackURLs: [{ "Fn::Join": ["", ["https://", domain, "/auth-callback.html"]] }],
      LogoutURLs: [{ "Fn::Join": ["", ["https://", domain, "/auth-callback.html"]] }],
    });
  });

  it("has a hosted UI domain with the prefix from context", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolDomain", { Domain: "crm-test" });
  });
});

describe("hosting", () => {
  it("blocks public access, enforces encryption and TLS on every bucket", () => {
    const buckets = ofType("AWS::S3::Bucket");
    expect(buckets.length).toBeGreaterThan(0);
    for (const [id, props] of buckets) {
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(props.BucketEncryption).toBeDefined();
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });

  it("serves the site bucket through CloudFront with origin access control over HTTPS", () => {
    template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: "taskpane.html",
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "redirect-to-https" }),
        Origins: Match.arrayWith([
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: "" },
          }),
        ]),
      }),
    });
  });

  it("keeps CloudFront's logs a year, with the API callers' addresses, and S3's 90 days", () => {
    const logs = resources[logicalId(stack.hosting.logBucket)]?.Properties.LifecycleConfiguration;
    expect(logs).toEqual({
      Rules: [
        { Prefix: "s3/", ExpirationInDays: 90, Status: "Enabled" },
        { Prefix: "cloudfront/", ExpirationInDays: 365, Status: "Enabled" },
      ],
    });
  });

  it("sends no X-Frame-Options, which would stop Excel on the web from framing the pane", () => {
    const [policy] = ofType("AWS::CloudFront::ResponseHeadersPolicy");
    const config = JSON.stringify(policy?.[1]);
    expect(config).toContain("StrictTransportSecurity");
    expect(config).not.toContain("FrameOptions");
  });

  it("lets only the Office hosts frame the pages (frame-ancestors)", () => {
    expect(policyOf(template).get("frame-ancestors")).toEqual([...officeFrameAncestors]);
  });

  it("runs scripts only from the add-in and the office.js CDN, never inline or eval", () => {
    const policy = policyOf(template);
    expect(policy.get("script-src")).toEqual(["'self'", officeJsOrigin]);
    expect([...policy.values()].flat().filter((source) => source.includes("unsafe"))).toEqual([]);
  });

  it("allows no plugins, no other base URL and nothing but its own origin by default", () => {
    const policy = policyOf(template);
    expect([policy.get("object-src"), policy.get("base-uri"), policy.get("default-src")]).toEqual([
      ["'none'"],
      ["'self'"],
      ["'self'"],
    ]);
  });

  it("lets the pages connect to their own origin (pages and API) and the sign-in only", () => {
    expect(policyOf(template).get("connect-src")).toEqual([
      "'self'",
      "https://crm-test.auth.<AWS::Region>.amazoncognito.com",
      "https://cognito-idp.<AWS::Region>.amazonaws.com",
    ]);
  });

  it("lets the upload invalidate this distribution and no other", () => {
    const cloudFrontStatements = ofType("AWS::IAM::Policy")
      .flatMap(([, props]) => (props.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => actionsOf(statement).some((a) => a.startsWith("cloudfront:")));
    expect(cloudFrontStatements.flatMap(actionsOf).sort()).toEqual([
      "cloudfront:CreateInvalidation",
      "cloudfront:GetInvalidation",
    ]);
    expect(cloudFrontStatements.map((statement) => asText(statement.Resource))).toEqual([
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${logicalId(stack.hosting.distribution)}>`,
    ]);
  });

  it("gives the upload function its own role without AWS managed policies", () => {
    const roleId = logicalId({
      node: { defaultChild: stack.hosting.uploadRole?.node.defaultChild },
    });
    expect(resources[roleId]?.Type).toBe("AWS::IAM::Role");
    expect(resources[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("writes the pane's config.json itself: the issuer and the Cognito client, no API", () => {
    const deployment = (ofType("Custom::CDKBucketDeployment")[0]?.[1] ?? {}) as {
      SourceMarkers: Record<string, unknown>[];
      SourceMarkersConfig: { jsonEscape?: boolean }[];
      DestinationBucketName: unknown;
    };
    // The markers of the one JSON source (config.json): the CloudFormation values in it.
    const jsonSources = deployment.SourceMarkersConfig.flatMap((config, i) =>
      config.jsonEscape ? [deployment.SourceMarkers[i] ?? {}] : [],
    );
    // The pane finds the endpoints from the user pool's discovery document (its ProviderURL).
    expect(jsonSources.map((markers) => Object.values(markers).map(asText).sort())).toEqual([
      [
        `<${logicalId(stack.auth.userPool)}.ProviderURL>`,
        `<${logicalId(stack.auth.client)}>`,
      ].sort(),
    ]);
    expect(deployment.DestinationBucketName).toEqual({ Ref: logicalId(stack.hosting.bucket) });
  });

  it("serves the API under /v1/* of the add-in's origin: all methods, nothing cached", () => {
    const config = (ofType("AWS::CloudFront::Distribution")[0]?.[1] ?? {}) as {
      DistributionConfig: {
        CacheBehaviors: Record<string, unknown>[];
        Origins: { Id: string; DomainName: unknown; CustomOriginConfig?: unknown }[];
      };
    };
    const { CacheBehaviors: behaviors, Origins: origins } = config.DistributionConfig;
    expect(behaviors).toHaveLength(1);
    const api = behaviors[0] ?? {};
    const origin = origins.find((o) => o.Id === api.TargetOriginId);
    expect({
      path: api.PathPattern,
      methods: api.AllowedMethods,
      viewer: api.ViewerProtocolPolicy,
      // The managed CachingDisabled and AllViewerExceptHostHeader policies: Authorization and
      // the conditional and idempotency headers reach the API, Host stays API Gateway's own.
      cachePolicy: api.CachePolicyId,
      originRequestPolicy: api.OriginRequestPolicyId,
      origin: asText(origin?.DomainName),
      protocol: (origin?.CustomOriginConfig as { OriginProtocolPolicy?: string } | undefined)
        ?.OriginProtocolPolicy,
    }).toEqual({
      path: "/v1/*",
      methods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
      viewer: "https-only",
      cachePolicy: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      originRequestPolicy: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
      origin: `<${logicalId(stack.http.api)}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`,
      protocol: "https-only",
    });
  });

  it("caches no error response, so one user's API error is never another's answer", () => {
    const config = (ofType("AWS::CloudFront::Distribution")[0]?.[1] ?? {}) as {
      DistributionConfig: {
        CustomErrorResponses: { ErrorCode: number; ErrorCachingMinTTL: number }[];
      };
    };
    const errors = config.DistributionConfig.CustomErrorResponses;
    expect(errors.map((e) => e.ErrorCode)).toEqual([
      400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504,
    ]);
    expect(new Set(errors.map((e) => e.ErrorCachingMinTTL))).toEqual(new Set([0]));
  });

  it("leaves the Lambda bundles, any local config.json and manifest out of the site upload", () => {
    const outdir = join(workDir, "cdk.out");
    const siteAssets = readdirSync(outdir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .filter((name) => readdirSync(join(outdir, name)).includes("taskpane.html"));
    expect(siteAssets).toHaveLength(1);
    expect(readdirSync(join(outdir, siteAssets[0] ?? ""))).toEqual(["taskpane.html"]);
  });
});

describe("alarms and outputs", () => {
  it("alarms on API 5xx and on 429 responses counted from the access log", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "5xx",
      Namespace: "AWS/ApiGateway",
    });
    template.hasResourceProperties("AWS::Logs::MetricFilter", {
      FilterPattern: '{ $.status = "429" }',
      LogGroupName: { Ref: logicalId(stack.http.accessLogs) },
    });
  });

  it.each(groups)("alarms on errors and throttles of the %s function", (group) => {
    const fnId = logicalId(stack.functions.byGroup[group]);
    for (const metric of ["Errors", "Throttles"]) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: metric,
        Namespace: "AWS/Lambda",
        Dimensions: [{ Name: "FunctionName", Value: { Ref: fnId } }],
        AlarmActions: [{ Ref: logicalId(stack.alarms.topic) }],
      });
    }
  });

  it("outputs the API URL, the add-in URL and the user pool", () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(
      Object.values(outputNames).sort(),
    );
  });
});

describe("checks", () => {
  it("passes cdk-nag's AWS Solutions checks with only the acknowledged findings", () => {
    const findings = nagReport.violations.map(
      (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
  });

  it("gives a reason for every acknowledged finding", () => {
    const acknowledged = acknowledgedFindings(stack).map(([, reason]) => reason);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const reason of acknowledged) expect(reason.length).toBeGreaterThan(40);
  });

  it("passes CDK's built-in CloudFormation template validation", () => {
    const report = JSON.parse(
      readFileSync(join(workDir, "cdk.out", "validation-report.json"), "utf8"),
    ) as { pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[] };
    const cfn = report.pluginReports.find((r) => r.pluginName === "CloudFormation Validate");
    expect({ conclusion: cfn?.conclusion, violations: cfn?.violations }).toEqual({
      conclusion: "success",
      violations: [],
    });
  });

  it("synthesizes without warnings or errors", () => {
    expect(Annotations.fromStack(stack).findWarning("*", Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findError("*", Match.anyValue())).toEqual([]);
  });
});

describe("stack settings", () => {
  it("refuses withAssets=true when dist/ has not been built, before bundling anything", () => {
    const empty = join(workDir, "no-build");
    mkdirSync(empty);
    expect(
      () =>
        new CrmStack(new App(), "NoBuild", {
          settings: { ...settings, withAssets: "always" },
          distDir: empty,
        }),
    ).toThrow(/npm run build/);
  });

  it("skips the upload in auto mode when dist/ has not been built", () => {
    const empty = join(workDir, "no-build-auto");
    mkdirSync(empty);
    const app2 = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const unbuilt = new CrmStack(app2, "Unbuilt", { settings, distDir: empty });
    expect(unbuilt.servesAssets).toBe(false);
    expect(
      Stack.of(unbuilt)
        .node.findAll()
        .some((c) => c.node.id === "Upload"),
    ).toBe(false);
  });
});

describe("a company's deployment: own domain, a restored table adopted", () => {
  const domain = "crm.example.com";
  const restoredTable = "CrmCredit-Records-restored-20261201";
  let company: CrmStack;
  let companyTemplate: Template;
  let companyNag: PolicyValidationPluginReport;

  beforeAll(() => {
    // Bundling skipped: the handlers are the same as above; this is about hosting and sign-in.
    const companyApp = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    company = new CrmStack(companyApp, "Company", {
      settings: {
        ...settings,
        tableName: restoredTable,
        customDomain: {
          name: domain,
          certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef",
        },
      },
      distDir: join(workDir, "dist"),
    });
    companyTemplate = Template.fromStack(company);
    companyNag = new AwsSolutionsChecks(companyApp).validateScope(company);
  }, 120_000);

  it("serves the add-in on the domain with its us-east-1 certificate and TLS 1.2 at least", () => {
    companyTemplate.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        Aliases: [domain],
        ViewerCertificate: {
          AcmCertificateArn: Match.stringLikeRegexp("^arn:aws:acm:us-east-1:"),
          MinimumProtocolVersion: "TLSv1.2_2021",
          SslSupportMethod: "sni-only",
        },
      }),
    });
  });

  it("moves the sign-in redirects, the add-in URL and the API's to the domain", () => {
    const json = companyTemplate.toJSON();
    const [client] = Object.values(
      companyTemplate.findResources("AWS::Cognito::UserPoolClient"),
    ) as { Properties: Record<string, unknown> }[];
    expect({
      callbacks: client?.Properties.CallbackURLs,
      addinUrl: json.Outputs[outputNames.addinUrl].Value,
      apiUrl: json.Outputs[outputNames.apiUrl].Value,
    }).toEqual({
      callbacks: [`https://${domain}/auth-callback.html`],
      addinUrl: `https://${domain}`,
      apiUrl: `https://${domain}`,
    });
  });

  it("uses the restored table and leaves its own out of the stack", () => {
    const functions = Object.values(companyTemplate.findResources("AWS::Lambda::Function")).filter(
      (fn) => String(fn.Properties.Runtime).startsWith("nodejs"),
    );
    const tableStatements = Object.values(companyTemplate.findResources("AWS::IAM::Policy"))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => actionsOf(statement).some((a) => a.startsWith("dynamodb:")));
    expect({
      tables: Object.keys(companyTemplate.findResources("AWS::DynamoDB::GlobalTable")),
      names: [...new Set(functions.map((fn) => fn.Properties.Environment.Variables.TABLE_NAME))],
      resources: [...new Set(tableStatements.map((statement) => asText(statement.Resource)))],
    }).toEqual({
      tables: [],
      names: [restoredTable],
      resources: [
        `arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${restoredTable}`,
      ],
    });
  });

  it("passes cdk-nag without acknowledging the default certificate's TLS finding", () => {
    const acknowledged = acknowledgedFindings(company).map(([rule]) => rule);
    expect({
      violations: companyNag.violations.map((v) => v.ruleName),
      cfr4: acknowledged.filter((id) => id.startsWith("AwsSolutions-CFR4")),
    }).toEqual({ violations: [], cfr4: [] });
  });
});
