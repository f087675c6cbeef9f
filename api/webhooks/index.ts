/** The webhooks resource: merchants' endpoints and their delivery logs. */
import type { RouteDeps } from '../context.ts';
import { createRouter } from '../router.ts';
import { registerWebhookDeliveries } from './deliveries.ts';
import { registerWebhookEndpoints } from './endpoints.ts';

export function webhookRoutes(deps: RouteDeps) {
  const app = createRouter();
  registerWebhookEndpoints(app, deps);
  registerWebhookDeliveries(app, deps);
  return app;
}
