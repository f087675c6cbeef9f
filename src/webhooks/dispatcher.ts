/**
 * Sends the due deliveries: claims a few at a time, signs each with its endpoint's current secrets, posts it,
 * and records the answer. Any number of dispatchers may run (claims skip what another holds); one that dies
 * leaves its claims to lapse.
 */
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { PayloadKeyring } from '../platform/codec/payload-codec.ts';
import type { Database } from '../platform/db/client.ts';
import { claimDue, failUnsent, recordAttempt, type AttemptPolicy, type ClaimedDelivery } from './deliveries.ts';
import { signingSecrets } from './secrets.ts';
import { postWebhook, type AttemptResult } from './sender.ts';
import { signedHeaders } from './signing.ts';
import { endpointUrlProblem } from './url-policy.ts';

export interface DispatcherOptions extends AttemptPolicy {
  db: Database;
  keyring: PayloadKeyring;
  logger: Logger;
  timeoutMs: number;
  allowPrivateUrls: boolean;
  /** Deliveries attempted at once (default 16). */
  concurrency?: number;
  /** How often to look for due deliveries when nothing woke the dispatcher (default 500 ms). */
  pollMs?: number;
  metrics?: { attempts: Counter<'outcome'>; endpointsDisabled: Counter };
}

export function startDispatcher(options: DispatcherOptions): { wake(): void; stop(): Promise<void> } {
  const { db, keyring, logger, concurrency = 16, pollMs = 500 } = options;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  const nap = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => (wakeUp = null, resolve()), pollMs);
      wakeUp = () => (clearTimeout(timer), (wakeUp = null), resolve());
    });

  /**
   * One attempt, as a result to record: the URL checked again (the rules may have tightened since it was
   * registered), signed with the secrets that sign now, posted. A secret that does not open fails the attempt.
   */
  async function send(delivery: ClaimedDelivery['delivery'], endpoint: ClaimedDelivery['endpoint']): Promise<AttemptResult> {
    const problem = endpointUrlProblem(endpoint.url, { allowPrivate: options.allowPrivateUrls });
    if (problem) return { ok: false, status: null, error: `the endpoint URL ${problem}` };
    const now = new Date();
    let headers: Record<string, string>;
    try {
      headers = signedHeaders(signingSecrets(endpoint.secrets, endpoint.id, keyring, now), delivery.id, now, delivery.body);
    } catch (error) {
      return { ok: false, status: null, error: (error as Error).message };
    }
    return postWebhook(endpoint.url, headers, delivery.body, { timeoutMs: options.timeoutMs, allowPrivate: options.allowPrivateUrls });
  }

  async function attempt({ delivery, endpoint }: ClaimedDelivery): Promise<void> {
    const log = logger.child({ deliveryId: delivery.id, endpointId: endpoint.id, eventId: delivery.eventId });
    if (endpoint.status !== 'enabled') {
      await failUnsent(db, delivery, 'the endpoint is disabled');
      return;
    }
    const result = await send(delivery, endpoint);
    const { status, endpointDisabled } = await recordAttempt(db, delivery, result, options);
    options.metrics?.attempts.inc({ outcome: result.ok ? 'delivered' : status === 'failed' ? 'failed' : 'retrying' });
    if (result.ok) log.debug('webhook delivered');
    else log.info({ attempt: delivery.attempts + 1, status, error: result.error }, 'webhook attempt failed');
    if (endpointDisabled) {
      options.metrics?.endpointsDisabled.inc();
      log.warn({ merchantId: endpoint.merchantId, url: endpoint.url }, 'webhook endpoint disabled: its delivery attempts keep failing; the merchant can enable it again once it answers');
    }
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await claimDue(db, concurrency, options.timeoutMs * 2);
        await Promise.all(
          claimed.map((c) => attempt(c).catch((error: unknown) => logger.error({ err: error, deliveryId: c.delivery.id }, 'webhook attempt could not be recorded; its claim lapses and it is tried again'))),
        );
      } catch (error) {
        logger.error({ err: error }, 'webhook dispatcher could not claim deliveries; trying again');
      }
      if (claimed.length < concurrency && !stopped) await nap();
    }
  })();

  return {
    wake: () => wakeUp?.(),
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
