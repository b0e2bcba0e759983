/**
 * The in-memory Workbook adapter: sheets of cells, tables, formulas, conditional formats and
 * charts kept in plain objects. The preview page renders it as a grid next to the real pane,
 * so a person (and the browser tests) can see what the pane did; it also serves the unit tests.
 *
 * Formulas are calculated with the spreadsheet functions it is given (the preview passes the
 * real `CRM.*` implementations that functions.js registers), plus the built-ins the pane's
 * chart helpers use: `SORT`, `SORTBY` and `COUNTIF`. Results spill down and right as in Excel.
 */
import { formulaText } from "./formula.ts";
import type {
  Area,
  CellValue,
  ChartSpec,
  ColourRule,
  Formula,
  FormulaArg,
  NewTable,
  Progress,
  TableCell,
  TableData,
  TableInfo,
  Workbook,
} from "./port.ts";

/** A spreadsheet function as Excel's custom-function runtime calls it: 2-D arrays in and out. */
export type SheetFunction = (...args: unknown[]) => unknown;

interface MemoryCell {
  value: CellValue;
  formula?: Formula;
  /** Key of the formula cell whose result spilled here. */
  spilledFrom?: string;
  /** The message of an error value (what Excel shows on hover). */
  message?: string;
}

interface SpillOrigin {
  readonly sheet: string;
  readonly row: number;
  readonly col: number;
  rows: number;
  cols: number;
}

interface MemoryTable {
  name: string;
  sheet: string;
  row: number;
  col: number;
  headers: string[];
  rowCount: number;
}

/** The state a test or the preview reads: dense values and formula texts per sheet. */
export interface SheetDump {
  readonly name: string;
  readonly values: CellValue[][];
  readonly formulas: (string | null)[][];
}

// Cells are keyed by number (Excel has 16,384 columns): a string per cell made 10,000-row
// tables several times slower.
const COLUMNS = 16_384;
const cellKey = (row: number, col: number): number => row * COLUMNS + col;
const spillKey = (sheet: string, row: number, col: number): string =>
  `${sheet}!${cellKey(row, col)}`;

/** An error value a function returned (CustomFunctions.Error or the preview's stand-in). */
function errorOf(x: unknown): { code: string; message: string } | null {
  if (typeof x !== "object" || x === null || !("code" in x)) return null;
  const code = (x as { code: unknown }).code;
  const message = (x as { message?: unknown }).message;
  return typeof code === "string" && code.startsWith("#")
    ? { code, message: typeof message === "string" ? message : "" }
    : null;
}

function toCellValue(x: unknown): CellValue {
  if (x === null || x === undefined) return "";
  if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") return x;
  return String(x);
}

/** A workbook held in memory; `functions` are keyed by their Excel name, e.g. `CRM.ABC`. */
export class MemoryWorkbook implements Workbook {
  readonly #sheets = new Map<string, Map<number, MemoryCell>>();
  readonly #order: string[] = [];
  readonly #tables = new Map<string, MemoryTable>();
  readonly #spills = new Map<string, SpillOrigin>();
  readonly #listeners = new Set<() => void>();
  readonly functions: Map<string, SheetFunction>;
  readonly charts: ChartSpec[] = [];
  readonly conditionalFormats: { area: Area; rules: readonly ColourRule[] }[] = [];
  readonly numberFormats: { area: Area; format: string }[] = [];
  activeSheet: string | null = null;

  readonly #id: string;

  constructor(functions: ReadonlyMap<string, SheetFunction> = new Map(), id = crypto.randomUUID()) {
    this.functions = new Map(functions);
    this.#id = id;
  }

  /** A new id per instance: a reloaded preview is a new workbook. */
  async id(): Promise<string> {
    return this.#id;
  }

