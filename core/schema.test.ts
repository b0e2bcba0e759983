import { describe, expect, it } from "vitest";
import {
  CUSTOMER_FIELDS,
  type CustomerDraft,
  type CustomerInput,
  customerInput,
  customerRecord,
  VALUE_FIELDS,
} from "./schema.ts";
import { validateRecord } from "./validation.ts";

const stamp = {
  version: 2,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-02T00:00:00Z",
  updatedBy: "li",
};

describe("the customer type family", () => {
  it("lets a table row with text in a number field be a draft, which the API's check refuses by name", () => {
    const draft: CustomerDraft = { id: "C-1", name: "华为", revenue: "lots" };

    const checked = validateRecord(draft);

    expect(checked).toEqual({
      ok: false,
      problems: [{ field: "revenue", message: "must be a finite number" }],
    });
  });

  it("makes every valid input a draft, so what was pulled can be sent again as it is", () => {
    const input: CustomerInput = { id: "C-1", name: "华为", revenue: 10 };
    const draft: CustomerDraft = input;

    expect(customerInput.safeParse(draft).success).toBe(true);
  });

  it("reads a stored record with its server fields, dropping a field a newer server adds", () => {
    const parsed = customerRecord.parse({ id: "C-1", name: "华为", ...stamp, rating: "AAA" });

    expect(parsed).toEqual({ id: "C-1", name: "华为", ...stamp });
  });

  it("refuses a stored record without its version", () => {
    const { version: _, ...unversioned } = stamp;

    expect(customerRecord.safeParse({ id: "C-1", name: "x", ...unversioned }).success).toBe(false);
  });
});

describe("VALUE_FIELDS", () => {
  it("reads each field's kind from its schema: text, number, date, and the 5C parts", () => {
    const kinds = Object.fromEntries(VALUE_FIELDS.map((f) => [f.path, f.kind]));

    expect(kinds).toMatchObject({
      id: "text",
      owner: "text",
      revenue: "number",
      orderCount: "number",
      lastOrderDate: "date",
      "creditFactors.capital": "number",
      termDays: "number",
    });
  });

  it("lists every record field but the free-form extra, the 5C parts in place of creditFactors", () => {
    const tops = [...new Set(VALUE_FIELDS.map((f) => f.parent ?? f.name))];

    expect(tops).toEqual(CUSTOMER_FIELDS.filter((f) => f !== "extra"));
  });
});
