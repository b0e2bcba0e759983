/**
 * The one DynamoDB table: every team's records, audit entries, policies, credit requests and
 * idempotency records, keyed as `functions/routes.ts` says so the handlers and CDK agree.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { tableSchema } from "../functions/routes.ts";

/** Creates the records table: on demand, recoverable to the second, never dropped by accident. */
export function createRecordsTable(scope: Construct): TableV2 {
  return new TableV2(scope, "Records", {
    partitionKey: { name: tableSchema.partitionKey, type: AttributeType.STRING },
    sortKey: { name: tableSchema.sortKey, type: AttributeType.STRING },
    // On demand: a sales team's traffic is bursty (pulls, imports) and idle at night.
    billing: Billing.onDemand(),
    // The AWS managed key (aws/dynamodb): encrypted at rest, no key to pay for or rotate.
    encryption: TableEncryptionV2.awsManagedKey(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    // Idempotency records expire after 24 hours on their own.
    timeToLiveAttribute: tableSchema.timeToLiveAttribute,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
