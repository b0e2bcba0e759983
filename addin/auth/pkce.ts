/**
 * OpenID Connect sign-in with the authorization-code flow and PKCE (RFC 7636), as pure
 * functions: the discovery document, URLs, request bodies and token responses in and out; the
 * dialog and fetch live in `dialog.ts`. The endpoints come from the issuer's discovery document
 * (`/.well-known/openid-configuration`), so Cognito (with Microsoft Entra ID or another provider
 * federated behind it) or any other OpenID provider works. The ID token is the bearer token: it
 * carries `custom:team` and `cognito:groups`, which the API's JWT authorizer passes on.
 */

/** Who the add-in is and whom it trusts (from dist/config.json). */
export interface OidcConfig {
  /** The issuer, e.g. "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123". */
  readonly issuer: string;
  readonly clientId: string;
}

/** The endpoints of the issuer's discovery document that the pane uses. */
export interface OidcEndpoints {
  readonly authorization: string;
  readonly token: string;
  /** RP-initiated logout (Cognito's `/logout`); absent when the provider has none. */
  readonly endSession?: string;
}

/** Tokens of a signed-in user. */
export interface Tokens {
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds: when the ID token (the bearer token) expires. */
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

/** The scopes the pane asks for: an ID token with the e-mail and profile claims. */
export const SCOPE = "openid email profile";

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

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, "");

/** Where the issuer publishes its discovery document (OpenID Connect Discovery 1.0, §4). */
export function discoveryUrl(issuer: string): string {
  return `${withoutTrailingSlash(issuer)}/.well-known/openid-configuration`;
}

/** HTTPS, or plain HTTP only on this machine (a local provider in tests and development). */
export function isSecureUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === "https:") return true;
    return u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
  } catch {
    return false;
  }
}

/**
 * The endpoints from a discovery document, checked as the spec asks: its `issuer` is the one
 * configured, and every endpoint is HTTPS (a document that fails either is refused).
 */
export function parseDiscovery(body: unknown, issuer: string): OidcEndpoints {
  if (!isRecord(body)) throw new Error("the discovery document is not JSON");
  if (typeof body.issuer !== "string" || !sameIssuer(body.issuer, issuer)) {
    throw new Error(`the discovery document is for issuer ${String(body.issuer)}, not ${issuer}`);
  }
  const endpoint = (name: string): string | undefined => {
    const value = body[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !isSecureUrl(value))
      throw new Error(`the discovery document's ${name} is not an HTTPS URL`);
    return value;
  };
  const authorization = endpoint("authorization_endpoint");
  const token = endpoint("token_endpoint");
  if (!authorization || !token)
    throw new Error("the discovery document has no authorization or token endpoint");
  const endSession = endpoint("end_session_endpoint");
  return endSession ? { authorization, token, endSession } : { authorization, token };
}

function sameIssuer(a: string, b: string): boolean {
  return withoutTrailingSlash(a) === withoutTrailingSlash(b);
}

/** The authorize URL for a code with this PKCE challenge and state. */
export function authorizeUrl(
  endpoints: OidcEndpoints,
  config: OidcConfig,
  opts: { redirectUri: string; challenge: string; state: string },
): string {
  const url = new URL(endpoints.authorization);
  const q = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: opts.redirectUri,
    scope: SCOPE,
    code_challenge_method: "S256",
    code_challenge: opts.challenge,
    state: opts.state,
  });
  for (const [name, value] of q) url.searchParams.set(name, value);
  return url.href;
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
  endpoints: OidcEndpoints,
  config: OidcConfig,
  opts: { code: string; verifier: string; redirectUri: string },
): TokenRequest {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: config.clientId,
    code: opts.code,
    code_verifier: opts.verifier,
    redirect_uri: opts.redirectUri,
  });
  return { url: endpoints.token, body: body.toString(), headers: FORM };
}

/** The token request that refreshes tokens with a refresh token. */
export function refreshExchange(
  endpoints: OidcEndpoints,
  config: OidcConfig,
  refreshToken: string,
): TokenRequest {
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: config.clientId,
    refresh_token: refreshToken,
  });
  return { url: endpoints.token, body: body.toString(), headers: FORM };
}

/**
 * The logout URL that ends the provider's session and returns to `returnTo`, or null when the
 * provider has no end-session endpoint. It carries both spellings of the return address:
 * OpenID's `post_logout_redirect_uri` and Cognito's `logout_uri` (Cognito lists `/logout` as its
 * end-session endpoint but reads only `client_id` and `logout_uri`); each ignores the other's.
 */
export function endSessionUrl(
  endpoints: OidcEndpoints,
  config: OidcConfig,
  opts: { returnTo: string; state: string },
): string | null {
  if (!endpoints.endSession) return null;
  const url = new URL(endpoints.endSession);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("post_logout_redirect_uri", opts.returnTo);
  url.searchParams.set("logout_uri", opts.returnTo);
  url.searchParams.set("state", opts.state);
  return url.href;
}

/**
 * Whether `url` goes to the provider's authorize or end-session endpoint: the only places the
 * callback page forwards to, so it is no open redirect.
 */
export function isProviderPage(url: string, endpoints: OidcEndpoints): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return [endpoints.authorization, endpoints.endSession].some((endpoint) => {
    if (!endpoint) return false;
    const allowed = new URL(endpoint);
    return target.origin === allowed.origin && target.pathname === allowed.pathname;
  });
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

/** A refused token request, with the provider's OAuth error code (e.g. `invalid_grant`). */
export class TokenError extends Error {
  override readonly name = "TokenError";
  constructor(readonly code: string) {
    super(`the sign-in service refused: ${code}`);
  }
}

/**
 * Tokens from the token endpoint's JSON. The expiry is the ID token's own `exp` (the pane sends
 * the ID token; `expires_in` is the access token's), else `expires_in`. A refresh response
 * without a refresh token (no rotation) keeps the old one; with rotation, the new one wins.
 */
export function parseTokens(body: unknown, now: number, previousRefresh?: string): Tokens {
  if (!isRecord(body) || typeof body.id_token !== "string") {
    throw new TokenError(
      isRecord(body) && typeof body.error === "string" ? body.error : "no_token",
    );
  }
  const refresh = typeof body.refresh_token === "string" ? body.refresh_token : previousRefresh;
  const seconds = typeof body.expires_in === "number" ? body.expires_in : 3600;
  let expiresAt = now + seconds * 1000;
  try {
    expiresAt = identityOf(body.id_token).expiresAt || expiresAt;
  } catch {
    // Not a readable JWT: the API will say so; keep expires_in.
  }
  const tokens: Tokens = { idToken: body.id_token, expiresAt };
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

/**
 * When to refresh: a minute before expiry, or after four fifths of the time left when that is
 * shorter (so a short-lived token is not refreshed in a loop); never in the past.
 */
export function refreshDelay(expiresAt: number, now: number): number {
  const left = expiresAt - now;
  return Math.max(0, left - Math.min(60_000, left / 5));
}
