/**
 * The service's settings, read from the environment and validated once. Entrypoints call `loadConfig()` and
 * pass the parts down; nothing else reads `process.env`.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from './contracts/saga.ts';
import { EVENT_SUBJECT_LAYOUTS, type EventSubjectLayout } from './contracts/events.ts';
import type { ContactsInClear } from './nats/event-contact.ts';
import { parsePayloadKeys } from './codec/payload-keys.ts';
import type { PayloadKeyring, PlaintextPayloads, UnboundPayloads } from './codec/payload-codec.ts';
import { GATEWAY_CALL_DEADLINE_MS } from './domain/payment-failures.ts';
import { DEVELOPMENT_FINGERPRINT_KEY } from './domain/fingerprint.ts';
import { hideUrlCredentials } from './domain/redact.ts';
import { derivedId } from './ids.ts';

/** Requests held by `Prefer: wait`, and dashboard event streams, per API process unless configured. */
export const DEFAULT_MAX_WAITING_REQUESTS = 256;
export const DEFAULT_MAX_EVENT_STREAMS = 32;

/** The development keys accepted when ENABLE_DEV_KEYS=true (never in production), printed by the local stack. */
export const DEV_KEYS = { merchant: 'dev_merchant_key', operator: 'dev_operator_key' } as const;
/** The merchant the development merchant key belongs to. */
export const DEV_MERCHANT_ID = 'mer_dev';

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

const port = z.coerce.number().int().min(0).max(65535);
const url = (protocols: string[]) =>
  z.url().refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
    message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });
const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');
/** A merchant or an operator and the SHA-256 digests of its keys: several while a key is being rotated, one identity. */
export interface PrincipalKeys {
  id: string;
  keyHashes: string[];
}

/**
 * `mer_acme:<sha256>,mer_acme:<sha256>,mer_globex:<sha256>`: an id may repeat (one principal, several keys), a
 * digest may not. `unnamed`: an entry may be a bare digest, whose principal's id derives from it.
 */
function principalKeys(prefix: 'mer' | 'opr', example: string, unnamed?: (hash: string) => string) {
  const role = prefix === 'mer' ? 'merchant' : 'operator';
  const idPattern = new RegExp(`^${prefix}_[A-Za-z0-9_-]{1,60}$`);
  return z.string().transform((value, ctx): PrincipalKeys[] => {
    const byId = new Map<string, string[]>();
    const owner = new Map<string, string>();
    for (const [index, entry] of value.split(',').map((s) => s.trim()).filter(Boolean).entries()) {
      const parts = entry.split(':');
      const bare = parts.length === 1 && unnamed !== undefined;
      const [id = '', hash = ''] = bare ? [unnamed(entry), entry] : parts;
      if (!idPattern.test(id) || parts.length > 2) {
        // Named by its position: what stands where the id should may be a key pasted in the wrong place.
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1} must be <${role}Id>:<sha256 hex>${unnamed ? ' or a bare digest' : ''}, the id like ${example} (${prefix}_ then letters, digits, _ or -)` });
        continue;
      }
      if (!/^[0-9a-f]{64}$/.test(hash)) {
        ctx.addIssue({ code: 'custom', message: `the key of ${bare ? 'an entry' : id} must be a SHA-256 hex digest of the key (printf %s "$KEY" | sha256sum), not the key itself` });
        continue;
      }
      const earlier = owner.get(hash);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', message: `the same key digest is listed ${earlier === id ? `twice for ${id}` : `for both ${earlier} and ${id}`}` });
        continue;
      }
      owner.set(hash, id);
      byId.set(id, [...(byId.get(id) ?? []), hash]);
    }
    return [...byId].map(([id, keyHashes]) => ({ id, keyHashes }));
  });
}

/** An operator of a bare digest in OPERATOR_KEY_HASHES: its id is derived from the digest, as it always was. */
const operatorIdOfDigest = (hash: string) => derivedId('opr', hash);

/** The development operator key, listed as a bare digest would be. */
function devOperator(): PrincipalKeys {
  const hash = hashApiKey(DEV_KEYS.operator);
  return { id: operatorIdOfDigest(hash), keyHashes: [hash] };
}

/** A path to a file this process can read (certificates, keys, NATS credentials), checked at start. */
const readableFile = z.string().min(1).superRefine((file, ctx) => {
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    ctx.addIssue({ code: 'custom', message: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? 'error'})` });
  }
});

