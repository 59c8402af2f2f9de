/**
 * @module infra/aws/lib/cleave-stack.test
 * Synthesizes the AWS deployment offline, once for the whole file, and asserts on the CloudFormation
 * template what must hold in production: encryption at rest and in transit, nothing public but the
 * load balancer, Multi-AZ stores with retained backups and deletion protection, alarms wired to a
 * topic, IAM without wildcard actions, and containers that run as the image's non-root user with the
 * configuration the server accepts. (CloudFormation's own rules run in cloudformation-rules.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../../../packages/server/src/runtime/config.js';
import { buildApp } from './app.js';
import { LAUNCH_VARIABLES } from './launch-command.js';
import { CLEAVE_UID } from './settings.js';

export const TEST_SETTINGS = {
  image: 'ghcr.io/cleave/cleave:0.1.0',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  backupReplicaRegion: 'eu-central-1',
};
const ENVIRONMENT = { account: '123456789012', region: 'eu-west-1' };

const built = buildApp(TEST_SETTINGS, ENVIRONMENT, new App({ builtinCloudFormationValidation: false }));
const template = Template.fromStack(built.main);
const replicaTemplate = Template.fromStack(built.replica);

/** Template JSON is read field by field; its shape is CloudFormation's, not a TypeScript type's. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, checked by the assertions themselves
type Properties = Record<string, any>;
interface Resource {
  Type: string;
  Properties: Properties;
  DeletionPolicy?: string;
}

const all = (source: Template = template) => source.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string, source: Template = template) =>
  Object.entries(all(source))
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => ({ id, ...resource }));
const one = (type: string) => {
  const [found, ...more] = ofType(type);
  expect(more, type).toEqual([]);
  return found as NonNullable<typeof found>;
};

describe('AWS stack: network', () => {
  it('spreads over three availability zones with public, private and isolated subnets', () => {
    const subnets = ofType('AWS::EC2::Subnet');
    expect(subnets).toHaveLength(9);
    expect(new Set(subnets.map((subnet) => subnet.Properties.AvailabilityZone))).toEqual(
      new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']),
    );
    expect(ofType('AWS::EC2::NatGateway')).toHaveLength(3);
    const publicSubnets = subnets.filter((subnet) => subnet.Properties.MapPublicIpOnLaunch === true);
    expect(publicSubnets).toHaveLength(3);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('opens nothing to the internet but the load balancer on 443 and 80', () => {
    const open = (rule: Properties) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0';
    const ingress = [
      ...ofType('AWS::EC2::SecurityGroup').flatMap((group) =>
        (group.Properties.SecurityGroupIngress ?? []).map((rule: Properties) => ({ group: group.id, rule })),
      ),
      ...ofType('AWS::EC2::SecurityGroupIngress').map((rule) => ({
        group: JSON.stringify(rule.Properties.GroupId),
        rule: rule.Properties,
      })),
    ];
    const public_ = ingress.filter(({ rule }) => open(rule));
    expect(public_.map(({ rule }) => rule.FromPort).sort()).toEqual([443, 80]);
    for (const { group } of public_) expect(group).toMatch(/LoadBalancerSecurityGroup/);
  });

  it('lets PostgreSQL, Redis and NATS accept only their own port, only from security groups', () => {
    const ingressRules = ofType('AWS::EC2::SecurityGroupIngress').map((rule) => rule.Properties);
    const into = (groupPattern: RegExp) =>
      ingressRules.filter((rule) => groupPattern.test(JSON.stringify(rule.GroupId)));
    for (const [pattern, ports] of [
      [/DataPostgresSecurityGroup/, [5432]],
      [/DataRedisSecurityGroup/, [6379]],
      [/NatsSecurityGroup/, [4222, 6222]],
      [/NatsStoreSecurityGroup/, [2049]],
    ] as const) {
      const rules = into(pattern);
      expect(rules.length, String(pattern)).toBeGreaterThan(0);
      for (const rule of rules) {
        // RDS names its port by attribute (the instance's endpoint port, 5432 by default).
        const port = rule.FromPort?.['Fn::GetAtt']?.[1] === 'Endpoint.Port' ? 5432 : rule.FromPort;
        expect(ports, String(pattern)).toContain(port);
        expect(rule.ToPort).toEqual(rule.FromPort);
        expect(rule.SourceSecurityGroupId, String(pattern)).toBeDefined();
        expect(rule.CidrIp).toBeUndefined();
      }
    }
    for (const group of ofType('AWS::EC2::SecurityGroup')) {
      expect(
        group.Properties.SecurityGroupEgress?.[0]?.CidrIp === '0.0.0.0/0' &&
          group.Properties.SecurityGroupEgress?.[0]?.IpProtocol === '-1',
        group.id,
      ).toBe(false);
    }
  });
});

describe('AWS stack: data stores', () => {
  it('runs PostgreSQL Multi-AZ, private, encrypted, backed up for 14 days, protected from deletion', () => {
    const [primary, replica, ...more] = ofType('AWS::RDS::DBInstance').sort((a) =>
      a.Properties.SourceDBInstanceIdentifier ? 1 : -1,
    );
    expect(more).toEqual([]);
    expect(primary?.Properties).toMatchObject({
      Engine: 'postgres',
      MultiAZ: true,
      PubliclyAccessible: false,
      StorageEncrypted: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
      EnablePerformanceInsights: true,
    });
    expect(primary?.Properties.KmsKeyId).toBeDefined();
    expect(primary?.DeletionPolicy).toBe('Snapshot');
    // The read replica inherits the primary's encryption and is just as private and protected.
    expect(replica?.Properties).toMatchObject({ PubliclyAccessible: false, DeletionProtection: true });
    expect(JSON.stringify(replica?.Properties.SourceDBInstanceIdentifier)).toContain(primary?.id);
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
    for (const group of ofType('AWS::RDS::DBSubnetGroup')) {
      for (const subnet of group.Properties.SubnetIds) expect(JSON.stringify(subnet)).toMatch(/dataSubnet/);
    }
  });

  it('runs Redis as a Multi-AZ replication group, encrypted in transit and at rest, with an AUTH token', () => {
    const redis = one('AWS::ElastiCache::ReplicationGroup');
    expect(redis.Properties).toMatchObject({
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      NumCacheClusters: 3,
    });
    expect(redis.Properties.SnapshotRetentionLimit).toBeGreaterThan(0);
    expect(redis.Properties.KmsKeyId).toBeDefined();
    // The token is resolved by CloudFormation from Secrets Manager, never written into the template.
    expect(JSON.stringify(redis.Properties.AuthToken)).toMatch(/\{\{resolve:secretsmanager:/);
  });

  it('encrypts every secret, file system, log group and topic with the customer-managed key', () => {
    const key = one('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    for (const secret of ofType('AWS::SecretsManager::Secret'))
      expect(secret.Properties.KmsKeyId, secret.id).toBeDefined();
    for (const fileSystem of ofType('AWS::EFS::FileSystem'))
      expect(fileSystem.Properties.Encrypted).toBe(true);
    for (const group of ofType('AWS::Logs::LogGroup')) {
      expect(group.Properties.KmsKeyId, group.id).toBeDefined();
      expect(group.Properties.RetentionInDays, group.id).toBeGreaterThan(0);
      expect(group.DeletionPolicy).toBe('Retain');
    }
    expect(one('AWS::SNS::Topic').Properties.KmsMasterKeyId).toBeDefined();
  });

  it('blocks public access to every bucket, requires TLS and encrypts at rest', () => {
    const buckets = [...ofType('AWS::S3::Bucket'), ...ofType('AWS::S3::Bucket', replicaTemplate)];
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, bucket.id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm,
      ).toMatch(/^(aws:kms|AES256)$/);
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
    for (const source of [template, replicaTemplate]) {
      for (const policy of ofType('AWS::S3::BucketPolicy', source)) {
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    }
  });

  it('keeps backups versioned with lifecycle rules and copies them to another region', () => {
    const backups = ofType('AWS::S3::Bucket').find((bucket) => bucket.id.startsWith('Backups'));
    expect(backups?.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(backups?.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: 365,
    });
    const rule = backups?.Properties.ReplicationConfiguration.Rules[0];
    expect(rule.Status).toBe('Enabled');
    expect(rule.SourceSelectionCriteria.SseKmsEncryptedObjects.Status).toBe('Enabled');
    expect(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID).toBeDefined();
    expect(built.replica.region).toBe(TEST_SETTINGS.backupReplicaRegion);
    expect(built.replica.region).not.toBe(built.main.region);
    replicaTemplate.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.objectLike({}),
    });
    expect(() => buildApp({ ...TEST_SETTINGS, backupReplicaRegion: 'eu-west-1' }, ENVIRONMENT)).toThrow(
      /differ/,
    );
  });
});

describe('AWS stack: Cleave services', () => {
  const taskDefinitions = ofType('AWS::ECS::TaskDefinition');
  const cleaveContainers = taskDefinitions
    .flatMap((task) => task.Properties.ContainerDefinitions as Properties[])
    .filter((container) => container.Image === TEST_SETTINGS.image);
  const byRole = (role: string) =>
    cleaveContainers.find((container) =>
      (container.Environment as Properties[] | undefined)?.some(
        (entry) => entry.Name === 'CLEAVE_ROLES' && entry.Value === role,
      ),
    ) as Properties;

  it('runs the API and the worker from the one image, each with its role, as the non-root user, read-only', () => {
    // API, worker, migration and backup.
    expect(cleaveContainers).toHaveLength(4);
    for (const container of cleaveContainers) {
      expect(container.User).toBe(CLEAVE_UID);
      expect(container.ReadonlyRootFilesystem).toBe(true);
      expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    }
    expect(byRole('api').Command.slice(-2)).toEqual(['node', 'packages/server/dist/main.js']);
    expect(byRole('worker').Command.slice(-2)).toEqual(['node', 'packages/server/dist/main.js']);
    // The same script `npm run migrate` runs after building.
    const migrateScript = (
      JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
        scripts: { migrate: string };
      }
    ).scripts.migrate
      .split(' ')
      .at(-1);
    const migrate = cleaveContainers.find((container) => container.Command.at(-1) === migrateScript);
    expect(migrate).toBeDefined();
  });

  it('passes secrets from Secrets Manager, never as plain environment values', () => {
    for (const container of cleaveContainers) {
      const secrets = (container.Secrets as Properties[]).map((secret) => secret.Name).sort();
      // The backup task reads PostgreSQL only, and is not given Redis's token.
      const backup = (container.Command as string[]).includes('backup');
      expect(secrets).toEqual([...LAUNCH_VARIABLES.database, ...(backup ? [] : ['REDIS_AUTH_TOKEN'])].sort());
      for (const entry of (container.Environment ?? []) as Properties[]) {
        expect(entry.Name).not.toMatch(/PASSWORD|TOKEN|SECRET|DATABASE_URL/);
      }
    }
    for (const role of ['api', 'worker']) {
      // Whatever the task sets for Cleave itself is a variable the server knows.
      const own = (byRole(role).Environment as Properties[])
        .map((entry) => entry.Name as string)
        .filter((name) => ![...LAUNCH_VARIABLES.redis, ...LAUNCH_VARIABLES.replica].includes(name as never));
      for (const name of own) expect(Object.keys(ENVIRONMENT_VARIABLES), name).toContain(name);
      // Analysis reads go to the read replica (the launch command turns its host into DATABASE_READ_URL).
      expect(JSON.stringify(byRole(role).Environment)).toContain('"Name":"DB_READ_HOST"');
    }
    // Every NATS node is a seed, and the events stream is kept in a copy on each.
    expect(JSON.stringify(byRole('api').Environment)).toMatch(
      /nats:\/\/nats-1\.cleave\.internal:4222,nats:\/\/nats-2\.cleave\.internal:4222,nats:\/\/nats-3\.cleave\.internal:4222/,
    );
    expect(byRole('worker').Environment).toContainEqual({ Name: 'CLEAVE_NATS_REPLICAS', Value: '3' });
  });

  it('puts the API behind TLS with a modern policy, redirects HTTP, and checks targets on /readyz', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      Port: 443,
      Certificates: [{ CertificateArn: TEST_SETTINGS.certificateArn }],
      SslPolicy: Match.stringLikeRegexp('TLS13'),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [
        Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS' }) }),
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      Port: 8080,
      TargetType: 'ip',
    });
    const attributes = one('AWS::ElasticLoadBalancingV2::LoadBalancer').Properties
      .LoadBalancerAttributes as Properties[];
    expect(attributes).toContainEqual({ Key: 'deletion_protection.enabled', Value: 'true' });
    expect(attributes).toContainEqual({
      Key: 'routing.http.drop_invalid_header_fields.enabled',
      Value: 'true',
    });
    expect(attributes).toContainEqual({ Key: 'access_logs.s3.enabled', Value: 'true' });
  });

  it('shields the load balancer with AWS WAF without blocking large event batches', () => {
    const acl = one('AWS::WAFv2::WebACL');
    expect(acl.Properties.Scope).toBe('REGIONAL');
    const rules = acl.Properties.Rules as Properties[];
    const common = rules.find((rule) => rule.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common?.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    expect(rules.some((rule) => rule.Statement.RateBasedStatement)).toBe(true);
    const association = one('AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(association.Properties.ResourceArn)).toMatch(/LoadBalancer/);
  });

  it('autoscales at least three API tasks, rolls back failed deployments, replaces the worker', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 3,
      MaxCapacity: 20,
    });
    const services = ofType('AWS::ECS::Service');
    expect(services).toHaveLength(5);
    for (const service of services) {
      expect(service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({
        Enable: true,
        Rollback: true,
      });
      expect(service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    }
    const worker = services.find((service) => service.Properties.ServiceName === 'cleave-worker');
    expect(worker?.Properties.DeploymentConfiguration).toMatchObject({
      MinimumHealthyPercent: 0,
      MaximumPercent: 100,
    });
  });

  it('runs NATS JetStream as three nodes, one per zone, each on its own encrypted EFS access point', () => {
    const nodes = taskDefinitions.filter((task) =>
      (task.Properties.ContainerDefinitions as Properties[])[0]?.Image?.startsWith('nats:'),
    );
    expect(nodes).toHaveLength(3);
    const accessPoints = new Set<string>();
    for (const node of nodes) {
      const volume = (node.Properties.Volumes as Properties[])[0]?.EFSVolumeConfiguration;
      expect(volume.TransitEncryption).toBe('ENABLED');
      expect(volume.AuthorizationConfig.IAM).toBe('ENABLED');
      accessPoints.add(JSON.stringify(volume.AuthorizationConfig.AccessPointId));
      const command = (node.Properties.ContainerDefinitions as Properties[])[0]?.Command as string[];
      expect(command).toContain('--jetstream');
      expect(command[command.indexOf('--routes') + 1]?.split(',')).toHaveLength(3);
    }
    expect(accessPoints.size).toBe(3);
    const natsServices = ofType('AWS::ECS::Service').filter((service) =>
      /nats/.test(service.Properties.ServiceName),
    );
    const subnets = natsServices.map((service) =>
      JSON.stringify(service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets),
    );
    expect(new Set(subnets).size).toBe(3);
  });
});

describe('AWS stack: scheduled backups', () => {
  const backupContainer = ofType('AWS::ECS::TaskDefinition')
    .map((task) => ({
      task,
      container: (task.Properties.ContainerDefinitions as Properties[])[0] as Properties,
    }))
    .find(({ container }) => (container.Command as string[]).includes('backup'));
  const bucket = ofType('AWS::S3::Bucket').find((candidate) => candidate.id.startsWith('BackupsBucket'));

  it('runs cleave backup to the backups bucket from the server image, through the launch command', () => {
    expect(backupContainer).toBeDefined();
    const { task, container } = backupContainer as NonNullable<typeof backupContainer>;
    expect(container.Image).toBe(TEST_SETTINGS.image);
    const command = container.Command as unknown[];
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(command.slice(4, 7)).toEqual(['node', 'packages/server/dist/cli/cleave.js', 'backup']);
    // s3://<the backups bucket>/postgres/: a folder, so each run names its own object.
    expect(command.at(-1)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: bucket?.id }, '/postgres/']] });
    // The dump is staged in /tmp (the root file system is read-only), with room to spare.
    expect(container.MountPoints).toContainEqual({
      ContainerPath: '/tmp',
      ReadOnly: false,
      SourceVolume: 'tmp',
    });
    expect(task.Properties.EphemeralStorage).toEqual({ SizeInGiB: 100 });
    expect(container.ReadonlyRootFilesystem).toBe(true);
  });

  it('is started every hour by an EventBridge rule as a Fargate task in the private subnets', () => {
    const rules = ofType('AWS::Events::Rule');
    const rule = rules.find((candidate) => candidate.Properties.ScheduleExpression !== undefined);
    expect(rule?.Properties.ScheduleExpression).toBe('rate(1 hour)');
    expect(rule?.Properties.State).toBe('ENABLED');
    const target = ((rule?.Properties.Targets ?? []) as Properties[])[0] as Properties;
    expect(target.EcsParameters.LaunchType).toBe('FARGATE');
    expect(target.EcsParameters.TaskDefinitionArn).toEqual({ Ref: backupContainer?.task.id });
    expect(target.EcsParameters.NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp).toBe('DISABLED');
    expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 2 });
  });

  it('lets the task put objects under postgres/ with the bucket key, and nothing else', () => {
    const taskRole = backupContainer?.task.Properties.TaskRoleArn['Fn::GetAtt'][0] as string;
    const statements = ofType('AWS::IAM::Policy')
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(taskRole))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Properties[]);
    expect(statements.map((statement) => [statement.Action].flat().sort())).toEqual([
      ['s3:AbortMultipartUpload', 's3:PutObject'],
      ['kms:Decrypt', 'kms:GenerateDataKey'],
    ]);
    expect(JSON.stringify(statements[0]?.Resource)).toContain('/postgres/*');
    expect(JSON.stringify(statements[0]?.Resource)).toContain(bucket?.id);
    const key = one('AWS::KMS::Key');
    expect(statements[1]?.Resource).toEqual({ 'Fn::GetAtt': [key.id, 'Arn'] });
    // EventBridge may run only this task definition and pass only its two roles.
    const eventsRole = ofType('AWS::IAM::Policy').find((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('ecs:RunTask'),
    );
    const eventsStatements = eventsRole?.Properties.PolicyDocument.Statement as Properties[];
    const runTask = eventsStatements.find((statement) => statement.Action === 'ecs:RunTask');
    expect(runTask?.Resource).toEqual({ Ref: backupContainer?.task.id });
    const passed = eventsStatements
      .filter((statement) => statement.Action === 'iam:PassRole')
      .map((statement) => statement.Resource['Fn::GetAtt'][0] as string)
      .sort();
    const { ExecutionRoleArn, TaskRoleArn } = backupContainer?.task.Properties ?? {};
    expect(passed).toEqual([ExecutionRoleArn['Fn::GetAtt'][0], TaskRoleArn['Fn::GetAtt'][0]].sort());
    expect(runTask?.Condition).toEqual({ ArnEquals: { 'ecs:cluster': expect.anything() } });
  });
});

describe('AWS stack: IAM and monitoring', () => {
  it('grants no wildcard actions in any IAM policy', () => {
    const statements = [
      ...ofType('AWS::IAM::Policy').flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as Properties[],
      ),
      ...ofType('AWS::IAM::Role').flatMap((role) =>
        ((role.Properties.Policies as Properties[] | undefined) ?? []).flatMap(
          (policy) => policy.PolicyDocument.Statement as Properties[],
        ),
      ),
    ];
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements.filter((entry) => entry.Effect === 'Allow')) {
      for (const action of [statement.Action].flat() as string[])
        expect(action, JSON.stringify(statement)).not.toMatch(/\*/);
    }
    // API and worker tasks call no AWS API themselves: their task roles carry no policy at all.
    const policies = ofType('AWS::IAM::Policy').map((policy) => JSON.stringify(policy.Properties.Roles));
    for (const role of ['CleaveApiTaskTaskRole', 'CleaveWorkerTaskTaskRole', 'CleaveMigrateTaskTaskRole']) {
      expect(
        policies.some((roles) => roles.includes(role)),
        role,
      ).toBe(false);
    }
  });

  it('raises alarms on user-facing errors and on every dependency, all sent to the alarm topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    const described = alarms.map((alarm) => alarm.Properties.AlarmDescription as string).join('\n');
    for (const expected of [
      '5xx',
      'p99',
      '/readyz',
      'PostgreSQL CPU',
      'free storage',
      'replica',
      'Redis memory',
      'no task running',
    ]) {
      expect(described).toContain(expected);
    }
    const topic = one('AWS::SNS::Topic');
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions, alarm.id).toEqual([{ Ref: topic.id }]);
    }
    // Every ECS service (API, worker, three NATS nodes) is watched for running no task.
    expect(alarms.filter((alarm) => /no task running/.test(alarm.Properties.AlarmDescription))).toHaveLength(
      5,
    );
    expect(one('AWS::CloudWatch::Dashboard')).toBeDefined();
  });
});
