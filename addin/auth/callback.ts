/**
 * auth-callback.html: the page the sign-in dialog opens. First visit (`#authorize=<url>`): go
 * to Cognito's hosted UI. Return visit (`?code=…&state=…`): hand the URL back to the pane with
 * `messageParent`; the pane checks the state and trades the code (the verifier never leaves it).
 */
const hash = new URLSearchParams(location.hash.slice(1));
const authorize = hash.get("authorize");

// Only ever forward to a hosted UI authorize endpoint, so this page is no open redirect.
if (authorize && /^https:\/\/[^/]+\/oauth2\/authorize\?/.test(authorize)) {
  location.replace(authorize);
} else {
  Office.onReady(() => Office.context.ui.messageParent(location.href));
}
