/**
 * @module infra/aws/lib/scheduled-backup
 * An hourly logical backup of PostgreSQL into the backups bucket, on top of RDS's own snapshots and
 * point-in-time recovery: an EventBridge rule runs the server image as a one-off Fargate task,
 * `cleave backup s3://<bucket>/postgres/` (pg_dump 16 in the image, a consistent snapshot, uploaded
 * by the task role). Its copy in the replica region comes from the bucket's replication, so a
 * region lost entirely still leaves a restorable dump (`cleave restore s3://…`).
 *
 * Least privilege: the task role may put objects under `postgres/` only (and abort its own
 * multipart uploads), and use the bucket's key to encrypt them; it cannot read, list or delete.
 */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where in the bucket the dumps go; the task role can write nowhere else. */
export const BACKUP_PREFIX = 'postgres/';

export interface ScheduledBackupProps {
  cluster: ecs.ICluster;
  /** The container (image, secrets, logging) the backup task runs; its command is set here. */
  container: ecs.ContainerDefinitionOptions;
  securityGroup: ec2.ISecurityGroup;
  bucket: s3.IBucket;
  key: kms.IKey;
  /** Default: every hour, the region-level RPO docs/operations.md states. */
  schedule?: events.Schedule;
}

export class ScheduledBackup extends Construct {
  readonly task: ecs.FargateTaskDefinition;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ScheduledBackupProps) {
    super(scope, id);
    this.task = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 512,
      memoryLimitMiB: 1024,
      // The dump is written to /tmp before the upload: room for a database of tens of gigabytes.
      ephemeralStorageGiB: 100,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    const container = this.task.addContainer('cleave', {
      ...props.container,
      command: [
        ...(props.container.command ?? []),
        'node',
        'packages/server/dist/cli/cleave.js',
        'backup',
        `s3://${props.bucket.bucketName}/${BACKUP_PREFIX}`,
      ],
    });
    // The read-only root file system leaves /tmp writable through a task volume.
    this.task.addVolume({ name: 'tmp' });
    container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });

    this.task.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [props.bucket.arnForObjects(`${BACKUP_PREFIX}*`)],
      }),
    );
    // SSE-KMS: a data key per object; a multipart upload also decrypts it to combine the parts.
    this.task.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
      }),
    );

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Hourly cleave backup of PostgreSQL to the backups bucket',
      schedule: props.schedule ?? events.Schedule.rate(Duration.hours(1)),
      targets: [
        new targets.EcsTask({
          cluster: props.cluster,
          taskDefinition: this.task,
          taskCount: 1,
          subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          securityGroups: [props.securityGroup],
          assignPublicIp: false,
          platformVersion: ecs.FargatePlatformVersion.LATEST,
          retryAttempts: 2,
          // A run that could not start within the hour is replaced by the next one.
          maxEventAge: Duration.minutes(50),
        }),
      ],
    });
  }
}
