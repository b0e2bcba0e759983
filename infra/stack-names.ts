/**
 * Names shared by the stack, `npm run deploy` and the docs, in a module without CDK imports so
 * the deploy script can read its outputs without loading aws-cdk-lib.
 */

/** Name of the CloudFormation stack. */
export const stackName = "CrmCredit";

/** Names of the stack outputs. */
export const outputNames = {
  apiUrl: "ApiUrl",
  addinUrl: "AddinUrl",
  userPoolId: "UserPoolId",
  userPoolClientId: "UserPoolClientId",
  authDomain: "AuthDomain",
  region: "Region",
  tableName: "TableName",
  alarmTopicArn: "AlarmTopicArn",
} as const;
