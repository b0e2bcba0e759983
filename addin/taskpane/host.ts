/**
 * Whether the pane can run here, asked before anything else: office.js may be blocked (no
 * `Office` global), loaded outside Office (`onReady` says host null), or in an Excel too old
 * for the workbook adapter. The pane shows a message for each instead of a blank page.
 */
import type { Language } from "../../core/messages/index.ts";
import { h } from "./dom.ts";
import { paneText } from "./i18n/index.ts";

/** The Excel JavaScript API the workbook adapter needs (getRangeByIndexes is 1.7). */
export const EXCEL_API = "1.7";

/**
 * The part of office.js's `Office` global asked here. Hosts are compared, never read:
 * office.js types them as an enum while at run time they are strings ("Excel").
 */
export interface OfficeHost {
  onReady(): Promise<{ readonly host: unknown }>;
  readonly HostType: { readonly Excel: unknown };
  readonly context?: {
    readonly requirements?: { isSetSupported(name: string, minVersion?: string): boolean };
  };
}

export type HostProblem = "officeJsMissing" | "notInExcel" | "excelTooOld";

/** Null when the pane runs in an Excel it can work with; else what is wrong. */
export async function hostProblem(office: OfficeHost | undefined): Promise<HostProblem | null> {
  if (office === undefined) return "officeJsMissing";
  const { host } = await office.onReady();
  if (host !== office.HostType.Excel) return "notInExcel";
  const supported = office.context?.requirements?.isSetSupported("ExcelApi", EXCEL_API);
  return supported ? null : "excelTooOld";
}

const KEYS = {
  officeJsMissing: "hostOfficeJsMissing",
  notInExcel: "hostNotInExcel",
  excelTooOld: "hostExcelTooOld",
} as const;

/** The message that replaces the pane, in the user's language. */
export function hostProblemView(problem: HostProblem, language: Language): HTMLElement {
  return h(
    "div",
    { class: "status error host-problem", role: "alert", "data-problem": problem },
    h("p", { class: "status-text" }, paneText(language, KEYS[problem], { version: EXCEL_API })),
    problem === "notInExcel" &&
      h("p", null, h("a", { href: "preview.html" }, paneText(language, "hostPreviewLink"))),
  );
}
