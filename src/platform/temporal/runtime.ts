/**
 * Installs the process-wide Temporal runtime once: SDK logs through pino, and worker metrics in Prometheus
 * format on their own port. Must run before any worker or native connection is created.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger.ts';

export function installTemporalRuntime(logger: Logger, options: { metricsBindAddress?: string; level?: LogLevel } = {}): void {
  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger(options.level ?? 'WARN', ({ level, message, meta }) => {
      const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const)[level];
      temporalLogger[method](meta ?? {}, message);
    }),
    ...(options.metricsBindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsBindAddress } } } } : {}),
  });
}
