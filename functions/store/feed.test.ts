import { describe, expect, it } from "vitest";
import {
  decodeFeedCursor,
  encodeFeedCursor,
  FEED_WINDOW_MS,
  type FeedCursor,
  justAfter,
  lateRange,
  nextFeedPage,
  openingCursor,
} from "./feed.ts";
import { type FeedItem, feedKey } from "./items.ts";

const entry = (at: number, id: string, version = 1): FeedItem => ({
  pk: "TEAM#acme",
  sk: feedKey(at, id, version),
  at,
  id,
  version,
  deleted: false,
});

const T = 1_000_000_000;

describe("feed cursor", () => {
  it("round-trips through its opaque text form", () => {
    const cursor: FeedCursor = { after: feedKey(T, "C#1 é", 3), low: T - 5, count: 7 };
    expect(decodeFeedCursor(encodeFeedCursor(cursor))).toEqual(cursor);
  });

  it("refuses text this API never returned", () => {
    const forged = Buffer.from("1.2.H#x#000000000000001").toString("base64url");
    expect(["42", "", "%%%", forged].map(decodeFeedCursor)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("starts a window behind now, so a change still in flight lies ahead", () => {
    const cursor = openingCursor(T);
    expect([cursor.low, entry(T - FEED_WINDOW_MS + 1, "a").sk > cursor.after]).toEqual([
      T - FEED_WINDOW_MS,
      true,
    ]);
  });

  it("puts a range start between a key and every later key", () => {
    const key = feedKey(T, "a", 1);
    expect([justAfter(key) > key, justAfter(key) < feedKey(T, "a", 2)]).toEqual([true, true]);
  });
});

describe("nextFeedPage", () => {
  const first = openingCursor(T);

  it("returns new entries and moves after the last one", () => {
    const fresh = [entry(T, "a"), entry(T + 1, "b")];
    const page = nextFeedPage(first, T + 10, [], fresh);
    expect([page.changes.map((c) => c.id), page.cursor.after]).toEqual([["a", "b"], fresh[1]?.sk]);
  });

  it("re-checks the window behind the last read for changes that committed late", () => {
    const seen = nextFeedPage(first, T + 10, [], [entry(T, "a"), entry(T + 2, "b")]).cursor;
    expect(lateRange(seen)).toEqual({
      from: `F#${String(T + 10 - FEED_WINDOW_MS).padStart(15, "0")}`,
      to: seen.after,
    });
  });

  it("sends nothing again when no entry arrived late", () => {
    const read = [entry(T, "a"), entry(T + 2, "b")];
    const seen = nextFeedPage(first, T + 10, [], read).cursor;
    const page = nextFeedPage(seen, T + 20, read, [entry(T + 15, "c")]);
    expect(page.changes.map((c) => c.id)).toEqual(["c"]);
  });

  it("sends the whole window again when an entry arrived late inside it", () => {
    const read = [entry(T, "a"), entry(T + 2, "b")];
    const seen = nextFeedPage(first, T + 10, [], read).cursor;
    const late = [entry(T, "a"), entry(T + 1, "slow"), entry(T + 2, "b")];
    const page = nextFeedPage(seen, T + 20, late, []);
    expect(page.changes.map((c) => c.id)).toEqual(["a", "slow", "b"]);
  });

  it("counts the window as unknown when the reader's clock is behind the last one", () => {
    const seen = nextFeedPage(first, T + 10, [], [entry(T, "a")]).cursor;
    expect(nextFeedPage(seen, T - 1000, [], []).cursor.count).toBe(-1);
  });
});