  /** Called after every change (the preview re-renders its grid). */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Sheet names in creation order. */
  sheetNames(): string[] {
    return [...this.#order];
  }

  async tables(): Promise<TableInfo[]> {
    return [...this.#tables.values()].map((t) => ({ ...t, headers: [...t.headers] }));
  }

  async readTable(name: string): Promise<TableData> {
    const t = this.#table(name);
    const rows: CellValue[][] = [];
    for (let r = 0; r < t.rowCount; r++) {
      rows.push(t.headers.map((_, c) => this.#get(t.sheet, t.row + 1 + r, t.col + c)));
    }
    return { headers: [...t.headers], rows };
  }

  async writeTable(spec: NewTable, progress?: Progress): Promise<void> {
    const old = this.#tables.get(spec.name);
    const at = old ?? { sheet: spec.sheet, row: 0, col: 0 };
    if (old) this.#clear(old.sheet, old.row, old.col, old.rowCount + 1, old.headers.length);
    const headers = [...spec.table.headers];
    this.#put(at.sheet, at.row, at.col, [headers, ...spec.table.rows]);
    this.#tables.set(spec.name, {
      name: spec.name,
      sheet: at.sheet,
      row: at.row,
      col: at.col,
      headers,
      rowCount: spec.table.rows.length,
    });
    this.activeSheet = at.sheet;
    progress?.(spec.table.rows.length, spec.table.rows.length);
    await this.#changed();
  }

  async setTableCells(name: string, cells: readonly TableCell[]): Promise<void> {
    const t = this.#table(name);
    for (const c of cells) {
      const col = t.headers.indexOf(c.header);
      if (col < 0) throw new Error(`Table ${name} has no column ${c.header}`);
      if (c.row < 0 || c.row >= t.rowCount)
        throw new Error(`Table ${name} has no row ${c.row + 1}`);
      this.#sheet(t.sheet).set(cellKey(t.row + 1 + c.row, t.col + col), { value: c.value });
    }
    await this.#changed();
  }

  async appendTableRows(name: string, rows: readonly (readonly CellValue[])[]): Promise<void> {
    const t = this.#table(name);
    this.#put(t.sheet, t.row + 1 + t.rowCount, t.col, rows);
    t.rowCount += rows.length;
    await this.#changed();
  }

  async deleteTableRows(name: string, rows: readonly number[]): Promise<void> {
    const t = this.#table(name);
    const gone = new Set(rows);
    const data = await this.readTable(name);
    const kept = data.rows.filter((_, i) => !gone.has(i));
    this.#clear(t.sheet, t.row + 1, t.col, t.rowCount, t.headers.length);
    this.#put(t.sheet, t.row + 1, t.col, kept);
    t.rowCount = kept.length;
    await this.#changed();
  }

  async writeValues(
    sheet: string,
    row: number,
    col: number,
    values: readonly (readonly CellValue[])[],
  ): Promise<void> {
    this.#put(sheet, row, col, values);
    await this.#changed();
  }

  async writeFormulas(
    sheet: string,
    cells: readonly { readonly row: number; readonly col: number; readonly formula: Formula }[],
  ): Promise<void> {
    const s = this.#sheet(sheet);
    for (const c of cells) {
      const key = spillKey(sheet, c.row, c.col);
      // A formula written over a spilling one (the wizard run again) takes its spill's place.
      const old = this.#spills.get(key);
      if (old) this.#clearSpill(old, key);
      s.set(cellKey(c.row, c.col), { value: "", formula: c.formula });
      this.#spills.set(key, {
        sheet,
        row: c.row,
        col: c.col,
        rows: 1,
        cols: 1,
      });
    }
    await this.#changed();
  }

