/**
 * The adapter between the catalog and Excel's runtime: builds the function Excel calls for
 * each entry, converts core cells and `CellError`s into Excel values and
 * `CustomFunctions.Error`s in the add-in's language, and makes sure nothing throws.
 */
import { type CellError, type ErrorCode, isCellError } from "../../core/cells.ts";
import { errorMessage, formatMessage, type Language } from "../../core/messages/index.ts";
import { messageOf } from "../api.ts";
import type { Session } from "../session.ts";
import { readArgs } from "./args.ts";
import type { FunctionContext, FunctionEntry, Output } from "./entry.ts";
import type {
  CustomFunction,
  CustomFunctionsRuntime,
  ErrorCodes,
  StreamingInvocation,
} from "./runtime.ts";
import { ColumnSpill } from "./shapes.ts";
import type { TeamData } from "./team.ts";

/** Which `CustomFunctions.ErrorCode` member each core error code is. */
const ERROR_CODES: Readonly<Record<ErrorCode, keyof ErrorCodes>> = {
  "#VALUE!": "invalidValue",
  "#N/A": "notAvailable",
  "#DIV/0!": "divisionByZero",
  "#NUM!": "invalidNumber",
};

/**
 * The codes Excel shows a custom message with (`CustomFunctions.ErrorCode`: "A custom error
 * message can't be used" with `#DIV/0!` or `#NUM!`). The others go to the cell plain; their
 * reasons are listed per function in docs/functions.md (see docs/formulas.md).
 */
const CODES_WITH_MESSAGE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["#VALUE!", "#N/A"]);

/** Today as an Excel serial date in local time (1900 date system: 1970-01-01 is 25569). */
export function excelToday(now: number = Date.now()): number {
  const offsetMs = new Date(now).getTimezoneOffset() * 60_000;
  return Math.floor((now - offsetMs) / 86_400_000) + 25_569;
}

export interface AdapterDeps {
  readonly runtime: CustomFunctionsRuntime;
  readonly session: Session;
  readonly team: TeamData;
  readonly today?: () => number;
}

/** Converts outputs to Excel values; error objects are made once per core error and language. */
class ExcelValues {
  readonly #runtime: CustomFunctionsRuntime;
  readonly #made = new Map<Language, WeakMap<CellError, object>>();

  constructor(runtime: CustomFunctionsRuntime) {
    this.#runtime = runtime;
  }

  error(error: CellError, language: Language): object {
    let byError = this.#made.get(language);
    if (!byError) {
      byError = new WeakMap();
      this.#made.set(language, byError);
    }
    let made = byError.get(error);
    if (!made) {
      const code = this.#runtime.ErrorCode[ERROR_CODES[error.code]];
      made = CODES_WITH_MESSAGE.has(error.code)
        ? new this.#runtime.Error(code, errorMessage(language, error))
        : new this.#runtime.Error(code);
      byError.set(error, made);
    }
    return made;
  }

  /** The value Excel receives for an output of a "range" or "scalar" function. */
  output(out: Output, shape: FunctionEntry["result"], language: Language): unknown {
    if (out instanceof ColumnSpill) {
      // Only the shared rows holding an error need Excel's error: the rest stay as they are.
      for (const row of out.errorRows) row[0] = this.error(row[0] as CellError, language);
      return this.#block(out.rows, shape);
    }
    if (!Array.isArray(out)) {
      const cell = isCellError(out) ? this.error(out, language) : out;
      return shape === "range" ? [[cell]] : cell;
    }
    // Rows are fresh arrays made by the implementation: replace error objects in place,
    // so a 100,000-row result is not copied.
    for (const row of out) {
      for (let j = 0; j < row.length; j++) {
        const cell = row[j];
        if (typeof cell === "object" && cell !== null && isCellError(cell)) {
          row[j] = this.error(cell, language) as never;
        }
      }
    }
    return this.#block(out, shape);
  }

