/**
 * @module infra/aws/lib/backups
 * The backups bucket (database exports, JetStream stream backups) and its copy in a second region.
 * RDS keeps its own automated backups and point-in-time recovery; this bucket holds what operators
 * export on top of that, so losing a whole region still leaves a copy.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Objects move to colder storage as they age and expire after a year; old versions after 30 days. */
const lifecycleRules: s3.LifecycleRule[] = [
  {
    id: 'age-out',
    transitions: [
      { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
      { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
    ],
    expiration: Duration.days(365),
    noncurrentVersionExpiration: Duration.days(30),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  },
];

function secureBucketProps(key: kms.IKey): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules,
  };
}

/** The destination of the cross-region copy; deployed to the replica region before the main stack. */
export class BackupReplicaStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.key = new kms.Key(this, 'Key', {
      description: 'Cleave backup copies',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', secureBucketProps(this.key));
  }
}

export class BackupBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(
    scope: Construct,
    id: string,
    props: { key: kms.IKey; replica: { bucket: s3.IBucket; key: kms.IKey } },
  ) {
    super(scope, id);
    // Our own replication role: the one CDK would make grants wildcard KMS actions on every key.
    const replicationRole = new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: 'S3 replication of Cleave backups to the replica region',
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps(props.key),
      replicationRole,
      replicationRules: [
        {
          destination: props.replica.bucket,
          kmsKey: props.replica.key,
          sseKmsEncryptedObjects: true,
          deleteMarkerReplication: false,
          priority: 0,
        },
      ],
    });
    const statement = (actions: string[], resources: string[]) =>
      new iam.PolicyStatement({ actions, resources });
    for (const granted of [
      statement(['s3:GetReplicationConfiguration', 's3:ListBucket'], [this.bucket.bucketArn]),
      statement(
        ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        [this.bucket.arnForObjects('*')],
      ),
      statement(
        ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
        [props.replica.bucket.arnForObjects('*')],
      ),
      statement(['kms:Decrypt'], [props.key.keyArn]),
      statement(['kms:Encrypt', 'kms:GenerateDataKey'], [props.replica.key.keyArn]),
    ]) {
      replicationRole.addToPolicy(granted);
    }
  }
}
