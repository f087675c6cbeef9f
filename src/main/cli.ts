/**
 * The one entrypoint: `--role all` (default, the local stack of `npm start`) or a single role — `api`,
 * `worker`, `email`, `notifications`, `analytics`, `codec`, `simulators`, `smtp-sink` — as docker-compose runs
 * them, and `migrate`, which applies the migrations, seeds the demo catalog, provisions the event streams (given
 * NATS_URL) and exits. Each role lives in its own `<role>-role.ts`.
 */
import { Registry } from 'prom-client';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { runMigrateRole } from './migrate-role.ts';
import { describeStack, startLocalStack, type TemporalFlavour } from './local-stack.ts';
import { createLogger, type Logger } from '../logger.ts';
import { connectTemporalClient } from '../temporal/connection.ts';
import { startApiRole } from './api-role.ts';
import { dataConverterOf } from '../codec/payload-keys.ts';
import { startCodecRole } from './codec-role.ts';
import { Lifecycle } from './lifecycle.ts';
import { startConfiguredSimulators } from './simulators-role.ts';
import { startConfiguredSmtpSink } from './smtp-sink-role.ts';
import { connectEventBus, openConfiguredDatabase } from './shared-deps.ts';
import { startAnalyticsRole } from './analytics-role.ts';
import { startEmailRole } from './email-role.ts';
import { startNotificationsRole } from './notifications-role.ts';
import { serveSubscriberMetrics, type SubscriberDeps } from './subscriber-process.ts';
import { runWorkerProcess } from './worker-role.ts';
import { startTracing, type Tracing } from '../telemetry/tracing.ts';

const ROLES = ['all', 'api', 'worker', 'email', 'notifications', 'analytics', 'codec', 'simulators', 'smtp-sink', 'migrate'] as const;
type Role = (typeof ROLES)[number];

function parseRole(argv: string[]): Role {
  const index = argv.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (index === -1) return 'all';
  const value = argv[index]!.includes('=') ? argv[index]!.split('=')[1] : argv[index + 1];
  if (!ROLES.includes(value as Role)) {
    throw new ConfigError(`unknown role "${value ?? ''}": --role must be one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

/** `--temporal dev` (default: the CLI's dev server) or `--temporal server` (the production server on PostgreSQL), for the local stack. */
function parseTemporalFlavour(argv: string[]): TemporalFlavour {
  const index = argv.findIndex((a) => a === '--temporal' || a.startsWith('--temporal='));
  if (index === -1) return 'dev';
  const value = argv[index]!.includes('=') ? argv[index]!.split('=')[1] : argv[index + 1];
  if (value !== 'dev' && value !== 'server') throw new ConfigError(`--temporal must be dev or server, not "${value ?? ''}"`);
  return value;
}

async function startRole(role: Exclude<Role, 'all'>, config: Config, logger: Logger, lifecycle: Lifecycle, tracing: Tracing): Promise<string> {
  if (role === 'simulators') {
    const sims = await startConfiguredSimulators(config, config.api.host, logger, lifecycle);
    return `simulators: ${JSON.stringify(sims.urls)}`;
  }
  if (role === 'smtp-sink') {
    const sink = await startConfiguredSmtpSink(config, config.api.host, lifecycle);
    return `smtp sink: ${sink.smtpUrl}, mailbox ${sink.mailboxUrl}/messages`;
  }

  if (role === 'migrate') return runMigrateRole(config);

  const database = await openConfiguredDatabase(config, { singleProcess: false, role });
  lifecycle.add('database', () => database.close());
  if (role === 'codec') {
    // The database keeps the operators' browser sessions; the codec server needs nothing else.
    const codec = await startCodecRole(config, config.api.host, lifecycle, database.db);
    return `codec server listening on ${codec.url}`;
  }
  const { nc, names } = await connectEventBus(config, `durable-checkout-${role}`);
  lifecycle.add('nats connection', () => nc.drain());
  const deps = { config, db: database.db, nc, names, logger };
  const subscriber = async (start: (deps: SubscriberDeps) => Promise<{ stop(): Promise<void> }>) => {
    const registry = new Registry();
    const running = await start({ ...deps, registry });
    lifecycle.add(`${role} subscriber`, running.stop);
    const metricsUrl = await serveSubscriberMetrics({ config, nc, logger, registry }, database, lifecycle);
    return `${role} subscriber consuming; metrics on ${metricsUrl}/metrics`;
  };

  switch (role) {
    case 'worker': {
      await runWorkerProcess({ ...deps, tracing }, { logger, lifecycle, metricsHost: config.api.host });
      return `worker polling task queue ${config.temporal.taskQueue} on ${config.temporal.address}`;
    }
    case 'api': {
      const client = await connectTemporalClient(config.temporal, config.temporal.namespace, dataConverterOf(config), tracing);
      lifecycle.add('temporal client', () => client.connection.close());
      const api = await startApiRole({ config, database, client, nc, logger, tracing });
      lifecycle.add('api', () => api.close({ graceMs: 5_000 }));
      return `api listening on ${api.url}`;
    }
    case 'email':
      return subscriber(startEmailRole);
    case 'notifications':
      return subscriber(startNotificationsRole);
    case 'analytics':
      return subscriber(startAnalyticsRole);
  }
}

async function main(): Promise<void> {
  let config: Config;
  let role: Role;
  let temporal: TemporalFlavour;
  try {
    role = parseRole(process.argv.slice(2));
    temporal = parseTemporalFlavour(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, name: `durable-checkout:${role}` });
  const lifecycle = new Lifecycle(logger);
  lifecycle.stopOnSignals();
  // First in, so last out: spans of everything that stops are still exported.
  const tracing = startTracing(config.tracing, role);
  lifecycle.add('tracing', tracing.shutdown);
  try {
    if (role === 'all') {
      const stack = await startLocalStack(config, logger, lifecycle, { temporal, tracing });
      console.log(describeStack(stack.description));
    } else {
      logger.info(await startRole(role, config, logger, lifecycle, tracing));
      if (role === 'migrate') process.exit(0);
    }
  } catch (error) {
    console.error(`\nerror: ${(error as Error).message}\n`);
    await lifecycle.stopAll();
    process.exit(1);
  }
}

await main();
