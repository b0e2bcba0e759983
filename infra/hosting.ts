/**
 * Hosting for the add-in's pages: a private S3 bucket behind CloudFront (origin access
 * control), access logs for both, and the upload of `dist/` plus the `config.json` that
 * switches the pane from local mode to Cognito and the deployed API.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import {
  Distribution,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { bucketRef } from "./cdk-types.ts";
import { logRetention } from "./handler-functions.ts";

/** What the pane reads from `/config.json` in AWS (absent locally: dev users, same origin). */
export interface AddinConfig {
  /** API base without `/v1`. */
  readonly apiBase: string;
  /** The OpenID issuer (the user pool) whose discovery document gives the pane its endpoints. */
  readonly auth: { readonly issuer: string; readonly clientId: string };
}

/** The page Office opens and CloudFront serves for `/`. */
export const addinStartPage = "taskpane.html";

// Files of `dist/` that are not part of the site: the Lambda bundles ship through their own
// assets, and a local config.json would point the deployed pane at a laptop.
const notServed = ["lambda", "config.json"];

/** The bucket, the distribution and their logs. */
export class AddinHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://…cloudfront.net`, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string) {
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
        // No X-Frame-Options: Excel on the web shows the task pane in an iframe.
      },
    });

    this.distribution = new Distribution(this, "Cdn", {
      comment: "CRM credit add-in",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucketRef(this.bucket)),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      defaultRootObject: addinStartPage,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // No minimumProtocolVersion: it only applies with a custom domain's certificate (see
      // docs/deploy.md); on *.cloudfront.net CloudFront fixes the policy itself.
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: bucketRef(this.logBucket),
      logFilePrefix: "cloudfront/",
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /** Uploads the built add-in and its `config.json`, then invalidates CloudFront's cache. */
  deploySite(distDir: string, config: AddinConfig): BucketDeployment {
    return new BucketDeployment(this, "Upload", {
      destinationBucket: bucketRef(this.bucket),
      sources: [
        Source.asset(distDir, { exclude: notServed }),
        Source.jsonData("config.json", config),
      ],
      distribution: this.distribution,
      distributionPaths: ["/*"],
      logGroup: new LogGroup(this, "UploadLogs", {
        retention: logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      memoryLimit: 512,
    });
  }
}
