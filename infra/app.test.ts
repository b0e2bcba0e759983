/**
 * The CDK app as `npm run synth` runs it: a separate process with the CLI's environment
 * (CDK_OUTDIR, CDK_CONTEXT_JSON) and no AWS credentials. Bundling is skipped here, since
 * crm-stack.test.ts already bundles and validates; this checks the app's wiring: context, cdk-nag
 * as a synth gate, the template written.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./crm-stack.ts";

const outdirs: string[] = [];

function synth(context: Record<string, unknown>): {
  status: number | null;
  stderr: string;
  outdir: string;
} {
  const outdir = mkdtempSync(join(tmpdir(), "crm-synth-"));
  outdirs.push(outdir);
  const env: Record<string, string | undefined> = {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify({ "aws:cdk:bundling-stacks": [], ...context }),
    // CDK's CloudFormation validation runs in crm-stack.test.ts; here it would only repeat.
    CDK_VALIDATION: "false",
  };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  const result = spawnSync(join(repoRoot, "node_modules", ".bin", "tsx"), ["infra/app.ts"], {
    cwd: repoRoot,
    env,
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr, outdir };
}

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe("infra/app.ts", () => {
  it("synthesizes the CrmCredit template without credentials, cdk-nag passing", () => {
    const { status, stderr, outdir } = synth({ withAssets: "false" });
    expect({ status, stderr: status === 0 ? "" : stderr }).toEqual({ status: 0, stderr: "" });
    const template = JSON.parse(readFileSync(join(outdir, "CrmCredit.template.json"), "utf8"));
    expect(Object.keys(template.Outputs)).toContain("AddinUrl");
  }, 180_000);

  it("stops with the bad context key named and writes no template", () => {
    const { status, stderr, outdir } = synth({ authDomainPrefix: "Not_Valid" });
    expect(status).not.toBe(0);
    expect(stderr).toContain("context authDomainPrefix");
    expect(existsSync(join(outdir, "CrmCredit.template.json"))).toBe(false);
  }, 180_000);
});
