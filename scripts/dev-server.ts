/**
 * The add-in's local web server: serves `dist/` (the pane, preview, functions.js/.json,
 * assets, manifest) and proxies `/v1/*` to the API, so the add-in calls its own origin as it
 * does in AWS behind CloudFront. HTTPS when given a certificate (Office requires it), plain
 * HTTP otherwise (the browser tests).
 */
import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import {
  type ConnectTargets,
  connectOrigins,
  contentSecurityPolicy,
} from "../infra/content-security-policy.ts";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".map": "application/json",
};

export interface DevServerOptions {
  /** The folder served, usually `dist`. */
  readonly root: string;
  /** The API origin `/v1` is proxied to, e.g. `http://127.0.0.1:8787`. */
  readonly apiUrl: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** PEM key and certificate: serve HTTPS. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Origins the pages may connect to besides this server and those named in `config.json`. */
  readonly connectSources?: readonly string[];
  /**
   * A folder served at `/office-js/`: the browser tests give the npm package
   * @microsoft/office-js's `dist`, since the CDN copy is out of their reach.
   */
  readonly officeJsDir?: string;
}

export interface DevServer {
  readonly url: string;
  stop(): Promise<void>;
}

function proxy(req: IncomingMessage, res: ServerResponse, apiUrl: string): void {
  const target = new URL(req.url ?? "/", apiUrl);
  const upstream = request(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", (error) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { "Content-Type": "application/json" });
    const message = `Cannot reach the local API at ${apiUrl}: ${error.message}. Start it with npm run api.`;
    res.end(JSON.stringify({ error: { code: "unreachable", message } }));
  });
  req.pipe(upstream);
}

// What a config.json in the served folder points the pane at, as CloudFront's policy allows it.
function configuredTargets(root: string): ConnectTargets {
  try {
    const config = JSON.parse(readFileSync(join(root, "config.json"), "utf8")) as {
      apiBase?: unknown;
      auth?: { domain?: unknown; region?: unknown };
    };
    const { apiBase, auth } = config;
    return {
      ...(typeof apiBase === "string" ? { apiOrigin: new URL(apiBase).origin } : {}),
      ...(typeof auth?.domain === "string"
        ? { signIn: { domain: auth.domain, region: String(auth.region ?? "") } }
        : {}),
    };
  } catch {
    return {};
  }
}

async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  csp: string,
): Promise<void> {
  // The policy CloudFront sends (infra/hosting.ts), so local pages break where deployed ones would.
  res.setHeader("Content-Security-Policy", csp);
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
  // Never serve outside the root, whatever `..` the path holds.
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a file");
    const body = await readFile(file);
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    // Office caches add-in images itself and shows a default icon when the response has any
    // Cache-Control directive (manifest <Image>/<IconUrl> docs); everything else is no-store.
    res.writeHead(
      200,
      type.startsWith("image/")
        ? { "Content-Type": type }
        : { "Content-Type": type, "Cache-Control": "no-store" },
    );
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    if (path === "/config.json") {
      // No deployed config: local mode (dev users, API on this origin), said without a 404.
      res.writeHead(200, { "Content-Type": TYPES[".json"], "Cache-Control": "no-store" }).end("{}");
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end(`Not found: ${path}`);
  }
}

const OFFICE_JS_PATH = "/office-js/";

/** Start the server; resolves once it listens. */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const root = resolve(opts.root);
  const csp = contentSecurityPolicy([
    ...connectOrigins(configuredTargets(root)),
    ...(opts.connectSources ?? []),
  ]);
  const officeJs = opts.officeJsDir && resolve(opts.officeJsDir);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? "/").split("?")[0];
    if ((req.url ?? "").startsWith("/v1/") || req.url === "/v1") proxy(req, res, opts.apiUrl);
    // The bare address a newcomer types goes to the preview, the page that works in any browser.
    else if (path === "/") res.writeHead(302, { Location: "/preview.html" }).end();
    else if (officeJs && (req.url ?? "").startsWith(OFFICE_JS_PATH)) {
      req.url = (req.url ?? "").slice(OFFICE_JS_PATH.length - 1);
      void serveFile(req, res, officeJs, csp);
    } else if (req.method === "GET" || req.method === "HEAD") void serveFile(req, res, root, csp);
    else res.writeHead(405).end();
  };
  const server: Server = opts.tls
    ? createHttpsServer(opts.tls, handler)
    : createHttpServer(handler);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = opts.tls ? "https" : "http";
  const shownHost =
    host === "127.0.0.1" || host === "0.0.0.0" ? (opts.tls ? "localhost" : "127.0.0.1") : host;
  return {
    url: `${scheme}://${shownHost}:${port}`,
    stop: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
