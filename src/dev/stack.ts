/**
 * The local stack behind `npm start`: the pinned Temporal dev server and nats-server as child processes,
 * and in this one process the database (PGlite unless DATABASE_URL), the simulators, the SMTP sink, the
 * worker, the API and both subscribers. Describes itself in `.data/stack.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_KEYS, type Config } from '../config.ts';
import { seedCatalog } from '../db/seed.ts';
import type { Logger } from '../logger.ts';
import { startApiRole } from '../main/api-role.ts';
import type { Lifecycle } from '../main/lifecycle.ts';
import { connectEventBus, natsUrlOf, openConfiguredDatabase } from '../main/shared-deps.ts';
import { startAnalyticsRole, startEmailRole } from '../main/subscriber-roles.ts';
import { installTemporalRuntime } from '../main/temporal-runtime.ts';
import { startWorkerRole } from '../main/worker-role.ts';
import { startSimulators } from '../simulators/index.ts';
import { connectTemporalClient } from '../temporal/connection.ts';
import { startNatsServer } from './nats-server.ts';
import { startSmtpSink } from './smtp-sink.ts';
import { startTemporalServer } from './temporal-server.ts';
import { assertPortFree } from './ports.ts';
import { ensureTools } from './tools.ts';

export interface StackDescription {
  api: string;
  temporal: string;
  temporalUi: string;
  namespace: string;
  taskQueue: string;
  nats: string;
  database: string;
  smtp: string;
  mailbox: string;
  simulators: { fraud: string; primaryGateway: string; secondaryGateway: string };
  keys: { merchant: string; operator: string } | null;
  temporalCli: string;
  workerMetrics: string;
}

const isLoopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
const portOf = (url: string) => Number(new URL(url).port);

/** Every port the stack will listen on, checked before anything starts so a clash fails in a second. */
async function preflightPorts(config: Config, host: string): Promise<void> {
  const checks: [number, string, string][] = [[config.api.port, 'API', 'API_PORT']];
  if (config.temporal.managed) {
    checks.push([Number(config.temporal.address.split(':')[1]), 'Temporal gRPC', 'TEMPORAL_PORT'], [config.temporal.uiPort, 'Temporal Web UI', 'TEMPORAL_UI_PORT']);
  }
  if (!config.nats.url) checks.push([config.nats.port, 'NATS', 'NATS_PORT (or NATS_URL to use a running server)']);
  checks.push([config.temporal.workerMetricsPort, 'worker metrics', 'WORKER_METRICS_PORT']);
  const { services } = config;
  if ([services.fraudUrl, services.primaryGatewayUrl, services.secondaryGatewayUrl].every(isLoopback)) {
    checks.push([portOf(services.fraudUrl), 'fraud simulator', 'FRAUD_URL'], [portOf(services.primaryGatewayUrl), 'primary gateway simulator', 'PRIMARY_GATEWAY_URL'], [portOf(services.secondaryGatewayUrl), 'secondary gateway simulator', 'SECONDARY_GATEWAY_URL']);
  }
  if (isLoopback(config.email.smtpUrl)) checks.push([portOf(config.email.smtpUrl), 'SMTP sink', 'SMTP_URL'], [config.email.mailboxPort, 'mailbox', 'MAILBOX_PORT']);
  for (const [port, what, setting] of checks) await assertPortFree(host, port, what, setting);
}

