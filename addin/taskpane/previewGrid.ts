/** The preview's picture of the in-memory workbook: sheet tabs, a grid, and its charts as SVG. */

import { columnLetters } from "../workbook/formula.ts";
import type { MemoryWorkbook } from "../workbook/memory.ts";
import { formatted } from "../workbook/numberFormat.ts";
import type { CellValue, ChartSpec } from "../workbook/port.ts";
import { h } from "./dom.ts";

/** Rows drawn per sheet: a grid of 10,000 rows would only slow the page down. */
const MAX_ROWS = 200;
let shown: string | null = null;
let scheduled = false;

function text(v: CellValue): string {
  if (typeof v === "number")
    return Number.isInteger(v)
      ? v.toLocaleString("en")
      : v.toLocaleString("en", { maximumFractionDigits: 4 });
  return v === null ? "" : String(v);
}

function svgChart(spec: ChartSpec, data: CellValue[][]): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const W = 340;
  const H = 200;
  const pad = 40;
  const valueText = (v: number): string => formatted(v, spec.axes.valueFormat) ?? text(v);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", String(W));
  svg.setAttribute("height", String(H));
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("data-type", spec.type);
  const points = data
    .slice(1)
    .map((r) => ({ label: text(r[0] ?? ""), y: typeof r[1] === "number" ? r[1] : 0 }));
  const max = Math.max(1e-9, ...points.map((p) => p.y));
  const x = (i: number): number =>
    pad + (i * (W - 2 * pad)) / Math.max(1, points.length - (spec.type === "line" ? 1 : 0));
  const y = (v: number): number => H - pad - (v / max) * (H - 2 * pad);
  const el = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    svg.appendChild(e);
    return e;
  };
  el("line", { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, stroke: "#c8c8c8" });
  el("line", { x1: pad, y1: pad, x2: pad, y2: H - pad, stroke: "#c8c8c8" });
  for (const v of [0, max]) {
    el("text", { x: pad - 4, y: y(v) + 4, "text-anchor": "end", "font-size": 10 }).textContent =
      valueText(v);
  }
  el("text", {
    class: "axis-title category",
    x: W / 2,
    y: H - 6,
    "text-anchor": "middle",
    "font-size": 11,
  }).textContent = spec.axes.category;
  el("text", {
    class: "axis-title value",
    x: 12,
    y: H / 2,
    "text-anchor": "middle",
    "font-size": 11,
    transform: `rotate(-90 12 ${H / 2})`,
  }).textContent = spec.axes.value;
  if (spec.type === "scatter") {
    // x from the first column, on a numeric axis from 0 to its largest value.
    const xs = data.slice(1).map((r) => (typeof r[0] === "number" ? r[0] : 0));
    const maxX = Math.max(1e-9, ...xs);
    points.forEach((p, i) => {
      el("circle", {
        cx: pad + ((xs[i] ?? 0) / maxX) * (W - 2 * pad),
        cy: y(p.y),
        r: 3,
        fill: "#0f6cbd",
        "fill-opacity": 0.6,
      });
    });
  } else if (spec.type === "line") {
    el("polyline", {
      points: points.map((p, i) => `${x(i)},${y(p.y)}`).join(" "),
      fill: "none",
      stroke: "#0f6cbd",
      "stroke-width": 2,
    });
  } else {
    const bw = (W - 2 * pad) / Math.max(1, points.length) - 8;
    points.forEach((p, i) => {
      el("rect", { x: x(i) + 4, y: y(p.y), width: bw, height: H - pad - y(p.y), fill: "#0f6cbd" });
      el("text", {
        x: x(i) + 4 + bw / 2,
        y: H - pad + 14,
        "text-anchor": "middle",
        "font-size": 11,
      }).textContent = p.label;
      el("text", {
        x: x(i) + 4 + bw / 2,
        y: y(p.y) - 4,
        "text-anchor": "middle",
        "font-size": 11,
      }).textContent = valueText(p.y);
    });
  }
  return svg;
}

async function draw(root: HTMLElement, wb: MemoryWorkbook): Promise<void> {
  const sheets = wb.sheetNames();
  if (!shown || !sheets.includes(shown)) shown = wb.activeSheet ?? sheets[0] ?? null;
  const sheet = shown;
  const tabs = h(
    "div",
    { class: "sheet-tabs", role: "tablist" },
    sheets.map((s) =>
      h(
        "button",
        {
          role: "tab",
          "data-sheet": s,
          "aria-selected": String(s === sheet),
          onclick: () => {
            shown = s;
            renderWorkbook(root, wb);
          },
        },
        s,
      ),
    ),
  );
  if (!sheet) {
    root.replaceChildren(h("div", { class: "sheet-area" }), tabs);
    return;
  }
  const dump = wb.dump(sheet);
  const tables = await wb.tables();
  const headerCells = new Set<string>();
  for (const t of tables.filter((x) => x.sheet === sheet)) {
    for (let c = 0; c < t.headers.length; c++) headerCells.add(`${t.row},${t.col + c}`);
  }
  const cols = dump.values[0]?.length ?? 0;
  const rows = dump.values.slice(0, MAX_ROWS);
  const grid = h(
    "table",
    { class: "grid", "data-sheet": sheet },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", null, ""),
        Array.from({ length: cols }, (_, c) => h("th", null, columnLetters(c))),
      ),
    ),
    h(
      "tbody",
      null,
      rows.map((line, r) =>
        h(
          "tr",
          null,
          h("th", null, String(r + 1)),
          line.map((v, c) => {
            const formula = dump.formulas[r]?.[c] ?? null;
            const colour = wb.colourAt(sheet, r, c);
            const isError = typeof v === "string" && v.startsWith("#");
            const classes = [
              typeof v === "number" ? "num" : "",
              formula ? "formula" : "",
              headerCells.has(`${r},${c}`) ? "header" : "",
              isError ? "error" : "",
            ]
              .filter(Boolean)
              .join(" ");
            const title = formula
              ? `${formula}${isError ? ` — ${wb.messageAt(sheet, r, c)}` : ""}`
              : text(v);
            const shown = formatted(v, wb.formatAt(sheet, r, c)) ?? text(v);
            const cell = h(
              "td",
              { class: classes || null, title, "data-cell": `${columnLetters(c)}${r + 1}` },
              shown,
            );
            // Through the CSSOM: the Content-Security-Policy (style-src 'self') refuses a
            // style attribute, as it would in Excel.
            if (colour) Object.assign(cell.style, { background: colour.fill, color: colour.font });
            return cell;
          }),
        ),
      ),
    ),
  );
  const more =
    dump.values.length > MAX_ROWS
      ? h("div", { class: "more" }, `… ${dump.values.length - MAX_ROWS} more rows`)
      : null;
  const charts = await Promise.all(
    wb.charts
      .filter((c) => c.sheet === sheet)
      .map(async (c) =>
        h(
          "figure",
          { class: "chart", "data-title": c.title },
          h("h4", null, c.title),
          svgChart(c, await wb.readValues(c.data)),
        ),
      ),
  );
  root.replaceChildren(
    h(
      "div",
      { class: "sheet-area" },
      charts.length ? h("div", { class: "charts" }, charts) : null,
      grid,
      more,
    ),
    tabs,
  );
}

/** Draw the workbook into `root`, now and after every change (at most once a frame). */
export function renderWorkbook(root: HTMLElement, wb: MemoryWorkbook): void {
  if (!root.dataset.bound) {
    root.dataset.bound = "true";
    wb.onChange(() => renderWorkbook(root, wb));
  }
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    draw(root, wb).catch((error: unknown) => console.error(error));
  });
}
