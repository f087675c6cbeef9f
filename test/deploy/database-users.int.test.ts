/**
 * deploy/database-users.sql, the file the postgres container of docker-compose.yml runs on a new volume, run
 * the same way (psql as the superuser, in the service's database, the names and passwords in its environment)
 * on a throwaway database of this machine's PostgreSQL, with throwaway user and database names. Then the
 * migrate role applies the migrations and the seed as the owner; a role checks the schema and works with rows
 * as the app user, and is refused DDL; nobody but Temporal's user reaches Temporal's databases. Dropped after.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { loadCatalog } from '../../src/inventory/catalog.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { runMigrateRole } from '../../src/roles/migrate-role.ts';
import { openConfiguredDatabase } from '../../src/roles/shared-deps.ts';

const script = fileURLToPath(new URL('../../deploy/database-users.sql', import.meta.url));
const suffix = randomBytes(4).toString('hex');
const names = {
  db: `dc_users_${suffix}`,
  owner: `dc_owner_${suffix}`,
  app: `dc_app_${suffix}`,
  temporal: `dc_temporal_${suffix}`,
  temporalDb: `dc_temporal_${suffix}`,
  visibilityDb: `dc_temporal_visibility_${suffix}`,
};
const passwords = { owner: `pw${randomBytes(12).toString('hex')}`, app: `pw${randomBytes(12).toString('hex')}`, temporal: `pw${randomBytes(12).toString('hex')}` };

let serverUrl: string;
/** A connection URL of `user` to `database` on the test's server. */
const urlOf = (user: string, password: string, database: string) => {
  const url = new URL(serverUrl);
  Object.assign(url, { username: user, password, pathname: `/${database}` });
  return url.toString();
};
const ownerUrl = () => urlOf(names.owner, passwords.owner, names.db);
const appUrl = () => urlOf(names.app, passwords.app, names.db);

/** The superuser of the test's server, in `database`. */
const adminUrl = (database: string) => urlOf(decodeURIComponent(new URL(serverUrl).username), decodeURIComponent(new URL(serverUrl).password), database);

/** The script as the postgres image's entrypoint runs it: psql as the superuser, stop at the first error, no psqlrc. */
function runScript(env: Record<string, string | undefined>) {
  return spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '--quiet', '--dbname', adminUrl(names.db), '-f', script], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
}
const composeEnv = (appPassword = passwords.app) => ({
  CHECKOUT_DB_OWNER: names.owner,
  CHECKOUT_DB_OWNER_PASSWORD: passwords.owner,
  CHECKOUT_DB_APP: names.app,
  CHECKOUT_DB_APP_PASSWORD: appPassword,
  TEMPORAL_DB_USER: names.temporal,
  TEMPORAL_DB_PASSWORD: passwords.temporal,
  TEMPORAL_DB: names.temporalDb,
  TEMPORAL_VISIBILITY_DB: names.visibilityDb,
});

async function asUser<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
const admin = <T>(work: (client: pg.Client) => Promise<T>) => asUser(adminUrl(names.db), work);
/** PostgreSQL's "insufficient privilege" (or "must be owner"), and nothing else. */
const refusedBy = (url: string, statement: string) => expect(asUser(url, (c) => c.query(statement)), statement).rejects.toMatchObject({ code: '42501' });

beforeAll(async () => {
  const url = inject('infra').databaseUrl;
  if (!url) throw new Error('this test needs PostgreSQL: set DATABASE_URL to a server the tests may create databases and roles on');
  serverUrl = url;
  await asUser(serverUrl, (c) => c.query(`create database ${names.db}`));
  const result = runScript(composeEnv());
  expect(result.status, result.stderr).toBe(0);
});

afterAll(async () => {
  if (!serverUrl) return;
  await asUser(serverUrl, async (c) => {
    for (const db of [names.db, names.temporalDb, names.visibilityDb]) await c.query(`drop database if exists ${db} with (force)`);
    for (const role of [names.owner, names.app, names.temporal]) await c.query(`drop role if exists ${role}`);
  });
});

