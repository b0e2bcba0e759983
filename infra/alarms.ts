/**
 * Alarms that say the service is failing people: API 5xx, requests refused with 429 (by the
 * stage's throttle or by a handler backing off DynamoDB), Lambda errors and throttles, and
 * DynamoDB throttling. All notify one SNS topic.
 */
import { Duration, Stack } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { FilterPattern, type ILogGroup, MetricFilter } from "aws-cdk-lib/aws-logs";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

const period = Duration.minutes(5);

/** Props of {@link ServiceAlarms}. */
export interface ServiceAlarmsProps {
  readonly api: HttpApi;
  readonly accessLogs: ILogGroup;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly table: ITableV2;
  readonly email: string | undefined;
}

/** The alarm topic and every alarm. */
export class ServiceAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, "Topic", { displayName: "CRM credit alarms", enforceSSL: true });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    this.add("Api5xx", "The API answered with a 5xx", props.api.metricServerError());

    // HTTP APIs publish no throttle metric; their access log does carry the status, and a 429
    // there is either the stage throttle or a handler passing on DynamoDB throttling.
    const namespace = `CrmCredit/${Stack.of(this).stackName}`;
    new MetricFilter(this, "Api429Filter", {
      logGroup: props.accessLogs,
      filterPattern: FilterPattern.stringValue("$.status", "=", "429"),
      metricNamespace: namespace,
      metricName: "ThrottledRequests",
      metricValue: "1",
    });
    this.add(
      "Api429",
      "The API refused requests with 429 (throttled)",
      new Metric({ namespace, metricName: "ThrottledRequests" }),
    );

    for (const [group, fn] of Object.entries(props.functions)) {
      this.add(`${group}Errors`, `The ${group} function failed`, fn.metricErrors());
      this.add(`${group}Throttles`, `The ${group} function was throttled`, fn.metricThrottles());
    }

    this.add(
      "TableThrottles",
      "DynamoDB throttled reads or writes (a hot team partition?)",
      new MathExpression({
        expression: "reads + writes",
        usingMetrics: {
          reads: props.table.metric("ReadThrottleEvents"),
          writes: props.table.metric("WriteThrottleEvents"),
        },
        period,
      }),
    );
  }

  private add(id: string, description: string, metric: IMetric): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric: metric instanceof Metric ? metric.with({ statistic: "Sum", period }) : metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No traffic is no failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
