/**
 * The task pane: the session's life (sign-in, token refresh, sign-out), header, tabs, the
 * status line and the page of the current tab. Pages (pages/*.ts) own their state and see the
 * pane only through a narrow `PaneContext`; they are drawn again after every change.
 */
import type { Language } from "../../core/messages/index.ts";
import { isManager } from "../../core/roles.ts";
import { ApiRequestError } from "../api.ts";
import { refreshDelay, TokenError } from "../auth/pkce.ts";
import type { SignedIn } from "../session.ts";
import { apiErrorText } from "./apiErrors.ts";
import type { Page, PaneContext, PaneDeps, PaneView, StatusKind } from "./context.ts";
import { CustomerSync, type PushReport } from "./customerSync.ts";
import { h } from "./dom.ts";
import { type PaneKey, paneText } from "./i18n/index.ts";
import { createCreditPage } from "./pages/credit.ts";
import { type CustomersPage, createCustomersPage } from "./pages/customers.ts";
import { createGradePage } from "./pages/grade.ts";
import { createSettingsPage } from "./pages/settings.ts";
import { createSignInPage } from "./pages/signIn.ts";

export type { Page, PaneConfig, PaneDeps, StatusKind } from "./context.ts";

type Status = { kind: StatusKind; text: string; details?: readonly string[] };

const TABS: readonly { page: Page; key: PaneKey }[] = [
  { page: "signIn", key: "tabSignIn" },
  { page: "customers", key: "tabCustomers" },
  { page: "grade", key: "tabGrade" },
  { page: "credit", key: "tabCredit" },
  { page: "settings", key: "tabSettings" },
];

type Pages = Record<Page, PaneView> & { customers: CustomersPage };

/**
 * Every page afresh, nothing loaded or typed yet. Pages that act on another page's state get
 * that page's action here, never the page itself: a language switch re-labels what this Grade
 * page wrote; the sample-team loader pushes through `push`, which reaches the Customers page of
 * whoever is signed in by then (the loader signs in first, and that makes every page afresh).
 */
function createPages(
  pane: PaneContext,
  deps: PaneDeps,
  push: () => Promise<PushReport | null>,
): Pages {
  const grade = createGradePage(pane);
  return {
    signIn: createSignInPage(pane, { provider: deps.signIn, local: !deps.config?.auth, push }),
    customers: createCustomersPage(pane),
    grade,
    credit: createCreditPage(pane),
    settings: createSettingsPage(pane, { version: deps.version, relabel: () => grade.relabel() }),
  };
}

const whoOf = (s: SignedIn | null): string => (s ? `${s.user}\n${s.team}` : "");

export class App {
  readonly root: HTMLElement;
  readonly #deps: PaneDeps;
  readonly #sync: CustomerSync;
  readonly #context: PaneContext;
  #page: Page = "signIn";
  #status: Status | null = null;
  #busy = false;
  #pages: Pages;
  /** Whose pages these are: user and team, "" when signed out. */
  #who: string;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** The refresh under way: with rotation, two refreshes with one refresh token would revoke it. */
  #refreshing: Promise<boolean> | null = null;

  constructor(root: HTMLElement, deps: PaneDeps) {
    this.root = root;
    this.#deps = deps;
    this.#who = whoOf(deps.session.get());
    this.#sync = new CustomerSync({
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
    this.#context = this.#paneContext();
    this.#pages = this.#createPages();
    if (deps.config?.apiBase !== undefined) deps.session.setApiBase(deps.config.apiBase);
    deps.session.subscribe(() => {
      const who = whoOf(this.#deps.session.get());
      // Another user (or none) from now on: what every page loaded or was typed into it (the
      // last push's conflicts and refusals, the credit history, the grading wizard's choices
      // and last run, the settings form) was the last user's.
      if (who !== this.#who) {
        this.#who = who;
        this.#pages = this.#createPages();
      }
      this.render();
    });
    // Reopened while signed in (the shared runtime keeps the session): straight to the work.
    if (deps.session.get()) this.go("customers");
    else this.go("signIn");
  }

  #createPages(): Pages {
    return createPages(this.#context, this.#deps, () => this.#pages.customers.push());
  }

  /** What pages may use of the pane; frozen, so no page writes into it. */
  #paneContext(): PaneContext {
    const app = this;
    const session = this.#deps.session;
    return Object.freeze({
      get lang() {
        return app.lang;
      },
      get busy() {
        return app.#busy;
      },
      session: Object.freeze({
        get: () => session.get(),
        api: () => session.api(),
        policy: () => session.policy(),
        setPolicy: (policy, version) => session.setPolicy(policy, version),
        apiBase: () => session.apiBase(),
        setApiBase: (url) => session.setApiBase(url),
        setLanguage: (lang) => session.setLanguage(lang),
        isManager: () => isManager(session.get()?.groups ?? []),
        signIn: (who) => app.#signIn(who),
        signOut: () => app.signOut(),
      } satisfies PaneContext["session"]),
      workbook: this.#deps.workbook,
      sync: this.#sync,
      t: (key, params) => app.t(key, params),
      say: (kind, text, details) => app.say(kind, text, details),
      hush: () => app.hush(),
      reason: (error) => app.#reason(error),
      run: (action, onError) => app.#run(action, onError),
      render: () => app.render(),
      go: (page) => app.go(page),
    } satisfies PaneContext);
  }

