/** Settings: language, API address, sign out. */
import type { Language } from "../../../core/messages/index.ts";
import type { PaneContext, PaneView } from "../context.ts";
import { h } from "../dom.ts";
import { wroteBefore } from "./grade.ts";

/** What the Settings page is made with. */
export interface SettingsOptions {
  /** The pane's version, shown at the foot of the page. */
  readonly version: string;
  /** Write what the grading wizard wrote again in the current language; false if it knows of nothing. */
  readonly relabel: () => Promise<boolean>;
}

/** What the page holds between redraws; every user (after a sign-in or sign-out) starts afresh. */
interface SettingsState {
  /** The API address as typed, until it is saved (undefined: the session's). */
  api: string | undefined;
}

/** Switch the language, then re-label what the wizard wrote (or say how to). */
async function switchLanguage(
  pane: PaneContext,
  options: SettingsOptions,
  lang: Language,
): Promise<void> {
  pane.session.setLanguage(lang);
  const relabelled = await options.relabel();
  const ask = !relabelled && (await wroteBefore(pane.workbook));
  const more = relabelled ? pane.t("relabelled") : ask ? pane.t("relabelAsk") : "";
  pane.say("info", `${pane.t("languageChanged")} ${more}`.trim());
}

const LANGUAGES: readonly { lang: Language; label: string }[] = [
  { lang: "en", label: "English" },
  { lang: "zh-CN", label: "简体中文" },
];

function saveApi(pane: PaneContext, s: SettingsState): void {
  const url = (s.api ?? pane.session.apiBase()).trim();
  if (url !== "" && !/^https?:\/\/[^\s/]+/.test(url)) {
    pane.say("warning", pane.t("settingsApiBad"));
    return;
  }
  pane.session.setApiBase(url);
  pane.say("success", pane.t("settingsSaved", { url: url || location.origin }));
}

/** The Settings page, nothing typed yet. */
export function createSettingsPage(pane: PaneContext, options: SettingsOptions): PaneView {
  const s: SettingsState = { api: undefined };
  return { view: () => settingsPage(pane, options, s) };
}

function settingsPage(pane: PaneContext, options: SettingsOptions, state: SettingsState): Node {
  const s = pane.session;
  return h(
    "div",
    null,
    h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("settingsLanguage")),
      h(
        "select",
        {
          id: "language",
          "aria-label": pane.t("settingsLanguage"),
          onchange: (e) =>
            pane.run(
              () =>
                switchLanguage(pane, options, (e.target as HTMLSelectElement).value as Language),
              (reason) => reason,
            ),
        },
        LANGUAGES.map((l) =>
          h("option", { value: l.lang, selected: pane.lang === l.lang }, l.label),
        ),
      ),
    ),
    h(
      "section",
      { class: "card" },
      h("h2", null, pane.t("settingsApi")),
      h("p", { class: "hint" }, pane.t("settingsApiHint")),
      h(
        "div",
        { class: "row" },
        h("input", {
          id: "api-base",
          "aria-label": pane.t("settingsApi"),
          value: state.api ?? s.apiBase(),
          placeholder: location.origin,
          oninput: (e) => {
            state.api = (e.target as HTMLInputElement).value;
          },
        }),
        h(
          "button",
          { class: "secondary", id: "api-save", onclick: () => saveApi(pane, state) },
          pane.t("settingsSave"),
        ),
      ),
    ),
    s.get()
      ? h(
          "section",
          { class: "card" },
          h(
            "button",
            { class: "secondary", id: "sign-out", onclick: () => pane.session.signOut() },
            pane.t("signOut"),
          ),
        )
      : null,
    h("p", { class: "hint version" }, pane.t("version", { version: options.version })),
  );
}
