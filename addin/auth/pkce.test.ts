import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  authorizeUrl,
  base64Url,
  codeChallenge,
  codeExchange,
  codeVerifier,
  identityOf,
  logoutUrl,
  parseCallback,
  parseTokens,
  refreshDelay,
  refreshExchange,
} from "./pkce.ts";

const config = {
  domain: "crm.auth.eu-west-1.amazoncognito.com",
  clientId: "abc123",
  region: "eu-west-1",
};
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

describe("hosted UI requests", () => {
  it("asks for a code with the S256 challenge and state", () => {
    const url = new URL(
      authorizeUrl(config, {
        redirectUri: "https://localhost:3000/auth-callback.html",
        challenge: "ch",
        state: "st",
      }),
    );
    expect([
      url.origin + url.pathname,
      url.searchParams.get("code_challenge_method"),
      url.searchParams.get("state"),
    ]).toEqual(["https://crm.auth.eu-west-1.amazoncognito.com/oauth2/authorize", "S256", "st"]);
  });

  it("trades the code with its verifier at the token endpoint", () => {
    const req = codeExchange(config, { code: "c0de", verifier: "v", redirectUri: "https://x/cb" });
    const body = new URLSearchParams(req.body);
    expect([req.url, body.get("grant_type"), body.get("code_verifier")]).toEqual([
      "https://crm.auth.eu-west-1.amazoncognito.com/oauth2/token",
      "authorization_code",
      "v",
    ]);
  });

  it("refreshes with the refresh token grant", () => {
    const body = new URLSearchParams(refreshExchange(config, "r1").body);
    expect([body.get("grant_type"), body.get("refresh_token")]).toEqual(["refresh_token", "r1"]);
  });

  it("logs out through the hosted UI back to the given page", () => {
    expect(new URL(logoutUrl(config, "https://x/")).searchParams.get("logout_uri")).toBe(
      "https://x/",
    );
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
  it("computes the expiry from expires_in", () => {
    expect(parseTokens({ id_token: "t", refresh_token: "r", expires_in: 60 }, 1000)).toEqual({
      idToken: "t",
      refreshToken: "r",
      expiresAt: 61_000,
    });
  });

  it("keeps the old refresh token when a refresh response has none", () => {
    expect(parseTokens({ id_token: "t2", expires_in: 60 }, 0, "r-old").refreshToken).toBe("r-old");
  });

  it("names the token endpoint's error", () => {
    expect(() => parseTokens({ error: "invalid_grant" }, 0)).toThrow("invalid_grant");
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

  it("refreshes a minute before expiry", () => {
    expect([refreshDelay(200_000, 100_000), refreshDelay(100_000, 100_000)]).toEqual([40_000, 0]);
  });
});
