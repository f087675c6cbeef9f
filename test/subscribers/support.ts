/**
 * Test databases for the subscriber tests: a fresh PostgreSQL database on the DATABASE_URL server (dropped
 * afterwards), or PGlite in memory when DATABASE_URL is not set — the project's convention for every test run.
 */
import type { DatabaseHandle } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase } from '../support/database.ts';

export interface TestDatabase extends DatabaseHandle {
  drop(): Promise<void>;
}

export async function openTestDatabase(kind: 'pglite' | 'configured' = 'configured'): Promise<TestDatabase> {
  const handle = await createTestDatabase(kind === 'pglite' ? null : (process.env.DATABASE_URL ?? null));
  return { ...handle, drop: () => handle.close() };
}

/** Quiet by default; `LOG_LEVEL=debug npx vitest …` to watch the loops. */
export const testLogger = () => createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'test' });
