/**
 * The roles a process can run, in one table: each with what it is for, what it connects to, and how it
 * starts. The CLI (`--role`, `--help`), docker-compose.yml's commands and the operations guide are checked
 * against this table (test/deploy/compose.test.ts, test/main/roles.test.ts); adding a role is one row here.
 */
import { Registry } from 'prom-client';
import { connectTemporalClient } from '../platform/temporal/connection.ts';
import { dataConverterOf } from '../platform/codec/payload-keys.ts';
import type { Config } from '../config/index.ts';
import type { DatabaseHandle } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import type { Tracing } from '../platform/telemetry/tracing.ts';
import { startApiRole } from './api-role.ts';
import { startCodecRole } from './codec-role.ts';
import type { Lifecycle } from './lifecycle.ts';
import { runMigrateRole } from './migrate-role.ts';
import { connectEventBus, openConfiguredDatabase } from './shared-deps.ts';
import { startConfiguredSimulators } from './simulators-role.ts';
import { startConfiguredSmtpSink } from './smtp-sink-role.ts';
import type { Subscriber } from '../platform/nats/subscriber.ts';
import { serveSubscriberMetrics } from './subscriber-process.ts';
import { SUBSCRIBERS } from './subscribers.ts';
import { runWorkerProcess } from './worker-role.ts';

/** What every role is started with. */
export interface RoleContext {
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  tracing: Tracing;
}

/** The outside services a role connects to (for --help and the docs). */
export type RoleNeed = 'database' | 'nats' | 'temporal';

export interface RoleSpec {
  name: string;
  /** One line: what the role does. */
  summary: string;
  needs: readonly RoleNeed[];
  /** Starts the role; resolves to the line the process logs once it runs. */
  start(context: RoleContext): Promise<string>;
  /** Runs to its end and exits (migrate), instead of serving until stopped. */
  exits?: true;
  /** A subscriber's consumer alone, on connections it is given (the local stack runs every subscriber so). */
  subscriber?: Subscriber;
}

async function database({ config, lifecycle }: RoleContext, role: string): Promise<DatabaseHandle> {
  const handle = await openConfiguredDatabase(config, { singleProcess: false, role });
  lifecycle.add('database', () => handle.close());
  return handle;
}

/** The database and the event bus, each closed when the process stops: what every role beside the codec's needs. */
async function databaseAndEventBus(context: RoleContext, role: string) {
  const handle = await database(context, role);
  const bus = await connectEventBus(context.config, `durable-checkout-${role}`);
  context.lifecycle.add('nats connection', () => bus.nc.drain());
  return { handle, ...bus };
}

/** A subscriber role: its consumer, and its metrics and readiness on SUBSCRIBER_METRICS_PORT. */
function subscriberRole<Name extends string>(subscriber: Subscriber<Name>) {
  const { name, summary } = subscriber;
  return {
    name,
    summary,
    needs: ['database', 'nats'] as const,
    subscriber,
    async start(context) {
      const { config, logger, lifecycle } = context;
      const { handle, nc, names } = await databaseAndEventBus(context, name);
      const registry = new Registry();
      const running = await subscriber.start({ config, db: handle.db, nc, names, logger, registry });
      lifecycle.add(`${name} subscriber`, running.stop);
      const metricsUrl = await serveSubscriberMetrics({ config, nc, logger, registry }, handle, lifecycle);
      return `${name} subscriber consuming; metrics on ${metricsUrl}/metrics`;
    },
  } satisfies RoleSpec;
}

export const ROLES = [
  {
    name: 'migrate',
    summary: 'applies the migrations, seeds the demo catalog, provisions the event streams (given NATS_URL), and exits',
    needs: ['database', 'nats'],
    exits: true,
    start: ({ config }) => runMigrateRole(config),
  },
  {
    name: 'api',
    summary: 'the HTTP API, the dashboard and the docs; /metrics and the detailed /readyz on OPS_PORT when set',
    needs: ['database', 'nats', 'temporal'],
    async start(context) {
      const { config, logger, lifecycle, tracing } = context;
      const { handle, nc } = await databaseAndEventBus(context, 'api');
      const client = await connectTemporalClient(config.temporal, config.temporal.namespace, dataConverterOf(config), tracing);
      lifecycle.add('temporal client', () => client.connection.close());
      const api = await startApiRole({ config, database: handle, client, nc, logger, tracing });
      lifecycle.add('api', () => api.close({ graceMs: 5_000 }));
      return `api listening on ${api.url}`;
    },
  },
  {
    name: 'worker',
    summary: 'runs the checkout sagas and their activities from the task queue; scale out by running more',
    needs: ['database', 'nats', 'temporal'],
    async start(context) {
      const { config, logger, lifecycle, tracing } = context;
      const { handle, nc, names } = await databaseAndEventBus(context, 'worker');
      await runWorkerProcess({ config, db: handle.db, nc, names, tracing }, { logger, lifecycle, metricsHost: config.api.host });
      return `worker polling task queue ${config.temporal.taskQueue} on ${config.temporal.address}`;
    },
  },
  ...SUBSCRIBERS.map(subscriberRole),
  {
    name: 'codec',
    summary: "the codec server that decodes payloads for operators in the Web UI and the CLI",
    needs: ['database'],
    async start(context) {
      const { config, lifecycle } = context;
      // The database keeps the operators' browser sessions and key-check budgets; the codec server needs nothing else.
      const handle = await database(context, 'codec');
      const codec = await startCodecRole(config, config.api.host, lifecycle, handle.db);
      return `codec server listening on ${codec.url}`;
    },
  },
  {
    name: 'simulators',
    summary: 'the stand-ins for the fraud service, the two payment gateways and the SMS and push providers',
    needs: [],
    async start({ config, logger, lifecycle }) {
      const sims = await startConfiguredSimulators(config, config.api.host, logger, lifecycle);
      return `simulators: ${JSON.stringify(sims.urls)}`;
    },
  },
  {
    name: 'smtp-sink',
    summary: 'an SMTP server that keeps every message, with a mailbox to read them (demo and tests)',
    needs: [],
    async start({ config, lifecycle }) {
      const sink = await startConfiguredSmtpSink(config, config.api.host, lifecycle);
      return `smtp sink: ${sink.smtpUrl}, mailbox ${sink.mailboxUrl}/messages`;
    },
  },
] as const satisfies readonly RoleSpec[];

export type RoleName = (typeof ROLES)[number]['name'];

/** The subscriber roles: the local stack starts each of them in its one process (src/local-stack/stack.ts). */
export const SUBSCRIBER_ROLES = ROLES.filter((role): role is Extract<(typeof ROLES)[number], { subscriber: Subscriber }> => 'subscriber' in role);
export const ROLE_NAMES: readonly RoleName[] = ROLES.map((role) => role.name);
export const roleNamed = (name: string): RoleSpec | undefined => ROLES.find((role) => role.name === name);
