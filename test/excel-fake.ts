/**
 * A small Excel for the Office.js adapter's tests, built on Microsoft's `office-addin-mock`:
 * every client object (range, table, worksheet, collection, chart, conditional format) is an
 * `OfficeMockObject`, so a property can be read only after `load` and `context.sync()`. The
 * mock alone returns an error string for such a read; here the read throws, so no adapter
 * can carry "Error, property was not loaded" into a workbook unnoticed.
 *
 * As in Office.js, nothing changes before `context.sync()`: method calls and property writes
 * are queued in call order and applied at the sync, then loaded properties take the values
 * the workbook has at that moment. `syncs` counts the round trips.
 */
import { OfficeMockObject } from "office-addin-mock";
import type { CellValue } from "../addin/workbook/port.ts";

/** The two strings office-addin-mock leaves in a property that is not readable yet. */
const NOT_READABLE = new Set([
  "Error, property was not loaded",
  "Error, context.sync() was not called",
]);

/** Where a write lands, by the property path written on the object (`["title", "text"]`). */
type OnWrite = (path: readonly string[], value: unknown) => void;

/** Something made in a batch that takes part in `context.sync()`. */
interface Registered {
  sync(): Promise<void>;
}

/** Loadable values as the workbook holds them now; nested records for nested objects. */
type Current = { readonly [name: string]: unknown };

interface MockInternals {
  _properties: Map<string, MockInternals>;
  _valueBeforeLoaded: unknown;
  _isObject?: boolean;
}

/** Gives office-addin-mock's child mocks the workbook's values of this moment. */
function refresh(target: OfficeMockObject, now: Current): void {
  const children = (target as unknown as MockInternals)._properties;
  for (const [name, value] of Object.entries(now)) {
    const child = children.get(name);
    if (!child) continue;
    if (child._isObject) refresh(child as unknown as OfficeMockObject, value as Current);
    else child._valueBeforeLoaded = value;
  }
}

interface CellState {
  value: CellValue;
  formula: string | null;
  numberFormat: string;
}

export interface ChartState {
  name: string;
  type: string;
  source: { sheet: string; row: number; col: number; rows: number; cols: number };
  seriesBy: string;
  title: string;
  legendVisible: boolean;
  at: { row: number; col: number } | null;
  axes: { category: string; value: string; valueFormat: string };
}

export interface ConditionalFormatState {
  area: { row: number; col: number; rows: number; cols: number };
  type: string;
  fill: string | null;
  font: string | null;
  rule: { formula1: string; operator: string } | null;
}

export interface SheetState {
  readonly name: string;
  readonly cells: Map<string, CellState>;
  readonly charts: ChartState[];
  readonly conditionalFormats: ConditionalFormatState[];
}

export interface TableState {
  name: string;
  sheet: string;
  row: number;
  col: number;
  /** Data rows (the header row not counted). */
  rows: number;
  cols: number;
}

const key = (row: number, col: number) => `${row},${col}`;

/** The workbook's state and an `Excel.run` over it. */
export class FakeExcel {
  readonly sheets = new Map<string, SheetState>();
  readonly tables = new Map<string, TableState>();
  activeSheet: string | null = null;
  /** `context.sync()` calls, over every `run`. */
  syncs = 0;
  #tableCount = 0;

  /** As `Excel.run`: a fresh request context per batch. */
  readonly run = <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> =>
    batch(new RequestContext(this).context as unknown as Excel.RequestContext);

  sheet(name: string): SheetState {
    const sheet = this.sheets.get(name);
    if (!sheet) throw new Error(`no sheet ${name}`);
    return sheet;
  }

  addSheet(name: string): SheetState {
    if (this.sheets.has(name)) throw new Error(`sheet ${name} exists`);
    const sheet: SheetState = { name, cells: new Map(), charts: [], conditionalFormats: [] };
    this.sheets.set(name, sheet);
    return sheet;
  }

  cell(sheet: string, row: number, col: number): CellState {
    const cells = this.sheet(sheet).cells;
    let cell = cells.get(key(row, col));
    if (!cell) {
      cell = { value: "", formula: null, numberFormat: "General" };
      cells.set(key(row, col), cell);
    }
    return cell;
  }

