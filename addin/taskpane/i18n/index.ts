/** The pane's messages in both languages and the one way to read them. */
import type { Language } from "../../../core/messages/index.ts";
import { en, type PaneKey } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

export type { PaneKey } from "./en.ts";

export const paneMessages: Record<Language, Record<PaneKey, string>> = { en, "zh-CN": zhCN };

/** A message with its `{name}` placeholders filled: `paneText("en", "pulled", { count: "3" })`. */
export function paneText(
  lang: Language,
  key: PaneKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return paneMessages[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
