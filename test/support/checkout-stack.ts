/**
 * The real checkout path for one test file: a fresh database, the simulators, a JetStream stream of its
 * own, and a worker on its own task queue against the shared Temporal dev server.
 */
import { inject } from 'vitest';
import { DefaultLogger, Runtime, type WorkerOptions } from '@temporalio/worker';
import type { NatsConnection } from 'nats';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { type CheckoutRequest, type CheckoutView } from '../../src/contracts/checkout.ts';
import { CHECKOUT_WORKFLOW_TYPE, checkoutWorkflowId, type CheckoutWorkflowInput } from '../../src/contracts/workflow.ts';
import { DEMO_CATALOG, type CatalogSeed } from '../../src/inventory/seed.ts';
import { checkoutWorkflowInput } from '../../src/checkouts/input.ts';
import { priceCart, type CatalogEntry } from '../../src/inventory/pricing.ts';
import { newId } from '../../src/platform/ids.ts';
import { startWorkerRole, type RunningWorker } from '../../src/roles/worker-role.ts';
import { connectNats } from '../../src/platform/nats/connection.ts';
import { ensureCheckoutStream, type StreamNames } from '../../src/platform/nats/provision.ts';
import { startSimulators, type RunningSimulators, type SimulatorOptions } from '../../src/roles/simulators.ts';
import { checkoutSearchAttributes } from '../../src/checkouts/temporal-checkouts.ts';
import { connectTemporalClient } from '../../src/platform/temporal/connection.ts';
import { dataConverterOf } from '../../src/platform/codec/payload-keys.ts';
import type { Tracing } from '../../src/platform/telemetry/tracing.ts';
import { TEST_PAYLOAD_KEYS } from '../../harness/payload-keys.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import type { TestInfra } from './global-setup.ts';
import { uniqueStreamNames, uniqueSuffix } from './names.ts';
import { SERVICE_CONSUMERS } from '../../src/roles/subscribers.ts';
import { gatewaySettings, perGateway } from '../../src/payments/gateways.ts';

export interface StackOptions {
  catalog?: readonly CatalogSeed[];
  reviewTimeout?: string;
  simulatorLatencyMs?: number;
  /** Where the gateway simulators keep their journals, so `restartSimulators` loses nothing; none: in memory. */
  simulatorStateDir?: string;
  /** Extra environment for loadConfig, e.g. timeouts. */
  env?: Record<string, string>;
  /** The shared servers; from vitest's global setup unless given (e.g. by a script running outside vitest). */
  infra?: TestInfra;
  /** The tracing of the worker and the client (off by default). */
  tracing?: Tracing;
  /** False: no worker in this process (a test runs its own, e.g. worker processes it can kill). */
  worker?: boolean;
  /** The workers' bundle, e.g. one with extra interceptor modules (bundleWorkflows), or 'bundle at start' from source as a worker without WORKFLOW_BUNDLE_PATH does; else the shared one. */
  workflowBundle?: WorkerOptions['workflowBundle'] | 'bundle at start';
  /** Further workflow sinks of the workers, for what such extra modules report. */
  sinks?: WorkerOptions['sinks'];
}

export interface CheckoutStack {
  config: Config;
  /** The environment `config` was read from, for processes of this stack (see worker-process.ts). */
  env: Record<string, string>;
  infra: TestInfra;
  database: TestDatabase;
  nc: NatsConnection;
  names: StreamNames;
  simulators: RunningSimulators;
  client: Client;
  /** The in-process worker; absent with `worker: false`. */
  worker: RunningWorker;
  /** Stops the simulators and starts them again on the same ports (a restart of the outside services). */
  restartSimulators(): Promise<void>;
  /** Starts another worker on the same task queue (e.g. to replace a stopped one). */
  startWorker(): Promise<RunningWorker>;
  /** The workflow input of a checkout as the API would start it (priced from the catalog, a fresh id). */
  input(request: CheckoutOverrides): CheckoutWorkflowInput;
  /** Starts a checkout workflow directly (the API's job in production) and returns its handle. */
  start(request: CheckoutOverrides, options?: { workflowTaskTimeout?: string }): Promise<{ checkoutId: string; handle: WorkflowHandle }>;
  run(request: CheckoutOverrides): Promise<CheckoutView>;
  stop(): Promise<void>;
}

export type CheckoutOverrides = Partial<CheckoutRequest> & { token?: string };

export const catalogMap = (catalog: readonly CatalogSeed[]) =>
  new Map<string, CatalogEntry>(catalog.map((c) => [c.sku, { sku: c.sku, name: c.name, prices: c.prices }]));

