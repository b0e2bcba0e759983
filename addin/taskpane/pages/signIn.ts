/**
 * Sign in: who and which team; locally a picker of dev users, else the OpenID provider.
 * Locally, while the sample team has no customers, it offers to load them (as the manager).
 */
import { recordsToTable, TEXT_HEADERS } from "../../../core/sync.ts";
import { ApiClient } from "../../api.ts";
import { DialogError, devToken } from "../../auth/dialog.ts";
import { identityOf, TokenError } from "../../auth/pkce.ts";
import type { PaneContext, PaneView } from "../context.ts";
import { CUSTOMERS } from "../customerSync.ts";
import { h } from "../dom.ts";
import type { PaneKey } from "../i18n/index.ts";
import { SAMPLE_CUSTOMERS } from "../sampleCustomers.ts";

/** The dev users the local API knows (contracts: ana, li, bo). */
export const DEV_USERS: readonly {
  user: string;
  team: string;
  groups: string[];
  label: PaneKey;
}[] = [
  { user: "ana", team: "acme", groups: [], label: "devUserAna" },
  { user: "li", team: "acme", groups: ["managers"], label: "devUserLi" },
  { user: "bo", team: "globex", groups: [], label: "devUserBo" },
];

/** The credit manager of the sample team: the samples carry limits only a manager may set. */
const SAMPLE_LOADER = DEV_USERS[1] as (typeof DEV_USERS)[number];

/** What the page holds between redraws. */
interface SignInState {
  /** Whether to offer the sample team: local mode and team acme has no customers yet. */
  offerSample: boolean;
}

/** When the page opens: ask the local API (as the manager) whether the sample team is empty. */
async function enterSignIn(app: PaneContext, s: SignInState): Promise<void> {
  if (app.deps.config?.auth || app.deps.session.get()) {
    s.offerSample = false;
    return;
  }
  try {
    const base = app.deps.session.apiBase();
    const token = await devToken(base, SAMPLE_LOADER);
    const api = new ApiClient({ baseUrl: base, token: () => token });
    s.offerSample = (await api.listCustomers({ limit: 1 })).items.length === 0;
  } catch {
    s.offerSample = false; // No local API (or not a local one): nothing to offer.
  }
  app.render();
}

/**
 * Sign in as the credit manager and push the sample customers (written into the Customers
 * table first when the workbook has none), so limits are saved rather than refused.
 */
async function loadSampleTeam(app: PaneContext, s: SignInState): Promise<void> {
  await signInDev(app, SAMPLE_LOADER);
  if (!(await app.sync.hasTable())) {
    await app.deps.workbook.writeTable({
      sheet: CUSTOMERS,
      name: CUSTOMERS,
      table: recordsToTable(SAMPLE_CUSTOMERS.map((r) => ({ ...r, version: 0 }))),
      textHeaders: TEXT_HEADERS,
    });
  }
  const report = await app.push();
  s.offerSample = false;
  const clean =
    report !== null &&
    report.stopped === null &&
    report.conflicts.length + report.refused.length + report.problems.length === 0;
  // Anything refused stays in the push report's own words on the Customers page.
  if (clean) app.status = { kind: "success", text: app.t("sampleLoaded", { count: report.saved }) };
}

async function signInDev(app: PaneContext, dev: (typeof DEV_USERS)[number]): Promise<void> {
  const s = app.deps.session;
  const token = await devToken(s.apiBase(), dev);
  const identity = identityOf(token);
  s.set({
    token,
    user: dev.user,
    team: dev.team,
    groups: dev.groups,
    expiresAt: identity.expiresAt || Date.now() + 3_600_000,
  });
  await app.afterSignIn();
  app.status = { kind: "success", text: app.t("signedIn", { user: dev.user, team: dev.team }) };
  app.page = "customers";
}

async function signInWithProvider(app: PaneContext): Promise<void> {
  const service = app.deps.signIn;
  if (!service) return;
  const tokens = await service.signIn();
  const who = identityOf(tokens.idToken);
  app.deps.session.set({
    token: tokens.idToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    user: who.user,
    team: who.team,
    groups: who.groups,
    expiresAt: tokens.expiresAt,
  });
  await app.afterSignIn();
  app.status = { kind: "success", text: app.t("signedIn", { user: who.user, team: who.team }) };
  app.page = "customers";
}

/** The sign-in page, offering the sample team once it knows the team is empty. */
export function createSignInPage(): PaneView {
  const s: SignInState = { offerSample: false };
  return { enter: (app) => enterSignIn(app, s), view: (app) => signInPage(app, s) };
}

function signInPage(app: PaneContext, state: SignInState): Node {
  const s = app.deps.session;
  const signedIn = s.get();
  const policy = s.policy();
  const fail = (reason: string, error?: unknown): string => {
    if (error instanceof DialogError)
      return app.t(error.failure === "blocked" ? "signInBlocked" : "signInWindowClosed");
    const why = error instanceof TokenError ? app.t("signInRefused", { code: error.code }) : reason;
    return app.t("signInFailed", { reason: why });
  };
  const who = signedIn
    ? h(
        "section",
        { class: "card" },
        h(
          "p",
          { class: "who-line" },
          app.t("signedInAs", { user: signedIn.user, team: signedIn.team }),
        ),
        h("p", { class: "hint" }, app.isManager() ? app.t("roleManager") : app.t("roleStaff")),
        h(
          "p",
          { class: "hint" },
          policy.source === "team"
            ? app.t("policyTeam", { version: policy.version ?? "" })
            : app.t("policyDefault"),
        ),
        h("button", { class: "secondary", onclick: () => app.signOut() }, app.t("signOut")),
      )
    : h("p", { class: "hint" }, app.t("notSignedIn"));
  const sample =
    state.offerSample && !signedIn
      ? h(
          "section",
          { class: "card sample" },
          h("h2", null, app.t("sampleTitle")),
          h("p", { class: "hint" }, app.t("sampleHint")),
          h(
            "button",
            {
              class: "primary",
              id: "load-sample",
              disabled: app.busy,
              onclick: () =>
                app.run(
                  () => loadSampleTeam(app, state),
                  (reason) => app.t("sampleFailed", { reason }),
                ),
            },
            app.t("sampleLoad"),
          ),
        )
      : null;
  const picker = app.deps.signIn
    ? h(
        "section",
        { class: "card" },
        h(
          "button",
          {
            class: "primary",
            disabled: app.busy,
            onclick: () => app.run(() => signInWithProvider(app), fail),
          },
          app.t("signInCognito"),
        ),
      )
    : h(
        "section",
        { class: "card" },
        h("h2", null, app.t("devPickerTitle")),
        h("p", { class: "hint" }, app.t("devPickerHint")),
        h(
          "div",
          { class: "stack" },
          DEV_USERS.map((dev) =>
            h(
              "button",
              {
                class: signedIn?.user === dev.user ? "secondary selected" : "secondary",
                "data-user": dev.user,
                disabled: app.busy,
                onclick: () => app.run(() => signInDev(app, dev), fail),
              },
              app.t(dev.label),
            ),
          ),
        ),
      );
  return h("div", null, who, sample, picker);
}
