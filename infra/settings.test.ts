/** Reading the deploy settings from CDK context: defaults, both spellings, clear errors. */
import { describe, expect, it } from "vitest";
import { contextKeys, readStackSettings } from "./settings.ts";

const from =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

describe("readStackSettings", () => {
  it("defaults to a derived domain prefix, automatic assets and no alarm e-mail", () => {
    expect(readStackSettings(from({}))).toEqual({
      authDomainPrefix: undefined,
      withAssets: "auto",
      alarmEmail: undefined,
    });
  });

  it.each([
    ["true", "always"],
    [true, "always"],
    ["false", "never"],
    [false, "never"],
    ["auto", "auto"],
  ])("reads withAssets=%s as %s", (value, mode) => {
    expect(readStackSettings(from({ withAssets: value })).withAssets).toBe(mode);
  });

  it("accepts a valid hosted UI prefix and an alarm e-mail", () => {
    const settings = readStackSettings(
      from({ authDomainPrefix: "acme-crm", alarmEmail: "ops@example.com" }),
    );
    expect(settings).toMatchObject({ authDomainPrefix: "acme-crm", alarmEmail: "ops@example.com" });
  });

  it("rejects a prefix Cognito would refuse, naming the key", () => {
    expect(() => readStackSettings(from({ authDomainPrefix: "Acme_CRM" }))).toThrow(
      /context authDomainPrefix: use 1-63 lower-case letters/,
    );
  });

  it("rejects a prefix with a word Cognito reserves", () => {
    expect(() => readStackSettings(from({ authDomainPrefix: "my-cognito" }))).toThrow(
      /must not contain "aws", "amazon" or "cognito"/,
    );
  });

  it("lists every bad key in one error", () => {
    expect(() =>
      readStackSettings(from({ withAssets: "yes", alarmEmail: "ops", authDomainPrefix: "-x" })),
    ).toThrow(/withAssets[\s\S]*authDomainPrefix|authDomainPrefix[\s\S]*withAssets/);
  });

  it("asks for no URL of a deployed stack: one deploy needs none from an earlier one", () => {
    expect(contextKeys.filter((key) => /url/i.test(key))).toEqual([]);
  });

  it("reads the add-in's own domain together with its certificate", () => {
    const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab";
    expect(
      readStackSettings(
        from({ addinDomain: "crm.example.com", addinCertificateArn: certificateArn }),
      ).customDomain,
    ).toEqual({ name: "crm.example.com", certificateArn });
  });

  it("rejects a certificate outside us-east-1, which CloudFront cannot use", () => {
    expect(() =>
      readStackSettings(
        from({
          addinDomain: "crm.example.com",
          addinCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab",
        }),
      ),
    ).toThrow(/context addinCertificateArn: must be the ARN of an ACM certificate in us-east-1/);
  });

  it("rejects a domain without its certificate", () => {
    expect(() => readStackSettings(from({ addinDomain: "crm.example.com" }))).toThrow(
      /context addinDomain: addinDomain and addinCertificateArn go together/,
    );
  });

  it("reads the name of a restored table to adopt, and refuses one DynamoDB would", () => {
    expect(readStackSettings(from({ tableName: "CrmCredit-Records-1" })).tableName).toBe(
      "CrmCredit-Records-1",
    );
    expect(() => readStackSettings(from({ tableName: "no spaces" }))).toThrow(
      /context tableName: must be a DynamoDB table name/,
    );
  });
});
