/** The refund workflow's database and stream steps (the gateway call is a payments activity, `issueRefund`). */
import { log } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type { NatsConnection } from 'nats';
import type { CheckoutEvent, SealedContact } from '../contracts/events.ts';
import type { RefundAdmission, RefundView, RefundWorkflowInput } from '../contracts/refund.ts';
import type { PayloadKeyring } from '../platform/codec/payload-codec.ts';
import type { Database } from '../platform/db/client.ts';
import { refunds } from '../platform/db/schema/index.ts';
import { openStoredCustomer, UnreadableContactError } from '../platform/nats/event-contact.ts';
import { publishCheckoutEvent } from '../platform/nats/publish.ts';
import type { StreamNames } from '../platform/nats/provision.ts';
import { admitRefund } from './admission.ts';

export interface RefundActivityDeps {
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
  keyring: PayloadKeyring;
}

export const createRefundActivities = ({ db, nc, names, keyring }: RefundActivityDeps) => ({
  async admitRefund(input: RefundWorkflowInput): Promise<RefundAdmission> {
    return admitRefund(db, input, (checkoutId, sealed) => {
      try {
        return openStoredCustomer(sealed as SealedContact, checkoutId, keyring);
      } catch (error) {
        if (!(error instanceof UnreadableContactError)) throw error;
        // The refund must not wait on a key an operator removed: it goes ahead, without the customer's email.
        log.warn(`the refund goes ahead without an event: ${error.message}`);
        return null;
      }
    });
  },

  /**
   * Publishes a refund's event (when its customer is known), then records how it ended: a refund read as
   * settled has its event on the stream already. Both are idempotent (a derived event id; an update).
   */
  async settleRefund({ refund, event }: { refund: RefundView; event: CheckoutEvent | null }): Promise<void> {
    if (event) await publishCheckoutEvent(nc, names, event, keyring);
    await db
      .update(refunds)
      .set({
        status: refund.status,
        gatewayRefundId: refund.gatewayRefundId,
        failureCode: refund.failure?.code ?? null,
        failureMessage: refund.failure?.message ?? null,
        updatedAt: new Date(refund.updatedAt),
      })
      .where(eq(refunds.id, refund.id));
  },
});

export type RefundActivities = ReturnType<typeof createRefundActivities>;
