/**
 * The local stand-in for API Gateway's HTTP API: matches the route table, verifies the JWT
 * like the JWT authorizer (RS256 only, issuer, audience, expiry), builds the same payload-2.0
 * event and calls the same group handler. Also serves the JWKS and the local-only
 * `POST /v1/dev/token`, and enforces the 1 MB body limit.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import * as z from "zod/mini";
import { ApiError, errorResponse } from "../errors.ts";
import type { ApiEvent, ApiResult } from "../http.ts";
import { LAMBDA_RESPONSE_LIMIT } from "../replyBudget.ts";
import type { Handler } from "../router.ts";
import { type HandlerGroup, type Route, routes } from "../routes.ts";
import type { IssuerKeys } from "./keys.ts";

/** API Gateway's payload limit for HTTP APIs. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The audience (app client id) of local tokens. */
export const LOCAL_AUDIENCE = "crm-local";
const TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;

/** Another issuer whose tokens the gateway accepts, as the JWT authorizer trusts the user pool. */
export interface TrustedIssuer {
  readonly issuer: string;
  /** The app client id the tokens are for (`aud`). */
  readonly audience: string;
  readonly jwksUri: string;
}

export interface GatewayOptions {
  readonly handlers: Readonly<Record<HandlerGroup, Handler>>;
  readonly keys: IssuerKeys;
  readonly port: number;
  /** Accept this OpenID provider's tokens too (the sign-in tests' provider). */
  readonly trust?: TrustedIssuer;
}

export interface Gateway {
  readonly url: string;
  readonly issuer: string;
  token(user: string, team: string, groups?: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

const CORS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET,PUT,POST,DELETE,OPTIONS",
  "access-control-allow-headers":
    "authorization,content-type,if-match,if-none-match,idempotency-key",
  "access-control-expose-headers": "etag,retry-after",
  "access-control-max-age": "600",
};

interface Matched {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}

/** The route for a method and raw path, with decoded path parameters (as API Gateway gives). */
export function matchRoute(method: string, rawPath: string): Matched | undefined {
  const candidates = routes.filter((r) => r.method === method);
  const exact = candidates.find((r) => r.path === rawPath);
  if (exact !== undefined) return { route: exact, pathParameters: {} };
  for (const route of candidates) {
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_all, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    const match = new RegExp(`^${pattern}$`).exec(rawPath);
    if (match === null) continue;
    const pathParameters: Record<string, string> = {};
    names.forEach((name, i) => {
      pathParameters[name] = decodeURIComponent(match[i + 1] as string);
    });
    return { route, pathParameters };
  }
  return undefined;
}

/** Claims as API Gateway passes them to a Lambda: all strings, lists as `[a b]`. */
export function claimsAsStrings(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    claims[name] = Array.isArray(value) ? `[${value.join(" ")}]` : String(value);
  }
  return claims;
}

const devTokenBody = z.strictObject({
  user: z
    .string()
    .check(z.regex(/^[A-Za-z0-9._@-]{1,64}$/, "must be 1 to 64 letters, digits or . _ @ -")),
  team: z
    .string()
    .check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1 to 64 letters, digits or . _ -")),
  groups: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,64}$/)))),
});

class TooLarge extends Error {}

/** Reads a request body, refusing more than the limit without buffering it. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > MAX_BODY_BYTES) {
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new TooLarge());
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolveBody(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * What API Gateway makes of a Lambda's result: a response payload over Lambda's limit never
 * reaches it (Lambda fails the invocation with `Function.ResponseSizeTooLarge`), and it
 * answers `502` with its own body, whatever the function did before.
 */
export function withinLambdaLimit(result: ApiResult, routeKey: string): ApiResult {
  const bytes = Buffer.byteLength(JSON.stringify(result), "utf8");
  if (bytes <= LAMBDA_RESPONSE_LIMIT) return result;
  console.error(
    `${routeKey}: response payload size (${bytes} bytes) exceeded maximum allowed payload size (${LAMBDA_RESPONSE_LIMIT} bytes); answered 502 as API Gateway does.`,
  );
  return {
    statusCode: 502,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message: "Internal Server Error" }),
  };
}

function send(res: ServerResponse, result: ApiResult): void {
  res.writeHead(result.statusCode, { ...CORS, ...result.headers });
  res.end(result.body);
}

/** Listens on 127.0.0.1:`port`; a busy port is an error that says what to do. */
function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `Port ${port} is already in use: stop what runs there or set CRM_API_PORT to a free port.`,
            )
          : error,
      );
    });
    server.listen(port, "127.0.0.1", () => resolveListen());
  });
}

/** Fails fast, before DynamoDB Local starts, when the gateway's port is taken. */
export async function ensurePortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, port);
  await new Promise<void>((resolveClose) => probe.close(() => resolveClose()));
}

