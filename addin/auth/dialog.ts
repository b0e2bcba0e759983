/**
 * The edges of sign-in: the window that shows the provider's pages (one small port, with an
 * Office dialog adapter for Excel and a popup + postMessage adapter for a plain browser),
 * discovery and token endpoint calls, and the local dev-token picker. The URL and token logic is
 * in `pkce.ts`.
 */
import {
  authorizeUrl,
  codeChallenge,
  codeExchange,
  codeVerifier,
  discoveryUrl,
  endSessionUrl,
  type OidcConfig,
  type OidcEndpoints,
  parseCallback,
  parseDiscovery,
  parseTokens,
  refreshExchange,
  type TokenRequest,
  type Tokens,
} from "./pkce.ts";

/** Why a sign-in window gave nothing back, for a message in the user's language. */
export type DialogFailure = "closed" | "blocked" | "failed";

/** The sign-in window failed: closed by the user, blocked by the browser, or refused by Office. */
export class DialogError extends Error {
  override readonly name = "DialogError";
  constructor(
    readonly failure: DialogFailure,
    detail: string = failure,
  ) {
    super(`sign-in window ${detail}`);
  }
}

/**
 * A window on one of the add-in's own pages (the callback page), which goes on to the provider
 * and hands back the URL it ends on. Everything else in sign-in is the same in Excel and in a
 * plain browser.
 */
export interface SignInDialog {
  /** Open `startUrl` (the add-in's own origin); resolve with the URL the callback page hands back. */
  roundTrip(startUrl: string): Promise<string>;
}

/** The `postMessage` type the callback page sends to the pane that opened it. */
export const CALLBACK_MESSAGE = "crm-auth-callback";

/** The URL in a callback page's message, or null for any other message. */
export function callbackUrlOf(data: unknown): string | null {
  if (typeof data !== "object" || data === null) return null;
  const { type, url } = data as { type?: unknown; url?: unknown };
  return type === CALLBACK_MESSAGE && typeof url === "string" ? url : null;
}

/** Excel's dialog (`displayDialogAsync`); the callback page answers with `messageParent`. */
export const officeDialog: SignInDialog = {
  roundTrip: (startUrl) =>
    new Promise((resolve, reject) => {
      Office.context.ui.displayDialogAsync(startUrl, { height: 60, width: 30 }, (result) => {
        if (result.status !== Office.AsyncResultStatus.Succeeded) {
          // 12007: a dialog is already open.
          reject(new DialogError("failed", result.error.message));
          return;
        }
        const dialog = result.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
          dialog.close();
          resolve("message" in arg ? arg.message : "");
        });
        // 12006: the user closed the dialog; anything else is a page that failed to load.
        dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) => {
          reject(new DialogError("error" in arg && arg.error === 12006 ? "closed" : "failed"));
        });
      });
    }),
};

/**
 * A browser popup (no Office): the callback page posts its URL to `window.opener`. Only a message
 * from that popup and from our own origin counts, so no other page can hand us a code.
 */
export function popupDialog(win: Window = window, pollMs = 300): SignInDialog {
  return {
    roundTrip: (startUrl) =>
      new Promise((resolve, reject) => {
        const popup = win.open(startUrl, "crm-sign-in", "popup,width=520,height=680");
        if (!popup) {
          reject(new DialogError("blocked"));
          return;
        }
        const stop = (): void => {
          win.removeEventListener("message", onMessage);
          clearInterval(watch);
        };
        const onMessage = (event: MessageEvent): void => {
          if (event.origin !== win.location.origin || event.source !== popup) return;
          const url = callbackUrlOf(event.data);
          if (url === null) return;
          stop();
          popup.close();
          resolve(url);
        };
        const watch = setInterval(() => {
          if (!popup.closed) return;
          stop();
          reject(new DialogError("closed"));
        }, pollMs);
        win.addEventListener("message", onMessage);
      }),
  };
}

async function post(req: TokenRequest, fetchFn: typeof fetch): Promise<unknown> {
  const res = await fetchFn(req.url, { method: "POST", headers: req.headers, body: req.body });
  return res.json().catch(() => ({ error: `HTTP ${res.status}` }));
}

/** The issuer's endpoints from its discovery document. */
export async function discover(
  config: OidcConfig,
  fetchFn: typeof fetch = (i, init) => fetch(i, init),
): Promise<OidcEndpoints> {
  const url = discoveryUrl(config.issuer);
  let res: Response;
  try {
    res = await fetchFn(url, { headers: { Accept: "application/json" } });
  } catch {
    throw new Error(`cannot reach the sign-in service at ${url}`);
  }
  if (!res.ok) throw new Error(`the sign-in service answered HTTP ${res.status} at ${url}`);
  return parseDiscovery(await res.json().catch(() => null), config.issuer);
}

/** Sign-in, token refresh and sign-out against one OpenID provider. */
export interface SignInService {
  signIn(): Promise<Tokens>;
  /** New tokens for a refresh token; with rotation the answer carries a new refresh token. */
  refresh(refreshToken: string): Promise<Tokens>;
  /** End the provider's session too (else the next sign-in would skip the password). */
  signOut(): Promise<void>;
}

const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));
const sha256 = (d: Uint8Array): Promise<ArrayBuffer> =>
  crypto.subtle.digest("SHA-256", d as Uint8Array<ArrayBuffer>);

/**
 * Authorization code + PKCE through a dialog on `callbackUrl`, which forwards to the provider
 * (Office opens a dialog only on the add-in's own domain) and hands the redirect URL back; the
 * pane checks the state and trades the code, so the verifier never leaves the pane.
 */
export function oidcSignIn(opts: {
  config: OidcConfig;
  dialog: SignInDialog;
  callbackUrl: string;
  fetch?: typeof fetch;
}): SignInService {
  const { config, dialog, callbackUrl } = opts;
  const fetchFn = opts.fetch ?? ((i, init) => fetch(i, init));
  let endpoints: Promise<OidcEndpoints> | null = null;
  const discovered = (): Promise<OidcEndpoints> => {
    endpoints ??= discover(config, fetchFn).catch((error: unknown) => {
      endpoints = null; // try again next time: the network may be back
      throw error;
    });
    return endpoints;
  };
  return {
    async signIn() {
      const found = await discovered();
      const verifier = codeVerifier(random);
      const state = codeVerifier(random);
      const challenge = await codeChallenge(verifier, sha256);
      const authorize = authorizeUrl(found, config, { redirectUri: callbackUrl, challenge, state });
      const returned = await dialog.roundTrip(
        `${callbackUrl}#authorize=${encodeURIComponent(authorize)}`,
      );
      const callback = parseCallback(returned, state);
      if (!callback.ok) throw new Error(callback.reason);
      const body = await post(
        codeExchange(found, config, { code: callback.code, verifier, redirectUri: callbackUrl }),
        fetchFn,
      );
      return parseTokens(body, Date.now());
    },
    async refresh(refreshToken) {
      const found = await discovered();
      const body = await post(refreshExchange(found, config, refreshToken), fetchFn);
      return parseTokens(body, Date.now(), refreshToken);
    },
    async signOut() {
      const logout = endSessionUrl(await discovered(), config, {
        returnTo: callbackUrl,
        state: codeVerifier(random),
      });
      if (logout) await dialog.roundTrip(`${callbackUrl}#logout=${encodeURIComponent(logout)}`);
    },
  };
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
