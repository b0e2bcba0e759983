/**
 * Customers: Pull (asking before it replaces unpushed rows), Push with progress and cancel,
 * conflicts side by side, the four-eyes path for credit limits, refused rows.
 */
import { type Conflict, headersFor, type RowProblem, recordToRow } from "../../../core/sync.ts";
import { apiErrorText } from "../apiErrors.ts";
import type { PaneContext, PaneView } from "../context.ts";
import type { PushReport, Refused } from "../customerSync.ts";
import { h } from "../dom.ts";
import { cellText } from "../format.ts";

/** Refused because a credit limit needs a manager: these rows can go as credit requests. */
const needsManager = (s: CustomersState) => s.refused.filter((r) => r.code === "approval_required");

/** Recount the unpushed changes shown under Push. */
async function refreshPending(pane: PaneContext, s: CustomersState): Promise<void> {
  try {
    const p = await pane.sync.pending();
    const signedIn = pane.session.get() !== null;
    s.pendingText = !p
      ? ""
      : p.pulled
        ? pane.t("pending", { created: p.created, edited: p.edited, deleted: p.deleted })
        : signedIn && p.created > 0
          ? pane.t("notPulled", { count: p.created })
          : "";
  } catch {
    s.pendingText = "";
  }
  pane.render();
}

/** Pull; with unpushed rows in the table it first asks (`replace` is the user's yes). */
async function pull(pane: PaneContext, s: CustomersState, replace = false): Promise<void> {
  const pending = await pane.sync.pending();
  const unsent = pending ? pending.created + pending.edited + pending.deleted : 0;
  if (unsent > 0 && !replace) {
    // The question is asked once, beside the Pull button, with its two answers.
    s.pullAsk = unsent;
    pane.hush();
    await refreshPending(pane, s);
    return;
  }
  s.pullAsk = null;
  const count = await pane.sync.pull();
  s.conflicts = [];
  s.refused = [];
  s.problems = [];
  pane.say("success", pane.t("pulled", { count }));
  await refreshPending(pane, s);
}

/** Push the table and say what happened (the sample-team loader uses it too). */
async function push(pane: PaneContext, s: CustomersState): Promise<PushReport | null> {
  s.pullAsk = null;
  if (!(await pane.sync.hasTable())) {
    pane.say("warning", pane.t("noTable"));
    return null;
  }
  const abort = new AbortController();
  s.abort = abort;
  try {
    const report = await pane.sync.push({
      signal: abort.signal,
      progress: (done, total, waitSeconds) => {
        s.progress = { done, total, ...(waitSeconds === undefined ? {} : { waitSeconds }) };
        pane.render();
      },
    });
    s.conflicts = [
      ...s.conflicts.filter((c) => !report.conflicts.some((n) => n.id === c.id)),
      ...report.conflicts,
    ];
    s.refused = [...report.refused];
    s.problems = [...report.problems];
    const limits = needsManager(s).length;
    const otherRefused = report.refused.length - limits;
    const details = [
      report.conflicts.length ? pane.t("pushConflicts", { count: report.conflicts.length }) : "",
      limits ? pane.t("pushFourEyes", { count: limits }) : "",
      otherRefused ? pane.t("pushRefused", { count: otherRefused }) : "",
      report.problems.length ? pane.t("pushProblems", { count: report.problems.length }) : "",
    ].filter(Boolean);
    if (report.stopped?.reason === "cancelled") {
      pane.say(
        "warning",
        pane.t("pushCancelled", { sent: report.sent, total: report.total }),
        details,
      );
    } else if (report.stopped) {
      const reason = report.stopped.error ? pane.reason(report.stopped.error) : "";
      pane.say(
        "error",
        pane.t("pushFailed", { sent: report.sent, total: report.total, reason }),
        details,
      );
    } else if (report.total === 0 && report.problems.length === 0) {
      pane.say("info", pane.t("nothingToPush"));
    } else {
      const kind = details.length ? "warning" : "success";
      pane.say(kind, pane.t("pushed", { saved: report.saved, total: report.total }), details);
    }
    await refreshPending(pane, s);
    return report;
  } finally {
    s.abort = null;
    s.progress = null;
  }
}

