/**
 * The change feed without a shared counter (docs/api.md "The change feed"): each write puts
 * its feed entry under the writer's commit time, and a reader re-reads a window `W` behind its
 * last read so that a change still in flight then is found on the next read. Pure: the store
 * runs the two queries, this module decides what they return and where the next read starts.
 */
import { type FeedItem, feedTimeKey } from "./items.ts";

/**
 * A transaction attempt is abandoned (aborted) this long after its timestamp was taken.
 * DynamoDB answers in tens of milliseconds; DynamoDB Local on a loaded two-core machine took
 * seconds under 50 writers, and a shorter bound turned slowness into `503`s.
 */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** A transaction is never sent with a timestamp older than this; a retry takes a fresh one. */
export const MAX_SEND_DELAY_MS = 1_000;
/** How far two writers' or a writer's and a reader's clocks may disagree (NTP keeps far less). */
export const CLOCK_SKEW_MS = 2_000;
/**
 * The re-read window: longer than any write can take from its timestamp to its commit
 * (send delay + attempt timeout + skew = 13 s, the rest is margin for DynamoDB finishing a
 * request the writer gave up on). A change not visible to a read at time R has a
 * timestamp after R − W, so reading again from R − W finds it.
 */
export const FEED_WINDOW_MS = 30_000;

/**
 * Where a reader stands: it has every entry up to `after` that was visible, anything that
 * may still appear at or before `after` has a timestamp at or after `low`, and `count` is how
 * many entries it saw from `low` to `after` (-1: unknown).
 */
export interface FeedCursor {
  readonly after: string;
  readonly low: number;
  readonly count: number;
}

/** The key that starts a range just after `sk` (feed keys hold no character below `!`). */
export const justAfter = (sk: string): string => `${sk} `;

const CURSOR = /^(\d{1,15})\.(-1|\d{1,9})\.(F#\d{15}(?:#[A-Za-z0-9\-_.!~*'()%]+#\d{15})?)$/;

/** The opaque text form of a cursor (base64url), as `GET /changes` returns it. */
export function encodeFeedCursor(cursor: FeedCursor): string {
  return Buffer.from(`${cursor.low}.${cursor.count}.${cursor.after}`, "utf8").toString("base64url");
}

/** `since=0`: the feed from its beginning. */
export const FEED_START: FeedCursor = { after: feedTimeKey(0), low: 0, count: 0 };

/** The cursor a client sent back (or `0`), undefined when it is not one this API returned. */
export function decodeFeedCursor(text: string): FeedCursor | undefined {
  if (text === "0") return FEED_START;
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return undefined;
  const match = CURSOR.exec(Buffer.from(text, "base64url").toString("utf8"));
  if (match === null) return undefined;
  return { low: Number(match[1]), count: Number(match[2]), after: match[3] as string };
}

/** The cursor of a reader that starts now: every change committed from now on lies ahead. */
export function openingCursor(nowMs: number): FeedCursor {
  const low = Math.max(0, nowMs - FEED_WINDOW_MS);
  return { after: feedTimeKey(low), low, count: 0 };
}

/** The key range a read re-checks for late entries, or undefined when it is empty. */
export function lateRange(cursor: FeedCursor): { from: string; to: string } | undefined {
  const from = feedTimeKey(cursor.low);
  return from <= cursor.after ? { from, to: cursor.after } : undefined;
}

/**
 * One read's answer and the next cursor. `nowMs` is the reader's clock taken before both
 * queries; `late` is every entry in `lateRange(cursor)`, `fresh` the page after `after`.
 * Entries are only ever added, so the same count in the late range means nothing arrived
 * late and those entries are not sent again; otherwise all of them are (clients drop the
 * `(id, version)` pairs they already have).
 */
export function nextFeedPage(
  cursor: FeedCursor,
  nowMs: number,
  late: readonly FeedItem[],
  fresh: readonly FeedItem[],
): { changes: FeedItem[]; cursor: FeedCursor } {
  const arrivedLate = cursor.count < 0 || late.length !== cursor.count;
  const changes = [...(arrivedLate ? late : []), ...fresh];
  const after = fresh[fresh.length - 1]?.sk ?? cursor.after;
  const low = Math.max(0, nowMs - FEED_WINDOW_MS);
  const from = feedTimeKey(low);
  // Everything from `low` to `after` was read now unless the window moved back (a reader
  // whose clock is behind the last one's): then the count is unknown.
  const count =
    low < cursor.low
      ? -1
      : [...late, ...fresh].filter((item) => item.sk >= from && item.sk <= after).length;
  return { changes, cursor: { after, low, count } };
}
