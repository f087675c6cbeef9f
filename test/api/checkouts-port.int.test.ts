/**
 * The HTTP API over the real Temporal port: the saga runs on the shared dev server with a real worker, so the
 * port's handling of live queries, closed workflows, REJECT_DUPLICATE restarts and updates is checked for real.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { CheckoutView } from '../../src/contracts/checkout.ts';
import type { RefundView } from '../../src/contracts/refund.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTemporalRefunds } from '../../src/checkouts/temporal-refunds.ts';
import { createTemporalCheckouts } from '../../src/checkouts/temporal-checkouts.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { assertWorldInvariants, fetchEvents } from '../support/invariants.ts';
import { waitFor } from '../support/wait-for.ts';
import { eq } from 'drizzle-orm';
import { ensureKeyPurgeSchedule, KEY_PURGE_SCHEDULE_ID } from '../../src/checkouts/key-purge-schedule.ts';
import { idempotencyKeys } from '../../src/platform/db/schema/index.ts';
import { auth, KEYS, TEST_AUTH, validBody } from './support/test-app.ts';

let stack: CheckoutStack;
/** The API's dependencies on the stack: its Temporal ports, database and test keys. */
const appDeps = () => ({
  checkouts: createTemporalCheckouts({ client: stack.client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db }),
  refunds: createTemporalRefunds({ client: stack.client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db, deadlineMs: stack.config.checkout.refundDeadlineMs }),
  db: stack.database.db,
  webhooks: { keyring: testKeyring(), allowPrivateUrls: true },
  logger: createLogger({ level: 'silent' }),
  registry: new Registry(),
  readiness: { temporal: async () => void (await stack.client.workflowService.getSystemInfo({})), database: () => stack.database.ping() },
  auth: TEST_AUTH,
  api: { rateLimitPerMinute: 10_000, publicUrl: 'http://localhost', ops: null },
  checkout: stack.config.checkout,
});

