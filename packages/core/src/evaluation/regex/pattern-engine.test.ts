import { beforeEach, describe, expect, it, vi } from 'vitest';

/** Fresh module instances: the test setup installed the engine in the shared ones. */
async function freshModules() {
  vi.resetModules();
  const engine = await import('./pattern-engine.js');
  const { compileOrExplain } = await import('./compile-or-explain.js');
  const { compileConfig } = await import('../compile-config.js');
  const { evaluate } = await import('../evaluate.js');
  return { ...engine, compileOrExplain, compileConfig, evaluate };
}

const payload = {
  schemaVersion: 1,
  hashVersion: 1,
  environment: 'production',
  version: 1,
  flags: [
    {
      key: 'staff-banner',
      type: 'boolean',
      variants: [
        { key: 'on', value: true },
        { key: 'off', value: false },
      ],
      defaultVariant: 'off',
      offVariant: 'off',
      enabled: true,
      rules: [
        {
          id: 'staff',
          type: 'force',
          variant: 'on',
          conditions: [{ attribute: 'email', operator: 'matches', value: '@example\\.com$' }],
        },
      ],
    },
  ],
  segments: [],
  experiments: [],
  layers: [],
  holdouts: [],
};

describe('the installed regex engine (pattern-engine.ts)', () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it('refuses every pattern as unchecked until an engine is installed, never matching another way', async () => {
    const modules = await freshModules();
    expect(modules.isRegexEngineInstalled()).toBe(false);
    expect(modules.compilePattern('^a$')).toBe(modules.REGEX_ENGINE_MISSING);
    const compiled = modules.compileConfig(payload);
    expect(compiled.valid).toBe(false);
    expect(compiled.issues).toEqual([
      { path: '/flags/0/rules/0/conditions/0/value', message: modules.REGEX_ENGINE_MISSING },
    ]);
  });

  it('compiles patterns with the engine once installed, and says why it refuses one', async () => {
    const modules = await freshModules();
    modules.installPatternCompiler(modules.compileOrExplain);
    expect(modules.isRegexEngineInstalled()).toBe(true);
    const regex = modules.compilePattern('^a+$');
    expect(typeof regex === 'string' ? regex : regex.test('aaa')).toBe(true);
    expect(modules.compilePattern('(a)\\1')).toMatch(/backreference/);
    const compiled = modules.compileConfig(payload);
    expect(compiled.issues).toEqual([]);
    const staff = modules.evaluate(compiled, 'staff-banner', { targetingKey: 'u', email: 'ann@example.com' });
    const visitor = modules.evaluate(compiled, 'staff-banner', {
      targetingKey: 'v',
      email: 'bob@example.org',
    });
    expect([staff.value, visitor.value]).toEqual([true, false]);
  });
});
