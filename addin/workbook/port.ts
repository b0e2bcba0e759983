/**
 * The Workbook port: everything the task pane does to a workbook, in one small interface.
 * Two adapters: `excel.ts` (Office.js, batched) and `memory.ts` (the preview page and tests).
 * Positions are 0-based sheet row/column indexes, as `Worksheet.getRangeByIndexes` takes them.
 */
import type { CellValue, TableData } from "../../core/sync.ts";

export type { CellValue, TableData };

/** A rectangle of a sheet. */
export interface Area {
  readonly sheet: string;
  readonly row: number;
  readonly col: number;
  readonly rows: number;
  readonly cols: number;
}

/** A table of the workbook: where its header row starts and what it holds. */
export interface TableInfo {
  readonly name: string;
  readonly sheet: string;
  /** The header row's first cell. */
  readonly row: number;
  readonly col: number;
  readonly headers: readonly string[];
  readonly rowCount: number;
}

/** One argument of a formula, rendered as Excel text by `formula.ts`. */
export type FormulaArg =
  | { readonly table: string; readonly column: string }
  | { readonly table: string; readonly columns: readonly [string, string] }
  /** The whole spill of the formula in that cell (`'Sheet'!$H$2#`). */
  | { readonly sheet: string; readonly row: number; readonly col: number; readonly spill: true }
  /** One cell (`'Sheet'!$B$9`), e.g. a labelled model setting the formulas share. */
  | { readonly sheet: string; readonly row: number; readonly col: number }
  | number
  | string;

/** A call such as `CRM.ABC(Customers[revenue])`: the function name and its arguments. */
export interface Formula {
  readonly fn: string;
  readonly args: readonly FormulaArg[];
}

/** Rules of a conditional format: cells equal to `equals` get this fill and font colour. */
export interface ColourRule {
  readonly equals: string;
  readonly fill: string;
  readonly font: string;
}

export interface ChartSpec {
  /** A stable name: adding a chart of the same name replaces it (a re-run, a new language). */
  readonly name: string;
  readonly sheet: string;
  /** "scatter": x values in the first column, y in the second (e.g. P(alive) by recency). */
  readonly type: "line" | "column" | "scatter";
  readonly title: string;
  /** Axis titles, and the value axis's number format. */
  readonly axes: {
    readonly category: string;
    readonly value: string;
    readonly valueFormat: string;
  };
  /** Category labels in the first column, values in the second. */
  readonly data: Area;
  /** Where the chart's top-left corner goes. */
  readonly at: { readonly row: number; readonly col: number };
}

/** Progress of a long write: rows done of the total. */
export type Progress = (done: number, total: number) => void;

export interface NewTable {
  readonly sheet: string;
  readonly name: string;
  readonly table: TableData;
  /** Columns whose cells stay text (ids like "001", ISO dates). */
  readonly textHeaders: readonly string[];
}

/** One cell of a table by data row (0-based, below the header) and header. */
export interface TableCell {
  readonly row: number;
  readonly header: string;
  readonly value: CellValue;
}

export interface Workbook {
  /** A stable id of this workbook, kept in the workbook itself (one per file). */
  id(): Promise<string>;
  /** Every table of the workbook. */
  tables(): Promise<TableInfo[]>;
  /** A table's headers and data rows (values, as the user sees them). */
  readTable(name: string): Promise<TableData>;
  /** Create the table (and its sheet) or replace what it holds; the sheet is shown. */
  writeTable(spec: NewTable, progress?: Progress): Promise<void>;
  /** Change single cells of a table. */
  setTableCells(name: string, cells: readonly TableCell[]): Promise<void>;
  /** Add rows at the end of a table. */
  appendTableRows(name: string, rows: readonly (readonly CellValue[])[]): Promise<void>;
  /** Remove data rows of a table (0-based indexes). */
  deleteTableRows(name: string, rows: readonly number[]): Promise<void>;
  /** Plain values into a sheet (created if missing), from its top-left cell. */
  writeValues(
    sheet: string,
    row: number,
    col: number,
    values: readonly (readonly CellValue[])[],
  ): Promise<void>;
  /** One formula per cell; dynamic-array results spill from there. */
  writeFormulas(
    sheet: string,
    cells: readonly { readonly row: number; readonly col: number; readonly formula: Formula }[],
  ): Promise<void>;
  /** Values of an area as calculated now. */
  readValues(area: Area): Promise<CellValue[][]>;
  /** An Excel number format for every cell of an area, e.g. `0.0%` or `[$¥]#,##0`. */
  setNumberFormat(area: Area, format: string): Promise<void>;
  /** Colour cells by their text. */
  addConditionalFormat(area: Area, rules: readonly ColourRule[]): Promise<void>;
  /** A native chart; one of the same name is replaced. */
  addChart(spec: ChartSpec): Promise<void>;
}
