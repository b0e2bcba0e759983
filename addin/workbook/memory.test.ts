import { describe, expect, it } from "vitest";
import { formulaText } from "./formula.ts";
import { MemoryWorkbook, type SheetFunction } from "./memory.ts";

const table = {
  sheet: "Customers",
  name: "Customers",
  table: {
    headers: ["id", "revenue"],
    rows: [
      ["C-1", 50],
      ["C-2", 30],
      ["C-3", 20],
    ],
  },
  textHeaders: ["id"],
};

const double: SheetFunction = (col) => (col as number[][]).map(([v]) => [(v ?? 0) * 2]);

describe("memory workbook tables", () => {
  it("reads back the table it wrote", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(table);
    expect(await wb.readTable("Customers")).toEqual(table.table);
  });

  it("replaces a table in place when written again", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(table);
    await wb.writeTable({ ...table, table: { headers: ["id"], rows: [["C-9"]] } });
    expect(wb.dump("Customers").values).toEqual([["id"], ["C-9"]]);
  });

  it("deletes rows and closes the gap", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(table);
    await wb.deleteTableRows("Customers", [0, 2]);
    expect((await wb.readTable("Customers")).rows).toEqual([["C-2", 30]]);
  });

  it("appends rows at the end", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(table);
    await wb.appendTableRows("Customers", [["C-4", 1]]);
    expect((await wb.tables())[0]?.rowCount).toBe(4);
  });

  it("refuses a cell of a column the table lacks", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(table);
    await expect(
      wb.setTableCells("Customers", [{ row: 0, header: "profit", value: 1 }]),
    ).rejects.toThrow("no column profit");
  });
});

describe("memory workbook formulas", () => {
  it("spills a function's column result below its cell", async () => {
    const wb = new MemoryWorkbook(new Map([["CRM.DOUBLE", double]]));
    await wb.writeTable(table);
    await wb.writeFormulas("Customers", [
      {
        row: 1,
        col: 3,
        formula: { fn: "CRM.DOUBLE", args: [{ table: "Customers", column: "revenue" }] },
      },
    ]);
    expect(await wb.readValues({ sheet: "Customers", row: 1, col: 3, rows: 3, cols: 1 })).toEqual([
      [100],
      [60],
      [40],
    ]);
  });

  it("recalculates when an input cell changes", async () => {
    const wb = new MemoryWorkbook(new Map([["CRM.DOUBLE", double]]));
    await wb.writeTable(table);
    const formula = { fn: "CRM.DOUBLE", args: [{ table: "Customers", column: "revenue" }] };
    await wb.writeFormulas("Customers", [{ row: 1, col: 3, formula }]);
    await wb.setTableCells("Customers", [{ row: 0, header: "revenue", value: 1 }]);
    expect(await wb.readValues({ sheet: "Customers", row: 1, col: 3, rows: 1, cols: 1 })).toEqual([
      [2],
    ]);
  });

  it("spills cleanly when two recalculations are asked for at once", async () => {
    const slow = async (x: unknown) => {
      await new Promise((ok) => setTimeout(ok, 5));
      return double(x);
    };
    const wb = new MemoryWorkbook(new Map([["CRM.SLOW", slow]]));
    await wb.writeTable(table);
    const formula = { fn: "CRM.SLOW", args: [{ table: "Customers", column: "revenue" }] };
    await wb.writeFormulas("Customers", [{ row: 1, col: 3, formula }]);
    await Promise.all([wb.recalculate(), wb.recalculate()]);
    expect(await wb.readValues({ sheet: "Customers", row: 1, col: 3, rows: 3, cols: 1 })).toEqual([
      [100],
      [60],
      [40],
    ]);
  });

  it("counts a spill with COUNTIF", async () => {
    const wb = new MemoryWorkbook(new Map([["CRM.DOUBLE", double]]));
    await wb.writeTable(table);
    const formula = { fn: "CRM.DOUBLE", args: [{ table: "Customers", column: "revenue" }] };
    await wb.writeFormulas("Customers", [
      { row: 1, col: 3, formula },
      {
        row: 0,
        col: 5,
        formula: { fn: "COUNTIF", args: [{ sheet: "Customers", row: 1, col: 3, spill: true }, 60] },
      },
    ]);
    expect(await wb.readValues({ sheet: "Customers", row: 0, col: 5, rows: 1, cols: 1 })).toEqual([
      [1],
    ]);
  });

  it("shows #SPILL! when the spill range is not blank", async () => {
    const wb = new MemoryWorkbook(new Map([["CRM.DOUBLE", double]]));
    await wb.writeTable(table);
    const formula = { fn: "CRM.DOUBLE", args: [{ table: "Customers", column: "revenue" }] };
    await wb.writeFormulas("Customers", [{ row: 0, col: 1, formula }]);
    expect(await wb.readValues({ sheet: "Customers", row: 0, col: 1, rows: 1, cols: 1 })).toEqual([
      ["#SPILL!"],
    ]);
  });

  it("shows #NAME? for a function it does not know", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeFormulas("S", [{ row: 0, col: 0, formula: { fn: "CRM.NOPE", args: [] } }]);
    expect(wb.dump("S").values).toEqual([["#NAME?"]]);
  });

  it("keeps an error value's message", async () => {
    const failing: SheetFunction = () => ({ code: "#VALUE!", message: "not a number" });
    const wb = new MemoryWorkbook(new Map([["CRM.F", failing]]));
    await wb.writeFormulas("S", [{ row: 0, col: 0, formula: { fn: "CRM.F", args: [] } }]);
    expect(wb.messageAt("S", 0, 0)).toBe("not a number");
  });

  it("colours a cell by the rule matching its text", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeValues("S", 0, 0, [["A"], ["B"]]);
    const rule = { equals: "B", fill: "#FFF4CE", font: "#8A6400" };
    await wb.addConditionalFormat({ sheet: "S", row: 0, col: 0, rows: 2, cols: 1 }, [rule]);
    expect([wb.colourAt("S", 0, 0), wb.colourAt("S", 1, 0)]).toEqual([null, rule]);
  });
});

