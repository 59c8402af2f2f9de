/**
 * @module infra/aws/lib/cleave-stack
 * Cleave's production deployment in one region: network, data stores, NATS JetStream, the Cleave
 * services, backups, logs and alarms, wired so each part is reachable only by the parts that need it.
 * One customer-managed KMS key (rotated yearly) encrypts the stores, secrets, logs and alarm topic.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import { BackupBucket } from './backups.js';
import { CleaveServices } from './cleave-services.js';
import { DataStores } from './data-stores.js';
import { Monitoring } from './monitoring.js';
import { NatsCluster } from './nats-cluster.js';
import { Network } from './network.js';
import type { CleaveSettings } from './settings.js';

export interface CleaveStackProps extends StackProps {
  settings: CleaveSettings;
  /** The three availability zones to spread over (the stack's region). */
  availabilityZones: string[];
  backupReplica: { bucket: s3.IBucket; key: kms.IKey };
}

export class CleaveStack extends Stack {
  constructor(scope: Construct, id: string, props: CleaveStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const { settings } = props;

    const key = new kms.Key(this, 'Key', {
      description: 'Cleave: data stores, secrets, logs and alarms',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    allowServiceToUseKey(key, `logs.${this.region}.amazonaws.com`, {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:*`,
      },
    });
    allowServiceToUseKey(key, 'cloudwatch.amazonaws.com');

    const { vpc } = new Network(this, 'Network', { availabilityZones: props.availabilityZones, logKey: key });
    const stores = new DataStores(this, 'Data', { vpc, key });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      clusterName: 'cleave',
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: 'cleave.internal',
      vpc,
      description: 'Service discovery for the NATS cluster',
    });
    const logGroup = (id: string) =>
      new logs.LogGroup(this, id, {
        encryptionKey: key,
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    const nats = new NatsCluster(this, 'Nats', {
      cluster,
      vpc,
      namespace,
      key,
      logGroup: logGroup('NatsLogs'),
    });

    // Load balancer access logs: ELB writes only to SSE-S3 buckets (not KMS), so this one differs.
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire', expiration: Duration.days(90) }],
    });

    const backups = new BackupBucket(this, 'Backups', { key, replica: props.backupReplica });
    const services = new CleaveServices(this, 'Cleave', {
      cluster,
      vpc,
      image: settings.image,
      certificateArn: settings.certificateArn,
      databaseSecret: stores.databaseSecret,
      redis: {
        host: stores.redis.attrPrimaryEndPointAddress,
        port: stores.redis.attrPrimaryEndPointPort,
        authToken: stores.redisAuthToken,
      },
      natsUrl: nats.clientUrl,
      readReplicaHost: stores.readReplica.dbInstanceEndpointAddress,
      logGroups: {
        api: logGroup('ApiLogs'),
        worker: logGroup('WorkerLogs'),
        migrate: logGroup('MigrateLogs'),
        backup: logGroup('BackupLogs'),
      },
      accessLogs,
      backups: { bucket: backups.bucket, key },
    });
    stores.allowFrom(services);
    nats.connections.allowDefaultPortFrom(services, 'Cleave clients');
    for (const group of services.connections.securityGroups) {
      group.addEgressRule(
        stores.database.connections.securityGroups[0] as ec2.ISecurityGroup,
        ec2.Port.tcp(5432),
      );
      group.addEgressRule(
        stores.redisConnections.securityGroups[0] as ec2.ISecurityGroup,
        ec2.Port.tcp(6379),
      );
      group.addEgressRule(nats.connections.securityGroups[0] as ec2.ISecurityGroup, ec2.Port.tcp(4222));
    }

    new Monitoring(this, 'Monitoring', {
      key,
      ...(settings.alarmEmail && { alarmEmail: settings.alarmEmail }),
      loadBalancer: services.loadBalancer,
      targetGroup: services.targetGroup,
      database: stores.database,
      readReplica: stores.readReplica,
      redis: stores.redis,
      services: [services.api, services.worker, ...nats.services],
    });

    new CfnOutput(this, 'LoadBalancerDns', { value: services.loadBalancer.loadBalancerDnsName });
    new CfnOutput(this, 'MigrateTaskDefinition', { value: services.migrateTask.taskDefinitionArn });
    new CfnOutput(this, 'BackupsBucket', { value: backups.bucket.bucketName });
    new CfnOutput(this, 'ReadReplicaEndpoint', { value: stores.readReplica.dbInstanceEndpointAddress });
  }
}

/** Lets an AWS service principal encrypt and decrypt with the key, nothing more. */
function allowServiceToUseKey(key: kms.Key, service: string, conditions?: Record<string, unknown>): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(service)],
      actions: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:GenerateDataKey',
        'kms:DescribeKey',
      ],
      resources: ['*'],
      ...(conditions && { conditions }),
    }),
  );
}
