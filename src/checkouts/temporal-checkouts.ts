/**
 * The API's port to the checkout sagas, and its Temporal implementation: start by workflow type name, read
 * live state by query (final state from `checkout_results`), cancel and review through updates, and wait for
 * the outcome on the workflow's result (a long poll that adds nothing to the history).
 */
import { and, count, eq, isNotNull } from 'drizzle-orm';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { type CheckoutView, type ReviewDecision } from '../contracts/checkout.ts';
import { CHECKOUT_WORKFLOW_TYPE, cancelCheckoutUpdate, checkoutWorkflowId, getCheckoutQuery, isCancelledByClient, isRepeatedReview, reviewCheckoutUpdate, searchAttributes, type CheckoutWorkflowInput, type CommandOutcome } from '../contracts/workflow.ts';
import type { Database } from '../platform/db/client.ts';
import { checkoutResults } from '../platform/db/schema/index.ts';
import { formatMoneyCode } from '../platform/money.ts';
import { activeTraceIds } from '../platform/telemetry/tracing.ts';
import { markdownCode, markdownText, webUiMarkdown } from './web-ui-markdown.ts';
import { merchantPriority, PRIORITY_LEVEL } from '../contracts/task-priority.ts';

/** The answer of a command (cancel, review) sent to a saga; `repeated` when the same command was accepted before. */
export type CommandResult =
  | { kind: 'accepted'; repeated: boolean; checkout: CheckoutView }
  /** The saga refused, or it is already final; `checkout` is its state now. */
  | { kind: 'refused'; reason: string; checkout: CheckoutView }
  | { kind: 'not_found' };

/** What the HTTP API needs from the checkout sagas. Expected outcomes are values; infrastructure failures throw. */
export interface CheckoutsPort {
  /**
   * Starts the saga of `input.checkoutId`. With `idempotent`, a saga that already exists under that id —
   * running or finished — counts as started (a retried request must not start a second one).
   */
  start(input: CheckoutWorkflowInput, options: { idempotent: boolean }): Promise<void>;
  /** The live checkout, its final state once closed, or null when no such checkout exists. */
  get(checkoutId: string): Promise<CheckoutView | null>;
  cancel(checkoutId: string, options?: { reason?: string }): Promise<CommandResult>;
  review(checkoutId: string, decision: ReviewDecision & { operator: string }): Promise<CommandResult>;
  /** Holds until the checkout is final or `timeoutMs` passes; its state then, or null when it does not exist. */
  waitForOutcome(checkoutId: string, timeoutMs: number): Promise<CheckoutView | null>;
}

/** Temporal (or the database behind it) cannot be reached right now; the caller may retry. */
export class CheckoutsUnavailableError extends Error {
  override name = 'CheckoutsUnavailableError';
}

/**
 * A start whose outcome stayed unknown: the call may have reached Temporal before it failed, and asking again
 * did not settle it. `checkoutId` names the checkout that may be running, so a client can look before it
 * retries.
 */
export class CheckoutStartUnsettledError extends CheckoutsUnavailableError {
  override name = 'CheckoutStartUnsettledError';
  constructor(
    readonly checkoutId: string,
    options: { cause: unknown },
  ) {
    super(`the start of checkout ${checkoutId} may or may not have reached Temporal, which cannot be asked right now`, options);
  }
}

export interface TemporalCheckoutsDeps {
  client: Client;
  taskQueue: string;
  db: Database;
  /** Deadline of each call to Temporal beyond any wait the caller asked for. */
  rpcTimeoutMs?: number;
  /**
   * Ask the server to hand the first workflow task straight back to a worker sharing the client's
   * NativeConnection (the all-in-one process), saving a task-queue dispatch per checkout.
   */
  eagerStart?: boolean;
  /** How long a start whose outcome is unknown is asked again before the caller is told so (default: `rpcTimeoutMs`). */
  settleStartMs?: number;
}

const TRANSIENT_GRPC_CODES = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);
/** Codes with which a call may have been carried out though it failed: it was sent, and its answer was lost. */
const OUTCOME_UNKNOWN_GRPC_CODES = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

/** The gRPC error behind a failed call, however the client wrapped it. */
const grpcErrorOf = (error: unknown) =>
  isGrpcServiceError(error) ? error : error instanceof ServiceError && isGrpcServiceError(error.cause) ? error.cause : null;

/** Wraps transient transport failures as CheckoutsUnavailableError; anything else is returned unchanged. */
export function classifyTemporalError(error: unknown): unknown {
  const grpc = grpcErrorOf(error);
  if (grpc && TRANSIENT_GRPC_CODES.has(grpc.code)) return new CheckoutsUnavailableError(`Temporal is unavailable: ${grpc.details || grpc.message}`, { cause: error });
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new CheckoutsUnavailableError(`Temporal did not answer in time: ${error.message}`, { cause: error });
  return error;
}

