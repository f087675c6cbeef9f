/**
 * Opens the service's database: PostgreSQL when a URL is given, else embedded PGlite in a data folder.
 * Both speak through one drizzle schema and run the same committed migrations.
 */
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from './schema/index.ts';
import { hideUrlCredentials } from '../domain/redact.ts';

export type Schema = typeof schema;
/** The drizzle handle every repository takes; the same type for PostgreSQL and PGlite. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  /** `postgres://…` (password hidden) or `pglite:<dir>` / `pglite:memory`. */
  description: string;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** Node and PostgreSQL codes that mean "the database cannot be reached right now", not "this query is wrong". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
const UNREACHABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed/i;

/**
 * Whether a failed query failed because the database is down or unreachable (a retry later may work),
 * looking through the wrappers (drizzle's query error, aggregate errors) to the driver's error.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (UNREACHABLE_MESSAGES.test(e.message)) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnreachable)) return true;
  }
  return false;
}


/** Opens and migrates the database; fails fast, naming the target and the fix, when it cannot be reached. */
export async function openDatabase(target: DatabaseTarget, options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  const handle = target.kind === 'postgres' ? await openPostgres(target.url) : await openPglite(target.dataDir);
  if (options.migrate ?? true) await migrateDatabase(handle);
  return handle;
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server emits 'error' on the pool; without a listener it would crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(
      `cannot reach PostgreSQL at DATABASE_URL=${hideUrlCredentials(url)}: ${(error as Error).message}. ` +
        'Fix: start PostgreSQL or correct DATABASE_URL, or unset DATABASE_URL to use the embedded PGlite database.',
    );
  }
  const db = drizzle(pool, { schema }) as unknown as Database;
  return {
    db,
    description: hideUrlCredentials(url),
    ping: async () => void (await pool.query('select 1')),
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | null): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir ?? undefined);
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    description: dataDir ? `pglite:${dataDir}` : 'pglite:memory',
    ping: async () => void (await client.query('select 1')),
    close: () => client.close(),
  };
}

/** Applies the committed drizzle-kit migrations; both migrators share the same journal table. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.description.startsWith('pglite:')) {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(handle.db as never, { migrationsFolder });
  }
}

/** True when the database answers; used by readiness checks. */
export const isDatabaseUp = async (handle: DatabaseHandle) => {
  try {
    await handle.db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
};
