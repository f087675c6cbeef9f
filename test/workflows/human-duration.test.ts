import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/platform/human-duration.ts';

describe('durations as the Web UI shows them', () => {
  it.each([
    [24 * 3_600_000, '24h'],
    [7 * 24 * 3_600_000, '168h'],
    [3_600_000, '1h'],
    [30 * 60_000, '30m'],
    [30_000, '30s'],
    [1_500, '1.5s'],
    [250, '250ms'],
    [90 * 60_000, '90m'],
  ])('%i ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
