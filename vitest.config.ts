import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (fakes only, fast) and `integration` (files named `*.int.test.ts`), which share one
 * real Temporal dev server, one pinned nats-server and the database started by the global setup.
 * The forks pool: threads have crashed Temporal's native code before.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          // `*.server.test.ts` need the production Temporal server and PostgreSQL: `npm run test:server`.
          exclude: ['test/**/*.int.test.ts', 'test/**/*.server.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          // Runs after the unit project rather than beside it: both at once would overload two cores.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
