/** Messages per language, keyed by code; the edges show them, the core only names the key. */
import { en, type MessageKey } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

export type { MessageKey } from "./en.ts";

/** The add-in's display languages. */
export type Language = "en" | "zh-CN";

/** Every message in every language. */
export const messages: Record<Language, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

/** True when `key` is a known message code (a `CellError.key` from the core always is). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The message for `key` in `lang` with `{name}` placeholders filled, e.g. `formatMessage("en", "noCustomer", { id: "C-1" })`. */
export function formatMessage(
  lang: Language,
  key: MessageKey,
  params?: Readonly<Record<string, string>>,
): string {
  const text = messages[lang][key];
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? (params[name] ?? whole) : whole,
  );
}

/** The message of a cell error in `lang`; an unknown key (never from the core) is shown as is. */
export function errorMessage(
  lang: Language,
  error: { key: string; params?: Readonly<Record<string, string>> },
): string {
  return isMessageKey(error.key) ? formatMessage(lang, error.key, error.params) : error.key;
}
