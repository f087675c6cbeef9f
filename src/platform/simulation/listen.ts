/**
 * Serving one simulator app on a host and port: the real URL back (port 0 picks a free one), a clear error
 * when the port is taken, and a close that does not wait for keep-alive clients.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface ListenTarget {
  app: Hono;
  host: string;
  port: number;
  /** What listens there, for error messages, e.g. `primary gateway`. */
  label: string;
  /** The setting that points clients elsewhere, named in the error when the port is taken. */
  envVar: string;
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** A URL clients can dial: a wildcard address is reached over loopback, IPv6 literals need brackets. */
function urlFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function describe(error: NodeJS.ErrnoException, target: ListenTarget): Error {
  const where = `port ${target.port} (${target.label})`;
  const fix = `set ${target.envVar} to a free port or stop the other process`;
  if (error.code === 'EADDRINUSE') return new Error(`${where} is already in use; ${fix}`, { cause: error });
  if (error.code === 'EACCES') return new Error(`${where} may not be opened by this user; ${fix}`, { cause: error });
  return new Error(`${where} could not be opened on ${target.host}: ${error.message}`, { cause: error });
}

export function listen(target: ListenTarget): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(describe(error, target));
    const server = serve({ fetch: target.app.fetch, hostname: target.host, port: target.port }, (info) => {
      server.off('error', onError);
      let closing: Promise<void> | undefined;
      resolve({
        url: urlFor(target.host, info.port),
        close: () => (closing ??= closeServer(server)),
      });
    }) as Server;
    server.once('error', onError);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Idle keep-alive sockets and held responses would otherwise keep close() waiting.
    server.closeAllConnections();
  });
}