describe("formula text", () => {
  it("re-spills a formula written again over its own spill (the wizard run twice)", async () => {
    const wb = new MemoryWorkbook(new Map([["CRM.DOUBLE", double]]));
    await wb.writeTable(table);
    const formula = { fn: "CRM.DOUBLE", args: [{ table: "Customers", column: "revenue" }] };
    await wb.writeFormulas("Customers", [{ row: 1, col: 3, formula }]);
    await wb.writeFormulas("Customers", [{ row: 1, col: 3, formula }]);
    expect(await wb.readValues({ sheet: "Customers", row: 1, col: 3, rows: 3, cols: 1 })).toEqual([
      [100],
      [60],
      [40],
    ]);
  });

  it("reads a single cell reference as a 1 × 1 range and writes it as an absolute address", async () => {
    const wb = new MemoryWorkbook(new Map([["CRM.DOUBLE", double]]));
    await wb.writeValues("Settings", 2, 1, [[21]]);
    const cell = { sheet: "Settings", row: 2, col: 1 };
    await wb.writeFormulas("Settings", [
      { row: 0, col: 0, formula: { fn: "CRM.DOUBLE", args: [cell] } },
    ]);
    expect(await wb.readValues({ sheet: "Settings", row: 0, col: 0, rows: 1, cols: 1 })).toEqual([
      [42],
    ]);
    expect(formulaText({ fn: "CRM.DOUBLE", args: [cell] })).toBe("=CRM.DOUBLE('Settings'!$B$3)");
  });

  it("writes structured references, spill references and literals as Excel does", () => {
    const text = formulaText({
      fn: "CRM.ABC",
      args: [
        { table: "Customers", columns: ["character", "conditions"] },
        { sheet: "My 'sheet'", row: 1, col: 27, spill: true },
        0.8,
        'say "hi"',
      ],
    });
    expect(text).toBe(
      `=CRM.ABC(Customers[[character]:[conditions]],'My ''sheet'''!$AB$2#,0.8,"say ""hi""")`,
    );
  });
});
