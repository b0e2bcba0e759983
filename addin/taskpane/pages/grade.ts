/** Grade: the wizard that writes live CRM.* formulas, colours and charts beside a table. */
import type { TableInfo, Workbook } from "../../workbook/port.ts";
import type { PaneContext, PaneView } from "../context.ts";
import { h } from "../dom.ts";
import {
  type GradeChoices,
  type GradeLabels,
  type GradeOutput,
  missingChoice,
  planGrading,
} from "../gradePlan.ts";
import type { PaneKey } from "../i18n/index.ts";

/** What the page holds between redraws; every user (after a sign-in or sign-out) starts afresh. */
interface GradeState {
  /** The workbook's tables when the page last looked. */
  tables: TableInfo[];
  /** The choices made, by field: `table`, the columns, `unitDays`, `out.<output>` ("1" = on). */
  form: Record<string, string>;
  /** This user's last run, so a language switch can re-label what it wrote. */
  lastRun: {
    table: TableInfo;
    choices: GradeChoices;
    grades: string[];
    currency: string;
  } | null;
}

const COLUMNS: readonly {
  field: keyof Omit<GradeChoices, "outputs">;
  key: PaneKey;
  guess: RegExp;
}[] = [
  { field: "value", key: "colValue", guess: /^(revenue|profit|value)$/i },
  { field: "recency", key: "colRecency", guess: /recen/i },
  { field: "frequency", key: "colFrequency", guess: /^(orderCount|frequency)$/i },
  { field: "monetary", key: "colMonetary", guess: /^(revenue|monetary)$/i },
  { field: "loyalty", key: "colLoyalty", guess: /loyal/i },
  { field: "factors", key: "colFactors", guess: /^character$/i },
  { field: "basis", key: "colBasis", guess: /basis|networth|net worth/i },
  { field: "repeatPurchases", key: "colRepeat", guess: /^(repeat\w*|frequency|x)$/i },
  { field: "firstToLast", key: "colFirstToLast", guess: /^(recency|t_x|firstToLast\w*)$/i },
  { field: "customerAge", key: "colCustomerAge", guess: /^(age\w*|T|customerAge|tenure)$/i },
  { field: "avgSpend", key: "colAvgSpend", guess: /^(avg\w*spend\w*|zbar|meanSpend)$/i },
];

const OUTPUTS: readonly { output: GradeOutput; key: PaneKey }[] = [
  { output: "abc", key: "outABC" },
  { output: "pareto", key: "outPareto" },
  { output: "rfm", key: "outRFM" },
  { output: "segment", key: "outSegment" },
  { output: "matrix", key: "outMatrix" },
  { output: "credit", key: "outCredit" },
  { output: "charts", key: "outCharts" },
  { output: "predicted", key: "outPredicted" },
];

/** Fill the form's blanks with guesses from the table's headers. */
function guess(form: GradeState["form"], table: TableInfo): void {
  for (const c of COLUMNS) {
    if (form[c.field] !== undefined && table.headers.includes(form[c.field] ?? "")) continue;
    form[c.field] =
      table.headers.find((x) => c.guess.test(x)) ??
      (c.field === "basis" ? (table.headers.find((x) => x === "revenue") ?? "") : "");
  }
  for (const o of OUTPUTS) {
    if (form[`out.${o.output}`] !== undefined) continue;
    const on =
      ["abc", "pareto", "charts"].includes(o.output) ||
      (o.output === "credit" && form.factors !== "") ||
      ((o.output === "rfm" || o.output === "segment") && form.recency !== "") ||
      (o.output === "matrix" && form.loyalty !== "") ||
      (o.output === "predicted" && form.customerAge !== "" && form.avgSpend !== "");
    form[`out.${o.output}`] = on ? "1" : "";
  }
}

/** Reload the workbook's tables when the page opens. */
async function enterGrade(pane: PaneContext, s: GradeState): Promise<void> {
  s.tables = await pane.workbook.tables();
  const { form } = s;
  const table = s.tables.find((t) => t.name === form.table) ?? s.tables[0];
  if (table) {
    form.table = table.name;
    guess(form, table);
  }
  pane.render();
}

