import { describe, expect, it } from "vitest";
import type { CustomerDraft, CustomerRecord } from "./schema.ts";
import {
  batches,
  conflictOf,
  diffTable,
  headersFor,
  limitAsk,
  MESSAGE_HEADER,
  type PushItem,
  recordsToTable,
  recordToRow,
  resolveConflict,
  rowToDraft,
  serialToIsoDate,
  snapshotFromJson,
  snapshotJson,
  snapshotOf,
  type TableData,
} from "./sync.ts";

const ana: CustomerRecord = {
  id: "C-001",
  name: "上海华东贸易",
  revenue: 120000,
  lastOrderDate: "2026-10-01",
  creditFactors: { character: 80, capacity: 70, capital: 60, collateral: 50, conditions: 40 },
  extra: { region: "East" },
  version: 3,
  createdAt: "2026-09-01T00:00:00Z",
  updatedAt: "2026-11-01T00:00:00Z",
  updatedBy: "li",
};
const stamp = {
  createdAt: "2026-09-01T00:00:00Z",
  updatedAt: "2026-09-01T00:00:00Z",
  updatedBy: "bo",
};
const bob: CustomerRecord = {
  id: "C-002",
  name: "Globex Ltd",
  revenue: 5000,
  version: 1,
  ...stamp,
};

function pulled(): { table: TableData; rows: (string | number | boolean | null)[][] } {
  const table = recordsToTable([ana, bob]);
  return { table, rows: table.rows.map((r) => [...r]) };
}

function col(table: TableData, header: string): number {
  return table.headers.indexOf(header);
}

describe("records to table", () => {
  it("puts field columns first, then extra keys, then version and message", () => {
    const headers = headersFor([ana, bob]);
    expect(headers.slice(0, 2)).toEqual(["id", "name"]);
    expect(headers.slice(-3)).toEqual(["region", "version", MESSAGE_HEADER]);
  });

  it("prefixes an extra key that collides with a field column", () => {
    const headers = headersFor([{ id: "x", name: "n", extra: { name: "alias" } }]);
    expect(headers).toContain("extra.name");
  });

  it("writes the five credit factors into their own columns", () => {
    const { table } = pulled();
    expect(table.rows[0]?.[col(table, "capacity")]).toBe(70);
  });

  it("round-trips a record through a row", () => {
    const { table } = pulled();
    const input = rowToDraft(table.headers, table.rows[0] ?? []);
    expect(input).toEqual({
      id: "C-001",
      name: "上海华东贸易",
      revenue: 120000,
      lastOrderDate: "2026-10-01",
      creditFactors: ana.creditFactors,
      extra: { region: "East" },
    });
  });
});

describe("reading cells", () => {
  it("turns an Excel serial date back into an ISO date", () => {
    expect(serialToIsoDate(46296)).toBe("2026-10-01");
  });

  it("reads a number typed as text in a number column as a number", () => {
    const input = rowToDraft(["id", "revenue"], ["C-9", " 12.5 "]);
    expect(input.revenue).toBe(12.5);
  });

  it("leaves non-numeric text in a number column for the API to refuse", () => {
    const input = rowToDraft(["id", "revenue"], ["C-9", "lots"]);
    expect(input.revenue).toBe("lots");
  });

  it("reads a numeric id as text", () => {
    expect(rowToDraft(["id"], [42]).id).toBe("42");
  });

  it("keeps fields of a deleted column from the pulled record", () => {
    const input = rowToDraft(["id", "name"], ["C-001", "New name"], ana);
    expect(input.revenue).toBe(120000);
  });
});

