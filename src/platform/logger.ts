/**
 * Structured logs (pino). Payment tokens and email addresses are redacted wherever they appear; a line
 * written inside a traced span carries its `traceId` and `spanId`, so a checkout's logs and trace meet.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
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

/**
 * `destination`: where lines go. By default stdout: one JSON object per line, or — when stdout is a terminal,
 * a person reading it — the same fields pretty-printed (pino-pretty, in this thread, so nothing is lost when
 * the process exits).
 */
export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const logOptions = {
    name: options.name ?? 'durable-checkout',
    level: options.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
    mixin: () => activeTraceIds() ?? {},
  };
  const destination = options.destination ?? (process.stdout.isTTY ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : undefined);
  return destination ? pino(logOptions, destination) : pino(logOptions);
}
