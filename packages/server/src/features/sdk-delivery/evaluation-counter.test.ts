import type { EvaluationResult } from '@cleave/core';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EvaluationCounter } from './evaluation-counter.js';

function result(flagKey: string, reason: EvaluationResult['reason'], errorCode?: string): EvaluationResult {
  return { flagKey, reason, value: true, ...(errorCode && { errorCode }) } as EvaluationResult;
}

async function series(registry: Registry) {
  const metric = await registry.getSingleMetric('evaluations_total')?.get();
  return (metric?.values ?? []).map((value) => ({ ...value.labels, count: value.value }));
}

describe('EvaluationCounter', () => {
  function counter(maxSeries: number) {
    const registry = new Registry();
    const metric = new Counter({
      name: 'evaluations_total',
      help: 'test',
      labelNames: ['project', 'flag', 'reason'] as const,
      registers: [registry],
    });
    return { registry, evaluations: new EvaluationCounter(metric, maxSeries) };
  }

  it('counts by project, flag and reason', async () => {
    const { registry, evaluations } = counter(10);
    evaluations.count('shop', [result('a', 'STATIC'), result('a', 'STATIC'), result('a', 'SPLIT')]);
    evaluations.count('blog', [result('a', 'STATIC')]);
    expect(await series(registry)).toEqual(
      expect.arrayContaining([
        { project: 'shop', flag: 'a', reason: 'STATIC', count: 2 },
        { project: 'shop', flag: 'a', reason: 'SPLIT', count: 1 },
        { project: 'blog', flag: 'a', reason: 'STATIC', count: 1 },
      ]),
    );
    expect(await series(registry)).toHaveLength(3);
  });

  it('never names a key that is not a flag, and folds pairs past the bound into _other', async () => {
    const { registry, evaluations } = counter(2);
    const made = Array.from({ length: 50 }, (_, index) =>
      result(`missing-${index}`, 'ERROR', 'FLAG_NOT_FOUND'),
    );
    evaluations.count('shop', made);
    evaluations.count('shop', [result('a', 'STATIC'), result('b', 'STATIC'), result('c', 'DEFAULT')]);
    evaluations.count('shop', [result('a', 'STATIC'), result('d', 'DEFAULT')]);
    expect(await series(registry)).toEqual(
      expect.arrayContaining([
        { project: 'shop', flag: '_unknown', reason: 'ERROR', count: 50 },
        { project: 'shop', flag: 'a', reason: 'STATIC', count: 2 },
        { project: '_other', flag: '_other', reason: 'STATIC', count: 1 },
        { project: '_other', flag: '_other', reason: 'DEFAULT', count: 2 },
      ]),
    );
    expect(await series(registry)).toHaveLength(4);
  });

  it('adds what was counted between two reads once, and keeps a collect the counter had', async () => {
    const registry = new Registry();
    let collected = 0;
    const metric = new Counter({
      name: 'evaluations_total',
      help: 'test',
      labelNames: ['project', 'flag', 'reason'] as const,
      registers: [registry],
      collect() {
        collected++;
      },
    });
    const evaluations = new EvaluationCounter(metric, 10);
    evaluations.countOne('shop', result('a', 'STATIC'));
    expect(await series(registry)).toEqual([{ project: 'shop', flag: 'a', reason: 'STATIC', count: 1 }]);
    expect(await series(registry)).toEqual([{ project: 'shop', flag: 'a', reason: 'STATIC', count: 1 }]);
    evaluations.countOne('shop', result('a', 'STATIC'));
    evaluations.count('shop', [result('a', 'STATIC'), result('a', 'SPLIT')]);
    expect(await series(registry)).toEqual([
      { project: 'shop', flag: 'a', reason: 'STATIC', count: 3 },
      { project: 'shop', flag: 'a', reason: 'SPLIT', count: 1 },
    ]);
    expect(collected).toBe(3);
  });
});
