/**
 * The four things the benchmark measures, as request senders: `saga` (the API's `POST /v1/checkouts` with
 * `Prefer: wait`), `bare` (the bare platform floor: the saga's steps as six local activities, in a process of
 * its own), `direct` (the non-durable floor) and `platform` (the empty workflow of the saga's shape).
 * Every checkout has its own customer id and email, because the fraud simulator sends customers with many
 * checkouts a minute to review. A request succeeds only on HTTP 200 with status `completed`. The saga is
 * called through the typed client a merchant would use; the floors, which are not the API, with `fetch`.
 */
import { z } from 'zod';
import { BARE_PRODUCT, BENCH_PRODUCT, UNITS_PER_CHECKOUT } from './protocol.ts';
import type { Outcome, Send } from './load.ts';
import { createCheckoutClient, type components } from '../src/client/index.ts';

type CheckoutRequest = components['schemas']['CheckoutRequest'];

export const TARGETS = ['saga', 'bare', 'direct', 'platform'] as const;
export type Target = (typeof TARGETS)[number];

const answerSchema = z.object({ id: z.string().optional(), status: z.string().optional(), code: z.string().optional(), error: z.string().optional() });

const NOT_JSON = Symbol('not JSON');

/** Longer than the API's longest wait (30 s), so a held request answers before we give up on it. */
const REQUEST_TIMEOUT_MS = 60_000;

/** `merchantKey`: whose checkouts the saga target sends (the development merchant unless told). */
export function createSender(target: Target, urls: { api: string; floor: string; bare: string }, runTag: string, merchantKey = 'dev_merchant_key'): Send {
  const url = { saga: `${urls.api}/v1/checkouts`, bare: `${urls.bare}/bare`, direct: `${urls.floor}/direct`, platform: `${urls.floor}/platform` }[target];
  const sku = target === 'bare' ? BARE_PRODUCT.sku : BENCH_PRODUCT.sku;
  const api = createCheckoutClient(urls.api, merchantKey);
  /** One POST of `body`: the answer's status and parsed body (`NOT_JSON` when it is not JSON). */
  const post = async (body: CheckoutRequest): Promise<{ status: number; json: unknown }> => {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    if (target === 'saga') {
      try {
        const { data, error, response } = await api.POST('/v1/checkouts', { body, params: { header: { prefer: 'wait=30' } }, signal });
        return { status: response.status, json: data ?? error };
      } catch (error) {
        if (error instanceof SyntaxError) return { status: 0, json: NOT_JSON };
        throw error;
      }
    }
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    const text = await response.text();
    try {
      return { status: response.status, json: JSON.parse(text) as unknown };
    } catch {
      return { status: response.status, json: NOT_JSON };
    }
  };
  let n = 0;

  return async (): Promise<Outcome> => {
    n += 1;
    const customer = `${runTag}-${target}-${n}`;
    const body: CheckoutRequest = {
      customer: { id: `cus_${customer}`, email: `${customer}@bench.example.com`, name: 'Bench Shopper' },
      items: [{ sku, quantity: UNITS_PER_CHECKOUT }],
      currency: 'USD',
      payment: { token: 'tok_visa' },
      shippingAddress: { line1: '1 Bench St', city: 'Springfield', postalCode: '12345', country: 'US' },
    };
    let response: { status: number; json: unknown };
    try {
      response = await post(body);
    } catch (error) {
      const err = error as Error;
      const code = (err.cause as NodeJS.ErrnoException | undefined)?.code;
      return { ok: false, error: err.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : `network: ${err.message}${code ? ` (${code})` : ''}` };
    }
    if (response.json === NOT_JSON) return { ok: false, error: `HTTP ${response.status}, not JSON` };
    const answer = answerSchema.safeParse(response.json);
    if (!answer.success) return { ok: false, error: `HTTP ${response.status}, unexpected body` };
    const { id, status, code, error } = answer.data;
    if (response.status === 200 && status === 'completed' && id) return { ok: true, id };
    const reason = [`HTTP ${response.status}`, status ?? code ?? error?.replace(/\b([a-z]+)_[a-z0-9]{20}\b/g, '$1_…').slice(0, 120) ?? 'no status'].join(' ');
    return { ok: false, error: reason, ...(id ? { id } : {}) };
  };
}
