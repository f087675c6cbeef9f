/**
 * The one entrypoint: `--role all` (default, the local stack of `npm start`) or a single role of the table in
 * roles.ts, as docker-compose runs them, or an operator tool (`dlq`, `analytics-rebuild`); `--help` prints
 * that table.
 */
import { ConfigError, loadConfig, type Config } from './config/index.ts';
import { describeStack, startLocalStack, type TemporalFlavour } from './local-stack/stack.ts';
import { createLogger } from './platform/logger.ts';
import { Lifecycle } from './roles/lifecycle.ts';
import { ROLE_NAMES, ROLES, roleNamed, type RoleSpec } from './roles/roles.ts';
import { startTracing } from './platform/telemetry/tracing.ts';
import { readCommandLine, UsageError } from './platform/command-line.ts';

/** `all` (the default): the local stack of `npm start`, every role in one process. */
type Role = 'all' | RoleSpec;

/** The role `--role` names (`all` when absent). */
function roleOf(value: string | undefined): Role {
  if (value === undefined || value === 'all') return 'all';
  const role = roleNamed(value);
  if (!role) throw new UsageError(`unknown role "${value}": --role must be one of all, ${ROLE_NAMES.join(', ')}`);
  return role;
}

/** What `--help` prints: the two ways to run, and the table of roles. */
export function usage(): string {
  const width = Math.max(...ROLE_NAMES.map((name) => name.length));
  const rows = ROLES.map((role) => `  ${role.name.padEnd(width)}  ${role.summary}${role.needs.length > 0 ? ` (needs ${role.needs.join(', ')})` : ''}`);
  return [
    'usage: npm start [-- --temporal dev|server]   the whole stack in one process, on embedded defaults',
    '       npm start -- --role <role>              one role, against the services its configuration names',
    '       npm start -- dlq|analytics-rebuild …    an operator tool (`… dlq --help`); the image runs them the same way',
    '',
    'roles:',
    ...rows,
    '',
    'Configuration comes from the environment: see docs/configuration.md.',
  ].join('\n');
}

/** `--temporal dev` (default: the CLI's dev server) or `--temporal server` (the production server on PostgreSQL), for the local stack. */
function temporalFlavourOf(value: string | undefined): TemporalFlavour {
  if (value === undefined) return 'dev';
  if (value !== 'dev' && value !== 'server') throw new UsageError(`--temporal must be dev or server, not "${value}"`);
  return value;
}

/** The operators' tools, run from the same entrypoint so the image has them: `docker run <image> dlq list`. */
const TOOLS: Record<string, () => Promise<(args: string[]) => Promise<number>>> = {
  dlq: async () => (await import('./commands/dlq.ts')).runDlq,
  'analytics-rebuild': async () => (await import('./commands/analytics-rebuild.ts')).runAnalyticsRebuild,
};

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  const tool = first === undefined ? undefined : TOOLS[first];
  if (tool) process.exit(await (await tool())(rest));
  let config: Config;
  let role: Role;
  let temporal: TemporalFlavour;
  try {
    const { values } = readCommandLine(process.argv.slice(2), { role: { type: 'string' }, temporal: { type: 'string' } });
    if (values.help) {
      console.log(usage());
      return;
    }
    role = roleOf(values.role);
    temporal = temporalFlavourOf(values.temporal);
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${usage()}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const roleName = role === 'all' ? 'all' : role.name;
  const logger = createLogger({ level: config.logLevel, name: `durable-checkout:${roleName}` });
  const lifecycle = new Lifecycle(logger);
  lifecycle.stopOnSignals();
  // First in, so last out: spans of everything that stops are still exported.
  const tracing = startTracing(config.tracing, roleName);
  lifecycle.add('tracing', tracing.shutdown);
  try {
    if (role === 'all') {
      const stack = await startLocalStack(config, logger, lifecycle, { temporal, tracing });
      console.log(describeStack(stack.description));
    } else {
      logger.info(await role.start({ config, logger, lifecycle, tracing }));
      if ('exits' in role && role.exits) process.exit(0);
    }
  } catch (error) {
    console.error(`\nerror: ${(error as Error).message}\n`);
    await lifecycle.stopAll();
    process.exit(1);
  }
}

await main();
