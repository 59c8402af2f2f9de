import { describe, expect, it } from 'vitest';
import { affectedQueries } from './affected-queries.js';

const change = (resourceType: string, resourceKey = 'k') => ({
  resourceType,
  resourceKey,
  action: `${resourceType}.updated`,
});

describe('the queries a project change makes stale', () => {
  it.each([
    ['flag', [['projects', 'shop', 'flags']]],
    ['experiment', [['projects', 'shop', 'experiments']]],
    [
      'results',
      [
        ['projects', 'shop', 'experiments', 'k', 'results'],
        ['projects', 'shop', 'experiments', 'summaries'],
      ],
    ],
    ['metric', [['projects', 'shop', 'metrics']]],
    ['member', [['projects', 'shop', 'members']]],
    ['project', [['projects']]],
    ['segment', [['projects', 'shop']]],
  ])('%s', (resourceType, expected) => {
    expect(affectedQueries('shop', change(resourceType))).toEqual(expected);
  });
});
