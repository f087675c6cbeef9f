/** What every handler can rely on: the app's dependencies and the per-request variables set by middleware. */
import type { Registry } from 'prom-client';
import type { Config } from '../src/config/index.ts';
import type { ConcurrencyCap } from './concurrency.ts';
import type { CatalogSource } from '../src/inventory/catalog.ts';
import type { Database } from '../src/platform/db/client.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { CheckoutsPort } from '../src/checkouts/temporal-checkouts.ts';
import type { RefundsPort } from '../src/checkouts/temporal-refunds.ts';
import type { PayloadKeyring } from '../src/platform/codec/payload-codec.ts';
import type { ApiMetrics } from './metrics.ts';

/** Who is calling: the role of the presented key and its identity. */
export interface Principal {
  role: 'merchant' | 'operator';
  /** A merchant's or an operator's configured id (`mer_…`, `opr_…`, the same for all its keys; derived from the digest for an operator listed by digest alone). */
  id: string;
}

/** The Hono environment of the app. */
export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal;
    /** Set by handlers once the request names a checkout, for the request log. */
    checkoutId: string;
    /** The problem code of an error response, for the request log. */
    problem: string;
  };
};

/** Readiness checks by name (temporal, nats, database): each resolves when its dependency answers. */
export type ReadinessChecks = Record<string, () => Promise<void>>;

/** Everything `createApp` needs; no module holds state of its own. */
export interface AppDeps {
  checkouts: CheckoutsPort;
  refunds: RefundsPort;
  /** Webhook endpoints: their secrets are stored sealed with the payload keys; which URLs they may have. */
  webhooks: { keyring: PayloadKeyring; allowPrivateUrls: boolean };
  db: Database;
  logger: Logger;
  /** The prom-client registry `/metrics` serves; the API registers its metrics in it. */
  registry: Registry;
  readiness: ReadinessChecks;
  auth: Pick<Config['auth'], 'merchants' | 'operators'>;
  /** `workflowPageBase` absent: no Web UI link in answers. */
  api: Pick<Config['api'], 'rateLimitPerMinute' | 'publicUrl' | 'ops'> & Partial<Pick<Config['api'], 'workflowPageBase' | 'secureCookies' | 'maxWaitingRequests' | 'maxEventStreams'>>;
  checkout: Pick<Config['checkout'], 'reviewTimeoutMs'>;
  /** Defaults to a 5-second cache over `db`. */
  catalog?: CatalogSource;
  /** Milliseconds since the epoch; injectable for rate-limit tests. */
  now?: () => number;
  /** Upper bound of one readiness check before it counts as down. */
  readinessTimeoutMs?: number;
  /** A span per request and the `traceparent` answer header (the process's tracing is on). */
  tracing?: boolean;
}

/** The dependencies routes receive once `createApp` has filled in defaults. */
export interface RouteDeps extends Required<Omit<AppDeps, 'readinessTimeoutMs'>> {
  metrics: ApiMetrics;
  readinessTimeoutMs: number;
  /** Requests held by `Prefer: wait` (api/concurrency.ts). */
  waits: ConcurrencyCap;
}
