/**
 * The subjects events are published on and the filters of the durable consumers, checked with NATS's own
 * matching rules (`*` one token, `>` the rest): each consumer's filter matches exactly the events it acts on,
 * the type-only subjects of earlier releases and its own retries, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { CHECKOUT_EVENT_TYPES, FIRST_CHANNELS, type EventSelection, type FirstChannel } from '../../src/contracts/events.ts';
import { ANALYTICS_CONSUMER, ANALYTICS_EVENTS } from '../../src/analytics/subscriber.ts';
import { EMAIL_CONSUMER, EMAIL_EVENTS } from '../../src/notifications/email-subscriber.ts';
import { NOTIFICATIONS_CONSUMER, NOTIFICATIONS_EVENTS } from '../../src/notifications/notifications-subscriber.ts';
import { consumerFilterSubjects, eventSubjectFor, firstChannelOf, retrySubjectFor, subjectFor, typeSubjectFor, type StreamNames } from '../../src/platform/nats/provision.ts';
import type { CheckoutCustomer } from '../../src/contracts/workflow.ts';
import { channelPlan } from '../../src/contracts/events.ts';
import { sampleEvent } from './support.ts';

const names: StreamNames = { stream: 'CHECKOUT_EVENTS', subjectPrefix: 'checkout' };

/** NATS subject matching: `*` is one token, `>` one or more trailing tokens. */
function matches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i += 1) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

const CONSUMERS: [string, EventSelection][] = [
  [EMAIL_CONSUMER, EMAIL_EVENTS],
  [NOTIFICATIONS_CONSUMER, NOTIFICATIONS_EVENTS],
  [ANALYTICS_CONSUMER, ANALYTICS_EVENTS],
];
const selects = (selection: EventSelection, channel: FirstChannel) => selection === 'all' || selection.includes(channel);

describe('event subjects', () => {
  it('name the outcome and the first channel, or only the outcome in the layout before the channel token', () => {
    expect(subjectFor(names, 'checkout.completed', 'sms')).toBe('checkout.completed.notify.sms');
    expect(subjectFor(names, 'declined', 'none')).toBe('checkout.declined.notify.none');
    expect(typeSubjectFor(names, 'checkout.completed')).toBe('checkout.completed');
    const smsFirst = sampleEvent('checkout.cancelled', { data: { customer: { id: 'c', email: 'a@example.com', phone: '+15551230001', notify: ['sms', 'email'] } } });
    expect(eventSubjectFor(names, smsFirst)).toBe('checkout.cancelled.notify.sms');
    expect(eventSubjectFor({ ...names, eventSubjects: 'channel' }, smsFirst)).toBe('checkout.cancelled.notify.sms');
    expect(eventSubjectFor({ ...names, eventSubjects: 'type' }, smsFirst)).toBe('checkout.cancelled');
  });

  it.each<[string, Partial<CheckoutCustomer>, FirstChannel]>([
    ['no notify list', {}, 'email'],
    ['email first', { phone: '+15551230001', notify: ['email', 'sms'] }, 'email'],
    ['sms first', { phone: '+15551230001', notify: ['sms', 'email'] }, 'sms'],
    ['push first', { deviceToken: 'device_token_1', notify: ['push'] }, 'push'],
    ['sms first without a phone', { notify: ['sms', 'email'] }, 'email'],
    ['only channels it has no detail for', { notify: ['sms', 'push'] }, 'none'],
  ])('take the first channel the subscribers would use: %s', (_name, customer, channel) => {
    const event = sampleEvent('checkout.completed', { data: { customer: { id: 'c', email: 'a@example.com', ...customer } } });
    expect(firstChannelOf(event)).toBe(channel);
    expect(firstChannelOf(event)).toBe(channelPlan(event.data.customer)[0] ?? 'none');
  });
});

describe('consumer filters', () => {
  it('list the type-only subjects, the selected channels and the own retries', () => {
    expect(consumerFilterSubjects(names, EMAIL_CONSUMER, EMAIL_EVENTS)).toEqual(['checkout.*', 'checkout.*.notify.email', 'checkout.retry.email']);
    expect(consumerFilterSubjects(names, NOTIFICATIONS_CONSUMER, NOTIFICATIONS_EVENTS)).toEqual([
      'checkout.*',
      'checkout.*.notify.sms',
      'checkout.*.notify.push',
      'checkout.retry.notifications',
    ]);
    expect(consumerFilterSubjects(names, ANALYTICS_CONSUMER, ANALYTICS_EVENTS)).toEqual(['checkout.*', 'checkout.*.notify.*', 'checkout.retry.analytics']);
    expect(consumerFilterSubjects(names, 'a')).toEqual(consumerFilterSubjects(names, 'a', 'all'));
  });

  it.each(CONSUMERS)('of %s match exactly the events it acts on, every type-only event and its own retries', (consumer, selection) => {
    const filters = consumerFilterSubjects(names, consumer, selection);
    const received = (subject: string) => filters.filter((f) => matches(f, subject)).length;
    for (const type of CHECKOUT_EVENT_TYPES) {
      for (const channel of FIRST_CHANNELS) {
        expect(received(subjectFor(names, type, channel)), `${consumer} ← ${type} ${channel}`).toBe(selects(selection, channel) ? 1 : 0);
      }
      expect(received(typeSubjectFor(names, type)), `${consumer} ← ${type}`).toBe(1);
    }
    expect(received(retrySubjectFor(names, consumer))).toBe(1);
    // Nobody else's retries, even of a consumer named like a channel or an outcome.
    for (const other of [...CONSUMERS.map(([name]) => name), ...FIRST_CHANNELS, 'completed', 'notify', 'a']) {
      if (other !== consumer) expect(received(retrySubjectFor(names, other)), `${consumer} ← retry of ${other}`).toBe(0);
    }
  });

  it('split the events between email and notifications: each one to exactly one of them, none to both', () => {
    const email = consumerFilterSubjects(names, EMAIL_CONSUMER, EMAIL_EVENTS);
    const notifications = consumerFilterSubjects(names, NOTIFICATIONS_CONSUMER, NOTIFICATIONS_EVENTS);
    for (const channel of FIRST_CHANNELS) {
      const subject = subjectFor(names, 'checkout.completed', channel);
      const to = [email.some((f) => matches(f, subject)) && 'email', notifications.some((f) => matches(f, subject)) && 'notifications'].filter(Boolean);
      expect(to, channel).toEqual(channel === 'email' ? ['email'] : channel === 'none' ? [] : ['notifications']);
    }
  });

  it('stay inside the stream subjects', () => {
    for (const [consumer, selection] of CONSUMERS) {
      for (const filter of consumerFilterSubjects(names, consumer, selection)) expect(filter.startsWith('checkout.')).toBe(true);
    }
  });
});
