/**
 * Hosting for the add-in: a private S3 bucket behind CloudFront (origin access control,
 * security headers with the add-in's Content-Security-Policy, optionally the company's own
 * domain), the HTTP API behind the same distribution under `/v1/*` (one origin for pages and
 * API, as the local dev server has it), access logs, and the upload of `dist/` plus the
 * `config.json` that switches the pane from local mode to Cognito sign-in.
 */
import { Duration, Lazy, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  type ErrorResponse,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import {
  type AddToPrincipalPolicyResult,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from "aws-cdk-lib/aws-iam";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { bucketRef } from "./cdk-types.ts";
import { contentSecurityPolicy } from "./content-security-policy.ts";
import { logRetention } from "./handler-functions.ts";
import type { StackSettings } from "./settings.ts";

/**
 * What the pane reads from `/config.json` in AWS (absent locally: dev users). No `apiBase`: the
 * API is on the pane's own origin, deployed (CloudFront's `/v1/*`) as locally (the dev server).
 */
export interface AddinConfig {
  /** The OpenID issuer (the user pool) whose discovery document gives the pane its endpoints. */
  readonly auth: { readonly issuer: string; readonly clientId: string };
}

/** The page Office opens and CloudFront serves for `/`. */
export const addinStartPage = "taskpane.html";

/** The paths CloudFront sends to the HTTP API instead of the bucket (every route is `/v1/…`). */
export const apiPathPattern = "/v1/*";

// Files of `dist/` that are not part of the site: the Lambda bundles ship through their own
// assets, a local config.json would point the deployed pane at a laptop, and a manifest there
// is a local one (npm run deploy writes the deployed one after the deploy, from its outputs).
const notServed = ["lambda", "config.json", "manifest.xml"];

/**
 * The 4xx and 5xx codes CloudFront caches (for 10 s by default, whatever the cache policy, and
 * ignoring `no-store` on most of them): cached for 0 s here, or one user's API error on a GET
 * would be another user's answer for the next 10 s. On the pages it only means a missing file
 * is asked for again.
 */
const uncachedErrors: ErrorResponse[] = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504].map(
  (httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) }),
);