/** Starts the gateway on 127.0.0.1:`port` (0 = a free port); a busy port is a clear error. */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const jwks = createLocalJWKSet(opts.keys.jwks);
  const trusted = opts.trust && {
    ...opts.trust,
    jwks: createRemoteJWKSet(new URL(opts.trust.jwksUri)),
  };
  let issuer = "";

  const token = async (user: string, team: string, groups: readonly string[] = []) =>
    new SignJWT({
      "cognito:username": user,
      "custom:team": team,
      "cognito:groups": [...groups],
      token_use: "id",
    })
      .setProtectedHeader({ alg: "RS256", kid: opts.keys.kid, typ: "JWT" })
      .setSubject(user)
      .setIssuer(issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
      .sign(opts.keys.privateKey);

  /** The authorizer's check: RS256 only, our issuer and audience, not expired. */
  const verify = async (authorization: string | undefined): Promise<Record<string, string>> => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match) throw new ApiError("unauthorized", "Sign in: send Authorization: Bearer <token>.");
    try {
      const token = match[1] as string;
      const other = trusted && decodeJwt(token).iss === trusted.issuer ? trusted : undefined;
      const { payload } = await jwtVerify(token, other?.jwks ?? jwks, {
        algorithms: ["RS256"],
        issuer: other?.issuer ?? issuer,
        audience: other?.audience ?? LOCAL_AUDIENCE,
        // As API Gateway's JWT authorizer: a token without an expiry is never accepted.
        requiredClaims: ["exp", "sub"],
      });
      return claimsAsStrings(payload);
    } catch {
      throw new ApiError(
        "unauthorized",
        "The token is not valid (expired, forged or from another issuer); sign in again.",
      );
    }
  };

  const devToken = async (body: Buffer): Promise<ApiResult> => {
    let input: unknown;
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ApiError("invalid_request", 'Send {"user": "ana", "team": "acme", "groups": []}.');
    }
    const parsed = devTokenBody.safeParse(input);
    if (!parsed.success) {
      throw new ApiError(
        "invalid_request",
        'Send {"user": "ana", "team": "acme", "groups": ["managers"]}.',
        parsed.error.issues.map((i) => ({
          field: i.path.join(".") || "(body)",
          message: i.message,
        })),
      );
    }
    const { user, team, groups } = parsed.data;
    return {
      statusCode: 200,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        token: await token(user, team, groups ?? []),
        expiresIn: TOKEN_LIFETIME_SECONDS,
      }),
    };
  };

  const handle = async (req: IncomingMessage): Promise<ApiResult> => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://localhost");
    const rawPath = url.pathname;
    if (method === "OPTIONS") return { statusCode: 204, headers: {}, body: "" };
    if (
      method === "GET" &&
      (rawPath === "/.well-known/jwks.json" || rawPath === "/v1/.well-known/jwks.json")
    ) {
      return {
        statusCode: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(opts.keys.jwks),
      };
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof TooLarge) {
        throw new ApiError(
          "payload_too_large",
          `The request body is over ${MAX_BODY_BYTES} bytes (1 MB); send fewer items at a time.`,
        );
      }
      throw error;
    }
    if (method === "POST" && rawPath === "/v1/dev/token") return devToken(body);
    let matched: Matched | undefined;
    try {
      matched = matchRoute(method, rawPath);
    } catch {
      throw new ApiError("invalid_request", "The path is not correctly percent-encoded.");
    }
    if (matched === undefined) throw new ApiError("not_found", `No route ${method} ${rawPath}.`);
    const { route, pathParameters } = matched;
    const claims = route.auth ? await verify(req.headers.authorization) : {};
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined)
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) {
      query[name] = Object.hasOwn(query, name) ? `${query[name]},${value}` : value;
    }
    const routeKey = `${route.method} ${route.path}`;
    const now = new Date();
    const event: ApiEvent = {
      version: "2.0",
      routeKey,
      rawPath,
      rawQueryString: url.search.replace(/^\?/, ""),
      headers,
      ...(url.searchParams.size > 0 ? { queryStringParameters: query } : {}),
      ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
      ...(body.length > 0 ? { body: body.toString("utf8") } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: "000000000000",
        apiId: "local",
        authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: [] } },
        domainName: "127.0.0.1",
        domainPrefix: "127",
        http: {
          method,
          path: rawPath,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
          userAgent: req.headers["user-agent"] ?? "",
        },
        requestId: randomUUID(),
        routeKey,
        stage: "$default",
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
    };
    return withinLambdaLimit(await opts.handlers[route.group](event), routeKey);
  };

  const server: Server = createServer((req, res) => {
    handle(req).then(
      (result) => send(res, result),
      (error: unknown) => send(res, errorResponse(error)),
    );
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `Port ${opts.port} is already in use: stop what runs there or set CRM_API_PORT to a free port.`,
            )
          : error,
      );
    });
    server.listen(opts.port, "127.0.0.1", () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : opts.port;
  const url = `http://127.0.0.1:${port}`;
  issuer = `${url}/v1`;

  return {
    url,
    issuer,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
