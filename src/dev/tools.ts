/** Finds the pinned Temporal CLI and nats-server, building them once through scripts/tools.sh. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface PinnedTools {
  temporalCli: string;
  natsServer: string;
}

const script = fileURLToPath(new URL('../../scripts/tools.sh', import.meta.url));

export function ensureTools(): PinnedTools {
  const output = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const value = (key: string) => {
    const line = output.split('\n').find((l) => l.startsWith(`${key}=`));
    if (!line) throw new Error(`scripts/tools.sh did not report ${key}`);
    return line.slice(key.length + 1);
  };
  return { temporalCli: value('TEMPORAL_CLI'), natsServer: value('NATS_SERVER') };
}
