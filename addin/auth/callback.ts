/**
 * auth-callback.html: the page the sign-in window opens. First visit (`#authorize=<url>` or
 * `#logout=<url>`): go on to the provider, but only to its discovered authorize or end-session
 * endpoint, so this page is no open redirect. Return visit (`?code=…&state=…`, or back from
 * logout): hand the URL to the pane, which checks the state and trades the code (the verifier
 * never leaves it) — to Excel with `messageParent`, in a plain browser with `postMessage` to the
 * pane that opened this popup, for its own origin only.
 */
import { loadConfig } from "../taskpane/config.ts";
import { CALLBACK_MESSAGE, discover } from "./dialog.ts";
import { isProviderPage } from "./pkce.ts";

function say(text: string): void {
  const p = document.querySelector("p") ?? document.body.appendChild(document.createElement("p"));
  p.textContent = text;
}

async function forward(target: string): Promise<void> {
  const auth = (await loadConfig())?.auth;
  if (!auth) throw new Error("this add-in has no sign-in service configured (config.json)");
  if (!isProviderPage(target, await discover(auth))) {
    throw new Error("refused to open a page that is not the sign-in service's");
  }
  location.replace(target);
}

function postToOpener(url: string): void {
  const opener = window.opener as Window | null;
  if (!opener) {
    say("Sign-in finished. Close this window and go back to the add-in.");
    return;
  }
  opener.postMessage({ type: CALLBACK_MESSAGE, url }, location.origin);
}

function handBack(url: string): void {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (!office?.onReady) {
    postToOpener(url);
    return;
  }
  // office.js loaded: inside an Office dialog `host` is set; in a plain browser it is null.
  office.onReady((info) => {
    if (info.host) office.context.ui.messageParent(url);
    else postToOpener(url);
  });
}

const hash = new URLSearchParams(location.hash.slice(1));
const target = hash.get("authorize") ?? hash.get("logout");
if (target) {
  forward(target).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    say(`Sign-in failed: ${reason}`);
    // The pane shows the reason too (as a provider's error), instead of waiting for the window.
    const failed = new URL(location.pathname, location.origin);
    failed.search = new URLSearchParams({
      error: "callback",
      error_description: reason,
    }).toString();
    handBack(failed.href);
  });
} else {
  handBack(location.href);
}
