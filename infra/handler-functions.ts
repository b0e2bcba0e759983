/**
 * One Lambda function per handler group of `functions/routes.ts`, bundled locally by the
 * project's one Lambda build (`scripts/build-lambdas.ts`, no Docker), each with its own log
 * group and a role that allows exactly its group's table actions on the table and nothing else.
 */
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from "aws-cdk-lib";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { type HandlerGroup, handlerGroups } from "../functions/routes.ts";
import { buildLambda } from "../scripts/build-lambdas.ts";

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

/**
 * A handler group's code: the asset is the very bundle `npm run build` writes (one build,
 * `scripts/build-lambdas.ts`), built locally by esbuild at synth time (no Docker); its hash is
 * that of the output, so an unchanged bundle is not uploaded again.
 */
function bundledCode(group: HandlerGroup, projectRoot: string): Code {
  return Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry("public.ecr.aws/docker/library/node:22"),
      // Part of the asset cache key (which ignores `local`): each group gets its own bundle.
      command: ["build-lambda", group],
      local: {
        tryBundle(outputDir: string): boolean {
          buildLambda(group, outputDir, projectRoot);
          return true;
        },
      },
    },
  });
}

/** Props of {@link HandlerFunctions}. */
export interface HandlerFunctionsProps {
  readonly table: ITableV2;
  /** Repository root: entries and package-lock.json are resolved from here. */
  readonly projectRoot: string;
}

/** The Lambda functions of the API, one per handler group. */
export class HandlerFunctions extends Construct {
  readonly byGroup: Readonly<Record<HandlerGroup, LambdaFunction>>;

  constructor(scope: Construct, id: string, props: HandlerFunctionsProps) {
    super(scope, id);
    const groups = Object.keys(handlerGroups) as HandlerGroup[];
    this.byGroup = Object.fromEntries(
      groups.map((group) => [group, this.createFunction(group, props)]),
    ) as Record<HandlerGroup, LambdaFunction>;
  }

  private createFunction(group: HandlerGroup, props: HandlerFunctionsProps): LambdaFunction {
    const { tableActions } = handlerGroups[group];
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
    return new LambdaFunction(scope, "Function", {
      code: bundledCode(group, props.projectRoot),
      handler: "index.handler",
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
      // Source maps ship beside the bundle but stay off: `--enable-source-maps` slows the import.
      environment: { TABLE_NAME: props.table.tableName },
      description: `CRM API: ${group} routes`,
    });
  }
}
