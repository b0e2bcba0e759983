import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "../infra/content-security-policy.ts";
import { type DevServer, startDevServer } from "./dev-server.ts";

let root: string;
let api: Server;
let server: DevServer;
let seen: { method: string; url: string; auth: string; body: string }[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "crm-dev-"));
  mkdirSync(join(root, "assets"));
  writeFileSync(join(root, "taskpane.html"), "<p>pane</p>");
  writeFileSync(join(root, "assets", "icon-16.png"), "png");
  api = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        auth: req.headers.authorization ?? "",
        body,
      });
      res
        .writeHead(409, { "Content-Type": "application/json", ETag: '"7"' })
        .end('{"error":{"code":"version_conflict"}}');
    });
  });
  await new Promise<void>((ok) => api.listen(0, "127.0.0.1", ok));
  const port = (api.address() as AddressInfo).port;
  server = await startDevServer({ root, apiUrl: `http://127.0.0.1:${port}`, port: 0 });
});

afterAll(async () => {
  await server?.stop();
  await new Promise((ok) => api?.close(ok));
  rmSync(root, { recursive: true, force: true });
});

describe("the dev server", () => {
  it("serves a page with its content type", async () => {
    const res = await fetch(`${server.url}/taskpane.html`);
    expect([res.status, res.headers.get("content-type"), await res.text()]).toEqual([
      200,
      "text/html; charset=utf-8",
      "<p>pane</p>",
    ]);
  });

  it("serves files in folders", async () => {
    const res = await fetch(`${server.url}/assets/icon-16.png`);
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "image/png"]);
  });

  it("sends the bare address to the preview page", async () => {
    const res = await fetch(`${server.url}/`, { redirect: "manual" });
    expect([res.status, res.headers.get("location")]).toEqual([302, "/preview.html"]);
  });

  // Office shows a default icon instead of one sent with a Cache-Control directive.
  it("serves icons without Cache-Control and pages with no-store", async () => {
    const icon = await fetch(`${server.url}/assets/icon-16.png`);
    const pane = await fetch(`${server.url}/taskpane.html`);
    expect([icon.headers.get("cache-control"), pane.headers.get("cache-control")]).toEqual([
      null,
      "no-store",
    ]);
  });

  it("serves a given office.js folder at /office-js/ and nothing outside it", async () => {
    const office = mkdtempSync(join(tmpdir(), "crm-office-js-"));
    writeFileSync(join(office, "office.js"), "var Office = {};");
    const withOffice = await startDevServer({
      root,
      apiUrl: "http://127.0.0.1:9",
      officeJsDir: office,
    });
    const js = await fetch(`${withOffice.url}/office-js/office.js`);
    const outside = await fetch(`${withOffice.url}/office-js/..%2ftaskpane.html`);
    const body = await js.text();
    await withOffice.stop();
    rmSync(office, { recursive: true, force: true });
    expect([js.status, js.headers.get("content-type"), body, outside.status]).toEqual([
      200,
      "text/javascript; charset=utf-8",
      "var Office = {};",
      403,
    ]);
  });

  it("answers a missing file with 404", async () => {
    expect((await fetch(`${server.url}/nope.js`)).status).toBe(404);
  });

  it("never serves a file outside its folder", async () => {
    const res = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
    expect(res.status).toBe(403);
  });

  it("answers config.json with local mode when no deployed config exists", async () => {
    expect(await (await fetch(`${server.url}/config.json`)).json()).toEqual({});
  });

  it("proxies /v1 with method, path, headers and body, and passes the answer back", async () => {
    seen = [];
    const res = await fetch(`${server.url}/v1/customers/C-1?x=1`, {
      method: "PUT",
      headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
      body: '{"id":"C-1"}',
    });
    expect([res.status, res.headers.get("etag"), seen]).toEqual([
      409,
      '"7"',
      [{ method: "PUT", url: "/v1/customers/C-1?x=1", auth: "Bearer t", body: '{"id":"C-1"}' }],
    ]);
  });

  it("says how to start the API when it is down", async () => {
    const lonely = await startDevServer({ root, apiUrl: "http://127.0.0.1:9", port: 0 });
    const res = await fetch(`${lonely.url}/v1/health`);
    const body = (await res.json()) as { error: { message: string } };
    await lonely.stop();
    expect([res.status, body.error.message]).toEqual([502, expect.stringContaining("npm run api")]);
  });

  it("sends the add-in's Content-Security-Policy with every file, as CloudFront does", async () => {
    const policies = await Promise.all(
      ["/taskpane.html", "/assets/icon-16.png", "/nope.js"].map(async (path) =>
        (await fetch(`${server.url}${path}`)).headers.get("content-security-policy"),
      ),
    );
    expect(policies).toEqual(Array(3).fill(contentSecurityPolicy([])));
  });

  it("lets the pages connect to the origins it is given, such as a local sign-in server", async () => {
    const signIn = "http://127.0.0.1:4000";
    const given = await startDevServer({
      root,
      apiUrl: "http://127.0.0.1:9",
      port: 0,
      connectSources: [signIn],
    });
    const policy = (await fetch(`${given.url}/taskpane.html`)).headers.get(
      "content-security-policy",
    );
    await given.stop();
    expect(policy).toBe(contentSecurityPolicy([signIn]));
  });

  it("lets the pages connect to the API and sign-in that config.json names", async () => {
    const deployed = mkdtempSync(join(tmpdir(), "crm-dev-config-"));
    writeFileSync(
      join(deployed, "config.json"),
      JSON.stringify({
        apiBase: "https://a1.execute-api.eu-west-1.amazonaws.com",
        auth: {
          domain: "acme.auth.eu-west-1.amazoncognito.com",
          clientId: "c",
          region: "eu-west-1",
        },
      }),
    );
    const configured = await startDevServer({
      root: deployed,
      apiUrl: "http://127.0.0.1:9",
      port: 0,
    });
    const policy = (await fetch(`${configured.url}/config.json`)).headers.get(
      "content-security-policy",
    );
    await configured.stop();
    rmSync(deployed, { recursive: true, force: true });
    expect(policy).toContain(
      "connect-src 'self' https://a1.execute-api.eu-west-1.amazonaws.com " +
        "https://acme.auth.eu-west-1.amazoncognito.com https://cognito-idp.eu-west-1.amazonaws.com;",
    );
  });
});
