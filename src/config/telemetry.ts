/** The telemetry section: where traces go, and the subscribers' own metrics port. */
import { z } from 'zod';
import { port, url } from './settings.ts';

const telemetrySchema = z.object({
  SUBSCRIBER_METRICS_PORT: port.default(9465).describe("a single subscriber role's `/metrics` and `/readyz` (NATS and the database answer)"),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']).optional().describe('an OTLP/HTTP collector; traces go to `<endpoint>/v1/traces` ([Tracing](observability.md#tracing)); unset: no tracing'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http', 'https']).optional().describe("a traces URL of its own, instead of `OTEL_EXPORTER_OTLP_ENDPOINT`'s"),
  OTEL_SERVICE_NAME: z.string().min(1).default('durable-checkout').describe('`service.name` of the spans (each role adds `durable_checkout.role`)'),
});
export const telemetryEnv = telemetrySchema.shape;
type TelemetryEnv = z.infer<typeof telemetrySchema>;

/** `tracesEndpoint` null: tracing off. */
export interface TracingConfig {
  tracesEndpoint: string | null;
  serviceName: string;
}

export const telemetryOf = (e: TelemetryEnv): { tracing: TracingConfig; subscribers: { metricsPort: number } } => ({
  tracing: {
    tracesEndpoint: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : null),
    serviceName: e.OTEL_SERVICE_NAME,
  },
  subscribers: { metricsPort: e.SUBSCRIBER_METRICS_PORT },
});
