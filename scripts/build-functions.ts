/**
 * Builds the custom functions into `outDir`: functions.js (an IIFE that registers every
 * CRM.* function), functions.json (made by custom-functions-metadata from JSDoc generated
 * out of the catalog), functions.zh-CN.json (the same with Chinese names and descriptions),
 * and the icons. Any metadata error fails the build.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import { build } from "esbuild";
import { catalog } from "../addin/functions/catalog.ts";
import type { FunctionEntry } from "../addin/functions/entry.ts";
import { jsdocSource } from "../addin/functions/jsdoc.ts";
import { MANIFEST_FILES } from "./manifest.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

interface MetadataParameter {
  name: string;
  description?: string;
}
interface MetadataFunction {
  id: string;
  name: string;
  description?: string;
  parameters: MetadataParameter[];
}
interface Metadata {
  functions: MetadataFunction[];
}

/** functions.json from the catalog, through custom-functions-metadata's Node API. */
export async function functionsMetadata(
  entries: readonly FunctionEntry[] = catalog,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "crm-functions-"));
  try {
    const source = join(dir, "functions.ts");
    writeFileSync(source, jsdocSource(entries));
    const result = await generateCustomFunctionsMetadata(source);
    // Its CLI exits 0 on errors; here every error fails the build.
    if (result.errors.length > 0) {
      throw new Error(
        `functions.json: custom-functions-metadata reported:\n${result.errors.join("\n")}`,
      );
    }
    const metadata = JSON.parse(result.metadataJson) as Metadata;
    const ids = metadata.functions.map((f) => f.id).join(",");
    const expected = entries.map((e) => e.id).join(",");
    if (ids !== expected)
      throw new Error(`functions.json: ids ${ids} differ from the catalog's ${expected}`);
    return `${result.metadataJson}\n`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The zh-CN metadata: the same functions and ids with Chinese names and descriptions
 * (Excel reads it through the manifest's zh-CN override of the metadata URL).
 */
export function localizedMetadata(
  metadataJson: string,
  entries: readonly FunctionEntry[] = catalog,
): string {
  const metadata = JSON.parse(metadataJson) as Metadata;
  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const fn of metadata.functions) {
    const entry = byId.get(fn.id);
    if (!entry) throw new Error(`functions.zh-CN.json: no catalog entry for ${fn.id}`);
    fn.name = entry.zhName;
    fn.description = entry.description.zh;
    for (const param of fn.parameters) {
      const spec = entry.params.find((p) => p.name === param.name);
      if (!spec) throw new Error(`functions.zh-CN.json: ${fn.id} has no parameter ${param.name}`);
      param.description = spec.zh;
    }
  }
  return `${JSON.stringify(metadata, null, 4)}\n`;
}

/** `npm run build`'s custom functions part (see the file comment). */
export async function buildFunctions(opts: { outDir: string }): Promise<void> {
  const { outDir } = opts;
  mkdirSync(join(outDir, "assets"), { recursive: true });
  const metadata = await functionsMetadata();
  writeFileSync(join(outDir, MANIFEST_FILES.functionsMetadata), metadata);
  writeFileSync(join(outDir, MANIFEST_FILES.functionsMetadataZh), localizedMetadata(metadata));
  await build({
    entryPoints: [join(root, "addin/functions/main.ts")],
    outfile: join(outDir, MANIFEST_FILES.functionsScript),
    bundle: true,
    format: "iife",
    platform: "browser",
    // Excel's shared runtime is WebView2 (Edge), Safari on Mac, or a browser on the web.
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
  });
  for (const file of Object.values(MANIFEST_FILES.icons)) {
    copyFileSync(join(root, "addin", file), join(outDir, file));
  }
}
