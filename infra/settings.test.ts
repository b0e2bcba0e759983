/** Reading the deploy settings from CDK context: defaults, both spellings, clear errors. */
import { describe, expect, it } from "vitest";
import { readStackSettings } from "./settings.ts";

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
      entra: undefined,
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
});