function labels(pane: PaneContext): GradeLabels {
  const t = (k: PaneKey): string => pane.t(k);
  return {
    segment: t("outSegment"),
    matrix: t("outMatrix"),
    score: t("hdrScore"),
    grade: t("hdrGrade"),
    limit: t("hdrLimit"),
    term: t("hdrTerm"),
    rank: t("chartRank"),
    share: t("chartShare"),
    gradeAxis: t("chartGrade"),
    count: t("chartCount"),
    whale: t("chartWhale"),
    grades: t("chartGrades"),
    prediction: {
      bgnbd: t("predBgnbd"),
      gammaGamma: t("predGammaGamma"),
      unitDays: t("predUnitDays"),
      horizon: t("predHorizon"),
      discount: t("predDiscount"),
      alive: t("hdrAlive"),
      purchases: t("hdrPurchases"),
      value: t("hdrPredictedValue"),
      recency: t("chartRecency"),
      chart: t("chartAlive"),
    },
  };
}

async function runWizard(pane: PaneContext, s: GradeState): Promise<void> {
  const { form } = s;
  s.tables = await pane.workbook.tables();
  const table = s.tables.find((t) => t.name === form.table);
  if (!table) {
    pane.say("warning", pane.t("gradeNoTables"));
    return;
  }
  const choices: GradeChoices = {
    value: form.value ?? "",
    recency: form.recency ?? "",
    frequency: form.frequency ?? "",
    monetary: form.monetary ?? "",
    loyalty: form.loyalty ?? "",
    factors: form.factors ?? "",
    basis: form.basis ?? "",
    repeatPurchases: form.repeatPurchases ?? "",
    firstToLast: form.firstToLast ?? "",
    customerAge: form.customerAge ?? "",
    avgSpend: form.avgSpend ?? "",
    unitDays: form.unitDays === "7" ? 7 : 1,
    outputs: new Set(OUTPUTS.filter((o) => form[`out.${o.output}`] === "1").map((o) => o.output)),
  };
  const missing = missingChoice(table, choices);
  if (missing) {
    pane.say("warning", pane.t(missing));
    return;
  }
  const { policy } = pane.session.policy();
  const grades = policy.bands.map((b) => b.grade);
  const plan = planGrading(table, choices, labels(pane), grades, policy.currency);
  const wb = pane.workbook;
  for (const v of plan.values) await wb.writeValues(v.sheet, v.row, v.col, v.values);
  // Formulas in plan order, one call per run of the same sheet: the chart helpers read the
  // spills of the table's sheet, so those go first.
  let start = 0;
  while (start < plan.formulas.length) {
    const sheet = plan.formulas[start]?.sheet ?? "";
    let end = start;
    while (end < plan.formulas.length && plan.formulas[end]?.sheet === sheet) end++;
    await wb.writeFormulas(sheet, plan.formulas.slice(start, end));
    start = end;
  }
  for (const f of plan.formats) await wb.addConditionalFormat(f.area, f.rules);
  for (const f of plan.numberFormats) await wb.setNumberFormat(f.area, f.format);
  for (const c of plan.charts) await wb.addChart(c);
  s.lastRun = { table, choices, grades, currency: policy.currency };
  const predicted = choices.outputs.has("predicted");
  const charts =
    (plan.charts.length > (predicted ? 1 : 0) ? pane.t("gradeChartsDone") : "") +
    (predicted ? pane.t("gradePredictionDone") : "");
  pane.say("success", pane.t("gradeDone", { count: plan.columns, table: table.name, charts }));
}

/**
 * After a language switch: write the headers and charts of this user's last run again in the
 * new language. Returns false when there is nothing this page knows it wrote.
 */
async function relabel(pane: PaneContext, s: GradeState): Promise<boolean> {
  const { lastRun } = s;
  if (!lastRun) return false;
  const plan = planGrading(
    lastRun.table,
    lastRun.choices,
    labels(pane),
    lastRun.grades,
    lastRun.currency,
  );
  const wb = pane.workbook;
  for (const v of plan.values) await wb.writeValues(v.sheet, v.row, v.col, v.values);
  for (const c of plan.charts) await wb.addChart(c);
  return true;
}