/** The four-eyes path: save the other fields now and send each limit as a credit request. */
async function sendLimitRequests(pane: PaneContext, s: CustomersState): Promise<void> {
  const ids = needsManager(s).map((r) => r.id);
  const user = pane.session.get()?.user ?? "";
  try {
    const done = await pane.sync.requestLimits(ids, pane.t("limitRequestReason", { user }), {
      progress: (_done, _total, waitSeconds) => {
        s.limitsWait = waitSeconds ?? null;
        pane.render();
      },
    });
    s.refused = s.refused.filter((r) => !ids.includes(r.id));
    pane.say(
      "success",
      pane.t("limitsRequested", { count: done.requested, approved: done.approvedAtOnce }),
    );
  } finally {
    s.limitsWait = null;
  }
  await refreshPending(pane, s);
}

function fourEyesCard(pane: PaneContext, s: CustomersState): Node | null {
  const rows = needsManager(s);
  if (rows.length === 0) return null;
  return h(
    "section",
    { class: "card four-eyes" },
    h("h2", null, pane.t("fourEyesTitle")),
    h("p", null, pane.t("fourEyesHint", { count: rows.length })),
    h(
      "ul",
      { class: "ids" },
      rows.map((r) => h("li", { "data-id": r.id }, r.id)),
    ),
    s.limitsWait === null
      ? null
      : h(
          "p",
          { class: "hint waiting" },
          pane.t("pushWaiting", { done: 0, total: rows.length, seconds: s.limitsWait }),
        ),
    h(
      "button",
      {
        class: "primary",
        id: "send-limit-requests",
        disabled: pane.busy,
        onclick: () =>
          pane.run(
            () => sendLimitRequests(pane, s),
            (reason) => pane.t("limitsFailed", { reason }),
          ),
      },
      pane.t("fourEyesSend"),
    ),
  );
}

async function resolve(
  pane: PaneContext,
  s: CustomersState,
  conflict: Conflict,
  choice: "mine" | "theirs",
): Promise<void> {
  const again = await pane.sync.resolve(conflict, choice);
  s.conflicts = s.conflicts.filter((c) => c.id !== conflict.id);
  if (again) {
    s.conflicts.push(again);
    pane.say("warning", pane.t("conflictAgain", { id: conflict.id }));
  } else {
    pane.say("success", pane.t(choice === "mine" ? "keptMine" : "tookTheirs", { id: conflict.id }));
  }
  await refreshPending(pane, s);
}

