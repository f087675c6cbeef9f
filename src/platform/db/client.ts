/**
 * Opens the service's database: PostgreSQL when a URL is given, else embedded PGlite in a data folder.
 * Both speak through one drizzle schema and run the same committed migrations.
 */
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from './schema/index.ts';
import { hideUrlCredentials } from '../redact.ts';

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
  /** Runs `fn` holding the migration lock (PostgreSQL: an advisory lock on a session of its own). */
  exclusively?<T>(fn: () => Promise<T>): Promise<T>;
}

/** The advisory lock every migrating process takes, so processes starting together never race on a migration. */
const MIGRATION_LOCK_KEY = 7_406_931_114;

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** An error and the errors it wraps (`cause`), outermost first: drizzle's query error, then the driver's. */
export function* causeChain(error: unknown): Generator<Error> {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) yield e;
}

/** Node and PostgreSQL codes that mean "the database cannot be reached right now", not "this query is wrong". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
const UNREACHABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed/i;

/**
 * Whether a failed query failed because the database is down or unreachable (a retry later may work),
 * looking through the wrappers (drizzle's query error, aggregate errors) to the driver's error.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (const e of causeChain(error)) {
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
    async exclusively(fn) {
      const session = await pool.connect();
      try {
        await session.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        return await fn();
      } finally {
        await session.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        session.release();
      }
    },
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

/** Applies the committed drizzle-kit migrations, under the migration lock; both migrators share the same journal table. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.description.startsWith('pglite:')) {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const run = () => migrate(handle.db as never, { migrationsFolder });
    await (handle.exclusively ? handle.exclusively(run) : run());
  }
}

export class SchemaBehindError extends Error {
  override name = 'SchemaBehindError';
}

/** Fails unless every committed migration has been applied: roles leave migrating to `--role migrate`. */
export async function assertMigrated(handle: DatabaseHandle): Promise<void> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  let applied = 0;
  try {
    const result = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const rows = (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows) as { n: number }[];
    applied = Number(rows[0]?.n ?? 0);
  } catch {
    applied = 0; // no journal table: nothing was ever migrated
  }
  if (applied < journal.entries.length) {
    throw new SchemaBehindError(
      `the database ${handle.description} has ${applied} of ${journal.entries.length} migrations applied (latest: ${journal.entries.at(-1)?.tag}). ` +
        'Fix: run `npm start -- --role migrate` (docker compose runs it before the other roles) and start again.',
    );
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
