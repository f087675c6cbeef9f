/** The API role: the Hono app over the Temporal-backed checkouts port, served over HTTP. */
import type { NatsConnection } from 'nats';
import type { Client } from '@temporalio/client';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createApp } from '../../api/app.ts';
import { createOperationsApp } from '../../api/operations/app.ts';
import { registerEscalationGauge } from '../../api/metrics.ts';
import { startApiServer, type RunningApiServer } from '../../api/server.ts';
import type { Config } from '../config/index.ts';
import type { DatabaseHandle } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import { TRACING_OFF, type Tracing } from '../platform/telemetry/tracing.ts';
import { ensureKeyPurgeSchedule, KEY_PURGE_SCHEDULE_ID } from '../checkouts/key-purge-schedule.ts';
import { countCheckoutsInStatus, createTemporalCheckouts } from '../checkouts/temporal-checkouts.ts';
import { createTemporalRefunds } from '../checkouts/temporal-refunds.ts';
import { payloadKeyringOf } from '../platform/codec/payload-keys.ts';
import { countRefundsInStatus } from '../refunds/index.ts';
import { assertRetentionCoversKeyWindow } from '../checkouts/retention.ts';

export interface ApiRoleDeps {
  config: Config;
  database: DatabaseHandle;
  client: Client;
  nc: NatsConnection;
  logger: Logger;
  /** The client shares a NativeConnection with a worker in this process, so checkouts can start eagerly. */
  eagerStart?: boolean;
  /** The process's registry, when other roles in it (the all-in-one stack's subscribers) register theirs there too. */
  registry?: Registry;
  /** The process's tracing: a span per request, and `traceparent` in every answer. */
  tracing?: Tracing;
}

/** The API, and the operations port when OPS_PORT is set (`opsUrl`). */
export type RunningApiRole = RunningApiServer & { opsUrl: string | null };

export async function startApiRole({ config, database, client, nc, logger, eagerStart = false, registry = new Registry(), tracing = TRACING_OFF }: ApiRoleDeps): Promise<RunningApiRole> {
  await assertRetentionCoversKeyWindow(client, config.temporal.namespace);
  collectDefaultMetrics({ register: registry });
  registerEscalationGauge(
    registry,
    () => countCheckoutsInStatus(database.db, 'escalated'),
    () => countRefundsInStatus(database.db, 'escalated'),
  );
  const readiness = {
    temporal: async () => void (await client.workflowService.getSystemInfo({})),
    nats: async () => {
      if (nc.isClosed()) throw new Error('connection closed');
      await nc.flush();
    },
    database: () => database.ping(),
  };
  const app = createApp({
    checkouts: createTemporalCheckouts({ client, taskQueue: config.temporal.taskQueue, db: database.db, eagerStart }),
    refunds: createTemporalRefunds({ client, taskQueue: config.temporal.taskQueue, db: database.db, deadlineMs: config.checkout.refundDeadlineMs }),
    db: database.db,
    webhooks: { keyring: payloadKeyringOf(config), allowPrivateUrls: config.webhooks.allowPrivateUrls },
    logger,
    registry,
    auth: config.auth,
    api: config.api,
    checkout: config.checkout,
    readiness,
    tracing: tracing.enabled,
  });
  const { ops } = config.api;
  const opsServer = ops ? await startApiServer({ app: createOperationsApp({ registry, readiness, logger }), ...ops, setting: 'OPS_PORT' }) : null;
  const server = await startApiServer({ app, host: config.api.host, port: config.api.port }).catch(async (error: unknown) => {
    await opsServer?.close();
    throw error;
  });
  // Expired Idempotency-Keys are purged hourly by a Temporal Schedule (the worker runs it), not by every API process.
  if (await ensureKeyPurgeSchedule(client, config.temporal.taskQueue)) logger.info({ scheduleId: KEY_PURGE_SCHEDULE_ID }, 'created the hourly Idempotency-Key purge schedule');
  return {
    url: server.url,
    opsUrl: opsServer?.url ?? null,
    close: async (options) => {
      await Promise.all([server.close(options), opsServer?.close(options)]);
    },
  };
}
