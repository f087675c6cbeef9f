/**
 * Workers killed (SIGKILL) after a batch of local steps acted in the world and before their workflow task
 * reached Temporal: nothing of the batch is in the history, and the retried task — on a new worker, maybe
 * with a command that arrived meanwhile — must leave the world whole. Through the real dev server, worker
 * processes, simulators and the stream; a proxy in front of the primary gateway holds chosen answers, and
 * one between a worker and Temporal holds its task completions.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { reviewCheckoutUpdate, type CommandOutcome } from '../../src/contracts/workflow.ts';
import { startCheckoutStack, type CheckoutStack, type CheckoutOverrides } from '../support/checkout-stack.ts';
import { startSmtpSink, type SmtpSink } from '../../src/notifications/smtp-sink.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startEmailSubscriber } from '../../src/notifications/email-subscriber.ts';
import { assertWorldInvariants, fetchEvents } from '../support/invariants.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';
import { admitted, cancelBeforeTheRetry, CRASH_TASK_TIMEOUT } from './support/crash.ts';
import { isAuthorization, isCapture, isRefund, startGatewayProxy, type GatewayProxy } from './support/gateway-proxy.ts';
import { createTemporalRefunds } from '../../src/checkouts/temporal-refunds.ts';
import { refundWorkflowId, type RefundView } from '../../src/contracts/refund.ts';
import { newId } from '../../src/platform/ids.ts';
import { tellsCustomer } from '../../src/notifications/email-templates.ts';
import { eventTypesOf, ledgerOf, newCustomer, NOTHING, orderOf, reservationsOf, statusReached, stockOf } from './support/world.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { contactOpener } from '../../src/platform/nats/event-contact.ts';

let stack: CheckoutStack;
let gateway: GatewayProxy;
let fraud: GatewayProxy;
let sink: SmtpSink;
let email: { stop(): Promise<void> };
const workers: WorkerProcess[] = [];
const links: TcpProxy[] = [];

beforeAll(async () => {
  [gateway, fraud, sink] = await Promise.all([startGatewayProxy(), startGatewayProxy(), startSmtpSink({ smtpPort: 0, mailboxPort: 0 })]);
  stack = await startCheckoutStack({ worker: false, reviewTimeout: '4s', env: { PRIMARY_GATEWAY_URL: gateway.url, FRAUD_URL: fraud.url } });
  gateway.target = stack.simulators.urls.gateways.primary;
  fraud.target = stack.simulators.urls.fraud;
  email = await startEmailSubscriber({ nc: stack.nc, names: stack.names, db: stack.database.db, smtpUrl: sink.smtpUrl, from: 'orders@checkout.example', contacts: contactOpener(testKeyring()), logger: createLogger({ level: 'silent' }) });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill()));
  await Promise.all(links.splice(0).map((l) => l.close()));
  await assertWorldInvariants(stack);
  await assertOneEmailPerEvent();
});
afterAll(async () => {
  await email?.stop();
  await stack?.stop();
  await Promise.all([gateway?.close(), fraud?.close(), sink?.close()]);
});

/** Every event on the stream that tells its customer mailed once: the email subscriber's share of the world (one customer per checkout). */
async function assertOneEmailPerEvent(): Promise<void> {
  const events = (await fetchEvents(stack)).filter(tellsCustomer);
  const mailsTo = (address: string) => sink.messages().filter((m) => m.to.includes(address)).length;
  const eventsTo = (address: string) => events.filter((e) => e.data.customer.email === address).length;
  await waitFor(() => events.every((e) => mailsTo(e.data.customer.email) >= eventsTo(e.data.customer.email)), { what: 'an email for every event' });
  await new Promise((resolve) => setTimeout(resolve, 200)); // room for a second one, were one on its way
  const emailed = [...new Set(events.map((e) => e.data.customer.email))];
  expect(emailed.filter((a) => mailsTo(a) !== eventsTo(a)).map((a) => `${a}: ${mailsTo(a)} emails for ${eventsTo(a)} events`)).toEqual([]);
}

/** A worker process; with `held`, its link to Temporal goes through a proxy that can hold its task completions. */
async function startWorker({ held = false } = {}): Promise<{ worker: WorkerProcess; link: TcpProxy | null }> {
  const link = held ? await startTcpProxy(stack.infra.temporalAddress) : null;
  if (link) links.push(link);
  const worker = await startWorkerProcess(stack, { temporalAddress: link?.address });
  workers.push(worker);
  return { worker, link };
}

/** Starts a checkout whose workflow tasks time out soon, so a dead worker's task is retried soon. */
const start = (overrides: CheckoutOverrides) => stack.start({ customer: newCustomer(), ...overrides }, { workflowTaskTimeout: CRASH_TASK_TIMEOUT });

/** Sends a command without waiting for its answer; the answer, or the error, when it comes. */
const send = <T>(call: Promise<T>): Promise<T | Error> => call.catch((error: unknown) => error as Error);

/** An answer the saga gave: its CommandOutcome, or the reason of an update its validator refused. */
const refusalOf = (answer: CommandOutcome | Error): string | null =>
  answer instanceof WorkflowUpdateFailedError ? (answer.cause?.message ?? answer.message) : answer instanceof Error ? `error: ${answer.message}` : answer.accepted ? null : answer.reason;

