/** Opens what every role shares (database, NATS with its stream) with fail-fast messages. */
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { assertMigrated, openDatabase, type DatabaseHandle } from '../platform/db/client.ts';
import { connectNats, type NatsTarget } from '../platform/nats/connection.ts';
import { DEFAULT_STREAM_NAMES, ensureCheckoutStream, type StreamNames } from '../platform/nats/provision.ts';
import { SERVICE_CONSUMERS } from './subscribers.ts';

/** The NATS servers of this configuration: NATS_URL, else the local stack's own server. */
export const natsTargetOf = (config: Config): NatsTarget => ({
  servers: config.nats.servers ?? [`nats://127.0.0.1:${config.nats.port}`],
  auth: config.nats.auth,
  tls: config.nats.tls,
});

/**
 * The configured database. The migrate role and the all-in-one stack (`singleProcess`) apply migrations;
 * every other role only checks they were applied, so roles starting together never race on the schema.
 */
export async function openConfiguredDatabase(config: Config, options: { singleProcess: boolean; role: string }): Promise<DatabaseHandle> {
  if (config.database.url) {
    const handle = await openDatabase({ kind: 'postgres', url: config.database.url }, { migrate: options.singleProcess });
    if (!options.singleProcess) {
      await assertMigrated(handle).catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
    }
    return handle;
  }
  if (!options.singleProcess) {
    throw new Error(
      `--role ${options.role} needs DATABASE_URL: the embedded PGlite database belongs to a single process. ` +
        'Fix: set DATABASE_URL to a PostgreSQL database shared by the roles, or run `npm start` for the all-in-one stack.',
    );
  }
  return openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
}

/** The checkout streams, with the subject layout this configuration publishes in. */
export const eventStreamNamesOf = (config: Config): StreamNames => ({ ...DEFAULT_STREAM_NAMES, eventSubjects: config.nats.eventSubjects });

export async function connectEventBus(config: Config, name: string) {
  const nc = await connectNats(natsTargetOf(config), name);
  const names = eventStreamNamesOf(config);
  await ensureCheckoutStream(nc, names, { replicas: config.nats.streamReplicas, consumers: SERVICE_CONSUMERS });
  return { nc, names };
}
