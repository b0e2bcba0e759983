/** Customers: Pull, Push with progress and cancel, conflicts side by side, refused rows. */
import { type Conflict, headersFor, recordToRow } from "../../../core/sync.ts";
import type { App } from "../app.ts";
import { h } from "../dom.ts";

/** Recount the unpushed changes shown under Push. */
export async function refreshPending(app: App): Promise<void> {
  try {
    const p = await app.sync.pending();
    const signedIn = app.deps.session.get() !== null;
    app.pendingText = p
      ? app.t("pending", { created: p.created, edited: p.edited, deleted: p.deleted })
      : signedIn && (await app.sync.hasTable())
        ? app.t("notPulled")
        : "";
  } catch {
    app.pendingText = "";
  }
  app.render();
}

async function pull(app: App): Promise<void> {
  const pending = await app.sync.pending();
  const unsent = pending ? pending.created + pending.edited + pending.deleted : 0;
  if (unsent > 0 && !app.confirmPull) {
    app.confirmPull = true;
    app.status = { kind: "warning", text: app.t("pullOverwrite", { count: unsent }) };
    return;
  }
  app.confirmPull = false;
  const count = await app.sync.pull();
  app.conflicts = [];
  app.refused = [];
  app.problems = [];
  app.status = { kind: "success", text: app.t("pulled", { count }) };
  await refreshPending(app);
}

async function push(app: App): Promise<void> {
  app.confirmPull = false;
  if (!(await app.sync.hasTable())) {
    app.status = { kind: "warning", text: app.t("noTable") };
    return;
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
    const details = [
      report.conflicts.length ? app.t("pushConflicts", { count: report.conflicts.length }) : "",
      report.refused.length ? app.t("pushRefused", { count: report.refused.length }) : "",
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
  } finally {
    app.abort = null;
    app.progress = null;
  }
  await refreshPending(app);
}

async function resolve(app: App, conflict: Conflict, choice: "mine" | "theirs"): Promise<void> {
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

function show(v: unknown): string {
  return v === "" || v === null || v === undefined ? "–" : String(v);
}

function conflictCard(app: App, c: Conflict): Node {
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
            h("td", { class: "mine" }, mine ? show(r.a) : deleted),
            h("td", { class: "theirs" }, theirs ? show(r.b) : deleted),
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
export function customersPage(app: App): Node {
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
                () => push(app),
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
    app.conflicts.length
      ? h(
          "section",
          { class: "conflicts" },
          h("h2", null, `${app.t("conflictsTitle")} (${app.conflicts.length})`),
          app.conflicts.map((c) => conflictCard(app, c)),
        )
      : null,
    app.refused.length || app.problems.length
      ? h(
          "section",
          { class: "card refused" },
          h("h2", null, app.t("refusedTitle")),
          h(
            "ul",
            null,
            app.refused.map((r) =>
              h("li", { "data-id": r.id }, h("strong", null, r.id), " ", r.message),
            ),
            app.problems.map((p) => h("li", null, app.t(p.key, p.params))),
          ),
        )
      : null,
  );
}
