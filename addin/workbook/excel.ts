/**
 * The Excel adapter of the Workbook port, over Office.js. Every method queues its work and
 * syncs once per chunk of `CHUNK_ROWS` rows (never once per row or cell): a round trip to
 * Excel costs far more than the cells it carries.
 */
import { formulaText } from "./formula.ts";
import type {
  Area,
  CellValue,
  ChartSpec,
  ColourRule,
  Formula,
  NewTable,
  Progress,
  TableCell,
  TableData,
  TableInfo,
  Workbook,
} from "./port.ts";

/** Rows written or read per `context.sync()`: big enough to be fast, small enough for Excel on the web's request limit. */
export const CHUNK_ROWS = 5000;

const WORKBOOK_ID = "crm.workbookId";

type Run = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

function sheetNamed(context: Excel.RequestContext, name: string): Excel.Worksheet {
  return context.workbook.worksheets.getItem(name);
}

/** The range of an area of the port. */
function rangeOf(context: Excel.RequestContext, area: Area): Excel.Range {
  return sheetNamed(context, area.sheet).getRangeByIndexes(
    area.row,
    area.col,
    area.rows,
    area.cols,
  );
}

async function ensureSheet(context: Excel.RequestContext, name: string): Promise<Excel.Worksheet> {
  const found = context.workbook.worksheets.getItemOrNullObject(name);
  await context.sync();
  return found.isNullObject ? context.workbook.worksheets.add(name) : found;
}

// Excel keeps "" as a blank and refuses null in a values array.
function cellsOut(rows: readonly (readonly CellValue[])[]): (string | number | boolean)[][] {
  return rows.map((r) => r.map((v) => v ?? ""));
}

/** The Workbook port over Office.js; `run` is `Excel.run` unless a test passes another. */
export class ExcelWorkbook implements Workbook {
  readonly #run: Run;

  constructor(run?: Run) {
    this.#run = run ?? ((batch) => Excel.run(batch));
  }

  /** The id kept in the document's settings (saved with the workbook), made on first use. */
  async id(): Promise<string> {
    const settings = Office.context.document.settings;
    const known: unknown = settings.get(WORKBOOK_ID);
    if (typeof known === "string" && known !== "") return known;
    const id = crypto.randomUUID();
    settings.set(WORKBOOK_ID, id);
    await new Promise<void>((resolve) => settings.saveAsync(() => resolve()));
    return id;
  }

