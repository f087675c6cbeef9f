/** The checkouts resource: create, read, cancel, review, and the notifications a checkout sent. */
import type { RouteDeps } from '../context.ts';
import { createRouter } from '../router.ts';
import { registerListCheckouts } from './list.ts';
import { registerCancelCheckout } from './cancel.ts';
import { registerCreateCheckout } from './create.ts';
import { registerGetCheckout } from './get.ts';
import { registerGetNotifications } from './notifications.ts';
import { registerReviewCheckout } from './review.ts';

export function checkoutRoutes(deps: RouteDeps) {
  const app = createRouter();
  registerCreateCheckout(app, deps);
  registerListCheckouts(app, deps);
  registerGetCheckout(app, deps);
  registerCancelCheckout(app, deps);
  registerReviewCheckout(app, deps);
  registerGetNotifications(app, deps);
  return app;
}