  /** Values of a block, "" where nothing was written. */
  values(sheet: string, row: number, col: number, rows: number, cols: number): CellValue[][] {
    const cells = this.sheet(sheet).cells;
    return Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => cells.get(key(row + r, col + c))?.value ?? ""),
    );
  }

  /** A table's header and data rows as the sheet holds them. */
  tableValues(name: string): CellValue[][] {
    const t = this.tables.get(name);
    if (!t) throw new Error(`no table ${name}`);
    return this.values(t.sheet, t.row, t.col, t.rows + 1, t.cols);
  }

  /** Puts a table on a sheet, as a user would have made it (no sync involved). */
  seedTable(sheet: string, name: string, row: number, col: number, values: CellValue[][]): void {
    if (!this.sheets.has(sheet)) this.addSheet(sheet);
    values.forEach((r, i) => {
      r.forEach((v, j) => {
        this.cell(sheet, row + i, col + j).value = v;
      });
    });
    const cols = values[0]?.length ?? 0;
    this.tables.set(name, { name, sheet, row, col, rows: values.length - 1, cols });
  }

  /** A user's edit in a cell. */
  type(sheet: string, row: number, col: number, value: CellValue): void {
    this.cell(sheet, row, col).value = value;
  }

  nextTableName(): string {
    this.#tableCount += 1;
    return `Table${this.#tableCount}`;
  }
}

/** One batch: the queue of changes, the objects made in it, and `sync`. */
class RequestContext {
  readonly #excel: FakeExcel;
  readonly #queue: (() => void)[] = [];
  readonly #objects: Registered[] = [];
  readonly #proxies = new WeakSet<object>();
  readonly #areas = new WeakMap<object, ChartState["source"]>();
  readonly context: unknown;

