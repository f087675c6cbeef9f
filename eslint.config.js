// typescript-eslint's recommended set, the rules that keep Temporal's workflow sandbox safe, and the
// dependency table of ARCHITECTURE.md: which folder may import which.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** The bounded contexts under src/: each imports platform/, contracts/, config/ and another context's index.ts only. */
const CONTEXTS = ['analytics', 'auth', 'checkouts', 'fraud', 'inventory', 'notifications', 'orders', 'payments'];

/** What composes the contexts into processes and surfaces: nothing inside the contexts may reach up into it. */
const COMPOSITION = ['**/roles/**', '**/local-stack/**', '**/commands/**', '**/main.ts', '**/api/**', '**/activities/**', '**/workflows/**'];

/**
 * The modules workflow code may load besides its own folder: free of I/O, of Node built-ins and of zod, since the
 * sandbox evaluates each of them again for every workflow. They are linted as workflow code too.
 */
const SANDBOX_MODULES = [
  'src/contracts/vocabulary.ts',
  'src/contracts/workflow.ts',
  'src/contracts/outcome-event.ts',
  'src/contracts/refund.ts',
  'src/contracts/task-priority.ts',
  'src/payments/gateways.ts',
  'src/payments/failures.ts',
  'src/fraud/bands.ts',
  'src/checkouts/web-ui-markdown.ts',
  'src/platform/money.ts',
  'src/platform/human-duration.ts',
];

const WORKFLOW_PATTERNS = [
  { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities as types only (import type).' },
  { group: ['pg', 'nats', 'drizzle-orm', 'drizzle-orm/**', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'pino', 'hono', '**/api/**'], message: 'Workflow code must stay free of I/O.' },
  // The sandbox evaluates every imported module again for each workflow: zod schemas there cost CPU and garbage per checkout.
  { group: ['zod', 'zod/**'], allowTypeImports: true, message: 'No zod in workflow code; import schemas as types only.' },
  { group: ['**/src/**/*.ts', ...SANDBOX_MODULES.map((m) => `!**/${m}`)], allowTypeImports: true, message: `Workflow code loads only these modules of src/: ${SANDBOX_MODULES.join(', ')}.` },
];

const restrict = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });
const composition = { group: COMPOSITION, message: 'Below the roles, api/, activities/ and workflows/: this folder may not import them (see ARCHITECTURE.md).' };
const otherContexts = (own) =>
  CONTEXTS.filter((c) => c !== own).map((c) => ({
    group: [`**/${c}/**/*.ts`, `!**/${c}/index.ts`],
    message: `Import the ${c} context through src/${c}/index.ts, its public face.`,
  }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'src/platform/db/migrations/**', 'src/client/schema.d.ts', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The contracts are the floor: the vocabulary, the HTTP and event schemas and the workflow's interface. They
    // import each other and the gateway table (whose names they publish), nothing else.
    files: ['src/contracts/**/*.ts'],
    rules: restrict({ group: ['../**/*.ts', '!../payments/gateways.ts'], message: 'src/contracts/ imports nothing outside itself (but the gateway table).' }),
  },
  {
    // The platform serves every context and knows none of them; it reads the configuration's types only.
    files: ['src/platform/**/*.ts'],
    rules: restrict(
      composition,
      { group: CONTEXTS.map((c) => `**/${c}/**`), message: 'src/platform/ knows no context: move the piece into the context, or pass it in.' },
      { group: ['**/config/**'], allowTypeImports: true, message: 'src/platform/ takes its settings as arguments; it imports the configuration as types only.' },
    ),
  },
  {
    // The typed client is what a merchant copies: openapi-fetch and the generated schema, nothing of the service.
    files: ['src/client/**/*.ts'],
    rules: restrict({ group: ['../**'], message: 'src/client/ stands alone: it knows the API only through its OpenAPI document.' }),
  },
  {
    files: ['src/config/**/*.ts'],
    rules: restrict(composition),
  },
  ...CONTEXTS.map((context) => ({
    files: [`src/${context}/**/*.ts`],
    rules: restrict(composition, ...otherContexts(context)),
  })),
  {
    // The HTTP surface and the activities compose the contexts; neither reaches into the roles that start them.
    files: ['api/**/*.ts', 'activities/**/*.ts'],
    rules: restrict({ group: ['**/roles/**', '**/local-stack/**', '**/commands/**', '**/main.ts', '**/workflows/**'], message: 'api/ and activities/ are composed by src/roles/, never the other way round.' }),
  },
  {
    // Workflow code is replayed in a deterministic sandbox: no Node built-ins, no I/O libraries, activities only
    // as types (their implementations run on the worker), and of src/ only the sandbox modules above.
    files: ['workflows/**/*.ts', 'bench/floor-workflow.ts', ...SANDBOX_MODULES],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins cannot run in the workflow sandbox.' })), patterns: WORKFLOW_PATTERNS },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'fetch', message: 'Call an activity.' }],
    },
  },
  {
    // The benchmark and the scripts share the harness with the tests, never the tests' own files.
    files: ['bench/**/*.ts', 'scripts/**/*.ts', 'harness/**/*.ts'],
    rules: restrict({ group: ['../test/**', '../../test/**'], message: 'Share it through harness/ instead of importing test/.' }),
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
