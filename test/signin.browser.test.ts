/**
 * Sign-in end to end in a real browser (Debian's Chromium) against a real OpenID provider run in
 * this test: `oidc-provider` (OpenID-certified) with the pane as a public client, PKCE required,
 * rotating refresh tokens, 8-second ID tokens and its own login and consent pages, which the test
 * fills in. The pane is the preview page (a plain browser, no Office), so sign-in goes through the
 * popup + postMessage adapter; its endpoints come from the provider's discovery document. The
 * local API (DynamoDB Local) trusts the provider's tokens as the JWT authorizer trusts Cognito's.
 * The steps run in order, as one user's day. Screenshots go to test-output/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Configuration } from "oidc-provider";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../addin/api.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { buildFunctions } from "../scripts/build-functions.ts";
import { buildTaskpane } from "../scripts/build-taskpane.ts";
import { type DevServer, startDevServer } from "../scripts/dev-server.ts";
import { launchChromium } from "./browser.ts";

const SHOTS = "test-output/screenshots";
/** The real office.js (npm @microsoft/office-js), served by the dev server in place of the CDN. */
const OFFICE_JS = fileURLToPath(
  new URL("../node_modules/@microsoft/office-js/dist", import.meta.url),
);
const CLIENT_ID = "crm-pane";
/** Short enough that the pane refreshes (and the provider rotates) several times in the test. */
const ID_TOKEN_SECONDS = 8;
/** The lifetime of the tokens issued next: short for the refresh steps, long once they are done. */
let tokenSeconds = ID_TOKEN_SECONDS;

let oidcServer: Server;
let issuer: string;
let stack: LocalStack;
let server: DevServer;
let outDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let callbackUrl: string;
const problems: string[] = [];

/** What went to the provider's token endpoint and what came back, in order. */
const tokenCalls: { grant: string; sent: URLSearchParams; answer: Record<string, unknown> }[] = [];
/** The Authorization header and status of every API call the pane made. */
const apiCalls: { path: string; bearer: string; status: number }[] = [];
const authorizeRequests: URL[] = [];

/** The people the provider knows: the claims Cognito puts in its ID tokens. */
function account(id: string) {
  return {
    accountId: id,
    claims: () => ({
      sub: id,
      email: `${id}@acme.test`,
      email_verified: true,
      name: id,
      "custom:team": "acme",
      "cognito:groups": id === "li" ? ["managers"] : [],
    }),
  };
}

async function startProvider(devServerOrigin: string): Promise<Provider> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const configuration: Configuration = {
    clients: [
      {
        client_id: CLIENT_ID,
        // A browser app keeps no secret: a public client, held to PKCE instead (as on Cognito).
        token_endpoint_auth_method: "none",
        redirect_uris: [callbackUrl],
        post_logout_redirect_uris: [callbackUrl],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "test", alg: "RS256", use: "sig" }] },
    cookies: { keys: ["sign-in test only"] },
    findAccount: (_ctx, id) => account(id),
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "custom:team", "cognito:groups"],
    },
    // Cognito puts the profile claims in the ID token, which is the bearer token the API takes.
    conformIdTokenClaims: false,
    pkce: { methods: ["S256"], required: () => true },
    // Cognito issues a refresh token without the offline_access scope; so does this provider.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: () => tokenSeconds,
      IdToken: () => tokenSeconds,
      RefreshToken: 3600,
      Grant: 3600,
      Session: 3600,
      Interaction: 600,
      AuthorizationCode: 60,
    },
    clientBasedCORS: (_ctx, origin) => origin === devServerOrigin,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  };
  return new Provider(issuer, configuration);
}

async function status(): Promise<string> {
  return (await page.locator(".status .status-text").textContent()) ?? "";
}

async function statusStartingWith(prefix: string): Promise<string> {
  await page.waitForFunction(
    (p) => document.querySelector(".status .status-text")?.textContent?.startsWith(p),
    prefix,
    { timeout: 30_000 },
  );
  return status();
}

