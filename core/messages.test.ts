import { describe, expect, it } from "vitest";
import { errors } from "./errors.ts";
import { errorMessage, formatMessage, type Language, messages } from "./messages/index.ts";

const languages = Object.keys(messages) as Language[];

describe("messages", () => {
  it("has the same keys in every language", () => {
    const keys = Object.keys(messages.en).sort();
    for (const lang of languages) expect(Object.keys(messages[lang]).sort()).toEqual(keys);
  });

  it("has no empty message in any language", () => {
    for (const lang of languages) {
      for (const text of Object.values(messages[lang])) expect(text.trim()).not.toBe("");
    }
  });

  it("uses the same placeholders in every language", () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, text] of Object.entries(messages.en)) {
      expect(placeholders(messages["zh-CN"][key as keyof typeof messages.en])).toEqual(
        placeholders(text),
      );
    }
  });

  it("has a message for every error the core returns", () => {
    for (const error of Object.values(errors))
      expect(Object.hasOwn(messages.en, error.key)).toBe(true);
  });

  it("keeps the team-function messages of the contract", () => {
    expect(formatMessage("en", "signIn")).toBe("Sign in from the CRM task pane");
    expect(formatMessage("en", "notSingleColumn")).toBe("expects a single column or row");
  });

  it("fills placeholders", () => {
    expect(formatMessage("en", "noCustomer", { id: "C-1" })).toBe("No customer C-1");
  });

  it("fills placeholders in Chinese", () => {
    expect(formatMessage("zh-CN", "noField", { field: "email" })).toBe("没有字段 email");
  });

  it("leaves a placeholder without a value as written", () => {
    expect(formatMessage("en", "noCustomer", {})).toBe("No customer {id}");
  });

  it("gives the message of a cell error with its parameters", () => {
    expect(errorMessage("en", { key: "badWeights", params: { count: "5" } })).toBe(
      "weights must be 5 numbers, none negative and not all 0",
    );
  });

  it("shows an unknown key as is", () => {
    expect(errorMessage("en", { key: "noSuchKey" })).toBe("noSuchKey");
  });
});
