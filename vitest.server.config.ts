import { defineConfig } from 'vitest/config';

/**
 * `npm run test:server`: the stack on the production Temporal server (built by `scripts/tools.sh --server`)
 * and this machine's PostgreSQL, in its own run: it needs both, and a few minutes to build the server once.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.server.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    // One file at a time: each runs a Temporal server and a dozen processes on two cores.
    fileParallelism: false,
    maxWorkers: 1,
  },
});
