/**
 * Test databases for the subscriber tests: a fresh PostgreSQL database on the DATABASE_URL server (dropped
 * afterwards), or PGlite in memory when DATABASE_URL is not set — the project's convention for every test run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';


export interface TestDatabase extends DatabaseHandle {
  drop(): Promise<void>;
}

export async function openTestDatabase(kind: 'pglite' | 'configured' = 'configured'): Promise<TestDatabase> {
  const ADMIN_URL = process.env.DATABASE_URL;
  if (kind === 'pglite' || !ADMIN_URL) {
    const handle = await openDatabase({ kind: 'pglite', dataDir: null });
    return { ...handle, drop: () => handle.close() };
  }
  const name = `subscribers_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      const again = new pg.Client({ connectionString: ADMIN_URL });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

/** Quiet by default; `LOG_LEVEL=debug npx vitest …` to watch the loops. */
export const testLogger = () => createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'test' });
