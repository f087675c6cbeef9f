/** Test infrastructure: a private pinned nats-server on a free port, unique stream names, sample events. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { inject } from 'vitest';
// The integration project's provided context (types only: nothing of the global setup runs here).
import type {} from '../support/global-setup.ts';
import { checkoutEventId, type CheckoutEvent, type CheckoutEventType } from '../../src/contracts/events.ts';
import { listDeadLetters, type DeadLetter } from '../../src/nats/dead-letters.ts';
import type { StreamNames } from '../../src/nats/provision.ts';

const NATS_BINARY = fileURLToPath(new URL('../../.tools/bin/nats-server-v2.14.5', import.meta.url));

export interface NatsServerHandle {
  url: string;
  connect(name?: string): Promise<NatsConnection>;
  stop(): Promise<void>;
}

/** Asks the OS for a port that is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The shared nats-server of the integration project's global setup when there is one (files named
 * `*.int.test.ts`); otherwise starts the pinned nats-server with JetStream in a temporary folder, and `stop()`
 * kills it and removes the folder. Tests isolate themselves with unique stream names either way.
 */
export async function startNatsServer(): Promise<NatsServerHandle> {
  const shared = inject('infra')?.natsUrl;
  if (shared) {
    return { url: shared, connect: (name = 'test') => connect({ servers: shared, name }), stop: async () => undefined };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nats-test-'));
  const port = await freePort();
  const configFile = path.join(dir, 'nats.conf');
  // sync_interval: always, so an acknowledged publish is on disk, as in the local stack.
  writeFileSync(configFile, `jetstream { store_dir: "${path.join(dir, 'js')}", sync_interval: always }\n`);
  const child: ChildProcess = spawn(NATS_BINARY, ['-c', configFile, '-js', '-p', String(port), '-a', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `nats://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const nc = await connect({ servers: url, timeout: 500 });
      await nc.jetstreamManager(); // JetStream answers, not only the core server
      await nc.close();
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`nats-server did not start on ${url}: ${(error as Error).message}\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    connect: (name = 'test') => connect({ servers: url, name, maxReconnectAttempts: 5, reconnectTimeWait: 200 }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A stream and subject prefix of its own, so test files running in parallel never share a message. */
export function uniqueStreamNames(label = 't'): StreamNames {
  const suffix = randomBytes(4).toString('hex');
  return { stream: `${label.toUpperCase()}_${suffix.toUpperCase()}`, subjectPrefix: `${label.toLowerCase()}_${suffix}` };
}

let counter = 0;

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
      orderId: outcome === 'completed' ? `ord_${checkoutId.slice(4)}` : null,
      customer: { id: 'cus_1', email: 'ada@example.com', name: 'Ada Lovelace' },
      amount: { total: 3998, currency: 'USD' },
      items: [{ sku: 'SKU-MUG', name: 'Mug', quantity: 2, unitAmount: 1999 }],
      failure,
      fraud: { score: 12, decision: 'approve' },
      startedAt: started.toISOString(),
      ...data,
    },
  };
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until exactly `count` dead letters are open, and returns them. */
export const waitForDeadLetters = (nc: NatsConnection, names: StreamNames, count: number, timeoutMs = 10_000): Promise<DeadLetter[]> =>
  waitFor(
    async () => {
      const letters = await listDeadLetters({ nc, names });
      return letters.length === count ? letters : null;
    },
    { what: `${count} dead letter(s)`, timeoutMs },
  );
