/**
 * @module infra/aws/lib/settings
 * What a deployment of Cleave on AWS is told from outside: the image to run, the TLS certificate and
 * the region backups are copied to. Everything else follows from these.
 */

export interface CleaveSettings {
  /** Container image of the Cleave server, pinned to a release, e.g. `ghcr.io/cleave/cleave:0.1.0`. */
  image: string;
  /** ARN of the ACM certificate the load balancer presents (in the stack's region). */
  certificateArn: string;
  /** Region the backups bucket is replicated to; must differ from the stack's region. */
  backupReplicaRegion: string;
  /** Email address alarms are sent to; none when unset (subscribe to the SNS topic instead). */
  alarmEmail?: string;
}

/** The context keys `cdk.json` or `cdk synth -c key=value` provide, with what they mean. */
export const CONTEXT_KEYS = {
  image: 'cleave:image',
  certificateArn: 'cleave:certificateArn',
  backupReplicaRegion: 'cleave:backupReplicaRegion',
  alarmEmail: 'cleave:alarmEmail',
} as const;

/** The port every Cleave process listens on inside its container. */
export const CLEAVE_PORT = 8080;
/** The uid the image runs as (Dockerfile `USER`). */
export const CLEAVE_UID = '1000';
