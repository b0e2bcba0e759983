/**
 * `npm run build`: everything in `dist/`: the custom functions (functions.js, functions.json,
 * zh-CN metadata), the task pane page and assets, the manifest, and one bundle per Lambda.
 * Each part lives in its own module; this file only runs them in order and fails on any error.
 */
import { buildFunctions } from "./build-functions.ts";
import { buildLambdas } from "./build-lambdas.ts";
import { buildTaskpane } from "./build-taskpane.ts";

const baseUrl = process.env.CRM_ADDIN_URL ?? "https://localhost:3000";

try {
  await buildFunctions({ outDir: "dist", baseUrl });
  await buildTaskpane({ outDir: "dist", baseUrl });
  await buildLambdas({ outDir: "dist/lambda" });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
