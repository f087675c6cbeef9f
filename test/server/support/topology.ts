/**
 * The compose topology as processes on this machine, for the server tests: the production Temporal server on
 * PostgreSQL, nats-server, one test database migrated by the migrate role, the simulators and the SMTP sink;
 * every other role is started by the test itself, each as `node dist/src/main.js --role …` from the
 * production build (as the image runs it).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connect, type NatsConnection } from 'nats';
import { expect } from 'vitest';
import { startNatsServer, type RunningNats } from '../../../src/local-stack/nats-server.ts';
import { dropTemporalDatabases, postgresTargetOf, startTemporalCluster, type RunningTemporalCluster } from '../../../src/local-stack/temporal-cluster.ts';
import { ensureServerTools } from '../../../src/local-stack/tools.ts';
import { freePort } from '../../../src/platform/ports.ts';
import { TEST_PAYLOAD_KEYS } from '../../../harness/payload-keys.ts';
import { spawnStack, type StackProcess } from '../../../harness/service-process.ts';
import { checkoutRequest } from '../../support/checkout-stack.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { waitFor } from '../../support/wait-for.ts';
import { newCustomer } from '../../workflows/support/world.ts';

const POSTGRES = process.env.TEMPORAL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';

/** The merchant and operator keys the topology accepts (ENABLE_DEV_KEYS). */
export const DEV_HEADERS = {
  merchant: { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json' },
  operator: { authorization: 'Bearer dev_operator_key', 'content-type': 'application/json' },
} as const;

/** Starts a checkout of a new customer paying with `token` through the API at `api`; resolves to its id once answered 202. */
export async function startCheckout(api: string, token: string, headers: Record<string, string> = DEV_HEADERS.merchant): Promise<string> {
  const response = await fetch(`${api}/v1/checkouts`, { method: 'POST', headers, body: JSON.stringify(checkoutRequest({ token, customer: newCustomer() })) });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

export interface Topology {
  temporal: RunningTemporalCluster;
  /** A client of the Temporal server (default namespace), closed by stop(). */
  client: Client;
  nats: RunningNats;
  nc: NatsConnection;
  database: TestDatabase;
  /** The environment every role is started with. */
  env: Record<string, string>;
  urls: { gateways: { primary: string; secondary: string }; mailbox: string };
  processes: Map<string, StackProcess>;
  /** Starts one role as its own process and waits until its output says `ready`. */
  role(name: string, args: string[], extra?: Record<string, string>, ready?: string): Promise<StackProcess>;
  /** An API process on a port of its own; resolves to its base URL. */
  api(name: string, extra?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

export async function startTopology(label: string, extraEnv: Record<string, string> = {}): Promise<Topology> {
  const tools = ensureServerTools();
  const temporalDb = `dc_${label}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), `durable-checkout-${label}-`));
  const [temporalPort, natsPort, fraud, primary, secondary, smtp, mailbox, smsP, smsS, pushP, pushS] = await Promise.all(Array.from({ length: 11 }, () => freePort()));
  const [temporal, nats, database] = await Promise.all([
    startTemporalCluster({
      serverBinary: tools.temporalServer,
      sqlTool: tools.temporalSqlTool,
      cliBinary: tools.temporalCli,
      host: '127.0.0.1',
      port: temporalPort!,
      namespace: 'default',
      retentionHours: 72,
      historyShards: 4,
      postgres: postgresTargetOf(`${POSTGRES}/${temporalDb}`),
      dir: path.join(dir, 'temporal'),
    }),
    startNatsServer({ binary: tools.natsServer, host: '127.0.0.1', port: natsPort!, dir: path.join(dir, 'nats') }),
    createTestDatabase(`${POSTGRES}/postgres`),
  ]);
  const nc = await connect({ servers: nats.url });
  const connection = await Connection.connect({ address: temporal.address });
  const urls = { gateways: { primary: `http://127.0.0.1:${primary}`, secondary: `http://127.0.0.1:${secondary}` }, mailbox: `http://127.0.0.1:${mailbox}` };
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    ENABLE_DEV_KEYS: 'true',
    LOG_LEVEL: 'info',
    DATA_DIR: path.join(dir, 'data'),
    DATABASE_URL: database.url!,
    TEMPORAL_ADDRESS: temporal.address,
    NATS_URL: nats.url,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    FRAUD_URL: `http://127.0.0.1:${fraud}`,
    PRIMARY_GATEWAY_URL: urls.gateways.primary,
    SECONDARY_GATEWAY_URL: urls.gateways.secondary,
    SMS_PRIMARY_URL: `http://127.0.0.1:${smsP}`,
    SMS_SECONDARY_URL: `http://127.0.0.1:${smsS}`,
    PUSH_PRIMARY_URL: `http://127.0.0.1:${pushP}`,
    PUSH_SECONDARY_URL: `http://127.0.0.1:${pushS}`,
    SMTP_URL: `smtp://127.0.0.1:${smtp}`,
    MAILBOX_PORT: String(mailbox),
    SIMULATOR_LATENCY_MS: '5',
    GATEWAY_TIMEOUT: '1s',
    SIMULATOR_HANG: '2500',
    WORKFLOW_BUNDLE_PATH: path.resolve('dist/workflow-bundle.js'),
    // The tests send and poll batches faster than the per-merchant limit (600/min) allows.
    RATE_LIMIT_PER_MINUTE: '100000',
    // Each process serves its metrics on a port of its own.
    SUBSCRIBER_METRICS_PORT: '0',
    ...extraEnv,
  };
  const processes = new Map<string, StackProcess>();

  async function role(name: string, args: string[], extra: Record<string, string> = {}, ready = 'consuming') {
    // The production build, as the image runs it: plain node, the workflow bundle built ahead.
    const proc = spawnStack({ ...env, ...extra }, ['--role', ...args], { compiled: true });
    processes.set(name, proc);
    await waitFor(() => {
      if (proc.child.exitCode !== null) throw new Error(`${name} exited with ${proc.child.exitCode}:\n${proc.output()}`);
      return proc.output().includes(ready);
    }, { what: `${name} to start`, timeoutMs: 90_000 });
    return proc;
  }

  await role('migrate', ['migrate'], {}, '');
  expect(await processes.get('migrate')!.exited).toBe(0);
  await Promise.all([role('simulators', ['simulators'], {}, 'simulators:'), role('smtp-sink', ['smtp-sink'], {}, 'smtp')]);

  return {
    temporal,
    client: new Client({ connection }),
    nats,
    nc,
    database,
    env,
    urls,
    processes,
    role,
    async api(name, extra = {}) {
      const port = await freePort();
      await role(name, ['api'], { API_PORT: String(port), ...extra }, 'api listening');
      return `http://127.0.0.1:${port}`;
    },
    async stop() {
      await Promise.all(
        [...processes.values()].map(async (proc) => {
          if (proc.child.exitCode === null && proc.child.signalCode === null) {
            proc.child.kill('SIGTERM');
            await proc.exited;
          }
        }),
      );
      await Promise.all([nc.close(), connection.close()]);
      await Promise.all([temporal.stop(), nats.stop(), database.close()]);
      try {
        await dropTemporalDatabases(tools.temporalSqlTool, postgresTargetOf(`${POSTGRES}/${temporalDb}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
