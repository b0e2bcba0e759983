import { describe, expect, it } from "vitest";
import { changedFields, jsonBytes } from "./record.ts";

describe("changedFields", () => {
  it("lists a changed field with its old and new value", () => {
    expect(changedFields({ id: "a", name: "x" }, { id: "a", name: "y" })).toEqual([
      { field: "name", old: "x", new: "y" },
    ]);
  });

  it("reports an added field with old null", () => {
    expect(changedFields({ id: "a", name: "x" }, { id: "a", name: "x", grade: "A" })).toEqual([
      { field: "grade", old: null, new: "A" },
    ]);
  });

  it("lists every field of a new record but its id", () => {
    expect(
      changedFields(undefined, { id: "a", name: "x", grade: "B" }).map((c) => c.field),
    ).toEqual(["name", "grade"]);
  });

  it("treats objects with keys in another order as unchanged", () => {
    expect(
      changedFields(
        { id: "a", name: "x", extra: { p: 1, q: 2 } },
        { id: "a", name: "x", extra: { q: 2, p: 1 } },
      ),
    ).toEqual([]);
  });
});

describe("jsonBytes", () => {
  it("counts UTF-8 bytes, not characters", () => {
    expect(jsonBytes("王")).toBe(5);
  });
});
