/** The webhooks subscriber's metrics, registered once per registry (the local stack shares one). */
import { Counter, type Registry } from 'prom-client';

export function createWebhookMetrics(registry: Registry) {
  const once = <T>(name: string, create: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? create();
  return {
    attempts: once('webhook_attempts_total', () => new Counter({ name: 'webhook_attempts_total', help: 'Webhook delivery attempts, by outcome: delivered, retrying, failed (retries spent)', labelNames: ['outcome'] as const, registers: [registry] })),
    endpointsDisabled: once('webhook_endpoints_disabled_total', () => new Counter({ name: 'webhook_endpoints_disabled_total', help: 'Webhook endpoints disabled because their attempts kept failing', registers: [registry] })),
  };
}