describe('deploy/database-users.sql', () => {
  it('lets the migrate role, as the owner, apply the migrations and seed the catalog', async () => {
    expect(await runMigrateRole(loadConfig({ DATABASE_URL: ownerUrl() }))).toMatch(/^migrated and seeded postgres:/);
    const owners = await admin((c) => c.query<{ owner: string }>(`select distinct tableowner as owner from pg_tables where schemaname in ('public', 'drizzle')`));
    expect(owners.rows).toEqual([{ owner: names.owner }]);
  });

  describe('the app user', () => {
    let database: DatabaseHandle;
    beforeAll(async () => {
      // As every role but migrate opens it: the check that no migration is missing reads drizzle's journal.
      database = await openConfiguredDatabase(loadConfig({ DATABASE_URL: appUrl() }), { singleProcess: false, role: 'api' });
    });
    afterAll(async () => {
      await database?.close();
    });

    it('finds the schema up to date, and reads and writes rows', async () => {
      expect([...(await loadCatalog(database.db)).keys()]).toContain('SKU-MUG');
      await asUser(appUrl(), async (c) => {
        await c.query(`insert into products (sku, name, stock) values ('SKU-TEST', 'Test', 1)`);
        await c.query(`update products set stock = stock + 1 where sku = 'SKU-TEST'`);
        expect((await c.query(`select stock from products where sku = 'SKU-TEST' for update`)).rows).toEqual([{ stock: 2 }]);
        await c.query(`delete from products where sku = 'SKU-TEST'`);
      });
    });

    it('has rows of the tables a later migration creates, sequences included', async () => {
      await asUser(ownerUrl(), (c) => c.query('create table later_migration (id serial primary key, note text not null)'));
      await asUser(appUrl(), async (c) => {
        await c.query(`insert into later_migration (note) values ('written by the app user')`);
        expect((await c.query('select id, note from later_migration')).rows).toEqual([{ id: 1, note: 'written by the app user' }]);
      });
    });

    it('is refused every change to the schema', async () => {
      for (const statement of [
        'create table intruder (id int)',
        'drop table products',
        'alter table products add column intruder text',
        'create index intruder on orders (merchant_id)',
        'truncate analytics_revenue',
        'create schema intruder',
        'create temporary table intruder (id int)',
        'delete from drizzle.__drizzle_migrations',
      ]) {
        await refusedBy(appUrl(), statement);
      }
    });

    it('holds no other right: no login to other databases, no roles, no databases', async () => {
      const attributes = await admin((c) => c.query(`select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls from pg_roles where rolname = $1`, [names.app]));
      expect(attributes.rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false }]);
    });
  });

  it("keeps Temporal's databases to Temporal's user, who may set up its schema there, and keeps it out of the service's", async () => {
    for (const db of [names.temporalDb, names.visibilityDb]) {
      await refusedBy(urlOf(names.app, passwords.app, db), 'select 1');
      await refusedBy(urlOf(names.owner, passwords.owner, db), 'select 1');
    }
    // What Temporal's schema tool does: its tables, and the visibility schema's trusted extension.
    await asUser(urlOf(names.temporal, passwords.temporal, names.visibilityDb), async (c) => {
      await c.query('create extension if not exists btree_gin');
      await c.query('create table executions_visibility (namespace_id char(64) not null)');
    });
    await refusedBy(urlOf(names.temporal, passwords.temporal, names.db), 'select 1');
  });

  it('sets the passwords from the environment, and sets them again when run again (a rotation) keeping the grants', async () => {
    const secretOf = () => admin((c) => c.query<{ rolpassword: string }>('select rolpassword from pg_authid where rolname = $1', [names.app])).then((r) => r.rows[0]!.rolpassword);
    const before = await secretOf();
    expect(before).toMatch(/^SCRAM-SHA-256\$/);
    const again = runScript(composeEnv(`pw${randomBytes(12).toString('hex')}`));
    expect(again.status, again.stderr).toBe(0);
    expect(await secretOf()).not.toBe(before);
    await asUser(appUrl(), (c) => c.query('select count(*) from products'));
  });

  it('refuses to run without its names and passwords, or with the superuser among its users', () => {
    const { CHECKOUT_DB_APP_PASSWORD: _, ...withoutOne } = composeEnv();
    const missing = runScript(withoutOne);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('database-users.sql: set CHECKOUT_DB_OWNER, CHECKOUT_DB_APP, TEMPORAL_DB_USER (and their passwords)');
    const superuser = runScript({ ...composeEnv(), CHECKOUT_DB_APP: decodeURIComponent(new URL(serverUrl).username) });
    expect(superuser.status).not.toBe(0);
    expect(superuser.stderr).toContain('must differ from each other and from the superuser');
  });
});
