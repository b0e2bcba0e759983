/**
 * The JSDoc'd TypeScript source that custom-functions-metadata reads to make
 * functions.json, generated from the catalog (the catalog stays the one source; this file is
 * written to a temporary folder by the build, never edited by hand).
 */
import type { FunctionEntry, ParamSpec } from "./entry.ts";

function paramType(param: ParamSpec): string {
  return param.kind.shape === "range" ? "any[][]" : "any";
}

function resultType(entry: FunctionEntry): string {
  return entry.result === "range" ? "any[][]" : "any";
}

// JSDoc ends at "*/"; no catalog text has one, but a stray one must not break the source.
const safe = (text: string) => text.replaceAll("*/", "* /");

/** One declaration per entry, with the JSDoc tags custom-functions-metadata understands. */
export function jsdocSource(catalog: readonly FunctionEntry[]): string {
  const parts = [
    "// Generated from addin/functions/catalog.ts by scripts/build-functions.ts. Do not edit.",
    "",
  ];
  for (const entry of catalog) {
    const lines = ["/**", ` * ${safe(entry.description.en)}`, ` * @customfunction ${entry.id}`];
    for (const p of entry.params) {
      lines.push(` * @param ${p.optional ? `[${p.name}]` : p.name} ${safe(p.en)}`);
    }
    // A streaming function gets onCanceled without @cancelable, and the metadata docs forbid
    // both `stream` and `cancelable` on one function.
    const streaming = entry.kind === "policy" || entry.kind === "live";
    if (streaming) lines.push(" * @param invocation Streaming invocation: the cell.");
    lines.push(" */");
    const params = entry.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${paramType(p)}`);
    let returns: string;
    if (streaming) {
      params.push(`invocation: CustomFunctions.StreamingInvocation<${resultType(entry)}>`);
      returns = "void";
    } else if (entry.kind === "async") {
      returns = `Promise<${resultType(entry)}>`;
    } else {
      returns = resultType(entry);
    }
    lines.push(`export function ${entry.id}(${params.join(", ")}): ${returns} {`);
    lines.push('  throw new Error("metadata only");', "}", "");
    parts.push(lines.join("\n"));
  }
  return parts.join("\n");
}
