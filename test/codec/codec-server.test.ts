/** The codec server: operators get payloads decoded (by key or by a signed-in browser), nobody else does. */
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseSessionStore } from '../../src/auth/operator-sessions.ts';
import { KEY_CHECKS_PER_MINUTE } from '../../api/middleware/operator-session.ts';
import { operatorSessions } from '../../src/platform/db/schema/index.ts';
import type { DatabaseHandle } from '../../src/platform/db/client.ts';
import { openTestDatabase } from '../api/support/test-app.ts';
import { hashApiKey } from '../../src/config/index.ts';
import { CODEC_SESSION_COOKIE, createCodecApp } from '../../api/codec-server.ts';
import { createPayloadCodec, displayCodec } from '../../src/platform/codec/payload-codec.ts';
import { payloadToJson } from '../../src/platform/codec/payload-json.ts';
import { generatePayloadKey, parsePayloadKeys } from '../../src/platform/codec/payload-keys.ts';

const OPERATOR_KEY = 'op_test_key';
const UI_ORIGIN = 'http://127.0.0.1:8233';
const keyring = { activeKeyId: 'k1', keys: parsePayloadKeys(generatePayloadKey('k1')) };
/** What the server decodes with (as the codec role builds it), and what a worker seals with, for one of its workflows. */
const codec = displayCodec(keyring);
const worker = createPayloadCodec(keyring);
const CHECKOUT_WORKFLOW = { type: 'workflow' as const, namespace: 'default', workflowId: 'checkout-chk_codec' };
let database: DatabaseHandle;
let app: ReturnType<typeof createCodecApp>;
/** A codec server on the test database, with the operator keys and cookie mode given. */
const codecApp = (operatorKeyHashes = [hashApiKey(OPERATOR_KEY)], secureCookie = false) =>
  createCodecApp({ codec, operatorKeyHashes, sessions: databaseSessionStore(database.db), allowedOrigins: [UI_ORIGIN], secureCookie });
beforeAll(async () => {
  database = await openTestDatabase();
  app = codecApp();
}, 60_000);
afterAll(() => database?.close());

