/**
 * Migrations on a shared PostgreSQL: roles other than `migrate` refuse an unmigrated database with the fix in
 * the message, and several processes migrating at once (the migration lock) apply each migration once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMigrated, migrateDatabase, openDatabase, SchemaBehindError, type DatabaseHandle } from '../../src/platform/db/client.ts';

const POSTGRES = process.env.TEMPORAL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
const name = `dc_migrations_${randomBytes(4).toString('hex')}`;
const handles: DatabaseHandle[] = [];

const admin = async (statement: string) => {
  const client = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  await client.connect();
  await client.query(statement);
  await client.end();
};

beforeAll(() => admin(`create database ${name}`));
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await admin(`drop database if exists ${name} with (force)`);
});

const open = async () => {
  const handle = await openDatabase({ kind: 'postgres', url: `${POSTGRES}/${name}` }, { migrate: false });
  handles.push(handle);
  return handle;
};

describe('migrations on a shared database', () => {
  it('refuses a role on an unmigrated database, naming the fix', async () => {
    const error = await assertMigrated(await open()).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(SchemaBehindError);
    expect(error!.message).toMatch(/has 0 of \d+ migrations applied .* run `npm start -- --role migrate`/);
  });

  it('applies each migration once when three processes migrate at the same moment', async () => {
    const three = await Promise.all([open(), open(), open()]);
    await Promise.all(three.map((handle) => migrateDatabase(handle)));
    await expect(assertMigrated(three[0]!)).resolves.toBeUndefined();
    const client = new pg.Client({ connectionString: `${POSTGRES}/${name}` });
    await client.connect();
    const { rows } = await client.query<{ n: number; distinct: number }>('select count(*)::int as n, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations');
    await client.end();
    expect(rows[0]!.n).toBe(rows[0]!.distinct);
  });
});