/** `nats://a:4222,tls://b:4222`: one or more servers of one cluster. */
const natsServers = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(url(['nats', 'tls'])).min(1, 'must list at least one server'));

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const payloadKeys = z.string().transform((value, ctx) => {
  try {
    return parsePayloadKeys(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Durations such as `500ms`, `30s`, `15m`, `24h`, or plain milliseconds. */
const duration = z.string().transform((value, ctx) => {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration like 500ms, 30s, 15m or 24h' });
    return z.NEVER;
  }
  const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** When set, `/metrics` and the detailed `/readyz` are served here only (bind it to an internal interface). */
  OPS_PORT: port.optional(),
  OPS_HOST: z.string().min(1).optional(),
  /** Public base URL of `links.self` and the OpenAPI servers; required in production, else the listening address. */
  PUBLIC_URL: url(['http', 'https']).optional(),

  /** A running Temporal frontend; when unset the local stack starts a dev server on TEMPORAL_PORT. */
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  TEMPORAL_UI_PORT: port.default(8233),
  /** The Temporal Web UI operators use; the API then links each new checkout to its workflow page. The local dev stack sets its own. */
  TEMPORAL_UI_URL: url(['http', 'https']).optional(),
  /** Where `npm start -- --temporal server` keeps the Temporal server's databases (`<db>` and `<db>_visibility`). */
  LOCAL_TEMPORAL_DATABASE_URL: url(['postgres', 'postgresql']).default('postgres://postgres@127.0.0.1:5432/durable_checkout_temporal'),
  /** History shards of that server: fixed once its database exists. */
  LOCAL_TEMPORAL_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16_384).default(8),
  /** Temporal's own environment-configuration names, as its CLI and SDKs read them. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: flag.optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: readableFile.optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: readableFile.optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: readableFile.optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  WORKER_METRICS_PORT: port.default(9464),
  /** A single subscriber role's `/metrics` and `/readyz` (the all-in-one stack serves them with the API's). */
  SUBSCRIBER_METRICS_PORT: port.default(9465),
  /** OpenTelemetry's standard variables: traces go over OTLP/HTTP to `<endpoint>/v1/traces`; neither set: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http', 'https']).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('durable-checkout'),
  /** A workflow bundle built ahead of time (`npm run build` writes dist/workflow-bundle.js); else workers bundle at start. */
  WORKFLOW_BUNDLE_PATH: readableFile.optional(),
  /**
   * true: the worker's sandbox keeps the SDK's stack per workflow promise, for the Web UI's Stack Trace tab and
   * frames in workflow errors (≈ 5 ms of worker CPU per checkout); false: neither (workflows/sandbox-stacks.ts).
   * The prebuilt bundle has them off, so true bundles at start and is refused with WORKFLOW_BUNDLE_PATH.
   */
  WORKFLOW_STACK_TRACES: flag.default(false),

  NATS_URL: natsServers.optional(),
  NATS_PORT: port.default(4223),
  /** One way to authenticate to NATS: a credentials file (JWT and NKey), a user and password, or a token. */
  NATS_CREDS_FILE: readableFile.optional(),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  NATS_TOKEN: z.string().min(1).optional(),
  NATS_TLS_CA_FILE: readableFile.optional(),
  NATS_TLS_CERT_FILE: readableFile.optional(),
  NATS_TLS_KEY_FILE: readableFile.optional(),
  /** Copies of each stream in a NATS cluster: 3 for a three-node cluster (an odd number, at most the node count). */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /**
   * The subjects events are published on: `channel` (`checkout.<outcome>.notify.<first channel>`) or `type`
   * (`checkout.<outcome>`, as before the channel token), for the rollout of the upgrade that brought it.
   */
  EVENT_SUBJECTS: z.enum(EVENT_SUBJECT_LAYOUTS).default('channel'),
  /**
   * `accept` lets the email and notifications subscribers act on version-1 events, whose customer contact is in
   * clear (published before contacts were sealed): only while such events may still be in the stream.
   */
  EVENT_CONTACTS_IN_CLEAR: z.enum(['refuse', 'accept']).default('refuse'),

  DATABASE_URL: url(['postgres', 'postgresql']).optional(),

  SMTP_URL: url(['smtp', 'smtps']).default('smtp://127.0.0.1:2525'),
  MAILBOX_PORT: port.default(2580),
  EMAIL_FROM: z.string().min(3).default('Durable Checkout <orders@checkout.example>'),

  FRAUD_URL: url(['http', 'https']).default('http://127.0.0.1:4010'),
  PRIMARY_GATEWAY_URL: url(['http', 'https']).default('http://127.0.0.1:4011'),
  SECONDARY_GATEWAY_URL: url(['http', 'https']).default('http://127.0.0.1:4012'),
  /** SMS and push providers, two each (primary and secondary); loopback URLs make the local stack run simulators there. */
  SMS_PRIMARY_URL: url(['http', 'https']).default('http://127.0.0.1:4013'),
  SMS_SECONDARY_URL: url(['http', 'https']).default('http://127.0.0.1:4014'),
  PUSH_PRIMARY_URL: url(['http', 'https']).default('http://127.0.0.1:4015'),
  PUSH_SECONDARY_URL: url(['http', 'https']).default('http://127.0.0.1:4016'),
  /** Per-request timeout of provider calls, and how long one channel is tried before falling back to the next. */
  NOTIFY_PROVIDER_TIMEOUT: duration.default(3_000),
  NOTIFY_CHANNEL_DEADLINE: duration.default(60_000),
  /** Simulator behaviour: added latency and the share of requests answered 503. */
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(40),
  SIMULATOR_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** How long `tok_timeoutAfterCharge` holds the first authorization response; must exceed GATEWAY_TIMEOUT. */
  SIMULATOR_HANG: duration.default(6_000),
  /** Per-request timeout of calls to the gateways and the fraud service. */
  GATEWAY_TIMEOUT: duration.default(3_000),
  FRAUD_TIMEOUT: duration.default(2_000),
  /** The key of the card and email fingerprints the fraud service gets (HMAC-SHA256); required in production. */
  FRAUD_FINGERPRINT_KEY: z.string().min(32, 'must be at least 32 characters, e.g. $(openssl rand -base64 32)').optional(),

  REVIEW_TIMEOUT: duration.default(24 * 3_600_000),

  /** Merchants and their keys' SHA-256 digests, `mer_acme:<hex>,…`; one merchant may have several keys. */
  MERCHANTS: principalKeys('mer', 'mer_acme').default([]),
  /** Replaced by MERCHANTS; named so an old setting fails loudly instead of locking every merchant out. */
  MERCHANT_KEY_HASHES: z.string().optional(),
  /**
   * Operators and their keys' SHA-256 digests, `opr_alice:<hex>,…` like MERCHANTS, so an operator keeps its id
   * (the `reviewedBy` of its decisions) when its key is rotated; a bare `<hex>` is an operator of its own.
   */
  OPERATOR_KEY_HASHES: principalKeys('opr', 'opr_alice', operatorIdOfDigest).default([]),
  /** Accept DEV_KEYS (set by `npm start` for the local stack); refused in production. */
  ENABLE_DEV_KEYS: flag.default(false),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Requests held open by `Prefer: wait` at once, per API process; past it a request is answered at once (202). */
  MAX_WAITING_REQUESTS: z.coerce.number().int().min(0).default(DEFAULT_MAX_WAITING_REQUESTS),
  /** Dashboard event streams open at once, per API process; past it `503`. */
  MAX_EVENT_STREAMS: z.coerce.number().int().min(0).default(DEFAULT_MAX_EVENT_STREAMS),

  /** Payload encryption keys, `id:base64key,…`; required in production, else a development key in DATA_DIR. */
  PAYLOAD_KEYS: payloadKeys.optional(),
  /** The key new payloads are encrypted with; default: the first of PAYLOAD_KEYS. */
  PAYLOAD_KEY_ID: z.string().min(1).optional(),
  /** `accept` lets workers and the API act on unencrypted payloads: only while histories begun before encryption run. */
  PAYLOADS_PLAINTEXT: z.enum(['refuse', 'accept']).default('refuse'),
  /** `accept` lets them act on payloads sealed before payloads were bound to their workflow: only while histories begun before that run. */
  PAYLOADS_UNBOUND: z.enum(['refuse', 'accept']).default('refuse'),
  /** The codec server the Web UI decodes payloads through (operators only). */
  CODEC_PORT: port.default(8234),
  /** Origins allowed to call the codec server from a browser; default: the local Web UI. */
  CODEC_ALLOWED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(url(['http', 'https'])))
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface TemporalTls {
  serverCaCertPath: string | null;
  clientCertPath: string | null;
  clientKeyPath: string | null;
  serverName: string | null;
}

export type NatsAuth =
  | { kind: 'none' }
  | { kind: 'credentials'; file: string }
  | { kind: 'user'; user: string; password: string }
  | { kind: 'token'; token: string };

export interface NatsTls {
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
}

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  /** `ops` null: `/metrics` and the detailed `/readyz` are served on the API port. */
  /** `workflowPageBase`: a checkout's Web UI page is this followed by its workflow id; null when no Web UI is known. */
  api: {
    host: string;
    port: number;
    publicUrl: string;
    /** Operator sessions' cookies `__Host-` and `Secure`: in production, or when PUBLIC_URL is https. */
    secureCookies: boolean;
    rateLimitPerMinute: number;
    maxWaitingRequests: number;
    maxEventStreams: number;
    ops: { host: string; port: number } | null;
    workflowPageBase: string | null;
  };
  /** `managed`: TEMPORAL_ADDRESS was not set, so the local stack runs its own dev server there. */
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    uiPort: number;
    workerMetricsPort: number;
    managed: boolean;
    /** Sent as `Authorization: Bearer` on every call (Temporal Cloud API keys). */
    apiKey: string | null;
    /** null: plaintext gRPC (the dev server). */
    tls: TemporalTls | null;
    /** The prebuilt workflow bundle workers load, or null to bundle from source at start. */
    workflowBundlePath: string | null;
    /** Whether the sandbox keeps a stack per workflow promise (the Web UI's Stack Trace tab); bundled at start when true. */
    workflowStackTraces: boolean;
    /** The production server the local stack runs with `--temporal server`. */
    localServer: { databaseUrl: string; historyShards: number };
  };
  /** `servers` null means: the local stack starts its own nats-server on `port`. */
  nats: { servers: string[] | null; port: number; auth: NatsAuth; tls: NatsTls | null; streamReplicas: number; eventSubjects: EventSubjectLayout; contactsInClear: ContactsInClear };
  /** `url` null means: embedded PGlite in `<dataDir>/pglite`. */
  database: { url: string | null };
  email: { smtpUrl: string; from: string; mailboxPort: number };
  subscribers: { metricsPort: number };
  /** `tracesEndpoint` null: tracing off. */
  tracing: { tracesEndpoint: string | null; serviceName: string };
  notifications: {
    providers: { sms: { primary: string; secondary: string }; push: { primary: string; secondary: string } };
    providerTimeoutMs: number;
    channelDeadlineMs: number;
  };
  services: {
    fraudUrl: string;
    primaryGatewayUrl: string;
    secondaryGatewayUrl: string;
    gatewayTimeoutMs: number;
    fraudTimeoutMs: number;
    /** The fingerprints' key; outside production, the public development key if unset. */
    fraudFingerprintKey: string;
  };
  simulators: { latencyMs: number; failureRate: number; hangMs: number };
  checkout: { reviewTimeoutMs: number };
  /** Accepted API keys as SHA-256 digests: merchants by id, operators; the development keys when enabled. */
  auth: { merchants: PrincipalKeys[]; operators: PrincipalKeys[]; devKeys: boolean };
  /** `keyring` null means: the development key in `<dataDir>/payload-keys` (never in production). */
  payloads: { keyring: PayloadKeyring | null; plaintext: PlaintextPayloads; unbound: UnboundPayloads };
  codec: { port: number; allowedOrigins: string[] };
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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
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
  const devKeys = e.ENABLE_DEV_KEYS;
  if (e.MERCHANT_KEY_HASHES !== undefined) {
    throw new ConfigError(
      'invalid configuration:\n  MERCHANT_KEY_HASHES is replaced by MERCHANTS, which names the merchant each key belongs to: ' +
        'MERCHANTS=mer_acme:<sha256 of key>,mer_acme:<sha256 of its next key>,mer_globex:<sha256>',
    );
  }
  if (e.WORKFLOW_STACK_TRACES && e.WORKFLOW_BUNDLE_PATH) {
    throw new ConfigError(
      'invalid configuration:\n  WORKFLOW_STACK_TRACES=true needs the worker to bundle its workflows at start, but WORKFLOW_BUNDLE_PATH names a prebuilt bundle (built without stack traces). Fix: unset WORKFLOW_BUNDLE_PATH, or WORKFLOW_STACK_TRACES.',
    );
  }
  if (production && devKeys) {
    throw new ConfigError('invalid configuration:\n  ENABLE_DEV_KEYS=true is refused in production: the development keys are public');
  }
  if (production && e.MERCHANTS.length === 0 && e.OPERATOR_KEY_HASHES.length === 0) {
    throw new ConfigError(
      'invalid configuration:\n  MERCHANTS and OPERATOR_KEY_HASHES are both empty in production, so no request could authenticate. ' +
        'Set them to SHA-256 hex digests of your keys (e.g. `printf %s "$KEY" | sha256sum`).',
    );
  }
  const merchantHashes = new Set(e.MERCHANTS.flatMap((m) => m.keyHashes));
  const shared = e.OPERATOR_KEY_HASHES.flatMap((o) => o.keyHashes).find((hash) => merchantHashes.has(hash));
  if (shared !== undefined) {
    throw new ConfigError(`invalid configuration:\n  OPERATOR_KEY_HASHES: the digest ${shared.slice(0, 12)}… is also a merchant key in MERCHANTS; a key has one role`);
  }
  if (e.OPS_PORT !== undefined && e.OPS_PORT === e.API_PORT && e.OPS_PORT !== 0) {
    throw new ConfigError(`invalid configuration:\n  OPS_PORT=${e.OPS_PORT}: must differ from API_PORT, or /metrics would be public again`);
  }
  if (production && e.PUBLIC_URL === undefined) {
    // Links are built from it, never from a request's Host header, which any client can set.
    throw new ConfigError('invalid configuration:\n  PUBLIC_URL is required in production: the base URL clients reach the API at, e.g. https://pay.example.com');
  }
  if (production && e.PAYLOAD_KEYS === undefined) {
    throw new ConfigError(
      'invalid configuration:\n  PAYLOAD_KEYS is required in production, or workflow histories would hold card tokens and customer data in clear. ' +
        'Set it to id:base64key pairs, e.g. PAYLOAD_KEYS="2026-12:$(openssl rand -base64 32)"',
    );
  }
  if (production && e.FRAUD_FINGERPRINT_KEY === undefined) {
    throw new ConfigError(
      'invalid configuration:\n  FRAUD_FINGERPRINT_KEY is required in production: the development key is public, and fingerprints under it can be reversed ' +
        'by hashing a list of emails. Set it to a secret shared by the workers (and a fraud simulator), e.g. FRAUD_FINGERPRINT_KEY="$(openssl rand -base64 32)"',
    );
  }
  if (production && e.OPS_PORT === undefined) {
    throw new ConfigError(
      'invalid configuration:\n  OPS_PORT is required in production: without it /metrics and the detailed /readyz are served on the public API port. ' +
        'Set it to a port of its own (OPS_HOST defaults to 127.0.0.1), e.g. OPS_PORT=9100',
    );
  }
  const keyIds = e.PAYLOAD_KEYS ? [...e.PAYLOAD_KEYS.keys()] : [];
  if (e.PAYLOAD_KEY_ID !== undefined && !keyIds.includes(e.PAYLOAD_KEY_ID)) {
    throw new ConfigError(
      `invalid configuration:\n  PAYLOAD_KEY_ID=${JSON.stringify(e.PAYLOAD_KEY_ID)}: must be one of the ids in PAYLOAD_KEYS (${keyIds.join(', ') || 'none set'})`,
    );
  }
  const temporalTls = temporalTlsOf(e, present.TEMPORAL_ADDRESS !== undefined);
  const nats = natsConnectionOf(e);
  if (e.GATEWAY_TIMEOUT >= GATEWAY_CALL_DEADLINE_MS) {
    // Temporal would time the attempt out first, and a gateway call cut off by Temporal has an unknown outcome.
    throw new ConfigError(
      `invalid configuration:\n  GATEWAY_TIMEOUT (${e.GATEWAY_TIMEOUT} ms) must be shorter than a payment step's start-to-close timeout (${GATEWAY_CALL_DEADLINE_MS} ms)`,
    );
  }
  if (e.SIMULATOR_HANG <= e.GATEWAY_TIMEOUT) {
    throw new ConfigError(`invalid configuration:\n  SIMULATOR_HANG (${e.SIMULATOR_HANG} ms) must exceed GATEWAY_TIMEOUT (${e.GATEWAY_TIMEOUT} ms)`);
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      publicUrl: e.PUBLIC_URL ?? `http://${e.API_HOST}:${e.API_PORT}`,
      // Session cookies are `__Host-` and `Secure` in production whatever PUBLIC_URL says, and over https.
      secureCookies: production || (e.PUBLIC_URL ?? '').startsWith('https://'),
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      maxWaitingRequests: e.MAX_WAITING_REQUESTS,
      maxEventStreams: e.MAX_EVENT_STREAMS,
      ops: e.OPS_PORT === undefined ? null : { host: e.OPS_HOST ?? '127.0.0.1', port: e.OPS_PORT },
      workflowPageBase: e.TEMPORAL_UI_URL ? workflowPageBase(e.TEMPORAL_UI_URL, e.TEMPORAL_NAMESPACE) : null,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
      workerMetricsPort: e.WORKER_METRICS_PORT,
      managed: present.TEMPORAL_ADDRESS === undefined,
      apiKey: e.TEMPORAL_API_KEY ?? null,
      tls: temporalTls,
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH ? path.resolve(e.WORKFLOW_BUNDLE_PATH) : null,
      workflowStackTraces: e.WORKFLOW_STACK_TRACES,
      localServer: { databaseUrl: e.LOCAL_TEMPORAL_DATABASE_URL, historyShards: e.LOCAL_TEMPORAL_HISTORY_SHARDS },
    },
    nats: { servers: e.NATS_URL ?? null, port: e.NATS_PORT, ...nats, streamReplicas: e.NATS_STREAM_REPLICAS, eventSubjects: e.EVENT_SUBJECTS, contactsInClear: e.EVENT_CONTACTS_IN_CLEAR },
    database: { url: e.DATABASE_URL ?? null },
    email: { smtpUrl: e.SMTP_URL, from: e.EMAIL_FROM, mailboxPort: e.MAILBOX_PORT },
    subscribers: { metricsPort: e.SUBSCRIBER_METRICS_PORT },
    tracing: {
      tracesEndpoint: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : null),
      serviceName: e.OTEL_SERVICE_NAME,
    },
    notifications: {
      providers: { sms: { primary: e.SMS_PRIMARY_URL, secondary: e.SMS_SECONDARY_URL }, push: { primary: e.PUSH_PRIMARY_URL, secondary: e.PUSH_SECONDARY_URL } },
      providerTimeoutMs: e.NOTIFY_PROVIDER_TIMEOUT,
      channelDeadlineMs: e.NOTIFY_CHANNEL_DEADLINE,
    },
    services: {
      fraudUrl: e.FRAUD_URL,
      primaryGatewayUrl: e.PRIMARY_GATEWAY_URL,
      secondaryGatewayUrl: e.SECONDARY_GATEWAY_URL,
      gatewayTimeoutMs: e.GATEWAY_TIMEOUT,
      fraudTimeoutMs: e.FRAUD_TIMEOUT,
      fraudFingerprintKey: e.FRAUD_FINGERPRINT_KEY ?? DEVELOPMENT_FINGERPRINT_KEY,
    },
    simulators: { latencyMs: e.SIMULATOR_LATENCY_MS, failureRate: e.SIMULATOR_FAILURE_RATE, hangMs: e.SIMULATOR_HANG },
    checkout: { reviewTimeoutMs: e.REVIEW_TIMEOUT },
    auth: {
      merchants: [...e.MERCHANTS, ...(devKeys ? [{ id: DEV_MERCHANT_ID, keyHashes: [hashApiKey(DEV_KEYS.merchant)] }] : [])],
      operators: [...e.OPERATOR_KEY_HASHES, ...(devKeys ? [devOperator()] : [])],
      devKeys,
    },
    payloads: { keyring: e.PAYLOAD_KEYS ? { activeKeyId: e.PAYLOAD_KEY_ID ?? keyIds[0]!, keys: e.PAYLOAD_KEYS } : null, plaintext: e.PAYLOADS_PLAINTEXT, unbound: e.PAYLOADS_UNBOUND },
    codec: {
      port: e.CODEC_PORT,
      allowedOrigins: e.CODEC_ALLOWED_ORIGINS ?? [`http://127.0.0.1:${e.TEMPORAL_UI_PORT}`, `http://localhost:${e.TEMPORAL_UI_PORT}`],
    },
  };
}

