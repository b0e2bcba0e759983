/**
 * taskpane.js: the pane inside Excel. Loaded after office.js and functions.js (shared
 * runtime), so the custom functions and the pane share one session.
 */
import { officeDialog, oidcSignIn } from "../auth/dialog.ts";
import { session } from "../session.ts";
import { ExcelWorkbook } from "../workbook/excel.ts";
import { mountPane } from "./app.ts";
import { loadConfig, localSnapshotStore, PANE_VERSION } from "./config.ts";

Office.onReady(async () => {
  const root = document.getElementById("pane");
  if (!root) return;
  const config = await loadConfig();
  const callbackUrl = new URL("auth-callback.html", location.href).href;
  const auth = config?.auth;
  mountPane(root, {
    workbook: new ExcelWorkbook(),
    session,
    config,
    storage: localSnapshotStore(),
    ...(auth ? { signIn: oidcSignIn({ config: auth, dialog: officeDialog, callbackUrl }) } : {}),
    version: PANE_VERSION,
  });
});
