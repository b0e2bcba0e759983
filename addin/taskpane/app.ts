/**
 * The task pane: state, header, tabs, the status line and the page of the current tab. Pages
 * are functions of the app (pages/*.ts) and are drawn again after every change; the state
 * they need across redraws (form inputs included) lives here.
 */
import type { Language } from "../../core/messages/index.ts";
import { isManager } from "../../core/roles.ts";
import { ApiRequestError } from "../api.ts";
import { refreshDelay, TokenError } from "../auth/pkce.ts";
import type { SignedIn } from "../session.ts";
import { apiErrorText } from "./apiErrors.ts";
import type { Form, Page, PaneContext, PaneDeps, PaneView, Status, StatusKind } from "./context.ts";
import { CustomerSync, type PushReport } from "./customerSync.ts";
import { h } from "./dom.ts";
import { type PaneKey, paneText } from "./i18n/index.ts";
import { createCreditPage } from "./pages/credit.ts";
import { type CustomersPage, createCustomersPage } from "./pages/customers.ts";
import { createGradePage } from "./pages/grade.ts";
import { settingsPage } from "./pages/settings.ts";
import { createSignInPage } from "./pages/signIn.ts";

export type { Form, Page, PaneConfig, PaneDeps, StatusKind } from "./context.ts";

const TABS: readonly { page: Page; key: PaneKey }[] = [
  { page: "signIn", key: "tabSignIn" },
  { page: "customers", key: "tabCustomers" },
  { page: "grade", key: "tabGrade" },
  { page: "credit", key: "tabCredit" },
  { page: "settings", key: "tabSettings" },
];

/**
 * Every page afresh: what a page loads when it opens (the workbook's tables, the policy, the
 * requests) and what it shows.
 */
function createPages(): Record<Page, PaneView> & { customers: CustomersPage } {
  return {
    signIn: createSignInPage(),
    customers: createCustomersPage(),
    grade: createGradePage(),
    credit: createCreditPage(),
    settings: { view: settingsPage },
  };
}

const whoOf = (s: SignedIn | null): string => (s ? `${s.user}\n${s.team}` : "");

export class App implements PaneContext {
  readonly deps: PaneDeps;
  readonly sync: CustomerSync;
  readonly root: HTMLElement;
  page: Page = "signIn";
  status: Status | null = null;
  busy = false;
  #pages = createPages();
  /** Whose pages these are: user and team, "" when signed out. */
  #who: string;
  readonly forms: Record<string, Form> = {};
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** The refresh under way: with rotation, two refreshes with one refresh token would revoke it. */
  #refreshing: Promise<boolean> | null = null;

  constructor(root: HTMLElement, deps: PaneDeps) {
    this.root = root;
    this.deps = deps;
    this.#who = whoOf(deps.session.get());
    this.sync = new CustomerSync({
      workbook: deps.workbook,
      api: () => deps.session.api(),
      team: () => deps.session.get()?.team ?? "",
      store: deps.storage,
      idempotencyKey: () => crypto.randomUUID(),
      problemText: (p) => this.t(p.key, p.params),
      errorText: (e) => apiErrorText(this.lang, e),
      limitText: (limit, approved) =>
        this.t(approved ? "limitApprovedCell" : "limitRequestedCell", {
          limit: limit.toLocaleString(this.lang),
        }),
    });
    if (deps.config?.apiBase !== undefined) deps.session.setApiBase(deps.config.apiBase);
    deps.session.subscribe(() => {
      const who = whoOf(this.deps.session.get());
      // Another user (or none) from now on: what every page loaded or was typed into it (the
      // last push's conflicts and refusals, the credit history) was the last user's.
      if (who !== this.#who) {
        this.#who = who;
        this.#pages = createPages();
      }
      this.render();
    });
    // Reopened while signed in (the shared runtime keeps the session): straight to the work.
    if (deps.session.get()) this.go("customers");
    else this.go("signIn");
  }

  get lang(): Language {
    return this.deps.session.language();
  }

  /** A message of the pane in the current language. */
  t(key: PaneKey, params?: Readonly<Record<string, string | number>>): string {
    return paneText(this.lang, key, params);
  }

  form(name: string): Form {
    this.forms[name] ??= {};
    return this.forms[name];
  }

  isManager(): boolean {
    return isManager(this.deps.session.get()?.groups ?? []);
  }

