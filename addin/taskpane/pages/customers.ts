/**
 * Customers: Pull (asking before it replaces unpushed rows), Push with progress and cancel,
 * conflicts side by side, the four-eyes path for credit limits, refused rows.
 */
import { type Conflict, headersFor, recordToRow } from "../../../core/sync.ts";
import { apiErrorText } from "../apiErrors.ts";
import type { PaneContext } from "../context.ts";
import type { PushReport } from "../customerSync.ts";
import { h } from "../dom.ts";
import { cellText } from "../format.ts";

/** Refused because a credit limit needs a manager: these rows can go as credit requests. */
const needsManager = (app: PaneContext) =>
  app.refused.filter((r) => r.code === "approval_required");

/** Recount the unpushed changes shown under Push. */
export async function refreshPending(app: PaneContext): Promise<void> {
  try {
    const p = await app.sync.pending();
    const signedIn = app.deps.session.get() !== null;
    app.pendingText = !p
      ? ""
      : p.pulled
        ? app.t("pending", { created: p.created, edited: p.edited, deleted: p.deleted })
        : signedIn && p.created > 0
          ? app.t("notPulled", { count: p.created })
          : "";
  } catch {
    app.pendingText = "";
  }
  app.render();
}

/** Pull; with unpushed rows in the table it first asks (`replace` is the user's yes). */
async function pull(app: PaneContext, replace = false): Promise<void> {
  const pending = await app.sync.pending();
  const unsent = pending ? pending.created + pending.edited + pending.deleted : 0;
  if (unsent > 0 && !replace) {
    // The question is asked once, beside the Pull button, with its two answers.
    app.pullAsk = unsent;
    app.status = null;
    await refreshPending(app);
    return;
  }
  app.pullAsk = null;
  const count = await app.sync.pull();
  app.conflicts = [];
  app.refused = [];
  app.problems = [];
  app.status = { kind: "success", text: app.t("pulled", { count }) };
  await refreshPending(app);
}

/** Push the table and say what happened (the sample-team loader uses it too). */
export async function push(app: PaneContext): Promise<PushReport | null> {
  app.pullAsk = null;
  if (!(await app.sync.hasTable())) {
    app.status = { kind: "warning", text: app.t("noTable") };
    return null;
  }
  const abort = new AbortController();
  app.abort = abort;
  try {
    const report = await app.sync.push({
      signal: abort.signal,
      progress: (done, total, waitSeconds) => {
        app.progress = { done, total, ...(waitSeconds === undefined ? {} : { waitSeconds }) };
        app.render();
      },
    });
    app.conflicts = [
      ...app.conflicts.filter((c) => !report.conflicts.some((n) => n.id === c.id)),
      ...report.conflicts,
    ];
    app.refused = [...report.refused];
    app.problems = [...report.problems];
    const limits = needsManager(app).length;
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
    await refreshPending(app);
    return report;
  } finally {
    app.abort = null;
    app.progress = null;
  }
}

/** The four-eyes path: save the other fields now and send each limit as a credit request. */
async function sendLimitRequests(app: PaneContext): Promise<void> {
  const ids = needsManager(app).map((r) => r.id);
  const user = app.deps.session.get()?.user ?? "";
  const done = await app.sync.requestLimits(ids, app.t("limitRequestReason", { user }));
  app.refused = app.refused.filter((r) => !ids.includes(r.id));
  app.status = {
    kind: "success",
    text: app.t("limitsRequested", { count: done.requested, approved: done.approvedAtOnce }),
  };
  await refreshPending(app);
}

function fourEyesCard(app: PaneContext): Node | null {
  const rows = needsManager(app);
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
            () => sendLimitRequests(app),
            (reason) => app.t("limitsFailed", { reason }),
          ),
      },
      app.t("fourEyesSend"),
    ),
  );
}

async function resolve(
  app: PaneContext,
  conflict: Conflict,
  choice: "mine" | "theirs",
): Promise<void> {
  const again = await app.sync.resolve(conflict, choice);
  app.conflicts = app.conflicts.filter((c) => c.id !== conflict.id);
  if (again) {
    app.conflicts.push(again);
    app.status = { kind: "warning", text: app.t("conflictAgain", { id: conflict.id }) };
  } else {
    app.status = {
      kind: "success",
      text: app.t(choice === "mine" ? "keptMine" : "tookTheirs", { id: conflict.id }),
    };
  }
  await refreshPending(app);
}

function conflictCard(app: PaneContext, c: Conflict): Node {
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
              () => resolve(app, c, "mine"),
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
              () => resolve(app, c, "theirs"),
              (reason) => app.t("resolveFailed", { id: c.id, reason }),
            ),
        },
        app.t("takeTheirs"),
      ),
    ),
  );
}

/** The Customers page. */
export function customersPage(app: PaneContext): Node {
  const signedIn = app.deps.session.get() !== null;
  const progress = app.progress;
  const pushing = app.abort !== null;
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
              () => pull(app),
              (reason) => app.t("pullFailed", { reason }),
            ),
        },
        app.t("pull"),
      ),
      app.pullAsk === null
        ? null
        : h(
            "div",
            { class: "confirm", role: "group" },
            h("p", null, app.t("pullOverwrite", { count: app.pullAsk })),
            h(
              "div",
              { class: "row" },
              h(
                "button",
                {
                  class: "secondary",
                  id: "pull-keep",
                  onclick: () => {
                    app.pullAsk = null;
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
                      () => pull(app, true),
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
      app.pendingText ? h("p", { class: "pending" }, app.pendingText) : null,
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
                async () => void (await push(app)),
                (reason) => app.t("pushFailed", { sent: 0, total: "?", reason }),
              ),
          },
          app.t("push"),
        ),
        pushing
          ? h(
              "button",
              { class: "secondary", id: "cancel-push", onclick: () => app.abort?.abort() },
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
    fourEyesCard(app),
    app.conflicts.length
      ? h(
          "section",
          { class: "conflicts" },
          h("h2", null, `${app.t("conflictsTitle")} (${app.conflicts.length})`),
          app.conflicts.map((c) => conflictCard(app, c)),
        )
      : null,
    app.refused.length > needsManager(app).length || app.problems.length
      ? h(
          "section",
          { class: "card refused" },
          h("h2", null, app.t("refusedTitle")),
          h(
            "ul",
            null,
            app.refused
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
            app.problems.map((p) => h("li", null, app.t(p.key, p.params))),
          ),
        )
      : null,
  );
}
