/**
 * taskpane.html in Debian's Chromium with the REAL office.js: the npm package
 * @microsoft/office-js, served by the dev server at /office-js/ in place of Microsoft's CDN
 * (out of this machine's reach). Outside Office the library loads, `Office.onReady` reports
 * no host, and the pane says to open it in Excel; with office.js blocked, it says that.
 * Both in English and Chinese, at the task pane's 320 px. Screenshots in
 * test-output/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFunctions } from "../scripts/build-functions.ts";
import { buildTaskpane } from "../scripts/build-taskpane.ts";
import { type DevServer, startDevServer } from "../scripts/dev-server.ts";
import { launchChromium, recordPolicyViolations } from "./browser.ts";

const SHOTS = "test-output/screenshots";
const OFFICE_JS = fileURLToPath(
  new URL("../node_modules/@microsoft/office-js/dist", import.meta.url),
);

let server: DevServer;
let browser: Browser;
let outDir: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  outDir = mkdtempSync(join(tmpdir(), "crm-office-"));
  await buildFunctions({ outDir });
  await buildTaskpane({ outDir, officeJsUrl: "office-js/office.js" });
  server = await startDevServer({
    root: outDir,
    apiUrl: "http://127.0.0.1:9",
    port: 0,
    officeJsDir: OFFICE_JS,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Scripts the page loaded from the dev server, by path. */
  scripts: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** What the Content-Security-Policy (the one CloudFront sends) refused. */
  violations: string[];
}

/** The pane at task-pane width; office.js aborted when `blockOfficeJs`. */
async function openPane(locale: string, blockOfficeJs = false): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 320, height: 480 }, locale });
  const scripts: string[] = [];
  const errors: string[] = [];
  const violations: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await recordPolicyViolations(page, violations);
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.origin === server.url && r.ok() && url.pathname.endsWith(".js")) {
      scripts.push(url.pathname);
    }
  });
  // office.js's telemetry frame is on the internet; outside these tests' reach either way.
  await page.route(/oaspapps\.com/, (route) => route.fulfill({ status: 204, body: "" }));
  if (blockOfficeJs) await page.route(/\/office\.js$/, (route) => route.abort("blockedbyclient"));
  await page.goto(`${server.url}/taskpane.html`);
  await page.waitForSelector(".host-problem");
  return { page, scripts, errors, violations };
}

async function problem(page: Page): Promise<{ kind: string | null; text: string }> {
  const view = page.locator(".host-problem");
  return {
    kind: await view.getAttribute("data-problem"),
    text: (await view.locator(".status-text").textContent()) ?? "",
  };
}

describe("the task pane with the real office.js outside Office", () => {
  it("loads office.js from the npm package and learns from Office.onReady that no host is there", async () => {
    const { page, scripts, errors } = await openPane("en-US");
    const ready = await page.evaluate(async () => {
      const info = await Office.onReady();
      return { host: info.host, excel: Office.HostType.Excel };
    });
    await page.close();
    expect([scripts.includes("/office-js/office.js"), ready, errors]).toEqual([
      true,
      { host: null, excel: "Excel" },
      [],
    ]);
  });

  it("runs office.js and the pane under the add-in's Content-Security-Policy", async () => {
    const { page, violations } = await openPane("en-US");
    await page.evaluate(() => Office.onReady());
    await page.waitForLoadState("networkidle");
    await page.close();
    expect(violations).toEqual([]);
  });

  it("says, in English, to open the pane in Excel and links the preview page", async () => {
    const { page } = await openPane("en-US");
    await page.screenshot({ path: join(SHOTS, "office-1-not-in-excel-en.png") });
    const shown = await problem(page);
    const link = await page.locator(".host-problem a").getAttribute("href");
    await page.close();
    expect([shown, link]).toEqual([
      {
        kind: "notInExcel",
        text: "This page is the CRM pane for Excel. Open it in Excel from Home › CRM pane; to try it in a browser, open the preview page.",
      },
      "preview.html",
    ]);
  });

  it("says it in Chinese when the browser's language is Chinese", async () => {
    const { page } = await openPane("zh-CN");
    await page.screenshot({ path: join(SHOTS, "office-2-not-in-excel-zh.png") });
    const shown = await problem(page);
    await page.close();
    expect(shown).toEqual({
      kind: "notInExcel",
      text: "此页面是 Excel 中的 CRM 任务窗格。请在 Excel 中从“开始 › CRM 窗格”打开；若要在浏览器中试用，请打开预览页面。",
    });
  });

  it("says Office.js did not load when it is blocked, instead of a blank page", async () => {
    const { page, errors } = await openPane("en-US", true);
    await page.screenshot({ path: join(SHOTS, "office-3-blocked-en.png") });
    const shown = await problem(page);
    await page.close();
    expect([shown.kind, shown.text, errors]).toEqual([
      "officeJsMissing",
      expect.stringMatching(/^Office\.js did not load, so this pane cannot reach Excel\./),
      [],
    ]);
  });

  it("says it in Chinese too", async () => {
    const { page } = await openPane("zh-CN", true);
    await page.screenshot({ path: join(SHOTS, "office-4-blocked-zh.png") });
    const shown = await problem(page);
    await page.close();
    expect(shown.text).toMatch(/^Office\.js 未能加载，任务窗格无法连接 Excel。/);
  });

  it("keeps the preview page working beside the real office.js", async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 480 } });
    await page.goto(`${server.url}/preview.html`);
    await page.waitForSelector("body[data-ready=true]");
    const tabs = await page.locator(".tab").count();
    await page.close();
    expect(tabs).toBeGreaterThan(3);
  });
});
