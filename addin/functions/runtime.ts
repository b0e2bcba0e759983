/**
 * The port to Excel's custom functions runtime: the few parts of the `CustomFunctions`
 * global we use. Excel provides the real one; the vm tests provide a stand-in with the same
 * shape. (No @types package for it is installed, and we need only this much.)
 */

/** The error codes of `CustomFunctions.ErrorCode` we return, by their member names. */
export interface ErrorCodes {
  readonly invalidValue: string;
  readonly notAvailable: string;
  readonly divisionByZero: string;
  readonly invalidNumber: string;
}

/** The values of `CustomFunctions.ErrorCode` as office-runtime defines them (for stand-ins). */
export const officeErrorCodes = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

/** A streaming cell: set its value any number of times until Excel cancels it. */
export interface StreamingInvocation<T> {
  setResult(value: T): void;
  onCanceled?: (() => void) | undefined;
  readonly address?: string;
}

/** What a registered function may be called with and return. */
export type CustomFunction = (...args: never[]) => unknown;

/** The `CustomFunctions` global. */
export interface CustomFunctionsRuntime {
  associate(id: string, fn: CustomFunction): void;
  readonly Error: new (code: string, message?: string) => object;
  readonly ErrorCode: ErrorCodes;
}
