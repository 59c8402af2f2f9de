/**
 * @module infra/aws/lib/cloudformation-rules.test
 * Synthesizes the app with the CDK's built-in CloudFormation validation turned from warnings into
 * errors (the `@aws-cdk/core:validateAgainstDefaultRules` flag, as in cdk.json): every resource must
 * satisfy CloudFormation's resource specifications and rules, offline. It is the slow synthesis
 * (several seconds), so it has a file of its own; cleave-stack.test.ts skips it.
 */
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from './app.js';

const SETTINGS = {
  image: 'ghcr.io/cleave/cleave:0.1.0',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  backupReplicaRegion: 'eu-central-1',
};

describe('CloudFormation rules', () => {
  it('find nothing wrong with either stack', { timeout: 120_000 }, () => {
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    buildApp(SETTINGS, { account: '123456789012', region: 'eu-west-1' }, app);
    const assembly = app.synth();
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual(['Cleave', 'CleaveBackupReplica']);
  });
});
