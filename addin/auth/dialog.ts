/**
 * The edges of sign-in: the Office dialog that shows Cognito's hosted UI, the token endpoint
 * calls, and the local dev-token picker. The URL and token logic is in `pkce.ts`.
 */
import {
  authorizeUrl,
  type CognitoConfig,
  codeChallenge,
  codeExchange,
  codeVerifier,
  logoutUrl,
  parseCallback,
  parseTokens,
  refreshExchange,
  type TokenRequest,
  type Tokens,
} from "./pkce.ts";

const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));
const sha256 = (d: Uint8Array): Promise<ArrayBuffer> =>
  crypto.subtle.digest("SHA-256", d as Uint8Array<ArrayBuffer>);

async function post(req: TokenRequest, fetchFn: typeof fetch): Promise<unknown> {
  const res = await fetchFn(req.url, { method: "POST", headers: req.headers, body: req.body });
  return res.json().catch(() => ({ error: `HTTP ${res.status}` }));
}

/** Open the dialog on our callback page, which forwards to the hosted UI; resolve with its URL. */
function dialogRoundTrip(startUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(startUrl, { height: 60, width: 30 }, (result) => {
      if (result.status !== Office.AsyncResultStatus.Succeeded) {
        reject(new Error(result.error.message));
        return;
      }
      const dialog = result.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        dialog.close();
        resolve("message" in arg ? arg.message : "");
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () => {
        reject(new Error("The sign-in window was closed."));
      });
    });
  });
}

/** Sign in through the hosted UI in an Office dialog (authorization code + PKCE). */
export async function signInWithCognito(
  config: CognitoConfig,
  callbackUrl: string,
  fetchFn: typeof fetch = (i, init) => fetch(i, init),
): Promise<Tokens> {
  const verifier = codeVerifier(random);
  const state = codeVerifier(random);
  const challenge = await codeChallenge(verifier, sha256);
  const authorize = authorizeUrl(config, { redirectUri: callbackUrl, challenge, state });
  // Office opens a dialog only on the add-in's own domain; the callback page forwards.
  const returned = await dialogRoundTrip(
    `${callbackUrl}#authorize=${encodeURIComponent(authorize)}`,
  );
  const callback = parseCallback(returned, state);
  if (!callback.ok) throw new Error(`Sign-in failed: ${callback.reason}`);
  const body = await post(
    codeExchange(config, { code: callback.code, verifier, redirectUri: callbackUrl }),
    fetchFn,
  );
  return parseTokens(body, Date.now());
}

/**
 * End the hosted UI's session too (else the next sign-in would skip the password): the dialog
 * goes to Cognito's logout, which returns to the callback page, which closes the dialog.
 */
export async function signOutOfCognito(config: CognitoConfig, callbackUrl: string): Promise<void> {
  const logout = logoutUrl(config, callbackUrl);
  await dialogRoundTrip(`${callbackUrl}#logout=${encodeURIComponent(logout)}`);
}

/** New tokens for a refresh token. */
export async function refreshTokens(
  config: CognitoConfig,
  refreshToken: string,
  fetchFn: typeof fetch = (i, init) => fetch(i, init),
): Promise<Tokens> {
  return parseTokens(
    await post(refreshExchange(config, refreshToken), fetchFn),
    Date.now(),
    refreshToken,
  );
}

/** A local token for a dev user (`POST /v1/dev/token`, never deployed). */
export async function devToken(
  apiBase: string,
  user: { user: string; team: string; groups: readonly string[] },
  fetchFn: typeof fetch = (i, init) => fetch(i, init),
): Promise<string> {
  const res = await fetchFn(`${apiBase}/v1/dev/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: user.user, team: user.team, groups: user.groups }),
  });
  const body: unknown = await res.json().catch(() => null);
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  if (res.ok && typeof record.token === "string") return record.token;
  const error = record.error as { message?: unknown } | undefined;
  throw new Error(typeof error?.message === "string" ? error.message : `HTTP ${res.status}`);
}