describe("diff of the table against the snapshot", () => {
  it("finds nothing to send right after a pull", () => {
    const { table } = pulled();
    const diff = diffTable(table, snapshotOf([ana, bob]));
    expect(diff.items).toEqual([]);
  });

  it("sees no edit where a number was retyped as the same text", () => {
    const { table, rows } = pulled();
    (rows[1] as unknown[])[col(table, "revenue")] = "5000";
    const diff = diffTable({ headers: table.headers, rows }, snapshotOf([ana, bob]));
    expect(diff.items).toEqual([]);
  });

  it("sends an edited row against its pulled version", () => {
    const { table, rows } = pulled();
    (rows[1] as unknown[])[col(table, "revenue")] = 6000;
    const diff = diffTable({ headers: table.headers, rows }, snapshotOf([ana, bob]));
    expect(diff.items).toEqual([
      {
        op: "put",
        id: "C-002",
        expectedVersion: 1,
        record: { id: "C-002", name: "Globex Ltd", revenue: 6000 },
        row: 1,
      },
    ]);
  });

  it("sends a new row as a create", () => {
    const { table, rows } = pulled();
    rows.push(recordToRow(table.headers, { id: "C-003", name: "新客户" }));
    const diff = diffTable({ headers: table.headers, rows }, snapshotOf([ana, bob]));
    expect(diff.items).toEqual([
      {
        op: "put",
        id: "C-003",
        expectedVersion: 0,
        record: { id: "C-003", name: "新客户" },
        row: 2,
      },
    ]);
  });

  it("sends a removed row as a delete of its pulled version", () => {
    const { table, rows } = pulled();
    const diff = diffTable(
      { headers: table.headers, rows: rows.slice(0, 1) },
      snapshotOf([ana, bob]),
    );
    expect(diff.items).toEqual([{ op: "delete", id: "C-002", expectedVersion: 1 }]);
  });

  it("ignores a row that is blank but for an old message", () => {
    const { table, rows } = pulled();
    const blank = table.headers.map((h) => (h === MESSAGE_HEADER ? "refused" : ""));
    const diff = diffTable(
      { headers: table.headers, rows: [...rows, blank] },
      snapshotOf([ana, bob]),
    );
    expect(diff.problems).toEqual([]);
  });

  it("reports a row with data but no id and sends nothing for it", () => {
    const { table, rows } = pulled();
    const noId = recordToRow(table.headers, { id: "", name: "Nameless" });
    const diff = diffTable(
      { headers: table.headers, rows: [...rows, noId] },
      snapshotOf([ana, bob]),
    );
    expect([diff.items, diff.problems]).toEqual([
      [],
      [{ row: 2, key: "missingId", params: { row: "3" } }],
    ]);
  });

  it("reports both rows of a duplicated id and neither sends nor deletes it", () => {
    const { table, rows } = pulled();
    const dup = [...(rows[1] ?? [])];
    const diff = diffTable(
      { headers: table.headers, rows: [...rows, dup] },
      snapshotOf([ana, bob]),
    );
    expect([diff.items.length, diff.problems.map((p) => p.row)]).toEqual([0, [1, 2]]);
  });

  it("counts creates, edits and deletes", () => {
    const { table, rows } = pulled();
    (rows[0] as unknown[])[col(table, "name")] = "改名";
    const newRow = recordToRow(table.headers, { id: "C-003", name: "x" });
    const diff = diffTable(
      { headers: table.headers, rows: [rows[0] ?? [], newRow] },
      snapshotOf([ana, bob]),
    );
    expect([diff.created, diff.edited, diff.deleted]).toEqual([1, 1, 1]);
  });
});

