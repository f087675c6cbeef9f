/** createActivities(deps): the one object the worker registers. */
import type { NatsConnection } from 'nats';
import type { PayloadKeyring } from '../src/platform/codec/payload-codec.ts';
import type { Database } from '../src/platform/db/client.ts';
import { withDatabaseFailures } from '../src/platform/db/failures.ts';
import type { StreamNames } from '../src/platform/nats/provision.ts';
import type { FraudClient } from '../src/fraud/client.ts';
import { authorizationAttemptLog } from '../src/payments/authorization-attempts.ts';
import { createEventActivities } from './events.ts';
import { sealStoredCustomer } from '../src/platform/nats/event-contact.ts';
import { createFraudActivities } from '../src/fraud/activities.ts';
import { createInventoryActivities, type ReserveInput } from '../src/inventory/activities.ts';
import type { CheckoutView } from '../src/contracts/checkout.ts';
import { createOrderActivities } from '../src/orders/activities.ts';
import { createOutcomeActivities } from './outcome.ts';
import { createRefundActivities } from '../src/refunds/activities.ts';
import { purgeExpiredIdempotencyKeys } from '../src/checkouts/idempotency.ts';
import { createPaymentActivities, type Gateways } from '../src/payments/activities.ts';

export interface ActivityDeps {
  db: Database;
  fraud: FraudClient;
  gateways: Gateways;
  nc: NatsConnection;
  names: StreamNames;
  /** The payload keys: an outcome's customer contact is sealed with them on the stream. */
  keyring: PayloadKeyring;
}

/** Where the checkout stands, for the list's read model (absent in checkouts started before it was recorded). */
interface Recorded {
  record?: CheckoutView;
}

export function createActivities(deps: ActivityDeps) {
  // The database steps fail with a coded message, never the driver's text (which quotes their parameters).
  const orders = withDatabaseFailures(createOrderActivities(deps));
  const events = createEventActivities(deps);
  const inventory = withDatabaseFailures(createInventoryActivities(deps));
  return {
    ...inventory,
    // The saga's stock steps also record where the checkout stands for the list (the first step, holding
    // for review, approval): no step of their own, so a checkout's history keeps its shape.
    async reserveInventory({ record, ...input }: ReserveInput & Recorded) {
      if (record) await orders.recordCheckoutProgress(record);
      return inventory.reserveInventory(input);
    },
    async releaseInventory({ record, ...input }: { checkoutId: string } & Recorded) {
      const released = await inventory.releaseInventory(input);
      if (record) await orders.recordCheckoutProgress(record);
      return released;
    },
    ...createFraudActivities(deps),
    ...createPaymentActivities({ gateways: deps.gateways, attempts: authorizationAttemptLog(deps.db) }),
    ...orders,
    ...events,
    ...withDatabaseFailures(createRefundActivities(deps)),
    ...withDatabaseFailures({ purgeExpiredIdempotencyKeys: () => purgeExpiredIdempotencyKeys(deps.db) }),
    ...createOutcomeActivities({
      recordCheckoutResult: (view, event) => orders.recordCheckoutResult(view, sealStoredCustomer(event.data.customer, view.id, deps.keyring)),
      publishOutcome: events.publishOutcome,
    }),
  };
}

export type CheckoutActivities = ReturnType<typeof createActivities>;