  /** A block as a "range" function returns it (never empty), or its first cell. */
  #block(rows: readonly unknown[][], shape: FunctionEntry["result"]): unknown {
    if (rows.length === 0) return shape === "range" ? [[""]] : "";
    return shape === "range" ? rows : rows[0]?.[0];
  }

  /** `#VALUE!` "Unexpected error in CRM.X: …" for an exception nothing else caught. */
  unexpected(
    id: string,
    error: unknown,
    shape: FunctionEntry["result"],
    language: Language,
  ): unknown {
    const reason = messageOf(error);
    const made = new this.#runtime.Error(
      this.#runtime.ErrorCode.invalidValue,
      formatMessage(language, "unexpected", { name: `CRM.${id}`, reason }),
    );
    return shape === "range" ? [[made]] : made;
  }
}

/** The function Excel calls for each catalog entry, keyed by id. */
export function excelFunctions(
  catalog: readonly FunctionEntry[],
  deps: AdapterDeps,
): Map<string, CustomFunction> {
  const values = new ExcelValues(deps.runtime);
  const today = deps.today ?? (() => excelToday());
  const context = (): FunctionContext => ({
    language: deps.session.language(),
    policy: deps.session.policy().policy,
    today,
    team: deps.team,
  });
  const functions = new Map<string, CustomFunction>();
  for (const entry of catalog) {
    functions.set(entry.id, adapt(entry, values, context, deps));
  }
  return functions;
}

function adapt(
  entry: FunctionEntry,
  values: ExcelValues,
  context: () => FunctionContext,
  deps: AdapterDeps,
): CustomFunction {
  const { id, result } = entry;
  const kinds = entry.params.map((p) => p.kind);
  switch (entry.kind) {
    case "sync":
      return (...args: unknown[]) => {
        const ctx = context();
        try {
          const a = readArgs(kinds, args, ctx);
          return values.output(Array.isArray(a) ? entry.run(a, ctx) : a, result, ctx.language);
        } catch (error) {
          return values.unexpected(id, error, result, ctx.language);
        }
      };
    case "async":
      return (...args: unknown[]) => {
        const ctx = context();
        const fail = (error: unknown) => values.unexpected(id, error, result, ctx.language);
        try {
          const a = readArgs(kinds, args, ctx);
          return (Array.isArray(a) ? entry.run(a, ctx) : Promise.resolve(a))
            .then((out) => values.output(out, result, ctx.language))
            .catch(fail);
        } catch (error) {
          return Promise.resolve(fail(error));
        }
      };
    case "policy":
      return (...all: unknown[]) => {
        const invocation = all.at(-1) as StreamingInvocation<unknown>;
        const args = all.slice(0, -1);
        let seen: unknown = null;
        const compute = () => {
          const ctx = context();
          // Recalculate only when what the result depends on changed: the policy or language.
          const key = [deps.session.policy(), ctx.language];
          if (
            seen !== null &&
            (seen as unknown[])[0] === key[0] &&
            (seen as unknown[])[1] === key[1]
          )
            return;
          seen = key;
          let value: unknown;
          try {
            const a = readArgs(kinds, args, ctx);
            value = values.output(Array.isArray(a) ? entry.run(a, ctx) : a, result, ctx.language);
          } catch (error) {
            value = values.unexpected(id, error, result, ctx.language);
          }
          invocation.setResult(value);
        };
        compute();
        const unsubscribe = deps.session.subscribe(compute);
        const untrack = deps.team.trackPolicy();
        invocation.onCanceled = () => {
          unsubscribe();
          untrack();
        };
      };
    case "live":
      return (...all: unknown[]) => {
        const invocation = all.at(-1) as StreamingInvocation<unknown>;
        const args = all.slice(0, -1);
        const ctx = context();
        try {
          const a = readArgs(kinds, args, ctx);
          if (!Array.isArray(a)) {
            invocation.setResult(values.output(a, result, ctx.language));
            return;
          }
          const stop = entry.watch(a, ctx, (out) => {
            const language = deps.session.language();
            let value: unknown;
            try {
              value = values.output(out, result, language);
            } catch (error) {
              value = values.unexpected(id, error, result, language);
            }
            invocation.setResult(value);
          });
          invocation.onCanceled = stop;
        } catch (error) {
          invocation.setResult(values.unexpected(id, error, result, ctx.language));
        }
      };
  }
}
