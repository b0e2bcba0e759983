/** Settings: language, API address, sign out. */
import type { Language } from "../../../core/messages/index.ts";
import type { PaneContext } from "../context.ts";
import { h } from "../dom.ts";
import { relabelGrade, wroteBefore } from "./grade.ts";

/** Switch the language, then re-label what the wizard wrote (or say how to). */
async function switchLanguage(app: PaneContext, lang: Language): Promise<void> {
  app.deps.session.setLanguage(lang);
  const relabelled = await relabelGrade(app);
  const ask = !relabelled && (await wroteBefore(app));
  const more = relabelled ? app.t("relabelled") : ask ? app.t("relabelAsk") : "";
  app.status = { kind: "info", text: `${app.t("languageChanged")} ${more}`.trim() };
}

const LANGUAGES: readonly { lang: Language; label: string }[] = [
  { lang: "en", label: "English" },
  { lang: "zh-CN", label: "简体中文" },
];

function saveApi(app: PaneContext): void {
  const url = (app.form("settings").api ?? app.deps.session.apiBase()).trim();
  if (url !== "" && !/^https?:\/\/[^\s/]+/.test(url)) {
    app.say("warning", app.t("settingsApiBad"));
    return;
  }
  app.deps.session.setApiBase(url);
  app.say("success", app.t("settingsSaved", { url: url || location.origin }));
}

/** The Settings page. */
export function settingsPage(app: PaneContext): Node {
  const s = app.deps.session;
  const f = app.form("settings");
  return h(
    "div",
    null,
    h(
      "section",
      { class: "card" },
      h("h2", null, app.t("settingsLanguage")),
      h(
        "select",
        {
          id: "language",
          "aria-label": app.t("settingsLanguage"),
          onchange: (e) =>
            app.run(
              () => switchLanguage(app, (e.target as HTMLSelectElement).value as Language),
              (reason) => reason,
            ),
        },
        LANGUAGES.map((l) =>
          h("option", { value: l.lang, selected: s.language() === l.lang }, l.label),
        ),
      ),
    ),
    h(
      "section",
      { class: "card" },
      h("h2", null, app.t("settingsApi")),
      h("p", { class: "hint" }, app.t("settingsApiHint")),
      h(
        "div",
        { class: "row" },
        h("input", {
          id: "api-base",
          "aria-label": app.t("settingsApi"),
          value: f.api ?? s.apiBase(),
          placeholder: location.origin,
          oninput: (e) => {
            f.api = (e.target as HTMLInputElement).value;
          },
        }),
        h(
          "button",
          { class: "secondary", id: "api-save", onclick: () => saveApi(app) },
          app.t("settingsSave"),
        ),
      ),
    ),
    s.get()
      ? h(
          "section",
          { class: "card" },
          h(
            "button",
            { class: "secondary", id: "sign-out", onclick: () => app.signOut() },
            app.t("signOut"),
          ),
        )
      : null,
    h("p", { class: "hint version" }, app.t("version", { version: app.deps.version })),
  );
}
