/**
 * Deploy-time choices, read once from CDK context (`-c key=value` or `cdk.json`) and checked
 * with a schema, so a typo fails the synth with a message instead of a broken deployment.
 */
import * as z from "zod/mini";

/** How the add-in's static files reach the hosting bucket. */
export type AssetMode = "auto" | "always" | "never";

/** Microsoft Entra ID sign-in (a company's Microsoft 365 accounts), federated by the user pool. */
export interface EntraSignIn {
  /** The directory (tenant) id of the company's Entra ID. */
  readonly tenantId: string;
  /** The application (client) id of the app registration for the user pool. */
  readonly clientId: string;
  /** Name or ARN of the Secrets Manager secret whose text is the registration's client secret. */
  readonly clientSecretName: string;
  /** The ID-token claim that carries the team; `undefined`: administrators set `custom:team`. */
  readonly teamClaim: string | undefined;
}

/** Everything the stack needs from the person deploying it. */
export interface StackSettings {
  /** Prefix of the Cognito hosted UI domain; `undefined` derives one from the account id. */
  readonly authDomainPrefix: string | undefined;
  /** `auto` uploads `dist/` when a build is there, so a fresh clone still synthesizes. */
  readonly withAssets: AssetMode;
  /** Where alarm notifications go; `undefined` leaves the topic without subscribers. */
  readonly alarmEmail: string | undefined;
  /** A table the stack adopts instead of its own (a point-in-time restore); `undefined`: its own. */
  readonly tableName?: string;
  /** The add-in's own domain and its ACM certificate (us-east-1); `undefined`: *.cloudfront.net. */
  readonly customDomain?: { readonly name: string; readonly certificateArn: string };
  /** Staff sign in with Microsoft 365 too; `undefined`: Cognito accounts only. */
  readonly entra?: EntraSignIn;
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

// Entra ID shows tenant and application ids as GUIDs.
const guid = z.string().check(
  z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    error: "must be a GUID as Entra ID shows it (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
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
    tableName: z.optional(
      z.string().check(
        z.regex(/^[A-Za-z0-9_.-]{3,255}$/, {
          error: "must be a DynamoDB table name: 3-255 letters, digits, _ . or -",
        }),
      ),
    ),
    addinDomain: z.optional(hostName),
    addinCertificateArn: z.optional(cloudFrontCertificate),
    entraTenantId: z.optional(guid),
    entraClientId: z.optional(guid),
    entraClientSecretName: z.optional(
      z
        .string()
        .check(z.regex(/^[\w/+=.@:-]{1,2048}$/, { error: "must be a secret's name or ARN" })),
    ),
    entraTeamClaim: z.optional(
      z.string().check(z.regex(/^[\w.:-]{1,128}$/, { error: "must be a claim name" })),
    ),
  })
  .check(
    z.refine((c) => (c.addinDomain === undefined) === (c.addinCertificateArn === undefined), {
      error: "addinDomain and addinCertificateArn go together: set both or neither",
      path: ["addinDomain"],
    }),
    z.refine(
      (c) => {
        const given = [c.entraTenantId, c.entraClientId, c.entraClientSecretName];
        const some = given.some((v) => v !== undefined) || c.entraTeamClaim !== undefined;
        return !some || given.every((v) => v !== undefined);
      },
      {
        error: "set entraTenantId, entraClientId and entraClientSecretName together",
        path: ["entra"],
      },
    ),
  );

/** Context keys this app reads, for error messages and docs. */
export const contextKeys = [
  "authDomainPrefix",
  "withAssets",
  "alarmEmail",
  "tableName",
  "addinDomain",
  "addinCertificateArn",
  "entraTenantId",
  "entraClientId",
  "entraClientSecretName",
  "entraTeamClaim",
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
  const { tableName, addinDomain, addinCertificateArn } = parsed.data;
  const entra = entraOf(parsed.data);
  return {
    authDomainPrefix: parsed.data.authDomainPrefix,
    withAssets: parsed.data.withAssets,
    alarmEmail: parsed.data.alarmEmail,
    ...(tableName ? { tableName } : {}),
    ...(addinDomain && addinCertificateArn
      ? { customDomain: { name: addinDomain, certificateArn: addinCertificateArn } }
      : {}),
    ...(entra ? { entra } : {}),
  };
}

function entraOf(c: z.infer<typeof contextSchema>): EntraSignIn | undefined {
  if (!c.entraTenantId || !c.entraClientId || !c.entraClientSecretName) return undefined;
  return {
    tenantId: c.entraTenantId,
    clientId: c.entraClientId,
    clientSecretName: c.entraClientSecretName,
    teamClaim: c.entraTeamClaim,
  };
}
