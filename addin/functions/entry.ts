/**
 * The shape of one `CRM.*` function in the catalog: what Excel and the docs need to know
 * (name, arguments, descriptions in both languages, example, errors) and the thin
 * implementation that turns Excel's arguments into a `core/` call.
 */
import type { Cell, CellError, ErrorCode } from "../../core/cells.ts";
import type { Language, MessageKey } from "../../core/messages/index.ts";
import type { CreditPolicy } from "../../core/policy.ts";
import type { ColumnSpill } from "./shapes.ts";
import type { TeamPort } from "./teamPort.ts";

/** Text in both of the add-in's languages. */
export interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

export interface ParamSpec extends Bilingual {
  /** Lower snake case, as formulas.md writes it (`a_share`). */
  readonly name: string;
  /** "range": Excel passes a 2-D array; "scalar": one value. */
  readonly shape: "range" | "scalar";
  readonly optional?: true;
}

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

interface EntryBase {
  /** Upper case; Excel shows `CRM.<id>` (the namespace is set in the manifest). */
  readonly id: string;
  /** The name shown in Excel in Chinese (zh-CN metadata); the id stays the same. */
  readonly zhName: string;
  readonly description: Bilingual;
  readonly params: readonly ParamSpec[];
  readonly result: "range" | "scalar";
  readonly example: { readonly formula: string } & Bilingual;
  /** The errors this function returns, for the docs (messages come from core/messages). */
  readonly errors: readonly { readonly code: ErrorCode; readonly key: MessageKey }[];
}

/** Synchronous and deterministic: the pure grading functions. */
export interface SyncEntry extends EntryBase {
  readonly kind: "sync";
  readonly run: (args: readonly unknown[], ctx: FunctionContext) => Output;
}

/** Reads the team's data once per calculation. */
export interface AsyncEntry extends EntryBase {
  readonly kind: "async";
  readonly run: (args: readonly unknown[], ctx: FunctionContext) => Promise<Output>;
}

/** Pure given the credit policy; streamed so a policy change recalculates the cell. */
export interface PolicyEntry extends EntryBase {
  readonly kind: "policy";
  readonly run: (args: readonly unknown[], ctx: FunctionContext) => Output;
}

/** Streams values until Excel cancels the cell; returns the function that stops it. */
export interface LiveEntry extends EntryBase {
  readonly kind: "live";
  readonly watch: (
    args: readonly unknown[],
    ctx: FunctionContext,
    emit: (value: Output) => void,
  ) => () => void;
}

export type FunctionEntry = SyncEntry | AsyncEntry | PolicyEntry | LiveEntry;

export type { CellError };
