/**
 * The task pane in a real browser: Debian's Chromium (never a downloaded one) on the preview
 * page, against the local API (DynamoDB Local). The steps run in order, as one user story:
 * sign in, pull, edit, push, conflicts both ways, the grading wizard, a credit request
 * approved by a manager, 中文. Screenshots go to test-output/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../addin/api.ts";
import { type LocalStack, startLocalStack } from "../functions/local/stack.ts";
import { contentSecurityPolicy } from "../infra/content-security-policy.ts";
import { buildFunctions } from "../scripts/build-functions.ts";
import { buildTaskpane } from "../scripts/build-taskpane.ts";
import { type DevServer, startDevServer } from "../scripts/dev-server.ts";

const SHOTS = "test-output/screenshots";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

let stack: LocalStack;
let server: DevServer;
let browser: Browser;
let page: Page;
let outDir: string;
let li: ApiClient;
const problems: string[] = [];
/** Content-Security-Policy violations the page reported (`securitypolicyviolation` events). */
const violations: string[] = [];
let servedPolicy: string | undefined;

type Cell = string | number | boolean | null;

/** The in-memory workbook's Customers table, as the page holds it. */
function customersTable(): Promise<{ headers: string[]; rows: Cell[][] }> {
  return page.evaluate(async () => {
    const w = (
      globalThis as unknown as {
        crmPreview: {
          workbook: { readTable(n: string): Promise<{ headers: string[]; rows: Cell[][] }> };
        };
      }
    ).crmPreview;
    return w.workbook.readTable("Customers");
  });
}

/** Type into a cell of the Customers table, as a user editing the sheet would. */
async function editCell(id: string, header: string, value: Cell): Promise<void> {
  const table = await customersTable();
  const row = table.rows.findIndex((r) => r[table.headers.indexOf("id")] === id);
  await page.evaluate(
    async ([row, header, value]) => {
      const w = (
        globalThis as unknown as {
          crmPreview: { workbook: { setTableCells(n: string, c: unknown[]): Promise<void> } };
        }
      ).crmPreview;
      await w.workbook.setTableCells("Customers", [{ row, header, value }]);
    },
    [row, header, value] as const,
  );
}

async function cellOf(id: string, header: string): Promise<Cell | undefined> {
  const table = await customersTable();
  return table.rows.find((r) => r[table.headers.indexOf("id")] === id)?.[
    table.headers.indexOf(header)
  ];
}

async function status(): Promise<string> {
  return (await page.locator(".status .status-text").textContent()) ?? "";
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Waits for this user's sign-in message: an earlier success message must not count. */
async function signedInAs(user: string): Promise<void> {
  await page.waitForFunction(
    (prefix) =>
      document.querySelector(".status.success .status-text")?.textContent?.startsWith(prefix),
    `Signed in as ${user} `,
  );
}

/** A screenshot of one element; the pane may draw it again meanwhile (data arriving): retry. */
async function shotOf(selector: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator(selector).screenshot({ path: join(SHOTS, `${name}.png`) });
      return;
    } catch (error) {
      if (attempt === 3 || !String(error).includes("not attached")) throw error;
    }
  }
}

/**
 * The credit page's explanation of customer `id` as the user reads it, with a screenshot of
 * its card at the task pane's width of 320 px.
 */
async function explanationAt320(
  id: string,
  name: string,
): Promise<{ summary: string; factors: string[]; points: string[]; gap: string }> {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.waitForSelector(`.explain-result[data-customer="${id}"]`);
  await shotOf(".explain-card", name);
  const explained = {
    summary: (await page.locator(".explain-summary").textContent()) ?? "",
    factors: await page.locator("table.explain tbody td:first-child").allTextContents(),
    points: await page
      .locator("table.explain tbody .points, table.explain tfoot .points")
      .allTextContents(),
    gap: (await page.locator(".explain-gap").textContent()) ?? "",
  };
  await page.setViewportSize({ width: 1280, height: 800 });
  return explained;
}

async function tab(pageName: string): Promise<void> {
  await page.click(`.tab[data-page="${pageName}"]`);
}

