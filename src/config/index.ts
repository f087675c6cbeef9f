/**
 * The service's settings, read from the environment and validated once. Entrypoints call `loadConfig()` and
 * pass the parts down; nothing else reads `process.env`. Each section's file owns its slice of the environment
 * (its variables, their defaults and descriptions, and the rules between them); this file puts them together.
 */
import path from 'node:path';
import { z } from 'zod';
import { hideUrlCredentials } from '../platform/redact.ts';
import { apiEnv, apiOf, type ApiConfig } from './api.ts';
import { authEnv, authOf, type AuthConfig } from './auth.ts';
import { natsEnv, natsOf, type NatsConfig } from './nats.ts';
import { notificationsEnv, notificationsOf, type EmailConfig, type NotificationsConfig } from './notifications.ts';
import { payloadsEnv, payloadsOf, type CodecConfig, type PayloadsConfig } from './payloads.ts';
import { servicesEnv, servicesOf, type ServicesConfig, type SimulatorsConfig } from './services.ts';
import { webhooksEnv, webhooksOf, type WebhooksConfig } from './webhooks.ts';
import { withTemporalProfile } from './temporal-profile.ts';
import { ConfigError, duration, url } from './settings.ts';
import { telemetryEnv, telemetryOf, type TracingConfig } from './telemetry.ts';
import { checkWorkflowBundle, temporalEnv, temporalOf, type TemporalConfig } from './temporal.ts';

export { DEFAULT_MAX_EVENT_STREAMS, DEFAULT_MAX_WAITING_REQUESTS, workflowPageBase } from './api.ts';
export { DEV_KEYS, DEV_MERCHANT_ID, hashApiKey, type PrincipalKeys } from './auth.ts';
export type { NatsAuth, NatsTls } from './nats.ts';
export { ConfigError } from './settings.ts';
export type { TemporalTls } from './temporal.ts';

/** The environment, section by section, in the order the configuration docs list it. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('`production` refuses the development keys and requires configured keys, `PUBLIC_URL` and `PAYLOAD_KEYS`'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level (`fatal` … `trace`, `silent`)'),
  DATA_DIR: z.string().min(1).default('.data').describe("where the local stack keeps Temporal's, NATS's and PGlite's state and `stack.json`"),
  ...apiEnv,
  ...temporalEnv,
  ...telemetryEnv,
  ...natsEnv,
  DATABASE_URL: url(['postgres', 'postgresql']).optional().describe('PostgreSQL; when unset, embedded PGlite in `DATA_DIR/pglite` (single process: `npm start` only)'),
  ...notificationsEnv,
  ...servicesEnv,
  REVIEW_TIMEOUT: duration.default(24 * 3_600_000).describe('how long a checkout waits for an operator before it is declined `review_timeout`'),
  REFUND_DEADLINE: duration.default(24 * 3_600_000).describe('how long a refund retries its gateway (with backoff) before it is escalated to an operator'),
  ...authEnv,
  ...payloadsEnv,
  ...webhooksEnv,
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  api: ApiConfig;
  temporal: TemporalConfig;
  nats: NatsConfig;
  /** `url` null means: embedded PGlite in `<dataDir>/pglite`. */
  database: { url: string | null };
  email: EmailConfig;
  subscribers: { metricsPort: number };
  tracing: TracingConfig;
  notifications: NotificationsConfig;
  services: ServicesConfig;
  simulators: SimulatorsConfig;
  checkout: { reviewTimeoutMs: number; refundDeadlineMs: number };
  auth: AuthConfig;
  payloads: PayloadsConfig;
  codec: CodecConfig;
  webhooks: WebhooksConfig;
}

/**
 * Variables whose values are secrets, or where a secret is easily pasted by mistake (a key instead of its
 * digest): an error names them and what is wrong, never shows their value.
 */
const SECRET_VARIABLES = new Set(['PAYLOAD_KEYS', 'TEMPORAL_API_KEY', 'NATS_PASSWORD', 'NATS_TOKEN', 'MERCHANTS', 'OPERATOR_KEY_HASHES', 'FRAUD_FINGERPRINT_KEY']);

/** A value as a configuration error may print it: secrets hidden, and any password in a URL masked. */
function shownValue(name: string, value: string): string {
  if (SECRET_VARIABLES.has(name)) return '<hidden>';
  return JSON.stringify(hideUrlCredentials(value));
}

/** Parses and validates the environment; throws a ConfigError naming every bad variable, or the first broken rule between them. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const present = withTemporalProfile(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>);
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      return `  ${name}=${shownValue(name, present[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  checkWorkflowBundle(e);
  const auth = authOf(e, { production });
  const api = apiOf(e, { production, webUi: { url: e.TEMPORAL_UI_URL, namespace: e.TEMPORAL_NAMESPACE } });
  const { payloads, codec } = payloadsOf(e, { production, webUiPort: e.TEMPORAL_UI_PORT });
  const { services, simulators } = servicesOf(e, { production });
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    api,
    temporal: temporalOf(e),
    nats: natsOf(e),
    database: { url: e.DATABASE_URL ?? null },
    ...notificationsOf(e),
    ...telemetryOf(e),
    services,
    simulators,
    checkout: { reviewTimeoutMs: e.REVIEW_TIMEOUT, refundDeadlineMs: e.REFUND_DEADLINE },
    auth,
    payloads,
    codec,
    webhooks: webhooksOf(e, { production }),
  };
}