/** The saga should finish soon; the commands it answered are settled by then. */
const outcome = async (handle: WorkflowHandle) => (await handle.result()) as CheckoutView;


/** After the worker died: a cancel sent before the retried task runs, a new worker, and what both came to. */
async function cancelThenRetry(handle: WorkflowHandle) {
  const { answer } = await cancelBeforeTheRetry(handle, () => startWorker());
  const result = await outcome(handle);
  return { result, refusal: refusalOf(await send(answer)) };
}

/**
 * A worker that runs the batch after the authorization — capture, paid order, committed stock — while its
 * link to Temporal holds the task's completion, so Temporal hears none of it. Resolves once the order is paid
 * and a moment has passed for anything else the batch might do.
 */
async function paidBatchUnheard() {
  const { worker, link } = await startWorker({ held: true });
  const capture = gateway.holdRequests(isCapture);
  const { checkoutId, handle } = await start({ token: 'tok_visa' });
  await capture.arrived;
  link!.hold('toServer');
  capture.release();
  await waitFor(async () => (await orderOf(stack, checkoutId))?.status === 'paid', { what: 'the paid order' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { worker, checkoutId, handle };
}

/** The checkout completed once, whatever its dead worker did: one capture, one completed event; the cancel refused. */
async function completedOnceCancelRefused(checkoutId: string, { result, refusal }: Awaited<ReturnType<typeof cancelThenRetry>>) {
  expect(result).toMatchObject({ status: 'completed', failure: null });
  expect(refusal).toMatch(/capture|no longer be cancelled/);
  expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
  expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'paid' });
  expect(await reservationsOf(stack, checkoutId)).toEqual(['committed']);
  expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.completed']);
}

describe('a worker killed after the gateway captured, before its task completed', () => {
  it('with a cancel sent before the retried task runs: the checkout completes once and the cancel is refused', async () => {
    const { worker } = await startWorker();
    const capture = gateway.withholdAnswers(isCapture, 1);
    const { checkoutId, handle } = await start({ token: 'tok_visa' });
    await capture.arrived;
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    await worker.kill();
    await completedOnceCancelRefused(checkoutId, await cancelThenRetry(handle));
    capture.release();
  });

  it('with no command: the retried task captures nothing more and the checkout completes once', async () => {
    const { worker } = await startWorker();
    const capture = gateway.withholdAnswers(isCapture, 1);
    const { checkoutId, handle } = await start({ token: 'tok_visa' });
    await capture.arrived;
    await worker.kill();
    await startWorker();
    const result = await outcome(handle);

    expect(result).toMatchObject({ status: 'completed', payment: { captureId: (await ledgerOf(stack, checkoutId)).entries.primary.find((e) => e.kind === 'capture')?.id } });
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.completed']);
    capture.release();
  });
});

describe('a worker killed after its batch made the order paid, before its task completed', () => {
  it('has announced nothing; with a cancel sent before the retried task runs: one completed event, the cancel refused', async () => {
    const { worker, checkoutId, handle } = await paidBatchUnheard();
    // The announcement of the outcome waits for the history, so the batch did not make it.
    expect(await eventTypesOf(stack, checkoutId)).toEqual([]);
    await worker.kill();
    await completedOnceCancelRefused(checkoutId, await cancelThenRetry(handle));
  });
});

describe('a worker killed after its batch made the order paid, whose retried task gets another answer', () => {
  it('announces only the outcome the history records: one event, and the money, order and stock undone for it', async () => {
    // The dead worker's batch has captured, marked the order paid and committed stock; Temporal has none
    // of it. (Before the announcement waited for the history, this batch published `checkout.completed`.)
    const { worker, checkoutId, handle } = await paidBatchUnheard();
    await worker.kill();
    // The retried task asks the gateway again, and this time the capture is refused.
    gateway.answer((r) => isCapture(r) && r.idempotencyKey === `${checkoutId}:capture`, { status: 402, body: { error: { code: 'capture_refused', message: 'refused on the retry' } } }, 1);
    await startWorker();
    const result = await outcome(handle);

    expect(result).toMatchObject({ status: 'failed', failure: { code: 'capture_failed' } });
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.failed']);
    // Undone in the world: the capture refunded, the paid order cancelled, the committed stock released.
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1, refund: 1 });
    expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'cancelled' });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
  });
});

describe('a worker killed after its batch was authorized, whose retried task finds the gateway refusing', () => {
  it('asks the same gateway again instead of failing over: the authorization it never heard of is the one captured', async () => {
    // The dead worker's batch recorded its attempt, was authorized and captured; Temporal has none of it.
    const { worker, checkoutId, handle } = await paidBatchUnheard();
    await worker.kill();
    // The retried attempt is refused by the primary for its own reasons (a key rotated meanwhile, say),
    // which alone would send the saga to the secondary gateway.
    gateway.answer((r) => isAuthorization(r) && r.idempotencyKey === `${checkoutId}:authorize`, { status: 403, body: { error: { code: 'account_inactive', message: 'inactive' } } }, 1);
    await startWorker();
    const result = await outcome(handle);

    expect(result).toMatchObject({ status: 'completed', payment: { gateway: 'primary' } });
    const ledger = await ledgerOf(stack, checkoutId);
    expect(ledger.primary).toEqual({ ...NOTHING, authorization: 1, capture: 1 });
    expect(ledger.secondary).toEqual(NOTHING);
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.completed']);
  });
});