  async readValues(area: Area): Promise<CellValue[][]> {
    const out: CellValue[][] = [];
    for (let r = 0; r < area.rows; r++) {
      const line: CellValue[] = [];
      for (let c = 0; c < area.cols; c++)
        line.push(this.#get(area.sheet, area.row + r, area.col + c));
      out.push(line);
    }
    return out;
  }

  async addConditionalFormat(area: Area, rules: readonly ColourRule[]): Promise<void> {
    this.conditionalFormats.push({ area, rules });
    await this.#changed();
  }

  async setNumberFormat(area: Area, format: string): Promise<void> {
    this.numberFormats.push({ area, format });
    await this.#changed();
  }

  async addChart(spec: ChartSpec): Promise<void> {
    this.#sheet(spec.sheet);
    const same = this.charts.findIndex((c) => c.name === spec.name);
    if (same >= 0) this.charts.splice(same, 1, spec);
    else this.charts.push(spec);
    await this.#changed();
  }

  /** The number format of a cell (the last one set over it), or "" for General. */
  formatAt(sheet: string, row: number, col: number): string {
    for (let i = this.numberFormats.length - 1; i >= 0; i--) {
      const { area: a, format } = this.numberFormats[i] as { area: Area; format: string };
      if (
        a.sheet === sheet &&
        row >= a.row &&
        row < a.row + a.rows &&
        col >= a.col &&
        col < a.col + a.cols
      )
        return format;
    }
    return "";
  }

  /** The formula text of a cell, or null. */
  formulaAt(sheet: string, row: number, col: number): string | null {
    const f = this.#sheets.get(sheet)?.get(cellKey(row, col))?.formula;
    return f ? formulaText(f) : null;
  }

  /** The message of an error value in a cell ("" when none). */
  messageAt(sheet: string, row: number, col: number): string {
    return this.#sheets.get(sheet)?.get(cellKey(row, col))?.message ?? "";
  }

  /** The fill and font a conditional format gives a cell, or null. */
  colourAt(sheet: string, row: number, col: number): ColourRule | null {
    const v = this.#get(sheet, row, col);
    for (const f of this.conditionalFormats) {
      const a = f.area;
      const inside =
        a.sheet === sheet &&
        row >= a.row &&
        row < a.row + a.rows &&
        col >= a.col &&
        col < a.col + a.cols;
      if (!inside) continue;
      const rule = f.rules.find((r) => r.equals === v);
      if (rule) return rule;
    }
    return null;
  }

  /** A sheet as dense values and formula texts, up to its last used cell. */
  dump(sheet: string): SheetDump {
    const cells = this.#sheets.get(sheet) ?? new Map<number, MemoryCell>();
    let rows = 0;
    let cols = 0;
    for (const k of cells.keys()) {
      rows = Math.max(rows, Math.floor(k / COLUMNS) + 1);
      cols = Math.max(cols, (k % COLUMNS) + 1);
    }
    const values: CellValue[][] = [];
    const formulas: (string | null)[][] = [];
    for (let r = 0; r < rows; r++) {
      values.push(Array.from({ length: cols }, (_, c) => this.#get(sheet, r, c)));
      formulas.push(Array.from({ length: cols }, (_, c) => this.formulaAt(sheet, r, c)));
    }
    return { name: sheet, values, formulas };
  }

  #recalculating: Promise<void> = Promise.resolve();

  /**
   * Recalculate every formula, in the order they were written (the pane writes inputs first).
   * One at a time: two interleaved passes (a language switch recalculates while the wizard
   * writes) would each find the other's spill in the way and show #SPILL!.
   */
  recalculate(): Promise<void> {
    const next = this.#recalculating.then(() => this.#recalculateAll());
    this.#recalculating = next.catch(() => undefined);
    return next;
  }

  async #recalculateAll(): Promise<void> {
    for (const [k, origin] of this.#spills) {
      const s = this.#sheet(origin.sheet);
      const cell = s.get(cellKey(origin.row, origin.col));
      if (!cell?.formula) {
        this.#spills.delete(k);
        continue;
      }
      this.#clearSpill(origin, k);
      const result = await this.#evaluate(cell.formula);
      this.#spill(origin, k, result);
    }
  }

  #table(name: string): MemoryTable {
    const t = this.#tables.get(name);
    if (!t) throw new Error(`No table ${name}`);
    return t;
  }

  #sheet(name: string): Map<number, MemoryCell> {
    let s = this.#sheets.get(name);
    if (!s) {
      s = new Map();
      this.#sheets.set(name, s);
      this.#order.push(name);
    }
    return s;
  }

