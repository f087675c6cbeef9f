/** The webhooks subscriber's metrics, registered once per registry (the local stack shares one). */
import { Counter, type Registry } from 'prom-client';
import { registeredOnce } from '../platform/telemetry/registered-once.ts';

export function createWebhookMetrics(registry: Registry) {
  return {
    attempts: registeredOnce(registry, 'webhook_attempts_total', () => new Counter({ name: 'webhook_attempts_total', help: 'Webhook delivery attempts, by outcome: delivered, retrying, failed (retries spent)', labelNames: ['outcome'] as const, registers: [registry] })),
    endpointsDisabled: registeredOnce(registry, 'webhook_endpoints_disabled_total', () => new Counter({ name: 'webhook_endpoints_disabled_total', help: 'Webhook endpoints disabled because their attempts kept failing', registers: [registry] })),
  };
}
