/** Who may see a checkout or an order: the merchant whose key created it, and operators. */
import type { CheckoutView } from '../src/contracts/checkout.ts';
import { merchantView } from '../src/contracts/merchant-view.ts';
import type { CheckoutsPort } from '../src/checkouts/temporal-checkouts.ts';
import type { Principal } from './context.ts';
import { ApiError } from './errors.ts';

/** The merchant whose objects a list shows the caller: its own, or every merchant's (undefined) for an operator. */
export const listedMerchantOf = (principal: Principal): string | undefined => (principal.role === 'operator' ? undefined : principal.id);

/** False means "answer 404": another merchant's checkout is not even confirmed to exist. */
export const visibleTo = (principal: Principal, merchantId: string | null) => principal.role === 'operator' || merchantId === principal.id;

/** The checkout `id` when `principal` may see it (whole: answer with `viewFor`); 404 when it does not exist or belongs to another merchant. */
export async function visibleCheckout(checkouts: CheckoutsPort, principal: Principal, id: string): Promise<CheckoutView> {
  const checkout = await checkouts.get(id);
  if (!checkout || !visibleTo(principal, checkout.merchantId)) throw new ApiError('not_found', `No checkout ${id}.`);
  return checkout;
}

/** A checkout as `principal` is shown it: operators the whole view, a merchant its view (contracts/merchant-view.ts). */
export const viewFor = (principal: Principal, view: CheckoutView): CheckoutView => (principal.role === 'operator' ? view : merchantView(view));
