import { describe, expect, it } from "vitest";
import {
  type CustomerWrite,
  changesQuery,
  commitTransaction,
  listCustomersQuery,
} from "./commands.ts";

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
  const input = commitTransaction("crm", "acme", 41, [write("a", 1, 0), write("b", 3, 2)]);
  const items = input.TransactItems ?? [];

  it("moves the team counter from the sequence read to the last one taken", () => {
    expect(items[0]?.Put).toMatchObject({
      Item: { pk: "TEAM#acme", sk: "SEQ", seq: 43 },
      ConditionExpression: "#seq = :seq",
      ExpressionAttributeValues: { ":seq": 41 },
    });
  });

  it("creates a new record only if it does not exist", () => {
    expect(items[1]?.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
  });

  it("replaces a record only at the version read", () => {
    expect(items[4]?.Put).toMatchObject({
      ConditionExpression: "#version = :expected",
      ExpressionAttributeValues: { ":expected": 2 },
    });
  });

  it("writes each record's audit and feed entries with consecutive sequence numbers", () => {
    expect([items[2]?.Put?.Item?.sk, items[3]?.Put?.Item?.sk, items[6]?.Put?.Item?.sk]).toEqual([
      "H#a#000000000000042",
      "F#000000000000042",
      "F#000000000000043",
    ]);
  });

  it("takes the first sequence number from a counter that does not exist yet", () => {
    const first = commitTransaction("crm", "acme", 0, [write("a", 1, 0)]);
    expect(first.TransactItems?.[0]?.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
  });

  it("encodes # in ids so one id's history is never a prefix of another's", () => {
    const tx = commitTransaction("crm", "acme", 1, [write("a#b", 1, 0)]);
    expect(tx.TransactItems?.[2]?.Put?.Item?.sk).toBe("H#a%23b#000000000000002");
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

  it("reads the feed strictly after the cursor", () => {
    expect(changesQuery("crm", "acme", 7, 100).ExpressionAttributeValues?.[":from"]).toBe(
      "F#000000000000008",
    );
  });
});
