// Lint rules that keep Temporal's workflow sandbox safe, plus typescript-eslint's recommended set.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'src/db/migrations/**', 'test-results/**', 'api/dashboard/assets/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed in a deterministic sandbox: no Node built-ins, no I/O libraries, and
    // activities only as types (their implementations run on the worker, outside the sandbox).
    files: ['workflows/**/*.ts', 'bench/floor-workflow.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins cannot run in the workflow sandbox.' })),
          patterns: [
            { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities as types only (import type).' },
            { group: ['pg', 'nats', 'drizzle-orm', 'drizzle-orm/**', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'pino', 'hono', '**/src/db/**', '**/src/nats/**', '**/api/**'], message: 'Workflow code must stay free of I/O.' },
            // The sandbox evaluates every imported module again for each workflow: zod schemas there cost
            // CPU and garbage per checkout. Constants and messages come from src/contracts/saga.ts.
            { group: ['zod', 'zod/**', '**/contracts/checkout.ts', '**/contracts/events.ts'], allowTypeImports: true, message: 'Import src/contracts/saga.ts (no zod) in workflow code; schemas only as types.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'fetch', message: 'Call an activity.' }],
    },
  },
  {
    // The layers below the HTTP surface know nothing of it: only the roles (src/main), which compose the
    // processes, and the CLIs start or call into api/.
    files: ['src/**/*.ts', 'activities/**/*.ts'],
    ignores: ['src/main/**', 'src/cli/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../api/**', '../../api/**', '../../../api/**'], message: 'Only src/main (the roles) imports api/: move the shared piece below api/.' }] },
      ],
    },
  },
  {
    // The benchmark and the scripts share the harness with the tests, never the tests' own files.
    files: ['bench/**/*.ts', 'scripts/**/*.ts', 'harness/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../test/**', '../../test/**'], message: 'Share it through harness/ instead of importing test/.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only' },
        { object: 'it', property: 'skip' },
        { object: 'describe', property: 'only' },
        { object: 'describe', property: 'skip' },
        { object: 'test', property: 'only' },
        { object: 'test', property: 'skip' },
      ],
    },
  },
);
