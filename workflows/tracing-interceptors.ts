/**
 * The workflow side of tracing (Temporal's OpenTelemetry workflow interceptors), for a checkout whose start
 * carried a trace only: the client interceptor writes `_tracer-data` into the start's headers when tracing is
 * on. An untraced checkout makes no spans in the sandbox, which would cost the worker CPU for nothing. The
 * headers are in the history, so a replay decides the same way.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowInternalsInterceptor, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

const TRACE_HEADER = '_tracer-data';

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** An interceptor whose `methods` go to `target()` while `traced()`, and straight to `next` otherwise. */
function whenTraced<T extends object>(methods: (keyof T & string)[], target: () => T, traced: () => boolean): T {
  return Object.fromEntries(
    methods.map((name) => [
      name,
      (input: unknown, next: (input: unknown) => unknown) => {
        if (!traced()) return next(input);
        const interceptor = target();
        return (interceptor[name] as Method).call(interceptor, input, next);
      },
    ]),
  ) as T;
}

export const interceptors = (): WorkflowInterceptors => {
  let traced = false;
  let otel: { inbound: OpenTelemetryInboundInterceptor; outbound: OpenTelemetryOutboundInterceptor; internals: OpenTelemetryInternalsInterceptor } | undefined;
  // Made on first use: their construction sets up the sandbox's tracer provider.
  const spans = () => (otel ??= { inbound: new OpenTelemetryInboundInterceptor(), outbound: new OpenTelemetryOutboundInterceptor(), internals: new OpenTelemetryInternalsInterceptor() });
  const isTraced = () => traced;
  const inbound: WorkflowInboundCallsInterceptor = {
    ...whenTraced<WorkflowInboundCallsInterceptor>(['handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery'], () => spans().inbound, isTraced),
    execute(input, next) {
      traced = TRACE_HEADER in input.headers;
      return traced ? spans().inbound.execute(input, next) : next(input);
    },
  };
  const outbound = whenTraced<WorkflowOutboundCallsInterceptor>(
    ['scheduleActivity', 'scheduleLocalActivity', 'startNexusOperation', 'startChildWorkflowExecution', 'continueAsNew', 'signalWorkflow', 'getLogAttributes', 'getMetricTags'],
    () => spans().outbound,
    isTraced,
  );
  const internals: WorkflowInternalsInterceptor = { dispose: (input, next) => (otel ? otel.internals.dispose(input, next) : next(input)) };
  return { inbound: [inbound], outbound: [outbound], internals: [internals] };
};
