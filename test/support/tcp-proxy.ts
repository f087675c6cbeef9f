/**
 * A TCP proxy to put between a process and a server (a worker and Temporal, say), which can hold what flows
 * in either direction: a worker whose task completions are held never reaches the server with them, and a
 * client whose answers are held times out on a call the server carried out. Held bytes are delivered, in
 * order, when released, or dropped with their connection when it closes.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type Direction = 'toServer' | 'toClient';

export interface TcpProxy {
  /** host:port to connect to instead of the server's. */
  readonly address: string;
  /** Holds everything that flows in `direction` from now on, on every connection. */
  hold(direction: Direction): void;
  /** Delivers what was held in `direction` and lets it flow again. */
  release(direction: Direction): void;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  server: net.Socket;
  held: Record<Direction, Buffer[]>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [targetHost, targetPort] = target.split(':') as [string, string];
  const holding: Record<Direction, boolean> = { toServer: false, toClient: false };
  const links = new Set<Link>();

  const deliver = (link: Link, direction: Direction) => {
    const to = direction === 'toServer' ? link.server : link.client;
    for (const chunk of link.held[direction].splice(0)) if (!to.destroyed) to.write(chunk);
  };

  const server = net.createServer((client) => {
    const upstream = net.connect({ host: targetHost, port: Number(targetPort) });
    const link: Link = { client, server: upstream, held: { toServer: [], toClient: [] } };
    links.add(link);
    const forward = (direction: Direction) => (chunk: Buffer) => {
      if (holding[direction]) link.held[direction].push(chunk);
      else (direction === 'toServer' ? upstream : client).write(chunk);
    };
    client.on('data', forward('toServer'));
    upstream.on('data', forward('toClient'));
    const close = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `127.0.0.1:${port}`,
    hold(direction) {
      holding[direction] = true;
    },
    release(direction) {
      holding[direction] = false;
      for (const link of links) deliver(link, direction);
    },
    async close() {
      for (const link of links) {
        link.client.destroy();
        link.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
