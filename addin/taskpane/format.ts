/**
 * Values as the pane shows them in its tables: numbers with grouping, dates in the user's
 * language, the 5C factors as a short list, a dash for blank. Never raw JSON.
 */
import type { Language } from "../../core/messages/index.ts";
import { FIVE_C } from "../../core/policy.ts";
import { fieldLabel } from "./apiErrors.ts";
import { h } from "./dom.ts";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** An object's entries, the 5C factors in 5C order (character first), others after them. */
function entriesOf(value: Record<string, unknown>): [string, unknown][] {
  const rank = (k: string): number => {
    const at = (FIVE_C as readonly string[]).indexOf(k);
    return at < 0 ? FIVE_C.length : at;
  };
  return Object.entries(value).sort(([a], [b]) => rank(a) - rank(b));
}

/** A date or a moment in the user's language: `2026-11-12` → "Nov 12, 2026" / "2026年11月12日". */
export function dateText(lang: Language, iso: string): string {
  const time = ISO_TIME.test(iso);
  const d = new Date(time ? iso : `${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return time
    ? d.toLocaleString(lang, { dateStyle: "short", timeStyle: "short" })
    : d.toLocaleDateString(lang, { dateStyle: "medium", timeZone: "UTC" });
}

/** One value as text: `1250000` → "1,250,000", `""` → "–", `{character: 90}` → "character 90". */
export function cellText(lang: Language, value: unknown): string {
  if (value === "" || value === null || value === undefined) return "–";
  if (typeof value === "number") return value.toLocaleString(lang, { maximumFractionDigits: 4 });
  if (typeof value === "string")
    return ISO_DATE.test(value) || ISO_TIME.test(value) ? dateText(lang, value) : value;
  if (typeof value === "boolean") return String(value);
  if (isRecord(value))
    return entriesOf(value)
      .map(([k, v]) => `${fieldLabel(lang, k)} ${cellText(lang, v)}`)
      .join(" · ");
  if (Array.isArray(value)) return value.map((v) => cellText(lang, v)).join(", ");
  return String(value);
}

/**
 * A table cell's content: text cut to one line (the full text on hover), or a small list for
 * an object such as the 5C factors.
 */
export function valueNode(lang: Language, value: unknown): Node {
  if (isRecord(value)) {
    return h(
      "ul",
      { class: "factors" },
      entriesOf(value).map(([k, v]) =>
        h("li", null, h("span", null, fieldLabel(lang, k)), " ", h("b", null, cellText(lang, v))),
      ),
    );
  }
  const text = cellText(lang, value);
  return h("span", { class: "clip", title: text }, text);
}