/** The HTTP API's host name (`<api id>.execute-api.<region>.amazonaws.com`), CloudFront's origin. */
function apiHost(api: HttpApi): string {
  const stack = Stack.of(api);
  return `${api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
}

/** Props of {@link AddinHosting}. */
export interface AddinHostingProps {
  /** The company's domain for the add-in, with its us-east-1 certificate; else *.cloudfront.net. */
  readonly customDomain?: StackSettings["customDomain"];
}

/** The bucket, the distribution and their logs. */
export class AddinHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<custom domain>` or `https://…cloudfront.net`, no trailing slash. */
  readonly url: string;
  /** Whether the distribution serves the company's domain with its own certificate. */
  readonly hasCustomDomain: boolean;
  /** The upload function's role, once {@link deploySite} made it. */
  uploadRole: Role | undefined;
  readonly #connectSources: string[] = [];
  readonly #headers: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: AddinHostingProps = {}) {
    super(scope, id);
    this.logBucket = new Bucket(this, "AccessLogs", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront's standard logs are delivered with an ACL, which needs this ownership mode.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      // CloudFront's logs are kept a year: behind CloudFront the API's access log sees an edge's
      // address, and these logs have the caller's (c-ip) for every /v1 request of the audit.
      lifecycleRules: [
        { prefix: "s3/", expiration: Duration.days(90) },
        { prefix: "cloudfront/", expiration: Duration.days(365) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, "Site", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: bucketRef(this.logBucket),
      serverAccessLogsPrefix: "s3/",
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "CRM add-in: security headers that still let Excel frame the pane",
      securityHeadersBehavior: {
        // Resolved at synth, so the stack can add the API and sign-in origins after this.
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({
            produce: () => contentSecurityPolicy(this.#connectSources),
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        // No X-Frame-Options: Excel on the web shows the task pane in an iframe; the policy's
        // frame-ancestors names the Office hosts that may.
      },
    });
    this.#headers = headers;

    const domain = props.customDomain;
    this.hasCustomDomain = domain !== undefined;

    this.distribution = new Distribution(this, "Cdn", {
      comment: "CRM credit add-in",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucketRef(this.bucket)),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      defaultRootObject: addinStartPage,
      errorResponses: uncachedErrors,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // The minimum TLS version only applies with a custom domain's certificate; on
      // *.cloudfront.net CloudFront fixes the policy itself.
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, "Certificate", domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: bucketRef(this.logBucket),
      logFilePrefix: "cloudfront/",
    });
    this.url = `https://${domain?.name ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Serves the HTTP API under `/v1/*` of the add-in's origin: every method, nothing cached, every
   * viewer header (`Authorization`, `If-Match`, `Idempotency-Key`, …) forwarded except `Host`,
   * which API Gateway needs to be its own. Same origin, so the API needs no CORS and the policy's
   * `connect-src 'self'` covers it: no reference from the policy to the API, hence no cycle.
   */
  serveApi(api: HttpApi): void {
    this.distribution.addBehavior(
      apiPathPattern,
      new HttpOrigin(apiHost(api), {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        // API Gateway gives up at 30 s (the handlers at 29 s); CloudFront waits as long.
        readTimeout: Duration.seconds(30),
      }),
      {
        // A redirect would turn a POST into a GET: plain HTTP is refused instead.
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.#headers,
      },
    );
  }

  /** Lets the pages connect to these origins too (`connect-src`), besides their own. */
  allowConnections(...origins: string[]): void {
    this.#connectSources.push(...origins);
  }

  /**
   * Uploads the built add-in and its `config.json`, then invalidates CloudFront's cache. The
   * config is written by the stack (its values are CloudFormation references resolved at
   * deploy), so nothing in `dist/` depends on where the stack is deployed.
   */
  deploySite(distDir: string, config: AddinConfig): BucketDeployment {
    const logGroup = new LogGroup(this, "UploadLogs", {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of CDK's default: no AWSLambdaBasicExecutionRole (any log group), and
    // the invalidation limited to this distribution.
    this.uploadRole = new UploadRole(this, "UploadRole", this.distribution);
    logGroup.grantWrite(this.uploadRole);
    return new BucketDeployment(this, "Upload", {
      destinationBucket: bucketRef(this.bucket),
      sources: [
        Source.asset(distDir, { exclude: notServed }),
        Source.jsonData("config.json", config),
      ],
      distribution: this.distribution,
      distributionPaths: ["/*"],
      logGroup,
      role: this.uploadRole,
      memoryLimit: 512,
    });
  }
}

/**
 * The upload function's role. BucketDeployment allows `cloudfront:CreateInvalidation` and
 * `cloudfront:GetInvalidation` on `*`; both take a distribution ARN as resource, so this role
 * narrows any CloudFront statement on `*` to the one distribution (as
 * `Distribution.grantCreateInvalidation` does).
 */
class UploadRole extends Role {
  readonly #distribution: Distribution;

  constructor(scope: Construct, id: string, distribution: Distribution) {
    super(scope, id, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: "CRM add-in upload: copy dist/ to the site bucket, invalidate its distribution",
    });
    this.#distribution = distribution;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    const json = statement.toStatementJson() as { Action?: string | string[]; Resource?: unknown };
    const actions = [json.Action ?? []].flat();
    const onAnyCloudFront =
      json.Resource === "*" &&
      actions.length > 0 &&
      actions.every((action) => action.startsWith("cloudfront:"));
    if (!onAnyCloudFront) return super.addToPrincipalPolicy(statement);
    return super.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [this.#distribution.distributionArn] }),
    );
  }
}
