#!/usr/bin/env node
/**
 * @module infra/aws/bin/cleave
 * `cdk synth` / `cdk deploy` entry point: reads the deployment's settings from CDK context
 * (cdk.json or `-c cleave:image=...`) and the account and region from the CLI's environment.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app.js';
import { CONTEXT_KEYS } from '../lib/settings.js';

const app = new App();
const required = (key: string): string => {
  const value: unknown = app.node.tryGetContext(key);
  if (typeof value !== 'string' || value === '')
    throw new Error(`Set the CDK context value ${key} (cdk.json or -c).`);
  return value;
};
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
if (!account || !region)
  throw new Error('Run through the CDK CLI with AWS credentials: account and region are needed.');
const alarmEmail: unknown = app.node.tryGetContext(CONTEXT_KEYS.alarmEmail);

buildApp(
  {
    image: required(CONTEXT_KEYS.image),
    certificateArn: required(CONTEXT_KEYS.certificateArn),
    backupReplicaRegion: required(CONTEXT_KEYS.backupReplicaRegion),
    ...(typeof alarmEmail === 'string' && alarmEmail !== '' && { alarmEmail }),
  },
  { account, region },
  app,
);
app.synth();
