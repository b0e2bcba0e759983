/**
 * Every `CRM.*` function, one entry each: the table from which the registration
 * (main.ts), functions.json and its zh-CN twin (scripts/build-functions.ts) and
 * docs/functions.md (docs.ts) are all made. Each implementation is a thin wrapper: Excel's
 * 2-D arrays and `null` for omitted optionals in, one `core/` call, cells out.
 */
import { creditFunctions } from "./catalog/credit.ts";
import { gradingFunctions } from "./catalog/grading.ts";
import { predictiveFunctions } from "./catalog/predictive.ts";
import { teamFunctions } from "./catalog/team.ts";
import type { FunctionEntry } from "./entry.ts";

/** The catalog: one entry per `CRM.*` function of formulas.md, in its order, family by family. */
export const catalog: readonly FunctionEntry[] = [
  ...gradingFunctions,
  ...creditFunctions,
  ...predictiveFunctions,
  ...teamFunctions,
];
