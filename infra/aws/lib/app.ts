/**
 * @module infra/aws/lib/app
 * Builds the CDK app: the backup replica stack in its region, then Cleave's stack, from settings
 * that `bin/cleave.ts` reads from CDK context. Tests build the same app with their own settings.
 */
import { App, type Environment } from 'aws-cdk-lib';
import { BackupReplicaStack } from './backups.js';
import { CleaveStack } from './cleave-stack.js';
import type { CleaveSettings } from './settings.js';

export interface CleaveApp {
  app: App;
  main: CleaveStack;
  replica: BackupReplicaStack;
}

export function buildApp(
  settings: CleaveSettings,
  environment: Required<Environment>,
  app = new App(),
): CleaveApp {
  if (settings.backupReplicaRegion === environment.region)
    throw new Error('cleave:backupReplicaRegion must differ from the deployment region');
  const replica = new BackupReplicaStack(app, 'CleaveBackupReplica', {
    env: { account: environment.account, region: settings.backupReplicaRegion },
    description: 'Cleave: cross-region copy of the backups bucket',
  });
  const main = new CleaveStack(app, 'Cleave', {
    env: environment,
    description: 'Cleave experimentation platform: production deployment',
    settings,
    availabilityZones: ['a', 'b', 'c'].map((zone) => `${environment.region}${zone}`),
    backupReplica: { bucket: replica.bucket, key: replica.key },
  });
  main.addStackDependency(replica);
  return { app, main, replica };
}
