/** Credit: the team policy (managers edit, staff read), limit requests, the managers' queue, history. */

import type { HistoryEntry } from "../../../core/apiSchema.ts";
import { isCellError } from "../../../core/cells.ts";
import { explainCredit } from "../../../core/creditExplain.ts";
import { errorMessage } from "../../../core/messages/index.ts";
import { type CreditPolicy, FIVE_C } from "../../../core/policy.ts";
import {
  byFactor,
  type CreditRequest,
  type CustomerRecord,
  type PolicyDraft,
} from "../../../core/schema.ts";
import { fieldLabel } from "../apiErrors.ts";
import type { PaneContext, PaneView } from "../context.ts";
import { h } from "../dom.ts";
import { dateText, valueNode } from "../format.ts";
import type { PaneKey } from "../i18n/index.ts";

interface Draft {
  weights: Record<(typeof FIVE_C)[number], string>;
  bands: { grade: string; minScore: string; limitPct: string; termDays: string }[];
  limitRounding: string;
  maxLimit: string;
  staffRaiseLimit: string;
  currency: string;
}

/** What the page holds between redraws; every user (after a sign-in or sign-out) starts afresh. */
interface CreditState {
  draft: Draft | null;
  draftVersion: number;
  requests: CreditRequest[];
  history: { id: string; entries: HistoryEntry[] } | null;
  /** The customer whose credit grade is explained. */
  explained: CustomerRecord | null;
  /** What the user typed, by form (request, history, explain) and field. */
  forms: Record<string, Record<string, string>>;
}

function form(s: CreditState, name: string): Record<string, string> {
  s.forms[name] ??= {};
  return s.forms[name];
}

const WEIGHT_KEYS: Readonly<Record<(typeof FIVE_C)[number], PaneKey>> = {
  character: "weightCharacter",
  capacity: "weightCapacity",
  capital: "weightCapital",
  collateral: "weightCollateral",
  conditions: "weightConditions",
};

const STATUS_KEYS: Readonly<Record<CreditRequest["status"], PaneKey>> = {
  pending: "statusPending",
  approved: "statusApproved",
  rejected: "statusRejected",
};

function toDraft(p: CreditPolicy): Draft {
  return {
    weights: Object.fromEntries(FIVE_C.map((k) => [k, String(p.weights[k])])) as Draft["weights"],
    bands: p.bands.map((b) => ({
      grade: b.grade,
      minScore: String(b.minScore),
      limitPct: String(b.limitPct),
      termDays: String(b.termDays),
    })),
    limitRounding: String(p.limitRounding),
    maxLimit: p.maxLimit === null ? "" : String(p.maxLimit),
    staffRaiseLimit: String(p.staffRaiseLimit),
    currency: p.currency,
  };
}

// Text stays text where it is not a number, so the API names the field that is wrong.
const num = (s: string): number | string =>
  s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s;

function fromDraft(d: Draft): PolicyDraft {
  return {
    weights: byFactor((k) => num(d.weights[k])),
    bands: d.bands.map((b) => ({
      grade: b.grade,
      minScore: num(b.minScore),
      limitPct: num(b.limitPct),
      termDays: num(b.termDays),
    })),
    limitRounding: num(d.limitRounding),
    maxLimit: d.maxLimit.trim() === "" ? null : num(d.maxLimit),
    staffRaiseLimit: num(d.staffRaiseLimit),
    currency: d.currency,
  };
}

/** Load the policy and the requests when the page opens. */
async function enterCredit(pane: PaneContext, s: CreditState): Promise<void> {
  if (!pane.session.get()) return;
  const api = pane.session.api();
  try {
    const { policy, version } = await api.getPolicy();
    pane.session.setPolicy(policy, version);
    s.draft = toDraft(policy);
    s.draftVersion = version;
  } catch (error) {
    pane.say("warning", pane.t("policyLoadFailed", { reason: pane.reason(error) }));
  }
  await loadRequests(pane, s);
}

async function loadRequests(pane: PaneContext, s: CreditState): Promise<void> {
  try {
    s.requests = await pane.session.api().listCreditRequests();
  } catch (error) {
    pane.say("error", pane.t("requestsLoadFailed", { reason: pane.reason(error) }));
  }
  pane.render();
}

async function savePolicy(pane: PaneContext, s: CreditState): Promise<void> {
  if (!s.draft) return;
  const saved = await pane.session.api().putPolicy(fromDraft(s.draft), s.draftVersion);
  pane.session.setPolicy(saved.policy, saved.version);
  s.draft = toDraft(saved.policy);
  s.draftVersion = saved.version;
  pane.say("success", pane.t("policySaved", { version: saved.version }));
}

