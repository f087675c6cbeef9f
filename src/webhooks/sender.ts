/**
 * One delivery attempt: a POST of the body to the endpoint, connecting only to addresses the URL policy
 * allows, following no redirect (a 3xx is a failure: a redirect could lead anywhere), reading at most a few
 * KiB of the answer. 2xx is delivered; anything else, or no answer in time, is a failure to retry.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup } from './url-policy.ts';

export type AttemptResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

const MAX_ANSWER_BYTES = 4096;

export function postWebhook(url: string, headers: Record<string, string>, body: string, { timeoutMs, allowPrivate }: { timeoutMs: number; allowPrivate: boolean }): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'durable-checkout-webhooks/1' },
        lookup: guardedLookup({ allowPrivate }),
        timeout: timeoutMs,
      },
      (response) => {
        let read = 0;
        let enough = false;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) {
            enough = true;
            response.destroy();
          }
        });
        const status = response.statusCode ?? 0;
        const done = () => {
          // An answer cut off by the deadline is no answer; one cut off because it was long enough, is.
          if (!response.complete && !enough) resolve({ ok: false, status, error: `no complete answer within ${timeoutMs} ms` });
          else resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `answered ${status}` });
        };
        response.on('end', done);
        response.on('close', done);
      },
    );
    // The whole attempt, not only each idle gap: a receiver that answers a byte at a time is cut off too.
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ ok: false, status: null, error: error.message }));
    request.end(body);
  });
}