/** A one-line label for the Temporal Web UI: no email, no payment token. */
export function checkoutSummary(input: CheckoutWorkflowInput): string {
  const units = input.items.reduce((sum, item) => sum + item.quantity, 0);
  return `Checkout ${input.checkoutId} · ${units} ${units === 1 ? 'item' : 'items'} · ${formatMoneyCode(input.amount.total, input.amount.currency)}`;
}

/** The search attributes a checkout starts with; the saga upserts them as its status changes. */
export const checkoutSearchAttributes = (input: CheckoutWorkflowInput) => [
  { key: searchAttributes.status, value: 'pending' },
  { key: searchAttributes.customerId, value: input.customer.id },
  { key: searchAttributes.total, value: input.amount.total },
];

/**
 * Details shown under the summary in the Web UI: the customer, the trace of the request that started the
 * checkout (when traced), then the priced lines as a list (its own block, or markdown runs it into the paragraph).
 */
export function checkoutDetails(input: CheckoutWorkflowInput, traceId: string | null = null): string {
  const lines = input.items.map((item) => `- ${item.quantity} × ${markdownCode(item.sku)} ${markdownText(item.name)} @ ${formatMoneyCode(item.unitAmount, input.amount.currency)}`);
  const header = [`customer ${markdownCode(input.customer.id)} · merchant ${markdownCode(input.merchantId)}`, ...(traceId ? [`trace \`${traceId}\``] : [])];
  return webUiMarkdown([...header, lines.join('\n')]);
}

/** How many recorded checkouts ended in `status` (e.g. `escalated`, for the metric operators alert on). */
export async function countCheckoutsInStatus(db: Database, status: CheckoutView['status']): Promise<number> {
  const [row] = await db.select({ n: count() }).from(checkoutResults).where(eq(checkoutResults.status, status));
  return row?.n ?? 0;
}

