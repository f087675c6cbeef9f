/** The API's Prometheus metrics, registered in an injected registry (created once per registry). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ApiMetrics {
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  checkoutsStarted: Counter<'mode'>;
  idempotentReplays: Counter;
}

function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** The API's metrics in `registry`; reuses those already registered there. */
export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  return {
    httpRequests: once(registry, 'http_requests_total', () =>
      new Counter({ name: 'http_requests_total', help: 'HTTP requests by route pattern and status', labelNames: ['method', 'route', 'status'], registers }),
    ),
    httpDuration: once(registry, 'http_request_duration_seconds', () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request latency by route pattern and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      }),
    ),
    checkoutsStarted: once(registry, 'checkouts_started_total', () =>
      new Counter({ name: 'checkouts_started_total', help: 'Checkout sagas started by the API (not counting idempotent replays)', labelNames: ['mode'], registers }),
    ),
    idempotentReplays: once(registry, 'checkout_idempotent_replays_total', () =>
      new Counter({ name: 'checkout_idempotent_replays_total', help: 'POST /v1/checkouts answered from an earlier request with the same Idempotency-Key', registers }),
    ),
  };
}

/**
 * `checkouts_escalated`: checkouts whose undo could not be finished automatically and waits for a person
 * (status `escalated`), read at each scrape; alert on it being above zero.
 */
export function registerEscalationGauge(registry: Registry, countEscalated: () => Promise<number>, countEscalatedRefunds: () => Promise<number>): void {
  once(registry, 'checkouts_escalated', () =>
    new Gauge({
      name: 'checkouts_escalated',
      help: 'Checkouts in status escalated: part of their undo (a void, a refund) is left to an operator',
      registers: [registry],
      async collect() {
        this.set(await countEscalated());
      },
    }),
  );
  once(registry, 'refunds_escalated', () =>
    new Gauge({
      name: 'refunds_escalated',
      help: 'Refunds in status escalated: the gateway never confirmed them; an operator settles each (GET /v1/refunds?status=escalated)',
      registers: [registry],
      async collect() {
        this.set(await countEscalatedRefunds());
      },
    }),
  );
}