  tables(): Promise<TableInfo[]> {
    return this.#run(async (context) => {
      const tables = context.workbook.tables.load("items/name");
      await context.sync();
      const loaded = tables.items.map((t) => ({
        name: t.name,
        sheet: t.worksheet.load("name"),
        header: t.getHeaderRowRange().load("values,rowIndex,columnIndex"),
        rows: t.rows.load("count"),
      }));
      await context.sync();
      return loaded.map((t) => ({
        name: t.name,
        sheet: t.sheet.name,
        row: t.header.rowIndex,
        col: t.header.columnIndex,
        headers: (t.header.values[0] ?? []).map(String),
        rowCount: t.rows.count,
      }));
    });
  }

  readTable(name: string): Promise<TableData> {
    return this.#run(async (context) => {
      const table = context.workbook.tables.getItem(name);
      const header = table.getHeaderRowRange().load("values,rowIndex,columnIndex,columnCount");
      const count = table.rows.load("count");
      const sheet = table.worksheet;
      await context.sync();
      const rows: CellValue[][] = [];
      for (let start = 0; start < count.count; start += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, count.count - start);
        const chunk = sheet
          .getRangeByIndexes(header.rowIndex + 1 + start, header.columnIndex, n, header.columnCount)
          .load("values");
        await context.sync();
        rows.push(...(chunk.values as CellValue[][]));
      }
      return { headers: (header.values[0] ?? []).map(String), rows };
    });
  }

  writeTable(spec: NewTable, progress?: Progress): Promise<void> {
    return this.#run(async (context) => {
      // The table and its sheet are looked up in one round trip.
      const existing = context.workbook.tables.getItemOrNullObject(spec.name);
      const named = context.workbook.worksheets.getItemOrNullObject(spec.sheet);
      await context.sync();
      let sheet: Excel.Worksheet;
      let row = 0;
      let col = 0;
      if (existing.isNullObject) {
        sheet = named.isNullObject ? context.workbook.worksheets.add(spec.sheet) : named;
      } else {
        // Replace in place: same sheet and corner, so formulas beside the table keep pointing at it.
        const range = existing.getRange().load("rowIndex,columnIndex");
        sheet = existing.worksheet;
        await context.sync();
        row = range.rowIndex;
        col = range.columnIndex;
        existing.getRange().clear();
        existing.delete();
      }
      const { headers, rows } = spec.table;
      const width = headers.length;
      const total = rows.length;
      headers.forEach((h, c) => {
        if (!spec.textHeaders.includes(h) || total === 0) return;
        sheet.getRangeByIndexes(row + 1, col + c, total, 1).numberFormat = rows.map(() => ["@"]);
      });
      sheet.getRangeByIndexes(row, col, 1, width).values = [headers.map(String)];
      for (let start = 0; start < total; start += CHUNK_ROWS) {
        const chunk = rows.slice(start, start + CHUNK_ROWS);
        sheet.getRangeByIndexes(row + 1 + start, col, chunk.length, width).values = cellsOut(chunk);
        await context.sync();
        progress?.(start + chunk.length, total);
      }
      const area = sheet.getRangeByIndexes(row, col, Math.max(total, 1) + 1, width);
      const table = sheet.tables.add(area, true);
      table.name = spec.name;
      sheet.activate();
      await context.sync();
    });
  }

  setTableCells(name: string, cells: readonly TableCell[]): Promise<void> {
    return this.#run(async (context) => {
      const table = context.workbook.tables.getItem(name);
      const header = table.getHeaderRowRange().load("values");
      await context.sync();
      const headers = (header.values[0] ?? []).map(String);
      const body = table.getDataBodyRange();
      for (const cell of cells) {
        const c = headers.indexOf(cell.header);
        if (c < 0) throw new Error(`Table ${name} has no column ${cell.header}`);
        body.getCell(cell.row, c).values = [[cell.value ?? ""]];
      }
      await context.sync();
    });
  }

  appendTableRows(name: string, rows: readonly (readonly CellValue[])[]): Promise<void> {
    return this.#run(async (context) => {
      const table = context.workbook.tables.getItem(name);
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        table.rows.add(undefined, cellsOut(rows.slice(start, start + CHUNK_ROWS)));
        await context.sync();
      }
    });
  }

  deleteTableRows(name: string, rows: readonly number[]): Promise<void> {
    return this.#run(async (context) => {
      const table = context.workbook.tables.getItem(name);
      // From the bottom up, so the indexes still to delete do not move.
      for (const r of [...new Set(rows)].sort((a, b) => b - a)) table.rows.getItemAt(r).delete();
      await context.sync();
    });
  }

  writeValues(
    sheetName: string,
    row: number,
    col: number,
    values: readonly (readonly CellValue[])[],
  ): Promise<void> {
    return this.#run(async (context) => {
      const sheet = await ensureSheet(context, sheetName);
      // Excel refuses an empty range: no rows, nothing to write.
      if (values.length === 0) return;
      const width = Math.max(1, ...values.map((r) => r.length));
      const padded = values.map((r) => [...r, ...Array(width - r.length).fill("")]);
      sheet.getRangeByIndexes(row, col, values.length, width).values = cellsOut(padded);
      await context.sync();
    });
  }

  writeFormulas(
    sheetName: string,
    cells: readonly { readonly row: number; readonly col: number; readonly formula: Formula }[],
  ): Promise<void> {
    return this.#run(async (context) => {
      const sheet = await ensureSheet(context, sheetName);
      for (const c of cells) {
        sheet.getRangeByIndexes(c.row, c.col, 1, 1).formulas = [[formulaText(c.formula)]];
      }
      await context.sync();
    });
  }

  readValues(area: Area): Promise<CellValue[][]> {
    return this.#run(async (context) => {
      const range = rangeOf(context, area).load("values");
      await context.sync();
      return range.values as CellValue[][];
    });
  }

  addConditionalFormat(area: Area, rules: readonly ColourRule[]): Promise<void> {
    return this.#run(async (context) => {
      const range = rangeOf(context, area);
      for (const rule of rules) {
        const format = range.conditionalFormats.add(Excel.ConditionalFormatType.cellValue);
        format.cellValue.format.fill.color = rule.fill;
        format.cellValue.format.font.color = rule.font;
        format.cellValue.rule = {
          formula1: `="${rule.equals.replaceAll('"', '""')}"`,
          operator: Excel.ConditionalCellValueOperator.equalTo,
        };
      }
      await context.sync();
    });
  }

  setNumberFormat(area: Area, format: string): Promise<void> {
    return this.#run(async (context) => {
      const range = rangeOf(context, area);
      range.numberFormat = Array.from({ length: area.rows }, () =>
        Array.from({ length: area.cols }, () => format),
      );
      await context.sync();
    });
  }

  addChart(spec: ChartSpec): Promise<void> {
    return this.#run(async (context) => {
      const sheet = await ensureSheet(context, spec.sheet);
      // The same chart again (a re-run of the wizard, a new language) replaces the old one.
      const old = sheet.charts.getItemOrNullObject(spec.name);
      await context.sync();
      if (!old.isNullObject) old.delete();
      const { data } = spec;
      const source = sheetNamed(context, data.sheet).getRangeByIndexes(
        data.row,
        data.col,
        data.rows,
        data.cols,
      );
      const type = {
        line: Excel.ChartType.line,
        column: Excel.ChartType.columnClustered,
        scatter: Excel.ChartType.xyscatter,
      }[spec.type];
      const chart = sheet.charts.add(type, source, Excel.ChartSeriesBy.columns);
      chart.name = spec.name;
      chart.title.text = spec.title;
      chart.legend.visible = false;
      chart.axes.categoryAxis.title.text = spec.axes.category;
      chart.axes.valueAxis.title.text = spec.axes.value;
      chart.axes.valueAxis.numberFormat = spec.axes.valueFormat;
      chart.setPosition(sheet.getRangeByIndexes(spec.at.row, spec.at.col, 1, 1));
      await context.sync();
    });
  }
}
