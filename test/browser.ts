/**
 * The browser tests' one way to start Debian's Chromium (never a downloaded browser) and to
 * hear of Content-Security-Policy violations on a page.
 */
import { type Browser, chromium, type Page } from "playwright-core";

/** Headless, and quiet on this machine's closed network (no background or update requests). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Every policy violation on `page` (this page and later navigations) lands in `violations`. */
export async function recordPolicyViolations(page: Page, violations: string[]): Promise<void> {
  await page.exposeFunction("crmPolicyViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (globalThis as unknown as { crmPolicyViolation(v: string): void })
        .crmPolicyViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile})`);
    });
  });
}
