/** The command line's rough edges a newcomer meets first (spawns tsx, no servers). */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("npm run bench", () => {
  it("names the benchmarks there are and fails when given one that does not exist", () => {
    const run = spawnSync("npx", ["tsx", "test/bench/main.ts", "nosuch"], { encoding: "utf8" });
    expect([run.status, run.stderr.trim()]).toEqual([
      2,
      expect.stringMatching(
        /^No benchmark named "nosuch"\. Run one of: .*\bcore\b.*, or none for all\.$/,
      ),
    ]);
  });
});