async function shot(name: string): Promise<void> {
  await page.locator("#pane").screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Press "Sign in" and return the popup the pane opens. */
async function openSignIn(): Promise<Page> {
  await page.click('.tab[data-page="signIn"]');
  const popup = page.waitForEvent("popup");
  await page.click("button.primary");
  return popup;
}

/** The provider's own pages in the popup: its login form if it asks, then consent if it asks. */
async function finishInteraction(popup: Page, login: string): Promise<void> {
  while (!popup.isClosed()) {
    const form = await popup
      .waitForSelector('input[name="login"], button[autofocus]', { timeout: 15_000 })
      .catch(() => null);
    if (!form || popup.isClosed()) return;
    if ((await form.getAttribute("name")) === "login") {
      await popup.fill('input[name="login"]', login);
      await popup.fill('input[name="password"]', "any password");
    }
    await Promise.all([
      popup.waitForEvent("framenavigated").catch(() => undefined),
      popup.click('button[type="submit"]'),
    ]);
  }
}

const refreshes = () => tokenCalls.filter((c) => c.grant === "refresh_token");
const idTokensFrom = (grant: string): unknown[] =>
  tokenCalls.filter((c) => c.grant === grant).map((c) => c.answer.id_token);

/** Press Pull and return the API call it made once its outcome shows. */
async function pull(): Promise<{ path: string; bearer: string; status: number }> {
  const before = apiCalls.length;
  await page.click('.tab[data-page="customers"]');
  await page.click("#pull");
  const pulled = () => apiCalls.slice(before).some((c) => c.path === "/v1/customers");
  // The preview's sample rows are unpushed: the first Pull asks before replacing them.
  const until = Date.now() + 30_000;
  while (!pulled() && Date.now() < until) {
    if (await page.locator("#pull-replace:not([disabled])").isVisible()) {
      await page.click("#pull-replace"); // once: the question stays drawn while the pull runs
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await waitFor(pulled, "a pull");
  return apiCalls.slice(before).find((c) => c.path === "/v1/customers") as (typeof apiCalls)[0];
}

async function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  oidcServer = createServer();
  await new Promise<void>((ok) => oidcServer.listen(0, "127.0.0.1", () => ok()));
  issuer = `http://127.0.0.1:${(oidcServer.address() as AddressInfo).port}`;
  outDir = mkdtempSync(join(tmpdir(), "crm-signin-"));
  await buildFunctions({ outDir });
  // auth-callback.html loads the real office.js: outside Office it reports no host, and the page
  // hands the code to the pane with postMessage instead of Office's messageParent.
  await buildTaskpane({ outDir, officeJsUrl: "office-js/office.js" });
  // What deploy writes for Cognito; here the issuer is the test's provider.
  writeFileSync(
    join(outDir, "config.json"),
    JSON.stringify({ auth: { issuer, clientId: CLIENT_ID } }),
  );
  stack = await startLocalStack({
    trust: { issuer, audience: CLIENT_ID, jwksUri: `${issuer}/jwks` },
  });
  server = await startDevServer({
    root: outDir,
    apiUrl: stack.url,
    port: 0,
    officeJsDir: OFFICE_JS,
    // The dev server sends CloudFront's Content-Security-Policy: the provider's origin is where
    // the pane fetches discovery and tokens (Cognito's hosted UI domain and issuer, in AWS).
    connectSources: [issuer],
  });
  callbackUrl = `${server.url}/auth-callback.html`;
  const provider = await startProvider(server.url);
  oidcServer.on("request", provider.callback());

  const seedToken = await stack.token("li", "acme", ["managers"]);
  await new ApiClient({ baseUrl: stack.url, token: () => seedToken }).batchWrite([
    {
      op: "put",
      id: "C-1",
      expectedVersion: 0,
      record: { id: "C-1", name: "上海华东贸易", revenue: 500_000, profit: 60_000 } as never,
    },
  ]);

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  // Nothing leaves this machine (the provider pages' web font, anything office.js fetches).
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  context.on("request", (req: Request) => {
    const url = new URL(req.url());
    if (url.origin === issuer && url.pathname === "/auth") authorizeRequests.push(url);
  });
  context.on("response", async (res) => {
    const req = res.request();
    const url = new URL(req.url());
    // Recorded before any await, so the calls stay in the order the responses came.
    if (
      url.origin === server.url &&
      url.pathname.startsWith("/v1/") &&
      req.method() !== "OPTIONS"
    ) {
      const bearer = req.headers().authorization ?? "";
      apiCalls.push({ path: url.pathname, bearer, status: res.status() });
    }
    if (url.origin === issuer && url.pathname === "/token" && req.method() === "POST") {
      const sent = new URLSearchParams(req.postData() ?? "");
      const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      tokenCalls.push({ grant: sent.get("grant_type") ?? "", sent, answer });
    }
  });
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${server.url}/preview.html`);
  await page.waitForSelector("body[data-ready=true]");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await stack?.stop();
  await new Promise<void>((ok) => (oidcServer ? oidcServer.close(() => ok()) : ok()));
  oidcServer?.closeAllConnections();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

// Steps wait for real token lifetimes (two refreshes take about 13 s), on a busy machine.
describe("sign-in against an OpenID provider, in a browser without Office", {
  timeout: 60_000,
}, () => {
  it("offers the provider's sign-in instead of the dev users", async () => {
    await page.waitForSelector("button.primary");
    await shot("signin-1-signed-out");
    expect([
      await page.locator("button.primary").textContent(),
      await page.locator("button[data-user]").count(),
    ]).toEqual(["Sign in with your account", 0]);
  });

  it("ignores a callback message from a page that is not its own", async () => {
    const popup = await openSignIn();
    await popup.waitForSelector('input[name="login"]');
    // The popup is on the provider's origin now: a forged "code" from there must not count.
    await popup.evaluate(
      (url) => window.opener.postMessage({ type: "crm-auth-callback", url }, "*"),
      `${callbackUrl}?code=forged&state=forged`,
    );
    await page.waitForTimeout(300);
    expect([await page.locator(".status").count(), popup.isClosed()]).toEqual([0, false]);
    await finishInteraction(popup, "li");
    await statusStartingWith("Signed in");
  });

  it("signs in with an authorization code and PKCE through the popup", async () => {
    const [authorize] = authorizeRequests;
    const exchange = tokenCalls.find((c) => c.grant === "authorization_code");
    expect([
      await status(),
      authorize?.searchParams.get("code_challenge_method"),
      authorize?.searchParams.get("client_id"),
      exchange?.sent.get("code_verifier")?.length,
      typeof exchange?.answer.refresh_token,
    ]).toEqual(["Signed in as li@acme.test (team acme).", "S256", CLIENT_ID, 43, "string"]);
    await shot("signin-2-signed-in");
  });

  it("is refused by the provider without a PKCE challenge", async () => {
    const url = new URL(`${issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: "code",
      scope: "openid",
      redirect_uri: callbackUrl,
    }).toString();
    const res = await fetch(url, { redirect: "manual" });
    const back = new URL(res.headers.get("location") ?? "", issuer);
    expect(back.searchParams.get("error_description")).toMatch(/requires PKCE/);
  });

  it("sends the provider's ID token on its API calls", async () => {
    const call = await pull();
    const text = await statusStartingWith("Pulled");
    const issued = [...idTokensFrom("authorization_code"), ...idTokensFrom("refresh_token")];
    expect([text, call.status, issued.map((t) => `Bearer ${t}`).includes(call.bearer)]).toEqual([
      "Pulled 1 customers into the Customers table.",
      200,
      true,
    ]);
  });

  it("refreshes the token before it expires, sending each rotated refresh token once", async () => {
    await waitFor(() => refreshes().length >= 2, "two refreshes");
    const [first, second] = refreshes();
    const firstIssued = tokenCalls.find((c) => c.grant === "authorization_code")?.answer
      .refresh_token;
    expect([
      first?.sent.get("refresh_token") === firstIssued,
      first?.answer.refresh_token !== firstIssued,
      second?.sent.get("refresh_token") === first?.answer.refresh_token,
    ]).toEqual([true, true, true]);
  });

  it("keeps working on the refreshed token", async () => {
    const call = await pull();
    const refreshed = idTokensFrom("refresh_token").map((t) => `Bearer ${t}`);
    expect([call.status, refreshed.includes(call.bearer)]).toEqual([200, true]);
  });

  it("has the provider refuse a refresh token that was rotated out", async () => {
    const rotatedOut = refreshes()[0]?.sent.get("refresh_token") ?? "";
    const res = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: CLIENT_ID,
        refresh_token: rotatedOut,
      }),
    });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([
      400,
      "invalid_grant",
    ]);
  });

  it("says the sign-in expired when the provider refuses the next refresh", async () => {
    // Reusing a rotated-out token revoked the whole grant (reuse detection), so the pane's next
    // refresh is refused: it signs out and says so, and nothing in the workbook is lost.
    const text = await statusStartingWith("Your sign-in expired");
    await shot("signin-3-expired");
    expect([text, await page.locator(".who").count()]).toEqual([
      "Your sign-in expired. Sign in again; nothing in the workbook was lost.",
      0,
    ]);
  });

  it("signs in again", async () => {
    const popup = await openSignIn();
    await finishInteraction(popup, "li");
    expect(await statusStartingWith("Signed in")).toBe("Signed in as li@acme.test (team acme).");
  });

  it("refreshes and retries once when the API refuses an expired token", async () => {
    // As after a laptop slept past the token's expiry: the pane still holds an expired token.
    const expired = tokenCalls.find((c) => c.grant === "authorization_code")?.answer.id_token;
    const before = apiCalls.length;
    await page.click('.tab[data-page="customers"]');
    await page.waitForSelector("#pull:not([disabled])");
    // After a refresh that gave a long-lived token, so the pane's own timer (every 6.4 s with
    // 8-second tokens) cannot renew the token before the pull sends it, however slow the machine.
    tokenSeconds = 600;
    // A refresh already on its way may still answer with an 8-second token: wait for a long one.
    await waitFor(
      () => refreshes().some((c) => c.answer.expires_in === tokenSeconds),
      "a refresh with a long-lived token",
    );
    await page.waitForFunction(
      (rotated) =>
        (
          globalThis as unknown as {
            crmPreview: { session: { get(): { refreshToken?: string } | null } };
          }
        ).crmPreview.session.get()?.refreshToken === rotated,
      refreshes().find((c) => c.answer.expires_in === tokenSeconds)?.answer.refresh_token,
    );
    await page.evaluate((token) => {
      const { session } = (
        globalThis as unknown as {
          crmPreview: { session: { get(): object; set(s: object): void } };
        }
      ).crmPreview;
      session.set({ ...session.get(), token });
      document.querySelector<HTMLButtonElement>("#pull")?.click();
    }, expired);
    // Pull's calls only: the response of the sign-in's policy load may be reported this late.
    const pulls = () => apiCalls.slice(before).filter((c) => c.path === "/v1/customers");
    await waitFor(() => pulls().some((c) => c.status === 200), "the retried pull");
    expect(pulls().map((c) => [c.status, c.bearer === `Bearer ${expired}`])).toEqual([
      [401, true],
      [200, false],
    ]);
  });

  it("signs out of the pane and of the provider", async () => {
    await page.click('.tab[data-page="signIn"]');
    const popup = page.waitForEvent("popup");
    await page.click("button.secondary:not([data-user])");
    const logout = await popup;
    await logout.click('button[name="logout"]');
    await logout.waitForEvent("close");
    const text = await statusStartingWith("Signed out");
    // The provider's session is gone too: signing in asks for the password again.
    const again = await openSignIn();
    const asksLogin = await again.waitForSelector('input[name="login"]').then(() => true);
    await again.close();
    expect([text, asksLogin, await statusStartingWith("The sign-in window was closed")]).toEqual([
      "Signed out. Cell functions that read team data now show “Sign in from the CRM task pane”.",
      true,
      "The sign-in window was closed before sign-in finished. Press Sign in to try again.",
    ]);
  });

  it("says the same in Chinese", async () => {
    await page.evaluate(() =>
      (
        globalThis as unknown as { crmPreview: { session: { setLanguage(l: string): void } } }
      ).crmPreview.session.setLanguage("zh-CN"),
    );
    const popup = await openSignIn();
    await popup.close();
    const text = await statusStartingWith("登录窗口");
    await shot("signin-4-zh");
    expect([text, await page.locator("button.primary").textContent()]).toEqual([
      "登录窗口在登录完成前被关闭。请再按“登录”重试。",
      "用您的账号登录",
    ]);
  });

  it("raised no page errors", () => {
    expect(problems).toEqual([]);
  });
});
