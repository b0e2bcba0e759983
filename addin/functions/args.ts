/**
 * The argument kinds of the `CRM.*` functions and the one `parseArgs` that reads them, as
 * HyperFormula's function plugins declare their `parameters`: a function lists the kind of
 * each argument, and gets back a typed tuple or the first cell error in argument order.
 * Each kind turns one of Excel's shapes (2-D arrays, `null` for an omitted optional) into
 * the type its `core/` call takes; nothing here knows a formula.
 */

import {
  bandsFromCells,
  type CellError,
  type Column,
  columnFromCells,
  columnFromRows,
  columnsFromBlock,
  errors,
  type GradeBand,
  isCellError,
} from "../../core/index.ts";
import type { FunctionContext } from "./entry.ts";
import {
  asRows,
  type ColumnArg,
  columnArg,
  isOmitted,
  optionalNumber,
  scalarArg,
} from "./shapes.ts";

/** One argument kind: reads Excel's value into `T`, or says why it cannot. */
export interface ArgKind<T> {
  readonly read: (arg: unknown, ctx: FunctionContext) => T | CellError;
}

/** A column of numbers, remembering how to spill a result of the same length. */
export interface NumberColumn {
  readonly column: Column;
  readonly orientation: ColumnArg["orientation"];
}

/** A column argument as a typed column, remembering how to spill the result. */
function numberColumn(arg: unknown): NumberColumn | CellError {
  // A long column (n × 1) is read in one pass; a row or a single cell is flattened first.
  if (Array.isArray(arg) && arg.length > 1) {
    const column = columnFromRows(arg);
    return isCellError(column) ? column : { column, orientation: "column" };
  }
  const flat = columnArg(arg);
  if (isCellError(flat)) return flat;
  return { column: columnFromCells(flat.cells), orientation: flat.orientation };
}

/** An omitted optional argument reads as `null`; anything else as `kind` reads it. */
function orNull<T>(read: ArgKind<T>["read"]): ArgKind<T | null> {
  return { read: (arg, ctx) => (isOmitted(arg) ? null : read(arg, ctx)) };
}

/** A column (or row, or single cell) of numbers. */
export const numbers: ArgKind<NumberColumn> = { read: numberColumn };

/** An optional column of numbers: omitted → null. */
export const optionalNumbers: ArgKind<NumberColumn | null> = orNull(numberColumn);

/** An optional column of numbers where only the values matter (weights, bucket days). */
export const optionalColumn: ArgKind<Column | null> = orNull((arg) => {
  const c = numberColumn(arg);
  return isCellError(c) ? c : c.column;
});

/** A column of cells of any type (scores or grade labels, value grades). */
export const cells: ArgKind<ColumnArg> = { read: columnArg };

/** An n × k block of numbers, one core column per block column (5C factors, SCORE). */
export const block: ArgKind<Column[]> = { read: (arg) => columnsFromBlock(asRows(arg)) };

/**
 * An optional scalar number: omitted or "" → null; text or a boolean → `notANumber`
 * (`#VALUE!` by default; an option whose contract reads "else `#NUM!`" passes its own).
 */
export function optionalNumberIn(
  notANumber: CellError = errors.notANumber,
): ArgKind<number | null> {
  return { read: (arg) => optionalNumber(arg, notANumber) };
}

/** An optional scalar number, `#VALUE!` on text. */
export const number: ArgKind<number | null> = optionalNumberIn();

/** A numeric option checked by the core: omitted → null, text → NaN (the core's `#NUM!`). */
export const numberOrNaN: ArgKind<number | null> = {
  read: (arg) => {
    const value = optionalNumber(arg);
    return isCellError(value) ? Number.NaN : value;
  },
};

/** The optional `bands` override of the credit functions: omitted → null (the policy's). */
export const bands: ArgKind<GradeBand[] | null> = orNull((arg) => bandsFromCells(asRows(arg)));

/** An optional 2-D table read by `parse` (RISKMATRIX's actions): omitted → null. */
export function optionalTable<T>(
  parse: (rows: readonly (readonly unknown[])[]) => T | CellError,
): ArgKind<T | null> {
  return orNull((arg) => parse(asRows(arg)));
}

/** An optional 1 × k parameter row (from CRM.BGNBD or CRM.GAMMAGAMMA): omitted → null (fit). */
export function parameterRow<P>(
  parse: (cells: readonly unknown[]) => P | CellError,
): ArgKind<P | null> {
  return orNull((arg) => parse(asRows(arg).flat()));
}

/** The segment-name language: the argument, or the add-in's display language when omitted. */
export const language: ArgKind<unknown> = {
  read: (arg, ctx) => {
    const value = scalarArg(arg);
    if (isOmitted(value) || value === "") return ctx.language === "zh-CN" ? "zh" : "en";
    return value;
  },
};

/** A text cell, trimmed (ids typed as numbers, e.g. 1001, read as "1001"); omitted → "". */
export const text = {
  read: (arg: unknown): string => {
    const value = scalarArg(arg);
    return isOmitted(value) ? "" : String(value).trim();
  },
} satisfies ArgKind<string>;

type Parsed<K extends readonly ArgKind<unknown>[]> = {
  -readonly [I in keyof K]: K[I] extends ArgKind<infer T> ? T : never;
};

/** Every argument read by its kind, or the first cell error in argument order. */
export function parseArgs<const K extends readonly ArgKind<unknown>[]>(
  kinds: K,
  args: readonly unknown[],
  ctx: FunctionContext,
): Parsed<K> | CellError {
  const parsed = new Array<unknown>(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const value = (kinds[i] as ArgKind<unknown>).read(args[i], ctx);
    if (isCellError(value)) return value;
    parsed[i] = value;
  }
  return parsed as Parsed<K>;
}
