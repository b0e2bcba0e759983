/**
 * The whole deployment in one stack: table, handler functions, HTTP API with the Cognito
 * JWT authorizer, user pool, hosting for the add-in, alarms. Environment-agnostic and free of
 * lookups, so it synthesizes offline without AWS credentials.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Aws, CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { type ITableV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { ServiceAlarms } from "./alarms.ts";
import { AddinAuth } from "./auth.ts";
import { tableRef } from "./cdk-types.ts";
import { connectOrigins } from "./content-security-policy.ts";
import { HandlerFunctions } from "./handler-functions.ts";
import { AddinHosting, addinStartPage } from "./hosting.ts";
import { CrmHttpApi } from "./http-api.ts";
import { suppressJustifiedFindings } from "./nag-suppressions.ts";
import type { StackSettings } from "./settings.ts";
import { outputNames } from "./stack-names.ts";
import { createRecordsTable } from "./table.ts";

/** The repository root (this file lives in `infra/`). */
export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** Props of {@link CrmStack}. */
export interface CrmStackProps extends StackProps {
  readonly settings: StackSettings;
  /** Where `functions/` and package-lock.json are; the repository root by default. */
  readonly projectRoot?: string;
  /** The built add-in; `<projectRoot>/dist` by default. */
  readonly distDir?: string;
}

/** The CRM credit service. */
export class CrmStack extends Stack {
  /** Whether `dist/` was uploaded by this synth (see `withAssets` in docs/deploy.md). */
  readonly servesAssets: boolean;
  /** The stack's own table, or the one the `tableName` setting adopts (a restored copy). */
  readonly table: ITableV2;
  readonly functions: HandlerFunctions;
  readonly hosting: AddinHosting;
  readonly auth: AddinAuth;
  readonly http: CrmHttpApi;
  readonly alarms: ServiceAlarms;

  constructor(scope: Construct, id: string, props: CrmStackProps) {
    super(scope, id, props);
    const projectRoot = props.projectRoot ?? repoRoot;
    const distDir = props.distDir ?? join(projectRoot, "dist");
    // Decided first, so a missing build fails before any bundling starts.
    this.servesAssets = shouldUploadDist(props.settings.withAssets, distDir);

    // A table restored to a point in time is a new table: the setting points the stack at it, and
    // the stack's own (retained) table leaves the stack (docs/deploy.md, "Restoring the table").
    const { tableName } = props.settings;
    this.table = tableName
      ? TableV2.fromTableName(this, "Records", tableName)
      : tableRef(createRecordsTable(this));
    this.functions = new HandlerFunctions(this, "Handlers", { table: this.table, projectRoot });
    this.hosting = new AddinHosting(this, "Hosting", {
      customDomain: props.settings.customDomain,
    });
    this.auth = new AddinAuth(this, "Auth", {
      addinUrl: this.hosting.url,
      domainPrefix: props.settings.authDomainPrefix,
      entra: props.settings.entra,
    });
    this.http = new CrmHttpApi(this, "Http", {
      functions: this.functions.byGroup,
      userPool: this.auth.userPool,
      userPoolClient: this.auth.client,
    });
    // The API on the pages' own origin: connect-src 'self' covers it, and it needs no CORS. The
    // sign-in hosts are named (the policy → the user pool domain, which names nothing back).
    this.hosting.serveApi(this.http.api);
    this.hosting.allowConnections(
      ...connectOrigins({ signIn: { domain: this.auth.domainName, region: Aws.REGION } }),
    );
    this.alarms = new ServiceAlarms(this, "Alarms", {
      api: this.http.api,
      accessLogs: this.http.accessLogs,
      functions: this.functions.byGroup,
      table: this.table,
      email: props.settings.alarmEmail,
    });
    if (this.servesAssets) {
      this.hosting.deploySite(distDir, {
        auth: {
          issuer: this.auth.userPool.userPoolProviderUrl,
          clientId: this.auth.client.userPoolClientId,
        },
      });
    }

    const { http, hosting, auth, table, alarms } = this;
    const outputs: Record<keyof typeof outputNames, [string, string]> = {
      apiUrl: [hosting.url, "API base URL, the add-in's own origin (append /v1)"],
      addinUrl: [hosting.url, "Add-in URL (manifest base URL)"],
      userPoolId: [auth.userPool.userPoolId, "Cognito user pool id"],
      userPoolClientId: [auth.client.userPoolClientId, "Cognito app client id of the add-in"],
      authDomain: [auth.domainName, "Cognito hosted UI host name"],
      region: [Aws.REGION, "Region of the stack"],
      tableName: [table.tableName, "DynamoDB table"],
      alarmTopicArn: [alarms.topic.topicArn, "SNS topic of the alarms"],
    };
    for (const key of Object.keys(outputNames) as (keyof typeof outputNames)[]) {
      const [value, description] = outputs[key];
      new CfnOutput(this, outputNames[key], { value, description });
    }

    suppressJustifiedFindings(this, { functions: this.functions, hosting, http });
  }
}

function shouldUploadDist(mode: StackSettings["withAssets"], distDir: string): boolean {
  const built = existsSync(join(distDir, addinStartPage));
  if (mode === "always" && !built) {
    throw new Error(
      `withAssets=true but ${join(distDir, addinStartPage)} does not exist: run "npm run build" first`,
    );
  }
  return mode === "always" || (mode === "auto" && built);
}
