/**
 * The migrate role: applies the migrations under their lock, seeds the demo catalog and, given NATS_URL,
 * provisions the event streams and the durable consumers; then exits. Run once per release before the other
 * roles, which only check that the schema and the streams are as they expect: in docker-compose.yml they may
 * not change either (deploy/database-users.sql, deploy/nats-accounts.conf).
 */
import { connectNats } from '../platform/nats/connection.ts';
import { ensureCheckoutStream } from '../platform/nats/provision.ts';
import type { Config } from '../config/index.ts';
import { seedCatalog } from '../inventory/seed.ts';
import { eventStreamNamesOf, natsTargetOf, openConfiguredDatabase } from './shared-deps.ts';
import { SERVICE_CONSUMERS } from './subscribers.ts';

/** How long provisioning waits for a cluster whose nodes answer before JetStream has placed its leaders. */
const PROVISION_PATIENCE_MS = 60_000;

export async function runMigrateRole(config: Config): Promise<string> {
  const database = await openConfiguredDatabase(config, { singleProcess: true, role: 'migrate' });
  try {
    await seedCatalog(database.db);
  } finally {
    await database.close();
  }
  const migrated = `migrated and seeded ${database.description}`;
  // Without NATS_URL there is no deployment's NATS to provision: the local stack provisions its own.
  if (!config.nats.servers) return migrated;
  return `${migrated}; ${await provisionEventBus(config)}`;
}

/** Creates or updates the streams and the service's durable consumers as the configuration asks. */
export async function provisionEventBus(config: Config, patienceMs = PROVISION_PATIENCE_MS): Promise<string> {
  const target = natsTargetOf(config);
  const names = eventStreamNamesOf(config);
  const nc = await connectNats(target, 'durable-checkout-migrate');
  try {
    const deadline = Date.now() + patienceMs;
    for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        await ensureCheckoutStream(nc, names, { replicas: config.nats.streamReplicas, consumers: SERVICE_CONSUMERS });
        return `provisioned ${names.stream} (${config.nats.streamReplicas} replicas) and its consumers`;
      } catch (error) {
        // A refusal stays a refusal; anything else may be the cluster still electing its leaders.
        if (/permissions violation/i.test((error as Error).message) || Date.now() + delay > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  } finally {
    await nc.close();
  }
}
