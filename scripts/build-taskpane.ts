/**
 * The task pane part of `npm run build`: taskpane.js/.css (the pane in Excel), preview.js/.css
 * (the pane over the in-memory workbook), auth-callback.js and the three HTML pages. Prints the
 * pane's JS + CSS gzipped size against its 150 KB budget.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { paneText } from "../addin/taskpane/i18n/index.ts";

/** Microsoft's CDN copy of office.js: Office requires add-ins to load it from there. */
export const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const BUDGET_BYTES = 150 * 1024;

function page(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="assets/icon-32.png">
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/** The pane's pages and bundles into `outDir`; returns the pane's gzipped JS + CSS bytes. */
export async function buildTaskpane(opts: {
  outDir: string;
  /** Where the pages load office.js from: the CDN, except in tests (the npm copy). */
  officeJsUrl?: string;
}): Promise<number> {
  const { outDir } = opts;
  const officeJs = opts.officeJsUrl ?? OFFICE_JS_CDN;
  mkdirSync(outDir, { recursive: true });
  const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
  await build({
    entryPoints: {
      taskpane: "addin/taskpane/main.ts",
      preview: "addin/taskpane/preview.ts",
      "auth-callback": "addin/auth/callback.ts",
    },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2022", "chrome100", "safari15"],
    charset: "utf8",
    define: { __PANE_VERSION__: JSON.stringify(version) },
    logLevel: "warning",
  });
  await build({
    entryPoints: { taskpane: "addin/taskpane/taskpane.css", preview: "addin/taskpane/preview.css" },
    outdir: outDir,
    bundle: true,
    minify: true,
    logLevel: "warning",
  });
  const css = `<link rel="stylesheet" href="taskpane.css">`;
  const starting = `${paneText("en", "hostStarting")} · ${paneText("zh-CN", "hostStarting")}`;
  writeFileSync(
    join(outDir, "taskpane.html"),
    page(
      "CRM Credit",
      `<script src="${officeJs}"></script>\n<script src="functions.js"></script>\n${css}`,
      // Shown until taskpane.js replaces it (with the pane, or with what is wrong).
      `<div id="pane"><p class="host-starting">${starting}</p></div>\n<script src="taskpane.js"></script>`,
    ),
  );
  writeFileSync(
    join(outDir, "preview.html"),
    page(
      "CRM Credit: preview",
      `${css}\n<link rel="stylesheet" href="preview.css">`,
      `<div id="pane"></div>\n<div id="workbook"></div>\n<script src="preview.js"></script>`,
    ).replace("<body>", `<body class="preview">`),
  );
  writeFileSync(
    join(outDir, "auth-callback.html"),
    page(
      "Signing in…",
      `<script src="${officeJs}"></script>`,
      `<p>Signing in…</p>\n<script src="auth-callback.js"></script>`,
    ),
  );
  const gzipped = ["taskpane.js", "taskpane.css"]
    .map((f) => gzipSync(readFileSync(join(outDir, f))).length)
    .reduce((a, b) => a + b, 0);
  const kb = (gzipped / 1024).toFixed(1);
  console.log(`task pane JS + CSS: ${kb} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
  if (gzipped > BUDGET_BYTES)
    throw new Error(`task pane is ${kb} KB gzipped, over the 150 KB budget`);
  return gzipped;
}
