/**
 * The non-durable floor: the saga's happy path as plain awaited calls — the same activity functions, built
 * the way the worker role builds them, against the same simulators, database and NATS stream — with no
 * Temporal in between, no retries and no compensation. What the saga costs beyond this is the price of
 * durability.
 */
import type { NatsConnection } from 'nats';
import { createActivities } from '../activities/index.ts';
import { createFraudClient } from '../activities/clients/fraud-client.ts';
import { createGatewayClient } from '../activities/clients/gateway-client.ts';
import type { Config } from '../src/config.ts';
import type { CheckoutStep, CheckoutView, CheckoutWorkflowInput } from '../src/contracts/checkout.ts';
import { outcomeEvent } from '../src/contracts/saga.ts';
import type { Database } from '../src/db/client.ts';
import { fraudDecisionFor } from '../src/domain/fraud-bands.ts';
import { publishCheckoutEvent } from '../src/nats/publish.ts';
import type { StreamNames } from '../src/nats/provision.ts';
import { fraudScoreRequest } from '../workflows/fraud-request.ts';

export interface DirectFloorDeps {
  config: Config;
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
}

/** A step the floor cannot take on its happy path (the saga would decline or hold the checkout). */
export class DirectFloorRefusal extends Error {
  override name = 'DirectFloorRefusal';
}

export function createDirectFloor({ config, db, nc, names }: DirectFloorDeps) {
  // Exactly as startWorkerRole builds them, so each call does what the saga's activity does.
  const timeoutMs = config.services.gatewayTimeoutMs;
  const activities = createActivities({
    db,
    nc,
    names,
    fraud: createFraudClient(config.services.fraudUrl, { timeoutMs: config.services.fraudTimeoutMs }),
    gateways: {
      primary: createGatewayClient(config.services.primaryGatewayUrl, { timeoutMs }),
      secondary: createGatewayClient(config.services.secondaryGatewayUrl, { timeoutMs }),
    },
  });

  return async function checkout(input: CheckoutWorkflowInput): Promise<CheckoutView> {
    const { checkoutId, amount } = input;
    const timeline: CheckoutView['timeline'] = [{ step: 'started', at: input.createdAt }];
    const reached = (step: CheckoutStep) => timeline.push({ step, at: new Date().toISOString() });

    await activities.reserveInventory({ checkoutId, items: input.items.map(({ sku, quantity }) => ({ sku, quantity })) });
    reached('inventory_reserved');

    const { score } = await activities.scoreFraud(fraudScoreRequest(input));
    const decision = fraudDecisionFor(score);
    if (decision !== 'approve') throw new DirectFloorRefusal(`fraud decision ${decision} (score ${score})`);
    reached('fraud_scored');

    const { authorizationId } = await activities.authorizePayment({ gateway: 'primary', checkoutId, amount: amount.total, currency: amount.currency, token: input.paymentToken });
    reached('payment_authorized');
    const { orderId } = await activities.createOrder({
      checkoutId,
      merchantId: input.merchantId,
      customerId: input.customer.id,
      items: input.items,
      total: amount.total,
      currency: amount.currency,
      shippingAddress: input.shippingAddress as Record<string, string>,
    });
    reached('order_created');
    const { captureId } = await activities.capturePayment({ gateway: 'primary', checkoutId, authorizationId, amount: amount.total });
    reached('payment_captured');
    await activities.completePaidOrder({ checkoutId, captureId });
    reached('inventory_committed');
    reached('done');

    const view: CheckoutView = {
      id: checkoutId,
      status: 'completed',
      step: 'done',
      amount,
      merchantId: input.merchantId,
      customerId: input.customer.id,
      items: input.items,
      fraud: { score, decision },
      review: null,
      payment: { gateway: 'primary', authorizationId, captureId, voidId: null, refundId: null, expiresAt: null },
      orderId,
      failure: null,
      compensation: null,
      timeline,
      createdAt: input.createdAt,
      updatedAt: timeline.at(-1)!.at,
    };
    await activities.recordCheckoutResult(view);
    // The event the saga's publishOutcome activity sends (publishOutcome itself needs an activity context).
    await publishCheckoutEvent(nc, names, outcomeEvent(input, view));
    return view;
  };
}
