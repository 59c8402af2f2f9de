import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDirectory: '/srv/app/.cleave',
      database: { kind: 'sqlite', file: path.join('/srv/app/.cleave', 'cleave.db') },
      readDatabaseUrl: undefined,
      redisUrl: undefined,
      natsUrl: undefined,
      logLevel: 'info',
      logSdkReads: false,
      trustProxy: false,
      demo: true,
      uiAnalyticsKey: undefined,
      init: { admin: undefined, adminToken: undefined, sdkKey: undefined },
      roles: { api: true, worker: true },
      events: {
        natsStream: 'CLEAVE_EVENTS',
        natsReplicas: 1,
        retentionDays: 90,
        perKeyPerMinute: 1_000_000,
        perClientPerMinute: 20_000,
      },
      signInFailuresPerAddress: 20,
      setupCode: undefined,
      webhooks: { allowPrivateNetworks: false },
      analysis: { concurrency: 2 },
      tracing: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '9000',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://cleave@db:5432/cleave',
        DATABASE_READ_URL: 'postgres://cleave@replica:5432/cleave',
        CLEAVE_DATA_DIR: 'data',
        REDIS_URL: 'redis://cache:6379',
        NATS_URL: 'nats://log-1:4222,nats://log-2:4222',
        LOG_LEVEL: 'debug',
        CLEAVE_INIT_ADMIN_EMAIL: 'ops@example.com',
        CLEAVE_INIT_ADMIN_PASSWORD: 'a long password',
        CLEAVE_INIT_ADMIN_TOKEN: `clv_admin_${'a'.repeat(30)}`,
        CLEAVE_INIT_SDK_KEY: `clv_sdk_${'b'.repeat(30)}`,
        CLEAVE_TRUST_PROXY: 'true',
        CLEAVE_LOG_SDK_READS: 'true',
        CLEAVE_ROLES: 'worker',
        CLEAVE_NATS_STREAM: 'EVENTS_EU',
        CLEAVE_NATS_REPLICAS: '3',
        CLEAVE_EVENTS_RETENTION_DAYS: '30',
        CLEAVE_EVENTS_RATE_LIMIT: '120000',
        CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT: '6000',
        CLEAVE_SIGNIN_FAILURES_PER_ADDRESS: '5',
        CLEAVE_SETUP_CODE: 'operator-chosen-code',
        CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        CLEAVE_ANALYSIS_CONCURRENCY: '4',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s%3Dcret,team=ops',
        OTEL_SERVICE_NAME: 'cleave-eu',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=production',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_SDK_DISABLED: 'false',
      },
      '/srv/app',
    );
    expect(config).toEqual({
      port: 9000,
      host: '127.0.0.1',
      dataDirectory: '/srv/app/data',
      database: { kind: 'postgres', url: 'postgres://cleave@db:5432/cleave' },
      readDatabaseUrl: 'postgres://cleave@replica:5432/cleave',
      redisUrl: 'redis://cache:6379',
      natsUrl: 'nats://log-1:4222,nats://log-2:4222',
      logLevel: 'debug',
      logSdkReads: true,
      trustProxy: true,
      demo: false,
      uiAnalyticsKey: undefined,
      init: {
        admin: { email: 'ops@example.com', password: 'a long password' },
        adminToken: `clv_admin_${'a'.repeat(30)}`,
        sdkKey: `clv_sdk_${'b'.repeat(30)}`,
      },
      roles: { api: false, worker: true },
      events: {
        natsStream: 'EVENTS_EU',
        natsReplicas: 3,
        retentionDays: 30,
        perKeyPerMinute: 120_000,
        perClientPerMinute: 6_000,
      },
      signInFailuresPerAddress: 5,
      setupCode: 'operator-chosen-code',
      webhooks: { allowPrivateNetworks: true },
      analysis: { concurrency: 4 },
      tracing: {
        exporter: 'otlp',
        endpoint: 'http://collector:4318/v1/traces',
        headers: { 'x-api-key': 's=cret', team: 'ops' },
        serviceName: 'cleave-eu',
        resourceAttributes: { 'deployment.environment': 'production' },
        sampler: 'parentbased_traceidratio',
        samplerRatio: 0.25,
      },
    });
  });

  it('turns tracing on only when an OTEL_ variable asks for an exporter', () => {
    const tracing = (env: Record<string, string>) => loadConfig(env, '/x').tracing;
    expect(tracing({ OTEL_SERVICE_NAME: 'cleave' })).toBeUndefined();
    expect(
      tracing({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBeUndefined();
    expect(tracing({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBeUndefined();
    expect(tracing({ OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({
      exporter: 'console',
      serviceName: 'cleave',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'otlp' })?.endpoint).toBe('http://localhost:4318/v1/traces');
    expect(
      tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/custom/traces' })?.endpoint,
    ).toBe('https://otlp.example.com/custom/traces');
    expect(
      tracing({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_RESOURCE_ATTRIBUTES: 'service.name=api-eu' })?.serviceName,
    ).toBe('api-eu');
  });

  it('refuses a read replica without the main PostgreSQL database', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://replica/cleave' }, '/x')).toThrow(
      /DATABASE_READ_URL needs DATABASE_URL/,
    );
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }, '/x').port).toBe(8080);
    expect(loadConfig({ DATABASE_URL: '' }, '/x').database.kind).toBe('sqlite');
  });

  it.each([
    ['PORT', 'abc', /^Invalid configuration: PORT must be an integer between 0 and 65535 \(got "abc"\)$/],
    ['PORT', '70000', /PORT must be an integer/],
    ['PORT', '-1', /PORT must be an integer/],
    [
      'NATS_URL',
      'nats://a:4222,http://b',
      /NATS_URL must be a URL starting with nats:\/\/ or tls:\/\/ \(several, for a cluster, separated by commas\)/,
    ],
    ['CLEAVE_NATS_REPLICAS', '7', /CLEAVE_NATS_REPLICAS must be an integer from 1 to 5/],
    [
      'DATABASE_URL',
      'mysql://x',
      /DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\//,
    ],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
    ['NATS_URL', 'http://x', /NATS_URL must be a URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of fatal, error/],
    ['CLEAVE_INIT_ADMIN_TOKEN', 'secret', /CLEAVE_INIT_ADMIN_TOKEN must look like clv_admin_/],
    [
      'CLEAVE_INIT_SDK_KEY',
      'clv_admin_xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      /CLEAVE_INIT_SDK_KEY must look like clv_sdk_/,
    ],
    ['CLEAVE_TRUST_PROXY', 'yes', /CLEAVE_TRUST_PROXY must be true or false/],
    ['CLEAVE_LOG_SDK_READS', '1', /CLEAVE_LOG_SDK_READS must be true or false/],
    ['CLEAVE_ROLES', 'api,web', /CLEAVE_ROLES must be api, worker or api,worker/],
    ['CLEAVE_NATS_STREAM', 'events', /CLEAVE_NATS_STREAM must be 1-64 upper-case/],
    ['OTEL_TRACES_EXPORTER', 'jaeger', /OTEL_TRACES_EXPORTER must be one of otlp, console, none/],
    [
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'collector:4318',
      /OTEL_EXPORTER_OTLP_ENDPOINT must be a URL starting with http:\/\/ or https:\/\//,
    ],
    [
      'OTEL_EXPORTER_OTLP_HEADERS',
      'no-equals-sign',
      /OTEL_EXPORTER_OTLP_HEADERS must be a list of key=value pairs/,
    ],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5', /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/],
    ['OTEL_TRACES_SAMPLER', 'sometimes', /OTEL_TRACES_SAMPLER must be one of always_on/],
    ['CLEAVE_EVENTS_RETENTION_DAYS', '0', /CLEAVE_EVENTS_RETENTION_DAYS must be an integer from 1 to 3650/],
    ['CLEAVE_EVENTS_RATE_LIMIT', 'lots', /CLEAVE_EVENTS_RATE_LIMIT must be an integer/],
    // A budget below one full batch would refuse that batch forever; the old batch count (600) too.
    ['CLEAVE_EVENTS_RATE_LIMIT', '600', /CLEAVE_EVENTS_RATE_LIMIT must be an integer from 1000 to/],
    [
      'CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT',
      '999',
      /CLEAVE_EVENTS_RATE_LIMIT_PER_CLIENT must be an integer from 1000/,
    ],
    [
      'CLEAVE_SIGNIN_FAILURES_PER_ADDRESS',
      '0',
      /CLEAVE_SIGNIN_FAILURES_PER_ADDRESS must be an integer from 1/,
    ],
    ['CLEAVE_SETUP_CODE', 'short', /CLEAVE_SETUP_CODE must be at least 12 characters/],
    [
      'CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS',
      'yes',
      /CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false/,
    ],
  ])('rejects %s=%s with one line naming the variable', (variable, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('names the missing half of the bootstrap owner credentials', () => {
    expect(() => loadConfig({ CLEAVE_INIT_ADMIN_EMAIL: 'ops@example.com' })).toThrow(
      'Invalid configuration: CLEAVE_INIT_ADMIN_PASSWORD is required with the other CLEAVE_INIT_ADMIN_ variable',
    );
  });
});

describe('documentation of the configuration', () => {
  it('describes every variable the schema reads, and the README lists each one', async () => {
    const { readFile } = await import('node:fs/promises');
    const { ENVIRONMENT_VARIABLES, environmentSchema } = await import('./config.js');
    expect(Object.keys(ENVIRONMENT_VARIABLES).sort()).toEqual(Object.keys(environmentSchema.shape).sort());
    const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
    for (const variable of Object.keys(ENVIRONMENT_VARIABLES))
      expect(readme).toContain(`| \`${variable}\` |`);
  });
});
