import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// Tests run against the TypeScript sources of sibling packages, so `npm test` needs no build.
export default defineConfig({
  resolve: {
    alias: {
      '@cleave/server/tooling': source('./packages/server/src/tooling.ts'),
      // Subpaths before the package itself: the first alias that matches wins.
      '@cleave/core/evaluation': source('./packages/core/src/evaluation-entry.ts'),
      '@cleave/core/regex': source('./packages/core/src/regex-entry.ts'),
      '@cleave/core': source('./packages/core/src/index.ts'),
      '@cleave/sdk/openfeature': source('./packages/sdk/src/openfeature/index.ts'),
      '@cleave/sdk/react': source('./packages/sdk/src/react/index.ts'),
      '@cleave/sdk': source('./packages/sdk/src/index.ts'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.{ts,tsx}',
      'bench/**/*.test.ts',
      'e2e/**/*.test.ts',
      'infra/**/*.test.ts',
    ],
    // The `matches` engine is installed, not imported (core's regex/pattern-engine.ts); tests
    // that import core's modules directly need it installed as the main entry does.
    setupFiles: ['./packages/core/src/test-support/install-regex-engine.ts'],
    // Two cores: database-backed files run two at a time; each creates its own database.
    maxWorkers: 2,
    // GitHub's workflow parser imports its JSON schema without an import attribute, which Node 20
    // refuses; transformed by Vite, the import works.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // Every server a test starts logs to the run's folder; at the end no test secret may be in it.
    globalSetup: ['./packages/server/src/test-support/log-scan-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
