import { describe, expect, it } from 'vitest';
import { accessActions, checkAccessChange } from './account-access.js';
import type { User } from './user.js';

const person = (id: string, changes: Partial<User> = {}): User => ({
  id,
  email: `${id}@example.com`,
  name: id,
  isInstanceAdmin: false,
  disabled: false,
  createdAt: '2026-11-30T09:00:00.000Z',
  updatedAt: '2026-11-30T09:00:00.000Z',
  lastLoginAt: null,
  version: 1,
  ...changes,
});

describe('checkAccessChange', () => {
  it('refuses disabling or demoting oneself, and allows giving oneself nothing new to lose', () => {
    const me = person('me', { isInstanceAdmin: true });
    for (const change of [{ disabled: true }, { isInstanceAdmin: false }]) {
      expect(() =>
        checkAccessChange({ actorId: 'me', target: me, change, enabledAdmins: ['me', 'other'] }),
      ).toThrow(expect.objectContaining({ code: 'own_access', statusCode: 409 }));
    }
    expect(() =>
      checkAccessChange({ actorId: 'me', target: me, change: { disabled: false }, enabledAdmins: ['me'] }),
    ).not.toThrow();
  });

  it('refuses taking away the last enabled administrator, whichever way', () => {
    const last = person('last', { isInstanceAdmin: true });
    for (const change of [
      { disabled: true },
      { isInstanceAdmin: false },
      { disabled: true, isInstanceAdmin: true },
    ]) {
      expect(() =>
        checkAccessChange({ actorId: 'stale', target: last, change, enabledAdmins: ['last'] }),
      ).toThrow(expect.objectContaining({ code: 'last_instance_admin', statusCode: 409 }));
    }
  });

  it('allows taking away an administrator while another stays, and anything from a non-administrator', () => {
    const admin = person('admin', { isInstanceAdmin: true });
    expect(() =>
      checkAccessChange({
        actorId: 'me',
        target: admin,
        change: { disabled: true },
        enabledAdmins: ['admin', 'me'],
      }),
    ).not.toThrow();
    expect(() =>
      checkAccessChange({
        actorId: 'me',
        target: person('member'),
        change: { disabled: true },
        enabledAdmins: ['me'],
      }),
    ).not.toThrow();
  });
});

describe('accessActions', () => {
  const state = (disabled: boolean, isInstanceAdmin: boolean) => ({ disabled, isInstanceAdmin });

  it('names each field that changed, disabling first, and nothing for no change', () => {
    expect(accessActions(state(false, false), state(true, true))).toEqual([
      'user.disabled',
      'user.instance_admin_granted',
    ]);
    expect(accessActions(state(true, true), state(false, false))).toEqual([
      'user.enabled',
      'user.instance_admin_revoked',
    ]);
    expect(accessActions(state(true, false), state(true, false))).toEqual([]);
  });
});
