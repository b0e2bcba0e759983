/** The language argument of the naming formulas (RFMSEGMENT, VALUEMATRIX). */

/** The languages segment names come in. */
export type SegmentLanguage = "en" | "zh";

// Users type "zh" as the spec says; "zh-CN" (the add-in's own language code) and any
// letter case are accepted too, as Excel is case-insensitive about text arguments.
const LANGUAGES: Readonly<Record<string, SegmentLanguage>> = { en: "en", zh: "zh", "zh-cn": "zh" };

/** The segment language named by `language`, or `undefined` when it is not one. */
export function segmentLanguage(language: unknown): SegmentLanguage | undefined {
  if (typeof language !== "string") return undefined;
  const key = language.trim().toLowerCase();
  return Object.hasOwn(LANGUAGES, key) ? LANGUAGES[key] : undefined;
}
