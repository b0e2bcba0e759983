/**
 * The one session shared by the task pane and the custom functions. Both bundles
 * (taskpane.js and functions.js) run in the same window in Excel's shared runtime, so the
 * session object lives on `globalThis` under a registered symbol: whichever bundle loads
 * first creates it, the other finds it.
 */

import type { Language } from "../core/messages/index.ts";
import { type CreditPolicy, DEFAULT_POLICY } from "../core/policy.ts";
import { ApiClient } from "./api.ts";

/** Who is signed in (from the task pane) and the token the API takes. */
export interface SignedIn {
  readonly token: string;
  readonly refreshToken?: string;
  readonly user: string;
  readonly team: string;
  readonly groups: readonly string[];
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** The credit policy the credit functions use now, and where it came from. */
export interface PolicyState {
  readonly policy: CreditPolicy;
  /** The team policy's version; null for the built-in default. */
  readonly version: number | null;
  readonly source: "team" | "default";
}

export interface Session {
  /** The signed-in user, or null. */
  get(): SignedIn | null;
  /** Sign in (or refresh the token) or sign out (null); a change of team drops the team policy. */
  set(s: SignedIn | null): void;
  /** Called after every change of the session (sign-in, language, API base, policy). */
  subscribe(fn: () => void): () => void;
  /** The API base without `/v1` ("" = the page's own origin). */
  apiBase(): string;
  setApiBase(url: string): void;
  language(): Language;
  setLanguage(l: Language): void;
  /** A client for the current API base that sends the current token. */
  api(): ApiClient;
  policy(): PolicyState;
  /** Use the team's policy; every credit cell recalculates. */
  setPolicy(policy: CreditPolicy, version: number): void;
}

const KEY = Symbol.for("crm.session");

/** The display language Office reports, mapped to ours; English when unknown. */
export function languageFromLocale(locale: string | undefined | null): Language {
  return locale?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

function initialLanguage(): Language {
  const office = (globalThis as { Office?: { context?: { displayLanguage?: string } } }).Office;
  const fromOffice = office?.context?.displayLanguage;
  const fromNavigator = (globalThis as { navigator?: { language?: string } }).navigator?.language;
  return languageFromLocale(fromOffice ?? fromNavigator);
}

function createSession(): Session {
  let signedIn: SignedIn | null = null;
  let apiBase = "";
  let language: Language | null = null;
  let policy: PolicyState = { policy: DEFAULT_POLICY, version: null, source: "default" };
  let client: { base: string; api: ApiClient } | null = null;
  const listeners = new Set<() => void>();

  const notify = (): void => {
    for (const fn of [...listeners]) {
      try {
        fn();
      } catch (error) {
        // One broken listener must not stop the others (the pane and the functions both listen).
        console.error("session listener failed", error);
      }
    }
  };

  return {
    get: () => signedIn,
    set(s) {
      const sameTeam = s !== null && signedIn !== null && s.team === signedIn.team;
      signedIn = s;
      if (!sameTeam) policy = { policy: DEFAULT_POLICY, version: null, source: "default" };
      notify();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    apiBase: () => apiBase,
    setApiBase(url) {
      apiBase = url.replace(/\/+$/, "").replace(/\/v1$/, "");
      notify();
    },
    language: () => {
      language ??= initialLanguage();
      return language;
    },
    setLanguage(l) {
      language = l;
      notify();
    },
    api() {
      if (client === null || client.base !== apiBase) {
        client = {
          base: apiBase,
          api: new ApiClient({ baseUrl: apiBase, token: () => signedIn?.token ?? null }),
        };
      }
      return client.api;
    },
    policy: () => policy,
    setPolicy(p, version) {
      policy = { policy: p, version, source: "team" };
      notify();
    },
  };
}

/** The shared session: the same object for every bundle loaded in this window. */
export const session: Session = (() => {
  const holder = globalThis as { [KEY]?: Session };
  holder[KEY] ??= createSession();
  return holder[KEY];
})();
