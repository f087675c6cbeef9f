/**
 * The delivery rules of customer notifications, in one place and free of I/O:
 *
 * - One message per outcome event, on the first channel of the customer's `notify` list (default email).
 * - On a channel, each provider gets `attemptsPerProvider` tries, spaced by exponential backoff with full
 *   jitter (a random wait in [0, min(maxDelay, baseDelay·2^n))); then the secondary provider; then the
 *   primary again, for as long as the channel's deadline allows.
 * - When a channel stays down past its deadline, the message falls back to the customer's next channel; a
 *   permanent refusal (an invalid number, an unregistered device) falls back at once.
 * - No channel left: the message cannot be delivered (a dead letter).
 */
import type { NotificationChannel } from '../contracts/vocabulary.ts';

export type Provider = 'primary' | 'secondary';

export interface DeliveryPolicy {
  attemptsPerProvider: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one channel is tried before the message falls back to the next. */
  channelDeadlineMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { attemptsPerProvider: 3, baseDelayMs: 250, maxDelayMs: 5_000, channelDeadlineMs: 60_000 };

/** Full jitter: a wait in [0, min(max, base·2^retry)); `retry` counts from 0. */
export function backoffMs(policy: DeliveryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

/** Where a message stands: the channel and provider of the next attempt, and what came before. */
export interface DeliveryState {
  channel: NotificationChannel;
  provider: Provider;
  /** Tries on this provider in the current round. */
  providerAttempts: number;
  /** Tries on this channel, all providers and rounds: the backoff exponent. */
  channelAttempts: number;
  /** When this channel's first try was made (epoch ms). */
  channelStartedAt: number;
}

export type AttemptResult = 'accepted' | 'unavailable' | 'rejected';

export type NextStep =
  | { kind: 'delivered' }
  | { kind: 'retry'; state: DeliveryState; afterMs: number }
  | { kind: 'fallback'; from: NotificationChannel; state: DeliveryState; reason: 'rejected' | 'deadline' }
  | { kind: 'undeliverable'; reason: 'rejected' | 'deadline' };

export const initialState = (plan: NotificationChannel[], now: number): DeliveryState => ({
  channel: plan[0]!,
  provider: 'primary',
  providerAttempts: 0,
  channelAttempts: 0,
  channelStartedAt: now,
});

/** Email has one relay; SMS and push have a primary and a secondary provider. */
export const providersOf = (channel: NotificationChannel): Provider[] => (channel === 'email' ? ['primary'] : ['primary', 'secondary']);

/** What to do after an attempt from `state` ended with `result` at `now`. */
export function nextStep(
  plan: NotificationChannel[],
  state: DeliveryState,
  result: AttemptResult,
  now: number,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  random: () => number = Math.random,
): NextStep {
  if (result === 'accepted') return { kind: 'delivered' };
  const tried = { ...state, providerAttempts: state.providerAttempts + 1, channelAttempts: state.channelAttempts + 1 };
  const reason = result === 'rejected' ? 'rejected' : now - state.channelStartedAt >= policy.channelDeadlineMs ? 'deadline' : null;
  if (reason) {
    const next = plan[plan.indexOf(state.channel) + 1];
    if (!next) return { kind: 'undeliverable', reason };
    return { kind: 'fallback', from: state.channel, reason, state: { channel: next, provider: 'primary', providerAttempts: 0, channelAttempts: 0, channelStartedAt: now } };
  }
  const delay = backoffMs(policy, tried.channelAttempts - 1, random);
  // Never wait past the deadline: the attempt at the deadline decides the fallback.
  const afterMs = Math.max(0, Math.min(delay, state.channelStartedAt + policy.channelDeadlineMs - now));
  if (tried.providerAttempts < policy.attemptsPerProvider) return { kind: 'retry', state: tried, afterMs };
  const providers = providersOf(state.channel);
  const nextProvider = providers[(providers.indexOf(state.provider) + 1) % providers.length]!;
  // Failing over is immediate; coming back round to the primary waits like any retry.
  const wait = nextProvider === 'secondary' ? 0 : afterMs;
  return { kind: 'retry', state: { ...tried, provider: nextProvider, providerAttempts: 0 }, afterMs: wait };
}
