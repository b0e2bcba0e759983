/** Parts of the function descriptions shared by several families. */
import { language } from "../args.ts";
import type { ParamSpec } from "../entry.ts";

export const range = "range" as const;
export const scalar = "scalar" as const;
export const optional = true as const;

export const languageParam = {
  name: "language",
  kind: language,
  optional,
  en: '"en" or "zh" (default: the add-in\'s language).',
  zh: '"en" 或 "zh"（默认：加载项的显示语言）。',
} as const satisfies ParamSpec;
