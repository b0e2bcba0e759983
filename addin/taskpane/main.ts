/**
 * taskpane.js: the pane inside Excel. Loaded after office.js and functions.js (shared
 * runtime), so the custom functions and the pane share one session. Outside Excel, or when
 * office.js is blocked, it says so instead of leaving a blank page (host.ts).
 */
import { refreshTokens, signInWithCognito, signOutOfCognito } from "../auth/dialog.ts";
import { session } from "../session.ts";
import { ExcelWorkbook } from "../workbook/excel.ts";
import { mountPane } from "./app.ts";
import { loadConfig, localSnapshotStore, PANE_VERSION } from "./config.ts";
import { hostProblem, hostProblemView, type OfficeHost } from "./host.ts";

async function start(root: HTMLElement): Promise<void> {
  // No Office global when office.js was blocked or did not load.
  const office = typeof Office === "undefined" ? undefined : (Office as unknown as OfficeHost);
  const problem = await hostProblem(office);
  if (problem) {
    root.replaceChildren(hostProblemView(problem, session.language()));
    return;
  }
  const config = await loadConfig();
  const callbackUrl = new URL("auth-callback.html", location.href).href;
  root.replaceChildren();
  mountPane(root, {
    workbook: new ExcelWorkbook(),
    session,
    config,
    storage: localSnapshotStore(),
    cognitoSignIn: (auth) => signInWithCognito(auth, callbackUrl),
    cognitoRefresh: (auth, refreshToken) => refreshTokens(auth, refreshToken),
    cognitoSignOut: (auth) => signOutOfCognito(auth, callbackUrl),
    version: PANE_VERSION,
  });
}

const root = document.getElementById("pane");
if (root) void start(root);
