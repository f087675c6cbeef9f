/** Small helpers for calling simulator apps in memory with `app.request()`. */
import type { Hono } from 'hono';
import type { LedgerEntry } from '../../../src/roles/simulators.ts';

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers field by field
  body: any;
  headers: Headers;
}

export async function post(app: Hono, path: string, body: unknown, idempotencyKey?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const response = await app.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

export async function ledger(app: Hono, checkoutId?: string): Promise<LedgerEntry[]> {
  const query = checkoutId === undefined ? '' : `?checkoutId=${encodeURIComponent(checkoutId)}`;
  const response = await app.request(`/_ledger${query}`);
  return ((await response.json()) as { entries: LedgerEntry[] }).entries;
}

/** Authorizes `amount` USD for `checkoutId` with `token`, keyed the way the saga keys it. */
export const authorize = (app: Hono, checkoutId: string, token = 'tok_visa', amount = 2500) =>
  post(app, '/v1/authorizations', { checkoutId, amount, currency: 'USD', token }, `${checkoutId}:authorize`);
