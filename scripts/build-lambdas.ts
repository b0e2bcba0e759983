/**
 * One bundle per handler group of `functions/routes.ts`: `dist/lambda/<group>/index.mjs`
 * (ESM, Node 22, minified, with a source map). The AWS SDK v3 clients are bundled, not taken
 * from the runtime, so the code runs against the versions it was tested with.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { type HandlerGroup, handlerGroups } from "../functions/routes.ts";

/** Bundles every handler group into `outDir/<group>/index.mjs` and prints their sizes. */
export async function buildLambdas(opts: { outDir: string }): Promise<void> {
  for (const group of Object.keys(handlerGroups) as HandlerGroup[]) {
    const dir = join(opts.outDir, group);
    mkdirSync(dir, { recursive: true });
    const result = await build({
      entryPoints: [handlerGroups[group].entry],
      outfile: join(dir, "index.mjs"),
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node22",
      minify: true,
      sourcemap: true,
      metafile: true,
      legalComments: "none",
      // The SDK ships ES modules under "module": they tree-shake far better than its CommonJS.
      mainFields: ["module", "main"],
      logLevel: "warning",
      // Some SDK dependencies still `require` Node built-ins; give ESM a `require`.
      banner: {
        js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
      },
    });
    const [, output] =
      Object.entries(result.metafile.outputs).find(([file]) => file.endsWith(".mjs")) ?? [];
    const kb = ((output?.bytes ?? 0) / 1024).toFixed(1);
    console.log(`lambda ${group.padEnd(10)} ${kb.padStart(7)} KB  ${join(dir, "index.mjs")}`);
  }
}
