/**
 * Hosting for the add-in's pages: a private S3 bucket behind CloudFront (origin access
 * control, security headers with the add-in's Content-Security-Policy, optionally the
 * company's own domain), access logs for both, and the upload of `dist/` plus the
 * `config.json` that switches the pane from local mode to Cognito and the deployed API.
 */
import { Duration, Lazy, RemovalPolicy } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  Distribution,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
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

/** What the pane reads from `/config.json` in AWS (absent locally: dev users, same origin). */
export interface AddinConfig {
  /** API base without `/v1`. */
  readonly apiBase: string;
  readonly auth: {
    /** Hosted UI host name, without `https://`. */
    readonly domain: string;
    readonly clientId: string;
    readonly region: string;
  };
}

/** The page Office opens and CloudFront serves for `/`. */
export const addinStartPage = "taskpane.html";

// Files of `dist/` that are not part of the site: the Lambda bundles ship through their own
// assets, and a local config.json would point the deployed pane at a laptop.
const notServed = ["lambda", "config.json"];

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

  constructor(scope: Construct, id: string, props: AddinHostingProps = {}) {
    super(scope, id);
    this.logBucket = new Bucket(this, "AccessLogs", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront's standard logs are delivered with an ACL, which needs this ownership mode.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
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

  /** Lets the pages connect to these origins too (`connect-src`), besides their own. */
  allowConnections(...origins: string[]): void {
    this.#connectSources.push(...origins);
  }

  /** Uploads the built add-in and its `config.json`, then invalidates CloudFront's cache. */
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
