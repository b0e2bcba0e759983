/**
 * `npm run build`: everything in `dist/`: the custom functions (functions.js, functions.json,
 * zh-CN metadata), the task pane page and assets, and one bundle per Lambda. Each part lives in
 * its own module; this file only runs them in order and fails on any error. Nothing in it
 * depends on where the add-in is served: the manifest is written for a URL by whoever knows it
 * (the checked-in one for https://localhost:3000, `npm start` for its port, `npm run deploy`
 * from the stack's outputs), and the deployed `config.json` by the stack.
 */
import { buildFunctions } from "./build-functions.ts";
import { buildLambdas } from "./build-lambdas.ts";
import { buildTaskpane } from "./build-taskpane.ts";

try {
  await buildFunctions({ outDir: "dist" });
  await buildTaskpane({ outDir: "dist" });
  await buildLambdas({ outDir: "dist/lambda" });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
