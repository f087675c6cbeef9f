/**
 * Structured logs (pino). Payment tokens and email addresses are redacted wherever they appear; a line
 * written inside a traced span carries its `traceId` and `spanId`, so a checkout's logs and trace meet.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { activeTraceIds } from './telemetry/tracing.ts';

export type { Logger };

const REDACT = [
  'paymentToken',
  '*.paymentToken',
  'token',
  '*.token',
  'payment.token',
  '*.payment.token',
  'email',
  '*.email',
  '*.*.email',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
];

/** `destination`: where lines go (stdout by default). */
export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const logOptions = {
    name: options.name ?? 'durable-checkout',
    level: options.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
    mixin: () => activeTraceIds() ?? {},
  };
  return options.destination ? pino(logOptions, options.destination) : pino(logOptions);
}
