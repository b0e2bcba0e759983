/**
 * Deploy-time choices, read once from CDK context (`-c key=value` or `cdk.json`) and checked
 * with a schema, so a typo fails the synth with a message instead of a broken deployment.
 */
import * as z from "zod/mini";

/** How the add-in's static files reach the hosting bucket. */
export type AssetMode = "auto" | "always" | "never";

/** Everything the stack needs from the person deploying it. */
export interface StackSettings {
  /** Prefix of the Cognito hosted UI domain; `undefined` derives one from the account id. */
  readonly authDomainPrefix: string | undefined;
  /** `auto` uploads `dist/` when a build is there, so a fresh clone still synthesizes. */
  readonly withAssets: AssetMode;
  /** Where alarm notifications go; `undefined` leaves the topic without subscribers. */
  readonly alarmEmail: string | undefined;
  /**
   * The deployed API's URL (`npm run deploy` passes the last deploy's output), so the
   * Content-Security-Policy can name it; `undefined` allows the region's API Gateway hosts.
   */
  readonly apiUrl?: string;
  /** A table the stack adopts instead of its own (a point-in-time restore); `undefined`: its own. */
  readonly tableName?: string;
  /** The add-in's own domain and its ACM certificate (us-east-1); `undefined`: *.cloudfront.net. */
  readonly customDomain?: { readonly name: string; readonly certificateArn: string };
}

// Cognito's rule for domain prefixes: lower-case letters, digits and inner hyphens, and none of
// the reserved words (it rejects them at deploy time, long after synth would have passed).
const domainPrefix = z.string().check(
  z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    error: "use 1-63 lower-case letters, digits or inner hyphens",
  }),
  z.refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
    error: 'must not contain "aws", "amazon" or "cognito"',
  }),
);

// Context from `-c` arrives as text, from cdk.json as JSON: accept both spellings of a boolean.
const assetMode = z.pipe(
  z.optional(z.union([z.boolean(), z.enum(["true", "false", "auto"])])),
  z.transform((value): AssetMode => {
    if (value === true || value === "true") return "always";
    if (value === false || value === "false") return "never";
    return "auto";
  }),
);

// CloudFront takes certificates only from ACM in us-east-1, whatever the stack's region.
const cloudFrontCertificate = z.string().check(
  z.regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, {
    error: "must be the ARN of an ACM certificate in us-east-1 (CloudFront uses no other region)",
  }),
);

const hostName = z.string().check(
  z.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "must be a lower-case host name such as crm.example.com",
  }),
);

const contextSchema = z
  .object({
    authDomainPrefix: z.optional(domainPrefix),
    withAssets: assetMode,
    alarmEmail: z.optional(z.email({ error: "must be an e-mail address" })),
    apiUrl: z.optional(z.url({ protocol: /^https$/, error: "must be an https:// URL" })),
    tableName: z.optional(
      z.string().check(
        z.regex(/^[A-Za-z0-9_.-]{3,255}$/, {
          error: "must be a DynamoDB table name: 3-255 letters, digits, _ . or -",
        }),
      ),
    ),
    addinDomain: z.optional(hostName),
    addinCertificateArn: z.optional(cloudFrontCertificate),
  })
  .check(
    z.refine((c) => (c.addinDomain === undefined) === (c.addinCertificateArn === undefined), {
      error: "addinDomain and addinCertificateArn go together: set both or neither",
      path: ["addinDomain"],
    }),
  );

/** Context keys this app reads, for error messages and docs. */
export const contextKeys = [
  "authDomainPrefix",
  "withAssets",
  "alarmEmail",
  "apiUrl",
  "tableName",
  "addinDomain",
  "addinCertificateArn",
] as const;

/**
 * Reads the stack settings from a context lookup, throwing one error that names every bad key.
 * @example readStackSettings((key) => app.node.tryGetContext(key))
 */
export function readStackSettings(context: (key: string) => unknown): StackSettings {
  const raw = Object.fromEntries(contextKeys.map((key) => [key, context(key)]));
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `context ${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid CDK context:\n  ${problems.join("\n  ")}`);
  }
  const { apiUrl, tableName, addinDomain, addinCertificateArn } = parsed.data;
  return {
    authDomainPrefix: parsed.data.authDomainPrefix,
    withAssets: parsed.data.withAssets,
    alarmEmail: parsed.data.alarmEmail,
    ...(apiUrl ? { apiUrl: new URL(apiUrl).origin } : {}),
    ...(tableName ? { tableName } : {}),
    ...(addinDomain && addinCertificateArn
      ? { customDomain: { name: addinDomain, certificateArn: addinCertificateArn } }
      : {}),
  };
}