  get lang(): Language {
    return this.#deps.session.language();
  }

  /** A message of the pane in the current language. */
  t(key: PaneKey, params?: Readonly<Record<string, string | number>>): string {
    return paneText(this.lang, key, params);
  }

  /** Open a page and let it load what it shows. */
  go(page: Page): void {
    this.#page = page;
    this.render();
    // Pages are closures over their own state: `enter` needs no `this`.
    const { enter } = this.#pages[page];
    if (enter) {
      this.#withFreshToken(enter).catch((error: unknown) => {
        if (!this.#expiredAfter(error)) this.say("error", this.#reason(error));
      });
    }
  }

  /** Show an outcome in the status line. */
  say(kind: StatusKind, text: string, details?: readonly string[]): void {
    this.#status = details ? { kind, text, details } : { kind, text };
    this.render();
  }

  /** Clear the status line. */
  hush(): void {
    this.#status = null;
    this.render();
  }

  /** The reason of a failure in words a user can act on. */
  #reason(error: unknown): string {
    if (error instanceof ApiRequestError) {
      const where = this.#deps.session.apiBase() || location.origin;
      // The reason goes inside a sentence of its own ("Pull failed: {reason}. …").
      return apiErrorText(this.lang, error, where).replace(/[.。]$/, "");
    }
    return error instanceof Error ? error.message : String(error);
  }

  async #run(
    action: () => Promise<void>,
    onError: (reason: string, error: unknown) => string,
  ): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.render();
    try {
      await this.#withFreshToken(action);
    } catch (error) {
      if (!this.#expiredAfter(error)) {
        this.#status = { kind: "error", text: onError(this.#reason(error), error) };
      }
    } finally {
      this.#busy = false;
      this.render();
    }
  }

  /**
   * Sign `who` in (every page starts afresh for them), then load the team policy so credit
   * formulas use it, and plan a refresh.
   */
  async #signIn(who: SignedIn): Promise<void> {
    const s = this.#deps.session;
    s.set(who);
    try {
      const { policy, version } = await s.api().getPolicy();
      s.setPolicy(policy, version);
    } catch (error) {
      this.say("warning", this.t("policyLoadFailed", { reason: this.#reason(error) }));
    }
    this.scheduleRefresh();
  }

  /** Refresh the token before it expires (a minute early), again after every refresh. */
  scheduleRefresh(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    const signedIn = this.#deps.session.get();
    if (!signedIn?.refreshToken || !this.#deps.signIn) return;
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
    const signedIn = this.#deps.session.get();
    const service = this.#deps.signIn;
    if (!signedIn?.refreshToken || !service) return false;
    const used = signedIn.refreshToken;
    // Signed out (or in again) meanwhile: the answer belongs to a session that is gone.
    const stillOurs = (): SignedIn | null => {
      const now = this.#deps.session.get();
      return now?.refreshToken === used ? now : null;
    };
    try {
      const tokens = await service.refresh(used);
      const current = stillOurs();
      if (!current) return false;
      this.#deps.session.set({
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
        this.say("warning", this.t("refreshFailed", { reason: this.#reason(error) }));
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
        error instanceof ApiRequestError && error.status === 401 && this.#deps.session.get();
      if (!refusedToken || !(await this.refreshSession())) throw error;
      await action();
    }
  }

  /** After a 401 that a refresh could not cure: signed out, with "sign in again". */
  #expiredAfter(error: unknown): boolean {
    if (!(error instanceof ApiRequestError) || error.status !== 401) return false;
    if (this.#deps.session.get()) this.#endSession("warning", this.t("sessionExpired"));
    return true;
  }

  /** Forget the session and everything of the team, and go to the sign-in page. */
  #endSession(kind: StatusKind, text: string): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.#deps.session.set(null);
    this.go("signIn");
    this.say(kind, text);
  }

  /** Sign out: every page starts afresh, and the provider forgets the sign-in too. */
  signOut(): void {
    const service = this.#deps.signIn;
    this.#endSession("info", this.t("signedOut"));
    // The pane is signed out either way; a failed provider logout only means the next sign-in
    // may not ask for the password.
    service?.signOut().catch(() => undefined);
  }

  render(): void {
    const signedIn = this.#deps.session.get();
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
            "aria-selected": String(this.#page === tab.page),
            onclick: () => this.go(tab.page),
          },
          this.t(tab.key),
        ),
      ),
    );
    const shown = this.#status;
    const status = shown
      ? h(
          "div",
          {
            class: `status ${shown.kind}`,
            role: shown.kind === "error" ? "alert" : "status",
          },
          h("span", { class: "status-text" }, shown.text),
          shown.details?.length
            ? h(
                "ul",
                null,
                shown.details.map((d) => h("li", null, d)),
              )
            : null,
          h(
            "button",
            {
              class: "subtle dismiss",
              "aria-label": this.t("dismiss"),
              onclick: () => this.hush(),
            },
            "×",
          ),
        )
      : null;
    const main = h(
      "main",
      { class: "page", "data-page": this.#page, "aria-busy": String(this.#busy) },
      this.#pages[this.#page].view(),
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
