/**
 * A small HTTP proxy to put in front of a gateway simulator, so a test can choose what the network does to
 * particular calls: answer them itself (an outage or a refusal the gateway never saw), hold them before
 * they reach the gateway, or let the gateway act and withhold its answer (the worker never hears back).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
}

export type RequestMatch = (request: ProxiedRequest) => boolean;

/** Holds matching requests (before or after the gateway acted) until released. */
export interface Gate {
  /** Resolves when the first matching request is held. */
  readonly arrived: Promise<void>;
  /** How many requests it has held so far. */
  readonly held: number;
  /** Lets every held request go on, and every later one through. */
  release(): void;
}

export interface GatewayProxy {
  url: string;
  /** Where requests go; settable after start, since the gateway's URL is often known later. */
  target: string | null;
  /** Every request seen, in order. */
  readonly requests: ProxiedRequest[];
  /** Answers the next `times` matching requests itself, without forwarding them. */
  answer(match: RequestMatch, response: { status: number; body: unknown }, times: number): void;
  /** Holds matching requests before they reach the gateway. */
  holdRequests(match: RequestMatch): Gate;
  /** Forwards the next `times` matching requests, and answers the caller with `response` instead of the gateway's answer. */
  replaceAnswers(match: RequestMatch, response: { status: number; body: unknown }, times: number): void;
  /** Forwards the next `times` matching requests but keeps the gateway's answers from the caller. */
  withholdAnswers(match: RequestMatch, times: number): Gate;
  close(): Promise<void>;
}

export const isAuthorization: RequestMatch = (r) => r.method === 'POST' && r.path === '/v1/authorizations';
export const isCapture: RequestMatch = (r) => r.method === 'POST' && r.path.endsWith('/capture');
export const isVoid: RequestMatch = (r) => r.method === 'POST' && r.path.endsWith('/void');
export const isRefund: RequestMatch = (r) => r.method === 'POST' && r.path.endsWith('/refund');

interface Rule {
  match: RequestMatch;
  remaining: number;
  act: (request: ProxiedRequest, forward: () => Promise<Forwarded>, res: ServerResponse) => Promise<void>;
}

interface Forwarded {
  status: number;
  contentType: string;
  body: string;
}

function gate(): Gate & { hold(): Promise<void> } {
  let held = 0;
  let open = false;
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const waiters: (() => void)[] = [];
  return {
    arrived,
    get held() {
      return held;
    },
    release() {
      open = true;
      for (const wake of waiters.splice(0)) wake();
    },
    hold() {
      if (open) return Promise.resolve();
      held += 1;
      arrive();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

const readAll = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

function send(res: ServerResponse, status: number, contentType: string, body: string) {
  if (res.destroyed || res.writableEnded) return; // the caller gave up meanwhile
  res.writeHead(status, { 'content-type': contentType }).end(body);
}

export async function startGatewayProxy(): Promise<GatewayProxy> {
  const rules: Rule[] = [];
  const requests: ProxiedRequest[] = [];
  const pending = new Set<() => void>();

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const request: ProxiedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
      };
      requests.push(request);
      const forward = async (): Promise<Forwarded> => {
        if (!proxy.target) throw new Error('gateway proxy has no target');
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'idempotency-key']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const answer = await fetch(new URL(request.path, proxy.target), { method: request.method, headers, body: request.method === 'GET' ? undefined : body });
        return { status: answer.status, contentType: answer.headers.get('content-type') ?? 'application/json', body: await answer.text() };
      };
      const rule = rules.find((r) => r.remaining > 0 && r.match(request));
      if (rule) {
        rule.remaining -= 1;
        await rule.act(request, forward, res);
      } else {
        const answer = await forward();
        send(res, answer.status, answer.contentType, answer.body);
      }
    })().catch((error: unknown) => send(res, 502, 'text/plain', `gateway proxy: ${(error as Error).message}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: GatewayProxy = {
    url: `http://127.0.0.1:${port}`,
    target: null,
    requests,
    answer(match, response, times) {
      rules.push({ match, remaining: times, act: async (_r, _f, res) => send(res, response.status, 'application/json', JSON.stringify(response.body)) });
    },
    replaceAnswers(match, response, times) {
      rules.push({
        match,
        remaining: times,
        act: async (_r, forward, res) => {
          await forward();
          send(res, response.status, 'application/json', typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
        },
      });
    },
    holdRequests(match) {
      const g = gate();
      pending.add(g.release);
      const rule: Rule = {
        match,
        remaining: Number.POSITIVE_INFINITY,
        act: async (_r, forward, res) => {
          await g.hold();
          const answer = await forward();
          send(res, answer.status, answer.contentType, answer.body);
        },
      };
      rules.push(rule);
      // Once released the rule steps aside, so rules added later for the same requests apply.
      const release = g.release;
      g.release = () => {
        rule.remaining = 0;
        release();
      };
      return g;
    },
    withholdAnswers(match, times) {
      const g = gate();
      pending.add(g.release);
      rules.push({
        match,
        remaining: times,
        act: async (_r, forward, res) => {
          const answer = await forward();
          await g.hold();
          send(res, answer.status, answer.contentType, answer.body);
        },
      });
      return g;
    },
    async close() {
      for (const release of pending) release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return proxy;
}
