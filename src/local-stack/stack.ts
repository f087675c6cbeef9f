/**
 * The local stack behind `npm start`: the pinned Temporal dev server (or, with `--temporal server`, the
 * production server on PostgreSQL) and nats-server as child processes, and in this one process the database
 * (PGlite unless DATABASE_URL), the simulators, the SMTP sink, the worker, the API and the subscribers —
 * composed from the same role functions the single-role processes run. Describes itself in `.data/stack.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NatsConnection } from 'nats';
import { DEV_KEYS, workflowPageBase, type Config } from '../config/index.ts';
import { hideUrlCredentials } from '../platform/redact.ts';
import type { DatabaseHandle } from '../platform/db/client.ts';
import { seedCatalog } from '../inventory/seed.ts';
import type { StreamNames } from '../platform/nats/provision.ts';
import type { Logger } from '../platform/logger.ts';
import { startApiRole } from '../roles/api-role.ts';
import type { Lifecycle } from '../roles/lifecycle.ts';
import { connectEventBus, natsTargetOf, openConfiguredDatabase } from '../roles/shared-deps.ts';
import { SUBSCRIBER_ROLES } from '../roles/roles.ts';
import { runWorkerProcess, type RunningWorker } from '../roles/worker-role.ts';
import { startConfiguredSimulators } from '../roles/simulators-role.ts';
import { startConfiguredSmtpSink } from '../roles/smtp-sink-role.ts';
import { Registry } from 'prom-client';
import { clientOnWorkerConnection } from '../platform/temporal/connection.ts';
import { dataConverterOf, payloadKeyringOf } from '../platform/codec/payload-keys.ts';
import { startCodecRole } from '../roles/codec-role.ts';
import { startNatsServer } from './nats-server.ts';
import { startTemporalServer } from './temporal-server.ts';
import { assertPortFree, isLoopbackUrl, portOfUrl } from '../platform/ports.ts';
import { ensureServerTools, ensureTools, type PinnedServerTools, type PinnedTools } from './tools.ts';
import { postgresTargetOf, startTemporalCluster } from './temporal-cluster.ts';
import { TRACING_OFF, type Tracing } from '../platform/telemetry/tracing.ts';
import { GATEWAYS, type GatewayName } from '../payments/gateways.ts';

export interface StackDescription {
  api: string;
  /** Where `/metrics` and the detailed `/readyz` are served: the API itself unless OPS_PORT is set. */
  ops: string;
  temporal: string;
  temporalUi: string;
  namespace: string;
  taskQueue: string;
  nats: string;
  database: string;
  smtp: string;
  mailbox: string;
  simulators: { fraud: string; gateways: Record<GatewayName, string> };
  keys: { merchant: string; operator: string } | null;
  temporalCli: string;
  workerMetrics: string;
  /** The codec server the Web UI decodes payloads through; an operator signs in at `<codec>/login`. */
  codec: string;
  /** Process ids of the stack and of the servers it started, for tools that measure them (`npm run bench`). */
  pids: { stack: number; temporal: number | null; nats: number | null };
}

/** The running stack: its description and the parts it shares between roles, for tools that run beside it. */
export interface LocalStack {
  description: StackDescription;
  database: DatabaseHandle;
  nc: NatsConnection;
  names: StreamNames;
  /** The client the API uses, on the worker's connection. */
  client: Client;
  worker: RunningWorker;
}

/** Whether the stack runs the simulators itself: they are its to run, and every service URL points at this machine. */
const runsSimulators = ({ services }: Config, harness: Harness) =>
  harness === 'in-process' && [services.fraudUrl, ...Object.values(services.gatewayUrls)].every(isLoopbackUrl);

/** Every port the stack will listen on, checked before anything starts so a clash fails in a second. */
async function preflightPorts(config: Config, host: string, harness: Harness): Promise<void> {
  const checks: [number, string, string][] = [[config.api.port, 'API', 'API_PORT']];
  if (config.temporal.managed) {
    checks.push([Number(config.temporal.address.split(':')[1]), 'Temporal gRPC', 'TEMPORAL_PORT'], [config.temporal.uiPort, 'Temporal Web UI', 'TEMPORAL_UI_PORT']);
  }
  if (!config.nats.servers) checks.push([config.nats.port, 'NATS', 'NATS_PORT (or NATS_URL to use a running server)']);
  checks.push([config.temporal.workerMetricsPort, 'worker metrics', 'WORKER_METRICS_PORT'], [config.codec.port, 'codec server', 'CODEC_PORT']);
  const { services } = config;
  if (runsSimulators(config, harness)) {
    checks.push([portOfUrl(services.fraudUrl), 'fraud simulator', 'FRAUD_URL'], ...GATEWAYS.map(({ name, setting }): [number, string, string] => [portOfUrl(services.gatewayUrls[name]), `${name} gateway simulator`, setting]));
  }
  if (harness === 'in-process' && isLoopbackUrl(config.email.smtpUrl)) checks.push([portOfUrl(config.email.smtpUrl), 'SMTP sink', 'SMTP_URL'], [config.email.mailboxPort, 'mailbox', 'MAILBOX_PORT']);
  for (const [port, what, setting] of checks) await assertPortFree(host, port, what, setting);
}

