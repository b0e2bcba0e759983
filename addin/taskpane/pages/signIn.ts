/**
 * Sign in: who and which team; locally a picker of dev users, else the OpenID provider.
 * Locally, while the sample team has no customers, it offers to load them (as the manager).
 */
import { recordsToTable, TEXT_HEADERS } from "../../../core/sync.ts";
import { ApiClient } from "../../api.ts";
import { DialogError, devToken, type SignInService } from "../../auth/dialog.ts";
import { identityOf, TokenError } from "../../auth/pkce.ts";
import type { PaneContext, PaneView } from "../context.ts";
import { CUSTOMERS, type PushReport } from "../customerSync.ts";
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

/** What the Sign-in page is made with. */
export interface SignInOptions {
  /** Sign-in with the OpenID provider; absent in local mode, where dev users sign in. */
  readonly provider: SignInService | undefined;
  /** Local mode: the local API, its dev users and, while the team is empty, the sample team. */
  readonly local: boolean;
  /**
   * Push the Customers table as the Customers page does, its report shown there: the page of
   * the user signed in by then (the loader signs in first, and every page starts afresh).
   */
  readonly push: () => Promise<PushReport | null>;
}

/** What the page holds between redraws. */
interface SignInState {
  /** Whether to offer the sample team: local mode and team acme has no customers yet. */
  offerSample: boolean;
}

/** When the page opens: ask the local API (as the manager) whether the sample team is empty. */
async function enterSignIn(
  pane: PaneContext,
  options: SignInOptions,
  s: SignInState,
): Promise<void> {
  if (!options.local || pane.session.get()) {
    s.offerSample = false;
    return;
  }
  try {
    const base = pane.session.apiBase();
    const token = await devToken(base, SAMPLE_LOADER);
    const api = new ApiClient({ baseUrl: base, token: () => token });
    s.offerSample = (await api.listCustomers({ limit: 1 })).items.length === 0;
  } catch {
    s.offerSample = false; // No local API (or not a local one): nothing to offer.
  }
  pane.render();
}

/**
 * Sign in as the credit manager and push the sample customers (written into the Customers
 * table first when the workbook has none), so limits are saved rather than refused.
 */
async function loadSampleTeam(
  pane: PaneContext,
  options: SignInOptions,
  s: SignInState,
): Promise<void> {
  await signInDev(pane, SAMPLE_LOADER);
  if (!(await pane.sync.hasTable())) {
    await pane.workbook.writeTable({
      sheet: CUSTOMERS,
      name: CUSTOMERS,
      table: recordsToTable(SAMPLE_CUSTOMERS.map((r) => ({ ...r, version: 0 }))),
      textHeaders: TEXT_HEADERS,
    });
  }
  const report = await options.push();
  s.offerSample = false;
  const clean =
    report !== null &&
    report.stopped === null &&
    report.conflicts.length + report.refused.length + report.problems.length === 0;
  // Anything refused stays in the push report's own words on the Customers page.
  if (clean) pane.say("success", pane.t("sampleLoaded", { count: report.saved }));
}

async function signInDev(pane: PaneContext, dev: (typeof DEV_USERS)[number]): Promise<void> {
  const s = pane.session;
  const token = await devToken(s.apiBase(), dev);
  const identity = identityOf(token);
  await s.signIn({
    token,
    user: dev.user,
    team: dev.team,
    groups: dev.groups,
    expiresAt: identity.expiresAt || Date.now() + 3_600_000,
  });
  pane.say("success", pane.t("signedIn", { user: dev.user, team: dev.team }));
  pane.go("customers");
}

async function signInWithProvider(pane: PaneContext, service: SignInService): Promise<void> {
  const tokens = await service.signIn();
  const who = identityOf(tokens.idToken);
  await pane.session.signIn({
    token: tokens.idToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    user: who.user,
    team: who.team,
    groups: who.groups,
    expiresAt: tokens.expiresAt,
  });
  pane.say("success", pane.t("signedIn", { user: who.user, team: who.team }));
  pane.go("customers");
}

/** The sign-in page, offering the sample team once it knows the team is empty. */
export function createSignInPage(pane: PaneContext, options: SignInOptions): PaneView {
  const s: SignInState = { offerSample: false };
  return { enter: () => enterSignIn(pane, options, s), view: () => signInPage(pane, options, s) };
}

function signInPage(pane: PaneContext, options: SignInOptions, state: SignInState): Node {
  const s = pane.session;
  const signedIn = s.get();
  const policy = s.policy();
  const fail = (reason: string, error?: unknown): string => {
    if (error instanceof DialogError)
      return pane.t(error.failure === "blocked" ? "signInBlocked" : "signInWindowClosed");
    const why =
      error instanceof TokenError ? pane.t("signInRefused", { code: error.code }) : reason;
    return pane.t("signInFailed", { reason: why });
  };
  const who = signedIn
    ? h(
        "section",
        { class: "card" },
        h(
          "p",
          { class: "who-line" },
          pane.t("signedInAs", { user: signedIn.user, team: signedIn.team }),
        ),
        h(
          "p",
          { class: "hint" },
          pane.session.isManager() ? pane.t("roleManager") : pane.t("roleStaff"),
        ),
        h(
          "p",
          { class: "hint" },
          policy.source === "team"
            ? pane.t("policyTeam", { version: policy.version ?? "" })
            : pane.t("policyDefault"),
        ),
        h(
          "button",
          { class: "secondary", onclick: () => pane.session.signOut() },
          pane.t("signOut"),
        ),
      )
    : h("p", { class: "hint" }, pane.t("notSignedIn"));
  const sample =
    state.offerSample && !signedIn
      ? h(
          "section",
          { class: "card sample" },
          h("h2", null, pane.t("sampleTitle")),
          h("p", { class: "hint" }, pane.t("sampleHint")),
          h(
            "button",
            {
              class: "primary",
              id: "load-sample",
              disabled: pane.busy,
              onclick: () =>
                pane.run(
                  () => loadSampleTeam(pane, options, state),
                  (reason) => pane.t("sampleFailed", { reason }),
                ),
            },
            pane.t("sampleLoad"),
          ),
        )
      : null;
  const provider = options.provider;
  const picker = provider
    ? h(
        "section",
        { class: "card" },
        h(
          "button",
          {
            class: "primary",
            disabled: pane.busy,
            onclick: () => pane.run(() => signInWithProvider(pane, provider), fail),
          },
          pane.t("signInCognito"),
        ),
      )
    : h(
        "section",
        { class: "card" },
        h("h2", null, pane.t("devPickerTitle")),
        h("p", { class: "hint" }, pane.t("devPickerHint")),
        h(
          "div",
          { class: "stack" },
          DEV_USERS.map((dev) =>
            h(
              "button",
              {
                class: signedIn?.user === dev.user ? "secondary selected" : "secondary",
                "data-user": dev.user,
                disabled: pane.busy,
                onclick: () => pane.run(() => signInDev(pane, dev), fail),
              },
              pane.t(dev.label),
            ),
          ),
        ),
      );
  return h("div", null, who, sample, picker);
}
