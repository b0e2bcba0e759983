import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  authorizeUrl,
  base64Url,
  codeChallenge,
  codeExchange,
  codeVerifier,
  discoveryUrl,
  endSessionUrl,
  identityOf,
  isProviderPage,
  parseCallback,
  parseDiscovery,
  parseTokens,
  refreshDelay,
  refreshExchange,
  TokenError,
} from "./pkce.ts";

const sha256 = async (d: Uint8Array): Promise<ArrayBuffer> => {
  const digest = createHash("sha256").update(d).digest();
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength);
};

function jwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown): string => base64Url(new TextEncoder().encode(JSON.stringify(o)));
  return `${enc({ alg: "none" })}.${enc(claims)}.sig`;
}

describe("PKCE", () => {
  it("makes a 43-character base64url verifier from 32 random bytes", () => {
    const v = codeVerifier((n) => new Uint8Array(n).fill(255));
    expect([v.length, /^[A-Za-z0-9_-]+$/.test(v)]).toEqual([43, true]);
  });

  it("computes the S256 challenge of RFC 7636's example", async () => {
    const challenge = await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", sha256);
    expect(challenge).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});

const issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123";
const hostedUi = "https://crm.auth.eu-west-1.amazoncognito.com";
const endpoints = {
  authorization: `${hostedUi}/oauth2/authorize`,
  token: `${hostedUi}/oauth2/token`,
  endSession: `${hostedUi}/logout`,
};

describe("discovery", () => {
  const document = {
    issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    end_session_endpoint: endpoints.endSession,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
  };

  it("reads the document at the issuer's well-known address", () => {
    expect(discoveryUrl(`${issuer}/`)).toBe(`${issuer}/.well-known/openid-configuration`);
  });

  it("takes the authorize, token and end-session endpoints from the document", () => {
    expect(parseDiscovery(document, issuer)).toEqual(endpoints);
  });

  it("refuses a document for another issuer", () => {
    expect(() => parseDiscovery({ ...document, issuer: "https://evil.example" }, issuer)).toThrow(
      "not https://cognito-idp",
    );
  });

  it("refuses an endpoint that is not HTTPS", () => {
    expect(() =>
      parseDiscovery({ ...document, token_endpoint: "http://crm.example/token" }, issuer),
    ).toThrow("token_endpoint is not an HTTPS URL");
  });

  it("accepts plain HTTP for a provider on this machine", () => {
    const local = "http://127.0.0.1:4000";
    const found = parseDiscovery(
      { issuer: local, authorization_endpoint: `${local}/auth`, token_endpoint: `${local}/token` },
      local,
    );
    expect(found.token).toBe(`${local}/token`);
  });

  it("works without an end-session endpoint", () => {
    const { end_session_endpoint: _gone, ...rest } = document;
    expect(parseDiscovery(rest, issuer).endSession).toBeUndefined();
  });
});

describe("provider requests", () => {
  const config = { issuer, clientId: "abc123" };

  it("asks for a code with the S256 challenge and state", () => {
    const url = new URL(
      authorizeUrl(endpoints, config, {
        redirectUri: "https://localhost:3000/auth-callback.html",
        challenge: "ch",
        state: "st",
      }),
    );
    expect([
      url.origin + url.pathname,
      url.searchParams.get("code_challenge_method"),
      url.searchParams.get("state"),
    ]).toEqual([endpoints.authorization, "S256", "st"]);
  });

  it("trades the code with its verifier at the token endpoint", () => {
    const req = codeExchange(endpoints, config, {
      code: "c0de",
      verifier: "v",
      redirectUri: "https://x/cb",
    });
    const body = new URLSearchParams(req.body);
    expect([req.url, body.get("grant_type"), body.get("code_verifier")]).toEqual([
      endpoints.token,
      "authorization_code",
      "v",
    ]);
  });

  it("refreshes with the refresh token grant", () => {
    const body = new URLSearchParams(refreshExchange(endpoints, config, "r1").body);
    expect([body.get("grant_type"), body.get("refresh_token")]).toEqual(["refresh_token", "r1"]);
  });

  it("logs out with both OpenID's and Cognito's names for the page to return to", () => {
    const url = new URL(
      endSessionUrl(endpoints, config, { returnTo: "https://x/", state: "s" }) ?? "",
    );
    expect([
      url.searchParams.get("post_logout_redirect_uri"),
      url.searchParams.get("logout_uri"),
      url.searchParams.get("client_id"),
    ]).toEqual(["https://x/", "https://x/", "abc123"]);
  });

  it("has no logout URL when the provider has no end-session endpoint", () => {
    const { endSession: _gone, ...withoutLogout } = endpoints;
    expect(endSessionUrl(withoutLogout, config, { returnTo: "https://x/", state: "s" })).toBe(null);
  });

  it("lets the callback page forward only to the provider's own pages", () => {
    expect([
      isProviderPage(`${endpoints.authorization}?client_id=a`, endpoints),
      isProviderPage(`${endpoints.endSession}?client_id=a`, endpoints),
      isProviderPage("https://evil.example/oauth2/authorize?x", endpoints),
      isProviderPage(`${hostedUi}/somewhere-else`, endpoints),
      isProviderPage("not a url", endpoints),
    ]).toEqual([true, true, false, false, false]);
  });
});

describe("callback", () => {
  it("returns the code when the state matches", () => {
    expect(parseCallback("https://x/cb?code=abc&state=s1", "s1")).toEqual({
      ok: true,
      code: "abc",
    });
  });

  it("refuses a code for another state", () => {
    expect(parseCallback("https://x/cb?code=abc&state=evil", "s1")).toEqual({
      ok: false,
      reason: "state mismatch",
    });
  });

  it("passes on the hosted UI's error description", () => {
    const r = parseCallback(
      "https://x/cb?error=access_denied&error_description=User+cancelled",
      "s1",
    );
    expect(r).toEqual({ ok: false, reason: "User cancelled" });
  });
});

describe("tokens", () => {
  it("takes the expiry from the ID token's exp claim", () => {
    expect(parseTokens({ id_token: jwt({ exp: 200 }), expires_in: 3600 }, 1000).expiresAt).toBe(
      200_000,
    );
  });

  it("computes the expiry from expires_in when the ID token has none", () => {
    expect(parseTokens({ id_token: "t", refresh_token: "r", expires_in: 60 }, 1000)).toEqual({
      idToken: "t",
      refreshToken: "r",
      expiresAt: 61_000,
    });
  });

  it("keeps the old refresh token when a refresh response has none", () => {
    expect(parseTokens({ id_token: "t2", expires_in: 60 }, 0, "r-old").refreshToken).toBe("r-old");
  });

  it("takes the new refresh token of a rotating provider", () => {
    expect(parseTokens({ id_token: "t2", refresh_token: "r-new" }, 0, "r-old").refreshToken).toBe(
      "r-new",
    );
  });

  it("names the token endpoint's error", () => {
    expect(() => parseTokens({ error: "invalid_grant" }, 0)).toThrow(
      new TokenError("invalid_grant"),
    );
  });

  it("reads who, which team and which groups from the ID token", () => {
    const token = jwt({
      email: "李雷@acme.cn",
      "custom:team": "acme",
      "cognito:groups": ["managers"],
      exp: 100,
    });
    expect(identityOf(token)).toEqual({
      user: "李雷@acme.cn",
      team: "acme",
      groups: ["managers"],
      expiresAt: 100_000,
    });
  });

  it("refreshes a minute before expiry, and never in the past", () => {
    expect([refreshDelay(3_700_000, 100_000), refreshDelay(100_000, 200_000)]).toEqual([
      3_540_000, 0,
    ]);
  });

  it("refreshes a short-lived token after four fifths of its life, not in a loop", () => {
    expect(refreshDelay(10_000, 0)).toBe(8_000);
  });
});
