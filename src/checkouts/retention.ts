/**
 * The namespace must keep a closed checkout at least as long as an Idempotency-Key names it: a replay
 * inside the key's window is then always answered from that checkout, never by starting it again.
 */
import type { Client } from '@temporalio/client';
import { ConfigError } from '../config/index.ts';
import { IDEMPOTENCY_KEY_TTL_MS } from './idempotency.ts';

const hours = (ms: number) => `${+(ms / 3_600_000).toFixed(2)} h`;

/** The namespace's retention of closed workflows, in milliseconds. */
export async function namespaceRetentionMs(client: Client, namespace: string): Promise<number> {
  const { config } = await client.workflowService.describeNamespace({ namespace });
  const ttl = config?.workflowExecutionRetentionTtl;
  return Number(ttl?.seconds ?? 0) * 1_000 + Math.floor((ttl?.nanos ?? 0) / 1e6);
}

/** Refuses to serve when the namespace forgets closed checkouts before their idempotency keys expire. */
export async function assertRetentionCoversKeyWindow(client: Client, namespace: string, keyWindowMs = IDEMPOTENCY_KEY_TTL_MS): Promise<void> {
  const retentionMs = await namespaceRetentionMs(client, namespace);
  if (retentionMs >= keyWindowMs) return;
  throw new ConfigError(
    `Temporal namespace "${namespace}" keeps closed workflows for ${hours(retentionMs)}, less than the ${hours(keyWindowMs)} an Idempotency-Key names its checkout: ` +
      `a retried request after the workflow is gone could not be answered from it. Raise the retention, e.g. ` +
      `\`temporal operator namespace update --namespace ${namespace} --retention ${Math.ceil(keyWindowMs / 3_600_000)}h\`.`,
  );
}
