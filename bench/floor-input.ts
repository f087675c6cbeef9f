/**
 * What the API hands the saga, built the same way for the floors: the body of `POST /v1/checkouts`,
 * validated and priced from the (briefly cached) catalog, as a workflow input booked under the floors' merchant.
 */
import type { Config } from '../src/config.ts';
import { checkoutRequestSchema } from '../src/contracts/checkout.ts';
import { type CheckoutWorkflowInput } from '../src/contracts/saga.ts';
import { createCatalogCache } from '../src/db/catalog.ts';
import type { Database } from '../src/db/client.ts';
import { checkoutWorkflowInput } from '../src/domain/checkout-input.ts';
import { priceCart } from '../src/domain/pricing.ts';
import { newId } from '../src/ids.ts';

/** The merchant the floors book their orders under (the API derives one from the caller's key). */
const FLOOR_MERCHANT = 'mer_bench_floor';

/** A request body the floors refuse (answered 400). */
export class BadRequest extends Error {}

export function createFloorInput(db: Database, config: Config): (body: unknown) => Promise<CheckoutWorkflowInput> {
  const catalog = createCatalogCache({ db });
  return async (body) => {
    const parsed = checkoutRequestSchema.safeParse(body);
    if (!parsed.success) throw new BadRequest(parsed.error.message);
    const request = parsed.data;
    const cart = priceCart(await catalog.get(), request.items, request.currency);
    if (!cart.ok) throw new BadRequest(`${cart.code}: ${cart.problems.map((p) => p.message).join(', ')}`);
    return checkoutWorkflowInput(request, cart, {
      checkoutId: newId('chk'),
      merchantId: FLOOR_MERCHANT,
      createdAt: new Date().toISOString(),
      reviewTimeoutMs: config.checkout.reviewTimeoutMs,
    });
  };
}