/** Which Temporal the local stack runs when TEMPORAL_ADDRESS is unset: the CLI's dev server, or the production server on PostgreSQL. */
export type TemporalFlavour = 'dev' | 'server';

/**
 * Where the simulators and the SMTP sink run when their URLs are on this machine: in the stack's process
 * (`npm start`), or elsewhere — as processes of their own that the caller started (the benchmark, which
 * measures the service's processes apart from the stand-ins it talks to).
 */
export type Harness = 'in-process' | 'elsewhere';

export async function startLocalStack(config: Config, logger: Logger, lifecycle: Lifecycle, options: { temporal?: TemporalFlavour; tracing?: Tracing; harness?: Harness } = {}): Promise<LocalStack> {
  const flavour = options.temporal ?? 'dev';
  const tracing = options.tracing ?? TRACING_OFF;
  const harness = options.harness ?? 'in-process';
  const host = '127.0.0.1';
  await preflightPorts(config, host, harness);
  mkdirSync(config.dataDir, { recursive: true });
  // The database first: an unreachable DATABASE_URL should fail before slower parts start.
  const database = await openConfiguredDatabase(config, { singleProcess: true, role: 'all' });
  lifecycle.add('database', () => database.close());
  await seedCatalog(database.db);
  const tools: PinnedTools & Partial<PinnedServerTools> = flavour === 'server' && config.temporal.managed ? ensureServerTools() : ensureTools();
  // Created before any role starts, so every role of this data directory shares one development key.
  payloadKeyringOf(config);
  const codecUrl = `http://${host}:${config.codec.port}`;

  const pids: StackDescription['pids'] = { stack: process.pid, temporal: null, nats: null };
  let temporalAddress = config.temporal.address;
  let temporalUi = `http://${host}:${config.temporal.uiPort}`;
  if (config.temporal.managed && tools.temporalServer && tools.temporalSqlTool) {
    const [tHost, tPort] = config.temporal.address.split(':') as [string, string];
    const cluster = await startTemporalCluster({
      serverBinary: tools.temporalServer,
      sqlTool: tools.temporalSqlTool,
      cliBinary: tools.temporalCli,
      host: tHost,
      port: Number(tPort),
      namespace: config.temporal.namespace,
      // Three days: past the Idempotency-Key window (the API refuses less), and time to look into a checkout.
      retentionHours: 72,
      historyShards: config.temporal.localServer.historyShards,
      postgres: postgresTargetOf(config.temporal.localServer.databaseUrl),
      dir: path.join(config.dataDir, 'temporal-server'),
    });
    lifecycle.add('temporal server', cluster.stop);
    pids.temporal = cluster.process.child.pid ?? null;
    temporalAddress = cluster.address;
    temporalUi = 'none (the Temporal server has no Web UI: run temporalio/ui against it, as docker-compose.yml does)';
    logger.info({ address: temporalAddress }, 'Temporal server started on PostgreSQL');
  } else if (config.temporal.managed) {
    const [tHost, tPort] = config.temporal.address.split(':') as [string, string];
    const temporal = await startTemporalServer({
      binary: tools.temporalCli,
      host: tHost,
      port: Number(tPort),
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      dir: path.join(config.dataDir, 'temporal'),
      codecEndpoint: codecUrl,
    });
    lifecycle.add('temporal dev server', temporal.stop);
    pids.temporal = temporal.process.child.pid ?? null;
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
    logger.info({ address: temporalAddress }, 'Temporal dev server started');
  }

  if (!config.nats.servers) {
    const nats = await startNatsServer({ binary: tools.natsServer, host, port: config.nats.port, dir: path.join(config.dataDir, 'nats') });
    lifecycle.add('nats-server', nats.stop);
    pids.nats = nats.process.child.pid ?? null;
    logger.info({ url: nats.url }, 'nats-server started');
  }

  const { services } = config;
  const simulatorUrls = { fraud: services.fraudUrl, gateways: services.gatewayUrls };
  if (runsSimulators(config, harness)) {
    await startConfiguredSimulators(config, host, logger.child({ component: 'simulators' }), lifecycle);
  }

  let mailbox = 'none (SMTP_URL points at a real relay)';
  if (isLoopbackUrl(config.email.smtpUrl)) {
    mailbox = harness === 'in-process' ? (await startConfiguredSmtpSink(config, host, lifecycle)).mailboxUrl : `http://${host}:${config.email.mailboxPort}`;
  }

  await startCodecRole(config, host, lifecycle, database.db);

  const { nc, names } = await connectEventBus(config, 'durable-checkout');
  lifecycle.add('nats connection', () => nc.drain());

  // One NativeConnection for the worker and the API's client: the server can then hand a new checkout's
  // first workflow task back in the start response (eager start) instead of dispatching it through a poll.
  const worker = await runWorkerProcess({ config, db: database.db, nc, names, tracing }, { logger, lifecycle, metricsHost: host });
  const client = clientOnWorkerConnection(worker.connection, config.temporal.namespace, dataConverterOf(config), tracing);
  // One registry for the process: the API's /metrics shows the subscribers' metrics too.
  const registry = new Registry();
  // On the dev server, each new checkout's answer links to its page in the dev server's Web UI.
  const devUi = flavour === 'dev' && config.temporal.managed && config.api.workflowPageBase === null ? workflowPageBase(temporalUi, config.temporal.namespace) : null;
  const apiConfig = devUi ? { ...config, api: { ...config.api, workflowPageBase: devUi } } : config;
  const api = await startApiRole({ config: apiConfig, database, client, nc, logger: logger.child({ component: 'api' }), eagerStart: true, registry, tracing });
  lifecycle.add('api', () => api.close({ graceMs: 2_000 }));

  const deps = { config, db: database.db, nc, names, logger, registry };
  for (const role of SUBSCRIBER_ROLES) {
    const running = await role.subscriber.start(deps);
    lifecycle.add(`${role.name} subscriber`, running.stop);
  }

  const description: StackDescription = {
    api: api.url,
    ops: api.opsUrl ?? api.url,
    temporal: temporalAddress,
    temporalUi,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Printed and written to disk: no credentials in it.
    nats: hideUrlCredentials(natsTargetOf(config).servers.join(',')),
    database: database.description,
    smtp: hideUrlCredentials(config.email.smtpUrl),
    mailbox,
    simulators: simulatorUrls,
    keys: config.auth.devKeys ? { ...DEV_KEYS } : null,
    temporalCli: tools.temporalCli,
    workerMetrics: `http://${host}:${config.temporal.workerMetricsPort}/metrics`,
    codec: codecUrl,
    pids,
  };
  // Readable by its owner only: it holds the development keys when they are enabled.
  writeFileSync(path.join(config.dataDir, 'stack.json'), `${JSON.stringify(description, null, 2)}\n`, { mode: 0o600 });
  return { description, database, nc, names, client, worker };
}

