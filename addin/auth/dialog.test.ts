import { describe, expect, it } from "vitest";
import { CALLBACK_MESSAGE, callbackUrlOf } from "./dialog.ts";

describe("the callback page's message", () => {
  it("gives the URL of a callback message", () => {
    expect(callbackUrlOf({ type: CALLBACK_MESSAGE, url: "https://x/cb?code=c&state=s" })).toBe(
      "https://x/cb?code=c&state=s",
    );
  });

  it("ignores any other message a page may post", () => {
    expect(
      [
        "https://x/cb?code=c",
        { url: "https://x/cb?code=c" },
        { type: CALLBACK_MESSAGE, url: 42 },
        null,
      ].map(callbackUrlOf),
    ).toEqual([null, null, null, null]);
  });
});