const seed = [
  {
    id: "C-1",
    name: "上海华东贸易",
    revenue: 500_000,
    profit: 60_000,
    orderCount: 30,
    creditFactors: { character: 90, capacity: 85, capital: 80, collateral: 70, conditions: 75 },
    creditLimit: 40_000,
    extra: { recencyDays: 12, loyalty: 80 },
  },
  {
    id: "C-2",
    name: "Northwind Traders",
    revenue: 300_000,
    profit: 20_000,
    orderCount: 12,
    creditFactors: { character: 70, capacity: 65, capital: 60, collateral: 50, conditions: 60 },
    creditLimit: 20_000,
    extra: { recencyDays: 40, loyalty: 60 },
  },
  {
    id: "C-3",
    name: "广州南方电子",
    revenue: 100_000,
    profit: -5_000,
    orderCount: 4,
    creditFactors: { character: 50, capacity: 45, capital: 40, collateral: 30, conditions: 50 },
    creditLimit: 10_000,
    extra: { recencyDays: 200, loyalty: 30 },
  },
  {
    id: "C-4",
    name: "Tailspin Toys",
    revenue: 20_000,
    profit: 1_000,
    orderCount: 2,
    creditFactors: { character: 40, capacity: 35, capital: 30, collateral: 20, conditions: 40 },
    creditLimit: 0,
    extra: { recencyDays: 300, loyalty: 20 },
  },
];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  outDir = mkdtempSync(join(tmpdir(), "crm-pane-"));
  await buildFunctions({ outDir, baseUrl: "http://127.0.0.1" });
  await buildTaskpane({ outDir, baseUrl: "http://127.0.0.1" });
  stack = await startLocalStack();
  server = await startDevServer({ root: outDir, apiUrl: stack.url, port: 0 });
  const liToken = await stack.token("li", "acme", ["managers"]);
  li = new ApiClient({ baseUrl: stack.url, token: () => liToken });
  await li.batchWrite(
    seed.map((record) => ({ op: "put" as const, id: record.id, expectedVersion: 0, record })),
  );
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.exposeFunction("crmPolicyViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (globalThis as unknown as { crmPolicyViolation(v: string): void })
        .crmPolicyViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile})`);
    });
  });
  const response = await page.goto(`${server.url}/preview.html`);
  servedPolicy = (await response?.allHeaders())?.["content-security-policy"];
  await page.waitForSelector("body[data-ready=true]");
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("the task pane on the preview page", () => {
  it("shows the sample customers in the in-memory workbook before anyone signs in", async () => {
    const table = await customersTable();
    expect(table.rows.length).toBe(12);
  });

  it("signs in as a staff member", async () => {
    await page.click('button[data-user="ana"]');
    await signedInAs("ana");
    await shot("1-signed-in");
    expect(await status()).toBe("Signed in as ana (team acme).");
  });

  it("pulls the team's customers into the Customers table", async () => {
    await tab("customers");
    await page.click("#pull");
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Pulled"),
    );
    await shot("2-pulled");
    expect([await status(), (await customersTable()).rows.length]).toEqual([
      "Pulled 4 customers into the Customers table.",
      4,
    ]);
  });

  it("pushes an edited row and the team's record changes", async () => {
    await editCell("C-4", "revenue", 25_000);
    await page.click("#push");
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Pushed"),
    );
    expect([await status(), (await li.getCustomer("C-4")).revenue]).toEqual([
      "Pushed 1 of 1 changes.",
      25_000,
    ]);
  });

  it("shows a teammate's conflicting edit side by side and keeps mine", async () => {
    const theirs = await li.getCustomer("C-1");
    await li.putCustomer(
      "C-1",
      { ...seed[0], name: "上海华东贸易", revenue: 510_000 } as never,
      theirs.version,
    );
    await editCell("C-1", "revenue", 520_000);
    await page.click("#push");
    await page.waitForSelector('.conflict[data-id="C-1"]');
    await shot("3-conflict");
    const sideBySide = await page
      .locator('.conflict[data-id="C-1"] tr.differs td')
      .allTextContents();
    await page.click('.conflict[data-id="C-1"] .keep-mine');
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Kept"),
    );
    expect([sideBySide, (await li.getCustomer("C-1")).revenue]).toEqual([
      ["520000", "510000"],
      520_000,
    ]);
  });

  it("takes the teammate's version and the row shows it", async () => {
    const theirs = await li.getCustomer("C-2");
    await li.putCustomer(
      "C-2",
      { ...seed[1], name: "Northwind Traders Ltd" } as never,
      theirs.version,
    );
    await editCell("C-2", "name", "Northwind (mine)");
    await page.click("#push");
    await page.waitForSelector('.conflict[data-id="C-2"]');
    await page.click('.conflict[data-id="C-2"] .take-theirs');
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Took"),
    );
    expect([await cellOf("C-2", "name"), (await li.getCustomer("C-2")).name]).toEqual([
      "Northwind Traders Ltd",
      "Northwind Traders Ltd",
    ]);
  });

  it("finds nothing more to push once the conflicts are resolved", async () => {
    await page.click("#push");
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Nothing"),
    );
    expect(await status()).toBe("Nothing to push: the table matches what you pulled.");
  });

  it("marks a row the API refuses with its message and keeps the edit", async () => {
    await editCell("C-3", "revenue", "lots");
    await page.click("#push");
    await page.waitForSelector(".refused li");
    const message = String(await cellOf("C-3", "message"));
    await editCell("C-3", "revenue", 100_000);
    expect(message).toMatch(/revenue/);
  });

  it("writes live CRM formulas, grade colours and two charts with the grading wizard", async () => {
    await tab("grade");
    await page.waitForSelector("#grade-run");
    await page.check("#out-rfm");
    await page.check("#out-segment");
    await page.check("#out-matrix");
    await page.click("#grade-run");
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Wrote"),
    );
    await page.evaluate(() => {
      const area = document.querySelector(".sheet-area");
      if (area) area.scrollLeft = area.scrollWidth;
    });
    await shot("4-graded");
    await page.click('.sheet-tabs button[data-sheet="CRM Charts"]');
    await page.waitForSelector("figure.chart svg");
    await shot("5-charts");
    const state = await page.evaluate(() => {
      const w = (
        globalThis as unknown as {
          crmPreview: {
            workbook: {
              dump(s: string): { values: Cell[][]; formulas: (string | null)[][] };
              charts: { title: string; type: string }[];
            };
          };
        }
      ).crmPreview.workbook;
      const dump = w.dump("Customers");
      const header = dump.values[0] ?? [];
      const at = header.indexOf("ABC");
      return {
        abcFormula: dump.formulas[1]?.[at],
        grades: dump.values.slice(1).map((r) => r[at]),
        formulas: dump.formulas[1]?.filter((f) => f !== null),
        charts: w.charts.map((c) => c.type),
      };
    });
    expect(state).toEqual({
      abcFormula: "=CRM.ABC(Customers[revenue])",
      grades: ["A", "A", "B", "C"],
      formulas: [
        "=CRM.ABC(Customers[revenue])",
        "=CRM.PARETO(Customers[revenue])",
        "=CRM.RFM(Customers[recencyDays],Customers[orderCount],Customers[revenue])",
        "=CRM.RFMSEGMENT(Customers[recencyDays],Customers[orderCount],Customers[revenue])",
        "=CRM.VALUEMATRIX(Customers[revenue],Customers[loyalty])",
        "=CRM.CREDITSCORE(Customers[[character]:[conditions]])",
        "=CRM.CREDITGRADE('Customers'!$AG$2#)",
        "=CRM.CREDITLIMIT('Customers'!$AG$2#,Customers[revenue])",
        "=CRM.CREDITTERM('Customers'!$AG$2#)",
      ],
      charts: ["line", "column"],
    });
  });

  it("sends a staff limit request that waits for a manager", async () => {
    await tab("credit");
    await page.fill("#request-customerId", "C-3");
    await page.fill("#request-newLimit", "50000");
    await page.fill("#request-reason", "新订单 new orders");
    await page.click("#request-send");
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Request for"),
    );
    await shot("6-credit-staff");
    expect(await status()).toBe("Request for C-3 sent; a credit manager will decide.");
  });

  it("lets a manager approve the request and the limit changes", async () => {
    await tab("signIn");
    await page.click('button[data-user="li"]');
    await signedInAs("li");
    await tab("credit");
    await page.waitForSelector('.queue .request[data-customer="C-3"] .approve');
    await shot("7-credit-manager");
    await page.click('.queue .request[data-customer="C-3"] .approve');
    await page.waitForFunction(() =>
      document.querySelector(".status-text")?.textContent?.startsWith("Approved"),
    );
    expect((await li.getCustomer("C-3")).creditLimit).toBe(50_000);
  });

  it("shows the customer's history with the approved limit", async () => {
    await page.fill("#history-id", "C-3");
    await page.click("#history-show");
    await page.waitForSelector("table.history tbody tr");
    const fields = await page.locator("table.history tbody tr td:nth-child(3)").allTextContents();
    expect(fields).toContain("creditLimit");
  });

  it("explains a customer's credit grade: points per 5C factor and the gap to the next grade", async () => {
    await page.fill("#explain-id", "C-1");
    await page.click("#explain-show");
    const explained = await explanationAt320("C-1", "7b-explain-en");
    // C-1's factors 90, 85, 80, 70, 75 under the default weights 25/25/20/15/15 %.
    expect(explained).toEqual({
      summary: "C-1 上海华东贸易: score 81.5, grade AA",
      factors: ["Character", "Capacity", "Capital", "Collateral", "Conditions"],
      points: ["22.5", "21.25", "16", "10.5", "11.25", "81.5"],
      gap: "Next grade AAA: 8.5 more points.",
    });
  });

  it("switches the pane to Chinese", async () => {
    await tab("settings");
    await page.selectOption("#language", "zh-CN");
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    await shot("8-settings-zh");
    await tab("customers");
    await shot("9-customers-zh");
    const tabs = await page.locator(".tab").allTextContents();
    expect(tabs).toEqual(["登录", "客户", "分级", "信用", "设置"]);
  });

  it("explains the credit grade in Chinese", async () => {
    // The page draws again once the policy and the requests are loaded: wait for that.
    const loaded = page.waitForResponse((r) => r.url().includes("/credit-requests"));
    await tab("credit");
    await loaded;
    const explained = await explanationAt320("C-1", "9b-explain-zh");
    expect(explained).toEqual({
      summary: "C-1 上海华东贸易：评分 81.5，等级 AA",
      factors: ["品德", "能力", "资本", "抵押", "条件"],
      points: ["22.5", "21.25", "16", "10.5", "11.25", "81.5"],
      gap: "上一等级 AAA：还差 8.5 分。",
    });
  });

  it("fits every page in the task pane's narrow width of 320 px", async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    const overflowing: string[] = [];
    for (const name of ["signIn", "customers", "grade", "credit", "settings"]) {
      await tab(name);
      const wide = await page.evaluate(() => {
        const pane = document.getElementById("pane");
        return pane ? pane.scrollWidth > pane.clientWidth : true;
      });
      if (wide) overflowing.push(name);
    }
    await tab("credit");
    await shot("10-narrow-credit-zh");
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(overflowing).toEqual([]);
  });

  it("signs out and says to sign in again when the API refuses the token", async () => {
    const before = problems.length;
    await page.evaluate(() => {
      const s = (
        globalThis as unknown as {
          crmPreview: { session: { get(): object | null; set(x: object): void } };
        }
      ).crmPreview.session;
      s.set({ ...s.get(), token: "expired" });
    });
    await tab("customers");
    await page.click("#pull");
    await page.waitForSelector('.tab[data-page="signIn"][aria-selected="true"]');
    // The browser logs the refused request itself; that one is expected here.
    const logged = problems.splice(before);
    expect([await status(), logged.every((m) => m.includes("401"))]).toEqual([
      "登录已过期。请重新登录；工作簿中的内容没有丢失。",
      true,
    ]);
  });

  it("runs under the Content-Security-Policy CloudFront sends", () => {
    expect(servedPolicy).toBe(contentSecurityPolicy([]));
  });

  it("notices when the page breaks the policy, so the check below can fail", async () => {
    const [problemsBefore, violationsBefore] = [problems.length, violations.length];
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "document.body.dataset.injected = 'ran';";
      document.body.append(script);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(violationsBefore);
    const caught = violations.splice(violationsBefore);
    problems.splice(problemsBefore);
    expect([caught[0], await page.evaluate(() => document.body.dataset.injected)]).toEqual([
      expect.stringMatching(/^script-src-elem blocked inline/),
      undefined,
    ]);
  });

  it("logged no console errors and broke no Content-Security-Policy directive", () => {
    expect({ problems, violations }).toEqual({ problems: [], violations: [] });
  });
});
