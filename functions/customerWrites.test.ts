import { describe, expect, it } from "vitest";
import { chunkWrites, planDelete, planPut } from "./customerWrites.ts";
import type { Identity } from "./http.ts";
import type { CustomerItem } from "./store/items.ts";

const ana: Identity = { user: "ana-sub", who: "ana@example.com", team: "acme", isManager: false };
const now = new Date("2024-06-30T08:00:00.000Z");

const stored = (version: number, extra: Partial<CustomerItem> = {}): CustomerItem => ({
  pk: "TEAM#acme",
  sk: "C#C-1",
  id: "C-1",
  version,
  createdAt: "2024-01-01T00:00:00.000Z",
  updatedAt: "2024-01-01T00:00:00.000Z",
  updatedBy: "li",
  data: { id: "C-1", name: "old" },
  ...extra,
});

describe("planPut", () => {
  it("creates version 1 of a new record, conditional on it not existing", () => {
    const plan = planPut(undefined, { id: "C-1", name: "new" }, 0, ana, now);
    expect(plan).toMatchObject({
      kind: "write",
      write: {
        expectedVersion: 0,
        item: { version: 1, updatedBy: "ana@example.com", createdAt: now.toISOString() },
      },
    });
  });

  it("refuses to create over a live record, reporting it", () => {
    const current = stored(2);
    expect(planPut(current, { id: "C-1", name: "x" }, 0, ana, now)).toEqual({
      kind: "conflict",
      current,
    });
  });

  it("creates over a tombstone one version up, conditional on the tombstone's version", () => {
    const plan = planPut(stored(4, { deleted: true }), { id: "C-1", name: "x" }, 0, ana, now);
    expect(plan).toMatchObject({
      kind: "write",
      write: { expectedVersion: 4, item: { version: 5 } },
    });
  });

  it("replaces at the expected version, keeping createdAt", () => {
    const plan = planPut(stored(2), { id: "C-1", name: "new" }, 2, ana, now);
    expect(plan).toMatchObject({
      kind: "write",
      write: { expectedVersion: 2, item: { version: 3, createdAt: "2024-01-01T00:00:00.000Z" } },
    });
  });

  it("reports a conflict when the stored version moved", () => {
    expect(planPut(stored(3), { id: "C-1", name: "new" }, 2, ana, now).kind).toBe("conflict");
  });

  it("reports a conflict without current when replacing a deleted record", () => {
    expect(planPut(stored(3, { deleted: true }), { id: "C-1", name: "x" }, 3, ana, now)).toEqual({
      kind: "conflict",
      current: undefined,
    });
  });

  it("writes nothing when nothing changed", () => {
    expect(planPut(stored(2), { id: "C-1", name: "old" }, 2, ana, now).kind).toBe("unchanged");
  });
});

describe("planDelete", () => {
  it("writes a tombstone one version up whose audit lists the removed values", () => {
    const plan = planDelete(stored(2), 2, ana, now);
    expect(plan).toMatchObject({
      kind: "write",
      write: {
        expectedVersion: 2,
        item: { version: 3, deleted: true },
        changes: [{ field: "name", old: "old", new: null }],
      },
    });
  });

  it("reports a conflict for a stale version", () => {
    expect(planDelete(stored(2), 1, ana, now).kind).toBe("conflict");
  });
});

describe("chunkWrites", () => {
  const write = (id: string) => ({
    item: { ...stored(1), id, sk: `C#${id}`, data: { id, name: id } },
    expectedVersion: 0,
    changes: [],
  });

  it("puts at most 33 writes in one transaction", () => {
    const writes = Array.from({ length: 70 }, (_, i) => write(`C-${i}`));
    expect(chunkWrites(writes).map((c) => c.length)).toEqual([33, 33, 4]);
  });

  it("never puts the same id twice in one transaction", () => {
    expect(chunkWrites([write("a"), write("b"), write("a")])).toEqual([[0, 1], [2]]);
  });
});