/** The table `npm start` prints once everything answers. */
export function describeStack(stack: StackDescription): string {
  const rows: [string, string][] = [
    ['API', stack.api],
    ['API docs', `${stack.api}/docs`],
    ['Dashboard', `${stack.api}/dashboard (operators)`],
    ['API metrics', `${stack.ops}/metrics`],
    ['Temporal Web UI', stack.temporalUi],
    ['Temporal gRPC', `${stack.temporal} (namespace ${stack.namespace}, task queue ${stack.taskQueue})`],
    ['NATS JetStream', stack.nats],
    ['Database', stack.database],
    ['SMTP', stack.smtp],
    ['Mailbox', stack.mailbox === 'none (SMTP_URL points at a real relay)' ? stack.mailbox : `${stack.mailbox}/messages`],
    ['Fraud simulator', stack.simulators.fraud],
    ...GATEWAYS.map(({ name }): [string, string] => [`Gateway ${name}`, `${stack.simulators.gateways[name]} (ledger: /_ledger)`]),
    ['Worker metrics', stack.workerMetrics],
    ['Codec server', `${stack.codec} (sign in at /login to see payloads decoded in the Web UI)`],
  ];
  if (stack.keys) {
    rows.push(['Merchant key (dev)', stack.keys.merchant], ['Operator key (dev)', stack.keys.operator]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  // The process's age: the stack's own start, after the scripts installed what was missing (they time their steps).
  return ['', `durable-checkout is running (started in ${process.uptime().toFixed(1)} s)`, '', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), '', '  .data/stack.json describes this stack. Ctrl-C stops everything.', ''].join('\n');
}
