/** Unique names per test file, so reruns and parallel files never share a queue, stream or subject. */
import { randomBytes } from 'node:crypto';
import type { StreamNames } from '../../src/nats/provision.ts';

export const uniqueSuffix = () => randomBytes(4).toString('hex');

export function uniqueStreamNames(suffix = uniqueSuffix()): StreamNames {
  return { stream: `CHECKOUT_EVENTS_${suffix.toUpperCase()}`, subjectPrefix: `test_${suffix}.checkout` };
}
