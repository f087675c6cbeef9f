/** Serves the app over HTTP with @hono/node-server; a taken port fails with an error that names it and the fix. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';

export interface RunningApiServer {
  /** `http://host:port` as actually bound (port 0 picks a free one). */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish for up to `graceMs`, then closes the rest. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Anything with a fetch handler: a Hono app. `env` carries the node socket (the client's address). */
export interface FetchApp {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
}

/** Listens on `host:port` and resolves once bound; rejects naming the port and API_PORT when it cannot. */
export async function startApiServer({ app, host, port, setting = 'API_PORT' }: { app: FetchApp; host: string; port: number; setting?: string }): Promise<RunningApiServer> {
  const server = createAdaptorServer({ fetch: (request, env) => app.fetch(request, env), hostname: host }) as Server;
  // A held `Prefer: wait=30` request must not be cut by the server's own timeouts.
  server.requestTimeout = 120_000;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${host} (${setting}) is already in use. Fix: stop what listens there, or set ${setting} to a free port.`, { cause: error }));
      } else if (error.code === 'EACCES') {
        reject(new Error(`not allowed to listen on ${host}:${port}. Fix: set ${setting} to a port above 1024.`, { cause: error }));
      } else {
        reject(new Error(`cannot listen on ${host}:${port} (${setting}): ${error.message}`, { cause: error }));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });

  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    close: ({ graceMs = 5_000 } = {}) =>
      new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
