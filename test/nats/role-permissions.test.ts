/**
 * The NATS users of docker-compose.yml have one source: deploy/nats-accounts.conf is the rendering of
 * src/roles/nats-permissions.ts (`npm run nats:accounts` writes it again), and the rules the integration test
 * exercises hold for every role, so a new subject cannot widen a role unnoticed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATS_ROLES, renderNatsAccounts, rolePermissions } from '../../src/roles/nats-permissions.ts';

const permissions = rolePermissions();
const publishers = (test: (subject: string) => boolean) => NATS_ROLES.filter((role) => permissions[role].publish.allow.some(test));

describe('NATS role permissions', () => {
  it('are what deploy/nats-accounts.conf holds (run `npm run nats:accounts` after changing them)', () => {
    expect(readFileSync(new URL('../../deploy/nats-accounts.conf', import.meta.url), 'utf8')).toBe(renderNatsAccounts());
  });

  it('name every subject: no full wildcard but a role\'s own acks, each role receives on its own inbox only', () => {
    for (const role of NATS_ROLES) {
      const { publish, subscribe } = permissions[role];
      for (const subject of publish.allow.filter((s) => s.endsWith('>'))) expect(subject, role).toBe(`$JS.ACK.CHECKOUT_EVENTS.${role}.>`);
      expect(subscribe.allow, role).toEqual([`_INBOX.${role}.>`]);
    }
  });

  it('give each right to the one role that needs it', () => {
    expect(publishers((s) => /^\$JS\.API\.(STREAM\.(CREATE|UPDATE)|CONSUMER\.DURABLE\.CREATE)\./.test(s))).toEqual(['migrate']);
    expect(publishers((s) => /^checkout\.(completed|declined|cancelled|failed|escalated)/.test(s))).toEqual(['worker']);
    expect(publishers((s) => s.startsWith('checkout.retry.') || /^\$JS\.API\.STREAM\.(PURGE|MSG\.DELETE)\./.test(s))).toEqual(['operator']);
    expect(publishers((s) => /\.(DELETE|PURGE)\.CHECKOUT_EVENTS$/.test(s) || s.startsWith('$JS.API.STREAM.DELETE.'))).toEqual([]);
    for (const consumer of ['email', 'notifications', 'analytics']) {
      expect(publishers((s) => s === `checkout_dlq.${consumer}` || s === `$JS.API.CONSUMER.MSG.NEXT.CHECKOUT_EVENTS.${consumer}`), consumer).toEqual([consumer]);
    }
  });
});