function conflictCard(pane: PaneContext, s: CustomersState, c: Conflict): Node {
  const mine = c.mine;
  const theirs = c.theirs;
  const headers = headersFor([mine, theirs].filter((r) => r !== null)).filter(
    (x) => x !== "version" && x !== "message",
  );
  const mineRow = mine ? recordToRow(headers, mine) : null;
  const theirsRow = theirs ? recordToRow(headers, theirs) : null;
  const rows = headers
    .map((field, i) => ({ field, a: mineRow?.[i] ?? "", b: theirsRow?.[i] ?? "" }))
    .filter((r) => r.field === "name" || r.a !== r.b);
  const deleted = pane.t("conflictDeleted");
  return h(
    "article",
    { class: "conflict card", "data-id": c.id },
    h("h3", null, c.id),
    h(
      "table",
      { class: "compare" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", null, pane.t("conflictField")),
          h("th", null, pane.t("conflictMine")),
          h("th", null, pane.t("conflictTheirs")),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((r) =>
          h(
            "tr",
            { class: r.a !== r.b ? "differs" : null },
            h("th", { scope: "row" }, r.field),
            h(
              "td",
              { class: "mine", title: String(r.a) },
              mine ? cellText(pane.lang, r.a) : deleted,
            ),
            h(
              "td",
              { class: "theirs", title: String(r.b) },
              theirs ? cellText(pane.lang, r.b) : deleted,
            ),
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "row" },
      h(
        "button",
        {
          class: "secondary keep-mine",
          disabled: pane.busy,
          onclick: () =>
            pane.run(
              () => resolve(pane, s, c, "mine"),
              (reason) => pane.t("resolveFailed", { id: c.id, reason }),
            ),
        },
        pane.t("keepMine"),
      ),
      h(
        "button",
        {
          class: "secondary take-theirs",
          disabled: pane.busy,
          onclick: () =>
            pane.run(
              () => resolve(pane, s, c, "theirs"),
              (reason) => pane.t("resolveFailed", { id: c.id, reason }),
            ),
        },
        pane.t("takeTheirs"),
      ),
    ),
  );
}

/** What the page holds between redraws; every user (after a sign-in or sign-out) starts afresh. */
interface CustomersState {
  /** A push under way; `waitSeconds` while the busy service is waited for. */
  progress: { done: number; total: number; waitSeconds?: number } | null;
  abort: AbortController | null;
  conflicts: Conflict[];
  refused: Refused[];
  problems: RowProblem[];
  pendingText: string;
  /** Unpushed changes a Pull would replace, while the pane asks whether to go on. */
  pullAsk: number | null;
  /** While the four-eyes rows wait for a busy service (`429`/`503`): the seconds announced. */
  limitsWait: number | null;
}

/** The Customers page; `push` is the sample-team loader's too. */
export interface CustomersPage extends PaneView {
  push(): Promise<PushReport | null>;
}

/** The Customers page, with nothing pushed, refused or asked yet. */
export function createCustomersPage(pane: PaneContext): CustomersPage {
  const s: CustomersState = {
    progress: null,
    abort: null,
    conflicts: [],
    refused: [],
    problems: [],
    pendingText: "",
    pullAsk: null,
    limitsWait: null,
  };
  return {
    enter: () => refreshPending(pane, s),
    view: () => customersPage(pane, s),
    push: () => push(pane, s),
  };
}

function customersPage(pane: PaneContext, s: CustomersState): Node {
  const signedIn = pane.session.get() !== null;
  const progress = s.progress;
  const pushing = s.abort !== null;
  return h(
    "div",
    null,
    signedIn ? null : h("p", { class: "hint" }, pane.t("notSignedIn")),
    h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("pullTitle")),
      h("p", { class: "hint" }, pane.t("pullHint")),
      h(
        "button",
        {
          class: "primary",
          id: "pull",
          disabled: pane.busy || !signedIn,
          onclick: () =>
            pane.run(
              () => pull(pane, s),
              (reason) => pane.t("pullFailed", { reason }),
            ),
        },
        pane.t("pull"),
      ),
      s.pullAsk === null
        ? null
        : h(
            "div",
            { class: "confirm", role: "group" },
            h("p", null, pane.t("pullOverwrite", { count: s.pullAsk })),
            h(
              "div",
              { class: "row" },
              h(
                "button",
                {
                  class: "secondary",
                  id: "pull-keep",
                  onclick: () => {
                    s.pullAsk = null;
                    pane.say("info", pane.t("pullKept"));
                  },
                },
                pane.t("pullKeep"),
              ),
              h(
                "button",
                {
                  class: "danger",
                  id: "pull-replace",
                  disabled: pane.busy,
                  onclick: () =>
                    pane.run(
                      () => pull(pane, s, true),
                      (reason) => pane.t("pullFailed", { reason }),
                    ),
                },
                pane.t("pullReplace"),
              ),
            ),
          ),
    ),
    h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("pushTitle")),
      h("p", { class: "hint" }, pane.t("pushHint")),
      s.pendingText ? h("p", { class: "pending" }, s.pendingText) : null,
      h(
        "div",
        { class: "row" },
        h(
          "button",
          {
            class: "primary",
            id: "push",
            disabled: pane.busy || !signedIn,
            onclick: () =>
              pane.run(
                async () => void (await push(pane, s)),
                (reason) => pane.t("pushFailed", { sent: 0, total: "?", reason }),
              ),
          },
          pane.t("push"),
        ),
        pushing
          ? h(
              "button",
              { class: "secondary", id: "cancel-push", onclick: () => s.abort?.abort() },
              pane.t("cancel"),
            )
          : null,
      ),
      progress
        ? h(
            "div",
            { class: "progress" },
            h("progress", { max: Math.max(progress.total, 1), value: progress.done }),
            h(
              "span",
              { class: "hint" },
              progress.waitSeconds === undefined
                ? pane.t("pushProgress", { done: progress.done, total: progress.total })
                : pane.t("pushWaiting", {
                    done: progress.done,
                    total: progress.total,
                    seconds: progress.waitSeconds,
                  }),
            ),
          )
        : null,
    ),
    fourEyesCard(pane, s),
    s.conflicts.length
      ? h(
          "section",
          { class: "conflicts" },
          h("h2", null, `${pane.t("conflictsTitle")} (${s.conflicts.length})`),
          s.conflicts.map((c) => conflictCard(pane, s, c)),
        )
      : null,
    s.refused.length > needsManager(s).length || s.problems.length
      ? h(
          "section",
          { class: "card refused" },
          h("h2", null, pane.t("refusedTitle")),
          h(
            "ul",
            null,
            s.refused
              .filter((r) => r.code !== "approval_required")
              .map((r) =>
                h(
                  "li",
                  { "data-id": r.id },
                  h("strong", null, r.id),
                  " ",
                  apiErrorText(pane.lang, r.error),
                ),
              ),
            s.problems.map((p) => h("li", null, pane.t(p.key, p.params))),
          ),
        )
      : null,
  );
}
