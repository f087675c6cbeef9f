/** startApiServer: serves the app over real HTTP, closes cleanly, and names the port and API_PORT when it is taken. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { startApiServer } from '../../api/server.ts';

const app = new Hono().get('/healthz', (c) => c.json({ status: 'ok' }));

describe('startApiServer', () => {
  it('listens on a free port when asked for port 0, serves requests and closes', async () => {
    const server = await startApiServer({ app, host: '127.0.0.1', port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('rejects with an error naming the port and API_PORT when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const started = startApiServer({ app, host: '127.0.0.1', port });
      await expect(started).rejects.toThrow(new RegExp(`port ${port}.*API_PORT`));
    } finally {
      blocker.close();
    }
  });

  it('closes even while a client holds a keep-alive connection open', async () => {
    const server = await startApiServer({ app, host: '127.0.0.1', port: 0 });
    await fetch(`${server.url}/healthz`, { keepalive: true });
    const started = Date.now();
    await server.close({ graceMs: 200 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
