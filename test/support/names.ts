/** Unique names per test file, so reruns and parallel files never share a queue, stream or subject. */
import { randomBytes } from 'node:crypto';
import type { StreamNames } from '../../src/platform/nats/provision.ts';

export const uniqueSuffix = () => randomBytes(4).toString('hex');

/** A stream and subject prefix of its own, e.g. `MAIL_1A2B3C4D` on `mail_1a2b3c4d.>`. */
export function uniqueStreamNames(label = 'test'): StreamNames {
  const suffix = uniqueSuffix();
  return { stream: `${label.toUpperCase()}_${suffix.toUpperCase()}`, subjectPrefix: `${label.toLowerCase()}_${suffix}` };
}
