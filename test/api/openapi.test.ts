/** The OpenAPI document is valid OpenAPI 3.1, describes routes that exist, and the docs page works offline. */
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { auth, KEYS, type TestApp, withTestApp } from './support/test-app.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { CHECKOUT_EVENT_TYPES } from '../../src/contracts/events.ts';
import { sealCheckoutEvent } from '../../src/platform/nats/event-contact.ts';
import { webhookBody } from '../../src/webhooks/payload.ts';
import { WebhookEvent } from '../../api/webhooks/events.ts';
import { sampleEvent } from '../nats/support.ts';

let t: TestApp;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown>; parameters?: { in: string; name: string }[] }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
};
withTestApp(async (opened) => {
  ({ t } = opened);
  const res = await t.app.request('/openapi.json');
  expect(res.status).toBe(200);
  doc = (await res.json()) as typeof doc;
});

const sampleIds: Record<string, string> = { '/v1/orders/{id}': 'ord_doesnotexist' };

describe('GET /openapi.json', () => {
  it('describes the body and headers of every event an endpoint receives, as the webhooks subscriber builds it', () => {
    const webhooks = (doc as unknown as { webhooks: Record<string, { post: { parameters: { name: string }[] } }> }).webhooks;
    expect(Object.keys(webhooks).sort()).toEqual([...CHECKOUT_EVENT_TYPES].sort());
    expect(webhooks['checkout.completed']!.post.parameters.map((p) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    for (const type of CHECKOUT_EVENT_TYPES) {
      const refund = type.includes('refund') ? { refund: { id: 're_1', amount: 100, currency: 'USD', status: 'succeeded' as const, reason: null, failureCode: null } } : {};
      const body = JSON.parse(webhookBody(sealCheckoutEvent(sampleEvent(type, { data: refund }), testKeyring()))) as unknown;
      expect(WebhookEvent.strict().safeParse(body).error, type).toBeUndefined();
    }
  });

  it('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('declares every path template parameter', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(operations)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual(names.sort());
      }
    }
  });

  it('declares bearer authentication and requires it on every /v1 operation', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path.startsWith('/v1/')) expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      }
    }
  });

  it('lists the contract routes', () => {
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/checkouts', '/v1/checkouts/{id}', '/v1/checkouts/{id}/cancel', '/v1/checkouts/{id}/review', '/v1/orders/{id}', '/v1/analytics/summary', '/healthz', '/readyz', '/metrics']),
    );
    expect(doc.paths['/v1/checkouts']!.post!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['idempotency-key', 'prefer']));
  });

  it('documents problem responses as application/problem+json', () => {
    const responses = doc.paths['/v1/checkouts']!.post!.responses as Record<string, { content?: Record<string, unknown> }>;
    for (const status of ['400', '401', '413', '415', '422', '429', '500']) {
      expect(Object.keys(responses[status]!.content!), status).toEqual(['application/problem+json']);
    }
  });

  it('lists only paths the app serves', async () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        const concrete = path.replace('{id}', sampleIds[path] ?? 'chk_doesnotexist');
        const res = await t.app.request(concrete, {
          method: method.toUpperCase(),
          headers: { ...auth(KEYS.operator), 'content-type': 'application/json' },
          ...(method === 'post' ? { body: '{}' } : {}),
        });
        const text = await res.text();
        // A 404 is fine when the resource is missing; not when the route itself is unknown.
        expect(text, `${method} ${path}`).not.toContain('No route');
        expect(res.status, `${method} ${path}`).not.toBe(405);
      }
    }
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI whose assets all come from this server', async () => {
    const res = await t.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      const a = await t.app.request(asset);
      expect(a.status, asset).toBe(200);
      expect((await a.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it('points the UI at /openapi.json and turns off the online validator badge', async () => {
    const init = await (await t.app.request('/docs/assets/init.js')).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
    // A key typed into "Authorize" stays in the page's memory, never in localStorage for the next visitor.
    expect(init).toContain('persistAuthorization: false');
  });

  it('does not serve arbitrary files from the assets folder', async () => {
    for (const path of ['/docs/assets/package.json', '/docs/assets/..%2Fpackage.json', '/docs/assets/index.html']) {
      expect((await t.app.request(path)).status, path).toBe(404);
    }
  });
});

describe('GET /problems/{code}', () => {
  it('describes each problem type the API answers with', async () => {
    const res = await t.app.request('/problems/unknown_sku');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: '/problems/unknown_sku', status: 422, title: 'Unknown SKU' });
    expect((await t.app.request('/problems/toString')).status).toBe(404);
  });
});