export function checkoutRequest(overrides: Partial<CheckoutRequest> & { token?: string } = {}): CheckoutRequest {
  const { token, ...rest } = overrides;
  return {
    customer: { id: 'cus_test', email: 'ada@example.com', name: 'Ada' },
    items: [{ sku: 'SKU-MUG', quantity: 2 }],
    currency: 'USD',
    payment: { token: token ?? 'tok_visa' },
    shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    ...rest,
  };
}

let runtimeInstalled = false;
/** Quiet worker logs in tests: errors only, since expected activity failures are asserted, not read (one Runtime per process). */
function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed by another helper in this process.
  }
}

export async function startCheckoutStack(options: StackOptions = {}): Promise<CheckoutStack> {
  installQuietRuntime();
  const infra = options.infra ?? inject('infra');
  const catalog = options.catalog ?? DEMO_CATALOG;
  const suffix = uniqueSuffix();
  const database = await createTestDatabase(infra.databaseUrl, catalog);
  const simulatorsOn = (ports: Pick<SimulatorOptions, 'fraudPort' | 'gatewayPorts'>) =>
    startSimulators({
      host: '127.0.0.1',
      ...ports,
      latencyMs: options.simulatorLatencyMs ?? 5,
      failureRate: 0,
      hangMs: 2_500,
      stateDir: options.simulatorStateDir ?? null,
    });
  let simulators = await simulatorsOn({ fraudPort: 0, gatewayPorts: perGateway(() => 0) });
  const nc = await connectNats(infra.natsUrl, `test-${suffix}`);
  const names = uniqueStreamNames();
  await ensureCheckoutStream(nc, names, { consumers: SERVICE_CONSUMERS });
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_TASK_QUEUE: `checkout-test-${suffix}`,
    FRAUD_URL: simulators.urls.fraud,
    ...gatewaySettings(({ name }) => simulators.urls.gateways[name]),
    GATEWAY_TIMEOUT: '1000',
    SIMULATOR_HANG: '2500',
    REVIEW_TIMEOUT: options.reviewTimeout ?? '30s',
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    ...options.env,
  };
  const config = loadConfig(env);
  const startWorker = () =>
    startWorkerRole({
      config,
      db: database.db,
      nc,
      names,
      workflowBundle: options.workflowBundle === 'bundle at start' ? undefined : (options.workflowBundle ?? { codePath: infra.workflowBundlePath }),
      shutdownGraceTime: '1s',
      tracing: options.tracing,
      sinks: options.sinks,
    });
  const worker = options.worker === false ? null : await startWorker();
  const client = await connectTemporalClient(infra.temporalAddress, config.temporal.namespace, dataConverterOf(config), options.tracing);
  const prices = catalogMap(catalog);

  function input(overrides: CheckoutOverrides): CheckoutWorkflowInput {
    const request = checkoutRequest(overrides);
    const priced = priceCart(prices, request.items, request.currency);
    if (!priced.ok) throw new Error(`test cart does not price: ${JSON.stringify(priced.problems)}`);
    return checkoutWorkflowInput(request, priced, {
      checkoutId: newId('chk'),
      merchantId: 'mer_test',
      createdAt: new Date().toISOString(),
      reviewTimeoutMs: config.checkout.reviewTimeoutMs,
    });
  }

  async function start(overrides: CheckoutOverrides, startOptions: { workflowTaskTimeout?: string } = {}) {
    const workflowInput = input(overrides);
    const { checkoutId } = workflowInput;
    const handle = await client.workflow.start(CHECKOUT_WORKFLOW_TYPE, {
      taskQueue: config.temporal.taskQueue,
      workflowId: checkoutWorkflowId(checkoutId),
      args: [workflowInput],
      typedSearchAttributes: checkoutSearchAttributes(workflowInput),
      ...startOptions,
    });
    return { checkoutId, handle };
  }

  return {
    config,
    env,
    infra,
    database,
    nc,
    names,
    get simulators() {
      return simulators;
    },
    async restartSimulators() {
      const port = (url: string) => Number(new URL(url).port);
      const { fraud, gateways } = simulators.urls;
      await simulators.close();
      simulators = await simulatorsOn({ fraudPort: port(fraud), gatewayPorts: perGateway(({ name }) => port(gateways[name])) });
    },
    client,
    get worker() {
      if (!worker) throw new Error('this stack runs no worker of its own (started with worker: false)');
      return worker;
    },
    startWorker,
    input,
    start,
    async run(overrides) {
      const { handle } = await start(overrides);
      return (await handle.result()) as CheckoutView;
    },
    async stop() {
      await worker?.stop().catch(() => undefined);
      await client.connection.close();
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(names.stream).catch(() => undefined);
      await nc.close();
      await simulators.close();
      await database.close();
    },
  };
}