/** The checkouts port on a Temporal client. */
export function createTemporalCheckouts({ client, taskQueue, db, rpcTimeoutMs = 10_000, eagerStart = false, settleStartMs = rpcTimeoutMs }: TemporalCheckoutsDeps): CheckoutsPort {
  const handleOf = (checkoutId: string): WorkflowHandle => client.workflow.getHandle(checkoutWorkflowId(checkoutId));
  const withDeadline = <T>(ms: number, fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + ms, fn);

  async function readFinal(checkoutId: string): Promise<CheckoutView | null> {
    const [row] = await db.select({ view: checkoutResults.view }).from(checkoutResults).where(and(eq(checkoutResults.checkoutId, checkoutId), isNotNull(checkoutResults.finishedAt)));
    return row?.view ?? null;
  }

  /** The state of a workflow whose query failed: its final state when it is closed, else the failure. */
  async function closedState(checkoutId: string, handle: WorkflowHandle, queryError: unknown): Promise<CheckoutView | null> {
    let description;
    try {
      description = await withDeadline(rpcTimeoutMs, () => handle.describe());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw classifyTemporalError(queryError);
    }
    if (description.status.name === 'RUNNING') throw classifyTemporalError(queryError);
    const final = await readFinal(checkoutId);
    if (final) return final;
    if (description.status.name === 'COMPLETED') return (await withDeadline(rpcTimeoutMs, () => handle.result())) as CheckoutView;
    throw queryError;
  }

  async function get(checkoutId: string): Promise<CheckoutView | null> {
    const final = await readFinal(checkoutId);
    if (final) return final;
    const handle = handleOf(checkoutId);
    try {
      return await withDeadline(rpcTimeoutMs, () => handle.query(getCheckoutQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      return closedState(checkoutId, handle, error);
    }
  }

  /**
   * An update was not delivered: the checkout is gone, closed (final), or it refused. A closed checkout
   * that shows this very command done (`repeatOf`) answers it as a repeat.
   */
  async function commandFailed(checkoutId: string, error: unknown, repeatOf: (checkout: CheckoutView) => boolean): Promise<CommandResult> {
    if (!(error instanceof WorkflowNotFoundError) && !(error instanceof WorkflowUpdateFailedError)) throw classifyTemporalError(error);
    const checkout = await get(checkoutId);
    if (!checkout) return { kind: 'not_found' };
    if (repeatOf(checkout)) return { kind: 'accepted', repeated: true, checkout };
    const reason =
      error instanceof WorkflowUpdateFailedError
        ? (error.cause?.message ?? error.message)
        : `checkout is already ${checkout.status}`;
    return { kind: 'refused', reason, checkout };
  }

  const toResult = (outcome: CommandOutcome): CommandResult =>
    outcome.accepted ? { kind: 'accepted', repeated: outcome.repeated === true, checkout: outcome.checkout } : { kind: 'refused', reason: outcome.reason, checkout: outcome.checkout };

  /**
   * Sends a command (an update) to a checkout's saga — unless its outcome is already recorded: then the
   * stored checkout answers (a repeat, or a refusal), and nothing is written to a history that is ending.
   * (The outcome is recorded a moment before the workflow closes.)
   */
  async function command(checkoutId: string, send: (handle: WorkflowHandle) => Promise<CommandOutcome>, repeatOf: (checkout: CheckoutView) => boolean): Promise<CommandResult> {
    const final = await readFinal(checkoutId);
    if (final) return repeatOf(final) ? { kind: 'accepted', repeated: true, checkout: final } : { kind: 'refused', reason: `checkout is already ${final.status}`, checkout: final };
    try {
      return toResult(await withDeadline(rpcTimeoutMs, () => send(handleOf(checkoutId))));
    } catch (error) {
      return commandFailed(checkoutId, error, repeatOf);
    }
  }

  return {
    async start(input, { idempotent }) {
      const startOnce = () =>
        withDeadline(rpcTimeoutMs, () =>
          client.workflow.start(CHECKOUT_WORKFLOW_TYPE, {
            taskQueue,
            workflowId: checkoutWorkflowId(input.checkoutId),
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: checkoutSearchAttributes(input),
            priority: merchantPriority(input.merchantId, PRIORITY_LEVEL.checkout),
            staticSummary: checkoutSummary(input),
            staticDetails: checkoutDetails(input, activeTraceIds()?.traceId),
            requestEagerStart: eagerStart,
          }),
        );
      try {
        await startOnce();
      } catch (error) {
        // REJECT_DUPLICATE: the checkout already ran to its end under this id; a replay is answered from it.
        if (idempotent && error instanceof WorkflowExecutionAlreadyStartedError) return;
        if (!isOutcomeUnknown(error)) throw classifyTemporalError(error);
        await settleStart(input.checkoutId, startOnce, error, settleStartMs);
      }
    },

    get,

    async cancel(checkoutId, options = {}) {
      const args = options.reason === undefined ? {} : { reason: options.reason };
      return command(checkoutId, (handle) => handle.executeUpdate(cancelCheckoutUpdate, { args: [args] }), isCancelledByClient);
    },

    async review(checkoutId, decision) {
      return command(checkoutId, (handle) => handle.executeUpdate(reviewCheckoutUpdate, { args: [decision] }), (checkout) => isRepeatedReview(checkout.review, decision));
    },

    async waitForOutcome(checkoutId, timeoutMs) {
      // A checkout is final when its workflow closes (after its result is stored and its event published).
      // The result is a long poll on the history: no update, no timer, nothing written per waiting caller.
      try {
        return (await withDeadline(timeoutMs, () => handleOf(checkoutId).result())) as CheckoutView;
      } catch (error) {
        // Still running when the wait ran out, never existed, or closed some other way: the stored or live
        // state answers.
        if (error instanceof WorkflowNotFoundError || isDeadlineExceeded(error) || error instanceof WorkflowFailedError) return get(checkoutId);
        throw classifyTemporalError(error);
      }
    },
  };
}

/** A failed call that may have been carried out: sent, then its answer lost (a deadline, a cut connection). */
const isOutcomeUnknown = (error: unknown) => {
  const code = grpcErrorOf(error)?.code;
  return code !== undefined && OUTCOME_UNKNOWN_GRPC_CODES.has(code);
};

/**
 * Settles a start whose outcome is unknown by starting the same workflow id again, which is idempotent: it
 * finds the checkout the first call started (USE_EXISTING while it runs, REJECT_DUPLICATE once it ended —
 * and the id is this request's own, so nobody else can have used it), or starts it if the first call never
 * arrived. Without this, a client that retried without an Idempotency-Key would start a second checkout.
 */
async function settleStart(checkoutId: string, startOnce: () => Promise<unknown>, firstError: unknown, settleMs: number): Promise<void> {
  const deadline = Date.now() + settleMs;
  let last = firstError;
  for (let attempt = 0; Date.now() < deadline; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 100 * 2 ** attempt)));
    try {
      await startOnce();
      return;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      if (!TRANSIENT_GRPC_CODES.has(grpcErrorOf(error)?.code ?? -1)) throw classifyTemporalError(error);
      last = error;
    }
  }
  throw new CheckoutStartUnsettledError(checkoutId, { cause: last });
}

/** The gRPC deadline of a call ran out (DEADLINE_EXCEEDED). */
const isDeadlineExceeded = (error: unknown) => grpcErrorOf(error)?.code === 4;
