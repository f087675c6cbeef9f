/** A duration as people read it in the Web UI: `24h`, `30s`, `1.5s`, `10m`. Pure; used by workflow code. */
export function humanDuration(ms: number): string {
  const units: [string, number][] = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return ms >= 1_000 ? `${+(ms / 1_000).toFixed(1)}s` : `${ms}ms`;
}