describe('a worker killed after its batch made the order paid, whose retried task finds the fraud service down', () => {
  it('stops earlier than its dead attempt went, and its undo steps, registered up front, undo what that attempt did', async () => {
    const { worker, checkoutId, handle } = await paidBatchUnheard();
    await worker.kill();
    // The retried task cannot score: the checkout goes to review, which times out — a path that never asks
    // for money, while the dead attempt was paid.
    fraud.answer((r) => r.path === '/v1/scores', { status: 503, body: { error: { code: 'unavailable', message: 'down' } } }, 3);
    await startWorker();
    const result = await outcome(handle);

    expect(result).toMatchObject({ status: 'declined', failure: { code: 'review_timeout' }, payment: { gateway: 'primary', refundId: expect.any(String) } });
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.declined']);
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1, refund: 1 });
    expect(await orderOf(stack, checkoutId)).toMatchObject({ status: 'cancelled' });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['released']);
  });
});

describe('a worker killed after it released stock for review, before its task completed', () => {
  it('with the fraud service back for the retried task: the stock the checkout pays for is taken again', async () => {
    const stockBefore = await stockOf(stack, 'SKU-TEE');
    const { worker, link } = await startWorker({ held: true });
    // Every attempt of the dead worker's fraud scoring is answered 503: the checkout goes to review.
    fraud.answer((r) => r.path === '/v1/scores', { status: 503, body: { error: { code: 'unavailable', message: 'down' } } }, 3);
    const { checkoutId, handle } = await start({ token: 'tok_visa', items: [{ sku: 'SKU-TEE', quantity: 2 }] });
    await waitFor(async () => (await reservationsOf(stack, checkoutId)).length > 0, { what: 'the reservation', intervalMs: 5 });
    link!.hold('toServer');
    await waitFor(async () => (await reservationsOf(stack, checkoutId)).includes('released'), { what: 'the release for review' });
    await worker.kill();
    await startWorker();
    const result = await outcome(handle);

    expect(result).toMatchObject({ status: 'completed', fraud: { decision: 'approve' } });
    expect(await reservationsOf(stack, checkoutId)).toEqual(['committed']);
    expect(await stockOf(stack, 'SKU-TEE')).toBe(stockBefore - 2);
  });
});

describe('a worker killed while the gateway refunds, before it heard the answer', () => {
  it("is replaced by one that asks again with the refund's key: the gateway refunds once, and the refund is announced once", async () => {
    const { worker } = await startWorker();
    const { checkoutId, handle } = await start({ token: 'tok_visa' });
    const checkout = await outcome(handle);
    const refunding = gateway.holdRequests(isRefund);
    const refundId = newId('re');
    const refunds = createTemporalRefunds({ client: stack.client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db, deadlineMs: 120_000 });
    const admitted = await refunds.request({ refundId, checkoutId, merchantId: checkout.merchantId, amount: 1_500, reason: null, requestedAt: new Date().toISOString() });
    expect(admitted).toMatchObject({ kind: 'admitted', refund: { status: 'pending' } });
    await refunding.arrived;
    await worker.kill();
    refunding.release(); // the gateway refunds; its answer has no one to go to
    await waitFor(async () => (await ledgerOf(stack, checkoutId)).primary.refund === 1, { what: 'the refund at the gateway' });
    await startWorker();

    const refund = (await stack.client.workflow.getHandle(refundWorkflowId(refundId)).result()) as RefundView;
    expect(refund).toMatchObject({ status: 'succeeded', amount: 1_500 });
    expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1, capture: 1, refund: 1 });
    expect(await eventTypesOf(stack, checkoutId)).toEqual(['checkout.completed', 'checkout.refunded']);
  });
});

describe('an approval that reaches the saga with its review timer', () => {
  it('is refused: past the review deadline the timeout stands, whatever order the worker sees them in', async () => {
    const { worker } = await startWorker();
    const { handle } = await start({ token: 'tok_riskReview' });
    await statusReached(handle, 'awaiting_review');
    await worker.stop();
    // The timer fires while no worker runs; the approval then lands in the same task as the timer.
    await waitFor(async () => (await handle.fetchHistory()).events?.some((e) => e.timerFiredEventAttributes), { what: 'the review timer', timeoutMs: 30_000 });
    const answer = send(handle.executeUpdate(reviewCheckoutUpdate, { args: [{ decision: 'approve', operator: 'opr_test' }] }));
    await admitted();
    await startWorker();
    const result = await outcome(handle);

    expect(refusalOf(await answer)).toMatch(/review window closed/);
    expect(result).toMatchObject({ status: 'declined', failure: { code: 'review_timeout' }, review: { decision: 'timeout' } });
  });
});