export async function startLocalStack(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<StackDescription> {
  const host = '127.0.0.1';
  await preflightPorts(config, host);
  mkdirSync(config.dataDir, { recursive: true });
  // The database first: an unreachable DATABASE_URL should fail before slower parts start.
  const database = await openConfiguredDatabase(config, { singleProcess: true, role: 'all' });
  lifecycle.add('database', () => database.close());
  await seedCatalog(database.db);
  const tools = ensureTools();

  let temporalAddress = config.temporal.address;
  let temporalUi = `http://${host}:${config.temporal.uiPort}`;
  if (config.temporal.managed) {
    const [tHost, tPort] = config.temporal.address.split(':') as [string, string];
    const temporal = await startTemporalServer({
      binary: tools.temporalCli,
      host: tHost,
      port: Number(tPort),
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      dir: path.join(config.dataDir, 'temporal'),
    });
    lifecycle.add('temporal dev server', temporal.stop);
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
    logger.info({ address: temporalAddress }, 'Temporal dev server started');
  }

  if (!config.nats.url) {
    const nats = await startNatsServer({ binary: tools.natsServer, host, port: config.nats.port, dir: path.join(config.dataDir, 'nats') });
    lifecycle.add('nats-server', nats.stop);
    logger.info({ url: nats.url }, 'nats-server started');
  }

  const { services } = config;
  const simulatorUrls = { fraud: services.fraudUrl, primaryGateway: services.primaryGatewayUrl, secondaryGateway: services.secondaryGatewayUrl };
  if ([services.fraudUrl, services.primaryGatewayUrl, services.secondaryGatewayUrl].every(isLoopback)) {
    const simulators = await startSimulators({
      host,
      fraudPort: portOf(services.fraudUrl),
      primaryPort: portOf(services.primaryGatewayUrl),
      secondaryPort: portOf(services.secondaryGatewayUrl),
      ...config.simulators,
      logger: logger.child({ component: 'simulators' }),
    });
    lifecycle.add('simulators', simulators.close);
  }

  let mailbox = 'none (SMTP_URL points at a real relay)';
  if (isLoopback(config.email.smtpUrl)) {
    const sink = await startSmtpSink({ host, smtpPort: portOf(config.email.smtpUrl), mailboxPort: config.email.mailboxPort });
    lifecycle.add('smtp sink', sink.close);
    mailbox = sink.mailboxUrl;
  }

  const { nc, names } = await connectEventBus(config, 'durable-checkout');
  lifecycle.add('nats connection', () => nc.drain());

  installTemporalRuntime(logger, { metricsBindAddress: `${host}:${config.temporal.workerMetricsPort}` });
  const worker = await startWorkerRole({ config, db: database.db, nc, names });
  lifecycle.add('worker', worker.stop);
  worker.done.catch((error: unknown) => {
    logger.fatal({ err: error }, 'worker crashed; stopping the stack');
    void lifecycle.stopAll().then(() => process.exit(1));
  });

  const client = await connectTemporalClient(temporalAddress, config.temporal.namespace);
  lifecycle.add('temporal client', () => client.connection.close());
  const api = await startApiRole({ config, database, client, nc, logger: logger.child({ component: 'api' }) });
  lifecycle.add('api', () => api.close({ graceMs: 2_000 }));

  const deps = { config, db: database.db, nc, names, logger };
  const email = await startEmailRole(deps);
  lifecycle.add('email subscriber', email.stop);
  const analytics = await startAnalyticsRole(deps);
  lifecycle.add('analytics subscriber', analytics.stop);

  const description: StackDescription = {
    api: api.url,
    temporal: temporalAddress,
    temporalUi,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    nats: natsUrlOf(config),
    database: database.description,
    smtp: config.email.smtpUrl,
    mailbox,
    simulators: simulatorUrls,
    keys: config.auth.devKeys ? { ...DEV_KEYS } : null,
    temporalCli: tools.temporalCli,
    workerMetrics: `http://${host}:${config.temporal.workerMetricsPort}/metrics`,
  };
  writeFileSync(path.join(config.dataDir, 'stack.json'), `${JSON.stringify(description, null, 2)}\n`);
  return description;
}

/** The table `npm start` prints once everything answers. */
export function describeStack(stack: StackDescription): string {
  const rows: [string, string][] = [
    ['API', stack.api],
    ['API docs', `${stack.api}/docs`],
    ['Dashboard', `${stack.api}/dashboard`],
    ['Temporal Web UI', stack.temporalUi],
    ['Temporal gRPC', `${stack.temporal} (namespace ${stack.namespace}, task queue ${stack.taskQueue})`],
    ['NATS JetStream', stack.nats],
    ['Database', stack.database],
    ['SMTP', stack.smtp],
    ['Mailbox', stack.mailbox === 'none (SMTP_URL points at a real relay)' ? stack.mailbox : `${stack.mailbox}/messages`],
    ['Fraud simulator', stack.simulators.fraud],
    ['Primary gateway', `${stack.simulators.primaryGateway} (ledger: /_ledger)`],
    ['Secondary gateway', `${stack.simulators.secondaryGateway} (ledger: /_ledger)`],
    ['Worker metrics', stack.workerMetrics],
  ];
  if (stack.keys) {
    rows.push(['Merchant key (dev)', stack.keys.merchant], ['Operator key (dev)', stack.keys.operator]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['', 'durable-checkout is running', '', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), '', '  .data/stack.json describes this stack. Ctrl-C stops everything.', ''].join('\n');
}
