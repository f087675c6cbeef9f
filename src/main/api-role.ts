/** The API role: the Hono app over the Temporal-backed checkouts port, served over HTTP. */
import type { NatsConnection } from 'nats';
import type { Client } from '@temporalio/client';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createApp } from '../../api/app.ts';
import { startApiServer, type RunningApiServer } from '../../api/server.ts';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { createTemporalCheckouts } from '../temporal/checkouts.ts';

export interface ApiRoleDeps {
  config: Config;
  database: DatabaseHandle;
  client: Client;
  nc: NatsConnection;
  logger: Logger;
}

export async function startApiRole({ config, database, client, nc, logger }: ApiRoleDeps): Promise<RunningApiServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const app = createApp({
    checkouts: createTemporalCheckouts({ client, taskQueue: config.temporal.taskQueue, db: database.db }),
    db: database.db,
    logger,
    registry,
    auth: config.auth,
    api: config.api,
    checkout: config.checkout,
    readiness: {
      temporal: async () => void (await client.workflowService.getSystemInfo({})),
      nats: async () => {
        if (nc.isClosed()) throw new Error('connection closed');
        await nc.flush();
      },
      database: () => database.ping(),
    },
  });
  return startApiServer({ app, host: config.api.host, port: config.api.port });
}
