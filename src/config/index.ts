/**
 * The service's settings, read from the environment and validated once. Entrypoints call `loadConfig()` and
 * pass the parts down; nothing else reads `process.env`.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../contracts/workflow.ts';
import { EVENT_SUBJECT_LAYOUTS, type EventSubjectLayout } from '../contracts/events.ts';
import type { ContactsInClear } from '../platform/nats/event-contact.ts';
import { parsePayloadKeys } from '../platform/codec/payload-keys.ts';
import type { PayloadKeyring, PlaintextPayloads, UnboundPayloads } from '../platform/codec/payload-codec.ts';
import { GATEWAY_CALL_DEADLINE_MS } from '../payments/failures.ts';
import { GATEWAYS, perGateway, type GatewayName, type GatewaySetting } from '../payments/gateways.ts';
import { DEVELOPMENT_FINGERPRINT_KEY } from '../fraud/fingerprint.ts';
import { hideUrlCredentials } from '../platform/redact.ts';
import { derivedId } from '../platform/ids.ts';

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

/** What a process does with data from before a safeguard (plaintext or unbound payloads, clear contacts): refused unless an upgrade's rollout accepts it. */
const refusedUnlessAccepted = z.enum(['refuse', 'accept']).default('refuse');

/** One URL setting per row of the gateway table, with the simulator's local port as its default. */
const gatewaySettings = Object.fromEntries(
  GATEWAYS.map((gateway) => [gateway.setting, url(['http', 'https']).default(`http://127.0.0.1:${gateway.localPort}`).describe(gateway.summary)]),
) as Record<GatewaySetting, z.ZodDefault<ReturnType<typeof url>>>;

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('`production` refuses the development keys and requires configured keys, `PUBLIC_URL` and `PAYLOAD_KEYS`'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level (`fatal` … `trace`, `silent`)'),
  DATA_DIR: z.string().min(1).default('.data').describe("where the local stack keeps Temporal's, NATS's and PGlite's state and `stack.json`"),

  API_HOST: z.string().min(1).default('127.0.0.1').describe('where the API (and, in their roles, the simulators and SMTP sink) listen'),
  API_PORT: port.default(3000).describe('the port the API listens on'),
  OPS_PORT: port.optional().describe('when set, `/metrics` and the detailed `/readyz` are served there only (on `OPS_HOST`); the public `/readyz` answers its status alone; required in production'),
  OPS_HOST: z.string().min(1).optional().describe('the address `OPS_PORT` listens on; unset: `127.0.0.1`'),
  PUBLIC_URL: url(['http', 'https']).optional().describe("base of `links.self` and the OpenAPI `servers` (never the request's `Host`); required in production; unset: the listening address"),

  TEMPORAL_ADDRESS: hostPort.optional().describe('a running Temporal frontend; when unset, `npm start` runs a dev server on `TEMPORAL_PORT`'),
  TEMPORAL_PORT: port.default(7233).describe('port of the dev server `npm start` runs'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default').describe('namespace'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE).describe('task queue of the checkout worker'),
  TEMPORAL_UI_PORT: port.default(8233).describe("port of that dev server's Web UI"),
  TEMPORAL_UI_URL: url(['http', 'https']).optional().describe("the Web UI operators use; a new checkout's answer to an operator then links to its workflow page (`links.workflow`); `npm start` sets its dev server's"),
  LOCAL_TEMPORAL_DATABASE_URL: url(['postgres', 'postgresql']).default('postgres://postgres@127.0.0.1:5432/durable_checkout_temporal').describe("where `npm start -- --temporal server` keeps the Temporal server's databases"),
  LOCAL_TEMPORAL_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16_384).default(8).describe("that server's history shards (fixed once its database exists)"),
  TEMPORAL_API_KEY: z.string().min(1).optional().describe('API key sent with every call (Temporal Cloud); turns TLS on unless `TEMPORAL_TLS=false`'),
  TEMPORAL_TLS: flag.optional().describe('TLS towards `TEMPORAL_ADDRESS` (`true` or `false`); unset: off, on with any TLS setting or an API key'),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: readableFile.optional().describe("CA of the server's certificate; unset: the system roots"),
  TEMPORAL_TLS_CLIENT_CERT_PATH: readableFile.optional().describe('client certificate for mTLS (together with `TEMPORAL_TLS_CLIENT_KEY_PATH`)'),
  TEMPORAL_TLS_CLIENT_KEY_PATH: readableFile.optional().describe("the client certificate's key for mTLS (together with `TEMPORAL_TLS_CLIENT_CERT_PATH`)"),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional().describe("server name to verify; unset: the address's host"),
  WORKER_METRICS_PORT: port.default(9464).describe("Prometheus endpoint of the worker's Temporal metrics"),
  SUBSCRIBER_METRICS_PORT: port.default(9465).describe("a single subscriber role's `/metrics` and `/readyz` (NATS and the database answer)"),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']).optional().describe('an OTLP/HTTP collector; traces go to `<endpoint>/v1/traces` ([Tracing](observability.md#tracing)); unset: no tracing'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http', 'https']).optional().describe("a traces URL of its own, instead of `OTEL_EXPORTER_OTLP_ENDPOINT`'s"),
  OTEL_SERVICE_NAME: z.string().min(1).default('durable-checkout').describe('`service.name` of the spans (each role adds `durable_checkout.role`)'),
  WORKFLOW_BUNDLE_PATH: readableFile.optional().describe('a prebuilt workflow bundle (`npm run build` writes `dist/workflow-bundle.js`; the image sets it); unset: bundle at start'),
  /**
   * true: the worker's sandbox keeps the SDK's stack per workflow promise, for the Web UI's Stack Trace tab and
   * frames in workflow errors (≈ 5 ms of worker CPU per checkout); false: neither (workflows/sandbox-stacks.ts).
   * The prebuilt bundle has them off, so true bundles at start and is refused with WORKFLOW_BUNDLE_PATH.
   */
  WORKFLOW_STACK_TRACES: flag.default(false).describe("`true`: the worker's sandbox keeps a stack per workflow promise — the Web UI's Stack Trace tab and frames in errors made in workflow code — for ≈ 5 ms of worker CPU per checkout; bundles at start, so refused with `WORKFLOW_BUNDLE_PATH`"),

  NATS_URL: natsServers.optional().describe("a running NATS with JetStream, one URL or a comma-separated list of a cluster's servers (`nats://` or `tls://`); when unset, `npm start` runs the pinned nats-server on `NATS_PORT`"),
  NATS_PORT: port.default(4223).describe('port of the nats-server `npm start` runs (4222 is often taken by a system server)'),
  NATS_CREDS_FILE: readableFile.optional().describe('a `.creds` file (JWT and NKey seed), read again at each reconnect'),
  NATS_USER: z.string().min(1).optional().describe('user (together with `NATS_PASSWORD`); one way to authenticate at a time'),
  NATS_PASSWORD: z.string().min(1).optional().describe('password (together with `NATS_USER`)'),
  NATS_TOKEN: z.string().min(1).optional().describe('a token, instead of a user and password; one way to authenticate at a time'),
  NATS_TLS_CA_FILE: readableFile.optional().describe("TLS towards NATS (on with any of the `NATS_TLS_*` files, or a `tls://` URL): the server's CA"),
  NATS_TLS_CERT_FILE: readableFile.optional().describe('TLS towards NATS: a client certificate (together with `NATS_TLS_KEY_FILE`)'),
  NATS_TLS_KEY_FILE: readableFile.optional().describe("TLS towards NATS: the client certificate's key (together with `NATS_TLS_CERT_FILE`)"),
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1).describe('copies of each stream in a NATS cluster (3 for three nodes)'),
  EVENT_SUBJECTS: z.enum(EVENT_SUBJECT_LAYOUTS).default('channel').describe("subjects events are published on: `channel` (`checkout.<outcome>.notify.<first channel>`) or `type` (`checkout.<outcome>`, as before; for an upgrade's rollout, see [Event subjects](events.md#event-subjects))"),
  EVENT_CONTACTS_IN_CLEAR: refusedUnlessAccepted.describe('`accept` lets email and notifications act on version-1 events, whose contact is in clear — only while such events may still be pending in the stream'),

  DATABASE_URL: url(['postgres', 'postgresql']).optional().describe('PostgreSQL; when unset, embedded PGlite in `DATA_DIR/pglite` (single process: `npm start` only)'),

  SMTP_URL: url(['smtp', 'smtps']).default('smtp://127.0.0.1:2525').describe('mail relay; a loopback URL makes `npm start` run its SMTP sink there'),
  MAILBOX_PORT: port.default(2580).describe("the sink's HTTP mailbox"),
  EMAIL_FROM: z.string().min(3).default('Durable Checkout <orders@checkout.example>').describe('sender of customer mail'),

  FRAUD_URL: url(['http', 'https']).default('http://127.0.0.1:4010').describe('fraud service'),
  ...gatewaySettings,
  SMS_PRIMARY_URL: url(['http', 'https']).default('http://127.0.0.1:4013').describe('primary SMS provider (simulated by `npm start` on loopback URLs)'),
  SMS_SECONDARY_URL: url(['http', 'https']).default('http://127.0.0.1:4014').describe('secondary SMS provider (simulated by `npm start` on loopback URLs)'),
  PUSH_PRIMARY_URL: url(['http', 'https']).default('http://127.0.0.1:4015').describe('primary push provider (simulated by `npm start` on loopback URLs)'),
  PUSH_SECONDARY_URL: url(['http', 'https']).default('http://127.0.0.1:4016').describe('secondary push provider (simulated by `npm start` on loopback URLs)'),
  NOTIFY_PROVIDER_TIMEOUT: duration.default(3_000).describe('per-request timeout of SMS and push provider calls'),
  NOTIFY_CHANNEL_DEADLINE: duration.default(60_000).describe("how long a channel is tried before a message falls back to the customer's next channel"),
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(40).describe('latency the simulators add to each request'),
  SIMULATOR_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0).describe('share of simulator requests answered 503'),
  SIMULATOR_HANG: duration.default(6_000).describe('how long `tok_timeoutAfterCharge` holds its first answer (must exceed `GATEWAY_TIMEOUT`)'),
  GATEWAY_TIMEOUT: duration.default(3_000).describe("per-request timeout of gateway calls; must be under the payment steps' 10 s start-to-close timeout"),
  FRAUD_TIMEOUT: duration.default(2_000).describe('per-request timeout of fraud scoring'),
  FRAUD_FINGERPRINT_KEY: z.string().min(32, 'must be at least 32 characters, e.g. $(openssl rand -base64 32)').optional().describe('the key of the HMAC-SHA256 fingerprints of the card token and the email the fraud service gets; required in production, 32 characters or more; the fraud simulator shares it; unset: a public development key'),

  REVIEW_TIMEOUT: duration.default(24 * 3_600_000).describe('how long a checkout waits for an operator before it is declined `review_timeout`'),

  MERCHANTS: principalKeys('mer', 'mer_acme').default([]).describe('merchants and their keys\' SHA-256 digests: `mer_acme:<hex>,mer_acme:<hex>,mer_globex:<hex>` (`printf %s "$KEY" | sha256sum`); see [Tenancy](api.md#merchants-operators-and-keys)'),
  MERCHANT_KEY_HASHES: z.string().optional().describe('replaced by `MERCHANTS`; when set, the process stops with a message saying how to write `MERCHANTS`'),
  /**
   * Operators and their keys' SHA-256 digests, `opr_alice:<hex>,…` like MERCHANTS, so an operator keeps its id
   * (the `reviewedBy` of its decisions) when its key is rotated; a bare `<hex>` is an operator of its own.
   */
  OPERATOR_KEY_HASHES: principalKeys('opr', 'opr_alice', operatorIdOfDigest).default([]).describe("operators and their keys' SHA-256 hex digests, `opr_alice:<sha256>,…` (an id may repeat: one operator, several keys); a bare `<sha256>` is an operator whose id derives from the digest"),
  ENABLE_DEV_KEYS: flag.default(false).describe("accept `dev_merchant_key` (merchant `mer_dev`) and `dev_operator_key`; refused in production; `npm start`'s local stack sets `true`"),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600).describe('requests per merchant (or operator key) per minute before `429`; as many failed authentications per client address'),
  MAX_WAITING_REQUESTS: z.coerce.number().int().min(0).default(DEFAULT_MAX_WAITING_REQUESTS).describe('requests held open by `Prefer: wait` at once, per API process; past it a request gets the asynchronous `202` at once (the preference is not applied)'),
  MAX_EVENT_STREAMS: z.coerce.number().int().min(0).default(DEFAULT_MAX_EVENT_STREAMS).describe('dashboard event streams open at once, per API process; past it `503`, and the page polls instead'),

  PAYLOAD_KEYS: payloadKeys.optional().describe('payload encryption keys, `id:base64key,…` (32-byte keys: `openssl rand -base64 32`); required in production, else a development key generated into `DATA_DIR/payload-keys`'),
  PAYLOAD_KEY_ID: z.string().min(1).optional().describe('the key new payloads are encrypted with; unset: the first of `PAYLOAD_KEYS`'),
  PAYLOADS_PLAINTEXT: refusedUnlessAccepted.describe('`accept` lets workers and the API act on unencrypted payloads — only while histories begun before encryption run (see [Payload encryption](security.md#payload-encryption-and-the-codec-server))'),
  PAYLOADS_UNBOUND: refusedUnlessAccepted.describe('`accept` lets workers and the API act on payloads sealed before payloads were bound to their workflow — only while histories begun before that still run'),
  CODEC_PORT: port.default(8234).describe('the codec server the Web UI decodes payloads through'),
  CODEC_ALLOWED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(url(['http', 'https'])))
    .optional().describe('browser origins allowed to call the codec server, comma-separated; unset: the local Web UI'),
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
    /** Each gateway's URL, by name (src/payments/gateways.ts). */
    gatewayUrls: Record<GatewayName, string>;
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
      gatewayUrls: perGateway((gateway) => e[gateway.setting]),
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
