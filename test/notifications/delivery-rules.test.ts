/** The delivery rules as a table: retries with full jitter, failover to the secondary, fallback to the next channel. */
import { describe, expect, it } from 'vitest';
import { channelPlan } from '../../src/contracts/events.ts';
import { backoffMs, initialState, nextStep, type AttemptResult, type DeliveryPolicy, type DeliveryState, type NextStep } from '../../src/notifications/delivery-rules.ts';

const policy: DeliveryPolicy = { attemptsPerProvider: 2, baseDelayMs: 100, maxDelayMs: 1_000, channelDeadlineMs: 10_000 };
const alwaysMax = () => 0.999_999;

/** Runs the rules over a sequence of attempt results, returning each step taken. */
function run(plan: ReturnType<typeof channelPlan>, results: AttemptResult[], stepMs = 1_000) {
  let now = 0;
  let state: DeliveryState = initialState(plan, now);
  const steps: (NextStep & { at: string })[] = [];
  for (const result of results) {
    const step = nextStep(plan, state, result, now, policy, alwaysMax);
    steps.push({ ...step, at: `${state.channel}/${state.provider}` });
    if (step.kind === 'retry' || step.kind === 'fallback') state = step.state;
    else break;
    now += stepMs;
  }
  return steps;
}

describe('channelPlan', () => {
  it("follows the customer's order, defaults to email, and skips a channel without its contact detail", () => {
    expect(channelPlan({})).toEqual(['email']);
    expect(channelPlan({ notify: ['sms', 'email'], phone: '+15551234567' })).toEqual(['sms', 'email']);
    expect(channelPlan({ notify: ['push', 'sms', 'email'], deviceToken: 'device_token_1' })).toEqual(['push', 'email']);
  });
});

describe('backoffMs (full jitter)', () => {
  it('waits a random share of an exponentially growing ceiling, capped', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffMs(policy, n, alwaysMax))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
    expect(backoffMs(policy, 3, () => 0.5)).toBe(400);
  });
});

describe('nextStep', () => {
  it('is delivered on the first accepted attempt', () => {
    expect(run(['sms', 'email'], ['accepted'])).toEqual([{ kind: 'delivered', at: 'sms/primary' }]);
  });

  it('retries the primary with backoff, fails over to the secondary at once, then comes back round', () => {
    const steps = run(['sms', 'email'], ['unavailable', 'unavailable', 'unavailable', 'unavailable', 'accepted']);
    expect(steps.map((s) => [s.at, s.kind, 'afterMs' in s ? s.afterMs : null])).toEqual([
      ['sms/primary', 'retry', 99],
      ['sms/primary', 'retry', 0],
      ['sms/secondary', 'retry', 399],
      ['sms/secondary', 'retry', 799],
      ['sms/primary', 'delivered', null],
    ]);
  });

  it('falls back to the next channel once the deadline passes, and only then', () => {
    const steps = run(['sms', 'email'], Array<AttemptResult>(12).fill('unavailable'), 1_000);
    const fallback = steps.findIndex((s) => s.kind === 'fallback');
    expect(fallback).toBe(10);
    expect(steps[fallback]).toMatchObject({ kind: 'fallback', from: 'sms', reason: 'deadline', state: { channel: 'email', provider: 'primary', channelAttempts: 0 } });
    expect(steps.slice(0, fallback).every((s) => s.kind === 'retry' && s.at.startsWith('sms/'))).toBe(true);
  });

  it('never waits past the deadline', () => {
    const state: DeliveryState = { channel: 'sms', provider: 'secondary', providerAttempts: 0, channelAttempts: 9, channelStartedAt: 0 };
    expect(nextStep(['sms', 'email'], state, 'unavailable', 9_950, policy, alwaysMax)).toMatchObject({ kind: 'retry', afterMs: 50 });
  });

  it('falls back at once on a permanent refusal', () => {
    expect(run(['push', 'email'], ['rejected', 'accepted'])).toEqual([
      expect.objectContaining({ kind: 'fallback', from: 'push', reason: 'rejected', at: 'push/primary' }),
      expect.objectContaining({ kind: 'delivered', at: 'email/primary' }),
    ]);
  });

  it('gives up when no channel is left', () => {
    expect(run(['sms'], ['rejected'])).toEqual([{ kind: 'undeliverable', reason: 'rejected', at: 'sms/primary' }]);
    expect(run(['email'], Array<AttemptResult>(20).fill('unavailable')).at(-1)).toMatchObject({ kind: 'undeliverable', reason: 'deadline' });
  });

  it('keeps email on its one relay', () => {
    const steps = run(['email'], ['unavailable', 'unavailable', 'unavailable']);
    expect(steps.map((s) => s.at)).toEqual(['email/primary', 'email/primary', 'email/primary']);
  });
});
