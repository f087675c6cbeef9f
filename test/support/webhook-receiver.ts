/** A merchant's webhook receiver on this machine: answers its first `failFirst` requests 500, then 204, and keeps every request. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export async function startReceiver({ failFirst = 0 }: { failFirst?: number } = {}) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const status = requests.length < failFirst ? 500 : 204;
      requests.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    requests,
    /** The requests it answered 204. */
    accepted: () => requests.filter((r) => r.status === 204),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
