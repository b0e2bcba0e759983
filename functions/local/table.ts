/** Creates the single table (as the CDK stack does) in DynamoDB Local. */
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { tableSchema } from "../routes.ts";
import { localClientConfig } from "./dynamoLocal.ts";

/** Creates `name` if it does not exist yet (data kept in `.data/` survives restarts). */
export async function ensureTable(endpoint: string, name: string): Promise<void> {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: tableSchema.partitionKey, AttributeType: "S" },
          { AttributeName: tableSchema.sortKey, AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: tableSchema.partitionKey, KeyType: "HASH" },
          { AttributeName: tableSchema.sortKey, KeyType: "RANGE" },
        ],
      }),
    );
    // DynamoDB Local accepts the TTL setting but never expires items; reads check expiry too.
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}
