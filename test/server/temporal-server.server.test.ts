/**
 * `npm start -- --temporal server`: the local stack on the production Temporal server and this machine's
 * PostgreSQL instead of the dev server. Its schema is set up by the schema tool, the namespace has the stated
 * retention, checkouts complete through it, and visibility on PostgreSQL finds them by search attribute.
 * Run with `npm run test:server`.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropTemporalDatabases, postgresTargetOf } from '../../src/local-stack/temporal-cluster.ts';
import { ensureServerTools } from '../../src/local-stack/tools.ts';
import { namespaceRetentionMs } from '../../src/checkouts/retention.ts';
import { checkoutRequest } from '../support/checkout-stack.ts';
import { startPrivateStack, type PrivateStack } from '../../harness/service-process.ts';
import { waitFor } from '../support/wait-for.ts';

const POSTGRES = process.env.TEMPORAL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
const database = `dc_temporal_${randomBytes(4).toString('hex')}`;
let local: PrivateStack;

beforeAll(async () => {
  local = await startPrivateStack({ LOCAL_TEMPORAL_DATABASE_URL: `${POSTGRES}/${database}`, LOCAL_TEMPORAL_HISTORY_SHARDS: '4' }, ['--temporal', 'server']);
});

afterAll(async () => {
  await local?.stop();
  // The two databases the schema tool created for this run.
  await dropTemporalDatabases(ensureServerTools().temporalSqlTool, postgresTargetOf(`${POSTGRES}/${database}`));
});

const merchant = { authorization: 'Bearer dev_merchant_key', 'content-type': 'application/json' };

describe('the local stack on the Temporal server', () => {
  it('describes the server in stack.json and has no Web UI of its own', () => {
    expect(local.stack.temporal).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(local.stack.temporalUi).toMatch(/^none/);
  });

  it('sets the namespace retention explicitly, past the Idempotency-Key window', async () => {
    const connection = await Connection.connect({ address: local.stack.temporal });
    try {
      expect(await namespaceRetentionMs(new Client({ connection }), 'default')).toBe(72 * 3_600_000);
    } finally {
      await connection.close();
    }
  });

  it('completes a checkout, which visibility on PostgreSQL finds by its search attributes', async () => {
    const response = await fetch(`${local.stack.api}/v1/checkouts`, {
      method: 'POST',
      headers: { ...merchant, prefer: 'wait=30' },
      body: JSON.stringify(checkoutRequest({ token: 'tok_visa', customer: { id: 'cus_on_server', email: 'server@example.com' } })),
    });
    expect(response.status).toBe(200);
    const checkout = (await response.json()) as { id: string; status: string };
    expect(checkout.status).toBe('completed');

    const connection = await Connection.connect({ address: local.stack.temporal });
    try {
      const client = new Client({ connection });
      const found = await waitFor(async () => {
        const ids: string[] = [];
        for await (const execution of client.workflow.list({ query: `CustomerId = 'cus_on_server' AND CheckoutStatus = 'completed'` })) ids.push(execution.workflowId);
        return ids.length > 0 ? ids : null;
      }, { what: 'the checkout in visibility', timeoutMs: 30_000 });
      expect(found).toEqual([`checkout-${checkout.id}`]);
    } finally {
      await connection.close();
    }
  });
});
