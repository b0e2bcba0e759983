/**
 * `npm run deploy` (infra/deploy.ts) end to end with stand-ins for the two commands it runs,
 * since AWS is out of reach: `npm` and `npx` earlier on PATH that record their arguments, the
 * stand-in `cdk deploy` writing an outputs file as the real one does. What is checked is the
 * script's own job: one build, one `cdk deploy`, then the manifest from the outputs.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestXml } from "../scripts/manifest.ts";
import { outputNames } from "./stack-names.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const addinUrl = "https://d111111abcdef8.cloudfront.net";
// Every output the stack has; the two URLs as CloudFront's, the others any text.
const outputs = Object.fromEntries(
  Object.values(outputNames).map((name) => [name, name.endsWith("Url") ? addinUrl : `${name}-1`]),
);

let work: string;
let run: ReturnType<typeof spawnSync>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "crm-deploy-"));
  const bin = join(work, "bin");
  mkdirSync(bin);
  const calls = join(work, "calls.log");
  // Each stand-in logs its command line; `npx cdk deploy` writes the file --outputs-file names.
  const standIn = (name: string, body = "") =>
    `#!/bin/sh\necho "${name} $*" >> "${calls}"\n${body}`;
  writeFileSync(join(bin, "npm"), standIn("npm"));
  writeFileSync(
    join(bin, "npx"),
    standIn(
      "npx",
      `while [ $# -gt 0 ]; do
  if [ "$1" = "--outputs-file" ]; then mkdir -p "$(dirname "$2")"
    echo '${JSON.stringify({ CrmCredit: outputs })}' > "$2"; fi
  shift
done\n`,
    ),
  );
  for (const name of ["npm", "npx"]) chmodSync(join(bin, name), 0o755);
  run = spawnSync(
    join(repoRoot, "node_modules", ".bin", "tsx"),
    [join(repoRoot, "infra", "deploy.ts"), "--require-approval", "never"],
    { cwd: work, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" },
  );
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("npm run deploy", () => {
  it("builds once and runs one cdk deploy, passing on the options after --", () => {
    expect(run.status, String(run.stderr)).toBe(0);
    expect(readFileSync(join(work, "calls.log"), "utf8").trim().split("\n")).toEqual([
      "npm run build",
      "npx cdk deploy CrmCredit --outputs-file cdk.out/deploy-outputs.json --no-notices -c withAssets=true --require-approval never",
    ]);
  });

  it("then writes dist/manifest.xml for the deployed add-in URL from the outputs", () => {
    expect(readFileSync(join(work, "dist", "manifest.xml"), "utf8")).toBe(manifestXml(addinUrl));
  });
});