  constructor(excel: FakeExcel) {
    this.#excel = excel;
    const worksheets = {
      getItem: (name: string) => this.worksheet(name, false),
      getItemOrNullObject: (name: string) => this.worksheet(name, true),
      add: (name: string) => {
        this.queue(() => this.#excel.addSheet(name));
        return this.worksheet(name, false);
      },
    };
    this.context = {
      workbook: { worksheets, tables: this.tableCollection(null) },
      sync: () => this.sync(),
    };
  }

  queue(change: () => void): void {
    this.#queue.push(change);
  }

  async sync(): Promise<void> {
    this.#excel.syncs += 1;
    for (const change of this.#queue.splice(0)) change();
    for (const object of this.#objects) await object.sync();
    // office-addin-mock copies synced values a microtask after its own sync resolves.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** An `OfficeMockObject` behind a proxy that throws on unreadable reads and queues writes. */
  object(
    data: Record<string, unknown>,
    current: () => Current,
    onWrite: OnWrite = (path) => {
      throw new Error(`the fake does not support writing ${path.join(".")}`);
    },
    loadNow: readonly string[] = [],
    /** Other client objects it points at (already proxies), set on the mock as they are. */
    links: Record<string, object> = {},
  ): Record<string, unknown> {
    const target = new OfficeMockObject(data as never);
    for (const name of loadNow) target.load(name);
    Object.assign(target, links);
    this.#objects.push({
      sync: async () => {
        refresh(target, current());
        await target.sync();
      },
    });
    return this.wrap(target, [], onWrite);
  }

  private wrap(
    target: OfficeMockObject,
    path: readonly string[],
    onWrite: OnWrite,
  ): Record<string, unknown> {
    const proxy = new Proxy(target, {
      get: (t, name) => {
        const value: unknown = Reflect.get(t, name);
        if (typeof name === "symbol") return value;
        if (name === "load") {
          return (props?: string | string[]) => {
            t.load(props as string);
            return proxy;
          };
        }
        if (typeof value === "function") return value.bind(t);
        if (typeof value === "string" && NOT_READABLE.has(value)) {
          throw new Error(`read of ${[...path, name].join(".")} before load + sync: ${value}`);
        }
        if (value instanceof OfficeMockObject && !this.#proxies.has(value)) {
          return this.wrap(value, [...path, name], onWrite);
        }
        return value;
      },
      set: (t, name, value) => {
        if (typeof name === "symbol") return false;
        const at = [...path, name];
        this.queue(() => onWrite(at, value));
        Reflect.set(t, name, value);
        return true;
      },
    }) as unknown as Record<string, unknown>;
    this.#proxies.add(proxy);
    return proxy;
  }

  worksheet(name: string, orNull = false): Record<string, unknown> {
    const excel = this.#excel;
    return this.object(
      {
        name,
        isNullObject: false,
        getRangeByIndexes: (row: number, col: number, rows: number, cols: number) =>
          this.range(name, row, col, rows, cols),
        charts: {
          add: (type: string, source: object, seriesBy: string) =>
            this.chart(name, type, source, seriesBy),
          getItemOrNullObject: (chartName: string) => this.namedChart(name, chartName),
        },
        activate: () =>
          this.queue(() => {
            excel.activeSheet = name;
          }),
      },
      () => ({ name, isNullObject: !excel.sheets.has(name) }),
      undefined,
      // Office.js fills isNullObject at the sync, without a load.
      orNull ? ["isNullObject"] : [],
      { tables: this.tableCollection(name) },
    );
  }

  range(sheet: string, row: number, col: number, rows: number, cols: number): object {
    // As Worksheet.getRangeByIndexes in Excel: an empty range is an InvalidArgument error.
    if (rows < 1 || cols < 1) throw new Error(`InvalidArgument: a ${rows} × ${cols} range`);
    const excel = this.#excel;
    const each = (value: unknown, set: (cell: CellState, v: unknown) => void) => {
      const block = value as unknown[][];
      if (block.length !== rows || block.some((r) => r.length !== cols)) {
        throw new Error(`a ${rows} × ${cols} range was given a ${block.length}-row block`);
      }
      block.forEach((r, i) => {
        r.forEach((v, j) => {
          set(excel.cell(sheet, row + i, col + j), v);
        });
      });
    };
    const area = { sheet, row, col, rows, cols };
    const range = this.object(
      {
        // office-addin-mock cannot hold null; the values loaded are the workbook's at sync.
        values: [],
        rowIndex: row,
        columnIndex: col,
        rowCount: rows,
        columnCount: cols,
        getCell: (r: number, c: number) => this.range(sheet, row + r, col + c, 1, 1),
        clear: () =>
          this.queue(() => {
            for (let r = 0; r < rows; r++) {
              for (let c = 0; c < cols; c++) {
                excel.sheet(sheet).cells.delete(key(row + r, col + c));
              }
            }
          }),
        conditionalFormats: { add: (type: string) => this.conditionalFormat(area, type) },
      },
      () => ({
        values: excel.sheets.has(sheet) ? excel.values(sheet, row, col, rows, cols) : [],
      }),
      ([name], value) => {
        if (name === "values") {
          each(value, (cell, v) => {
            if (v === null || v === undefined) throw new Error("Excel refuses null in values");
            cell.value = v as CellValue;
            cell.formula = null;
          });
        } else if (name === "formulas") {
          each(value, (cell, v) => {
            cell.formula = String(v);
            cell.value = "";
          });
        } else if (name === "numberFormat") {
          each(value, (cell, v) => {
            cell.numberFormat = String(v);
          });
        } else throw new Error(`the fake does not support writing range.${name}`);
      },
    );
    this.#areas.set(range, area);
    return range;
  }

  tableCollection(sheet: string | null): object {
    const excel = this.#excel;
    let loaded: "no" | "queued" | "yes" = "no";
    let items: object[] = [];
    this.#objects.push({
      sync: async () => {
        if (loaded === "queued") loaded = "yes";
      },
    });
    const collection = {
      load: (props: string) => {
        const names = [...excel.tables.values()]
          .filter((t) => sheet === null || t.sheet === sheet)
          .map((t) => t.name);
        items = names.map((n) => {
          const table = this.table(n) as { load(p: string): unknown };
          for (const p of props.split(",")) {
            if (p.startsWith("items/")) table.load(p.slice("items/".length));
          }
          return table;
        });
        loaded = "queued";
        return collection;
      },
      get items(): object[] {
        if (loaded !== "yes") throw new Error("read of tables.items before load + sync");
        return items;
      },
      getItem: (name: string) => this.table(name),
      getItemOrNullObject: (name: string) => this.table(name, true),
      add: (address: object, hasHeaders: boolean) => {
        const area = this.#areas.get(address);
        if (!area || !hasHeaders) throw new Error("the fake adds tables with headers over a range");
        const name = excel.nextTableName();
        this.queue(() => {
          if (sheet !== null && area.sheet !== sheet) throw new Error("range on another sheet");
          const { row, col, rows, cols } = area;
          excel.tables.set(name, { name, sheet: area.sheet, row, col, rows: rows - 1, cols });
        });
        return this.table(name);
      },
    };
    return collection;
  }

