/**
 * The add-in manifest: the checked-in one is the generated one for https://localhost:3000,
 * every URL it names is a file `npm run build` produced (the build itself writes no manifest:
 * it is the same wherever the add-in is served), and another base URL replaces the local one
 * everywhere. Run `npm run build` first (npm test does).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { manifestXml } from "../scripts/manifest.ts";

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Every URL the manifest points Office at (resource and setting values, not xmlns). */
function urlsIn(xml: string): string[] {
  return [...xml.matchAll(/\b(?:DefaultValue|Value)="(https?:\/\/[^"]+)"/g)].map(
    (m) => m[1] as string,
  );
}

/** Tags open and close in order (a small well-formedness check; no XML parser is installed). */
function tagsBalance(xml: string): boolean {
  const body = xml.replace(/<\?xml[^>]*\?>/, "").replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([\w:.]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name as string);
  }
  return stack.length === 0;
}

describe("manifest.xml", () => {
  it("at the repository top is the one generated for https://localhost:3000", () => {
    expect(readFileSync(repo("manifest.xml"), "utf8")).toBe(manifestXml("https://localhost:3000"));
  });

  it("names only files the build produced", () => {
    const base = "https://crm.example.com";
    const xml = manifestXml(base);
    const files = urlsIn(xml).filter((u) => u !== base);
    expect(files.length).toBeGreaterThan(5);
    for (const url of files) {
      expect(url.startsWith(`${base}/`), url).toBe(true);
      const file = url.slice(base.length + 1);
      expect(existsSync(repo(`dist/${file}`)), `dist/${file}`).toBe(true);
    }
  });

  it("declares one shared runtime for the task pane and the functions, namespace CRM", () => {
    const xml = manifestXml("https://localhost:3000");
    expect(xml).toContain('<Runtime resid="Taskpane.Url" lifetime="long"/>');
    expect(xml).toContain('<bt:String id="Functions.Namespace" DefaultValue="CRM"/>');
    expect(xml).toContain('<Set Name="SharedRuntime" MinVersion="1.1"/>');
    expect(xml).toContain(
      '<bt:Override Locale="zh-CN" Value="https://localhost:3000/functions.zh-CN.json"/>',
    );
  });

  // learn.microsoft.com/office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime
  // (add-in only manifest) and Microsoft's Excel-Custom-Functions-Shared template.
  describe("follows the shared-runtime guidance", () => {
    const xml = manifestXml("https://localhost:3000");
    const runtime =
      /<Host xsi:type="Workbook">\s*<Runtimes>\s*<Runtime resid="([^"]+)" lifetime="long"\/>\s*<\/Runtimes>/.exec(
        xml,
      )?.[1];

    it("puts one long-lived runtime first in the Workbook host", () => {
      expect(runtime).toBe("Taskpane.Url");
      expect(xml.match(/<Runtime\b/g)).toHaveLength(1);
    });

    it("loads the functions' page and the function file from the runtime's resid", () => {
      const page = /<Page>\s*<SourceLocation resid="([^"]+)"\/>/.exec(xml)?.[1];
      const functionFile = /<FunctionFile resid="([^"]+)"\/>/.exec(xml)?.[1];
      expect([page, functionFile]).toEqual([runtime, runtime]);
    });

    it("opens the one task pane from the ribbon in the same runtime, kept one by its TaskpaneId", () => {
      const actions = [...xml.matchAll(/<Action xsi:type="(\w+)">([\s\S]*?)<\/Action>/g)];
      expect(actions.map((a) => a[1])).toEqual(["ShowTaskpane"]);
      const body = actions[0]?.[2] ?? "";
      expect(/<SourceLocation resid="([^"]+)"\/>/.exec(body)?.[1]).toBe(runtime);
      expect(/<TaskpaneId>([^<]+)<\/TaskpaneId>/.exec(body)?.[1]).toBe("CRM.Pane");
    });

    it("requires the shared runtime and the custom functions runtime", () => {
      const sets = [...xml.matchAll(/<Set Name="(\w+)" MinVersion="([\d.]+)"\/>/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
      expect(sets).toEqual(["SharedRuntime 1.1", "CustomFunctionsRuntime 1.1"]);
    });
  });

  it("is well formed", () => {
    expect(tagsBalance(manifestXml("https://localhost:3000"))).toBe(true);
  });

  it("uses another base URL everywhere when asked", () => {
    const xml = manifestXml("https://crm.example.com/addin/");
    expect(xml).not.toContain("localhost");
    expect(urlsIn(xml).every((u) => u.startsWith("https://crm.example.com/addin"))).toBe(true);
    expect(xml).toContain("https://crm.example.com/addin/functions.js");
  });
});
