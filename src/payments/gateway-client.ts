/**
 * A payment gateway's HTTP API, Stripe-style: every call carries an idempotency key, refusals are typed
 * results, and anything transient is thrown as TransientHttpError for the activity's retry policy.
 */
import { z } from 'zod';
import { postJson, ProtocolError } from '../platform/http/client.ts';
import { perGateway, type GatewayName } from './gateways.ts';

export type Refusal = { kind: 'refused'; code: string; message: string };
export type Outcome<T> = { kind: 'ok'; value: T } | Refusal;

/** `expiresAt`: when the hold lapses, if the gateway says. */
export const authorizationSchema = z.object({ id: z.string(), status: z.literal('authorized'), amount: z.number(), currency: z.string(), expiresAt: z.string().optional() });
export const captureSchema = z.object({ id: z.string(), authorizationId: z.string(), amount: z.number(), status: z.literal('captured') });
export const voidSchema = z.object({ id: z.string(), authorizationId: z.string(), status: z.literal('voided') });
export const refundSchema = z.object({ id: z.string(), captureId: z.string(), amount: z.number(), status: z.literal('refunded') });
export const gatewayErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type Authorization = z.infer<typeof authorizationSchema>;
export type Capture = z.infer<typeof captureSchema>;
export type Void = z.infer<typeof voidSchema>;
export type Refund = z.infer<typeof refundSchema>;

export interface GatewayClient {
  authorize(input: { checkoutId: string; amount: number; currency: string; token: string }, idempotencyKey: string): Promise<Outcome<Authorization>>;
  capture(input: { authorizationId: string; amount: number }, idempotencyKey: string): Promise<Outcome<Capture>>;
  void(input: { authorizationId: string }, idempotencyKey: string): Promise<Outcome<Void>>;
  refund(input: { captureId: string; amount: number }, idempotencyKey: string): Promise<Outcome<Refund>>;
}


export function createGatewayClient(baseUrl: string, options: { timeoutMs: number; fetch?: typeof fetch }): GatewayClient {
  /** `route`: the path as a template, `{id}` standing for the id in `path`. */
  async function call<T>(path: string, route: string, body: unknown, idempotencyKey: string, schema: z.ZodType<T>): Promise<Outcome<T>> {
    const { status, body: json } = await postJson(`${baseUrl}${path}`, body, {
      timeoutMs: options.timeoutMs,
      route,
      headers: { 'idempotency-key': idempotencyKey },
      fetch: options.fetch,
    });
    if (status >= 200 && status < 300) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new ProtocolError(`unexpected ${path} response: ${parsed.error.message}`);
      return { kind: 'ok', value: parsed.data };
    }
    const refusal = gatewayErrorSchema.safeParse(json);
    if (refusal.success) return { kind: 'refused', ...refusal.data.error };
    throw new ProtocolError(`unexpected HTTP ${status} from ${path}`);
  }
  return {
    authorize: (input, key) => call('/v1/authorizations', '/v1/authorizations', input, key, authorizationSchema),
    capture: ({ authorizationId, amount }, key) =>
      call(`/v1/authorizations/${encodeURIComponent(authorizationId)}/capture`, '/v1/authorizations/{id}/capture', { amount }, key, captureSchema),
    void: ({ authorizationId }, key) => call(`/v1/authorizations/${encodeURIComponent(authorizationId)}/void`, '/v1/authorizations/{id}/void', {}, key, voidSchema),
    refund: ({ captureId, amount }, key) => call(`/v1/captures/${encodeURIComponent(captureId)}/refund`, '/v1/captures/{id}/refund', { amount }, key, refundSchema),
  };
}

/** A client for every gateway of the table, each at its configured URL. */
export const createGatewayClients = (urls: Record<GatewayName, string>, options: { timeoutMs: number }): Record<GatewayName, GatewayClient> =>
  perGateway(({ name }) => createGatewayClient(urls[name], options));