/** The Web UI's page of a workflow in `namespace` is this base followed by the workflow id. */
export const workflowPageBase = (uiUrl: string, namespace: string) => `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/`;

const invalid = (line: string) => new ConfigError(`invalid configuration:\n  ${line}`);

/**
 * TLS towards Temporal: on when TEMPORAL_TLS says so, or when a certificate or an API key is set (an API key
 * is a bearer secret, sent over TLS unless TEMPORAL_TLS=false says otherwise, e.g. for a local proxy).
 */
function temporalTlsOf(e: Env, addressGiven: boolean): TemporalTls | null {
  const files = { serverCaCertPath: e.TEMPORAL_TLS_SERVER_CA_CERT_PATH, clientCertPath: e.TEMPORAL_TLS_CLIENT_CERT_PATH, clientKeyPath: e.TEMPORAL_TLS_CLIENT_KEY_PATH };
  const anyTlsSetting = Object.values(files).some((f) => f !== undefined) || e.TEMPORAL_TLS_SERVER_NAME !== undefined;
  const enabled = e.TEMPORAL_TLS ?? (anyTlsSetting || e.TEMPORAL_API_KEY !== undefined);
  if ((files.clientCertPath === undefined) !== (files.clientKeyPath === undefined)) {
    throw invalid('TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together: a client certificate needs its key, and the key its certificate');
  }
  if (!enabled && anyTlsSetting) throw invalid('TEMPORAL_TLS=false, but TLS certificates or a server name are set for Temporal: remove them or drop TEMPORAL_TLS=false');
  if ((enabled || e.TEMPORAL_API_KEY !== undefined) && !addressGiven) {
    throw invalid('TLS or an API key for Temporal needs TEMPORAL_ADDRESS: the local dev server `npm start` runs speaks plaintext only');
  }
  if (!enabled) return null;
  return {
    serverCaCertPath: files.serverCaCertPath ?? null,
    clientCertPath: files.clientCertPath ?? null,
    clientKeyPath: files.clientKeyPath ?? null,
    serverName: e.TEMPORAL_TLS_SERVER_NAME ?? null,
  };
}

