/** docs/observability.md's metric table lists every metric the API and the subscribers register, and no metric they do not. */
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApiMetrics, registerEscalationGauge } from '../api/metrics.ts';
import { createConsumerMetrics } from '../src/platform/nats/consumer-metrics.ts';
import { createWebhookMetrics } from '../src/webhooks/metrics.ts';

const doc = readFileSync(new URL('../docs/observability.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Metrics'), doc.indexOf('\n## ', doc.indexOf('## Metrics') + 1));
// The worker's own metrics (from Temporal's runtime) are documented too, but registered elsewhere.
const documented = [...section.matchAll(/^\| `([a-z_]+)(?:\{[a-z,]+\})?` \| (?!worker)/gm)].map((m) => m[1]!);

describe('the metric table of docs/observability.md', () => {
  it('names each metric of the API and the subscribers, with the labels they carry', async () => {
    const registry = new Registry();
    createApiMetrics(registry);
    registerEscalationGauge(registry, async () => 0, async () => 0);
    createConsumerMetrics(registry, 'email');
    createWebhookMetrics(registry);
    const registered = registry.getMetricsAsArray().map((m) => m.name);
    expect(registered.length).toBeGreaterThan(5);
    expect([...documented].sort()).toEqual([...registered].sort());
    for (const metric of registry.getMetricsAsArray()) {
      const labels = (metric as unknown as { labelNames: string[] }).labelNames;
      const shown = labels.length ? `\`${metric.name}{${labels.join(',')}}\`` : `\`${metric.name}\``;
      expect(section, metric.name).toContain(shown);
    }
  });
});
