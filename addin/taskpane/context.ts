/**
 * What a page of the task pane may use of the pane (app.ts implements it), so pages never
 * import app.ts; and the shape of a page: `create` makes it with fresh state, `enter` loads
 * what it shows when it opens, `view` draws it. The pane creates every page afresh whenever
 * another user (or none) is signed in, so nothing a user loaded or typed outlives them.
 */
import type { Language } from "../../core/messages/index.ts";
import type { SignInService } from "../auth/dialog.ts";
import type { OidcConfig } from "../auth/pkce.ts";
import type { Session, SignedIn } from "../session.ts";
import type { Workbook } from "../workbook/port.ts";
import type { CustomerSync, SnapshotStore } from "./customerSync.ts";
import type { PaneKey } from "./i18n/index.ts";

/** dist/config.json, written by deploy; absent in local mode. */
export interface PaneConfig {
  readonly apiBase?: string;
  /** The OpenID provider (Cognito in AWS); absent locally, where dev users sign in. */
  readonly auth?: OidcConfig;
}

/** What the pane is mounted with (main.ts in Excel, preview.ts in a browser). */
export interface PaneDeps {
  readonly workbook: Workbook;
  readonly session: Session;
  readonly config: PaneConfig | null;
  readonly storage?: SnapshotStore | undefined;
  /**
   * Sign-in against `config.auth` through the Office dialog (Excel) or a popup (a plain
   * browser); absent in local mode.
   */
  readonly signIn?: SignInService;
  readonly version: string;
}

export type Page = "signIn" | "customers" | "grade" | "credit" | "settings";
export type StatusKind = "info" | "success" | "warning" | "error";

/**
 * The session as a page sees it: who is signed in, the API, the team policy, the API address
 * and the language; signing in and out go through the pane, which plans token refreshes.
 */
export interface PaneSession
  extends Pick<
    Session,
    "get" | "api" | "policy" | "setPolicy" | "apiBase" | "setApiBase" | "setLanguage"
  > {
  /** Whether the signed-in user is a credit manager. */
  isManager(): boolean;
  /** Start a session for `who`: the team policy is loaded and the token refresh planned. */
  signIn(who: SignedIn): Promise<void>;
  /** End the session (every page starts afresh) and go to the sign-in page. */
  signOut(): void;
}

/** What a page may use of the pane. Nothing here is writable: pages keep their own state. */
export interface PaneContext {
  readonly lang: Language;
  /** Whether an action is under way (buttons that start one are disabled meanwhile). */
  readonly busy: boolean;
  readonly session: PaneSession;
  readonly workbook: Workbook;
  readonly sync: CustomerSync;
  /** A message of the pane in the current language. */
  t(key: PaneKey, params?: Readonly<Record<string, string | number>>): string;
  /** Show an outcome in the status line. */
  say(kind: StatusKind, text: string, details?: readonly string[]): void;
  /** Clear the status line. */
  hush(): void;
  /** The reason of a failure in words a user can act on. */
  reason(error: unknown): string;
  /**
   * Run an action with the pane marked busy (a refused token is refreshed and the action run
   * again); a failure becomes an error status in `onError`'s words.
   */
  run(
    action: () => Promise<void>,
    onError: (reason: string, error: unknown) => string,
  ): Promise<void>;
  /** Draw the page again after its state changed outside an action (data arriving). */
  render(): void;
  /** Open another page, as its tab does. */
  go(page: Page): void;
}

/** A page: what it loads when it opens (`enter`) and what it shows (`view`). */
export interface PaneView {
  enter?(): Promise<void>;
  view(): Node;
}
