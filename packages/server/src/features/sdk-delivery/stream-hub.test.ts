import { afterEach, describe, expect, it, vi } from 'vitest';
import { inProcessChangeNotifier } from '../../adapters/memory/change-notifier.js';
import type { AccessHolder } from '../../domain/access-revocation.js';
import { StreamHub } from './stream-hub.js';

const KEY_STREAM: AccessHolder = { projectId: 'p1', environmentId: 'e1', keyId: 'k1' };
const OTHER_KEY: AccessHolder = { projectId: 'p1', environmentId: 'e2', keyId: 'k2' };
const PERSON: AccessHolder = { projectId: 'p1', environmentId: 'e1', userId: 'u1' };
const ELSEWHERE: AccessHolder = { projectId: 'p2', environmentId: 'e3', keyId: 'k3' };

function openAll(hub: StreamHub) {
  const closed = new Set<string>();
  for (const [name, holder] of Object.entries({ KEY_STREAM, OTHER_KEY, PERSON, ELSEWHERE })) {
    const unsubscribe = hub.subscribe(
      holder,
      () => {},
      () => {
        closed.add(name);
        unsubscribe();
      },
    );
  }
  return closed;
}

describe('StreamHub revocations', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    [{ kind: 'api_key', keyId: 'k1' }, ['KEY_STREAM']],
    [{ kind: 'member', projectId: 'p1', userId: 'u1' }, ['PERSON']],
    [{ kind: 'member', projectId: 'p2', userId: 'u1' }, []],
    [{ kind: 'user', userId: 'u1' }, ['PERSON']],
    [{ kind: 'user', userId: 'u2' }, []],
    [{ kind: 'environment', environmentId: 'e1' }, ['KEY_STREAM', 'PERSON']],
    [{ kind: 'project', projectId: 'p1' }, ['KEY_STREAM', 'OTHER_KEY', 'PERSON']],
  ] as const)('closes exactly the streams %j covers', (revocation, expected) => {
    const notifier = inProcessChangeNotifier();
    const hub = new StreamHub(notifier);
    const closed = openAll(hub);
    notifier.accessRevoked([revocation]);
    expect([...closed].sort()).toEqual([...expected].sort());
    expect(hub.openStreams).toBe(4 - expected.length);
    hub.closeAll();
  });

  it('asks once per distinct holder when re-checking, and keeps streams open when the check fails', async () => {
    vi.useFakeTimers();
    const notifier = inProcessChangeNotifier();
    const asked: AccessHolder[] = [];
    let failing = true;
    const errors: unknown[] = [];
    const hub = new StreamHub(notifier, {
      recheckMs: 20,
      stillHolds: async (holder) => {
        asked.push(holder);
        if (failing) throw new Error('database unreachable');
        return holder.keyId !== 'k1';
      },
      onRecheckError: (error) => errors.push(error),
    });
    let closedCount = 0;
    for (let index = 0; index < 3; index++) {
      const unsubscribe = hub.subscribe(
        KEY_STREAM,
        () => {},
        () => {
          closedCount += 1;
          unsubscribe();
        },
      );
    }
    await vi.advanceTimersByTimeAsync(20);
    expect(asked).toEqual([KEY_STREAM]);
    expect(errors).toHaveLength(1);
    expect(hub.openStreams).toBe(3);

    failing = false;
    await vi.advanceTimersByTimeAsync(20);
    expect(asked).toHaveLength(2);
    expect(closedCount).toBe(3);
    expect(hub.openStreams).toBe(0);
    hub.closeAll();
  });
});