const post = (route: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${OPERATOR_KEY}` }) =>
  app.request(route, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function sealedBody(value: unknown) {
  const payloads = await worker.encode([defaultPayloadConverter.toPayload(value)], CHECKOUT_WORKFLOW);
  return { payloads: payloads.map(payloadToJson) };
}

describe('codec server', () => {
  it('decodes for an operator key, in the proto JSON shape the Web UI and the CLI send', async () => {
    const response = await post('/decode', await sealedBody({ email: 'ada@example.com' }));
    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ email: 'ada@example.com' });
  });

  it('encodes nothing, for anyone: an operator session is no way to forge input the workers would act on', async () => {
    const plain = { payloads: [payloadToJson(defaultPayloadConverter.toPayload('hello'))] };
    const response = await post('/encode', plain);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('binary/encrypted');
  });

  it('answers 401 without a key, with a merchant or unknown key, and does not decode', async () => {
    const body = await sealedBody('secret');
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer dev_merchant_key' }, { authorization: 'Basic abc' }, { cookie: `${CODEC_SESSION_COOKIE}=guess` }];
    for (const headers of attempts) {
      const response = await post('/decode', body, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.text()).not.toContain('secret');
    }
  });

  it('answers 400 naming the problem for a malformed body, and names an unknown key id', async () => {
    const malformed = await post('/decode', '{"payloads": [');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { detail: string }).detail).toMatch(/not valid JSON/);
    const wrongShape = await post('/decode', { payloads: [{ data: 'not base64!' }] });
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { detail: string }).detail).toMatch(/payloads\.0\.data must be base64/);
    const missing = await post('/decode', { items: [] });
    expect(missing.status).toBe(400);
    const foreign = createPayloadCodec({ activeKeyId: 'retired', keys: parsePayloadKeys(generatePayloadKey('retired')) });
    const unknown = await post('/decode', { payloads: (await foreign.encode([defaultPayloadConverter.toPayload(1)])).map(payloadToJson) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('key id "retired"');
  });

  it('lets the Web UI origin call it with credentials, and no other origin', async () => {
    const preflight = (origin: string) =>
      app.request('/decode', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    expect((await preflight('http://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signs a browser in with an operator key as an HttpOnly same-site cookie, and refuses other keys', async () => {
    const signIn = (key: string) => app.request('/login', { method: 'POST', body: new URLSearchParams({ key }) });
    const refused = await signIn('dev_merchant_key');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const accepted = await signIn(OPERATOR_KEY);
    expect(accepted.status).toBe(200);
    const cookie = accepted.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    const response = await post('/decode', await sealedBody({ name: 'Ada' }), { cookie: session, origin: UI_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  const signIn = (key: string, on = app) => on.request('/login', { method: 'POST', body: new URLSearchParams({ key }) });
  const decodeWith = (cookie: string, on = app) => on.request('/decode', { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{"payloads":[]}' });

  it('keeps the key out of the cookie: an opaque session id, stored only as its digest', async () => {
    const accepted = await signIn(OPERATOR_KEY);
    const session = accepted.headers.get('set-cookie')!.split(';')[0]!;
    const id = session.slice(session.indexOf('=') + 1);
    expect(id).not.toContain(OPERATOR_KEY);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await database.db.select().from(operatorSessions);
    expect(rows.map((r) => r.idHash)).not.toContain(id);
    expect(JSON.stringify(rows)).not.toContain(OPERATOR_KEY);
    // The key itself in the cookie opens nothing.
    expect((await decodeWith(`${CODEC_SESSION_COOKIE}=${OPERATOR_KEY}`)).status).toBe(401);
  });

  it('signs out server-side: the session cookie, replayed after logout, opens nothing', async () => {
    const session = (await signIn(OPERATOR_KEY)).headers.get('set-cookie')!.split(';')[0]!;
    expect((await decodeWith(session)).status).toBe(200);
    expect((await app.request('/logout', { method: 'POST', headers: { cookie: session } })).status).toBe(204);
    expect((await decodeWith(session)).status).toBe(401);
  });

  it('ends the sessions of an operator key removed from the configuration', async () => {
    const session = (await signIn(OPERATOR_KEY)).headers.get('set-cookie')!.split(';')[0]!;
    const afterRemoval = codecApp([hashApiKey('another_operator_key')]);
    expect((await decodeWith(session, afterRemoval)).status).toBe(401);
  });

  it('ends a session when it expires', async () => {
    const session = (await signIn(OPERATOR_KEY)).headers.get('set-cookie')!.split(';')[0]!;
    await database.db.update(operatorSessions).set({ expiresAt: new Date(Date.now() - 1_000) });
    expect((await decodeWith(session)).status).toBe(401);
  });

  it('sets a __Host- cookie, Secure, on path /, when served over https', async () => {
    const cookie = (await signIn(OPERATOR_KEY, codecApp(undefined, true))).headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^__Host-${CODEC_SESSION_COOKIE}=`));
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\//);
  });

  it('refuses a sign-in form too large to be one, without reading it', async () => {
    const response = await app.request('/login', { method: 'POST', body: new URLSearchParams({ key: 'x'.repeat(1024 * 1024) }) });
    expect(response.status).toBe(413);
  });
});

describe('key guessing on the codec server', () => {
  it('answers 429 once an address has spent its key checks, sign-ins and wrong Bearer keys alike, and the right key too then', async () => {
    const guarded = codecApp();
    for (let i = 0; i < KEY_CHECKS_PER_MINUTE; i += 1) {
      const guess = i % 2 === 0 ? guarded.request('/login', { method: 'POST', body: new URLSearchParams({ key: `guess_${i}` }) }) : guarded.request('/decode', { method: 'POST', headers: { authorization: `Bearer guess_${i}` }, body: '{}' });
      expect((await guess).status).toBe(401);
    }
    const limited = await guarded.request('/login', { method: 'POST', body: new URLSearchParams({ key: OPERATOR_KEY }) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // A valid Bearer key is not a guess: scripts with the right key go on.
    expect((await guarded.request('/decode', { method: 'POST', headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' }, body: '{"payloads":[]}' })).status).toBe(200);
  });
});
