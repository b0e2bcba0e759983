/** Reading `cdk deploy --outputs-file` for `npm run deploy`. */
import { describe, expect, it } from "vitest";
import { readStackOutputs } from "./stack-outputs.ts";

const outputs = {
  ApiUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com",
  AddinUrl: "https://d111111abcdef8.cloudfront.net/",
  UserPoolId: "eu-west-1_AbCdEf123",
  UserPoolClientId: "1example23456789",
  AuthDomain: "crm-credit-123456789012.auth.eu-west-1.amazoncognito.com",
  Region: "eu-west-1",
  TableName: "CrmCredit-RecordsABC",
  AlarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:CrmCredit-Alarms",
};

describe("readStackOutputs", () => {
  it("returns the stack's outputs by name, URLs without a trailing slash", () => {
    expect(readStackOutputs({ CrmCredit: outputs }, "CrmCredit")).toMatchObject({
      addinUrl: "https://d111111abcdef8.cloudfront.net",
      apiUrl: outputs.ApiUrl,
      userPoolId: outputs.UserPoolId,
      authDomain: outputs.AuthDomain,
    });
  });

  it("names the stack when the file describes another one", () => {
    expect(() => readStackOutputs({ Other: outputs }, "CrmCredit")).toThrow(/stack CrmCredit/);
  });

  it("names a missing output", () => {
    const { UserPoolId: _, ...withoutPool } = outputs;
    expect(() => readStackOutputs({ CrmCredit: withoutPool }, "CrmCredit")).toThrow(
      /CrmCredit\.UserPoolId/,
    );
  });

  it("refuses an add-in URL that is not https, which Office would not load", () => {
    const insecure = { ...outputs, AddinUrl: "http://d111111abcdef8.cloudfront.net" };
    expect(() => readStackOutputs({ CrmCredit: insecure }, "CrmCredit")).toThrow(
      /AddinUrl: must be an https:\/\/ URL/,
    );
  });
});
