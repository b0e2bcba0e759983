/**
 * `npm run deploy [-- <cdk options>]`: builds the add-in, deploys the stack with it, and
 * writes `dist/manifest.xml` for the deployed add-in URL.
 *
 * The add-in URL (CloudFront) exists only once the stack does, and the build takes it as
 * CRM_ADDIN_URL; the API URL too, and the Content-Security-Policy names it (context `apiUrl`,
 * since CloudFormation cannot: see infra/crm-stack.ts). So: build for the URLs of the last
 * deploy (if any), deploy, and when either turned out different (the first deploy, a new
 * domain), build again for them and deploy once more.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeManifest } from "../scripts/manifest.ts";
import { stackName } from "./stack-names.ts";
import { readStackOutputs, type StackOutputs } from "./stack-outputs.ts";

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

function deployedOutputs(): StackOutputs | undefined {
  if (!existsSync(outputsFile)) return undefined;
  return readStackOutputs(JSON.parse(readFileSync(outputsFile, "utf8")), stackName);
}

function buildFor(addinUrl: string): void {
  run("npm", ["run", "build"], { CRM_ADDIN_URL: addinUrl });
}

function deploy(apiUrl: string | undefined): StackOutputs {
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
      ...(apiUrl ? ["-c", `apiUrl=${apiUrl}`] : []),
      ...cdkOptions,
    ],
    { CDK_DISABLE_VERSION_CHECK: "1" },
  );
  const outputs = deployedOutputs();
  if (!outputs) throw new Error(`cdk deploy wrote no ${outputsFile}`);
  return outputs;
}

try {
  const previous = deployedOutputs();
  buildFor(previous?.addinUrl ?? "https://localhost:3000");
  let outputs = deploy(previous?.apiUrl);
  if (outputs.addinUrl !== previous?.addinUrl || outputs.apiUrl !== previous?.apiUrl) {
    buildFor(outputs.addinUrl);
    outputs = deploy(outputs.apiUrl);
  }
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
