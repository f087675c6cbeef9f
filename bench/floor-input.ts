/**
 * What the API hands the saga, built the same way for the floors: the body of `POST /v1/checkouts`,
 * validated and priced from the (briefly cached) catalog, as a workflow input booked under the floors' merchant.
 */
import type { Config } from '../src/config/index.ts';
import { checkoutRequestSchema } from '../src/contracts/checkout.ts';
import { type CheckoutWorkflowInput } from '../src/contracts/workflow.ts';
import { createCatalogCache } from '../src/inventory/catalog.ts';
import type { Database } from '../src/platform/db/client.ts';
import { checkoutWorkflowInput } from '../src/checkouts/input.ts';
import { priceCart } from '../src/inventory/pricing.ts';
import { newId } from '../src/platform/ids.ts';

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
