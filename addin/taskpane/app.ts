/**
 * The task pane: state, header, tabs, the status line and the page of the current tab. Pages
 * are functions of the app (pages/*.ts) and are drawn again after every change; the state
 * they need across redraws (form inputs included) lives here.
 */
import type { Language } from "../../core/messages/index.ts";
import type { Conflict, RowProblem } from "../../core/sync.ts";
import { ApiRequestError, type CreditRequest } from "../api.ts";
import type { CognitoConfig, Tokens } from "../auth/pkce.ts";
import type { Session } from "../session.ts";
import type { Workbook } from "../workbook/port.ts";
import { apiErrorText } from "./apiErrors.ts";
import { CustomerSync, type Refused, type SnapshotStore } from "./customerSync.ts";
import { h } from "./dom.ts";
import { type PaneKey, paneText } from "./i18n/index.ts";
import { creditPage, enterCredit } from "./pages/credit.ts";
import { customersPage, refreshPending } from "./pages/customers.ts";
import { enterGrade, gradePage } from "./pages/grade.ts";
import { settingsPage } from "./pages/settings.ts";
import { enterSignIn, signInPage } from "./pages/signIn.ts";

/** dist/config.json, written by deploy; absent in local mode. */
export interface PaneConfig {
  readonly apiBase?: string;
  readonly auth?: CognitoConfig;
}

export interface PaneDeps {
  readonly workbook: Workbook;
  readonly session: Session;
  readonly config: PaneConfig | null;
  readonly storage?: SnapshotStore | undefined;
  /** The Office dialog sign-in (Excel only); absent in the preview. */
  readonly cognitoSignIn?: (config: CognitoConfig) => Promise<Tokens>;
  readonly cognitoRefresh?: (config: CognitoConfig, refreshToken: string) => Promise<Tokens>;
  readonly cognitoSignOut?: (config: CognitoConfig) => Promise<void>;
  readonly version: string;
}

export type Page = "signIn" | "customers" | "grade" | "credit" | "settings";
export type StatusKind = "info" | "success" | "warning" | "error";

const TABS: readonly { page: Page; key: PaneKey }[] = [
  { page: "signIn", key: "tabSignIn" },
  { page: "customers", key: "tabCustomers" },
  { page: "grade", key: "tabGrade" },
  { page: "credit", key: "tabCredit" },
  { page: "settings", key: "tabSettings" },
];

const PAGES: Readonly<Record<Page, (app: App) => Node>> = {
  signIn: signInPage,
  customers: customersPage,
  grade: gradePage,
  credit: creditPage,
  settings: settingsPage,
};

/** What a page loads when it opens (the workbook's tables, the policy, the requests). */
const ENTER: Partial<Record<Page, (app: App) => Promise<void>>> = {
  signIn: enterSignIn,
  customers: refreshPending,
  grade: enterGrade,
  credit: enterCredit,
};

/** Form values kept across redraws, by field name. */
export type Form = Record<string, string>;

export class App {
  readonly deps: PaneDeps;
  readonly sync: CustomerSync;
  readonly root: HTMLElement;
  page: Page = "signIn";
  status: { kind: StatusKind; text: string; details?: readonly string[] } | null = null;
  busy = false;
  /** A push under way; `waitSeconds` while the busy service is waited for. */
  progress: { done: number; total: number; waitSeconds?: number } | null = null;
  abort: AbortController | null = null;
  conflicts: Conflict[] = [];
  refused: Refused[] = [];
  problems: RowProblem[] = [];
  pendingText = "";
  /** Unpushed changes a Pull would replace, while the pane asks whether to go on. */
  pullAsk: number | null = null;
  requests: CreditRequest[] = [];
  readonly forms: Record<string, Form> = {};
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(root: HTMLElement, deps: PaneDeps) {
    this.root = root;
    this.deps = deps;
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
    deps.session.subscribe(() => this.render());
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
    return this.deps.session.get()?.groups.includes("managers") ?? false;
  }

  go(page: Page): void {
    this.page = page;
    this.render();
    const enter = ENTER[page];
    if (enter) {
      enter(this).catch((error: unknown) => this.say("error", this.reason(error)));
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
  async run(action: () => Promise<void>, onError: (reason: string) => string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.render();
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 401 && this.deps.session.get()) {
        // The token expired or was revoked: sign out, so the next step is plainly "sign in".
        this.deps.session.set(null);
        this.page = "signIn";
        this.status = { kind: "warning", text: this.t("sessionExpired") };
      } else {
        this.status = { kind: "error", text: onError(this.reason(error)) };
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

  scheduleRefresh(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    const signedIn = this.deps.session.get();
    const auth = this.deps.config?.auth;
    if (!signedIn?.refreshToken || !auth || !this.deps.cognitoRefresh) return;
    const refresh = this.deps.cognitoRefresh;
    const delay = Math.max(0, signedIn.expiresAt - Date.now() - 60_000);
    this.#refreshTimer = setTimeout(() => {
      refresh(auth, signedIn.refreshToken ?? "")
        .then((tokens) => {
          this.deps.session.set({
            ...signedIn,
            token: tokens.idToken,
            expiresAt: tokens.expiresAt,
            ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          });
          this.scheduleRefresh();
        })
        .catch(() => {
          this.deps.session.set(null);
          this.say("warning", this.t("sessionExpired"));
        });
    }, delay);
  }

  signOut(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    const auth = this.deps.config?.auth;
    if (auth && this.deps.cognitoSignOut) {
      // The pane is signed out either way; a failed hosted-UI logout only means the next
      // sign-in may not ask for the password.
      this.deps.cognitoSignOut(auth).catch(() => undefined);
    }
    this.deps.session.set(null);
    this.forgetWork();
    this.go("signIn");
    this.say("info", this.t("signedOut"));
  }

  /** Another user (or none) from now on: the last push's conflicts and refusals were theirs. */
  forgetWork(): void {
    this.conflicts = [];
    this.refused = [];
    this.problems = [];
    this.requests = [];
    this.pullAsk = null;
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
      PAGES[this.page](this),
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
