import {
  AnalyzeRequestSchema,
  adjustPValues,
  analyze,
  SampleSizeRequestSchema,
  sampleRatioMismatch,
  sampleSize,
} from '@cleave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

describe('statistics calculators', () => {
  let test: TestApp;
  let owner: Credentials;
  let serverKey: Credentials;
  let sdkKey: Credentials;

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    await test.createProject(owner);
    serverKey = await test.environmentKey(owner, { kind: 'server' });
    sdkKey = await test.environmentKey(owner, { kind: 'sdk' });
  });
  afterAll(async () => {
    await test?.close();
  });

  const post = (path: string, payload: Record<string, unknown>, as: Credentials = owner) =>
    test.request({ method: 'POST', url: `/api/v1/stats/${path}`, payload }, as);

  it('analyzes sufficient statistics exactly as the engine does, defaults applied', async () => {
    const body = {
      metric: 'proportion',
      variants: [
        { n: 1000, sum: 100 },
        { n: 1000, sum: 130 },
      ],
    };
    const response = await post('analyze', body, serverKey);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(analyze(AnalyzeRequestSchema.parse(body)));
    const bayesian = await post('analyze', { ...body, method: 'bayesian', effect: 'absolute' });
    expect(bayesian.json().comparisons[0]).toMatchObject({ pValue: null, chanceToWin: expect.any(Number) });
  });

  it('refuses input the engine cannot compute with a 400 naming the field, never a NaN', async () => {
    const tooFew = await post('analyze', {
      metric: 'mean',
      variants: [
        { n: 1, sum: 3, sumSquares: 9 },
        { n: 5, sum: 3, sumSquares: 9 },
      ],
    });
    expect(tooFew.statusCode).toBe(400);
    expect(tooFew.json().error.details.issues).toEqual([
      expect.objectContaining({ path: '/body/variants/0/n' }),
    ]);
    const zeroControl = await post('analyze', {
      metric: 'proportion',
      variants: [
        { n: 100, sum: 0 },
        { n: 100, sum: 5 },
      ],
    });
    expect(zeroControl.statusCode).toBe(400);
    expect(zeroControl.json().error).toMatchObject({
      code: 'validation_failed',
      details: { issues: [expect.objectContaining({ path: '/body/variants/0/sum' })] },
    });
    const misspelt = await post('analyze', { metric: 'mean', cupd: true, variants: [] });
    expect(misspelt.statusCode).toBe(400);
  });

  it('checks sample ratio mismatch against the weights', async () => {
    const response = await post('srm', { counts: [5000, 5300], weights: [0.5, 0.5] });
    expect(response.statusCode).toBe(200);
    const expected = sampleRatioMismatch({ counts: [5000, 5300], weights: [0.5, 0.5] });
    expect(response.json()).toEqual({ ...expected, flagged: false });
    const flagged = await post('srm', { counts: [5000, 5600], weights: [0.5, 0.5] });
    expect(flagged.json().flagged).toBe(true);
    const noUnits = await post('srm', { counts: [0, 0], weights: [0.5, 0.5] });
    expect(noUnits.statusCode).toBe(400);
  });

  it('adjusts p-values and plans sample sizes', async () => {
    const adjusted = await post('adjust', { pValues: [0.01, 0.04, 0.03], method: 'holm' });
    expect(adjusted.json()).toEqual({ adjustedPValues: adjustPValues([0.01, 0.04, 0.03], 'holm') });
    const plan = { metric: 'proportion', baseline: 0.1, mde: 0.05 };
    const size = await post('sample-size', plan);
    expect(size.statusCode).toBe(200);
    expect(size.json()).toEqual(sampleSize(SampleSizeRequestSchema.parse(plan)));
    const impossible = await post('sample-size', { metric: 'proportion', baseline: 0.9, mde: 0.5 });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.details.issues[0].path).toBe('/body/mde');
    // From the route fuzz: a sample size past 2^53 answered 500 (its response schema refused it).
    const undetectable = await post('sample-size', {
      metric: 'proportion',
      baseline: 4e-323,
      mde: 2.7952014673706757e280,
    });
    expect(undetectable.statusCode).toBe(400);
    expect(undetectable.json().error.details.issues[0].path).toBe('/body/mde');
  });

  it('is not for sdk keys, which are public', async () => {
    const response = await post('adjust', { pValues: [0.5], method: 'bh' }, sdkKey);
    expect(response.statusCode).toBe(403);
  });
});
