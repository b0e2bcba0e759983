/**
 * The entry of `dist/functions.js`: registers every `CRM.*` function with Excel's
 * `CustomFunctions.associate` when loaded (in the shared runtime page, or in any plain
 * JavaScript runtime that provides the `CustomFunctions` global).
 */
import { session } from "../session.ts";
import { catalog } from "./catalog.ts";
import { excelFunctions } from "./excel.ts";
import { type ExcelPort, recalculateOnSignIn } from "./recalc.ts";
import type { CustomFunctionsRuntime } from "./runtime.ts";
import { TeamData } from "./team.ts";

const runtime = (globalThis as { CustomFunctions?: CustomFunctionsRuntime }).CustomFunctions;
const team = new TeamData({ session });

if (runtime) {
  for (const [id, fn] of excelFunctions(catalog, { runtime, session, team })) {
    runtime.associate(id, fn);
  }
  recalculateOnSignIn(session, () => (globalThis as { Excel?: ExcelPort }).Excel);
} else {
  // Loaded outside Excel (e.g. the preview page): nothing to register, the pane still works.
  console.info("CRM functions: no CustomFunctions runtime, functions not registered");
}

// The task pane (and the tests) reach the team data through this: poll interval, stats.
(globalThis as { [key: symbol]: unknown })[Symbol.for("crm.functions")] = {
  ids: catalog.map((entry) => entry.id),
  team,
};
