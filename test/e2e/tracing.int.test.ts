/**
 * One trace per checkout, end to end: a checkout sent through the HTTP API, held for review while its worker
 * is replaced, approved, paid, published on JetStream and handled by the email and analytics subscribers is
 * one trace in an in-memory exporter — the API span at its root, the workflow, every activity and HTTP call,
 * the publish and both subscribers' spans beneath it — and the Web UI details and the customer's email carry its id.
 */
import { Client } from '@temporalio/client';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { type CheckoutView } from '../../src/contracts/checkout.ts';
import { checkoutWorkflowId } from '../../src/contracts/workflow.ts';
import { startSmtpSink, type SmtpSink } from '../../src/notifications/smtp-sink.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startAnalyticsSubscriber } from '../../src/analytics/subscriber.ts';
import { startEmailSubscriber } from '../../src/notifications/email-subscriber.ts';
import { startTracing, type Tracing } from '../../src/platform/telemetry/tracing.ts';
import { createTemporalRefunds } from '../../src/checkouts/temporal-refunds.ts';
import { createTemporalCheckouts } from '../../src/checkouts/temporal-checkouts.ts';
import { auth, KEYS, TEST_AUTH, validBody } from '../api/support/test-app.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { waitFor } from '../support/wait-for.ts';
import { testKeyring } from '../../harness/payload-keys.ts';
import { contactOpener } from '../../src/platform/nats/event-contact.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: CheckoutStack;
let sink: SmtpSink;
let app: ReturnType<typeof createApp>;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  tracing = startTracing({ tracesEndpoint: null, serviceName: 'durable-checkout-test' }, 'test', { spanProcessor: new SimpleSpanProcessor(exporter) });
  stack = await startCheckoutStack({ tracing, reviewTimeout: '60s' });
  sink = await startSmtpSink({ host: '127.0.0.1', smtpPort: 0, mailboxPort: 0 });
  const logger = createLogger({ level: 'silent' });
  const { nc, names, database } = stack;
  const email = await startEmailSubscriber({ nc, names, db: database.db, smtpUrl: sink.smtpUrl, from: 'Shop <orders@shop.example>', contacts: contactOpener(testKeyring()), logger });
  const analytics = await startAnalyticsSubscriber({ nc, names, db: database.db, logger });
  stops.push(email.stop, analytics.stop);
  app = appOn(stack.client, true);
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await stack?.stop();
  await sink?.close();
  await tracing?.shutdown();
});

/** The API on a Temporal client, with its request spans on or off. */
const appOn = (client: Client, tracing: boolean) =>
  createApp({
    checkouts: createTemporalCheckouts({ client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db }),
    refunds: createTemporalRefunds({ client, taskQueue: stack.config.temporal.taskQueue, db: stack.database.db, deadlineMs: stack.config.checkout.refundDeadlineMs }),
    db: stack.database.db,
    webhooks: { keyring: testKeyring(), allowPrivateUrls: true },
    logger: createLogger({ level: 'silent' }),
    registry: new Registry(),
    readiness: { database: () => stack.database.ping() },
    auth: TEST_AUTH,
    api: { rateLimitPerMinute: 10_000, publicUrl: 'http://localhost', ops: null },
    checkout: stack.config.checkout,
    tracing,
  });

const post = (path: string, body: unknown, key: string = KEYS.merchant, through = app) =>
  through.request(path, { method: 'POST', headers: { ...auth(key), 'content-type': 'application/json' }, body: JSON.stringify(body) });

const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