async function sendRequest(pane: PaneContext, s: CreditState): Promise<void> {
  const f = form(s, "request");
  const customerId = (f.customerId ?? "").trim();
  const newLimit = Number(f.newLimit);
  const reason = (f.reason ?? "").trim();
  if (
    !customerId ||
    !reason ||
    f.newLimit === undefined ||
    f.newLimit.trim() === "" ||
    !(newLimit >= 0)
  ) {
    pane.say("warning", pane.t("requestNeedFields"));
    return;
  }
  const created = await pane.session.api().createCreditRequest({ customerId, newLimit, reason });
  s.forms.request = {};
  const params = { id: customerId, limit: newLimit.toLocaleString(pane.lang) };
  pane.say(
    "success",
    pane.t(created.status === "approved" ? "requestApproved" : "requestPending", params),
  );
  await loadRequests(pane, s);
}

async function decide(
  pane: PaneContext,
  s: CreditState,
  r: CreditRequest,
  verdict: "approve" | "reject",
): Promise<void> {
  const api = pane.session.api();
  if (verdict === "approve") await api.approveCreditRequest(r.id);
  else await api.rejectCreditRequest(r.id);
  const params = { id: r.customerId, limit: r.newLimit.toLocaleString(pane.lang) };
  pane.say("success", pane.t(verdict === "approve" ? "approved" : "rejected", params));
  await loadRequests(pane, s);
}

async function showHistory(pane: PaneContext, s: CreditState): Promise<void> {
  const id = (form(s, "history").id ?? "").trim();
  if (!id) return;
  s.history = { id, entries: await pane.session.api().history(id) };
  if (s.history.entries.length === 0) pane.say("info", pane.t("historyEmpty", { id }));
}

async function showExplanation(pane: PaneContext, s: CreditState): Promise<void> {
  const id = (form(s, "explain").id ?? "").trim();
  if (!id) return;
  const customer = await pane.session.api().getCustomer(id);
  s.explained = customer;
  if (!customer.creditFactors) pane.say("warning", pane.t("explainNoFactors", { id: customer.id }));
}

/**
 * One customer's credit grade explained: each 5C factor's points and the gap to the next
 * grade, worked out by the core under the policy in use now (so a saved policy shows at once).
 */
function explanationSection(pane: PaneContext, s: CreditState): Node {
  const number = (x: number) => x.toLocaleString(pane.lang, { maximumFractionDigits: 2 });
  const percent = (x: number) =>
    x.toLocaleString(pane.lang, { style: "percent", maximumFractionDigits: 1 });
  const shown = s.explained;
  const factors = shown?.creditFactors;
  let result: Node | null = null;
  if (shown && factors) {
    const explanation = explainCredit(factors, pane.session.policy().policy);
    result = isCellError(explanation)
      ? h(
          "p",
          { class: "hint explain-bad" },
          pane.t("explainBad", { id: shown.id, reason: errorMessage(pane.lang, explanation) }),
        )
      : h(
          "div",
          { class: "explain-result", "data-customer": shown.id },
          h(
            "p",
            { class: "explain-summary" },
            pane.t("explainSummary", {
              id: shown.id,
              name: shown.name,
              score: number(explanation.score),
              grade: explanation.grade,
            }),
          ),
          h(
            "table",
            { class: "explain" },
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                (["explainFactor", "explainValue", "explainWeight"] as const).map((k) =>
                  h("th", null, pane.t(k)),
                ),
                h("th", { class: "points" }, pane.t("explainPoints")),
              ),
            ),
            h(
              "tbody",
              null,
              FIVE_C.map((c, j) =>
                h(
                  "tr",
                  { "data-factor": c },
                  h("td", null, pane.t(WEIGHT_KEYS[c])),
                  h("td", null, number(factors[c])),
                  h("td", null, percent(explanation.shares[j] as number)),
                  h("td", { class: "points" }, number(explanation.points[j] as number)),
                ),
              ),
            ),
            h(
              "tfoot",
              null,
              h(
                "tr",
                null,
                h("th", { colspan: "3" }, pane.t("explainTotal")),
                h("th", { class: "points" }, number(explanation.score)),
              ),
            ),
          ),
          h(
            "p",
            { class: "explain-gap" },
            explanation.gap.next === ""
              ? pane.t("explainTop", { grade: explanation.grade })
              : pane.t("explainNext", {
                  grade: explanation.gap.next,
                  points: number(explanation.gap.points),
                }),
          ),
        );
  }
  return h(
    "section",
    { class: "card explain-card" },
    h("h2", null, pane.t("explainTitle")),
    h("p", { class: "hint" }, pane.t("explainHint")),
    h(
      "div",
      { class: "row" },
      input(s, "explain", "id", { placeholder: pane.t("requestCustomer") }),
      h(
        "button",
        {
          class: "secondary",
          id: "explain-show",
          disabled: pane.busy,
          onclick: () =>
            pane.run(
              () => showExplanation(pane, s),
              (reason) => pane.t("explainFailed", { id: form(s, "explain").id ?? "", reason }),
            ),
        },
        pane.t("explainShow"),
      ),
    ),
    result,
  );
}

