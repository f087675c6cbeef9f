/** The HTTP API's section: where it listens, how it is reached, and what one process holds at once. */
import { z } from 'zod';
import { invalid, port, url } from './settings.ts';

/** Requests held by `Prefer: wait`, and dashboard event streams, per API process unless configured. */
export const DEFAULT_MAX_WAITING_REQUESTS = 256;
export const DEFAULT_MAX_EVENT_STREAMS = 32;

const apiSchema = z.object({
  API_HOST: z.string().min(1).default('127.0.0.1').describe('where the API (and, in their roles, the simulators and SMTP sink) listen'),
  API_PORT: port.default(3000).describe('the port the API listens on'),
  OPS_PORT: port.optional().describe('when set, `/metrics` and the detailed `/readyz` are served there only (on `OPS_HOST`); the public `/readyz` answers its status alone; required in production'),
  OPS_HOST: z.string().min(1).optional().describe('the address `OPS_PORT` listens on; unset: `127.0.0.1`'),
  PUBLIC_URL: url(['http', 'https']).optional().describe("base of `links.self` and the OpenAPI `servers` (never the request's `Host`); required in production; unset: the listening address"),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600).describe('requests per merchant (or operator key) per minute before `429`; as many failed authentications per client address'),
  MAX_WAITING_REQUESTS: z.coerce.number().int().min(0).default(DEFAULT_MAX_WAITING_REQUESTS).describe('requests held open by `Prefer: wait` at once, per API process; past it a request gets the asynchronous `202` at once (the preference is not applied)'),
  MAX_EVENT_STREAMS: z.coerce.number().int().min(0).default(DEFAULT_MAX_EVENT_STREAMS).describe('dashboard event streams open at once, per API process; past it `503`, and the page polls instead'),
});
export const apiEnv = apiSchema.shape;
type ApiEnv = z.infer<typeof apiSchema>;

export interface ApiConfig {
  host: string;
  port: number;
  publicUrl: string;
  /** Operator sessions' cookies `__Host-` and `Secure`: in production, or when PUBLIC_URL is https. */
  secureCookies: boolean;
  rateLimitPerMinute: number;
  maxWaitingRequests: number;
  maxEventStreams: number;
  /** null: `/metrics` and the detailed `/readyz` are served on the API port. */
  ops: { host: string; port: number } | null;
  /** A checkout's Web UI page is this followed by its workflow id; null when no Web UI is known. */
  workflowPageBase: string | null;
}

/** The Web UI's page of a workflow in `namespace` is this base followed by the workflow id. */
export const workflowPageBase = (uiUrl: string, namespace: string) => `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/`;

export function apiOf(e: ApiEnv, { production, webUi }: { production: boolean; webUi: { url: string | undefined; namespace: string } }): ApiConfig {
  if (e.OPS_PORT !== undefined && e.OPS_PORT === e.API_PORT && e.OPS_PORT !== 0) {
    throw invalid(`OPS_PORT=${e.OPS_PORT}: must differ from API_PORT, or /metrics would be public again`);
  }
  if (production && e.PUBLIC_URL === undefined) {
    // Links are built from it, never from a request's Host header, which any client can set.
    throw invalid('PUBLIC_URL is required in production: the base URL clients reach the API at, e.g. https://pay.example.com');
  }
  if (production && e.OPS_PORT === undefined) {
    throw invalid(
      'OPS_PORT is required in production: without it /metrics and the detailed /readyz are served on the public API port. ' +
        'Set it to a port of its own (OPS_HOST defaults to 127.0.0.1), e.g. OPS_PORT=9100',
    );
  }
  return {
    host: e.API_HOST,
    port: e.API_PORT,
    publicUrl: e.PUBLIC_URL ?? `http://${e.API_HOST}:${e.API_PORT}`,
    // Session cookies are `__Host-` and `Secure` in production whatever PUBLIC_URL says, and over https.
    secureCookies: production || (e.PUBLIC_URL ?? '').startsWith('https://'),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    maxWaitingRequests: e.MAX_WAITING_REQUESTS,
    maxEventStreams: e.MAX_EVENT_STREAMS,
    ops: e.OPS_PORT === undefined ? null : { host: e.OPS_HOST ?? '127.0.0.1', port: e.OPS_PORT },
    workflowPageBase: webUi.url ? workflowPageBase(webUi.url, webUi.namespace) : null,
  };
}
