/**
 * aws-cdk-lib's classes declare some members optional (`Bucket.isWebsite?`) that its
 * interfaces declare required (`IBucket.isWebsite`, `ITableV2.tableId`). Under this repository's
 * `exactOptionalPropertyTypes` a `Bucket` is then not an `IBucket`, although CDK itself passes
 * one as the other everywhere. This is the one place that says so.
 */
import type { ITableV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { Bucket, IBucket } from "aws-cdk-lib/aws-s3";

/** The bucket as the interface CDK's own APIs take. */
export function bucketRef(bucket: Bucket): IBucket {
  return bucket as IBucket;
}

/** The table as the interface CDK's own APIs take. */
export function tableRef(table: TableV2): ITableV2 {
  return table as ITableV2;
}
