/**
 * One Lambda function per handler group of `functions/routes.ts`, bundled locally by esbuild
 * (no Docker), each with its own log group and a role that allows exactly its group's table
 * actions on the table and nothing else.
 */
import { join } from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, LoggingFormat, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
} from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { type HandlerGroup, handlerGroups } from "../functions/routes.ts";

/** How long the functions' logs are kept (the API's access logs: `accessLogRetention`). */
export const logRetention = RetentionDays.ONE_MONTH;

interface FunctionSize {
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Concurrent executions set aside for the function, and its ceiling; none: the shared pool. */
  readonly reservedConcurrency?: number;
}

// API Gateway gives up on an integration after 30 s, so no handler needs longer. Grading reads
// and rewrites the whole team's customer base, so it gets more memory (and with it, more CPU),
// and a ceiling: its route's throttle (2/s, burst 10) at 29 s each needs at most 2 × 29 + 10 = 68
// executions, so 100 keeps the 29-second, 1-GB runs from starving the other functions of the
// account's concurrency (docs/deploy.md, "Throttling").
const defaultSize: FunctionSize = { memorySize: 512, timeout: Duration.seconds(29) };
const sizeOverrides: Partial<Record<HandlerGroup, FunctionSize>> = {
  grading: { memorySize: 1024, timeout: Duration.seconds(29), reservedConcurrency: 100 },
};

/** The size of each handler group's function. */
export function functionSize(group: HandlerGroup): FunctionSize {
  return sizeOverrides[group] ?? defaultSize;
}

// How every handler is bundled (`npm run bench lambdas` measures these very bundles).
const bundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: "node22",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Prefer the SDK's ES module builds: they tree-shake better than its CommonJS ones.
  mainFields: ["module", "main"],
  // Bundle the AWS SDK v3 clients instead of using the runtime's copy: the deployed code then
  // runs the exact SDK version the tests ran, and a bundled client loads faster.
  externalModules: [],
  // Some CommonJS dependencies call require() for Node built-ins; ESM output has no require.
  banner:
    "import{createRequire as __crmCreateRequire}from'node:module';const require=__crmCreateRequire(import.meta.url);",
  forceDockerBundling: false,
  // Sizes are printed by `npm run bench lambdas`; synth output stays readable.
  logLevel: LogLevel.WARNING,
};

/** Props of {@link HandlerFunctions}. */
export interface HandlerFunctionsProps {
  readonly table: ITableV2;
  /** Repository root: entries and package-lock.json are resolved from here. */
  readonly projectRoot: string;
}

/** The Lambda functions of the API, one per handler group. */
export class HandlerFunctions extends Construct {
  readonly byGroup: Readonly<Record<HandlerGroup, NodejsFunction>>;

  constructor(scope: Construct, id: string, props: HandlerFunctionsProps) {
    super(scope, id);
    const groups = Object.keys(handlerGroups) as HandlerGroup[];
    this.byGroup = Object.fromEntries(
      groups.map((group) => [group, this.createFunction(group, props)]),
    ) as Record<HandlerGroup, NodejsFunction>;
  }

  private createFunction(group: HandlerGroup, props: HandlerFunctionsProps): NodejsFunction {
    const { entry, tableActions } = handlerGroups[group];
    const scope = new Construct(this, group);
    const logGroup = new LogGroup(scope, "Logs", {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may create any
    // log group in the account; this one may only write to the function's own.
    const role = new Role(scope, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `CRM ${group} handler: its log group and its table actions only`,
    });
    logGroup.grantWrite(role);
    if (tableActions.length > 0) {
      role.addToPolicy(
        new PolicyStatement({ actions: [...tableActions], resources: [props.table.tableArn] }),
      );
    }
    const size = functionSize(group);
    return new NodejsFunction(scope, "Function", {
      entry: join(props.projectRoot, entry),
      handler: "handler",
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, "package-lock.json"),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: size.memorySize,
      timeout: size.timeout,
      ...(size.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: size.reservedConcurrency }),
      // X-Ray traces of each invocation (sampled), to see where a slow request spent its time.
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        TABLE_NAME: props.table.tableName,
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling,
      description: `CRM API: ${group} routes`,
    });
  }
}
