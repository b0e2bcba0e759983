import { describe, expect, it } from "vitest";
import {
  commitTransaction,
  creditRequestsQuery,
  feedQuery,
  historyQuery,
  listCustomersQuery,
} from "./commands.ts";
import type { CustomerWrite } from "./port.ts";

const write = (id: string, version: number, expectedVersion: number): CustomerWrite => ({
  item: {
    pk: "TEAM#acme",
    sk: `C#${id}`,
    id,
    version,
    createdAt: "t",
    updatedAt: "t",
    updatedBy: "ana",
    data: { id, name: id },
  },
  expectedVersion,
  changes: [{ field: "name", old: null, new: id }],
});

describe("commitTransaction", () => {
  const at = 1_733_130_000_123;
  const input = commitTransaction("crm", "acme", [write("a", 1, 0), write("b", 3, 2)], at);
  const items = input.TransactItems ?? [];

  it("takes no shared item: per write only its record, audit entry and feed entry", () => {
    expect(items.map((i) => i.Put?.Item?.sk)).toEqual([
      "C#a",
      "H#a#000000000000001",
      "F#001733130000123#a#000000000000001",
      "C#b",
      "H#b#000000000000003",
      "F#001733130000123#b#000000000000003",
    ]);
  });

  it("creates a new record only if it does not exist", () => {
    expect(items[0]?.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
  });

  it("replaces a record only at the version read", () => {
    expect(items[3]?.Put).toMatchObject({
      ConditionExpression: "#version = :expected",
      ExpressionAttributeValues: { ":expected": 2 },
    });
  });

  it("stamps the feed entry with the commit time, id, version and whether it deletes", () => {
    expect(items[5]?.Put?.Item).toMatchObject({ at, id: "b", version: 3, deleted: false });
  });

  it("encodes # in ids so keys never run into each other", () => {
    const tx = commitTransaction("crm", "acme", [write("a#b", 1, 0)], at);
    expect([tx.TransactItems?.[1]?.Put?.Item?.sk, tx.TransactItems?.[2]?.Put?.Item?.sk]).toEqual([
      "H#a%23b#000000000000001",
      "F#001733130000123#a%23b#000000000000001",
    ]);
  });
});

describe("queries", () => {
  it("lists live customers after a cursor id", () => {
    expect(listCustomersQuery("crm", "acme", 10, "C-9")).toMatchObject({
      FilterExpression: "attribute_not_exists(deleted)",
      ExclusiveStartKey: { pk: "TEAM#acme", sk: "C#C-9" },
      Limit: 10,
    });
  });

  it("reads a feed range with a strongly consistent query on the table", () => {
    expect(feedQuery("crm", "acme", { from: "F#1", to: "F#~" }, 100)).toMatchObject({
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": "TEAM#acme", ":from": "F#1", ":to": "F#~" },
      ConsistentRead: true,
      Limit: 100,
    });
  });
});

describe("historyQuery", () => {
  it("reads a page newest first from just below the previous page's last version", () => {
    const input = historyQuery("crm", "acme", "a", 1000, 7);
    expect([input.ScanIndexForward, input.Limit, input.ExclusiveStartKey]).toEqual([
      false,
      1000,
      { pk: "TEAM#acme", sk: "H#a#000000000000007" },
    ]);
  });

  it("reads from the newest entry without a version", () => {
    expect(historyQuery("crm", "acme", "a", 1000).ExclusiveStartKey).toBeUndefined();
  });
});

describe("creditRequestsQuery", () => {
  it("reads a page newest first from just below the previous page's last request id", () => {
    const input = creditRequestsQuery("crm", "acme", 1000, undefined, "0193");
    expect([input.ScanIndexForward, input.Limit, input.ExclusiveStartKey]).toEqual([
      false,
      1000,
      { pk: "TEAM#acme", sk: "CR#0193" },
    ]);
  });

  it("filters by the items' status attribute in DynamoDB only when a status is asked for", () => {
    const pending = creditRequestsQuery("crm", "acme", 10, "pending");
    expect([
      pending.FilterExpression,
      pending.ExpressionAttributeNames,
      pending.ExpressionAttributeValues?.[":status"],
    ]).toEqual(["#status = :status", { "#status": "status" }, "pending"]);
    const all = creditRequestsQuery("crm", "acme", 10);
    expect([all.FilterExpression, all.ExclusiveStartKey]).toEqual([undefined, undefined]);
  });
});
