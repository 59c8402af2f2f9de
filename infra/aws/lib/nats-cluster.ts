/**
 * @module infra/aws/lib/nats-cluster
 * NATS JetStream as a three-node cluster on ECS Fargate: one service per node (so each keeps a
 * stable name and its own storage), one node per availability zone, each node's JetStream store on
 * its own access point of an encrypted EFS file system, found by the others and by Cleave through
 * Cloud Map DNS (`nats-1.cleave.internal`). There is no managed NATS on AWS; this is the
 * self-managed form docs/deployment.md describes, with its trade-offs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';

export const NATS_IMAGE = 'nats:2.10.18-alpine';
export const NATS_CLIENT_PORT = 4222;
export const NATS_CLUSTER_PORT = 6222;
const NATS_MONITOR_PORT = 8222;
const STORE = '/data';

export interface NatsClusterProps {
  cluster: ecs.ICluster;
  vpc: ec2.IVpc;
  namespace: servicediscovery.IPrivateDnsNamespace;
  key: kms.IKey;
  logGroup: logs.ILogGroup;
  nodes?: number;
}

export class NatsCluster extends Construct {
  readonly connections: ec2.Connections;
  readonly services: ecs.FargateService[] = [];
  readonly fileSystem: efs.FileSystem;
  /** Every node's client URL, comma-separated: Cleave starts and stays connected with any one down. */
  readonly clientUrl: string;

  constructor(scope: Construct, id: string, props: NatsClusterProps) {
    super(scope, id);
    const nodes = props.nodes ?? 3;
    const names = Array.from({ length: nodes }, (_, index) => `nats-${index + 1}`);
    const domain = props.namespace.namespaceName;
    const routes = names.map((name) => `nats://${name}.${domain}:${NATS_CLUSTER_PORT}`).join(',');
    this.clientUrl = names.map((name) => `nats://${name}.${domain}:${NATS_CLIENT_PORT}`).join(',');

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'NATS: clients on 4222 from Cleave, routes on 6222 between nodes',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [securityGroup],
      defaultPort: ec2.Port.tcp(NATS_CLIENT_PORT),
    });
    securityGroup.addIngressRule(securityGroup, ec2.Port.tcp(NATS_CLUSTER_PORT), 'cluster routes');
    securityGroup.addEgressRule(securityGroup, ec2.Port.tcp(NATS_CLUSTER_PORT), 'cluster routes');
    // Image pulls, logs and EFS IAM authorisation go to AWS endpoints over HTTPS.
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs and image registry');

    const storeSecurityGroup = new ec2.SecurityGroup(this, 'StoreSecurityGroup', {
      vpc: props.vpc,
      description: 'NATS stores (EFS): NFS from the NATS nodes only',
      allowAllOutbound: false,
    });
    this.fileSystem = new efs.FileSystem(this, 'Store', {
      vpc: props.vpc,
      securityGroup: storeSecurityGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      encrypted: true,
      kmsKey: props.key,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      throughputMode: efs.ThroughputMode.ELASTIC,
      enableAutomaticBackups: true,
      removalPolicy: RemovalPolicy.RETAIN,
      allowAnonymousAccess: false,
    });
    this.fileSystem.connections.allowDefaultPortFrom(securityGroup, 'NATS nodes mount their stores');
    securityGroup.addEgressRule(storeSecurityGroup, ec2.Port.tcp(2049), 'EFS');

    const zones = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets;
    names.forEach((name, index) => {
      const accessPoint = this.fileSystem.addAccessPoint(`${name}AccessPoint`, {
        path: `/${name}`,
        createAcl: { ownerUid: '1000', ownerGid: '1000', permissions: '750' },
        posixUser: { uid: '1000', gid: '1000' },
      });
      const task = new ecs.FargateTaskDefinition(this, `${name}Task`, {
        cpu: 1024,
        memoryLimitMiB: 2048,
        runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
        volumes: [
          {
            name: 'store',
            efsVolumeConfiguration: {
              fileSystemId: this.fileSystem.fileSystemId,
              transitEncryption: 'ENABLED',
              authorizationConfig: { accessPointId: accessPoint.accessPointId, iam: 'ENABLED' },
            },
          },
        ],
      });
      this.fileSystem.grant(task.taskRole, 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite');
      const container = task.addContainer('nats', {
        image: ecs.ContainerImage.fromRegistry(NATS_IMAGE),
        user: '1000:1000',
        readonlyRootFilesystem: true,
        command: [
          '--server_name',
          name,
          '--port',
          String(NATS_CLIENT_PORT),
          '--http_port',
          String(NATS_MONITOR_PORT),
          '--jetstream',
          '--store_dir',
          STORE,
          '--cluster_name',
          'cleave',
          '--cluster',
          `nats://0.0.0.0:${NATS_CLUSTER_PORT}`,
          '--routes',
          routes,
        ],
        portMappings: [{ containerPort: NATS_CLIENT_PORT }, { containerPort: NATS_CLUSTER_PORT }],
        healthCheck: {
          command: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${NATS_MONITOR_PORT}/healthz`],
          interval: Duration.seconds(10),
          timeout: Duration.seconds(5),
          retries: 3,
          startPeriod: Duration.seconds(30),
        },
        logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: name }),
        stopTimeout: Duration.seconds(60),
      });
      container.addMountPoints({ sourceVolume: 'store', containerPath: STORE, readOnly: false });
      const subnet = zones[index % zones.length] as ec2.ISubnet;
      this.services.push(
        new ecs.FargateService(this, `${name}Service`, {
          cluster: props.cluster,
          serviceName: `cleave-${name}`,
          taskDefinition: task,
          desiredCount: 1,
          // Never two tasks on one node's store: stop the old one before starting the new one.
          minHealthyPercent: 0,
          maxHealthyPercent: 100,
          vpcSubnets: { subnets: [subnet] },
          securityGroups: [securityGroup],
          assignPublicIp: false,
          enableExecuteCommand: false,
          circuitBreaker: { rollback: true },
          cloudMapOptions: { name, cloudMapNamespace: props.namespace, dnsTtl: Duration.seconds(10) },
        }),
      );
    });
  }
}
