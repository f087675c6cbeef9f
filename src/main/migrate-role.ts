/** The migrate role: applies the migrations under their lock, seeds the demo catalog and exits; run once before the other roles. */
import type { Config } from '../config.ts';
import { seedCatalog } from '../db/seed.ts';
import { openConfiguredDatabase } from './shared-deps.ts';

export async function runMigrateRole(config: Config): Promise<string> {
  const database = await openConfiguredDatabase(config, { singleProcess: true, role: 'migrate' });
  try {
    await seedCatalog(database.db);
  } finally {
    await database.close();
  }
  return `migrated and seeded ${database.description}`;
}
