/** The orders resource: the order a completed checkout created. */
import type { RouteDeps } from '../context.ts';
import { createRouter } from '../router.ts';
import { registerListOrders } from './list.ts';
import { registerGetOrder } from './get.ts';

export function orderRoutes(deps: RouteDeps) {
  const app = createRouter();
  registerListOrders(app, deps);
  registerGetOrder(app, deps);
  return app;
}
