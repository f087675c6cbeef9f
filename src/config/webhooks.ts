/** The webhooks section: how merchants' endpoints are called, retried, and which addresses they may have. */
import { z } from 'zod';
import { duration, flag, invalid } from './settings.ts';

/**
 * The pauses before each retry of a delivery (Standard Webhooks' schedule): 7 retries over about 27 hours,
 * each with up to 20 % jitter, so a receiver that is down for a day still gets every event.
 */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const durations = z.string().transform((value, ctx) => {
  const parts = value.split(',').map((part) => duration.safeParse(part.trim()));
  if (parts.length === 0 || parts.some((part) => !part.success)) {
    ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of durations like 5s,5m,30m' });
    return z.NEVER;
  }
  return parts.map((part) => part.data as number);
});

const webhooksSchema = z.object({
  WEBHOOK_RETRY_SCHEDULE: durations.prefault(DEFAULT_WEBHOOK_RETRY_SCHEDULE).describe('the pause before each retry of a webhook delivery, comma-separated; its length is the number of retries'),
  WEBHOOK_TIMEOUT: duration.default(10_000).describe('how long a webhook endpoint has to answer one delivery attempt'),
  WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).default(50).describe('failed delivery attempts in a row (no success between) after which an endpoint is disabled'),
  WEBHOOK_ALLOW_PRIVATE_URLS: flag.default(false).describe("deliver to loopback and private addresses (refused otherwise, against SSRF); refused in production; `npm start`'s local stack sets `true`"),
});
export const webhooksEnv = webhooksSchema.shape;
type WebhooksEnv = z.infer<typeof webhooksSchema>;

export interface WebhooksConfig {
  retryScheduleMs: number[];
  timeoutMs: number;
  disableAfterFailures: number;
  allowPrivateUrls: boolean;
}

export function webhooksOf(e: WebhooksEnv, { production }: { production: boolean }): WebhooksConfig {
  if (production && e.WEBHOOK_ALLOW_PRIVATE_URLS) {
    throw invalid('WEBHOOK_ALLOW_PRIVATE_URLS is refused in production: a merchant could make the service call its internal network');
  }
  return { retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE, timeoutMs: e.WEBHOOK_TIMEOUT, disableAfterFailures: e.WEBHOOK_DISABLE_AFTER, allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS };
}
