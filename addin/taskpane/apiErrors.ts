/**
 * API errors in the user's language: the message is chosen by the error's `code` and the
 * fields named in `details[].field`, from the pane's message tables. The English message the
 * API sent is used only for a code the pane does not know.
 */
import type { Language } from "../../core/messages/index.ts";
import { type PaneKey, paneMessages, paneText } from "./i18n/index.ts";

/** What the pane knows of a refusal: the API's error object, or an `ApiRequestError`. */
export interface ApiErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const known = (lang: Language, key: string): key is PaneKey =>
  Object.hasOwn(paneMessages[lang], key);

/**
 * A field path of the API (`record.revenue`, `items.3.record.creditFactors.character`,
 * `bands.2.minScore`) in the user's words: `收入`, `品德`, `等级档 3 最低分`.
 */
export function fieldLabel(lang: Language, path: string): string {
  const parts = path.split(".");
  // The batch item and record wrappers say nothing to a user: they know which row it is.
  while (parts[0] === "items" || parts[0] === "record" || /^\d+$/.test(parts[0] ?? "")) {
    if (parts.length === 1) break;
    parts.shift();
  }
  if (parts[0] === "creditFactors" && parts.length > 1) parts.shift();
  return parts
    .map((p) => {
      if (/^\d+$/.test(p)) return String(Number(p) + 1);
      const key = `field.${p}`;
      return known(lang, key) ? paneText(lang, key) : p;
    })
    .join(" ");
}

/** The problems of `details`: a list of `{field}`, or an object holding one (plus a count of more). */
function problemsOf(details: unknown): { fields: string[]; more: number } {
  const list = Array.isArray(details)
    ? details
    : isRecord(details)
      ? (Object.values(details).find(Array.isArray) ?? [])
      : [];
  const fields = list.flatMap((d) => (isRecord(d) && typeof d.field === "string" ? [d.field] : []));
  const more = isRecord(details)
    ? Object.entries(details).find(([k, v]) => /more|omitted/i.test(k) && typeof v === "number")
    : undefined;
  return { fields, more: typeof more?.[1] === "number" ? more[1] : 0 };
}

/** The refusal as one sentence in `lang`; `where` names the API address for "unreachable". */
export function apiErrorText(lang: Language, error: ApiErrorLike, where = ""): string {
  const code = typeof error.code === "string" ? error.code : "";
  const fallback = typeof error.message === "string" && error.message !== "" ? error.message : code;
  const { fields, more } = problemsOf(error.details);
  if (fields.length > 0) {
    const labels = [...new Set(fields.map((f) => fieldLabel(lang, f)))];
    if (more > 0) labels.push(paneText(lang, "apiError.more", { count: more }));
    return paneText(lang, "apiError.invalid_fields", {
      fields: labels.join(lang === "zh-CN" ? "、" : ", "),
    });
  }
  const key = `apiError.${code}`;
  if (known(lang, key)) return paneText(lang, key, { where });
  return fallback;
}