  #get(sheet: string, row: number, col: number): CellValue {
    return this.#sheets.get(sheet)?.get(cellKey(row, col))?.value ?? "";
  }

  #put(sheet: string, row: number, col: number, values: readonly (readonly CellValue[])[]): void {
    const s = this.#sheet(sheet);
    values.forEach((line, r) => {
      line.forEach((v, c) => {
        const k = cellKey(row + r, col + c);
        // A value written over a formula ends that formula.
        if (s.get(k)?.formula) this.#spills.delete(spillKey(sheet, row + r, col + c));
        if (v === "" || v === null) s.delete(k);
        else s.set(k, { value: v });
      });
    });
  }

  #clear(sheet: string, row: number, col: number, rows: number, cols: number): void {
    const s = this.#sheet(sheet);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) s.delete(cellKey(row + r, col + c));
    }
  }

  #clearSpill(origin: SpillOrigin, originKey: string): void {
    const s = this.#sheet(origin.sheet);
    for (let r = 0; r < origin.rows; r++) {
      for (let c = 0; c < origin.cols; c++) {
        const k = cellKey(origin.row + r, origin.col + c);
        if (s.get(k)?.spilledFrom === originKey) s.delete(k);
      }
    }
  }

  #spill(origin: SpillOrigin, originKey: string, result: unknown): void {
    const s = this.#sheet(origin.sheet);
    const anchor = s.get(cellKey(origin.row, origin.col));
    if (!anchor) return;
    const grid: unknown[][] = Array.isArray(result)
      ? result.map((line) => (Array.isArray(line) ? line : [line]))
      : [[result]];
    const rows = grid.length;
    const cols = Math.max(1, ...grid.map((l) => l.length));
    // Excel refuses to spill over anything already there: the anchor shows #SPILL! instead.
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (r === 0 && c === 0) continue;
        if (s.has(cellKey(origin.row + r, origin.col + c))) {
          anchor.value = "#SPILL!";
          anchor.message = "The spill range isn't blank.";
          origin.rows = 1;
          origin.cols = 1;
          return;
        }
      }
    }
    origin.rows = rows;
    origin.cols = cols;
    grid.forEach((line, r) => {
      line.forEach((x, c) => {
        const err = errorOf(x);
        const value = err ? err.code : toCellValue(x);
        const cell: MemoryCell = { value };
        if (err) cell.message = err.message;
        if (r === 0 && c === 0) {
          anchor.value = cell.value;
          if (err) anchor.message = err.message;
          else delete anchor.message;
          return;
        }
        s.set(cellKey(origin.row + r, origin.col + c), {
          ...cell,
          spilledFrom: originKey,
        });
      });
    });
  }

  async #evaluate(formula: Formula): Promise<unknown> {
    try {
      const args = formula.args.map((a) => this.#argument(a));
      const builtin = BUILTINS[formula.fn];
      if (builtin) return builtin(...args);
      const fn = this.functions.get(formula.fn);
      if (!fn) return { code: "#NAME?", message: `Unknown function ${formula.fn}` };
      return await fn(...args);
    } catch (error) {
      return { code: "#VALUE!", message: error instanceof Error ? error.message : String(error) };
    }
  }

  #argument(arg: FormulaArg): unknown {
    if (typeof arg === "number" || typeof arg === "string") return arg;
    if ("spill" in arg) {
      const origin = this.#spills.get(spillKey(arg.sheet, arg.row, arg.col));
      if (!origin) throw new Error("#REF!");
      return this.#block(arg.sheet, arg.row, arg.col, origin.rows, origin.cols);
    }
    if ("sheet" in arg) return this.#block(arg.sheet, arg.row, arg.col, 1, 1);
    const t = this.#table(arg.table);
    const [from, to] = "columns" in arg ? arg.columns : [arg.column, arg.column];
    const c0 = t.headers.indexOf(from);
    const c1 = t.headers.indexOf(to);
    if (c0 < 0 || c1 < c0) throw new Error(`${arg.table} has no column ${c0 < 0 ? from : to}`);
    return this.#block(t.sheet, t.row + 1, t.col + c0, t.rowCount, c1 - c0 + 1);
  }

  #block(sheet: string, row: number, col: number, rows: number, cols: number): CellValue[][] {
    return Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => this.#get(sheet, row + r, col + c)),
    );
  }

  async #changed(): Promise<void> {
    await this.recalculate();
    for (const fn of [...this.#listeners]) fn();
  }
}

function flat(x: unknown): unknown[] {
  return Array.isArray(x) ? x.flat() : [x];
}

/** The Excel built-ins the pane's chart helpers use, as Excel computes them. */
const BUILTINS: Readonly<Record<string, SheetFunction>> = {
  SORT: (range) => {
    const values = flat(range).filter((v) => v !== "" && v !== null);
    const numbers = values.filter((v): v is number => typeof v === "number").sort((a, b) => a - b);
    const rest = values.filter((v) => typeof v !== "number");
    return [...numbers, ...rest].map((v) => [v]);
  },
  SORTBY: (array, by, order) => {
    const keys = flat(by);
    const sign = order === -1 ? -1 : 1;
    // Numbers in order, then everything else in its original order, as Excel sorts mixed keys.
    const rank = (k: unknown): number =>
      typeof k === "number" ? sign * k : Number.POSITIVE_INFINITY;
    return flat(array)
      .map((v, i) => ({ v, k: rank(keys[i]), i }))
      .sort((a, b) => a.k - b.k || a.i - b.i)
      .map((x) => [x.v]);
  },
  COUNTIF: (range, criterion) => flat(range).filter((v) => v === criterion).length,
};