  go(page: Page): void {
    this.page = page;
    this.render();
    const { enter } = this.#pages[page];
    if (enter) {
      this.#withFreshToken(() => enter(this)).catch((error: unknown) => {
        if (!this.#expiredAfter(error)) this.say("error", this.reason(error));
      });
    }
  }

  say(kind: StatusKind, text: string, details?: readonly string[]): void {
    this.status = details ? { kind, text, details } : { kind, text };
    this.render();
  }

  /** The reason of a failure in words a user can act on. */
  reason(error: unknown): string {
    if (error instanceof ApiRequestError) {
      const where = this.deps.session.apiBase() || location.origin;
      // The reason goes inside a sentence of its own ("Pull failed: {reason}. …").
      return apiErrorText(this.lang, error, where).replace(/[.。]$/, "");
    }
    return error instanceof Error ? error.message : String(error);
  }

  /** Run an action with the pane marked busy; failures become a status line. */
  async run(
    action: () => Promise<void>,
    onError: (reason: string, error: unknown) => string,
  ): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.render();
    try {
      await this.#withFreshToken(action);
    } catch (error) {
      if (!this.#expiredAfter(error)) {
        this.status = { kind: "error", text: onError(this.reason(error), error) };
      }
    } finally {
      this.busy = false;
      this.render();
    }
  }

  /** After any sign-in: load the team policy so credit formulas use it, and plan a refresh. */
  async afterSignIn(): Promise<void> {
    const s = this.deps.session;
    try {
      const { policy, version } = await s.api().getPolicy();
      s.setPolicy(policy, version);
    } catch (error) {
      this.say("warning", this.t("policyLoadFailed", { reason: this.reason(error) }));
    }
    this.scheduleRefresh();
  }

  /** Refresh the token before it expires (a minute early), again after every refresh. */
  scheduleRefresh(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    const signedIn = this.deps.session.get();
    if (!signedIn?.refreshToken || !this.deps.signIn) return;
    this.#refreshTimer = setTimeout(
      () => void this.refreshSession(),
      refreshDelay(signedIn.expiresAt, Date.now()),
    );
  }

  /**
   * New tokens for the session's refresh token (one refresh at a time); with rotation the new
   * refresh token replaces the old one. True when the session goes on; a refused refresh token
   * (expired, revoked, or reused) ends it with "sign in again".
   */
  refreshSession(): Promise<boolean> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<boolean> {
    const signedIn = this.deps.session.get();
    const service = this.deps.signIn;
    if (!signedIn?.refreshToken || !service) return false;
    const used = signedIn.refreshToken;
    // Signed out (or in again) meanwhile: the answer belongs to a session that is gone.
    const stillOurs = (): SignedIn | null => {
      const now = this.deps.session.get();
      return now?.refreshToken === used ? now : null;
    };
    try {
      const tokens = await service.refresh(used);
      const current = stillOurs();
      if (!current) return false;
      this.deps.session.set({
        ...current,
        token: tokens.idToken,
        expiresAt: tokens.expiresAt,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      });
      this.scheduleRefresh();
      return true;
    } catch (error) {
      if (!stillOurs()) return false;
      if (error instanceof TokenError) {
        this.#endSession("warning", this.t("sessionExpired"));
      } else {
        // The sign-in service is out of reach: keep the session and try again within the
        // refresh token's grace period (30 s in AWS).
        this.say("warning", this.t("refreshFailed", { reason: this.reason(error) }));
        this.#refreshTimer = setTimeout(() => void this.refreshSession(), 15_000);
      }
      return false;
    }
  }

  /**
   * Run an action; if the API refuses the token (it expired while the computer slept, say),
   * refresh it and run the action once more. A 401 comes from the authorizer before any
   * handler runs, so the first try changed nothing.
   */
  async #withFreshToken(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const refusedToken =
        error instanceof ApiRequestError && error.status === 401 && this.deps.session.get();
      if (!refusedToken || !(await this.refreshSession())) throw error;
      await action();
    }
  }

  /** After a 401 that a refresh could not cure: signed out, with "sign in again". */
  #expiredAfter(error: unknown): boolean {
    if (!(error instanceof ApiRequestError) || error.status !== 401) return false;
    if (this.deps.session.get()) this.#endSession("warning", this.t("sessionExpired"));
    return true;
  }

  push(): Promise<PushReport | null> {
    return this.#pages.customers.push(this);
  }

  /** Forget the session and everything of the team, and go to the sign-in page. */
  #endSession(kind: StatusKind, text: string): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.deps.session.set(null);
    this.go("signIn");
    this.say(kind, text);
  }

  signOut(): void {
    const service = this.deps.signIn;
    this.#endSession("info", this.t("signedOut"));
    // The pane is signed out either way; a failed provider logout only means the next sign-in
    // may not ask for the password.
    service?.signOut().catch(() => undefined);
  }

  render(): void {
    const signedIn = this.deps.session.get();
    document.documentElement.lang = this.lang;
    const focused = document.activeElement?.getAttribute("data-focus") ?? null;
    const header = h(
      "header",
      { class: "app-header" },
      h("h1", null, this.t("appTitle")),
      signedIn
        ? h(
            "span",
            {
              class: "who",
              title: this.t("signedInAs", { user: signedIn.user, team: signedIn.team }),
            },
            `${signedIn.user} · ${signedIn.team}`,
          )
        : null,
    );
    const tabs = h(
      "nav",
      { class: "tabs", role: "tablist" },
      TABS.map((tab) =>
        h(
          "button",
          {
            role: "tab",
            class: "tab",
            "data-page": tab.page,
            "aria-selected": String(this.page === tab.page),
            onclick: () => this.go(tab.page),
          },
          this.t(tab.key),
        ),
      ),
    );
    const status = this.status
      ? h(
          "div",
          {
            class: `status ${this.status.kind}`,
            role: this.status.kind === "error" ? "alert" : "status",
          },
          h("span", { class: "status-text" }, this.status.text),
          this.status.details?.length
            ? h(
                "ul",
                null,
                this.status.details.map((d) => h("li", null, d)),
              )
            : null,
          h(
            "button",
            {
              class: "subtle dismiss",
              "aria-label": this.t("dismiss"),
              onclick: () => {
                this.status = null;
                this.render();
              },
            },
            "×",
          ),
        )
      : null;
    const main = h(
      "main",
      { class: "page", "data-page": this.page, "aria-busy": String(this.busy) },
      this.#pages[this.page].view(this),
    );
    // Header, tabs and status stay in view while the page scrolls: every action's outcome is seen.
    this.root.replaceChildren(
      h("div", { class: "top" }, header, tabs, h("div", { class: "status-slot" }, status)),
      main,
    );
    if (focused)
      (this.root.querySelector(`[data-focus="${focused}"]`) as HTMLElement | null)?.focus();
  }
}

/** Mount the pane into `root`. */
export function mountPane(root: HTMLElement, deps: PaneDeps): App {
  return new App(root, deps);
}
