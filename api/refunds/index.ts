/** The refunds resource: refund a completed checkout, read a refund, list refunds. */
import type { RouteDeps } from '../context.ts';
import { createRouter } from '../router.ts';
import { registerCreateRefund } from './create.ts';
import { registerGetRefund } from './get.ts';
import { registerListRefunds } from './list.ts';

export function refundRoutes(deps: RouteDeps) {
  const app = createRouter();
  registerCreateRefund(app, deps);
  registerGetRefund(app, deps);
  registerListRefunds(app, deps);
  return app;
}
