import { describe, expect, it } from "vitest";
import { apiErrorText, fieldLabel } from "./apiErrors.ts";
import { en } from "./i18n/en.ts";

describe("API errors in the user's language", () => {
  it("names the refused fields of a batch item in Chinese", () => {
    const error = {
      code: "invalid_request",
      message: "record.revenue must be a number",
      details: [{ field: "record.revenue", message: "must be a number" }],
    };
    expect(apiErrorText("zh-CN", error)).toBe("以下内容无效：收入。");
  });

  it("names a 5C factor and a policy band in the user's words", () => {
    expect([
      fieldLabel("en", "items.3.record.creditFactors.character"),
      fieldLabel("zh-CN", "bands.2.minScore"),
    ]).toEqual(["character", "等级档 3 最低分"]);
  });

  it("counts the problems the API left out", () => {
    const error = {
      code: "invalid_request",
      details: { problems: [{ field: "ids.0", message: "x" }], more: 250 },
    };
    expect(apiErrorText("en", error)).toBe("Not valid: ids 1, 250 more.");
  });

  it("says in Chinese that a reply the add-in cannot read calls for an update", () => {
    const error = { code: "bad_response", message: "The reply to GET /changes is not …" };

    expect(apiErrorText("zh-CN", error, "https://crm.example.com")).toBe(
      "CRM 服务（https://crm.example.com）的回复格式与此版本的加载项不符；请更新加载项。",
    );
  });

  it("says why by code when there are no fields", () => {
    expect(apiErrorText("zh-CN", { code: "approval_required", message: "Raising…" })).toBe(
      "上调此信用额度需要信用经理批准（四眼原则）：请作为额度申请发送。",
    );
  });

  it("falls back to the API's own message for a code it does not know", () => {
    expect(apiErrorText("zh-CN", { code: "teapot", message: "I am a teapot" })).toBe(
      "I am a teapot",
    );
  });

  it("has a message for every error code the API documents", () => {
    const codes = [
      "invalid_request",
      "unauthorized",
      "forbidden",
      "approval_required",
      "not_found",
      "version_conflict",
      "payload_too_large",
      "precondition_required",
      "throttled",
      "internal",
    ];
    expect(codes.filter((c) => !Object.hasOwn(en, `apiError.${c}`))).toEqual([]);
  });
});