describe("conflicts", () => {
  const mineEdit: PushItem = {
    op: "put",
    id: "C-002",
    expectedVersion: 1,
    record: { id: "C-002", name: "Globex Ltd", revenue: 6000 },
    row: 1,
  };
  const theirs: CustomerRecord = {
    id: "C-002",
    name: "Globex Ltd",
    revenue: 7000,
    version: 2,
    ...stamp,
  };

  it("is no conflict when the teammate made the same change", () => {
    expect(conflictOf(mineEdit, { ...theirs, revenue: 6000 })).toBeNull();
  });

  it("shows my record and theirs side by side", () => {
    expect(conflictOf(mineEdit, theirs)).toEqual({ id: "C-002", mine: mineEdit.record, theirs });
  });

  it("keeping mine re-sends my record against their version", () => {
    const conflict = conflictOf(mineEdit, theirs);
    if (!conflict) throw new Error("expected a conflict");
    expect(resolveConflict(conflict, "mine", 1).push).toEqual({ ...mineEdit, expectedVersion: 2 });
  });

  it("keeping mine after a teammate deleted the record creates it again", () => {
    const conflict = conflictOf(mineEdit, null);
    if (!conflict) throw new Error("expected a conflict");
    expect(resolveConflict(conflict, "mine", 1).push?.expectedVersion).toBe(0);
  });

  it("taking theirs shows their record and sends nothing", () => {
    const conflict = conflictOf(mineEdit, theirs);
    if (!conflict) throw new Error("expected a conflict");
    const r = resolveConflict(conflict, "theirs", 1);
    expect([r.push, r.row, r.snapshot?.version]).toEqual([
      null,
      { id: "C-002", name: "Globex Ltd", revenue: 7000 },
      2,
    ]);
  });

  it("taking theirs when they deleted the record removes my row", () => {
    const conflict = conflictOf(mineEdit, null);
    if (!conflict) throw new Error("expected a conflict");
    expect(resolveConflict(conflict, "theirs", 1)).toEqual({
      push: null,
      snapshot: null,
      row: null,
    });
  });

  it("keeping my delete deletes their newer version", () => {
    const conflict = conflictOf({ op: "delete", id: "C-002", expectedVersion: 1 }, theirs);
    if (!conflict) throw new Error("expected a conflict");
    expect(resolveConflict(conflict, "mine", -1).push).toEqual({
      op: "delete",
      id: "C-002",
      expectedVersion: 2,
    });
  });
});

describe("batches", () => {
  it("splits items into batches of the given size", () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("refuses a batch size below one", () => {
    expect(() => batches([1], 0)).toThrow(RangeError);
  });
});

describe("the four-eyes split of a limit staff may not set", () => {
  const put = (record: CustomerDraft): PushItem => ({
    op: "put",
    id: record.id,
    expectedVersion: 3,
    record,
    row: 0,
  });

  it("keeps the stored limit in the record and asks for the new one", () => {
    const base = { version: 3, record: { id: "A", name: "a", creditLimit: 1000 } };
    expect(limitAsk(put({ id: "A", name: "b", creditLimit: 9000 }), base)).toEqual({
      record: { id: "A", name: "b", creditLimit: 1000 },
      newLimit: 9000,
      storedLimit: 1000,
    });
  });

  it("leaves the limit out of a new customer's record", () => {
    expect(limitAsk(put({ id: "N", name: "n", creditLimit: 5000 }), undefined)).toEqual({
      record: { id: "N", name: "n" },
      newLimit: 5000,
      storedLimit: "",
    });
  });

  it("asks for nothing when the limit did not change", () => {
    const base = { version: 3, record: { id: "A", creditLimit: 1000 } };
    expect(limitAsk(put({ id: "A", name: "x", creditLimit: 1000 }), base)).toBeNull();
  });
});

describe("the stored snapshot", () => {
  it("reads back what it wrote", () => {
    const snapshot = snapshotOf([ana, bob]);

    expect(snapshotFromJson(snapshotJson(snapshot))).toEqual(snapshot);
  });

  it("is none when a stored entry lost its version, rather than a snapshot to push against", () => {
    const damaged = JSON.stringify([["C-001", { record: { id: "C-001", name: "x" } }]]);

    expect(snapshotFromJson(damaged)).toBeNull();
  });

  it("is none when the stored text is not JSON", () => {
    expect(snapshotFromJson('[["C-001"')).toBeNull();
  });
});