/** How to authenticate to NATS and whether over TLS; only one way to authenticate, and only with NATS_URL. */
function natsConnectionOf(e: Env): { auth: NatsAuth; tls: NatsTls | null } {
  const ways = [
    e.NATS_CREDS_FILE !== undefined && 'NATS_CREDS_FILE',
    (e.NATS_USER !== undefined || e.NATS_PASSWORD !== undefined) && 'NATS_USER/NATS_PASSWORD',
    e.NATS_TOKEN !== undefined && 'NATS_TOKEN',
  ].filter((w): w is string => typeof w === 'string');
  if (ways.length > 1) throw invalid(`NATS: set one way to authenticate, not ${ways.join(' and ')}`);
  if ((e.NATS_USER === undefined) !== (e.NATS_PASSWORD === undefined)) throw invalid('NATS_USER and NATS_PASSWORD go together');
  if ((e.NATS_TLS_CERT_FILE === undefined) !== (e.NATS_TLS_KEY_FILE === undefined)) {
    throw invalid('NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together: a client certificate needs its key, and the key its certificate');
  }
  const tlsFiles = { caFile: e.NATS_TLS_CA_FILE ?? null, certFile: e.NATS_TLS_CERT_FILE ?? null, keyFile: e.NATS_TLS_KEY_FILE ?? null };
  const tls = Object.values(tlsFiles).some((f) => f !== null) || (e.NATS_URL ?? []).some((u) => u.startsWith('tls://')) ? tlsFiles : null;
  if ((ways.length > 0 || tls) && e.NATS_URL === undefined) {
    throw invalid('NATS credentials or TLS need NATS_URL: the local nats-server `npm start` runs has neither');
  }
  const auth: NatsAuth =
    e.NATS_CREDS_FILE !== undefined
      ? { kind: 'credentials', file: e.NATS_CREDS_FILE }
      : e.NATS_USER !== undefined && e.NATS_PASSWORD !== undefined
        ? { kind: 'user', user: e.NATS_USER, password: e.NATS_PASSWORD }
        : e.NATS_TOKEN !== undefined
          ? { kind: 'token', token: e.NATS_TOKEN }
          : { kind: 'none' };
  return { auth, tls };
}
