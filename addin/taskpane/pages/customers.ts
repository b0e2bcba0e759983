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
async function refreshPending(app: PaneContext, s: CustomersState): Promise<void> {
  try {
    const p = await app.sync.pending();
    const signedIn = app.deps.session.get() !== null;
    s.pendingText = !p
      ? ""
      : p.pulled
        ? app.t("pending", { created: p.created, edited: p.edited, deleted: p.deleted })
        : signedIn && p.created > 0
          ? app.t("notPulled", { count: p.created })
          : "";
  } catch {
    s.pendingText = "";
  }
  app.render();
}

/** Pull; with unpushed rows in the table it first asks (`replace` is the user's yes). */
async function pull(app: PaneContext, s: CustomersState, replace = false): Promise<void> {
  const pending = await app.sync.pending();
  const unsent = pending ? pending.created + pending.edited + pending.deleted : 0;
  if (unsent > 0 && !replace) {
    // The question is asked once, beside the Pull button, with its two answers.
    s.pullAsk = unsent;
    app.status = null;
    await refreshPending(app, s);
    return;
  }
  s.pullAsk = null;
  const count = await app.sync.pull();
  s.conflicts = [];
  s.refused = [];
  s.problems = [];
  app.status = { kind: "success", text: app.t("pulled", { count }) };
  await refreshPending(app, s);
}

