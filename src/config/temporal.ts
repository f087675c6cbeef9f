/** The Temporal section: the server (or the dev server the local stack runs), TLS and keys, and the worker's bundle. */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../contracts/workflow.ts';
import { flag, hostPort, invalid, port, readableFile, url } from './settings.ts';

const temporalSchema = z.object({
  TEMPORAL_CONFIG_FILE: readableFile.optional().describe("a Temporal configuration file (TOML, as the `temporal` CLI and the SDKs read): its profile fills in the `TEMPORAL_*` connection settings the environment leaves unset"),
  TEMPORAL_PROFILE: z.string().min(1).optional().describe('the profile of that file (unset: `default`); setting it alone reads the file at its default place'),
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
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a build id is 1–64 letters, digits, dots, dashes or underscores, e.g. a release tag or a commit')
    .optional()
    .describe('this worker\'s build in the worker deployment `WORKER_DEPLOYMENT_NAME`: set, the worker takes part in worker versioning and each checkout runs to its end on the build it started on (docs/operations.md#rolling-out-a-new-worker); unset: unversioned, as `npm start` runs'),
  WORKER_DEPLOYMENT_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a deployment name is 1–64 letters, digits, dots, dashes or underscores').default('durable-checkout').describe('the worker deployment the checkout workers belong to (with `WORKER_BUILD_ID`)'),
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(1_000).default(40).describe('workflow tasks one worker runs at once (the SDK\'s `maxConcurrentWorkflowTaskExecutions`); tasks beyond it wait on the server'),
  WORKER_METRICS_PORT: port.default(9464).describe("Prometheus endpoint of the worker's Temporal metrics"),
  WORKFLOW_BUNDLE_PATH: readableFile.optional().describe('a prebuilt workflow bundle (`npm run build` writes `dist/workflow-bundle.js`; the image sets it); unset: bundle at start'),
  /**
   * true: the worker's sandbox keeps the SDK's stack per workflow promise, for the Web UI's Stack Trace tab and
   * frames in workflow errors (≈ 5 ms of worker CPU per checkout); false: neither (workflows/sandbox-stacks.ts).
   * The prebuilt bundle has them off, so true bundles at start and is refused with WORKFLOW_BUNDLE_PATH.
   */
  WORKFLOW_STACK_TRACES: flag.default(false).describe("`true`: the worker's sandbox keeps a stack per workflow promise — the Web UI's Stack Trace tab and frames in errors made in workflow code — for ≈ 5 ms of worker CPU per checkout; bundles at start, so refused with `WORKFLOW_BUNDLE_PATH`"),
});
export const temporalEnv = temporalSchema.shape;
type TemporalEnv = z.infer<typeof temporalSchema>;

export interface TemporalTls {
  serverCaCertPath: string | null;
  clientCertPath: string | null;
  clientKeyPath: string | null;
  serverName: string | null;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  uiPort: number;
  workerMetricsPort: number;
  /** TEMPORAL_ADDRESS was not set, so the local stack runs its own dev server there. */
  managed: boolean;
  /** Sent as `Authorization: Bearer` on every call (Temporal Cloud API keys). */
  apiKey: string | null;
  /** null: plaintext gRPC (the dev server). */
  tls: TemporalTls | null;
  /** The prebuilt workflow bundle workers load, or null to bundle from source at start. */
  workflowBundlePath: string | null;
  /** Whether the sandbox keeps a stack per workflow promise (the Web UI's Stack Trace tab); bundled at start when true. */
  workflowStackTraces: boolean;
  /** Workflow tasks one worker runs at once. */
  workflowTaskSlots: number;
  /** The worker deployment version this worker is, or null for an unversioned worker. */
  workerVersion: { deploymentName: string; buildId: string } | null;
  /** The production server the local stack runs with `--temporal server`. */
  localServer: { databaseUrl: string; historyShards: number };
}

/** Refuses settings the worker's bundle cannot honour; checked before the others, as it always was. */
export function checkWorkflowBundle(e: Pick<TemporalEnv, 'WORKFLOW_STACK_TRACES' | 'WORKFLOW_BUNDLE_PATH'>): void {
  if (e.WORKFLOW_STACK_TRACES && e.WORKFLOW_BUNDLE_PATH) {
    throw invalid(
      'WORKFLOW_STACK_TRACES=true needs the worker to bundle its workflows at start, but WORKFLOW_BUNDLE_PATH names a prebuilt bundle (built without stack traces). Fix: unset WORKFLOW_BUNDLE_PATH, or WORKFLOW_STACK_TRACES.',
    );
  }
}

export function temporalOf(e: TemporalEnv): TemporalConfig {
  const addressGiven = e.TEMPORAL_ADDRESS !== undefined;
  return {
    address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    uiPort: e.TEMPORAL_UI_PORT,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    managed: !addressGiven,
    apiKey: e.TEMPORAL_API_KEY ?? null,
    tls: temporalTlsOf(e, addressGiven),
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH ? path.resolve(e.WORKFLOW_BUNDLE_PATH) : null,
    workflowStackTraces: e.WORKFLOW_STACK_TRACES,
    workflowTaskSlots: e.WORKER_WORKFLOW_TASK_SLOTS,
    workerVersion: e.WORKER_BUILD_ID ? { deploymentName: e.WORKER_DEPLOYMENT_NAME, buildId: e.WORKER_BUILD_ID } : null,
    localServer: { databaseUrl: e.LOCAL_TEMPORAL_DATABASE_URL, historyShards: e.LOCAL_TEMPORAL_HISTORY_SHARDS },
  };
}

/**
 * TLS towards Temporal: on when TEMPORAL_TLS says so, or when a certificate or an API key is set (an API key
 * is a bearer secret, sent over TLS unless TEMPORAL_TLS=false says otherwise, e.g. for a local proxy).
 */
function temporalTlsOf(e: TemporalEnv, addressGiven: boolean): TemporalTls | null {
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
