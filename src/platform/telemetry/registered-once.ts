/** A metric registered once per prom-client registry: the processes that start several roles share one registry. */
import type { Registry } from 'prom-client';

export function registeredOnce<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
