/**
 * auth-callback.html: the page the sign-in dialog opens. First visit (`#authorize=<url>`): go
 * to Cognito's hosted UI. Return visit (`?code=…&state=…`): hand the URL back to the pane with
 * `messageParent`; the pane checks the state and trades the code (the verifier never leaves it).
 * `#logout=<url>` goes to the hosted UI's logout, which comes back here and closes the dialog.
 */
const hash = new URLSearchParams(location.hash.slice(1));
const authorize = hash.get("authorize");
const logout = hash.get("logout");

// Only ever forward to a hosted UI authorize or logout endpoint, so this page is no open redirect.
if (authorize && /^https:\/\/[^/]+\/oauth2\/authorize\?/.test(authorize)) {
  location.replace(authorize);
} else if (logout && /^https:\/\/[^/]+\/logout\?/.test(logout)) {
  location.replace(logout);
} else {
  Office.onReady(() => Office.context.ui.messageParent(location.href));
}