function isOwn(pane: PaneContext, r: CreditRequest): boolean {
  const me = pane.session.get()?.user;
  return me !== undefined && (r.requestedBy === me || r.requestedByName === me);
}

function input(
  s: CreditState,
  name: string,
  field: string,
  attrs: Record<string, string> = {},
): HTMLInputElement {
  const f = form(s, name);
  return h("input", {
    ...attrs,
    id: `${name}-${field}`,
    "data-focus": `${name}-${field}`,
    value: f[field] ?? "",
    oninput: (e) => {
      f[field] = (e.target as HTMLInputElement).value;
    },
  });
}

function draftInput(
  value: string,
  set: (v: string) => void,
  readOnly: boolean,
  label: string,
): HTMLInputElement {
  return h("input", {
    value,
    disabled: readOnly,
    "aria-label": label,
    oninput: (e) => set((e.target as HTMLInputElement).value),
  });
}

function policySection(pane: PaneContext, s: CreditState): Node {
  const d = s.draft;
  if (!d)
    return h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("policyTitle")),
      h("p", { class: "hint" }, pane.t("policyDefault")),
    );
  const ro = !pane.session.isManager();
  const t = (k: PaneKey): string => pane.t(k);
  return h(
    "section",
    { class: "card policy" },
    h(
      "h2",
      null,
      pane.t("policyTitle"),
      " ",
      h("span", { class: "hint" }, pane.t("version", { version: s.draftVersion })),
    ),
    ro ? h("p", { class: "hint" }, pane.t("policyReadOnly")) : null,
    h("h3", null, t("policyWeights")),
    h(
      "div",
      { class: "grid2" },
      FIVE_C.map((k) =>
        h(
          "label",
          { class: "field" },
          h("span", null, t(WEIGHT_KEYS[k])),
          draftInput(
            d.weights[k],
            (v) => {
              d.weights[k] = v;
            },
            ro,
            t(WEIGHT_KEYS[k]),
          ),
        ),
      ),
    ),
    h("h3", null, t("policyBands")),
    h(
      "table",
      { class: "bands" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          [t("policyGrade"), t("policyMinScore"), t("policyLimitPct"), t("policyTermDays")].map(
            (x) => h("th", null, x),
          ),
        ),
      ),
      h(
        "tbody",
        null,
        d.bands.map((b) =>
          h(
            "tr",
            null,
            (["grade", "minScore", "limitPct", "termDays"] as const).map((k) =>
              h(
                "td",
                null,
                draftInput(
                  b[k],
                  (v) => {
                    b[k] = v;
                  },
                  ro,
                  `${b.grade} ${k}`,
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "grid2" },
      h(
        "label",
        { class: "field" },
        h("span", null, t("policyRounding")),
        draftInput(
          d.limitRounding,
          (v) => {
            d.limitRounding = v;
          },
          ro,
          t("policyRounding"),
        ),
      ),
      h(
        "label",
        { class: "field" },
        h("span", null, t("policyMaxLimit")),
        draftInput(
          d.maxLimit,
          (v) => {
            d.maxLimit = v;
          },
          ro,
          t("policyMaxLimit"),
        ),
      ),
      h(
        "label",
        { class: "field" },
        h("span", null, t("policyStaffRaise")),
        h("input", {
          id: "policy-staffRaise",
          value: d.staffRaiseLimit,
          disabled: ro,
          oninput: (e) => {
            d.staffRaiseLimit = (e.target as HTMLInputElement).value;
          },
        }),
      ),
      h(
        "label",
        { class: "field" },
        h("span", null, t("policyCurrency")),
        draftInput(
          d.currency,
          (v) => {
            d.currency = v;
          },
          ro,
          t("policyCurrency"),
        ),
      ),
    ),
    ro
      ? null
      : h(
          "button",
          {
            class: "primary",
            id: "policy-save",
            disabled: pane.busy,
            onclick: () =>
              pane.run(
                () => savePolicy(pane, s),
                (reason) => pane.t("policySaveFailed", { reason }),
              ),
          },
          t("policySave"),
        ),
  );
}

function requestRow(pane: PaneContext, s: CreditState, r: CreditRequest, queue: boolean): Node {
  const own = isOwn(pane, r);
  return h(
    "li",
    { class: "request", "data-id": r.id, "data-customer": r.customerId },
    h(
      "div",
      { class: "request-main" },
      h("strong", null, r.customerId),
      ` → ${r.newLimit.toLocaleString(pane.lang)}`,
      h("span", { class: `chip ${r.status}` }, pane.t(STATUS_KEYS[r.status])),
    ),
    h(
      "div",
      { class: "hint" },
      `${String(r.requestedByName ?? r.requestedBy ?? "")} · ${r.reason}`,
    ),
    queue
      ? own
        ? h("div", { class: "hint" }, pane.t("ownRequest"))
        : h(
            "div",
            { class: "row" },
            h(
              "button",
              {
                class: "primary approve",
                disabled: pane.busy,
                onclick: () =>
                  pane.run(
                    () => decide(pane, s, r, "approve"),
                    (reason) => pane.t("decideFailed", { reason }),
                  ),
              },
              pane.t("approve"),
            ),
            h(
              "button",
              {
                class: "secondary reject",
                disabled: pane.busy,
                onclick: () =>
                  pane.run(
                    () => decide(pane, s, r, "reject"),
                    (reason) => pane.t("decideFailed", { reason }),
                  ),
              },
              pane.t("reject"),
            ),
          )
      : null,
  );
}

/** The Credit page, with nothing loaded or typed yet. */
export function createCreditPage(pane: PaneContext): PaneView {
  const s: CreditState = {
    draft: null,
    draftVersion: 0,
    requests: [],
    history: null,
    explained: null,
    forms: {},
  };
  return { enter: () => enterCredit(pane, s), view: () => creditPage(pane, s) };
}

function creditPage(pane: PaneContext, s: CreditState): Node {
  if (!pane.session.get()) return h("p", { class: "hint" }, pane.t("notSignedIn"));
  const pending = s.requests.filter((r) => r.status === "pending");
  return h(
    "div",
    null,
    policySection(pane, s),
    explanationSection(pane, s),
    h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("requestTitle")),
      h(
        "label",
        { class: "field" },
        h("span", null, pane.t("requestCustomer")),
        input(s, "request", "customerId"),
      ),
      h(
        "label",
        { class: "field" },
        h("span", null, pane.t("requestLimit")),
        input(s, "request", "newLimit", { inputmode: "decimal" }),
      ),
      h(
        "label",
        { class: "field" },
        h("span", null, pane.t("requestReason")),
        input(s, "request", "reason"),
      ),
      h(
        "button",
        {
          class: "primary",
          id: "request-send",
          disabled: pane.busy,
          onclick: () =>
            pane.run(
              () => sendRequest(pane, s),
              (reason) => pane.t("requestFailed", { reason }),
            ),
        },
        pane.t("requestSend"),
      ),
    ),
    pane.session.isManager()
      ? h(
          "section",
          { class: "card queue" },
          h("h2", null, `${pane.t("queueTitle")} (${pending.length})`),
          pending.length
            ? h(
                "ul",
                { class: "requests" },
                pending.map((r) => requestRow(pane, s, r, true)),
              )
            : h("p", { class: "hint" }, pane.t("queueEmpty")),
        )
      : null,
    h(
      "section",
      { class: "card" },
      h(
        "div",
        { class: "row spread" },
        h("h2", null, pane.t("requestsTitle")),
        h(
          "button",
          {
            class: "subtle",
            id: "requests-refresh",
            onclick: () =>
              pane.run(
                () => loadRequests(pane, s),
                (reason) => pane.t("requestsLoadFailed", { reason }),
              ),
          },
          pane.t("refresh"),
        ),
      ),
      s.requests.length
        ? h(
            "ul",
            { class: "requests all" },
            s.requests.map((r) => requestRow(pane, s, r, false)),
          )
        : h("p", { class: "hint" }, pane.t("requestsEmpty")),
    ),
    h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("historyTitle")),
      h(
        "div",
        { class: "row" },
        input(s, "history", "id", { placeholder: pane.t("requestCustomer") }),
        h(
          "button",
          {
            class: "secondary",
            id: "history-show",
            onclick: () =>
              pane.run(
                () => showHistory(pane, s),
                (reason) => pane.t("historyFailed", { id: form(s, "history").id ?? "", reason }),
              ),
          },
          pane.t("historyShow"),
        ),
      ),
      s.history?.entries.length
        ? h(
            "table",
            { class: "history" },
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                h("th", null, pane.t("historyField")),
                h("th", null, pane.t("historyOld")),
                h("th", null, pane.t("historyNew")),
              ),
            ),
            h(
              "tbody",
              null,
              s.history.entries.map((e) =>
                h(
                  "tr",
                  { "data-field": e.field },
                  h(
                    "td",
                    { class: "change" },
                    h("strong", null, fieldLabel(pane.lang, e.field)),
                    h(
                      "div",
                      { class: "hint" },
                      h("span", { class: "when" }, dateText(pane.lang, e.when)),
                      " · ",
                      h("span", { class: "who" }, e.who),
                    ),
                  ),
                  h("td", { class: "old" }, valueNode(pane.lang, e.old)),
                  h("td", { class: "new" }, valueNode(pane.lang, e.new)),
                ),
              ),
            ),
          )
        : null,
    ),
  );
}
