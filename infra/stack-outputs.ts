/**
 * Reading what `cdk deploy --outputs-file` wrote: `{ "<stack>": { "<output>": "<value>" } }`.
 * Checked with a schema, because `npm run deploy` builds the manifest from these values.
 */
import * as z from "zod/mini";
import { outputNames } from "./stack-names.ts";

/** The deployed stack's outputs, by the names of {@link outputNames}. */
export type StackOutputs = Record<keyof typeof outputNames, string>;

const httpsUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL" });

/**
 * Picks the stack's outputs from a parsed outputs file, or explains what is missing.
 * @example readStackOutputs(JSON.parse(text), "CrmCredit").addinUrl // "https://d1234.cloudfront.net"
 */
export function readStackOutputs(file: unknown, stackName: string): StackOutputs {
  const stackOutputs = z.object({
    [outputNames.addinUrl]: httpsUrl,
    [outputNames.apiUrl]: httpsUrl,
    ...Object.fromEntries(
      Object.values(outputNames)
        .filter((name) => name !== outputNames.addinUrl && name !== outputNames.apiUrl)
        .map((name) => [name, z.string().check(z.minLength(1))]),
    ),
  });
  const parsed = z.object({ [stackName]: stackOutputs }).safeParse(file);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(
      `The outputs file does not describe stack ${stackName}:\n  ${problems.join("\n  ")}`,
    );
  }
  const values = parsed.data[stackName] as Record<string, string>;
  const keys = Object.keys(outputNames) as (keyof typeof outputNames)[];
  return Object.fromEntries(
    keys.map((key) => [key, (values[outputNames[key]] ?? "").replace(/\/+$/, "")]),
  ) as StackOutputs;
}