  table(initialName: string, orNull = false): object {
    const excel = this.#excel;
    let name = initialName;
    const state = () => {
      const t = excel.tables.get(name);
      if (!t) throw new Error(`no table ${name}`);
      return t;
    };
    const rows = {
      count: 0,
      add: (_index: undefined, values: CellValue[][]) =>
        this.queue(() => {
          const t = state();
          values.forEach((r, i) => {
            r.forEach((v, j) => {
              excel.cell(t.sheet, t.row + 1 + t.rows + i, t.col + j).value = v;
            });
          });
          t.rows += values.length;
        }),
      getItemAt: (index: number) => ({
        delete: () =>
          this.queue(() => {
            const t = state();
            const below = excel.values(
              t.sheet,
              t.row + 2 + index,
              t.col,
              t.rows - index - 1,
              t.cols,
            );
            below.forEach((r, i) => {
              r.forEach((v, j) => {
                excel.cell(t.sheet, t.row + 1 + index + i, t.col + j).value = v;
              });
            });
            for (let j = 0; j < t.cols; j++) {
              excel.sheet(t.sheet).cells.delete(key(t.row + t.rows, t.col + j));
            }
            t.rows -= 1;
          }),
      }),
    };
    const sheet = excel.tables.get(initialName)?.sheet;
    return this.object(
      {
        name,
        isNullObject: false,
        rows,
        getHeaderRowRange: () => {
          const t = state();
          return this.range(t.sheet, t.row, t.col, 1, t.cols);
        },
        getDataBodyRange: () => {
          const t = state();
          return this.range(t.sheet, t.row + 1, t.col, t.rows, t.cols);
        },
        getRange: () => {
          const t = state();
          return this.range(t.sheet, t.row, t.col, t.rows + 1, t.cols);
        },
        delete: () =>
          this.queue(() => {
            excel.tables.delete(name);
          }),
      },
      () => ({
        name,
        isNullObject: !excel.tables.has(name),
        rows: { count: excel.tables.get(name)?.rows ?? 0 },
      }),
      ([prop], value) => {
        if (prop !== "name") throw new Error(`the fake does not support writing table.${prop}`);
        const t = state();
        excel.tables.delete(name);
        name = String(value);
        excel.tables.set(name, { ...t, name });
      },
      orNull ? ["isNullObject"] : [],
      // The table's sheet as a worksheet object (known when the table already exists).
      sheet === undefined ? {} : { worksheet: this.worksheet(sheet) },
    );
  }

  chart(sheet: string, type: string, source: object, seriesBy: string): object {
    const excel = this.#excel;
    const area = this.#areas.get(source);
    if (!area) throw new Error("charts.add needs a range");
    const state: ChartState = {
      name: "",
      type,
      source: area,
      seriesBy,
      title: "",
      legendVisible: true,
      at: null,
      axes: { category: "", value: "", valueFormat: "" },
    };
    this.queue(() => excel.sheet(sheet).charts.push(state));
    return this.object(
      {
        name: "",
        title: { text: "" },
        legend: { visible: true },
        axes: {
          categoryAxis: { title: { text: "" } },
          valueAxis: { title: { text: "" }, numberFormat: "" },
        },
        setPosition: (start: object) => {
          const at = this.#areas.get(start);
          if (!at) throw new Error("setPosition needs a range");
          this.queue(() => {
            state.at = { row: at.row, col: at.col };
          });
        },
      },
      () => ({}),
      (path, value) => {
        const at = path.join(".");
        if (at === "title.text") state.title = String(value);
        else if (at === "name") state.name = String(value);
        else if (at === "legend.visible") state.legendVisible = Boolean(value);
        else if (at === "axes.categoryAxis.title.text") state.axes.category = String(value);
        else if (at === "axes.valueAxis.title.text") state.axes.value = String(value);
        else if (at === "axes.valueAxis.numberFormat") state.axes.valueFormat = String(value);
        else throw new Error(`the fake does not support writing chart.${at}`);
      },
    );
  }

  /** `charts.getItemOrNullObject(name)`: null until a chart of that name exists; `delete()` removes it. */
  namedChart(sheet: string, name: string): object {
    const excel = this.#excel;
    const find = () => excel.sheet(sheet).charts.findIndex((c) => c.name === name);
    return this.object(
      {
        isNullObject: false,
        delete: () =>
          this.queue(() => {
            const at = find();
            if (at >= 0) excel.sheet(sheet).charts.splice(at, 1);
          }),
      },
      () => ({ isNullObject: find() < 0 }),
      undefined,
      ["isNullObject"],
    );
  }

  conditionalFormat(area: ChartState["source"], type: string): object {
    const excel = this.#excel;
    const state: ConditionalFormatState = {
      area: { row: area.row, col: area.col, rows: area.rows, cols: area.cols },
      type,
      fill: null,
      font: null,
      rule: null,
    };
    this.queue(() => excel.sheet(area.sheet).conditionalFormats.push(state));
    return this.object(
      { cellValue: { format: { fill: { color: "" }, font: { color: "" } }, rule: "" } },
      () => ({}),
      (path, value) => {
        const at = path.join(".");
        if (at === "cellValue.format.fill.color") state.fill = String(value);
        else if (at === "cellValue.format.font.color") state.font = String(value);
        else if (at === "cellValue.rule") state.rule = value as ConditionalFormatState["rule"];
        else throw new Error(`the fake does not support writing conditionalFormat.${at}`);
      },
    );
  }
}
