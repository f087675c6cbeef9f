/**
 * Rolling out payment safety while authorizations scheduled by the old code are still retrying: such an
 * activity has four server retries and shows the saga only its last failure. If an earlier attempt lost the
 * answer of an authorization, a last "503, nothing done" must not let the saga fail over and hold the money
 * twice. The activity tells its attempt; the saga counts a failure past the first attempt — or from code that
 * does not tell — as unknown, and asks the same gateway again instead. Through a real worker, the gateway
 * simulator behind a proxy that loses the first answer, and fixture workflows that schedule as the old code did.
 */
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import { createFraudClient } from '../../src/fraud/client.ts';
import { createGatewayClient } from '../../src/payments/gateway-client.ts';
import { dataConverterOf } from '../../src/platform/codec/payload-keys.ts';
import { connectWorkerConnection } from '../../src/platform/temporal/connection.ts';
import type { CheckoutStack } from '../support/checkout-stack.ts';
import { uniqueSuffix } from '../support/names.ts';
import { isAuthorization, type GatewayProxy } from './support/gateway-proxy.ts';
import { startProxiedStack, type ProxiedStack } from './support/proxied-stack.ts';
import { ledgerOf, NOTHING } from './support/world.ts';
import { testKeyring } from '../../harness/payload-keys.ts';

let world: ProxiedStack;
let stack: CheckoutStack;
let proxy: GatewayProxy;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `rollout-${uniqueSuffix()}`;

beforeAll(async () => {
  ({ stack, proxy } = world = await startProxiedStack());
  const activities = {
    ...createActivities({
      db: stack.database.db,
      nc: stack.nc,
      names: stack.names,
      keyring: testKeyring(),
      fraud: createFraudClient(stack.simulators.urls.fraud, { timeoutMs: 1_000 }),
      gateways: { primary: createGatewayClient(proxy.url, { timeoutMs: 1_000 }), secondary: createGatewayClient(stack.simulators.urls.gateways.secondary, { timeoutMs: 1_000 }) },
    }),
    // Activity code of a worker not yet rolled out: its failures do not tell their attempt.
    async legacyAuthorizePayment() {
      throw ApplicationFailure.retryable('POST /v1/authorizations: HTTP 503', 'gateway_unavailable');
    },
  };
  worker = await Worker.create({
    connection: await connectWorkerConnection(stack.config.temporal),
    namespace: stack.config.temporal.namespace,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./fixtures/rollout-workflows.ts', import.meta.url)),
    activities,
    dataConverter: dataConverterOf(stack.config),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await world?.stop();
});

const execute = (workflow: string, args: unknown[] = []) =>
  stack.client.workflow.execute(workflow, { taskQueue, workflowId: `${workflow}-${uniqueSuffix()}`, args }) as Promise<string>;

describe('an authorization scheduled by the old code, with four server retries, still retrying at the rollout', () => {
  it('whose first answer was lost and whose last attempt got a 503 counts as unknown: the saga asks the same gateway again', async () => {
    const checkoutId = `chk_rollout_${uniqueSuffix()}`;
    const key = `${checkoutId}:authorize`;
    // Attempt 1: the gateway authorizes, the answer is lost. Attempts 2–4: 503, "nothing was done".
    const lost = proxy.withholdAnswers((r) => isAuthorization(r) && r.idempotencyKey === key, 1);
    proxy.answer((r) => isAuthorization(r) && r.idempotencyKey === key, { status: 503, body: { error: { code: 'unavailable', message: 'down' } } }, 3);
    try {
      const verdict = await execute('oldPolicyAuthorization', [{ gateway: 'primary', checkoutId, amount: 3998, currency: 'USD', token: 'tok_visa' }]);
      expect(verdict).toBe('unknown');
      // The money held by the lost answer is there: failing over would have held it twice.
      expect((await ledgerOf(stack, checkoutId)).primary).toEqual({ ...NOTHING, authorization: 1 });
    } finally {
      lost.release();
    }
  });

  it('a "nothing was done" failure from activity code that does not tell its attempt counts as unknown too', async () => {
    expect(await execute('untoldAttemptAuthorization')).toBe('unknown');
  });
});
