/**
 * What each role may publish and subscribe to on NATS, where a deployment gives every role a user of its own
 * (docker-compose.yml): deploy/nats-accounts.conf is `renderNatsAccounts()` of this module (`npm run
 * nats:accounts` writes it; a test keeps the two equal), and test/nats/role-permissions.int.test.ts runs each
 * role's work, and what it must not do, against a server holding that file.
 *
 * Every subject a role sends to is listed by name — the JetStream API calls of its nats.js functions, the
 * events it publishes, the acks of its own consumer — and it receives on its own inbox only (`_INBOX.<user>`,
 * which src/platform/nats/connection.ts sets for a user): no role can read what another pulls, or forge what another
 * publishes. Only `migrate` may create or change the streams and consumers; every other role's provisioning
 * at start only reads them (see `ensureCheckoutStream`), and fails, naming the fix, when they differ.
 */
import { CHECKOUT_EVENT_TYPES } from '../contracts/events.ts';
import { SERVICE_CONSUMERS } from './subscribers.ts';
import { userInboxPrefix } from '../platform/nats/connection.ts';
import { DEFAULT_STREAM_NAMES, deadLetterStreamName, deadLetterSubjectFor, retrySubjectFor, subjectFor, typeSubjectFor, type StreamNames } from '../platform/nats/provision.ts';

/** The roles that connect to NATS, each as the user of its name; `operator` is the CLIs (`dlq`, `analytics:rebuild`). */
export const NATS_ROLES = ['migrate', 'api', 'worker', 'email', 'notifications', 'analytics', 'webhooks', 'operator'] as const;
export type NatsRole = (typeof NATS_ROLES)[number];

export interface RolePermissions {
  /** What the role is, for the rendered file's readers. */
  does: string;
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[] };
}

/** The environment variable holding a role's password, on the NATS nodes and in the role's container. */
export const natsPasswordVariable = (role: NatsRole) => `NATS_${role.toUpperCase()}_PASSWORD`;

const API = '$JS.API';

export function rolePermissions(names: StreamNames = DEFAULT_STREAM_NAMES): Record<NatsRole, RolePermissions> {
  const events = names.stream;
  const deadLetters = deadLetterStreamName(names);
  const durables = SERVICE_CONSUMERS.map((c) => c.name);
  // `jetstreamManager()` first asks for the account's info; provisioning then reads both streams and the consumers.
  const reads = (consumers: readonly string[]) => [
    `${API}.INFO`,
    `${API}.STREAM.INFO.${events}`,
    `${API}.STREAM.INFO.${deadLetters}`,
    ...consumers.map((c) => `${API}.CONSUMER.INFO.${events}.${c}`),
  ];
  const role = (does: string, publish: string[], deny: string[] = []): Omit<RolePermissions, 'subscribe'> => ({ does, publish: { allow: publish, deny } });
  // A subscriber process connects as every role does (checking all the consumers), then runs its own.
  const subscriber = (consumer: string, what: string) =>
    role(`${what}: pulls from its durable consumer "${consumer}", acks, and writes its own dead letters`, [
      ...reads(durables),
      `${API}.CONSUMER.MSG.NEXT.${events}.${consumer}`,
      `$JS.ACK.${events}.${consumer}.>`,
      deadLetterSubjectFor(names, consumer),
    ]);
  // The CLIs read a stream through an ordered consumer of a random name, which they re-create (deleting the
  // last) after a gap; those rights would also reach the service's durable consumers, which stay denied.
  const ordered = [events, deadLetters].flatMap((stream) => ['CREATE', 'MSG.NEXT', 'DELETE', 'INFO'].map((call) => `${API}.CONSUMER.${call}.${stream}.*`));
  const durableWrites = durables.flatMap((c) => ['CREATE', 'MSG.NEXT', 'DELETE'].map((call) => `${API}.CONSUMER.${call}.${events}.${c}`));

  const roles: Record<NatsRole, Omit<RolePermissions, 'subscribe'>> = {
    migrate: role('provisions the streams and the durable consumers, once per release, before every other role', [
      ...reads(durables),
      ...[events, deadLetters].flatMap((stream) => [`${API}.STREAM.CREATE.${stream}`, `${API}.STREAM.UPDATE.${stream}`]),
      // nats.js creates and updates a consumer with several filter subjects through the older durable call.
      ...durables.map((c) => `${API}.CONSUMER.DURABLE.CREATE.${events}.${c}`),
    ]),
    api: role('checks at start that the streams and consumers are provisioned; its readiness pings the server', reads(durables)),
    worker: role('publishes the outcome events, on the subjects of either layout (EVENT_SUBJECTS)', [
      ...reads(durables),
      ...CHECKOUT_EVENT_TYPES.flatMap((type) => [typeSubjectFor(names, type), subjectFor(names, type, '*')]),
    ]),
    email: subscriber('email', 'the customer emails'),
    notifications: subscriber('notifications', 'SMS and push'),
    analytics: subscriber('analytics', 'the analytics read model'),
    webhooks: subscriber('webhooks', "the merchants' webhooks"),
    operator: role(
      'the operators\' CLIs: `dlq` lists, shows, replays (to the consumer that gave up) and purges dead letters; `analytics:rebuild` reads the stream',
      [
        ...reads([]),
        ...ordered,
        `${API}.STREAM.MSG.GET.${events}`,
        retrySubjectFor(names, '*'),
        `${API}.STREAM.MSG.DELETE.${deadLetters}`,
        `${API}.STREAM.PURGE.${deadLetters}`,
      ],
      durableWrites,
    ),
  };
  return Object.fromEntries(NATS_ROLES.map((name) => [name, { ...roles[name], subscribe: { allow: [`${userInboxPrefix(name)}.>`] } }])) as Record<NatsRole, RolePermissions>;
}

/**
 * The `authorization` block of the NATS server config: a user per role, the password a reference to the
 * environment variable the server reads at start (`$NATS_<ROLE>_PASSWORD`; start it with a letter, or NATS
 * reads a leading number as one).
 */
export function renderNatsAccounts(permissions: Record<NatsRole, RolePermissions> = rolePermissions()): string {
  const list = (indent: string, subjects: string[]) => ['[', ...subjects.map((s) => `${indent}  ${JSON.stringify(s)}`), `${indent}]`].join('\n');
  const user = (name: NatsRole) => {
    const { does, publish, subscribe } = permissions[name];
    return [
      `    # ${name}: ${does}`,
      '    {',
      `      user: ${name}`,
      `      password: $${natsPasswordVariable(name)}`,
      '      permissions: {',
      '        publish: {',
      `          allow: ${list('          ', publish.allow)}`,
      ...(publish.deny.length > 0 ? [`          deny: ${list('          ', publish.deny)}`] : []),
      '        }',
      '        subscribe: {',
      `          allow: ${list('          ', subscribe.allow)}`,
      '        }',
      '      }',
      '    }',
    ].join('\n');
  };
  return [
    '# Generated from src/roles/nats-permissions.ts by `npm run nats:accounts`: change that module, not this file.',
    '# A user per role, allowed the subjects the role uses and no other; included by nats-cluster.conf.',
    'authorization {',
    '  users: [',
    NATS_ROLES.map(user).join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}
