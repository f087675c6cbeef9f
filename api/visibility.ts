/** Who may see a checkout or an order: the merchant whose key created it, and operators. */
import type { Principal } from './context.ts';

/** False means "answer 404": another merchant's checkout is not even confirmed to exist. */
export const visibleTo = (principal: Principal, merchantId: string | null) => principal.role === 'operator' || merchantId === principal.id;
