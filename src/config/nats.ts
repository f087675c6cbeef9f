/** The NATS section: the servers (or the one the local stack runs), authentication and TLS, the streams' replicas and subjects. */
import { z } from 'zod';
import { EVENT_SUBJECT_LAYOUTS, type EventSubjectLayout } from '../contracts/events.ts';
import type { ContactsInClear } from '../platform/nats/event-contact.ts';
import { invalid, port, readableFile, refusedUnlessAccepted, url } from './settings.ts';

/** `nats://a:4222,tls://b:4222`: one or more servers of one cluster. */
const natsServers = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(url(['nats', 'tls'])).min(1, 'must list at least one server'));

const natsSchema = z.object({
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
});
export const natsEnv = natsSchema.shape;
type NatsEnv = z.infer<typeof natsSchema>;

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

/** `servers` null means: the local stack starts its own nats-server on `port`. */
export interface NatsConfig {
  servers: string[] | null;
  port: number;
  auth: NatsAuth;
  tls: NatsTls | null;
  streamReplicas: number;
  eventSubjects: EventSubjectLayout;
  contactsInClear: ContactsInClear;
}

export function natsOf(e: NatsEnv): NatsConfig {
  return { servers: e.NATS_URL ?? null, port: e.NATS_PORT, ...natsConnectionOf(e), streamReplicas: e.NATS_STREAM_REPLICAS, eventSubjects: e.EVENT_SUBJECTS, contactsInClear: e.EVENT_CONTACTS_IN_CLEAR };
}

/** How to authenticate to NATS and whether over TLS; only one way to authenticate, and only with NATS_URL. */
function natsConnectionOf(e: NatsEnv): { auth: NatsAuth; tls: NatsTls | null } {
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
