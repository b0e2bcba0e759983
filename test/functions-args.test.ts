import { describe, expect, it } from "vitest";
import {
  bands,
  blankCall,
  customerId,
  language,
  number,
  numbers,
  optionalNames,
  optionalNumberIn,
  parameterRow,
  parseArgs,
  readArgs,
  text,
} from "../addin/functions/args.ts";
import type { FunctionContext } from "../addin/functions/entry.ts";
import { spill } from "../addin/functions/shapes.ts";
import { BLANK, bgnbdParamsFromCells, DEFAULT_POLICY, errors } from "../core/index.ts";

const ctx: FunctionContext = {
  language: "zh-CN",
  policy: DEFAULT_POLICY,
  today: () => 45_000,
  team: undefined as never,
};

describe("parseArgs", () => {
  it("reads each argument by its kind into a typed tuple", () => {
    const parsed = parseArgs([numbers, bands, language, text], [[[1], [2]], null, null, 1001], ctx);
    if (!Array.isArray(parsed)) throw new Error("expected a tuple");
    const [column, table, lang, id] = parsed;
    expect(column.orientation).toBe("column");
    expect(column.column.kinds.length).toBe(2);
    expect(table).toBeNull();
    expect(lang).toBe("zh");
    expect(id).toBe("1001");
  });

  it("returns the first cell error in argument order", () => {
    const share = optionalNumberIn("badShares");
    const parsed = parseArgs([numbers, share, numbers], [[[1, 2]], "0.8", [["x", 1]]], ctx);
    expect(parsed).toBe(errors.badShares);
  });

  it("ends the call blank at a blank customer id, before a later argument's error", () => {
    expect(parseArgs([customerId, number], ["  ", "lots"], ctx)).toBe(blankCall);
    expect(readArgs([customerId, number], [null, "lots"], ctx)).toBe(BLANK);
    expect(readArgs([customerId, number], ["C-1", "lots"], ctx)).toBe(errors.notANumber);
  });

  it("reads a list of names from a row or column, skipping blanks, omitted or empty as null", () => {
    expect(parseArgs([optionalNames], [[["id", "", " name "]]], ctx)).toEqual([["id", "name"]]);
    expect(parseArgs([optionalNames], [[[""], [null]]], ctx)).toEqual([null]);
    expect(parseArgs([optionalNames], [null], ctx)).toEqual([null]);
    expect(
      parseArgs(
        [optionalNames],
        [
          [
            ["id", "name"],
            ["a", "b"],
          ],
        ],
        ctx,
      ),
    ).toBe(errors.notSingleColumn);
  });

  it("reads a 1 × k parameter row, omitted as null", () => {
    const row = parameterRow(bgnbdParamsFromCells);
    expect(parseArgs([row], [[[0.2, 4, 0.8, 2.4]]], ctx)).toEqual([
      { r: 0.2, alpha: 4, a: 0.8, b: 2.4 },
    ]);
    expect(parseArgs([row], [null], ctx)).toEqual([null]);
    expect(parseArgs([row], [[[1, 2]]], ctx)).toBe(errors.badBgNbdParams);
  });
});

describe("spill down a column", () => {
  it("keeps every value in place past the short list of shared rows, one row per repeat", () => {
    const cells = Array.from({ length: 30 }, (_, i) => `g${i % 12}`);
    const { rows } = spill([...cells]);
    expect(rows.map((row) => row[0])).toEqual(cells);
    expect(rows[12]).toBe(rows[0]);
    expect(rows[23]).toBe(rows[11]);
  });

  it("knows which of its shared rows hold an error, one row per distinct error", () => {
    const { rows, errorRows } = spill(["A", errors.notANumber, 5, errors.notANumber, "A"]);
    expect(errorRows).toEqual([[errors.notANumber]]);
    expect(rows[1]).toBe(errorRows[0]);
    expect(rows[3]).toBe(errorRows[0]);
    expect(spill(["A", 5, ""]).errorRows).toEqual([]);
  });
});