/** Whether some table has results beside it (a run of an earlier session, maybe). */
export async function wroteBefore(wb: Workbook): Promise<boolean> {
  for (const t of await wb.tables()) {
    const at = { sheet: t.sheet, row: t.row, col: t.col + t.headers.length + 1, rows: 1, cols: 1 };
    const [[first] = []] = await wb.readValues(at).catch(() => []);
    if (first !== undefined && first !== "" && first !== null) return true;
  }
  return false;
}

function select(
  pane: PaneContext,
  s: GradeState,
  field: string,
  options: readonly string[],
  withNone: boolean,
): HTMLSelectElement {
  const { form } = s;
  return h(
    "select",
    {
      id: `grade-${field}`,
      "data-focus": `grade-${field}`,
      onchange: (e) => {
        form[field] = (e.target as HTMLSelectElement).value;
        if (field === "table") {
          const t = s.tables.find((x) => x.name === form.table);
          // Another table is another plan: its outputs are guessed from its own columns.
          for (const o of OUTPUTS) delete form[`out.${o.output}`];
          if (t) guess(form, t);
          pane.render();
        }
      },
    },
    withNone
      ? h("option", { value: "", selected: (form[field] ?? "") === "" }, pane.t("colNone"))
      : null,
    options.map((o) => h("option", { value: o, selected: form[field] === o }, o)),
  );
}

/** The Grade page; `relabel` is the language switch's (Settings). */
export interface GradePage extends PaneView {
  relabel(): Promise<boolean>;
}

/** The Grade page, nothing chosen or run yet; the workbook's tables are read when it opens. */
export function createGradePage(pane: PaneContext): GradePage {
  const s: GradeState = { tables: [], form: {}, lastRun: null };
  return {
    enter: () => enterGrade(pane, s),
    view: () => gradePage(pane, s),
    relabel: () => relabel(pane, s),
  };
}

function gradePage(pane: PaneContext, s: GradeState): Node {
  const { form } = s;
  const table = s.tables.find((t) => t.name === form.table);
  if (s.tables.length === 0 || !table) {
    return h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("gradeTitle")),
      h("p", { class: "hint" }, pane.t("gradeNoTables")),
      h(
        "button",
        {
          class: "secondary",
          onclick: () =>
            pane.run(
              () => enterGrade(pane, s),
              (r) => r,
            ),
        },
        pane.t("refresh"),
      ),
    );
  }
  const headers = table.headers.filter((x) => x !== "message" && x !== "version");
  return h(
    "section",
    { class: "card" },
    h("h2", null, pane.t("gradeTitle")),
    h("p", { class: "hint" }, pane.t("gradeHint")),
    h(
      "label",
      { class: "field" },
      h("span", null, pane.t("gradeTable")),
      select(
        pane,
        s,
        "table",
        s.tables.map((t) => t.name),
        false,
      ),
    ),
    COLUMNS.map((c) =>
      h(
        "label",
        { class: "field" },
        h("span", null, pane.t(c.key)),
        select(pane, s, c.field, headers, true),
      ),
    ),
    h(
      "label",
      { class: "field" },
      h("span", null, pane.t("gradeUnit")),
      h(
        "select",
        {
          id: "grade-unitDays",
          "data-focus": "grade-unitDays",
          onchange: (e) => {
            form.unitDays = (e.target as HTMLSelectElement).value;
          },
        },
        h("option", { value: "1", selected: form.unitDays !== "7" }, pane.t("unitDays")),
        h("option", { value: "7", selected: form.unitDays === "7" }, pane.t("unitWeeks")),
      ),
    ),
    h(
      "fieldset",
      { class: "outputs" },
      OUTPUTS.map((o) =>
        h(
          "label",
          { class: "check" },
          h("input", {
            type: "checkbox",
            id: `out-${o.output}`,
            checked: form[`out.${o.output}`] === "1",
            onchange: (e) => {
              form[`out.${o.output}`] = (e.target as HTMLInputElement).checked ? "1" : "";
            },
          }),
          h("span", null, pane.t(o.key)),
        ),
      ),
    ),
    h(
      "button",
      {
        class: "primary",
        id: "grade-run",
        disabled: pane.busy,
        onclick: () =>
          pane.run(
            () => runWizard(pane, s),
            (reason) => pane.t("gradeFailed", { reason }),
          ),
      },
      pane.t("gradeRun"),
    ),
  );
}
