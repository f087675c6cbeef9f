/**
 * How the payment activities type what a gateway did: a refusal is final, a "did nothing" answer is
 * `gateway_unavailable`, and every answer that leaves the effect unknown is `gateway_outcome_unknown`.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { noopMetricMeter, type MetricMeter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../src/payments/gateway-client.ts';
import { createPaymentActivities, type AuthorizationAttemptLog, type Gateways } from '../../src/payments/activities.ts';

/**
 * An attempt log in memory, which tells in `events` when it recorded an attempt — beside the gateway's
 * requests, to show their order. `failing` makes every write fail as a database that is down would.
 */
function attemptLog({ failing = false } = {}) {
  const recorded = new Set<string>();
  const events: string[] = [];
  const log: AuthorizationAttemptLog = {
    async record({ checkoutId, gateway, attempt }) {
      if (failing) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const key = `${checkoutId}/${gateway}/${attempt}`;
      events.push(`record ${key}`);
      if (recorded.has(key)) return 'repeated';
      recorded.add(key);
      return 'first';
    },
    async lastGatewayAsked() {
      return null;
    },
  };
  return { log, events };
}

/** A gateway whose every answer is `respond()`, through the real client. */
function paymentsAnswering(respond: () => Response | Promise<Response>, attempts = attemptLog()) {
  const client = createGatewayClient('http://gateway.test', {
    timeoutMs: 1_000,
    fetch: async () => {
      attempts.events.push('ask the gateway');
      return respond();
    },
  });
  return createPaymentActivities({ gateways: { primary: client, secondary: client } satisfies Gateways, attempts: attempts.log });
}

/** One authorization attempt (the activity's `attempt`, 1 unless told) against a gateway answering `respond()`. */
const authorize = (respond: () => Response | Promise<Response>, attempt = 1) =>
  new MockActivityEnvironment({ attempt }).run(() => paymentsAnswering(respond).authorizePayment({ gateway: 'primary', checkoutId: 'chk_1', amount: 100, currency: 'USD', token: 'tok_visa' }));

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A 200 whose body stream errors after the headers. */
const cutOff = () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":"auth_'));
        controller.error(new Error('socket hang up'));
      },
    }),
    { status: 200 },
  );

describe('payment activity failure types', () => {
  it.each([
    ['a 2xx whose body is not an authorization', () => new Response('{"id":', { status: 200 })],
    ['a 2xx with another shape', () => json(200, { ok: true })],
    ['a 4xx without the error shape', () => json(400, { message: 'Bad request' })],
    ['a 500', () => json(500, { error: { code: 'internal', message: 'oops' } })],
    ['a 502 from a proxy', () => new Response('<html>bad gateway</html>', { status: 502 })],
    ['a body cut off mid-read', cutOff],
  ])('%s leaves the outcome unknown (retryable gateway_outcome_unknown)', async (_name, respond) => {
    const failure = await failureOf(authorize(respond));
    expect(failure.type).toBe('gateway_outcome_unknown');
    expect(failure.nonRetryable).toBe(false);
  });

  it.each([503, 429])('a %i says nothing was done (retryable gateway_unavailable), told with its attempt', async (status) => {
    const failure = await failureOf(authorize(() => json(status, { error: { code: 'unavailable', message: 'down' } })));
    expect(failure).toMatchObject({ type: 'gateway_unavailable', nonRetryable: false, details: [{ attempt: 1 }] });
  });

  it('a 503 past the first attempt of a server-retried activity leaves the outcome unknown: an earlier attempt may have authorized', async () => {
    const failure = await failureOf(authorize(() => json(503, { error: { code: 'unavailable', message: 'down' } }), 4));
    expect(failure).toMatchObject({ type: 'gateway_outcome_unknown', nonRetryable: false, details: [{ attempt: 4 }] });
    expect(failure.message).toContain('an earlier attempt may have authorized');
  });

  it('a refusal of the card is final and keeps its code', async () => {
    const failure = await failureOf(authorize(() => json(402, { error: { code: 'insufficient_funds', message: 'no' } })));
    expect(failure).toMatchObject({ type: 'insufficient_funds', nonRetryable: true });
  });

  it.each([
    ['unauthorized', 401, 'merchant'],
    ['account_inactive', 403, 'merchant'],
    ['something_new', 402, 'unknown'],
  ])('a refusal that is not the card’s (%s) is gateway_refused, counted and logged with the gateway', async (code, status, kind) => {
    const counted: { value: number; tags: Record<string, unknown> }[] = [];
    const logged: string[] = [];
    const env = new MockActivityEnvironment(undefined, {
      metricMeter: { ...noopMetricMeter, createCounter: () => ({ add: (value: number, tags: Record<string, unknown> = {}) => void counted.push({ value, tags }) }) } as unknown as MetricMeter,
      logger: new DefaultLogger('WARN', ({ message }) => void logged.push(message)),
    });
    const failure = await failureOf(env.run(() => paymentsAnswering(() => json(status, { error: { code, message: 'no' } })).authorizePayment({ gateway: 'primary', checkoutId: 'chk_1', amount: 100, currency: 'USD', token: 'tok_visa' })));
    expect(failure).toMatchObject({ type: 'gateway_refused', nonRetryable: true });
    expect(counted).toEqual([{ value: 1, tags: expect.objectContaining({ gateway: 'primary', code, kind }) }]);
    expect(logged.join('\n')).toContain(`the primary gateway refused an authorization for a reason that is not the card's (${kind}: ${code})`);
  });

  it('a refused void is typed with the gateway code, for the compensation to judge', async () => {
    const payments = paymentsAnswering(() => json(409, { error: { code: 'already_captured', message: 'captured' } }));
    const failure = await failureOf(payments.voidPayment({ gateway: 'primary', checkoutId: 'chk_1', authorizationId: 'auth_1' }));
    expect(failure).toMatchObject({ type: 'void_refused:already_captured', nonRetryable: true });
  });
});

