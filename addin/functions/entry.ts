/**
 * The shape of one `CRM.*` function in the catalog: what Excel and the docs need to know
 * (name, arguments, descriptions in both languages, example, errors) and the thin
 * implementation that turns Excel's arguments into a `core/` call.
 */
import type { Cell, CellError } from "../../core/cells.ts";
import type { CellErrorKey } from "../../core/errors.ts";
import type { Language } from "../../core/messages/index.ts";
import type { CreditPolicy } from "../../core/policy.ts";
import type { ColumnSpill } from "./shapes.ts";
import type { TeamPort } from "./teamPort.ts";

/** Text in both of the add-in's languages. */
export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

/**
 * One argument kind (as HyperFormula's plugins declare an `argumentType`): how Excel passes
 * it, how it reads into the type its `core/` call takes, and what it can go wrong with.
 * The kinds are in args.ts; the one `parseArgs` there reads a function's arguments by them.
 */
export interface ArgKind<T> {
  /** "range": Excel passes a 2-D array; "scalar": one value. */
  readonly shape: "range" | "scalar";
  /** One value per customer: two or more such columns must be the same length. */
  readonly perCustomer?: true;
  /** The errors an argument of this kind can cause, for the docs. */
  readonly errors: readonly CellErrorKey[];
  /** Excel's value as `T`, or the cell error that ends the call, or `blankCall`. */
  readonly read: (arg: unknown, ctx: FunctionContext) => T | CellError | BlankCall;
}

/** What a kind reads when its argument makes the whole call blank (a blank customer id). */
export interface BlankCall {
  readonly blankCall: true;
}

export interface ParamSpec<T = unknown> extends Bilingual {
  /** Lower snake case, as formulas.md writes it (`a_share`). */
  readonly name: string;
  readonly kind: ArgKind<T>;
  readonly optional?: true;
}

/** The arguments a function's `run` gets: each param's value as its kind reads it. */
export type ArgValues<P extends Params> = {
  -readonly [I in keyof P]: P[I] extends ParamSpec<infer T> ? T : never;
};

/**
 * What an implementation returns: a scalar cell, a 2-D block of cells (or a column spilled
 * down, which knows its error rows), or a whole-call error. Errors inside are `CellError`s;
 * the adapter turns them into Excel error values.
 */
export type Output = Cell<unknown> | Cell<unknown>[][] | ColumnSpill;

/** What an implementation may read besides its arguments; passed in, never global. */
export interface FunctionContext {
  readonly language: Language;
  readonly policy: CreditPolicy;
  /** Today as an Excel serial date (local time). */
  readonly today: () => number;
  readonly team: TeamPort;
}

interface EntryBase<P extends Params> {
  /** Upper case; Excel shows `CRM.<id>` (the namespace is set in the manifest). */
  readonly id: string;
  /** The name shown in Excel in Chinese (zh-CN metadata); the id stays the same. */
  readonly zhName: string;
  readonly description: Bilingual;
  readonly params: P;
  readonly result: "range" | "scalar";
  readonly example: { readonly formula: string } & Bilingual;
  /**
   * The errors this function's `core/` call returns, for the docs; its arguments' errors
   * come from their kinds, and the team functions' from the team's data (docs.ts).
   */
  readonly errors: readonly CellErrorKey[];
}

type Params = readonly ParamSpec[];

// Each entry's `run` takes its own argument tuple; as a method it is checked bivariantly,
// so an entry declared with `define` is a `FunctionEntry`.

/** An entry that computes its cells once per call (`R`: its output, or a promise of it). */
interface Computed<K extends string, R, P extends Params> extends EntryBase<P> {
  readonly kind: K;
  run(args: ArgValues<P>, ctx: FunctionContext): R;
}

/** Synchronous and deterministic: the pure grading functions. */
export type SyncEntry<P extends Params = Params> = Computed<"sync", Output, P>;

/** Reads the team's data once per calculation. */
export type AsyncEntry<P extends Params = Params> = Computed<"async", Promise<Output>, P>;

/** Pure given the credit policy; streamed so a policy change recalculates the cell. */
export type PolicyEntry<P extends Params = Params> = Computed<"policy", Output, P>;

/** Streams values until Excel cancels the cell; returns the function that stops it. */
export interface LiveEntry<P extends Params = Params> extends EntryBase<P> {
  readonly kind: "live";
  watch(args: ArgValues<P>, ctx: FunctionContext, emit: (value: Output) => void): () => void;
}

export type FunctionEntry<P extends Params = Params> =
  | SyncEntry<P>
  | AsyncEntry<P>
  | PolicyEntry<P>
  | LiveEntry<P>;

/**
 * One catalog entry, its implementation typed by its params' kinds, e.g.
 * `define({ id: "PARETO", params: [{ name: "values", kind: numbers, … }], run([v]) {…}, … })`.
 */
export function define<const P extends readonly ParamSpec[]>(
  entry: FunctionEntry<P>,
): FunctionEntry {
  return entry;
}

export type { CellError };
