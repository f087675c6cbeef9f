/** The API's Prometheus metrics, registered in an injected registry (created once per registry). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { registeredOnce } from '../src/platform/telemetry/registered-once.ts';

export interface ApiMetrics {
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  checkoutsStarted: Counter<'mode'>;
  idempotentReplays: Counter;
}

/** The API's metrics in `registry`; reuses those already registered there. */
export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  return {
    httpRequests: registeredOnce(registry, 'http_requests_total', () =>
      new Counter({ name: 'http_requests_total', help: 'HTTP requests by route pattern and status', labelNames: ['method', 'route', 'status'], registers }),
    ),
    httpDuration: registeredOnce(registry, 'http_request_duration_seconds', () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request latency by route pattern and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      }),
    ),
    checkoutsStarted: registeredOnce(registry, 'checkouts_started_total', () =>
      new Counter({ name: 'checkouts_started_total', help: 'Checkout sagas started by the API (not counting idempotent replays)', labelNames: ['mode'], registers }),
    ),
    idempotentReplays: registeredOnce(registry, 'checkout_idempotent_replays_total', () =>
      new Counter({ name: 'checkout_idempotent_replays_total', help: 'POST /v1/checkouts answered from an earlier request with the same Idempotency-Key', registers }),
    ),
  };
}

/** A gauge set from `count` at each scrape. */
const countGauge = (registry: Registry, name: string, help: string, count: () => Promise<number>) =>
  registeredOnce(registry, name, () =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(await count());
      },
    }),
  );

/**
 * `checkouts_escalated` and `refunds_escalated`: what could not be finished automatically and waits for a
 * person (status `escalated`), read at each scrape; alert on either being above zero.
 */
export function registerEscalationGauge(registry: Registry, countEscalated: () => Promise<number>, countEscalatedRefunds: () => Promise<number>): void {
  countGauge(registry, 'checkouts_escalated', 'Checkouts in status escalated: part of their undo (a void, a refund) is left to an operator', countEscalated);
  countGauge(registry, 'refunds_escalated', 'Refunds in status escalated: the gateway never confirmed them; an operator settles each (GET /v1/refunds?status=escalated)', countEscalatedRefunds);
}
