/**
 * `npm run bench lambdas`: the Lambda bundles exactly as the CDK stack builds them (one synth,
 * read back from the cloud assembly): size of each `index.mjs` (goal < 500 KB) and the time a
 * fresh `node` takes to import it (goal < 100 ms), next to the import of an empty module
 * measured the same way in the same run. Imports run as Lambda runs them: with the function's
 * NODE_OPTIONS (source maps on), and once without for comparison.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { App } from "aws-cdk-lib";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { type HandlerGroup, handlerGroups } from "../../functions/routes.ts";
import { CrmStack } from "../../infra/crm-stack.ts";

const runs = 5;
const sizeGoalKb = 500;
const importGoalMs = 100;

// Prints the import time in ms; the module is loaded by URL exactly as Lambda's ESM loader does.
const importScript =
  "const t0 = performance.now(); await import(process.argv[1]); " +
  "process.stdout.write(String(performance.now() - t0));";

function importOnce(file: string, nodeOptions: string): number {
  const result = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", importScript, pathToFileURL(file).href],
    {
      encoding: "utf8",
      // What a Lambda process has: a region and the table name; loading needs no credentials.
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        TABLE_NAME: "bench",
        NODE_OPTIONS: nodeOptions,
      },
    },
  );
  if (result.status !== 0) throw new Error(`importing ${file} failed:\n${result.stderr}`);
  return Number(result.stdout);
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface ImportTimes {
  /** Median import time of the bundle, ms. */
  readonly bundle: number;
  /** Median import time of the empty module, measured alternately with the bundle, ms. */
  readonly empty: number;
}

// Bundle and empty module alternate, so a busy machine slows both alike and the ratio holds.
function importTimes(file: string, empty: string, nodeOptions: string): ImportTimes {
  const bundle: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(importOnce(empty, nodeOptions));
    bundle.push(importOnce(file, nodeOptions));
  }
  return { bundle: median(bundle), empty: median(baseline) };
}

/** Bundles every handler group through the stack, then prints sizes and import times. */
export default async function benchLambdas(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), "crm-bench-lambdas-"));
  try {
    const outdir = join(workDir, "cdk.out");
    const app = new App({ outdir });
    const stack = new CrmStack(app, "Bench", {
      settings: { authDomainPrefix: undefined, withAssets: "never", alarmEmail: undefined },
    });
    app.synth();

    const empty = join(workDir, "empty.mjs");
    writeFileSync(empty, "export {};\n");
    console.log(
      `median of ${runs} fresh node processes each; "empty" = an empty module imported the same ` +
        "way, alternating with the bundle; Lambda runs with NODE_OPTIONS=--enable-source-maps",
    );
    console.log(
      "group      size KB  gzip KB  size/goal | import ms  empty ms  ×empty  import/goal | maps off: import ms  empty ms",
    );
    for (const group of Object.keys(handlerGroups) as HandlerGroup[]) {
      const fn = stack.functions.byGroup[group];
      const code = stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key: string };
      const file = join(outdir, `asset.${code.s3Key.replace(/\.zip$/, "")}`, "index.mjs");
      const kb = statSync(file).size / 1024;
      const gzipKb = gzipSync(readFileSync(file)).length / 1024;
      const deployed = importTimes(file, empty, "--enable-source-maps");
      const plain = importTimes(file, empty, "");
      console.log(
        [
          group.padEnd(10),
          kb.toFixed(1).padStart(7),
          gzipKb.toFixed(1).padStart(8),
          (kb / sizeGoalKb).toFixed(2).padStart(10),
          " |",
          deployed.bundle.toFixed(1).padStart(9),
          deployed.empty.toFixed(1).padStart(9),
          (deployed.bundle / deployed.empty).toFixed(1).padStart(7),
          (deployed.bundle / importGoalMs).toFixed(2).padStart(12),
          " |",
          plain.bundle.toFixed(1).padStart(20),
          plain.empty.toFixed(1).padStart(9),
        ].join(" "),
      );
    }
    console.log(`goals: size < ${sizeGoalKb} KB, import < ${importGoalMs} ms (ratio < 1.00)`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
