/**
 * Key guessing is limited per address across processes: the budgets live in the database, so two API
 * processes (two apps on one database here), or the dashboard of one and the codec server of another, spend
 * from one budget — not one each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorKeyCheckBudget, KEY_CHECKS_PER_MINUTE } from '../../api/middleware/operator-session.ts';
import { createCodecApp } from '../../api/codec-server.ts';
import { displayCodec } from '../../src/platform/codec/payload-codec.ts';
import { generatePayloadKey, parsePayloadKeys } from '../../src/platform/codec/payload-keys.ts';
import { hashApiKey } from '../../src/config/index.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { databaseSessionStore } from '../../src/auth/operator-sessions.ts';
import { auth, buildTestApp, KEYS, openTestDatabase } from './support/test-app.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
}, 60_000);
afterAll(() => database?.close());

describe('key-check budgets shared by every process', () => {
  it('refuses a failed /v1 key on either API process once the address spent its budget across both', async () => {
    const perMinute = 4;
    const api = { rateLimitPerMinute: perMinute, publicUrl: 'http://localhost', ops: null };
    const processes = [buildTestApp(database, { api }).app, buildTestApp(database, { api }).app];
    const guess = (n: number) => processes[n % 2]!.request('/v1/checkouts/chk_x', { headers: auth(KEYS.unknown) });
    for (let n = 0; n < perMinute; n++) expect((await guess(n)).status).toBe(401);
    for (const n of [0, 1]) {
      const refused = await guess(n);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // A valid key spends nothing from the address's budget and is served.
    expect((await processes[0]!.request('/v1/checkouts/chk_x', { headers: auth(KEYS.merchant) })).status).toBe(404);
  });

  it('counts operator sign-ins on the dashboard and the codec server against one budget per address', async () => {
    const dashboard = buildTestApp(database).app;
    const codec = createCodecApp({
      codec: displayCodec({ activeKeyId: 'k', keys: parsePayloadKeys(generatePayloadKey('k')) }),
      operatorKeyHashes: [hashApiKey(KEYS.operator)],
      sessions: databaseSessionStore(database.db),
      keyChecks: operatorKeyCheckBudget(database.db),
      allowedOrigins: [],
      secureCookie: false,
    });
    const signIn = (app: { request: typeof dashboard.request }, path: string) =>
      app.request(path, { method: 'POST', body: new URLSearchParams({ key: 'wrong-key' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    for (let n = 0; n < KEY_CHECKS_PER_MINUTE; n++) expect((await signIn(n % 2 ? codec : dashboard, n % 2 ? '/login' : '/dashboard/login')).status).toBe(401);
    expect((await signIn(dashboard, '/dashboard/login')).status).toBe(429);
    expect((await signIn(codec, '/login')).status).toBe(429);
  });
});
