/**
 * The cdk-nag (AwsSolutions) findings this stack accepts, each on the one construct it concerns
 * and with the reason. Everything else must pass: the tests fail on any unacknowledged finding.
 */
import { type Stack, Validations } from "aws-cdk-lib";
import type { CfnBucket } from "aws-cdk-lib/aws-s3";
import type { IConstruct } from "constructs";
import type { HandlerFunctions } from "./handler-functions.ts";
import type { AddinHosting } from "./hosting.ts";
import type { CrmHttpApi } from "./http-api.ts";

/** The constructs that carry acknowledged findings. */
export interface NagSubjects {
  readonly functions: HandlerFunctions;
  readonly hosting: AddinHosting;
  readonly http: CrmHttpApi;
}

const nodeRuntimeReason =
  "Node.js 22 is a supported LTS Lambda runtime and the version the handlers are built and " +
  "tested for (esbuild target node22); moving to a newer one is a deliberate, tested change.";

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** Acknowledges every justified cdk-nag finding of the stack. */
export function suppressJustifiedFindings(stack: Stack, subjects: NagSubjects): void {
  for (const fn of Object.values(subjects.functions.byGroup)) {
    acknowledge(fn, "AwsSolutions-L1", nodeRuntimeReason);
    if (fn.role) {
      acknowledge(
        fn.role,
        "AwsSolutions-IAM5[Resource::*]",
        "Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no " +
          "resource-level permissions (IAM service authorization reference), so '*' is the only " +
          "resource they can name; the statement holds those two actions and nothing else.",
      );
    }
  }

  for (const route of subjects.http.publicRoutes) {
    acknowledge(
      route,
      "AwsSolutions-APIG4",
      "Public by contract (api.md): only GET /v1/health, which answers {ok: true} and reads " +
        "nothing; the tests check that every other route has the JWT authorizer.",
    );
  }

  const cdn = subjects.hosting.distribution;
  acknowledge(
    cdn,
    "AwsSolutions-CFR1",
    "Sales staff sign in from wherever they travel; the site is public static code without " +
      "data, and access to data is decided by the API's Cognito authorizer.",
  );
  acknowledge(
    cdn,
    "AwsSolutions-CFR2",
    "The static add-in files hold no data, and the API it forwards under /v1/* is protected " +
      "by the Cognito JWT authorizer and stage and route throttling. WAF's monthly base cost " +
      "would exceed the rest of the stack for a team of 50.",
  );
  if (!subjects.hosting.hasCustomDomain) {
    acknowledge(
      cdn,
      "AwsSolutions-CFR4",
      "Without a custom domain CloudFront must use its default *.cloudfront.net certificate, " +
        "whose policy CloudFormation reports as TLSv1; with the addinDomain and " +
        "addinCertificateArn settings (docs/deploy.md) the stack uses TLSv1.2_2021 instead.",
    );
  }

  acknowledgeBucketDeployment(stack, subjects.hosting);
}

// BucketDeployment runs a CDK-owned singleton function (code and runtime are CDK's) under the
// role AddinHosting gives it: its own log group, the two buckets, and invalidations of the one
// distribution (no finding there: scoped to the distribution's ARN).
function acknowledgeBucketDeployment(stack: Stack, hosting: AddinHosting): void {
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith("Custom::CDKBucketDeployment"),
  );
  if (!handler || !hosting.uploadRole) return;
  const reason = (what: string): string =>
    `CDK's BucketDeployment handler (owned by aws-cdk-lib) needs ${what} to copy dist/ from ` +
    "the CDK asset bucket into the site bucket and delete files a new build no longer has.";
  acknowledge(handler, "AwsSolutions-L1", reason("the Python runtime CDK pins for it"));
  const siteBucket = stack.getLogicalId(hosting.bucket.node.defaultChild as CfnBucket);
  const wildcards = [
    "Action::s3:GetObject*",
    "Action::s3:GetBucket*",
    "Action::s3:List*",
    "Action::s3:DeleteObject*",
    "Action::s3:Abort*",
    "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
    `Resource::<${siteBucket}.Arn>/*`,
  ];
  for (const finding of wildcards) {
    acknowledge(
      hosting.uploadRole,
      `AwsSolutions-IAM5[${finding}]`,
      reason("read, write and prune access on the objects of those two buckets"),
    );
  }
}
