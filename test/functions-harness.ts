/**
 * Loads `dist/functions.js` in a Node `vm` context exactly as Excel would: a fresh global
 * with a stand-in `CustomFunctions` runtime (associate, Error, ErrorCode as office-runtime
 * defines them) and the few browser globals the runtime offers (fetch, timers, console).
 * Then calls the registered functions with Excel-shaped arguments. Run `npm run build` first.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { officeErrorCodes } from "../addin/functions/runtime.ts";
import type { Session } from "../addin/session.ts";

export const bundlePath = fileURLToPath(new URL("../dist/functions.js", import.meta.url));

/** As `CustomFunctions.ErrorCode` in office-runtime. */
export const ErrorCode = officeErrorCodes;

/** The codes Excel shows a custom message with (`CustomFunctions.ErrorCode` reference). */
const CODES_WITH_MESSAGE: ReadonlySet<string> = new Set([
  ErrorCode.invalidValue,
  ErrorCode.notAvailable,
]);

/**
 * As `CustomFunctions.Error`: a code and an optional message. Stricter than Excel, which
 * drops a message on `#DIV/0!` or `#NUM!` silently: here it throws, so the adapter cannot
 * depend on a message the user would never see.
 */
export class CustomFunctionsError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {
    if (message !== undefined && !CODES_WITH_MESSAGE.has(code)) {
      throw new Error(`Excel shows no custom message with ${code}: "${message}"`);
    }
  }
}

/** A streaming cell as Excel keeps it: every value set, and its cancel handler. */
export class StreamCell {
  readonly values: unknown[] = [];
  onCanceled: (() => void) | undefined;
  #waiters: (() => void)[] = [];

  setResult(value: unknown): void {
    this.values.push(plain(value));
    for (const w of this.#waiters.splice(0)) w();
  }

  get last(): unknown {
    return this.values.at(-1);
  }

  /** Resolves once the cell holds at least `count` values (or rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 15_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.values.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream has ${this.values.length} values, wanted ${count}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.values[count - 1];
  }

  cancel(): void {
    this.onCanceled?.();
  }
}

/** Values from the vm realm as plain arrays of this realm (errors stay `CustomFunctionsError`). */
export function plain(value: unknown): unknown {
  return Array.isArray(value) ? value.map(plain) : value;
}

export interface TeamControl {
  setPollInterval(ms: number): void;
  stats(): {
    cachedRecords: number;
    watchedCells: number;
    policyCells: number;
    polling: boolean;
    cursor: string | null;
  };
  pollNow(): Promise<void>;
}

export interface LoadedFunctions {
  /** Every id passed to `CustomFunctions.associate`, in order. */
  readonly ids: string[];
  /** Calls a synchronous or asynchronous function (awaiting a Promise result). */
  call(id: string, ...args: unknown[]): Promise<unknown>;
  /** Calls a function synchronously, returning exactly what Excel would receive. */
  callSync(id: string, ...args: unknown[]): unknown;
  /** The registered function itself, exactly as Excel holds it (for benchmarks). */
  raw(id: string): (...args: unknown[]) => unknown;
  /** Starts a streaming function in a new cell. */
  stream(id: string, ...args: unknown[]): StreamCell;
  /** Runs the bundle once more in the same window (as a second bundle would); its session. */
  loadAgain(): Session;
  /** The session object inside the vm (what the task pane would sign in with). */
  readonly session: Session;
  readonly team: TeamControl;
}

/** A fresh runtime with functions.js loaded; `fetch` is the real one unless given. */
export function loadFunctions(
  opts: { fetch?: typeof fetch; language?: "en" | "zh-CN"; Excel?: unknown } = {},
): LoadedFunctions {
  const associated = new Map<string, (...args: unknown[]) => unknown>();
  const ids: string[] = [];
  const context = vm.createContext({
    CustomFunctions: {
      associate(id: string, fn: (...args: unknown[]) => unknown) {
        ids.push(id);
        associated.set(id, fn);
      },
      Error: CustomFunctionsError,
      ErrorCode,
    },
    fetch: opts.fetch ?? fetch,
    ...(opts.Excel === undefined ? {} : { Excel: opts.Excel }),
    setTimeout,
    clearTimeout,
    console,
  });
  vm.runInContext(readFileSync(bundlePath, "utf8"), context, { filename: "functions.js" });
  // Symbol-keyed globals are read from inside the context (the contextified object hides them).
  const session = vm.runInContext('globalThis[Symbol.for("crm.session")]', context) as Session;
  const { team } = vm.runInContext('globalThis[Symbol.for("crm.functions")]', context) as {
    team: TeamControl;
  };
  session.setLanguage(opts.language ?? "en");
  const fn = (id: string) => {
    const f = associated.get(id);
    if (!f) throw new Error(`CRM.${id} was not associated`);
    return f;
  };
  return {
    ids,
    session,
    team,
    raw: fn,
    loadAgain() {
      vm.runInContext(readFileSync(bundlePath, "utf8"), context, { filename: "functions.js" });
      return vm.runInContext('globalThis[Symbol.for("crm.session")]', context) as Session;
    },
    callSync: (id, ...args) => plain(fn(id)(...args)),
    call: async (id, ...args) => plain(await fn(id)(...args)),
    stream(id, ...args) {
      const cell = new StreamCell();
      fn(id)(...args, cell);
      return cell;
    },
  };
}

/** Excel's shape of a column of values: n rows of one cell. */
export const col = (...values: unknown[]): unknown[][] => values.map((v) => [v]);
/** Excel's shape of a row of values: one row of n cells. */
export const row = (...values: unknown[]): unknown[][] => [values];

/** An error value as the stand-in runtime makes it. */
export const err = (code: string, message?: string) => new CustomFunctionsError(code, message);
