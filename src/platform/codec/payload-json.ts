/** Payloads in proto JSON form (metadata values and data in base64), as codec servers and exported histories hold them. */
import type { Payload } from '@temporalio/common';

export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export const payloadFromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

export const payloadToJson = (p: Payload): Required<JsonPayload> => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * Every payload in an exported history (JSON) that the service's codec encodes: not search attributes, which
 * Temporal indexes, and of markers only the local activity's `result` (their other details are Core's own).
 */
export function* codecPayloadsOf(node: unknown): Generator<JsonPayload> {
  if (Array.isArray(node)) {
    for (const item of node) yield* codecPayloadsOf(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (typeof record.metadata === 'object' && record.metadata !== null && 'encoding' in record.metadata) {
    yield record as JsonPayload;
    return;
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === 'indexedFields') continue;
    if (key === 'markerRecordedEventAttributes') {
      const details = (value as { details?: Record<string, unknown> }).details;
      if (details?.result) yield* codecPayloadsOf(details.result);
      yield* codecPayloadsOf({ ...(value as object), details: undefined });
      continue;
    }
    yield* codecPayloadsOf(value);
  }
}
