/**
 * What a page of the task pane may use of the pane (app.ts implements it), so pages never
 * import app.ts; and the shape of a page: it owns its state, and the pane makes every page
 * afresh whenever another user (or none) is signed in.
 */
import type { Language } from "../../core/messages/index.ts";
import type { SignInService } from "../auth/dialog.ts";
import type { OidcConfig } from "../auth/pkce.ts";
import type { Session } from "../session.ts";
import type { Workbook } from "../workbook/port.ts";
import type { CustomerSync, PushReport, SnapshotStore } from "./customerSync.ts";
import type { PaneKey } from "./i18n/index.ts";

/** dist/config.json, written by deploy; absent in local mode. */
export interface PaneConfig {
  readonly apiBase?: string;
  /** The OpenID provider (Cognito in AWS); absent locally, where dev users sign in. */
  readonly auth?: OidcConfig;
}

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
export type Status = { kind: StatusKind; text: string; details?: readonly string[] };

/** Form values kept across redraws, by field name. */
export type Form = Record<string, string>;

export interface PaneContext {
  readonly deps: PaneDeps;
  readonly sync: CustomerSync;
  readonly lang: Language;
  readonly busy: boolean;
  page: Page;
  status: Status | null;
  t(key: PaneKey, params?: Readonly<Record<string, string | number>>): string;
  form(name: string): Form;
  isManager(): boolean;
  say(kind: StatusKind, text: string, details?: readonly string[]): void;
  reason(error: unknown): string;
  run(
    action: () => Promise<void>,
    onError: (reason: string, error: unknown) => string,
  ): Promise<void>;
  render(): void;
  afterSignIn(): Promise<void>;
  signOut(): void;
  /** Push the Customers table as the Customers page does, its report shown there. */
  push(): Promise<PushReport | null>;
}

/** A page: what it loads when it opens (`enter`) and what it shows (`view`). */
export interface PaneView {
  enter?(app: PaneContext): Promise<void>;
  view(app: PaneContext): Node;
}
