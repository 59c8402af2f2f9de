/**
 * @module infra/aws/lib/monitoring
 * CloudWatch alarms on what users notice (5xx answers, unhealthy targets, slow responses) and on the
 * dependencies that cause it (database CPU, storage and replica lag, Redis memory, services below
 * their task count), sent to one encrypted SNS topic; and a dashboard of the same signals.
 * Cleave's own Prometheus metrics (writer lag, ingestion) are charted by infra/observability.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  key: kms.IKey;
  alarmEmail?: string;
  loadBalancer: elbv2.ApplicationLoadBalancer;
  targetGroup: elbv2.ApplicationTargetGroup;
  database: rds.DatabaseInstance;
  readReplica: rds.DatabaseInstanceReadReplica;
  redis: elasticache.CfnReplicationGroup;
  services: ecs.FargateService[];
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', { masterKey: props.key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const alb = props.loadBalancer.metrics;
    const fiveMinutes = { period: Duration.minutes(5) };
    const serverErrors = alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
      ...fiveMinutes,
      statistic: 'Sum',
    });
    const requests = alb.requestCount({ ...fiveMinutes, statistic: 'Sum' });
    const errorRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: serverErrors, requests },
      period: Duration.minutes(5),
      label: '5xx %',
    });
    const latency = alb.targetResponseTime({ ...fiveMinutes, statistic: 'p99' });
    const unhealthy = props.targetGroup.metrics.unhealthyHostCount({
      period: Duration.minutes(1),
      statistic: 'Max',
    });
    const redisDimensions = { ReplicationGroupId: props.redis.ref };
    const redisMemory = new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName: 'DatabaseMemoryUsagePercentage',
      dimensionsMap: redisDimensions,
      statistic: 'Maximum',
      ...fiveMinutes,
    });
    const redisCpu = new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName: 'EngineCPUUtilization',
      dimensionsMap: redisDimensions,
      statistic: 'Maximum',
      ...fiveMinutes,
    });
    const replicaLag = new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName: 'ReplicaLag',
      dimensionsMap: { DBInstanceIdentifier: props.readReplica.instanceIdentifier },
      statistic: 'Maximum',
      ...fiveMinutes,
    });

    this.alarm('Api5xxRate', errorRate, 5, 'More than 5 % of API answers are 5xx');
    this.alarm('ApiLatencyP99', latency, 1, 'API p99 latency above 1 s');
    this.alarm('ApiUnhealthyTargets', unhealthy, 1, 'An API task fails /readyz', 3);
    this.alarm(
      'DatabaseCpu',
      props.database.metricCPUUtilization(fiveMinutes),
      80,
      'PostgreSQL CPU above 80 %',
    );
    this.alarm(
      'DatabaseFreeStorage',
      props.database.metricFreeStorageSpace(fiveMinutes),
      10 * 1024 ** 3,
      'PostgreSQL free storage below 10 GiB',
      1,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    );
    this.alarm('DatabaseReplicaLag', replicaLag, 300, 'Read replica more than 5 minutes behind');
    this.alarm('RedisMemory', redisMemory, 80, 'Redis memory above 80 %');
    this.alarm('RedisCpu', redisCpu, 80, 'Redis engine CPU above 80 %');
    for (const service of props.services) {
      const running = new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
        statistic: 'Minimum',
        period: Duration.minutes(1),
      });
      this.alarm(
        `${service.node.id}Running`,
        running,
        1,
        `${service.node.id}: no task running`,
        3,
        cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        cloudwatch.TreatMissingData.BREACHING,
      );
      this.alarm(
        `${service.node.id}Memory`,
        service.metricMemoryUtilization(fiveMinutes),
        85,
        'memory above 85 %',
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: 'cleave',
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'API requests and 5xx',
            left: [requests, serverErrors],
            width: 12,
          }),
          new cloudwatch.GraphWidget({ title: 'API p99 latency (s)', left: [latency], width: 12 }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'ECS CPU %',
            left: props.services.map((service) => service.metricCpuUtilization(fiveMinutes)),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'ECS memory %',
            left: props.services.map((service) => service.metricMemoryUtilization(fiveMinutes)),
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'PostgreSQL',
            left: [props.database.metricCPUUtilization(fiveMinutes)],
            right: [props.database.metricDatabaseConnections(fiveMinutes)],
            width: 12,
          }),
          new cloudwatch.GraphWidget({ title: 'Replica lag (s)', left: [replicaLag], width: 12 }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Redis', left: [redisCpu, redisMemory], width: 12 }),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
        ],
      ],
    });
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    evaluationPeriods = 2,
    comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator,
      treatMissingData,
      alarmDescription: `Cleave: ${description}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
