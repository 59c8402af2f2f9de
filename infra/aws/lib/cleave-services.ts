/**
 * @module infra/aws/lib/cleave-services
 * Cleave itself on ECS Fargate: the API service behind an internet-facing Application Load
 * Balancer (TLS from ACM, HTTP redirected, AWS WAF in front), the worker service, and a migration
 * task definition run once per release. One image; the role is `CLEAVE_ROLES`.
 */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { launchCommand } from './launch-command.js';
import { ScheduledBackup } from './scheduled-backup.js';
import { CLEAVE_PORT, CLEAVE_UID } from './settings.js';

export interface CleaveServicesProps {
  cluster: ecs.ICluster;
  vpc: ec2.IVpc;
  image: string;
  certificateArn: string;
  databaseSecret: secretsmanager.ISecret;
  redis: { host: string; port: string; authToken: secretsmanager.ISecret };
  natsUrl: string;
  /** The read replica's host: analysis queries go there (`DATABASE_READ_URL`). */
  readReplicaHost?: string;
  logGroups: { api: logs.ILogGroup; worker: logs.ILogGroup; migrate: logs.ILogGroup; backup: logs.ILogGroup };
  accessLogs: s3.IBucket;
  /** Where the hourly `cleave backup` task writes, and the key that encrypts the bucket. */
  backups: { bucket: s3.IBucket; key: kms.IKey };
}

type Role = 'api' | 'worker';

