/**
 * The few Excel number formats the add-in writes, applied as Excel shows them, for the preview's
 * grid and charts: `0`, `0.0`, `#,##0`, `0.0%`, `[$¥]#,##0`, `[$CHF] #,##0`. Text, and any
 * other format, show as General does.
 */
import type { CellValue } from "./port.ts";

const FORMAT = /^(?:\[\$([^\]]+)\])?( ?)(#,##)?0(?:\.(0+))?(%?)$/;

/** `formatted(0.1234, "0.0%")` → "12.3%"; `formatted(78000, "[$¥]#,##0")` → "¥78,000". */
export function formatted(value: CellValue, format: string): string | null {
  const m = FORMAT.exec(format);
  if (!m || typeof value !== "number") return null;
  const [, symbol = "", space = "", grouping, decimals = "", percent] = m;
  const n = percent ? value * 100 : value;
  const text = n.toLocaleString("en-US", {
    useGrouping: grouping !== undefined,
    minimumFractionDigits: decimals.length,
    maximumFractionDigits: decimals.length,
  });
  const sign = text.startsWith("-") ? "-" : "";
  return `${sign}${symbol}${space}${sign ? text.slice(1) : text}${percent}`;
}
