/**
 * The one Lambda build, used by `npm run build` (`dist/lambda/<group>/`) and by the CDK stack
 * (infra/handler-functions.ts bundles each function's asset with `buildLambda`): one bundle
 * per handler group of `functions/routes.ts`, `index.mjs` (ESM, Node 22, minified,
 * tree-shaken) with its source map beside it as a file. Source maps are shipped but not
 * switched on at run time (`--enable-source-maps` costs import time; docs/deploy.md says how
 * to turn them on). The AWS SDK v3 clients are bundled, not taken from the runtime, so the
 * code runs against the versions it was tested with.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type BuildOptions, buildSync } from "esbuild";
import { type HandlerGroup, handlerGroups } from "../functions/routes.ts";

/** The esbuild options of one handler group's bundle, written to `outDir/index.mjs`. */
export function lambdaBuildOptions(group: HandlerGroup, outDir: string, root = "."): BuildOptions {
  return {
    entryPoints: [join(root, handlerGroups[group].entry)],
    outfile: join(outDir, "index.mjs"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    minify: true,
    treeShaking: true,
    sourcemap: "external",
    sourcesContent: false,
    metafile: true,
    legalComments: "none",
    // The SDK ships ES modules under "module": they tree-shake far better than its CommonJS.
    mainFields: ["module", "main"],
    logLevel: "warning",
    // Some SDK dependencies still `require` Node built-ins; give ESM a `require`.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
  };
}

/** Bundles one handler group into `outDir` and returns the size of its `index.mjs` in bytes. */
export function buildLambda(group: HandlerGroup, outDir: string, root = "."): number {
  mkdirSync(outDir, { recursive: true });
  const result = buildSync(lambdaBuildOptions(group, outDir, root));
  const [, output] =
    Object.entries(result.metafile?.outputs ?? {}).find(([file]) => file.endsWith(".mjs")) ?? [];
  return output?.bytes ?? 0;
}

/** Bundles every handler group into `outDir/<group>/index.mjs` and prints their sizes. */
export async function buildLambdas(opts: { outDir: string }): Promise<void> {
  for (const group of Object.keys(handlerGroups) as HandlerGroup[]) {
    const dir = join(opts.outDir, group);
    const kb = (buildLambda(group, dir) / 1024).toFixed(1);
    console.log(`lambda ${group.padEnd(10)} ${kb.padStart(7)} KB  ${join(dir, "index.mjs")}`);
  }
}