export class CleaveServices extends Construct {
  readonly api: ecs.FargateService;
  readonly worker: ecs.FargateService;
  readonly migrateTask: ecs.FargateTaskDefinition;
  readonly backup: ScheduledBackup;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly webAcl: wafv2.CfnWebACL;
  /** The security groups of every Cleave task: what data stores and NATS open their ports to. */
  readonly connections: ec2.Connections;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: CleaveServicesProps,
  ) {
    super(scope, id);
    const appSecurityGroup = (name: string, description: string) => {
      const group = new ec2.SecurityGroup(this, name, {
        vpc: props.vpc,
        description,
        allowAllOutbound: false,
      });
      // AWS APIs (Secrets Manager, logs, image pulls) and, from the worker, webhook receivers.
      group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
      return group;
    };
    const apiGroup = appSecurityGroup('ApiSecurityGroup', 'Cleave API: 8080 from the load balancer only');
    const workerGroup = appSecurityGroup('WorkerSecurityGroup', 'Cleave worker: no inbound traffic');
    // Webhook receivers may listen on plain HTTP; the server refuses link-local and private targets.
    workerGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'webhook deliveries over HTTP');
    const migrateGroup = appSecurityGroup(
      'MigrateSecurityGroup',
      'Cleave migration task: no inbound traffic',
    );
    const backupGroup = appSecurityGroup('BackupSecurityGroup', 'Cleave backup task: no inbound traffic');
    this.connections = new ec2.Connections({
      securityGroups: [apiGroup, workerGroup, migrateGroup, backupGroup],
    });

    const cluster = props.cluster;
    const apiTask = this.taskDefinition('api', 1024, 2048);
    this.api = new ecs.FargateService(this, 'ApiService', {
      cluster,
      serviceName: 'cleave-api',
      taskDefinition: apiTask,
      desiredCount: 3,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [apiGroup],
      assignPublicIp: false,
      enableExecuteCommand: false,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });
    const scaling = this.api.autoScaleTaskCount({ minCapacity: 3, maxCapacity: 20 });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: 60,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });

    this.worker = new ecs.FargateService(this, 'WorkerService', {
      cluster,
      serviceName: 'cleave-worker',
      taskDefinition: this.taskDefinition('worker', 1024, 2048),
      desiredCount: 1,
      // Replace rather than overlap: accepted events wait durably in JetStream meanwhile.
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [workerGroup],
      assignPublicIp: false,
      enableExecuteCommand: false,
      circuitBreaker: { rollback: true },
    });

    this.migrateTask = new ecs.FargateTaskDefinition(this, 'MigrateTask', {
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    this.migrateTask.addContainer('cleave', {
      ...this.containerBasics(props.logGroups.migrate, 'migrate'),
      command: launchCommand(['node', 'packages/server/dist/cli/migrate.js']),
    });

    // The backup reads only PostgreSQL: it gets the database's secrets, not Redis's token.
    const {
      secrets,
      environment: _redisHost,
      ...basics
    } = this.containerBasics(props.logGroups.backup, 'backup');
    const { REDIS_AUTH_TOKEN: _redisToken, ...databaseSecrets } = secrets;
    this.backup = new ScheduledBackup(this, 'Backup', {
      cluster,
      container: { ...basics, secrets: databaseSecrets, command: launchCommand([]) },
      securityGroup: backupGroup,
      bucket: props.backups.bucket,
      key: props.backups.key,
    });

    const albGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'Cleave load balancer: HTTPS (and HTTP, redirected) from anywhere',
      allowAllOutbound: false,
    });
    albGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    albGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: albGroup,
      deletionProtection: true,
      dropInvalidHeaderFields: true,
      // Above the SDK stream's heartbeat interval, so idle streams stay open.
      idleTimeout: Duration.seconds(120),
    });
    this.loadBalancer.logAccessLogs(props.accessLogs, 'alb');
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'ApiTargets', {
      vpc: props.vpc,
      port: CLEAVE_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.api],
      deregistrationDelay: Duration.seconds(20),
      healthCheck: {
        path: '/readyz',
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultTargetGroups: [this.targetGroup],
      open: false,
    });
    this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    apiGroup.addIngressRule(albGroup, ec2.Port.tcp(CLEAVE_PORT), 'from the load balancer');
    albGroup.addEgressRule(apiGroup, ec2.Port.tcp(CLEAVE_PORT), 'to the API tasks');

    this.webAcl = webAcl(this);
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  private taskDefinition(role: Role, cpu: number, memoryLimitMiB: number): ecs.FargateTaskDefinition {
    const task = new ecs.FargateTaskDefinition(this, `${role === 'api' ? 'Api' : 'Worker'}Task`, {
      cpu,
      memoryLimitMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    const basics = this.containerBasics(this.props.logGroups[role], role);
    task.addContainer('cleave', {
      ...basics,
      command: launchCommand(['node', 'packages/server/dist/main.js']),
      environment: {
        ...basics.environment,
        CLEAVE_ROLES: role,
        PORT: String(CLEAVE_PORT),
        NATS_URL: this.props.natsUrl,
        ...(this.props.readReplicaHost && { DB_READ_HOST: this.props.readReplicaHost }),
        // The events stream in 3 copies across the 3 NATS nodes (one per AZ).
        CLEAVE_NATS_REPLICAS: '3',
        CLEAVE_TRUST_PROXY: 'true',
        LOG_LEVEL: 'info',
      },
      portMappings: [{ containerPort: CLEAVE_PORT, name: 'http' }],
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${CLEAVE_PORT}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
        ],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // The server drains within 10 s of SIGTERM (main.ts); leave it room.
      stopTimeout: Duration.seconds(30),
    });
    // The read-only root file system leaves /tmp writable through a task volume.
    task.addVolume({ name: 'tmp' });
    task.defaultContainer?.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    return task;
  }

  private containerBasics(logGroup: logs.ILogGroup, prefix: string) {
    const { databaseSecret, redis } = this.props;
    return {
      image: ecs.ContainerImage.fromRegistry(this.props.image),
      user: CLEAVE_UID,
      readonlyRootFilesystem: true,
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: prefix }),
      environment: { REDIS_HOST: redis.host, REDIS_PORT: redis.port },
      secrets: {
        DB_HOST: ecs.Secret.fromSecretsManager(databaseSecret, 'host'),
        DB_PORT: ecs.Secret.fromSecretsManager(databaseSecret, 'port'),
        DB_NAME: ecs.Secret.fromSecretsManager(databaseSecret, 'dbname'),
        DB_USER: ecs.Secret.fromSecretsManager(databaseSecret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(databaseSecret, 'password'),
        REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(redis.authToken),
      },
    };
  }
}

/** AWS managed rule groups plus a per-address rate limit, in front of the load balancer. */
function webAcl(scope: Construct): wafv2.CfnWebACL {
  const visibility = (metricName: string) => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName,
  });
  const managed = (
    priority: number,
    name: string,
    ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
  ): wafv2.CfnWebACL.RuleProperty => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(ruleActionOverrides && { ruleActionOverrides }),
      },
    },
    visibilityConfig: visibility(name),
  });
  return new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('cleave'),
    rules: [
      {
        name: 'RateLimitPerAddress',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: 20_000, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('RateLimitPerAddress'),
      },
      // Event batches are up to 5 MiB (POST /api/v1/events) and the server enforces its own body
      // limits, so the rule set's 8 KiB body limit only counts instead of blocking.
      managed(1, 'AWSManagedRulesCommonRuleSet', [
        { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
      ]),
      managed(2, 'AWSManagedRulesKnownBadInputsRuleSet'),
      managed(3, 'AWSManagedRulesAmazonIpReputationList'),
    ],
  });
}
