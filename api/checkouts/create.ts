/** `POST /v1/checkouts`: validates and prices the cart, honours Idempotency-Key, starts one saga, optionally waits. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isFinalStatus, type CheckoutStatus, type CheckoutView } from '../../src/contracts/checkout.ts';
import { checkoutWorkflowId } from '../../src/contracts/workflow.ts';
import { checkoutWorkflowInput } from '../../src/checkouts/input.ts';
import { claimIdempotencyKey, requestHash } from '../../src/checkouts/idempotency.ts';
import { priceCart } from '../../src/inventory/pricing.ts';
import { newId } from '../../src/platform/ids.ts';
import { ApiError, problemResponses } from '../errors.ts';
import { limitBody, requireJson } from '../middleware/json-body.ts';
import { MAX_WAIT_SECONDS, preferredWait } from '../prefer.ts';
import { resourceUrl } from '../links.ts';
import { bearerSecurity, Checkout, CheckoutAccepted, CheckoutRequest, idempotencyKeyHeader } from '../schemas.ts';
import { viewFor } from '../visibility.ts';
import type { AppEnv, RouteDeps } from '../context.ts';

const headers = z.object({
  'idempotency-key': idempotencyKeyHeader('purchase', 'checkout'),
  prefer: z
    .string()
    .optional()
    .openapi({ param: { in: 'header' }, description: `\`wait=N\` (N ≤ ${MAX_WAIT_SECONDS}): hold the response until the checkout is final or N seconds pass.`, example: 'wait=10' }),
});

const responseHeaders = {
  Location: { description: 'The path of the checkout', schema: { type: 'string' as const } },
  'Preference-Applied': { description: '`wait=N` when the request waited (N as capped)', schema: { type: 'string' as const } },
  'Idempotent-Replayed': { description: '`true` when an earlier request with the same Idempotency-Key answered', schema: { type: 'string' as const } },
};

export const createCheckoutRoute = createRoute({
  method: 'post',
  path: '/v1/checkouts',
  operationId: 'createCheckout',
  tags: ['Checkouts'],
  summary: 'Start a checkout',
  description:
    'Validates the cart, prices it from the catalog and starts one durable checkout saga. Asynchronous by default (202); ' +
    'with `Prefer: wait=N` the response waits for the final state (200) up to N seconds.',
  security: bearerSecurity,
  middleware: [limitBody(), requireJson()] as const,
  request: {
    headers,
    body: { required: true, content: { 'application/json': { schema: CheckoutRequest } } },
  },
  responses: {
    200: {
      description: 'The checkout reached its final state within the requested wait',
      headers: responseHeaders,
      content: { 'application/json': { schema: Checkout } },
    },
    202: {
      description: 'The checkout was started (or, for a repeated Idempotency-Key, found) and is not final yet',
      headers: responseHeaders,
      content: { 'application/json': { schema: CheckoutAccepted } },
    },
    ...problemResponses(
      'malformed_json',
      'invalid_request',
      'unauthorized',
      'forbidden',
      'payload_too_large',
      'unsupported_media_type',
      'unknown_sku',
      'unsupported_currency',
      'zero_amount',
      'idempotency_key_reused',
      'rate_limited',
      'internal_error',
      'service_unavailable',
    ),
  },
});

/** What each pricing refusal tells the client. */
const PRICING_PROBLEMS: Record<Exclude<ReturnType<typeof priceCart>, { ok: true }>['code'], (currency: string) => string> = {
  unknown_sku: () => 'The cart names products the catalog does not have.',
  unsupported_currency: (currency) => `The cart cannot be paid in ${currency}.`,
  invalid_request: () => 'The cart asks for more of one product than a checkout may buy.',
  zero_amount: (currency) => `The cart comes to 0 ${currency}: there is nothing to pay, so there is no checkout to run.`,
};

export function registerCreateCheckout(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(createCheckoutRoute, async (c) => {
    const body = c.req.valid('json');
    const { 'idempotency-key': idempotencyKey, prefer } = c.req.valid('header');
    const principal = c.get('principal');

    const priced = priceCart(await deps.catalog.get(), body.items, body.currency);
    if (!priced.ok) throw new ApiError(priced.code, PRICING_PROBLEMS[priced.code](body.currency), { errors: priced.problems });

    let checkoutId = newId('chk');
    let replayed = false;
    if (idempotencyKey !== undefined) {
      const hash = requestHash(body);
      // Each claim names a checkout of its own: a key used again after its window starts a new checkout,
      // never the old one again (whose gateway keys a gateway may have forgotten by then).
      const claim = await claimIdempotencyKey(deps.db, { merchantId: principal.id, key: idempotencyKey, requestHash: hash, objectId: checkoutId });
      if (claim.kind === 'mismatch') {
        throw new ApiError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body; use a new key for a new checkout.');
      }
      checkoutId = claim.objectId;
      replayed = claim.kind === 'replay';
      if (replayed) c.header('idempotent-replayed', 'true');
    }
    c.set('checkoutId', checkoutId);

    const input = checkoutWorkflowInput(body, priced, {
      checkoutId,
      merchantId: principal.id,
      createdAt: new Date(deps.now()).toISOString(),
      reviewTimeoutMs: deps.checkout.reviewTimeoutMs,
    });
    // A replay is answered from the checkout its key names. Only when that checkout does not exist — the
    // first attempt stored its key and died before starting — is it started here (the workflow id conflict
    // policy makes a racing second start a no-op).
    const known = replayed ? await deps.checkouts.get(checkoutId) : null;
    if (!known) await deps.checkouts.start(input, { idempotent: idempotencyKey !== undefined });

    const wait = preferredWait(prefer);
    if (replayed) deps.metrics.idempotentReplays.inc();
    else deps.metrics.checkoutsStarted.inc({ mode: wait === null ? 'async' : 'sync' });

    const path = `/v1/checkouts/${checkoutId}`;
    c.header('location', path);
    let view: CheckoutView | null = null;
    // With every waiting slot taken the preference is not applied (RFC 7240 lets a server ignore it): the
    // answer is the asynchronous 202, and the client polls `links.self`.
    const slot = wait === null ? null : deps.waits.tryTake();
    if (wait !== null && slot) {
      c.header('preference-applied', `wait=${wait}`);
      try {
        view = await softly(c, () => deps.checkouts.waitForOutcome(checkoutId, wait * 1000));
      } finally {
        slot();
      }
      if (view && isFinalStatus(view.status)) return c.json(viewFor(principal, view), 200);
    } else if (replayed) {
      view = known ?? (await softly(c, () => deps.checkouts.get(checkoutId)));
    }
    const status: CheckoutStatus = view?.status ?? 'pending';
    // The Web UI page is for operators; a merchant's answer does not point at it.
    const workflow = deps.api.workflowPageBase && principal.role === 'operator' ? `${deps.api.workflowPageBase}${encodeURIComponent(checkoutWorkflowId(checkoutId))}` : undefined;
    return c.json({ id: checkoutId, status, links: { self: resourceUrl(deps.api.publicUrl, path), ...(workflow && { workflow }) } }, 202);
  });
}

/**
 * Reads state after a successful start without failing the request: the saga runs whatever happens here, and
 * an error response would invite a retry that (without a key) starts a second checkout.
 */
async function softly(c: { get(key: 'logger'): RouteDeps['logger'] }, read: () => Promise<CheckoutView | null>): Promise<CheckoutView | null> {
  try {
    return await read();
  } catch (error) {
    c.get('logger').warn({ err: error }, 'checkout started, but its state could not be read');
    return null;
  }
}