describe('an authorization attempt recorded before the gateway is asked (local authorization)', () => {
  const request = { gateway: 'primary', checkoutId: 'chk_1', amount: 100, currency: 'USD', token: 'tok_visa', attempt: 1 } as const;
  const unavailable = () => json(503, { error: { code: 'unavailable', message: 'down' } });
  const authorized = () => json(201, { id: 'auth_1', status: 'authorized', amount: 100, currency: 'USD' });
  const run = <T>(call: () => Promise<T>) => new MockActivityEnvironment({ attempt: 1 }).run(call);

  it('is written before the call, and the answer returned as it came', async () => {
    const attempts = attemptLog();
    const result = await run(() => paymentsAnswering(authorized, attempts).authorizePayment(request));
    expect(result).toMatchObject({ authorizationId: 'auth_1' });
    expect(attempts.events).toEqual(['record chk_1/primary/1', 'ask the gateway']);
  });

  it('a run that finds its attempt recorded already counts "nothing was done" as unknown: the earlier run may have authorized', async () => {
    const attempts = attemptLog();
    const payments = paymentsAnswering(unavailable, attempts);
    expect(await failureOf(run(() => payments.authorizePayment(request)))).toMatchObject({ type: 'gateway_unavailable' });
    const failure = await failureOf(run(() => payments.authorizePayment(request)));
    expect(failure).toMatchObject({ type: 'gateway_outcome_unknown', nonRetryable: false });
    expect(failure.message).toContain('an earlier run of this attempt asked the gateway');
  });

  it('the next attempt of the saga is its own: a 503 there still says nothing was done', async () => {
    const attempts = attemptLog();
    const payments = paymentsAnswering(unavailable, attempts);
    await failureOf(run(() => payments.authorizePayment(request)));
    expect(await failureOf(run(() => payments.authorizePayment({ ...request, attempt: 2 })))).toMatchObject({ type: 'gateway_unavailable' });
  });

  it('after an unheard run a gateway refusing for its own reasons is unknown too, while a card refusal stays final', async () => {
    const attempts = attemptLog();
    await run(() => paymentsAnswering(authorized, attempts).authorizePayment(request));
    const refusedByGateway = await failureOf(run(() => paymentsAnswering(() => json(403, { error: { code: 'account_inactive', message: 'no' } }), attempts).authorizePayment(request)));
    expect(refusedByGateway).toMatchObject({ type: 'gateway_outcome_unknown', nonRetryable: false });
    const declined = await failureOf(run(() => paymentsAnswering(() => json(402, { error: { code: 'card_declined', message: 'no' } }), attempts).authorizePayment(request)));
    expect(declined).toMatchObject({ type: 'card_declined', nonRetryable: true });
  });

  it('when the record cannot be written the gateway is not asked, and the outcome is unknown', async () => {
    const attempts = attemptLog({ failing: true });
    const failure = await failureOf(run(() => paymentsAnswering(authorized, attempts).authorizePayment(request)));
    expect(failure).toMatchObject({ type: 'gateway_outcome_unknown', nonRetryable: false });
    expect(failure.message).toMatch(/could not be recorded.*database error: ECONNREFUSED/);
    expect(failure.message).not.toContain('5432');
    expect(attempts.events).toEqual([]);
  });

  it('without an attempt (a recovery, or a checkout from before local authorization) nothing is recorded', async () => {
    const attempts = attemptLog();
    const { attempt: _attempt, ...recovery } = request;
    await run(() => paymentsAnswering(authorized, attempts).authorizePayment(recovery));
    expect(attempts.events).toEqual(['ask the gateway']);
  });
});
