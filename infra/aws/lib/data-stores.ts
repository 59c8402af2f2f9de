/**
 * @module infra/aws/lib/data-stores
 * PostgreSQL (RDS, Multi-AZ, with a read replica for analysis queries) and Redis (ElastiCache
 * replication group), both in isolated subnets, encrypted at rest with the stack's key and in
 * transit, reachable only from the security groups they are opened to.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { URL_SAFE_EXCLUDED } from './launch-command.js';

export const DATABASE_NAME = 'cleave';
const REDIS_PORT = 6379;

export class DataStores extends Construct {
  readonly database: rds.DatabaseInstance;
  readonly readReplica: rds.DatabaseInstanceReadReplica;
  /** Generated credentials: JSON with username, password, host, port, dbname. */
  readonly databaseSecret: secretsmanager.ISecret;
  readonly redis: elasticache.CfnReplicationGroup;
  readonly redisAuthToken: secretsmanager.Secret;
  readonly redisConnections: ec2.Connections;

  constructor(scope: Construct, id: string, props: { vpc: ec2.IVpc; key: kms.IKey }) {
    super(scope, id);
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    const parameters = new rds.ParameterGroup(this, 'Parameters', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_13 }),
      // Clients must use TLS; Cleave's PostgreSQL URL connects with the server's certificate.
      parameters: { 'rds.force_ssl': '1', log_min_duration_statement: '1000' },
    });
    const databaseSecurityGroup = new ec2.SecurityGroup(this, 'PostgresSecurityGroup', {
      vpc: props.vpc,
      description: 'Cleave PostgreSQL: 5432 from the Cleave services only',
      allowAllOutbound: false,
    });
    this.database = new rds.DatabaseInstance(this, 'Postgres', {
      securityGroups: [databaseSecurityGroup],
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_13 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      vpc: props.vpc,
      vpcSubnets: subnets,
      multiAz: true,
      publiclyAccessible: false,
      databaseName: DATABASE_NAME,
      credentials: rds.Credentials.fromGeneratedSecret('cleave', {
        encryptionKey: props.key,
        excludeCharacters: URL_SAFE_EXCLUDED,
      }),
      parameterGroup: parameters,
      storageEncrypted: true,
      storageEncryptionKey: props.key,
      storageType: rds.StorageType.GP3,
      allocatedStorage: 100,
      maxAllocatedStorage: 1000,
      // Automated backups give point-in-time recovery to any second within the retention window.
      backupRetention: Duration.days(14),
      preferredBackupWindow: '02:00-03:00',
      copyTagsToSnapshot: true,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.key,
      monitoringInterval: Duration.seconds(60),
      cloudwatchLogsExports: ['postgresql'],
      iamAuthentication: false,
    });
    this.databaseSecret = this.database.secret as secretsmanager.ISecret;
    this.readReplica = new rds.DatabaseInstanceReadReplica(this, 'PostgresReplica', {
      sourceDatabaseInstance: this.database,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      vpc: props.vpc,
      vpcSubnets: subnets,
      publiclyAccessible: false,
      // Encryption is inherited from the (encrypted) source instance; CloudFormation refuses it here.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.key,
      securityGroups: this.database.connections.securityGroups,
    });

    this.redisAuthToken = new secretsmanager.Secret(this, 'RedisAuthToken', {
      description: 'AUTH token of the Cleave Redis replication group',
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 64, excludeCharacters: URL_SAFE_EXCLUDED },
    });
    const redisSecurityGroup = new ec2.SecurityGroup(this, 'RedisSecurityGroup', {
      vpc: props.vpc,
      description: 'Cleave Redis: 6379 from the Cleave services only',
      allowAllOutbound: false,
    });
    this.redisConnections = new ec2.Connections({
      securityGroups: [redisSecurityGroup],
      defaultPort: ec2.Port.tcp(REDIS_PORT),
    });
    const redisSubnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'Cleave Redis: isolated subnets',
      subnetIds: props.vpc.selectSubnets(subnets).subnetIds,
    });
    this.redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Cleave cache and config-change fan-out',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: 'cache.r7g.large',
      // A primary and two replicas, one per zone; a failed primary is replaced automatically.
      numCacheClusters: 3,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: REDIS_PORT,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSecurityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      kmsKeyId: props.key.keyId,
      transitEncryptionEnabled: true,
      authToken: this.redisAuthToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: 7,
      snapshotWindow: '03:00-04:00',
      autoMinorVersionUpgrade: true,
    });
  }

  /** Lets `peer` reach PostgreSQL (primary and replica) and Redis on their ports, nothing else. */
  allowFrom(peer: ec2.IConnectable): void {
    this.database.connections.allowDefaultPortFrom(peer);
    this.redisConnections.allowDefaultPortFrom(peer);
  }
}