let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  stack = await startCheckoutStack({ reviewTimeout: '60s' });
  app = createApp(appDeps());
});
afterAll(async () => {
  await stack?.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}, key: string = KEYS.merchant) =>
  app.request(path, { method: 'POST', headers: { ...auth(key), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const get = (path: string) => app.request(path, { headers: auth() });
const checkout = (token: string) => ({ ...validBody(), payment: { token } });

describe('the API on real Temporal', () => {
  it('completes a checkout synchronously, then serves its final state and refuses to cancel it', async () => {
    const res = await post('/v1/checkouts', checkout('tok_visa'), { prefer: 'wait=20', 'idempotency-key': 'int-visa-1' });
    expect(res.status).toBe(200);
    const view = (await res.json()) as CheckoutView;
    expect(view).toMatchObject({ status: 'completed', amount: { total: 3998, currency: 'USD' } });

    // Closed workflow: served from checkout_results.
    const read = await get(`/v1/checkouts/${view.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: view.id, status: 'completed', orderId: view.orderId });

    const order = await get(`/v1/orders/${view.orderId}`);
    expect(order.status).toBe(200);
    expect(await order.json()).toMatchObject({ checkoutId: view.id, status: 'paid', amount: { total: 3998 } });

    const cancel = await post(`/v1/checkouts/${view.id}/cancel`, {});
    expect(cancel.status).toBe(409);
    expect(await cancel.json()).toMatchObject({ code: 'conflict', detail: expect.stringContaining('completed') });

    const review = await post(`/v1/checkouts/${view.id}/review`, { decision: 'approve' }, {}, KEYS.operator);
    expect(review.status).toBe(409);
  });

  it('answers a retry of a finished checkout with the same checkout (REJECT_DUPLICATE is not an error)', async () => {
    const first = await post('/v1/checkouts', checkout('tok_visa'), { prefer: 'wait=20', 'idempotency-key': 'int-visa-2' });
    const view = (await first.json()) as CheckoutView;
    expect(view.status).toBe('completed');

    const asyncRetry = await post('/v1/checkouts', checkout('tok_visa'), { 'idempotency-key': 'int-visa-2' });
    expect(asyncRetry.status).toBe(202);
    expect(await asyncRetry.json()).toMatchObject({ id: view.id, status: 'completed' });

    const syncRetry = await post('/v1/checkouts', checkout('tok_visa'), { prefer: 'wait=5', 'idempotency-key': 'int-visa-2' });
    expect(syncRetry.status).toBe(200);
    expect(await syncRetry.json()).toMatchObject({ id: view.id, status: 'completed' });

    const ledger = await fetch(`${stack.simulators.urls.gateways.primary}/_ledger?checkoutId=${view.id}`).then((r) => r.json());
    expect((ledger as { entries: { kind: string }[] }).entries.filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('holds a checkout for review, answers 202 after the wait, and lets an operator approve it', async () => {
    const res = await post('/v1/checkouts', checkout('tok_riskReview'), { prefer: 'wait=3' });
    expect(res.status).toBe(202);
    const { id, status } = (await res.json()) as { id: string; status: string };
    expect(status).toBe('awaiting_review');

    const live = await get(`/v1/checkouts/${id}`);
    expect(await live.json()).toMatchObject({ id, status: 'awaiting_review' });

    const merchantTry = await post(`/v1/checkouts/${id}/review`, { decision: 'approve' });
    expect(merchantTry.status).toBe(403);

    const approve = await post(`/v1/checkouts/${id}/review`, { decision: 'approve', note: 'called the customer' }, {}, KEYS.operator);
    expect(approve.status).toBe(200);

    const again = await post(`/v1/checkouts/${id}/review`, { decision: 'reject' }, {}, KEYS.operator);
    expect(again.status).toBe(409);

    await expect.poll(async () => ((await (await get(`/v1/checkouts/${id}`)).json()) as CheckoutView).status, { timeout: 20_000 }).toBe('completed');
  });

  it('cancels a checkout waiting for review; the saga compensates and ends cancelled', async () => {
    const res = await post('/v1/checkouts', checkout('tok_riskReview'), { prefer: 'wait=3' });
    const { id } = (await res.json()) as { id: string };
    const cancel = await post(`/v1/checkouts/${id}/cancel`, { reason: 'customer asked' });
    expect(cancel.status).toBe(202);
    await expect.poll(async () => ((await (await get(`/v1/checkouts/${id}`)).json()) as CheckoutView).status, { timeout: 20_000 }).toBe('cancelled');
    const final = (await (await get(`/v1/checkouts/${id}`)).json()) as CheckoutView;
    expect(final.failure).toMatchObject({ code: 'cancelled_by_client' });
  });

  it('lets fifty callers wait on one held checkout without writing to its history, then completes it on approval', async () => {
    const idempotencyKey = `int-wait-${Date.now()}`;
    const res = await post('/v1/checkouts', checkout('tok_riskReview'), { prefer: 'wait=3', 'idempotency-key': idempotencyKey });
    const { id } = (await res.json()) as { id: string };
    const handle = stack.client.workflow.getHandle(`checkout-${id}`);
    const before = (await handle.fetchHistory()).events?.length ?? 0;

    // Fifty retries of the same request, each asking to wait for the outcome.
    const waiters = Array.from({ length: 50 }, () => post('/v1/checkouts', checkout('tok_riskReview'), { prefer: 'wait=20', 'idempotency-key': idempotencyKey }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await handle.fetchHistory()).events?.length ?? 0).toBe(before);

    const approve = await post(`/v1/checkouts/${id}/review`, { decision: 'approve' }, {}, KEYS.operator);
    expect(approve.status).toBe(200);
    const answers = await Promise.all(waiters);
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    for (const answer of answers) expect(await answer.json()).toMatchObject({ id, status: 'completed' });

    const events = (await handle.fetchHistory()).events ?? [];
    const updates = events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    const timers = events.filter((e) => e.timerStartedEventAttributes);
    expect(updates).toHaveLength(1); // the approval; no waiter wrote an update
    expect(timers).toHaveLength(1); // the review timeout; no waiter wrote a timer
  });

  it('answers a repeated cancel or approval with 200 and the checkout as it is; a refusal writes nothing to the history', async () => {
    const held = (await (await post('/v1/checkouts', checkout('tok_riskReview'), { prefer: 'wait=3' })).json()) as { id: string };
    const handle = stack.client.workflow.getHandle(`checkout-${held.id}`);
    // The approval and its repeat, sent together: the repeat reaches the saga as it runs (or, once the outcome
    // is stored, the stored checkout), and is answered as the approval was.
    const approvals = await Promise.all([0, 1].map(() => post(`/v1/checkouts/${held.id}/review`, { decision: 'approve' }, {}, KEYS.operator)));
    expect(approvals.map((a) => a.status)).toEqual([200, 200]);
    await expect.poll(async () => ((await (await get(`/v1/checkouts/${held.id}`)).json()) as CheckoutView).status, { timeout: 20_000 }).toBe('completed');
    await handle.result(); // 'completed' shows in the saga's state a moment before its outcome is stored
    const updatesAtEnd = (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    expect(updatesAtEnd).toBeGreaterThanOrEqual(1);
    const afterEnd = await post(`/v1/checkouts/${held.id}/review`, { decision: 'approve' }, {}, KEYS.operator);
    expect(afterEnd.status).toBe(200);
    expect(await afterEnd.json()).toMatchObject({ id: held.id, status: 'completed', review: { decision: 'approve' } });

    const toCancel = (await (await post('/v1/checkouts', checkout('tok_riskReview'), { prefer: 'wait=3' })).json()) as { id: string };
    const cancelHandle = stack.client.workflow.getHandle(`checkout-${toCancel.id}`);
    expect((await post(`/v1/checkouts/${toCancel.id}/cancel`, { reason: 'customer asked' })).status).toBe(202);
    const repeatedCancel = await post(`/v1/checkouts/${toCancel.id}/cancel`, { reason: 'customer asked' });
    expect(repeatedCancel.status).toBe(200);
    await expect.poll(async () => ((await (await get(`/v1/checkouts/${toCancel.id}`)).json()) as CheckoutView).status, { timeout: 20_000 }).toBe('cancelled');
    expect((await post(`/v1/checkouts/${toCancel.id}/cancel`, {})).status).toBe(200);
    // Another operator's decision on the cancelled checkout is refused, and leaves no trace in its history.
    await cancelHandle.result(); // the outcome is stored a moment before the workflow closes
    const length = (await cancelHandle.fetchHistory()).events?.length;
    expect((await post(`/v1/checkouts/${toCancel.id}/review`, { decision: 'reject' }, {}, KEYS.operator)).status).toBe(409);
    expect((await cancelHandle.fetchHistory()).events?.length).toBe(length);
  });

  it('refuses a conflicting command without writing it to the history', async () => {
    const held = (await (await post('/v1/checkouts', checkout('tok_riskReview'), { prefer: 'wait=3' })).json()) as { id: string };
    const handle = stack.client.workflow.getHandle(`checkout-${held.id}`);
    expect((await post(`/v1/checkouts/${held.id}/review`, { decision: 'approve' }, {}, KEYS.operator)).status).toBe(200);
    const length = (await handle.fetchHistory()).events?.length;
    const other = await post(`/v1/checkouts/${held.id}/review`, { decision: 'reject' }, {}, KEYS.operator);
    expect(other.status).toBe(409);
    // The saga runs from the approval to its outcome in one batch: the decision finds it past review, or done.
    expect(await other.json()).toMatchObject({ detail: expect.stringMatching(/not awaiting review|already completed/) });
    await expect.poll(async () => ((await (await get(`/v1/checkouts/${held.id}`)).json()) as CheckoutView).status, { timeout: 20_000 }).toBe('completed');
    const updates = (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(updates).toHaveLength(1);
    expect(length).toBeGreaterThan(0);
  });

  it('answers 404 for checkouts Temporal never heard of', async () => {
    expect((await get('/v1/checkouts/chk_neverexisted000000')).status).toBe(404);
    expect((await post('/v1/checkouts/chk_neverexisted000000/cancel', {})).status).toBe(404);
    expect((await post('/v1/checkouts/chk_neverexisted000000/review', { decision: 'approve' }, {}, KEYS.operator)).status).toBe(404);
  });

  it('refunds a completed checkout in parts through its own workflows: once per request at the gateway, announced, and never past the capture', async () => {
    const view = (await (await post('/v1/checkouts', checkout('tok_refundAnswerLost'), { prefer: 'wait=20' })).json()) as CheckoutView;
    expect(view.status).toBe('completed');

    const first = await post(`/v1/checkouts/${view.id}/refunds`, { amount: 1000, reason: 'requested_by_customer' }, { 'idempotency-key': `int-refund-${view.id}` });
    expect(first.status).toBe(201);
    const refund = (await first.json()) as RefundView;
    // The gateway loses its first three answers: the workflow's retries recover the refund with its key.
    const settled = await waitFor(async () => {
      const read = (await (await get(`/v1/refunds/${refund.id}`)).json()) as RefundView;
      return read.status === 'pending' ? null : read;
    }, { timeoutMs: 30_000, what: 'the refund to settle' });
    expect(settled).toMatchObject({ status: 'succeeded', amount: 1000, gatewayRefundId: expect.stringMatching(/^re_/) });

    const again = await post(`/v1/checkouts/${view.id}/refunds`, { amount: 1000, reason: 'requested_by_customer' }, { 'idempotency-key': `int-refund-${view.id}` });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: refund.id, status: 'succeeded' });

    const over = await post(`/v1/checkouts/${view.id}/refunds`, { amount: 3000 });
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ code: 'amount_exceeds_refundable', detail: expect.stringContaining('USD 29.98 is left') });

    const rest = (await (await post(`/v1/checkouts/${view.id}/refunds`, {})).json()) as RefundView;
    expect(rest.amount).toBe(2998);
    await waitFor(async () => ((await (await get(`/v1/refunds/${rest.id}`)).json()) as RefundView).status === 'succeeded' || null, { timeoutMs: 30_000, what: 'the second refund' });

    const ledger = (await fetch(`${stack.simulators.urls.gateways.primary}/_ledger?checkoutId=${view.id}`).then((r) => r.json())) as { entries: { kind: string; amount: number; idempotencyKey: string }[] };
    const refunds = ledger.entries.filter((e) => e.kind === 'refund');
    expect(refunds.map((e) => [e.idempotencyKey, e.amount])).toEqual([
      [refund.id, 1000],
      [rest.id, 2998],
    ]);
    const events = (await fetchEvents(stack)).filter((e) => e.checkoutId === view.id);
    expect(events.map((e) => [e.type, e.data.refund?.amount ?? null])).toEqual([
      ['checkout.completed', null],
      ['checkout.refunded', 1000],
      ['checkout.refunded', 2998],
    ]);
    // The refund's event reaches the customer the checkout's outcome reached.
    expect(events[1]!.data.customer.email).toBe(validBody().customer.email);
    const listed = (await (await get(`/v1/checkouts/${view.id}/refunds`)).json()) as { data: RefundView[] };
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, refund.id]);
    await assertWorldInvariants(stack, [view.id]);
  });

  it('escalates a refund the gateway never confirms before its deadline, and keeps its amount held', async () => {
    const view = (await (await post('/v1/checkouts', checkout('tok_refundsUnavailable'), { prefer: 'wait=20' })).json()) as CheckoutView;
    const shortDeadline = createApp({
      ...appDeps(),
      refunds: createTemporalRefunds({ client: stack.client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db, deadlineMs: 3_000 }),
    });
    const res = await shortDeadline.request(`/v1/checkouts/${view.id}/refunds`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ amount: 500 }) });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as RefundView;
    const settled = await waitFor(async () => {
      const read = (await (await get(`/v1/refunds/${id}`)).json()) as RefundView;
      return read.status === 'pending' ? null : read;
    }, { timeoutMs: 30_000, what: 'the refund to settle' });
    expect(settled).toMatchObject({ status: 'escalated', failure: { code: 'refund_escalated' } });
    const escalated = (await (await get('/v1/refunds?status=escalated')).json()) as { data: RefundView[] };
    expect(escalated.data.map((r) => r.id)).toContain(id);
    // Held: only what is not escalated is left to refund.
    const over = await post(`/v1/checkouts/${view.id}/refunds`, { amount: 3998 }, { 'idempotency-key': `int-over-${view.id}` });
    expect(await over.json()).toMatchObject({ code: 'amount_exceeds_refundable', detail: expect.stringContaining('USD 34.98 is left') });
    // The refused refund's workflow has closed: a retry with its key is refused again, from the records.
    const overAgain = await post(`/v1/checkouts/${view.id}/refunds`, { amount: 3998 }, { 'idempotency-key': `int-over-${view.id}` });
    expect(overAgain.status).toBe(422);
    expect(await overAgain.json()).toMatchObject({ code: 'amount_exceeds_refundable', detail: expect.stringContaining('USD 34.98 is left') });
    const events = (await fetchEvents(stack)).filter((e) => e.checkoutId === view.id).map((e) => e.type);
    expect(events).toEqual(['checkout.completed', 'checkout.refund_failed']);
  });

  it('purges expired Idempotency-Keys by a Temporal Schedule, created once however many API processes start', async () => {
    const { client } = stack;
    const taskQueue = stack.config.temporal.taskQueue;
    await client.schedule.getHandle(KEY_PURGE_SCHEDULE_ID).delete().catch(() => undefined);
    expect(await ensureKeyPurgeSchedule(client, taskQueue)).toBe(true);
    expect(await ensureKeyPurgeSchedule(client, taskQueue)).toBe(false);
    const schedule = await client.schedule.getHandle(KEY_PURGE_SCHEDULE_ID).describe();
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.spec.intervals?.[0]?.every).toBe(3_600_000);

    const now = new Date();
    const key = (name: string, expiresAt: Date) => ({ merchantId: 'mer_purge', key: name, requestHash: 'h', objectId: `chk_${name}`, createdAt: now, expiresAt });
    await stack.database.db.insert(idempotencyKeys).values([key('expired', new Date(now.getTime() - 1_000)), key('live', new Date(now.getTime() + 3_600_000))]);
    await client.schedule.getHandle(KEY_PURGE_SCHEDULE_ID).trigger();
    const left = await waitFor(async () => {
      const rows = await stack.database.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.merchantId, 'mer_purge'));
      return rows.length === 1 ? rows : null;
    }, { what: 'the scheduled purge', timeoutMs: 30_000 });
    expect(left).toEqual([{ key: 'live' }]);
  });

  it('is ready when Temporal and the database answer', async () => {
    const res = await app.request('/readyz');
    expect(res.status).toBe(200);
  });
});
