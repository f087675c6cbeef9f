/** A fresh, migrated, seeded database per test file: a new PostgreSQL database, or PGlite in memory. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/client.ts';
import { seedCatalog, type CatalogSeed } from '../../src/inventory/seed.ts';

export interface TestDatabase extends DatabaseHandle {
  /** Connection URL of the fresh database, or null for PGlite. */
  url: string | null;
}

export async function createTestDatabase(serverUrl: string | null, catalog?: readonly CatalogSeed[]): Promise<TestDatabase> {
  if (!serverUrl) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: null });
    await seedCatalog(handle.db, catalog);
    return { ...handle, url: null };
  }
  const name = `dc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString() });
  await seedCatalog(handle.db, catalog);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
