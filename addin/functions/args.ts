/**
 * The argument kinds of the `CRM.*` functions and the one `parseArgs` that reads them, as
 * HyperFormula's function plugins declare their `parameters`: a function lists the kind of
 * each argument, and gets back a typed tuple or the first cell error in argument order (or
 * a blank cell, where a blank customer id makes the whole call blank).
 * Each kind turns one of Excel's shapes (2-D arrays, `null` for an omitted optional) into
 * the type its `core/` call takes, and names the errors it can cause for the docs; nothing
 * here knows a formula.
 */

import {
  BLANK,
  type Blank,
  bandsFromCells,
  type CellError,
  type CellErrorKey,
  type Column,
  columnFromCells,
  columnFromRows,
  columnsFromBlock,
  errors,
  type GradeBand,
  isCellError,
} from "../../core/index.ts";
import type { ArgKind, BlankCall, FunctionContext } from "./entry.ts";
import {
  asRows,
  type ColumnArg,
  columnArg,
  isOmitted,
  optionalNumber,
  scalarArg,
} from "./shapes.ts";

/** What a kind reads when its argument makes the whole call blank (a blank customer id). */
export const blankCall: BlankCall = Object.freeze({ blankCall: true });

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
function orNull<T>(kind: ArgKind<T>): ArgKind<T | null> {
  return { ...kind, read: (arg, ctx) => (isOmitted(arg) ? null : kind.read(arg, ctx)) };
}

/** `kind`, documented as causing `keys` too (checked by the core, e.g. `bucket_days`). */
export function withErrors<T>(kind: ArgKind<T>, ...keys: CellErrorKey[]): ArgKind<T> {
  return { ...kind, errors: [...keys, ...kind.errors] };
}

/** A column (or row, or single cell) of numbers, one per customer. */
export const numbers: ArgKind<NumberColumn> = {
  shape: "range",
  perCustomer: true,
  errors: ["notSingleColumn", "notANumber"],
  read: numberColumn,
};

/** An optional column of numbers, one per customer: omitted → null. */
export const optionalNumbers: ArgKind<NumberColumn | null> = orNull(numbers);

/** An optional column of numbers where only the values matter (weights, bucket days). */
export const optionalColumn: ArgKind<Column | null> = orNull({
  shape: "range",
  errors: ["notSingleColumn", "notANumber"],
  read: (arg) => {
    const c = numberColumn(arg);
    return isCellError(c) ? c : c.column;
  },
});

/** A column of cells of any type, one per customer (scores or grade labels, value grades). */
export const cells: ArgKind<ColumnArg> = {
  shape: "range",
  perCustomer: true,
  errors: ["notSingleColumn"],
  read: columnArg,
};

/** An n × k block of numbers, one core column per block column (5C factors, SCORE). */
export const block: ArgKind<Column[]> = {
  shape: "range",
  errors: ["notANumber"],
  read: (arg) => columnsFromBlock(asRows(arg)),
};

/**
 * An optional scalar number: omitted or "" → null; text or a boolean → the error `key`
 * (`#VALUE!` "not a number" by default; an option whose contract reads "else `#NUM!`"
 * passes its own).
 */
export function optionalNumberIn(key: keyof typeof errors = "notANumber"): ArgKind<number | null> {
  const notANumber = errors[key];
  return { shape: "scalar", errors: [key], read: (arg) => optionalNumber(arg, notANumber) };
}

/** An optional scalar number, `#VALUE!` on text. */
export const number: ArgKind<number | null> = optionalNumberIn();

/** A numeric option checked by the core: omitted → null, text → NaN (the core's `#NUM!`). */
export const numberOrNaN: ArgKind<number | null> = {
  shape: "scalar",
  errors: [],
  read: (arg) => {
    const value = optionalNumber(arg);
    return isCellError(value) ? Number.NaN : value;
  },
};

/** The optional `bands` override of the credit functions: omitted → null (the policy's). */
export const bands: ArgKind<GradeBand[] | null> = orNull({
  shape: "range",
  errors: ["badBands"],
  read: (arg) => bandsFromCells(asRows(arg)),
});

/** An optional 2-D table read by `parse` (RISKMATRIX's actions): omitted → null. */
export function optionalTable<T>(
  parse: (rows: readonly (readonly unknown[])[]) => T | CellError,
): ArgKind<T | null> {
  return orNull({ shape: "range", errors: [], read: (arg) => parse(asRows(arg)) });
}

/** An optional 1 × k parameter row (from CRM.BGNBD or CRM.GAMMAGAMMA): omitted → null (fit). */
export function parameterRow<P>(
  parse: (cells: readonly unknown[]) => P | CellError,
): ArgKind<P | null> {
  return orNull({ shape: "range", errors: [], read: (arg) => parse(asRows(arg).flat()) });
}

/** The segment-name language: the argument, or the add-in's display language when omitted. */
export const language: ArgKind<unknown> = {
  shape: "scalar",
  errors: ["badLanguage"],
  read: (arg, ctx) => {
    const value = scalarArg(arg);
    if (isOmitted(value) || value === "") return ctx.language === "zh-CN" ? "zh" : "en";
    return value;
  },
};

/** A text cell, trimmed (ids typed as numbers, e.g. 1001, read as "1001"); omitted → "". */
function textOf(arg: unknown): string {
  const value = scalarArg(arg);
  return isOmitted(value) ? "" : String(value).trim();
}

/** A text cell (a field name): omitted → "". */
export const text: ArgKind<string> = { shape: "scalar", errors: [], read: textOf };

/** A customer id: a blank one makes the whole call blank, whatever the other arguments. */
export const customerId: ArgKind<string> = {
  shape: "scalar",
  errors: [],
  read: (arg) => {
    const id = textOf(arg);
    return id === "" ? blankCall : id;
  },
};

/** An optional row or column of names (blank cells skipped): omitted or none → null. */
export const optionalNames: ArgKind<string[] | null> = orNull({
  shape: "range",
  errors: ["notSingleColumn"],
  read: (arg) => {
    const flat = columnArg(arg);
    if (isCellError(flat)) return flat;
    const names = flat.cells.filter((c) => !isOmitted(c) && c !== "").map((c) => String(c).trim());
    return names.length === 0 ? null : names;
  },
});

type Parsed<K extends readonly ArgKind<unknown>[]> = {
  -readonly [I in keyof K]: K[I] extends ArgKind<infer T> ? T : never;
};

/**
 * Every argument read by its kind, or what ends the call first in argument order: a cell
 * error, or `blankCall`.
 */
export function parseArgs<const K extends readonly ArgKind<unknown>[]>(
  kinds: K,
  args: readonly unknown[],
  ctx: FunctionContext,
): Parsed<K> | CellError | BlankCall {
  const parsed = new Array<unknown>(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const value = (kinds[i] as ArgKind<unknown>).read(args[i], ctx);
    if (value === blankCall || isCellError(value)) return value as CellError | BlankCall;
    parsed[i] = value;
  }
  return parsed as Parsed<K>;
}

/** A function's arguments read by its params' kinds, or the cell the call ends with first. */
export function readArgs(
  kinds: readonly ArgKind<unknown>[],
  args: readonly unknown[],
  ctx: FunctionContext,
): unknown[] | CellError | Blank {
  const parsed = parseArgs(kinds, args, ctx);
  return parsed === blankCall ? BLANK : (parsed as unknown[] | CellError);
}
