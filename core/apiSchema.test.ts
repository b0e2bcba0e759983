import { describe, expect, it } from "vitest";
import {
  batchWriteResponse,
  customerPage,
  errorResponse,
  policyResponse,
  storedRecord,
} from "./apiSchema.ts";
import { DEFAULT_POLICY } from "./policy.ts";

const record = (id: string) => ({
  id,
  name: "上海华东贸易",
  revenue: 1200,
  creditFactors: { character: 80, capacity: 70, capital: 60, collateral: 50, conditions: 40 },
  extra: { region: "East" },
  version: 1,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  updatedBy: "ana",
});

describe("response schemas", () => {
  it("parse a page with an unknown extra top-level field", () => {
    const page = { items: [record("C-1")], nextCursor: null, total: 1 };

    const parsed = customerPage.safeParse(page);

    expect(parsed.success && parsed.data.items).toEqual([record("C-1")]);
  });

  it("read a record whose 5C factors gained a field in a newer server", () => {
    const newer = record("C-1");
    const extended = { ...newer, creditFactors: { ...newer.creditFactors, climate: 50 } };

    expect(storedRecord.safeParse(extended).success).toBe(true);
  });

  it("read a policy whose bands gained a field in a newer server", () => {
    const bands = DEFAULT_POLICY.bands.map((b) => ({ ...b, colour: "green" }));

    const parsed = policyResponse.safeParse({
      policy: { ...DEFAULT_POLICY, bands },
      version: 2,
      source: "team",
    });

    expect(parsed.success).toBe(true);
  });

  it("name the path of a record field of the wrong type", () => {
    const page = { items: [record("C-1"), { ...record("C-2"), version: "2" }], nextCursor: null };

    const parsed = customerPage.safeParse(page);

    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["items.1.version", "must be a whole number"],
    ]);
  });

  it("refuse a record without its name", () => {
    const { name: _, ...nameless } = record("C-1");

    const parsed = customerPage.safeParse({ items: [nameless], nextCursor: null });

    expect(parsed.error?.issues[0]?.path).toEqual(["items", 0, "name"]);
  });

  it("refuse a page without its cursor", () => {
    expect(customerPage.safeParse({ items: [] }).error?.issues[0]?.path).toEqual(["nextCursor"]);
  });

  it("read a conflict's current record in a batch-write result", () => {
    const parsed = batchWriteResponse.parse({
      results: [{ id: "C-1", status: "conflict", current: record("C-1") }],
    });

    expect(parsed.results[0]?.current?.version).toBe(1);
  });

  it("read the policy as GET /policy answers it", () => {
    const parsed = policyResponse.parse({ policy: DEFAULT_POLICY, version: 0, source: "default" });

    expect(parsed.policy).toEqual(DEFAULT_POLICY);
  });

  it("read the one error shape with current beside it", () => {
    const body = {
      error: { code: "version_conflict", message: "changed meanwhile" },
      current: record("C-1"),
    };

    expect(errorResponse.parse(body)).toEqual(body);
  });
});
