/**
 * A subscriber as a process of its own: a Prometheus registry served with `/readyz` on
 * SUBSCRIBER_METRICS_PORT, for scrapes and container health checks.
 */
import { collectDefaultMetrics } from 'prom-client';
import { createOperationsApp } from '../../api/operations/app.ts';
import { startApiServer } from '../../api/server.ts';
import type { DatabaseHandle } from '../platform/db/client.ts';
import type { SubscriberDeps } from '../platform/nats/subscriber.ts';
import type { Lifecycle } from './lifecycle.ts';

/** The app SUBSCRIBER_METRICS_PORT serves: the process's registry, and its readiness (NATS answers, the database answers). */
export function createSubscriberOperationsApp({ nc, logger, registry }: Pick<SubscriberDeps, 'nc' | 'logger' | 'registry'>, database: Pick<DatabaseHandle, 'ping'>) {
  const readiness = {
    nats: async () => {
      if (nc.isClosed()) throw new Error('connection closed');
      await nc.flush();
    },
    database: () => database.ping(),
  };
  return createOperationsApp({ registry, readiness, logger });
}

/** Serves the process's registry and its readiness on SUBSCRIBER_METRICS_PORT; returns its URL. */
export async function serveSubscriberMetrics(
  { config, nc, logger, registry }: Omit<SubscriberDeps, 'db' | 'names'>,
  database: DatabaseHandle,
  lifecycle: Lifecycle,
): Promise<string> {
  collectDefaultMetrics({ register: registry });
  const server = await startApiServer({
    app: createSubscriberOperationsApp({ nc, logger, registry }, database),
    host: config.api.host,
    port: config.subscribers.metricsPort,
    setting: 'SUBSCRIBER_METRICS_PORT',
  });
  lifecycle.add('subscriber metrics', () => server.close());
  return server.url;
}
