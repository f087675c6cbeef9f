/** The webhook endpoint routes: registration with its secret shown once, URL rules, rotation, scoping, the delivery log. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testKeyring } from '../../harness/payload-keys.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { webhookDeliveries, webhookEndpoints } from '../../src/platform/db/schema/index.ts';
import { deliveryIdOf } from '../../src/webhooks/deliveries.ts';
import { signingSecrets } from '../../src/webhooks/secrets.ts';
import { auth, clientOf, KEYS, merchantIdOf, type TestApp, withTestApp } from './support/test-app.ts';

let database: DatabaseHandle;
let t: TestApp;
withTestApp((opened) => {
  ({ database, t } = opened);
});

const send = (method: string, path: string, body?: unknown, key: string = KEYS.merchant) =>
  t.app.request(path, { method, headers: { ...auth(key), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const register = async (body: unknown = { url: 'https://hooks.example.com/checkout', enabledEvents: ['checkout.completed', 'checkout.refunded'] }) => {
  const res = await send('POST', '/v1/webhook_endpoints', body);
  return { res, json: (await res.json()) as { id: string; secret?: string; status: string; enabledEvents: string[]; detail?: string } };
};

describe('/v1/webhook_endpoints', () => {
  it('registers an endpoint and shows its secret once; reads never show it (through the typed client)', async () => {
    const api = clientOf(t);
    const { data: json, response: res } = await api.POST('/v1/webhook_endpoints', { body: { url: 'https://hooks.example.com/checkout', enabledEvents: ['checkout.completed', 'checkout.refunded'] } });
    expect(res.status).toBe(201);
    expect(json).toMatchObject({ url: 'https://hooks.example.com/checkout', enabledEvents: ['checkout.completed', 'checkout.refunded'], status: 'enabled', merchantId: merchantIdOf(KEYS.merchant) });
    expect(json!.secret).toMatch(/^whsec_/);
    expect(res.headers.get('location')).toBe(`/v1/webhook_endpoints/${json!.id}`);
    const read = await api.GET('/v1/webhook_endpoints/{id}', { params: { path: { id: json!.id } } });
    expect(read.data).not.toHaveProperty('secret');
    const [row] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, json!.id));
    // Stored sealed: the row does not hold the secret, and it opens to it with the payload keys.
    expect(JSON.stringify(row)).not.toContain(json!.secret.slice('whsec_'.length));
    expect(signingSecrets(row!.secrets, json!.id, testKeyring(), new Date())).toEqual([json!.secret]);
  });

  it('refuses URLs that could reach the internal network, and unknown event types, naming the field', async () => {
    for (const url of ['http://hooks.example.com/x', 'https://127.0.0.1/x', 'https://169.254.169.254/', 'https://localhost/x']) {
      const { res, json } = await register({ url, enabledEvents: ['*'] });
      expect(res.status, url).toBe(400);
      expect(json.detail, url).toMatch(/^The endpoint URL must/);
    }
    const { res, json } = await register({ url: 'https://hooks.example.com/x', enabledEvents: ['checkout.shipped'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(json)).toContain('enabledEvents');
  });

  it('lets only merchants register, and hides one merchant’s endpoints from another', async () => {
    expect((await send('POST', '/v1/webhook_endpoints', { url: 'https://hooks.example.com/x', enabledEvents: ['*'] }, KEYS.operator)).status).toBe(403);
    const { json } = await register();
    expect((await send('GET', `/v1/webhook_endpoints/${json.id}`, undefined, KEYS.otherMerchant)).status).toBe(404);
    expect((await send('DELETE', `/v1/webhook_endpoints/${json.id}`, undefined, KEYS.otherMerchant)).status).toBe(404);
    const theirs = (await (await send('GET', '/v1/webhook_endpoints?limit=100', undefined, KEYS.otherMerchant)).json()) as { data: { id: string }[] };
    expect(theirs.data.map((e) => e.id)).not.toContain(json.id);
    const everyone = (await (await send('GET', '/v1/webhook_endpoints?limit=100', undefined, KEYS.operator)).json()) as { data: { id: string }[] };
    expect(everyone.data.map((e) => e.id)).toContain(json.id);
  });

  it('rotates a secret: the new one is shown once, and the old one signs beside it until the overlap ends', async () => {
    const { json } = await register();
    const rotated = (await (await send('POST', `/v1/webhook_endpoints/${json.id}/rotate_secret`, { overlapHours: 2 })).json()) as { secret: string };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(json.secret);
    const [row] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, json.id));
    expect(signingSecrets(row!.secrets, json.id, testKeyring(), new Date())).toEqual([json.secret, rotated.secret]);
    expect(signingSecrets(row!.secrets, json.id, testKeyring(), new Date(Date.now() + 3 * 3_600_000))).toEqual([rotated.secret]);
    expect((await send('POST', `/v1/webhook_endpoints/${json.id}/rotate_secret`, { overlapHours: 500 })).status).toBe(400);
  });

  it('lists the delivery log, redelivers one delivery of this endpoint only, enables a disabled endpoint and deletes', async () => {
    const { json } = await register();
    const other = (await register()).json;
    const now = new Date();
    const id = deliveryIdOf('evt_1', json.id);
    await database.db.insert(webhookDeliveries).values({ id, endpointId: json.id, merchantId: merchantIdOf(KEYS.merchant), eventId: 'evt_1', eventType: 'checkout.completed', checkoutId: 'chk_1', body: '{}', status: 'failed', attempts: 8, nextAttemptAt: now, createdAt: now, lastStatusCode: 500, lastError: 'answered 500' });
    const log = (await (await send('GET', `/v1/webhook_endpoints/${json.id}/deliveries?status=failed`)).json()) as { data: { id: string; attempts: number; lastError: string }[] };
    expect(log.data).toMatchObject([{ id, attempts: 8, lastError: 'answered 500' }]);
    expect((await send('POST', `/v1/webhook_endpoints/${other.id}/deliveries/${id}/redeliver`)).status).toBe(404);
    const again = await send('POST', `/v1/webhook_endpoints/${json.id}/deliveries/${id}/redeliver`);
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ id, status: 'pending', attempts: 0 });

    await database.db.update(webhookEndpoints).set({ status: 'disabled', disabledReason: 'failing', consecutiveFailures: 50 }).where(eq(webhookEndpoints.id, json.id));
    expect(await (await send('POST', `/v1/webhook_endpoints/${json.id}/enable`)).json()).toMatchObject({ status: 'enabled', disabledReason: null });

    expect(await (await send('DELETE', `/v1/webhook_endpoints/${json.id}`)).json()).toEqual({ id: json.id, deleted: true });
    expect((await send('GET', `/v1/webhook_endpoints/${json.id}`)).status).toBe(404);
    expect(await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, json.id))).toEqual([]);
  });
});
