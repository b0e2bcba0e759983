/**
 * The local token issuer's RS256 key pair: made on first start and kept in a directory
 * (`.data/keys` for `npm run api`), or kept in memory for tests.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

export interface IssuerKeys {
  readonly privateKey: CryptoKey;
  /** The public JWKS the gateway serves and verifies with. */
  readonly jwks: { keys: JWK[] };
  readonly kid: string;
}

async function fromJwk(privateJwk: JWK): Promise<IssuerKeys> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const kid = privateJwk.kid ?? "local";
  const privateKey = (await importJWK(privateJwk, "RS256")) as CryptoKey;
  return { privateKey, kid, jwks: { keys: [{ ...publicJwk, kid, alg: "RS256", use: "sig" }] } };
}

/** Loads the key pair from `dir`, or makes one (and keeps it there when `dir` is given). */
export async function issuerKeys(dir?: string): Promise<IssuerKeys> {
  const file = dir === undefined ? undefined : join(dir, "issuer-private.jwk.json");
  if (file !== undefined) {
    try {
      return await fromJwk(JSON.parse(readFileSync(file, "utf8")) as JWK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  const { privateKey } = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}` };
  if (file !== undefined && dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  return fromJwk(jwk);
}
