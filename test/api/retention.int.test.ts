/** The API refuses to start on a namespace that forgets closed checkouts before their idempotency keys expire. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { IDEMPOTENCY_KEY_TTL_MS } from '../../src/checkouts/idempotency.ts';
import { connectTemporalClient } from '../../src/platform/temporal/connection.ts';
import { testDataConverter } from '../../harness/payload-keys.ts';
import { assertRetentionCoversKeyWindow, namespaceRetentionMs } from '../../src/checkouts/retention.ts';

let client: Client;
beforeAll(async () => {
  client = await connectTemporalClient(inject('infra').temporalAddress, 'default', testDataConverter());
});
afterAll(async () => {
  await client?.connection.close();
});

describe('namespace retention against the idempotency-key window', () => {
  it('accepts the namespace the stack starts (retention at least the key window)', async () => {
    const namespace = 'default';
    expect(await namespaceRetentionMs(client, namespace)).toBeGreaterThanOrEqual(IDEMPOTENCY_KEY_TTL_MS);
    await expect(assertRetentionCoversKeyWindow(client, namespace)).resolves.toBeUndefined();
  });

  it('refuses a namespace that keeps closed workflows for one hour, naming both values', async () => {
    const namespace = `short-retention-${randomBytes(4).toString('hex')}`;
    await client.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1h') });
    await expect(assertRetentionCoversKeyWindow(client, namespace)).rejects.toThrow(
      `Temporal namespace "${namespace}" keeps closed workflows for 1 h, less than the 24 h an Idempotency-Key names its checkout`,
    );
  });
});
