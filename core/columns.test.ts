import { describe, expect, it } from "vitest";
import { CellKind, isCellError } from "./cells.ts";
import {
  broadcastLength,
  columnFromCells,
  columnFromRows,
  columnOf,
  columnsFromBlock,
  commonLength,
} from "./columns.ts";
import { errors } from "./errors.ts";

describe("columnFromCells", () => {
  it("reads finite numbers as numbers", () => {
    const column = columnFromCells([1.5, -2, 0]);
    expect([...column.values]).toEqual([1.5, -2, 0]);
    expect([...column.kinds]).toEqual([CellKind.Number, CellKind.Number, CellKind.Number]);
  });

  it("reads null, undefined and the empty string as blank", () => {
    expect([...columnFromCells([null, undefined, ""]).kinds]).toEqual([
      CellKind.Blank,
      CellKind.Blank,
      CellKind.Blank,
    ]);
  });

  it("reads text, booleans, NaN and infinities as invalid", () => {
    const kinds = [...columnFromCells(["1", true, Number.NaN, Number.POSITIVE_INFINITY, {}]).kinds];
    expect(kinds).toEqual(new Array(5).fill(CellKind.Invalid));
  });
});

describe("columnFromRows", () => {
  it("reads Excel's n × 1 rows as the column of their cells", () => {
    const column = columnFromRows([[5], [""], ["x"], [null]]);
    if (isCellError(column)) throw new Error("expected a column");
    expect(column.values[0]).toBe(5);
    expect([...column.kinds]).toEqual([
      CellKind.Number,
      CellKind.Blank,
      CellKind.Invalid,
      CellKind.Blank,
    ]);
  });

  it("rejects a block with more than one row and column", () => {
    expect(
      columnFromRows([
        [1, 2],
        [3, 4],
      ]),
    ).toBe(errors.notSingleColumn);
  });
});

describe("columnsFromBlock", () => {
  it("turns n rows of k cells into k columns", () => {
    const [a, b] = columnsFromBlock([
      [1, ""],
      [3, 4],
    ]);
    expect([...(a?.values ?? [])]).toEqual([1, 3]);
    expect([...(b?.kinds ?? [])]).toEqual([CellKind.Blank, CellKind.Number]);
  });
});

describe("column lengths", () => {
  it("rejects columns of different lengths", () => {
    expect(commonLength(columnOf([1]), columnOf([1, 2]))).toBe(errors.columnsDifferInLength);
  });

  it("broadcasts a length-1 column", () => {
    expect(broadcastLength(columnOf([1]), columnOf([1, 2, 3]), columnOf([4]))).toBe(3);
  });

  it("rejects two long columns of different lengths when broadcasting", () => {
    expect(broadcastLength(columnOf([1, 2]), columnOf([1, 2, 3]))).toBe(
      errors.columnsDifferInLength,
    );
  });
});
