/**
 * `npm run bench lambdas`: the Lambda bundles exactly as the CDK stack builds them (one synth,
 * read back from the cloud assembly): size of each `index.mjs` (goal < 500 KB) and the time a
 * fresh `node` takes to import it (goal < 100 ms), next to the import of an empty module
 * measured the same way in the same run. Imports run as Lambda runs them: with the function's
 * NODE_OPTIONS (none: source maps ship as files but stay off), and once with
 * `--enable-source-maps` for comparison.
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

// Prints wall-clock and CPU time of the import in ms. The module is loaded by URL, as Lambda's
// ESM loader does. CPU time is what survives a busy machine; wall time is what a caller waits.
const importScript =
  "const c0 = process.cpuUsage(); const t0 = performance.now(); " +
  "await import(process.argv[1]); const wall = performance.now() - t0; " +
  "const cpu = process.cpuUsage(c0); " +
  "process.stdout.write(wall + ' ' + (cpu.user + cpu.system) / 1000);";

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

function importOnce(file: string, nodeOptions: string): Sample {
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
  const [wall, cpu] = result.stdout.split(" ").map(Number);
  return { wall: wall ?? Number.NaN, cpu: cpu ?? Number.NaN };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Medians (ms) of the bundle's import and of the empty module's, measured alternately. */
interface ImportTimes {
  readonly bundle: Sample;
  readonly empty: Sample;
}

// Bundle and empty module alternate, so a busy machine slows both alike.
function importTimes(file: string, empty: string, nodeOptions: string): ImportTimes {
  const bundle: Sample[] = [];
  const baseline: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(importOnce(empty, nodeOptions));
    bundle.push(importOnce(file, nodeOptions));
  }
  const medians = (samples: Sample[]): Sample => ({
    wall: median(samples.map((x) => x.wall)),
    cpu: median(samples.map((x) => x.cpu)),
  });
  return { bundle: medians(bundle), empty: medians(baseline) };
}

const ms = (value: number, width: number): string => value.toFixed(1).padStart(width);

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
        "way, alternating with the bundle, with each function's own NODE_OPTIONS",
    );
    console.log(
      "group      size KB  gzip KB  size/goal | wall ms (empty)  ×empty  wall/goal | CPU ms (empty)  CPU/goal | maps on: wall ms, CPU ms",
    );
    for (const group of Object.keys(handlerGroups) as HandlerGroup[]) {
      const fn = stack.functions.byGroup[group];
      const code = stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key: string };
      const file = join(outdir, `asset.${code.s3Key.replace(/\.zip$/, "")}`, "index.mjs");
      const kb = statSync(file).size / 1024;
      const gzipKb = gzipSync(readFileSync(file)).length / 1024;
      const env = stack.resolve((fn.node.defaultChild as CfnFunction).environment) as {
        variables?: Record<string, string>;
      };
      const { bundle, empty: base } = importTimes(file, empty, env.variables?.NODE_OPTIONS ?? "");
      const plain = importTimes(file, empty, "--enable-source-maps").bundle;
      console.log(
        [
          group.padEnd(10),
          ms(kb, 7),
          ms(gzipKb, 8),
          (kb / sizeGoalKb).toFixed(2).padStart(10),
          " |",
          `${ms(bundle.wall, 7)} (${ms(base.wall, 5)})`,
          (bundle.wall / base.wall).toFixed(1).padStart(7),
          (bundle.wall / importGoalMs).toFixed(2).padStart(10),
          " |",
          `${ms(bundle.cpu, 6)} (${ms(base.cpu, 5)})`,
          (bundle.cpu / importGoalMs).toFixed(2).padStart(9),
          " |",
          `${ms(plain.wall, 17)}, ${ms(plain.cpu, 6)}`,
        ].join(" "),
      );
    }
    console.log(`goals: size < ${sizeGoalKb} KB, import < ${importGoalMs} ms (ratio < 1.00)`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
