/**
 * taskpane.js: the pane inside Excel. Loaded after office.js and functions.js (shared
 * runtime), so the custom functions and the pane share one session. Outside Excel, or when
 * office.js is blocked, it says so instead of leaving a blank page (host.ts).
 */
import { officeDialog, oidcSignIn } from "../auth/dialog.ts";
import { session } from "../session.ts";
import { ExcelWorkbook } from "../workbook/excel.ts";
import { mountPane } from "./app.ts";
import { loadConfig, localSnapshotStore, PANE_VERSION } from "./config.ts";
import { hostProblem, hostProblemView, type OfficeHost } from "./host.ts";

async function start(root: HTMLElement): Promise<void> {
  // No Office global when office.js was blocked or did not load.
  const office: OfficeHost | undefined = typeof Office === "undefined" ? undefined : Office;
  const problem = await hostProblem(office);
  if (problem) {
    root.replaceChildren(hostProblemView(problem, session.language()));
    return;
  }
  const config = await loadConfig();
  const callbackUrl = new URL("auth-callback.html", location.href).href;
  const auth = config?.auth;
  root.replaceChildren();
  mountPane(root, {
    workbook: new ExcelWorkbook(),
    session,
    config,
    storage: localSnapshotStore(),
    ...(auth ? { signIn: oidcSignIn({ config: auth, dialog: officeDialog, callbackUrl }) } : {}),
    version: PANE_VERSION,
  });
}

const root = document.getElementById("pane");
if (root) void start(root);
