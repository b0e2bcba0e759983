/**
 * `npm run deploy [-- <cdk options>]`: builds the add-in, deploys the stack with it in one
 * `cdk deploy`, and writes `dist/manifest.xml` for the deployed add-in URL from the outputs.
 *
 * One deploy is enough because nothing the build makes depends on where the stack is: the
 * stack writes the pane's `config.json` itself (CloudFormation resolves the user pool and its
 * client in it), the API is served on the add-in's own origin (so the Content-Security-Policy
 * names no API URL), and the manifest, the one file that names the add-in URL, is written
 * here after the deploy and never uploaded.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeManifest } from "../scripts/manifest.ts";
import { stackName } from "./stack-names.ts";
import { readStackOutputs } from "./stack-outputs.ts";

const outputsFile = join("cdk.out", "deploy-outputs.json");
const manifestFile = join("dist", "manifest.xml");
const cdkOptions = process.argv.slice(2);

function run(command: string, args: string[], env: Record<string, string> = {}): void {
  console.log(`\n> ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args[0] ?? ""} failed (exit ${result.status ?? result.signal})`);
  }
}

try {
  run("npm", ["run", "build"]);
  run(
    "npx",
    [
      "cdk",
      "deploy",
      stackName,
      "--outputs-file",
      outputsFile,
      "--no-notices",
      "-c",
      "withAssets=true",
      ...cdkOptions,
    ],
    { CDK_DISABLE_VERSION_CHECK: "1" },
  );
  const outputs = readStackOutputs(JSON.parse(readFileSync(outputsFile, "utf8")), stackName);
  writeManifest(outputs.addinUrl, manifestFile);
  console.log(`
Deployed ${stackName}.
  Add-in:    ${outputs.addinUrl}/taskpane.html
  API:       ${outputs.apiUrl}/v1/health
  Sign-in:   https://${outputs.authDomain} (user pool ${outputs.userPoolId})
  Manifest:  ${manifestFile} — sideload it in Excel, or publish it from the Microsoft 365 admin center.
Create users and managers as docs/deploy.md shows.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