/** Push the table and say what happened (the sample-team loader uses it too). */
async function push(app: PaneContext, s: CustomersState): Promise<PushReport | null> {
  s.pullAsk = null;
  if (!(await app.sync.hasTable())) {
    app.status = { kind: "warning", text: app.t("noTable") };
    return null;
  }
  const abort = new AbortController();
  s.abort = abort;
  try {
    const report = await app.sync.push({
      signal: abort.signal,
      progress: (done, total, waitSeconds) => {
        s.progress = { done, total, ...(waitSeconds === undefined ? {} : { waitSeconds }) };
        app.render();
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
      report.conflicts.length ? app.t("pushConflicts", { count: report.conflicts.length }) : "",
      limits ? app.t("pushFourEyes", { count: limits }) : "",
      otherRefused ? app.t("pushRefused", { count: otherRefused }) : "",
      report.problems.length ? app.t("pushProblems", { count: report.problems.length }) : "",
    ].filter(Boolean);
    if (report.stopped?.reason === "cancelled") {
      app.status = {
        kind: "warning",
        text: app.t("pushCancelled", { sent: report.sent, total: report.total }),
        details,
      };
    } else if (report.stopped) {
      const reason = report.stopped.error ? app.reason(report.stopped.error) : "";
      app.status = {
        kind: "error",
        text: app.t("pushFailed", { sent: report.sent, total: report.total, reason }),
        details,
      };
    } else if (report.total === 0 && report.problems.length === 0) {
      app.status = { kind: "info", text: app.t("nothingToPush") };
    } else {
      const kind = details.length ? "warning" : "success";
      app.status = {
        kind,
        text: app.t("pushed", { saved: report.saved, total: report.total }),
        details,
      };
    }
    await refreshPending(app, s);
    return report;
  } finally {
    s.abort = null;
    s.progress = null;
  }
}

/** The four-eyes path: save the other fields now and send each limit as a credit request. */
async function sendLimitRequests(app: PaneContext, s: CustomersState): Promise<void> {
  const ids = needsManager(s).map((r) => r.id);
  const user = app.deps.session.get()?.user ?? "";
  const done = await app.sync.requestLimits(ids, app.t("limitRequestReason", { user }));
  s.refused = s.refused.filter((r) => !ids.includes(r.id));
  app.status = {
    kind: "success",
    text: app.t("limitsRequested", { count: done.requested, approved: done.approvedAtOnce }),
  };
  await refreshPending(app, s);
}

function fourEyesCard(app: PaneContext, s: CustomersState): Node | null {
  const rows = needsManager(s);
  if (rows.length === 0) return null;
  return h(
    "section",
    { class: "card four-eyes" },
    h("h2", null, app.t("fourEyesTitle")),
    h("p", null, app.t("fourEyesHint", { count: rows.length })),
    h(
      "ul",
      { class: "ids" },
      rows.map((r) => h("li", { "data-id": r.id }, r.id)),
    ),
    h(
      "button",
      {
        class: "primary",
        id: "send-limit-requests",
        disabled: app.busy,
        onclick: () =>
          app.run(
            () => sendLimitRequests(app, s),
            (reason) => app.t("limitsFailed", { reason }),
          ),
      },
      app.t("fourEyesSend"),
    ),
  );
}

async function resolve(
  app: PaneContext,
  s: CustomersState,
  conflict: Conflict,
  choice: "mine" | "theirs",
): Promise<void> {
  const again = await app.sync.resolve(conflict, choice);
  s.conflicts = s.conflicts.filter((c) => c.id !== conflict.id);
  if (again) {
    s.conflicts.push(again);
    app.status = { kind: "warning", text: app.t("conflictAgain", { id: conflict.id }) };
  } else {
    app.status = {
      kind: "success",
      text: app.t(choice === "mine" ? "keptMine" : "tookTheirs", { id: conflict.id }),
    };
  }
  await refreshPending(app, s);
}

function conflictCard(app: PaneContext, s: CustomersState, c: Conflict): Node {
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
  const deleted = app.t("conflictDeleted");
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
          h("th", null, app.t("conflictField")),
          h("th", null, app.t("conflictMine")),
          h("th", null, app.t("conflictTheirs")),
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
              mine ? cellText(app.lang, r.a) : deleted,
            ),
            h(
              "td",
              { class: "theirs", title: String(r.b) },
              theirs ? cellText(app.lang, r.b) : deleted,
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
          disabled: app.busy,
          onclick: () =>
            app.run(
              () => resolve(app, s, c, "mine"),
              (reason) => app.t("resolveFailed", { id: c.id, reason }),
            ),
        },
        app.t("keepMine"),
      ),
      h(
        "button",
        {
          class: "secondary take-theirs",
          disabled: app.busy,
          onclick: () =>
            app.run(
              () => resolve(app, s, c, "theirs"),
              (reason) => app.t("resolveFailed", { id: c.id, reason }),
            ),
        },
        app.t("takeTheirs"),
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
}

/** The Customers page; `push` is the sample-team loader's too. */
export interface CustomersPage extends PaneView {
  push(app: PaneContext): Promise<PushReport | null>;
}

export function createCustomersPage(): CustomersPage {
  const s: CustomersState = {
    progress: null,
    abort: null,
    conflicts: [],
    refused: [],
    problems: [],
    pendingText: "",
    pullAsk: null,
  };
  return {
    enter: (app) => refreshPending(app, s),
    view: (app) => customersPage(app, s),
    push: (app) => push(app, s),
  };
}

function customersPage(app: PaneContext, s: CustomersState): Node {
  const signedIn = app.deps.session.get() !== null;
  const progress = s.progress;
  const pushing = s.abort !== null;
  return h(
    "div",
    null,
    signedIn ? null : h("p", { class: "hint" }, app.t("notSignedIn")),
    h(
      "section",
      { class: "card" },
      h("h2", null, app.t("pullTitle")),
      h("p", { class: "hint" }, app.t("pullHint")),
      h(
        "button",
        {
          class: "primary",
          id: "pull",
          disabled: app.busy || !signedIn,
          onclick: () =>
            app.run(
              () => pull(app, s),
              (reason) => app.t("pullFailed", { reason }),
            ),
        },
        app.t("pull"),
      ),
      s.pullAsk === null
        ? null
        : h(
            "div",
            { class: "confirm", role: "group" },
            h("p", null, app.t("pullOverwrite", { count: s.pullAsk })),
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
                    app.say("info", app.t("pullKept"));
                  },
                },
                app.t("pullKeep"),
              ),
              h(
                "button",
                {
                  class: "danger",
                  id: "pull-replace",
                  disabled: app.busy,
                  onclick: () =>
                    app.run(
                      () => pull(app, s, true),
                      (reason) => app.t("pullFailed", { reason }),
                    ),
                },
                app.t("pullReplace"),
              ),
            ),
          ),
    ),
    h(
      "section",
      { class: "card" },
      h("h2", null, app.t("pushTitle")),
      h("p", { class: "hint" }, app.t("pushHint")),
      s.pendingText ? h("p", { class: "pending" }, s.pendingText) : null,
      h(
        "div",
        { class: "row" },
        h(
          "button",
          {
            class: "primary",
            id: "push",
            disabled: app.busy || !signedIn,
            onclick: () =>
              app.run(
                async () => void (await push(app, s)),
                (reason) => app.t("pushFailed", { sent: 0, total: "?", reason }),
              ),
          },
          app.t("push"),
        ),
        pushing
          ? h(
              "button",
              { class: "secondary", id: "cancel-push", onclick: () => s.abort?.abort() },
              app.t("cancel"),
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
                ? app.t("pushProgress", { done: progress.done, total: progress.total })
                : app.t("pushWaiting", {
                    done: progress.done,
                    total: progress.total,
                    seconds: progress.waitSeconds,
                  }),
            ),
          )
        : null,
    ),
    fourEyesCard(app, s),
    s.conflicts.length
      ? h(
          "section",
          { class: "conflicts" },
          h("h2", null, `${app.t("conflictsTitle")} (${s.conflicts.length})`),
          s.conflicts.map((c) => conflictCard(app, s, c)),
        )
      : null,
    s.refused.length > needsManager(s).length || s.problems.length
      ? h(
          "section",
          { class: "card refused" },
          h("h2", null, app.t("refusedTitle")),
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
                  apiErrorText(app.lang, r.error),
                ),
              ),
            s.problems.map((p) => h("li", null, app.t(p.key, p.params))),
          ),
        )
      : null,
  );
}
