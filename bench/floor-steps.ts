/**
 * The saga's happy path as six plain steps — the same activity functions, built the way the worker role
 * builds them, against the same simulators, database and NATS stream — with no retries and no compensation.
 * The direct floor awaits them one after the other; the bare platform floor runs each as a local activity.
 */
import type { NatsConnection } from 'nats';
import { createActivities } from '../activities/index.ts';
import { createFraudClient } from '../src/fraud/client.ts';
import { createGatewayClients } from '../src/payments/gateway-client.ts';
import type { Config } from '../src/config/index.ts';
import type { CheckoutStep, CheckoutView } from '../src/contracts/checkout.ts';
import { merchantReferenceOf, type CheckoutWorkflowInput } from '../src/contracts/workflow.ts';
import { outcomeEvent } from '../src/contracts/outcome-event.ts';
import type { Database } from '../src/platform/db/client.ts';
import { fraudDecisionFor } from '../src/fraud/bands.ts';
import { publishCheckoutEvent } from '../src/platform/nats/publish.ts';
import type { StreamNames } from '../src/platform/nats/provision.ts';
import { fraudScoreRequest, orderRequest } from '../workflows/step-requests.ts';
import type { FloorFacts, HappyPathSteps } from './happy-path.ts';
import { payloadKeyringOf } from '../src/platform/codec/payload-keys.ts';

export interface FloorDeps {
  config: Config;
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
}

/** A step the floor cannot take on its happy path (the saga would decline or hold the checkout). */
export class FloorRefusal extends Error {
  override name = 'FloorRefusal';
}

/** The timeline the saga records on its happy path, so the floors store a checkout of the same size. */
const HAPPY_PATH_STEPS: CheckoutStep[] = ['inventory_reserved', 'fraud_scored', 'payment_authorized', 'order_created', 'payment_captured', 'inventory_committed', 'done'];

export function createFloorSteps({ config, db, nc, names }: FloorDeps): HappyPathSteps<CheckoutView> {
  // Exactly as startWorkerRole builds them, so each call does what the saga's activity does.
  const timeoutMs = config.services.gatewayTimeoutMs;
  const keyring = payloadKeyringOf(config);
  const activities = createActivities({
    db,
    nc,
    names,
    keyring,
    fraud: createFraudClient(config.services.fraudUrl, { timeoutMs: config.services.fraudTimeoutMs, fingerprintKey: config.services.fraudFingerprintKey }),
    gateways: createGatewayClients(config.services.gatewayUrls, { timeoutMs }),
  });

  return {
    async reserve(input: CheckoutWorkflowInput): Promise<void> {
      await activities.reserveInventory({ checkoutId: input.checkoutId, items: input.items.map(({ sku, quantity }) => ({ sku, quantity })) });
    },

    async score(input: CheckoutWorkflowInput): Promise<number> {
      const { score } = await activities.scoreFraud(fraudScoreRequest(input));
      const decision = fraudDecisionFor(score);
      if (decision !== 'approve') throw new FloorRefusal(`fraud decision ${decision} (score ${score})`);
      return score;
    },

    async authorize(input: CheckoutWorkflowInput): Promise<string> {
      const { amount } = input;
      const { authorizationId } = await activities.authorizePayment({ gateway: 'primary', checkoutId: input.checkoutId, amount: amount.total, currency: amount.currency, token: input.paymentToken });
      return authorizationId;
    },

    async createOrder(input: CheckoutWorkflowInput): Promise<string> {
      const { orderId } = await activities.createOrder(orderRequest(input));
      return orderId;
    },

    async capture(input: CheckoutWorkflowInput, authorizationId: string): Promise<string> {
      const { captureId } = await activities.capturePayment({ gateway: 'primary', checkoutId: input.checkoutId, authorizationId, amount: input.amount.total });
      return captureId;
    },

    /** Marks the order paid and commits the stock, records the checkout and publishes its outcome event. */
    async finish(input: CheckoutWorkflowInput, facts: FloorFacts): Promise<CheckoutView> {
      await activities.completePaidOrder({ checkoutId: input.checkoutId, captureId: facts.captureId });
      const at = new Date().toISOString();
      const view: CheckoutView = {
        id: input.checkoutId,
        status: 'completed',
        step: 'done',
        amount: input.amount,
        merchantId: input.merchantId,
        customerId: input.customer.id,
        items: input.items,
        fraud: { score: facts.score, decision: 'approve' },
        review: null,
        payment: { gateway: 'primary', authorizationId: facts.authorizationId, captureId: facts.captureId, voidId: null, refundId: null, expiresAt: null },
        orderId: facts.orderId,
        ...merchantReferenceOf(input),
        failure: null,
        compensation: null,
        timeline: [{ step: 'started', at: input.createdAt }, ...HAPPY_PATH_STEPS.map((step) => ({ step, at }))],
        createdAt: input.createdAt,
        updatedAt: at,
      };
      await activities.recordCheckoutResult(view);
      // The event the saga's announcement sends (publishOutcome itself needs an activity context).
      await publishCheckoutEvent(nc, names, outcomeEvent(input, view), keyring);
      return view;
    },
  };
}
