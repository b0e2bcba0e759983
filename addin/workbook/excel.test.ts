/**
 * The Office.js adapter run against Microsoft's office-addin-mock (test/excel-fake.ts): a
 * property read before `load` + `sync` throws, changes land only at `context.sync()`, and
 * every sync is counted, so a per-row round trip would show.
 */
import { OfficeMockObject } from "office-addin-mock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FakeExcel } from "../../test/excel-fake.ts";
import { CHUNK_ROWS, ExcelWorkbook } from "./excel.ts";
import type { CellValue, ChartSpec } from "./port.ts";

// The enum values Office.js gives these members (Excel JavaScript API reference).
beforeAll(() => {
  vi.stubGlobal("Excel", {
    ConditionalFormatType: { cellValue: "CellValue" },
    ConditionalCellValueOperator: { equalTo: "EqualTo" },
    ChartType: { line: "Line", columnClustered: "ColumnClustered" },
    ChartSeriesBy: { columns: "Columns" },
  });
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const headers = ["id", "name", "revenue"];
const customers = (n: number): CellValue[][] =>
  Array.from({ length: n }, (_, i) => [
    String(i + 1).padStart(5, "0"),
    `Customer ${i + 1}`,
    i * 10,
  ]);

function setup(): { excel: FakeExcel; workbook: ExcelWorkbook } {
  const excel = new FakeExcel();
  return { excel, workbook: new ExcelWorkbook(excel.run) };
}

/** A small table of grade counts for the chart tests. */
const seedGrades = (excel: FakeExcel): void =>
  excel.seedTable("Grades", "Grades", 0, 0, [
    ["grade", "count"],
    ["A", 2],
    ["B", 1],
  ]);

const gradeChart = (title: string): ChartSpec => ({
  name: "crm.grades",
  sheet: "CRM Charts",
  type: "column",
  title,
  axes: { category: "Grade", value: "Customers", valueFormat: "0" },
  data: { sheet: "Grades", row: 1, col: 0, rows: 2, cols: 2 },
  at: { row: 1, col: 1 },
});

const pull = (workbook: ExcelWorkbook, rows: CellValue[][], progress?: (d: number) => void) =>
  workbook.writeTable(
    { sheet: "Customers", name: "Customers", table: { headers, rows }, textHeaders: ["id"] },
    progress && ((done) => progress(done)),
  );

describe("the Excel adapter against office-addin-mock", () => {
  it("refuses, through the mock, a property read before load and sync", async () => {
    const { excel } = setup();
    excel.addSheet("S");
    const read = excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("S").getRangeByIndexes(0, 0, 1, 1);
      return range.values;
    });
    await expect(read).rejects.toThrow("before load + sync");
  });

  it("pulls 10,000 rows into a new table in 4 syncs: one per 5,000 rows and two more", async () => {
    const { excel, workbook } = setup();
    const rows = customers(10_000);
    const progress: number[] = [];
    await pull(workbook, rows, (done) => progress.push(done));
    expect([excel.syncs, progress, excel.tableValues("Customers")]).toEqual([
      1 + 10_000 / CHUNK_ROWS + 1,
      [5_000, 10_000],
      [headers, ...rows],
    ]);
  });

  it("takes as many syncs for 100 rows as for 5,000 (never one per row)", async () => {
    const small = setup();
    await pull(small.workbook, customers(100));
    const big = setup();
    await pull(big.workbook, customers(5_000));
    expect([small.excel.syncs, big.excel.syncs]).toEqual([3, 3]);
  });

  it("keeps ids as text in the new table and shows its sheet", async () => {
    const { excel, workbook } = setup();
    await pull(workbook, customers(3));
    const formats = [1, 2, 3].map((r) => excel.cell("Customers", r, 0).numberFormat);
    expect([formats, excel.cell("Customers", 1, 1).numberFormat, excel.activeSheet]).toEqual([
      ["@", "@", "@"],
      "General",
      "Customers",
    ]);
  });

  it("reads 10,000 rows back in 3 syncs", async () => {
    const { excel, workbook } = setup();
    const rows = customers(10_000);
    excel.seedTable("Customers", "Customers", 0, 0, [headers, ...rows]);
    const table = await workbook.readTable("Customers");
    expect([excel.syncs, table]).toEqual([1 + 10_000 / CHUNK_ROWS, { headers, rows }]);
  });

  it("reads back an edit the user typed into the pulled table", async () => {
    const { excel, workbook } = setup();
    await pull(workbook, customers(3));
    excel.type("Customers", 2, 2, 999);
    expect((await workbook.readTable("Customers")).rows[1]).toEqual(["00002", "Customer 2", 999]);
  });

  it("replaces a pulled table in place, at the same corner, without the old rows", async () => {
    const { excel, workbook } = setup();
    excel.seedTable("Customers", "Customers", 3, 2, [headers, ...customers(5)]);
    await pull(workbook, customers(2));
    const table = excel.tables.get("Customers");
    expect([table, excel.values("Customers", 6, 2, 1, 3)]).toEqual([
      { name: "Customers", sheet: "Customers", row: 3, col: 2, rows: 2, cols: 3 },
      [["", "", ""]],
    ]);
  });

  it("lists the tables with their sheet, corner, headers and row count in 2 syncs", async () => {
    const { excel, workbook } = setup();
    excel.seedTable("Customers", "Customers", 0, 0, [headers, ...customers(4)]);
    excel.seedTable("Orders", "Orders", 2, 1, [
      ["order", "amount"],
      ["O-1", 5],
    ]);
    expect([await workbook.tables(), excel.syncs]).toEqual([
      [
        { name: "Customers", sheet: "Customers", row: 0, col: 0, headers, rowCount: 4 },
        {
          name: "Orders",
          sheet: "Orders",
          row: 2,
          col: 1,
          headers: ["order", "amount"],
          rowCount: 1,
        },
      ],
      2,
    ]);
  });

  it("changes cells, appends rows and deletes rows, each in a fixed number of syncs", async () => {
    const { excel, workbook } = setup();
    excel.seedTable("Customers", "Customers", 0, 0, [headers, ...customers(4)]);
    await workbook.setTableCells("Customers", [
      { row: 0, header: "name", value: "Renamed" },
      { row: 3, header: "revenue", value: null },
    ]);
    await workbook.appendTableRows("Customers", [["00009", "New", 1]]);
    await workbook.deleteTableRows("Customers", [1, 2, 1]);
    expect([excel.tableValues("Customers"), excel.syncs]).toEqual([
      [headers, ["00001", "Renamed", 0], ["00004", "Customer 4", ""], ["00009", "New", 1]],
      2 + 1 + 1,
    ]);
  });

  it("says which column a cell change names that the table lacks", async () => {
    const { excel, workbook } = setup();
    excel.seedTable("Customers", "Customers", 0, 0, [headers, ...customers(1)]);
    await expect(
      workbook.setTableCells("Customers", [{ row: 0, header: "grade", value: "A" }]),
    ).rejects.toThrow("Table Customers has no column grade");
  });

  it("writes a column of CRM formulas in one sync after finding the sheet", async () => {
    const { excel, workbook } = setup();
    excel.seedTable("Customers", "Customers", 0, 0, [headers, ...customers(3)]);
    await workbook.writeFormulas("Customers", [
      {
        row: 1,
        col: 3,
        formula: { fn: "CRM.ABC", args: [{ table: "Customers", column: "revenue" }] },
      },
      {
        row: 1,
        col: 4,
        formula: {
          fn: "CRM.CREDITGRADE",
          args: [{ sheet: "Customers", row: 1, col: 3, spill: true }],
        },
      },
    ]);
    expect([
      excel.cell("Customers", 1, 3).formula,
      excel.cell("Customers", 1, 4).formula,
      excel.syncs,
    ]).toEqual(["=CRM.ABC(Customers[revenue])", "=CRM.CREDITGRADE('Customers'!$D$2#)", 2]);
  });

  it("writes values on a new sheet, padding short rows and blanking nulls", async () => {
    const { excel, workbook } = setup();
    await workbook.writeValues("Summary", 0, 0, [["grade", "count"], ["A"], [null, 3]]);
    expect(excel.values("Summary", 0, 0, 3, 2)).toEqual([
      ["grade", "count"],
      ["A", ""],
      ["", 3],
    ]);
  });

  it("writes nothing, without an empty range Excel would refuse, when given no rows", async () => {
    const { excel, workbook } = setup();
    excel.addSheet("Summary");
    await workbook.writeValues("Summary", 0, 0, []);
    expect(excel.sheet("Summary").cells.size).toBe(0);
  });

  it("pulls an empty team as a table of headers only", async () => {
    const { excel, workbook } = setup();
    await pull(workbook, []);
    expect(excel.tableValues("Customers")).toEqual([headers, ["", "", ""]]);
  });

  it("reads calculated values of an area", async () => {
    const { excel, workbook } = setup();
    excel.seedTable("Customers", "Customers", 0, 0, [headers, ...customers(2)]);
    const area = { sheet: "Customers", row: 1, col: 1, rows: 2, cols: 2 };
    expect(await workbook.readValues(area)).toEqual([
      ["Customer 1", 0],
      ["Customer 2", 10],
    ]);
  });

  it("colours cells by their text with one cell-value rule per grade", async () => {
    const { excel, workbook } = setup();
    excel.seedTable("Customers", "Customers", 0, 0, [headers, ...customers(3)]);
    await workbook.addConditionalFormat({ sheet: "Customers", row: 1, col: 1, rows: 3, cols: 1 }, [
      { equals: "A", fill: "#C6EFCE", font: "#006100" },
      { equals: 'say "B"', fill: "#FFEB9C", font: "#9C5700" },
    ]);
    const area = { row: 1, col: 1, rows: 3, cols: 1 };
    expect([excel.sheet("Customers").conditionalFormats, excel.syncs]).toEqual([
      [
        {
          area,
          type: "CellValue",
          fill: "#C6EFCE",
          font: "#006100",
          rule: { formula1: '="A"', operator: "EqualTo" },
        },
        {
          area,
          type: "CellValue",
          fill: "#FFEB9C",
          font: "#9C5700",
          rule: { formula1: '="say ""B"""', operator: "EqualTo" },
        },
      ],
      1,
    ]);
  });

  it("adds a titled chart over its data on a new charts sheet", async () => {
    const { excel, workbook } = setup();
    seedGrades(excel);
    await workbook.addChart(gradeChart("Customers per grade"));
    expect(excel.sheet("CRM Charts").charts).toEqual([
      {
        name: "crm.grades",
        type: "ColumnClustered",
        source: { sheet: "Grades", row: 1, col: 0, rows: 2, cols: 2 },
        seriesBy: "Columns",
        title: "Customers per grade",
        legendVisible: false,
        at: { row: 1, col: 1 },
        axes: { category: "Grade", value: "Customers", valueFormat: "0" },
      },
    ]);
  });

  it("replaces a chart of the same name instead of adding another", async () => {
    const { excel, workbook } = setup();
    seedGrades(excel);
    await workbook.addChart(gradeChart("Customers per grade"));
    await workbook.addChart(gradeChart("各 ABC 等级客户数"));
    expect(excel.sheet("CRM Charts").charts.map((c) => c.title)).toEqual(["各 ABC 等级客户数"]);
  });

  it("gives every cell of an area the number format, in one sync", async () => {
    const { excel, workbook } = setup();
    excel.addSheet("S");
    const before = excel.syncs;
    await workbook.setNumberFormat({ sheet: "S", row: 1, col: 2, rows: 2, cols: 1 }, "0.0%");
    const formats = [1, 2, 3].map((r) => excel.cell("S", r, 2).numberFormat);
    expect([formats, excel.syncs - before]).toEqual([["0.0%", "0.0%", "General"], 1]);
  });

  it("keeps the workbook id in the document's settings and reuses it", async () => {
    const saved = new Map<string, unknown>();
    const office = new OfficeMockObject({
      context: {
        document: {
          settings: {
            get: (name: string) => saved.get(name) ?? null,
            set: (name: string, value: unknown) => saved.set(name, value),
            saveAsync: (done: () => void) => done(),
          },
        },
      },
    });
    vi.stubGlobal("Office", office);
    const { workbook } = setup();
    const first = await workbook.id();
    expect([first, await workbook.id(), saved.get("crm.workbookId")]).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      first,
      first,
    ]);
  });
});
