/**
 * Cognito hosted sign-in with the authorization-code flow and PKCE (RFC 7636), as pure
 * functions: URLs, request bodies and token responses in and out; the dialog and fetch live in
 * `dialog.ts`. The ID token is the bearer token: it carries `custom:team` and `cognito:groups`,
 * which the API's JWT authorizer passes to the handlers.
 */

/** Where the hosted UI lives and who the add-in is (from dist/config.json). */
export interface CognitoConfig {
  /** The hosted UI domain, e.g. "crm-acme.auth.eu-west-1.amazoncognito.com". */
  readonly domain: string;
  readonly clientId: string;
  readonly region: string;
}

/** Tokens of a signed-in user. */
export interface Tokens {
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Who a token says the user is. */
export interface Identity {
  readonly user: string;
  readonly team: string;
  readonly groups: string[];
  /** Epoch milliseconds, from `exp`. */
  readonly expiresAt: number;
}

/** Base64url without padding, as PKCE and JWTs use it. */
export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A code verifier: 32 random bytes as base64url (43 characters, within RFC 7636's 43–128). */
export function codeVerifier(random: (n: number) => Uint8Array): string {
  return base64Url(random(32));
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallenge(
  verifier: string,
  sha256: (data: Uint8Array) => Promise<ArrayBuffer>,
): Promise<string> {
  return base64Url(new Uint8Array(await sha256(new TextEncoder().encode(verifier))));
}

function origin(config: CognitoConfig): string {
  return `https://${config.domain.replace(/^https?:\/\//, "").replace(/\/+$/, "")}`;
}

/** The hosted UI's authorize URL for a code with this PKCE challenge and state. */
export function authorizeUrl(
  config: CognitoConfig,
  opts: { redirectUri: string; challenge: string; state: string },
): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: opts.redirectUri,
    scope: "openid email profile",
    code_challenge_method: "S256",
    code_challenge: opts.challenge,
    state: opts.state,
  });
  return `${origin(config)}/oauth2/authorize?${q}`;
}

/** A form POST to the token endpoint. */
export interface TokenRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

/** The token request that trades an authorization code (and its verifier) for tokens. */
export function codeExchange(
  config: CognitoConfig,
  opts: { code: string; verifier: string; redirectUri: string },
): TokenRequest {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: config.clientId,
    code: opts.code,
    code_verifier: opts.verifier,
    redirect_uri: opts.redirectUri,
  });
  return { url: `${origin(config)}/oauth2/token`, body: body.toString(), headers: FORM };
}

/** The token request that refreshes tokens with a refresh token. */
export function refreshExchange(config: CognitoConfig, refreshToken: string): TokenRequest {
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: config.clientId,
    refresh_token: refreshToken,
  });
  return { url: `${origin(config)}/oauth2/token`, body: body.toString(), headers: FORM };
}

/** The hosted UI's logout URL, which ends the Cognito session and returns to `logoutUri`. */
export function logoutUrl(config: CognitoConfig, logoutUri: string): string {
  const q = new URLSearchParams({ client_id: config.clientId, logout_uri: logoutUri });
  return `${origin(config)}/logout?${q}`;
}

/** What the redirect page found in its URL: a code for our state, or the reason there is none. */
export type CallbackResult = { ok: true; code: string } | { ok: false; reason: string };

/** The authorization code from the redirect URL, checked against the state we sent. */
export function parseCallback(url: string, expectedState: string): CallbackResult {
  const q = new URL(url).searchParams;
  const error = q.get("error");
  if (error) return { ok: false, reason: q.get("error_description") ?? error };
  if (q.get("state") !== expectedState) return { ok: false, reason: "state mismatch" };
  const code = q.get("code");
  return code ? { ok: true, code } : { ok: false, reason: "no authorization code" };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Tokens from the token endpoint's JSON; a refresh response keeps the old refresh token. */
export function parseTokens(body: unknown, now: number, previousRefresh?: string): Tokens {
  if (!isRecord(body) || typeof body.id_token !== "string") {
    const reason = isRecord(body) && typeof body.error === "string" ? body.error : "no id_token";
    throw new Error(`Sign-in failed: ${reason}`);
  }
  const refresh = typeof body.refresh_token === "string" ? body.refresh_token : previousRefresh;
  const seconds = typeof body.expires_in === "number" ? body.expires_in : 3600;
  const tokens: Tokens = { idToken: body.id_token, expiresAt: now + seconds * 1000 };
  return refresh ? { ...tokens, refreshToken: refresh } : tokens;
}

/** The claims of a JWT, unverified: the API verifies tokens, the pane only shows who and which team. */
export function identityOf(jwt: string): Identity {
  const part = jwt.split(".")[1];
  if (!part) throw new Error("not a JWT");
  const json = atob(part.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (!isRecord(claims)) throw new Error("not a JWT");
  const text = (k: string): string => (typeof claims[k] === "string" ? (claims[k] as string) : "");
  const groups = Array.isArray(claims["cognito:groups"])
    ? claims["cognito:groups"].filter((g): g is string => typeof g === "string")
    : [];
  return {
    user: text("email") || text("cognito:username") || text("sub"),
    team: text("custom:team"),
    groups,
    expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : 0,
  };
}

/** When to refresh: a minute before expiry, and never in the past. */
export function refreshDelay(expiresAt: number, now: number): number {
  return Math.max(0, expiresAt - now - 60_000);
}
