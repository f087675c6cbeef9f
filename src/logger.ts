/** Structured logs (pino). Payment tokens and email addresses are redacted wherever they appear. */
import { pino, type Logger } from 'pino';

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

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'durable-checkout',
    level: options.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
  });
}
