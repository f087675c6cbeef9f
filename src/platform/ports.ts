/** Port checks that turn "address in use" into a message naming the port, its setting and the fix. */
import net from 'node:net';

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** Resolves when nothing listens on host:port; otherwise rejects naming what wanted it and how to move it. */
export async function assertPortFree(host: string, port: number, what: string, setting: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(`port ${port} (${what}) is already in use on ${host}. Fix: stop the process using it (\`ss -ltnp 'sport = :${port}'\`) or set ${setting} to another port.`));
      } else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A port the OS says is free right now. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on `host` right now. */
const canBind = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port }, () => server.close(() => resolve(true)));
  });

/**
 * A free port below 32768, for services that store their port in a signed 16-bit column (Temporal's cluster
 * membership table), which the OS's ephemeral ports overflow.
 */
export async function freeLowPort(host = '127.0.0.1', range: [number, number] = [20_000, 32_000]): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = range[0] + Math.floor(Math.random() * (range[1] - range[0]));
    if (await canBind(host, port)) return port;
  }
  throw new Error(`no free port between ${range[0]} and ${range[1]} on ${host}`);
}

/** Resolves once something accepts TCP connections on host:port, or rejects after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (!isAlive()) throw new Error(`the process meant to listen on ${host}:${port} exited`);
    if (Date.now() > deadline) throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The port of a URL such as `http://127.0.0.1:4010`. */
export const portOfUrl = (url: string) => Number(new URL(url).port);

/** True when a URL points at this machine, so the local stack runs the service there itself. */
export const isLoopbackUrl = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
