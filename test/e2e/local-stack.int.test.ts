/**
 * The local stack as `npm start` runs it, in its own process: every real part starts, a checkout goes
 * through all of them, Ctrl-C (SIGTERM) leaves nothing running, and a restart keeps earlier checkouts —
 * including one that was still waiting when the stack stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackDescription } from '../../src/local-stack/stack.ts';
import { checkoutRequest } from '../support/checkout-stack.ts';
import { privateStackEnv, spawnStack, waitForStack, type StackProcess } from '../../harness/service-process.ts';
import { waitFor } from '../support/wait-for.ts';
import { Webhook } from 'standardwebhooks';
import { createCheckoutClient } from '../../src/client/index.ts';
import { startReceiver } from '../support/webhook-receiver.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'durable-checkout-stack-'));
let env: Record<string, string>;
let proc: StackProcess;
let stack: StackDescription;
let completedId: string;
let heldId: string;

const merchant = { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json' };
const operator = { authorization: 'Bearer dev_operator_key', 'content-type': 'application/json' };

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

beforeAll(async () => {
  // Webhook retries within the test's patience: the receiver below is down for its first five requests.
  env = { ...(await privateStackEnv(dataDir)), WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms,200ms' };
  proc = spawnStack(env);
  stack = await waitForStack(proc, dataDir);
});

afterAll(async () => {
  if (proc && proc.child.exitCode === null) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start: the local stack', () => {
  it('describes itself in .data/stack.json and reports Temporal, NATS and the database ready', async () => {
    expect(stack).toMatchObject({ namespace: 'default', taskQueue: 'checkout', keys: { merchant: 'dev_merchant_key', operator: 'dev_operator_key' } });
    expect(stack.database).toMatch(/^pglite:/);
    const ready = await fetch(`${stack.api}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { temporal: 'up', nats: 'up', database: 'up' } });
    expect((await fetch(stack.temporalUi)).status).toBe(200);
  });

  it('completes a tok_visa checkout synchronously through Temporal, the gateway, JetStream and both consumers', async () => {
    const response = await fetch(`${stack.api}/v1/checkouts`, {
      method: 'POST',
      headers: { ...merchant, prefer: 'wait=30' },
      body: JSON.stringify(checkoutRequest({ token: 'tok_visa' })),
    });
    expect(response.status).toBe(200);
    const checkout = (await response.json()) as { id: string; status: string; payment: { captureId: string } };
    expect(checkout.status).toBe('completed');
    completedId = checkout.id;

    const ledger = (await (await fetch(`${stack.simulators.gateways.primary}/_ledger?checkoutId=${checkout.id}`)).json()) as { entries: { kind: string }[] };
    expect(ledger.entries.map((e) => e.kind).sort()).toEqual(['authorization', 'capture']);

    const nc = await connect({ servers: stack.nats });
    try {
      const jsm = await nc.jetstreamManager();
      const stream = await jsm.streams.info('CHECKOUT_EVENTS');
      expect(stream.state.messages).toBe(1);
      for (const consumer of ['email', 'analytics']) {
        await waitFor(async () => (await jsm.consumers.info('CHECKOUT_EVENTS', consumer)).ack_floor.stream_seq >= 1, { what: `the ${consumer} consumer's ack` });
      }
    } finally {
      await nc.close();
    }
    const mail = await waitFor(async () => {
      const { messages } = (await (await fetch(`${stack.mailbox}/messages`)).json()) as { messages: { subject: string; messageId: string }[] };
      return messages.find((m) => m.messageId.includes(checkout.id));
    }, { what: 'the confirmation email' });
    expect(mail.subject).toMatch(/confirmed/i);
  });

  it('tells a customer who asked for SMS by SMS, through the secondary provider when the primary is down', async () => {
    const customer = { id: 'cus_sms', email: 'sms-first@example.com', phone: '+15005550002', notify: ['sms', 'email'] };
    const response = await fetch(`${stack.api}/v1/checkouts`, {
      method: 'POST',
      headers: { ...merchant, prefer: 'wait=30' },
      body: JSON.stringify({ ...checkoutRequest({ token: 'tok_visa' }), customer }),
    });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    const delivered = await waitFor(async () => {
      const { notifications } = (await (await fetch(`${stack.api}/v1/checkouts/${id}/notifications`, { headers: merchant })).json()) as {
        notifications: { channel: string; provider: string | null; status: string }[];
      };
      return notifications.find((n) => n.status === 'delivered');
    }, { what: 'the SMS delivered' });
    expect(delivered).toMatchObject({ channel: 'sms', provider: 'secondary' });
    const { messages } = (await (await fetch(`${stack.mailbox}/messages`)).json()) as { messages: { to: string[] }[] };
    expect(messages.filter((m) => m.to.includes(customer.email))).toEqual([]);
  });

  it("serves a merchant's integration through the typed client: metadata, the list, a partial refund once per key, signed webhooks through an outage", async () => {
    const api = createCheckoutClient(stack.api, 'dev_merchant_key');
    const receiver = await startReceiver({ failFirst: 5 });
    try {
      const endpoint = await api.POST('/v1/webhook_endpoints', { body: { url: receiver.url, enabledEvents: ['*'] } });
      expect(endpoint.response.status).toBe(201);
      const secret = endpoint.data!.secret;

      const reference = `order-${Date.now()}`;
      const created = await api.POST('/v1/checkouts', {
        body: checkoutRequest({ token: 'tok_visa', metadata: { order: reference, channel: 'web' }, clientReferenceId: reference }),
        params: { header: { prefer: 'wait=30' } },
      });
      const checkout = created.data as { id: string; status: string };
      expect(checkout.status).toBe('completed');

      const listed = await api.GET('/v1/checkouts', { params: { query: { client_reference_id: reference, status: 'completed' } } });
      expect(listed.data!.data.map((c) => [c.id, c.metadata])).toEqual([[checkout.id, { order: reference, channel: 'web' }]]);

      const key = `refund-${reference}`;
      const refund = await api.POST('/v1/checkouts/{id}/refunds', { params: { path: { id: checkout.id }, header: { 'idempotency-key': key } }, body: { amount: 1000, reason: 'requested_by_customer' } });
      expect(refund.response.status).toBe(201);
      const refundId = refund.data!.id;
      await waitFor(async () => (await api.GET('/v1/refunds/{id}', { params: { path: { id: refundId } } })).data?.status === 'succeeded', { what: 'the refund to succeed' });
      const again = await api.POST('/v1/checkouts/{id}/refunds', { params: { path: { id: checkout.id }, header: { 'idempotency-key': key } }, body: { amount: 1000, reason: 'requested_by_customer' } });
      expect(again.response.status).toBe(200);
      expect(again.data).toMatchObject({ id: refundId, status: 'succeeded' });

      // One gateway refund for the one refund request, under its id.
      const ledger = (await (await fetch(`${stack.simulators.gateways.primary}/_ledger?checkoutId=${checkout.id}`)).json()) as { entries: { kind: string; amount: number; idempotencyKey: string }[] };
      expect(ledger.entries.filter((e) => e.kind === 'refund').map((e) => [e.idempotencyKey, e.amount])).toEqual([[refundId, 1000]]);

      // The completion and the refund, each accepted once after five failed attempts, each under one webhook-id, signed.
      const accepted = await waitFor(() => (receiver.accepted().length >= 2 ? receiver.accepted() : null), { what: 'both webhooks accepted', timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
      expect(receiver.accepted()).toHaveLength(2);
      expect(receiver.requests.filter((r) => r.status === 500)).toHaveLength(5);
      expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(2);
      const events = accepted.map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: { checkoutId: string; metadata: object; refund?: { id: string } } });
      expect(events.map((e) => e.type).sort()).toEqual(['checkout.completed', 'checkout.refunded']);
      expect(events.every((e) => e.data.checkoutId === checkout.id)).toBe(true);
      expect(events.find((e) => e.type === 'checkout.refunded')!.data.refund?.id).toBe(refundId);
      expect(events[0]!.data.metadata).toEqual({ order: reference, channel: 'web' });

      const log = await api.GET('/v1/webhook_endpoints/{id}/deliveries', { params: { path: { id: endpoint.data!.id } } });
      expect(log.data!.data.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    } finally {
      await receiver.stop();
    }
  });

  it('stops every process it started on SIGTERM', async () => {
    const held = await fetch(`${stack.api}/v1/checkouts`, { method: 'POST', headers: merchant, body: JSON.stringify(checkoutRequest({ token: 'tok_riskReview', customer: { id: 'cus_held', email: 'held@example.com' } })) });
    expect(held.status).toBe(202);
    heldId = ((await held.json()) as { id: string }).id;
    await waitFor(async () => {
      const view = (await (await fetch(`${stack.api}/v1/checkouts/${heldId}`, { headers: merchant })).json()) as { status: string };
      return view.status === 'awaiting_review';
    }, { what: 'the review hold' });

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    for (const port of [env.API_PORT, env.TEMPORAL_PORT, env.TEMPORAL_UI_PORT, env.NATS_PORT, env.MAILBOX_PORT]) {
      expect(await listening(Number(port)), `port ${port} still open`).toBe(false);
    }
  });

  it('keeps earlier checkouts after a restart, and finishes the one that was waiting', async () => {
    proc = spawnStack(env);
    stack = await waitForStack(proc, dataDir);

    const earlier = await fetch(`${stack.api}/v1/checkouts/${completedId}`, { headers: merchant });
    expect(earlier.status).toBe(200);
    expect(await earlier.json()).toMatchObject({ id: completedId, status: 'completed' });

    const review = await fetch(`${stack.api}/v1/checkouts/${heldId}/review`, { method: 'POST', headers: operator, body: JSON.stringify({ decision: 'approve' }) });
    expect(review.status).toBe(200);
    const finished = await waitFor(async () => {
      const view = (await (await fetch(`${stack.api}/v1/checkouts/${heldId}`, { headers: merchant })).json()) as { status: string };
      return view.status === 'completed' ? view : undefined;
    }, { what: 'the approved checkout to complete' });
    expect(finished.status).toBe('completed');
  });
});
