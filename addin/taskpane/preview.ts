/**
 * preview.js: the real pane over the in-memory workbook, with sample customers and sample
 * purchase histories (for the wizard's "Predicted value"), in any browser (no Office). The workbook is drawn as a grid beside the pane. Formulas are
 * calculated by the real custom functions: this page stands in for Excel's `CustomFunctions`
 * runtime, loads functions.js (which registers every CRM.* function) and calls them as Excel
 * does, with every declared argument (null when omitted) and a streaming invocation where
 * functions.json says so.
 */
import { recordsToTable, TEXT_HEADERS } from "../../core/sync.ts";
import { oidcSignIn, popupDialog } from "../auth/dialog.ts";
import { officeErrorCodes } from "../functions/runtime.ts";
import { session } from "../session.ts";
import { MemoryWorkbook, type SheetFunction } from "../workbook/memory.ts";
import { mountPane } from "./app.ts";
import { loadConfig, localSnapshotStore, PANE_VERSION } from "./config.ts";
import { CUSTOMERS } from "./customerSync.ts";
import { renderWorkbook } from "./previewGrid.ts";
import { SAMPLE_CUSTOMERS } from "./sampleCustomers.ts";
import { samplePurchaseHistoriesTable } from "./samplePurchaseHistories.ts";

type Fn = (...args: unknown[]) => unknown;

interface FunctionMeta {
  readonly id: string;
  readonly name: string;
  readonly parameters?: readonly unknown[];
  readonly options?: { readonly stream?: boolean };
}

const associated = new Map<string, Fn>();

class PreviewError {
  constructor(
    readonly code: string,
    readonly message = "",
  ) {}
}

/** The part of Excel's CustomFunctions runtime that functions.js uses. */
(globalThis as Record<string, unknown>).CustomFunctions = {
  associate: (id: string, fn: Fn) => associated.set(id.toUpperCase(), fn),
  Error: PreviewError,
  ErrorCode: officeErrorCodes,
};

function loadScript(src: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = () => resolve(true);
    s.onerror = () => resolve(false);
    document.head.appendChild(s);
  });
}

async function loadFunctions(): Promise<Map<string, SheetFunction>> {
  const registry = new Map<string, SheetFunction>();
  if (!(await loadScript("functions.js"))) return registry;
  const res = await fetch("functions.json").catch(() => null);
  const body: unknown = res?.ok ? await res.json() : null;
  const list =
    typeof body === "object" &&
    body !== null &&
    "functions" in body &&
    Array.isArray(body.functions)
      ? (body.functions as FunctionMeta[])
      : [];
  for (const meta of list) {
    const impl = associated.get(meta.id.toUpperCase());
    if (!impl) continue;
    const arity = meta.parameters?.length ?? 0;
    const call: SheetFunction = (...args) => {
      const padded = [...args, ...Array(Math.max(0, arity - args.length)).fill(null)];
      if (!meta.options?.stream) return impl(...padded);
      // Streaming: take the first value, then cancel, as a recalculation starts a new call.
      return new Promise((resolve) => {
        const invocation: { setResult: (v: unknown) => void; onCanceled?: () => void } = {
          setResult: (v) => {
            resolve(v);
            queueMicrotask(() => invocation.onCanceled?.());
          },
        };
        impl(...padded, invocation);
        setTimeout(() => resolve(new PreviewError("#N/A", "no result yet")), 5000);
      });
    };
    registry.set(`CRM.${meta.name.toUpperCase()}`, call);
  }
  return registry;
}

async function start(): Promise<void> {
  const pane = document.getElementById("pane");
  const grid = document.getElementById("workbook");
  if (!pane || !grid) return;
  const [functions, config] = await Promise.all([loadFunctions(), loadConfig()]);
  const workbook = new MemoryWorkbook(functions);
  await workbook.writeTable({
    sheet: CUSTOMERS,
    name: CUSTOMERS,
    table: recordsToTable(SAMPLE_CUSTOMERS.map((r) => ({ ...r, version: 0 }))),
    textHeaders: TEXT_HEADERS,
  });
  // Second, so the wizard offers the customers first; the customers' sheet stays in front.
  await workbook.writeTable(samplePurchaseHistoriesTable());
  workbook.activeSheet = CUSTOMERS;
  renderWorkbook(grid, workbook);
  // A policy or language change recalculates the credit cells, as Excel does for streamed ones.
  session.subscribe(() => {
    workbook.recalculate().then(() => renderWorkbook(grid, workbook));
  });
  // No Office here: sign-in goes through a popup instead of Office's dialog (same pages).
  const callbackUrl = new URL("auth-callback.html", location.href).href;
  const auth = config?.auth;
  const app = mountPane(pane, {
    workbook,
    session,
    config,
    ...(auth ? { signIn: oidcSignIn({ config: auth, dialog: popupDialog(), callbackUrl }) } : {}),
    storage: localSnapshotStore(),
    version: PANE_VERSION,
  });
  Object.assign(globalThis, {
    crmPreview: { workbook, session, app, functions: [...functions.keys()] },
  });
  document.body.dataset.ready = "true";
}

start().catch((error: unknown) => {
  document.body.dataset.ready = "failed";
  console.error(error);
});
