/**
 * With PostgreSQL out of reach the API says "try again" (503 with Retry-After), as it does when Temporal
 * is: a real pg pool pointed at a port where nothing listens, so the driver's own errors come through.
 */
import { createServer } from 'node:net';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnreachable, type Database } from '../../src/platform/db/client.ts';
import * as schema from '../../src/platform/db/schema/index.ts';
import { auth, buildTestApp, openTestDatabase, postCheckout, validBody } from './support/test-app.ts';

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let pool: pg.Pool;
let app: ReturnType<typeof buildTestApp>['app'];
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test`, connectionTimeoutMillis: 1_000 });
  pool.on('error', () => undefined);
  const database = await openTestDatabase();
  const down = drizzle(pool, { schema }) as unknown as Database;
  ({ app } = buildTestApp({ ...database, db: down }));
});
afterAll(async () => {
  await pool?.end();
});

describe('the API with its database down', () => {
  it.each([
    ['POST /v1/checkouts', () => postCheckout(app, validBody(), { 'idempotency-key': 'outage-1' })],
    ['GET /v1/analytics/summary', () => app.request('/v1/analytics/summary', { headers: auth() })],
    ['GET /v1/orders/{id}', () => app.request('/v1/orders/ord_000000000000000000', { headers: auth() })],
  ])('%s answers 503 service_unavailable with Retry-After', async (_route, call) => {
    const res = await call();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ code: 'service_unavailable', status: 503 });
  });

  it('tells an unreachable database from a query that is wrong', async () => {
    const refused = await pool.query('select 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isDatabaseUnreachable(refused)).toBe(true);
    expect(isDatabaseUnreachable(new Error('relation "orders" does not exist'))).toBe(false);
    expect(isDatabaseUnreachable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnreachable(new Error('Failed query', { cause: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) }))).toBe(true);
  });
});