describe('tracing a checkout', () => {
  it('is one trace from the API request through the workflow, a worker restart, the gateways, JetStream and both subscribers', async () => {
    const started = await post('/v1/checkouts', { ...validBody(), payment: { token: 'tok_riskReview' } });
    expect(started.status).toBe(202);
    const traceparent = started.headers.get('traceparent');
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent!.split('-')[1]!;
    const { id } = (await started.json()) as CheckoutView;
    const handle = stack.client.workflow.getHandle(checkoutWorkflowId(id));
    await waitFor(async () => ((await handle.query('getCheckout')) as CheckoutView).status === 'awaiting_review', { what: 'the review hold' });

    // The worker that began the checkout goes away; another one replays it and carries on.
    await stack.worker.stop();
    const replacement = await stack.startWorker();
    stops.unshift(replacement.stop);

    const approved = await post(`/v1/checkouts/${id}/review`, { decision: 'approve' }, KEYS.operator);
    expect(approved.status).toBe(200);
    expect(((await handle.result()) as CheckoutView).status).toBe('completed');
    await waitFor(() => named(spansOf(traceId), 'process email').length > 0 && named(spansOf(traceId), 'process analytics').length > 0, { what: "both subscribers' spans" });

    const spans = spansOf(traceId);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    // One root, the API request; every other span's parent is in the same trace.
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots.map((s) => s.name)).toEqual(['POST /v1/checkouts']);
    expect(spans.filter((s) => s.parentSpanId && !byId.has(s.parentSpanId)).map((s) => s.name)).toEqual([]);

    const names = new Set(spans.map((s) => s.name));
    for (const name of ['StartWorkflow:checkoutWorkflow', 'RunWorkflow:checkoutWorkflow', 'POST /v1/scores', 'POST /v1/authorizations', 'POST /v1/authorizations/{id}/capture']) {
      expect(names, name).toContain(name);
    }
    // Every activity the saga ran, before the restart (stock held, scored, released for review) and after it.
    const activities = spans.filter((s) => s.name.startsWith('RunActivity:')).map((s) => s.name.slice('RunActivity:'.length));
    expect(activities.sort()).toEqual(
      ['reserveInventory', 'scoreFraud', 'releaseInventory', 'reserveInventory', 'authorizePayment', 'createOrder', 'capturePayment', 'completePaidOrder', 'announceOutcome'].sort(),
    );

    // Across the NATS boundary: each subscriber's span is a child of the publish span.
    const [publish] = spans.filter((s) => s.name.startsWith('publish '));
    expect(publish).toBeDefined();
    expect(byId.get(publish!.parentSpanId!)?.name).toBe('RunActivity:announceOutcome');
    for (const consumer of ['process email', 'process analytics']) {
      expect(named(spans, consumer).map((s) => s.parentSpanId)).toEqual([publish!.spanContext().spanId]);
    }

    // Where an operator in the Web UI finds it, and in the customer's email.
    expect(await (await handle.describe()).staticDetails()).toContain(`trace \`${traceId}\``);
    const mail = await waitFor(() => sink.messages().find((m) => m.headers['x-checkout-id'] === id), { what: 'the email' });
    expect(mail.headers['x-trace-id']).toBe(traceId);
  });

  it('makes no workflow spans for a checkout started without a trace, even on a traced worker', async () => {
    // An API whose Temporal client has no tracing interceptors: the start carries no trace context.
    const { namespace, dataConverter } = stack.client.options;
    const untraced = appOn(new Client({ connection: stack.client.connection, namespace, dataConverter }), false);
    const workflowSpans = () => exporter.getFinishedSpans().filter((s) => s.name === 'RunWorkflow:checkoutWorkflow').length;
    const before = workflowSpans();

    const started = await post('/v1/checkouts', validBody(), KEYS.merchant, untraced);
    expect(started.status).toBe(202);
    expect(started.headers.get('traceparent')).toBeNull();
    const { id } = (await started.json()) as CheckoutView;
    const handle = stack.client.workflow.getHandle(checkoutWorkflowId(id));
    expect(((await handle.result()) as CheckoutView).status).toBe('completed');

    // The worker hands a workflow's spans over before it reports the workflow's completion.
    expect(workflowSpans()).toBe(before);
    expect(await (await handle.describe()).staticDetails()).not.toContain('trace `');
  });
});
