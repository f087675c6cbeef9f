/** Test infrastructure: a private pinned nats-server on a free port, unique stream names, sample events. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { expect, inject } from 'vitest';
// The integration project's provided context (types only: nothing of the global setup runs here).
import type {} from '../support/global-setup.ts';
import { checkoutEventId, type CheckoutEvent, type CheckoutEventType } from '../../src/contracts/events.ts';
import { startNatsServer as startPinnedNatsServer, type RunningNats } from '../../src/local-stack/nats-server.ts';
import { freePort } from '../../src/platform/ports.ts';
import { ensureTools } from '../../src/local-stack/tools.ts';
import { startConsumeLoop, type ConsumeLoop } from '../../src/platform/nats/consume-loop.ts';
import { listDeadLetters, type DeadLetter } from '../../src/platform/nats/dead-letters.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { StreamNames } from '../../src/platform/nats/provision.ts';
import { waitFor } from '../support/wait-for.ts';
import { sealCheckoutEvent } from '../../src/platform/nats/event-contact.ts';
import { testKeyring } from '../../harness/payload-keys.ts';

export { freePort } from '../../src/platform/ports.ts';
export { uniqueStreamNames } from '../support/names.ts';
export { waitFor } from '../support/wait-for.ts';

export interface NatsServerHandle {
  url: string;
  connect(name?: string): Promise<NatsConnection>;
  stop(): Promise<void>;
}

/**
 * The shared nats-server of the integration project's global setup when there is one (files named
 * `*.int.test.ts`); otherwise the pinned nats-server (as the local stack runs it) on a free port in a
 * temporary folder, which `stop()` kills and removes. Tests isolate themselves with unique stream names.
 */
export async function startNatsServer(): Promise<NatsServerHandle> {
  const shared = inject('infra')?.natsUrl;
  if (shared) {
    return { url: shared, connect: (name = 'test') => connect({ servers: shared, name }), stop: async () => undefined };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nats-test-'));
  const server = await startPinnedNatsServer({ binary: ensureTools().natsServer, host: '127.0.0.1', port: await freePort(), dir });
  // The port answers before JetStream does.
  await waitFor(
    async () => {
      const nc = await connect({ servers: server.url, timeout: 500 });
      await nc.jetstreamManager();
      await nc.close();
      return true;
    },
    { what: `JetStream on ${server.url}`, timeoutMs: 10_000 },
  );
  return {
    url: server.url,
    connect: (name = 'test') => connect({ servers: server.url, name, maxReconnectAttempts: 5, reconnectTimeWait: 200 }),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/**
 * A nats-server that speaks TLS only, with the given certificate, more configuration (users, an include) and
 * environment (the passwords its configuration reads): as a deployment runs it.
 */
export async function startTlsNatsServer(dir: string, tls: { cert: string; key: string }, extraConfig: string[], env?: Record<string, string>): Promise<{ server: RunningNats; url: string }> {
  const port = await freePort();
  const server = await startPinnedNatsServer({
    binary: ensureTools().natsServer,
    host: '127.0.0.1',
    port,
    dir,
    extraConfig: [`tls { cert_file: ${JSON.stringify(tls.cert)}, key_file: ${JSON.stringify(tls.key)}, timeout: 2 }`, ...extraConfig],
    ...(env && { env }),
  });
  return { server, url: `tls://127.0.0.1:${port}` };
}

/** A valid checkout event; `overrides.data` is merged into the default data. */
export function sampleEvent(
  type: CheckoutEventType = 'checkout.completed',
  overrides: Partial<Omit<CheckoutEvent, 'data'>> & { data?: Partial<CheckoutEvent['data']> } = {},
): CheckoutEvent {
  counter += 1;
  const checkoutId = overrides.checkoutId ?? `chk_${randomBytes(6).toString('hex')}${counter}`;
  const started = new Date(Date.now() - 1_500);
  const outcome = type.slice('checkout.'.length);
  const failure =
    type === 'checkout.declined'
      ? { code: 'card_declined' as const, message: 'The card was declined.' }
      : type === 'checkout.failed'
        ? { code: 'gateway_unavailable' as const, message: 'No payment gateway answered.' }
        : type === 'checkout.cancelled'
          ? { code: 'cancelled_by_client' as const, message: 'Cancelled by the client.' }
          : null;
  const { data, ...rest } = overrides;
  return {
    id: checkoutEventId(checkoutId, type),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    checkoutId,
    ...rest,
    data: {
      merchantId: 'mer_test',
      orderId: outcome === 'completed' ? `ord_${checkoutId.slice(4)}` : null,
      customer: { id: 'cus_1', email: 'ada@example.com', name: 'Ada Lovelace' },
      amount: { total: 3998, currency: 'USD' },
      items: [{ sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitAmount: 1999 }],
      failure,
      fraud: { score: 12, decision: 'approve' },
      startedAt: started.toISOString(),
      metadata: {},
      clientReferenceId: null,
      ...data,
    } as CheckoutEvent['data'],
  };
}

/** An event as the stream stores it and consumers receive it: contact sealed (its ciphertext differs on every publish), failure by code. */
export function storedFormOf(event: CheckoutEvent) {
  const sealed = sealCheckoutEvent(event, testKeyring());
  return { ...sealed, data: { ...sealed.data, contact: { sealed: { keyId: sealed.data.contact.sealed.keyId, data: expect.any(String) } } } };
}

/** A consumer whose every attempt fails with `message`: what sends events to the dead letters in these tests. */
export const startFailingConsumer = (nc: NatsConnection, names: StreamNames, consumer: string, message: string): Promise<ConsumeLoop> =>
  startConsumeLoop({
    nc,
    names,
    consumer,
    logger: createLogger({ level: 'silent' }),
    handle: async () => {
      throw new Error(message);
    },
  });

/** Waits until exactly `count` dead letters are open, and returns them. */
export const waitForDeadLetters = (nc: NatsConnection, names: StreamNames, count: number, timeoutMs = 10_000): Promise<DeadLetter[]> =>
  waitFor(
    async () => {
      const letters = await listDeadLetters({ nc, names });
      return letters.length === count ? letters : null;
    },
    { what: `${count} dead letter(s)`, timeoutMs },
  );
