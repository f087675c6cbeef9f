/**
 * The workflow side of tracing (Temporal's OpenTelemetry workflow interceptors), for a checkout whose start
 * carried a trace only: the client interceptor writes `_tracer-data` into the start's headers when tracing is
 * on. An untraced checkout makes no spans in the sandbox, which would cost the worker CPU for nothing. The
 * headers are in the history, so a replay decides the same way.
 */
import type * as OpenTelemetryWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowInternalsInterceptor, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

/**
 * Temporal's OpenTelemetry workflow interceptors, evaluated on a traced checkout's first call only. The worker
 * gives every workflow run a module cache of its own, so a static import would evaluate them, and the ~120
 * OpenTelemetry modules behind them (~0.8 MB of code), again for every checkout, traced or not. A `require()`
 * rather than an `import()`: webpack keeps the module in the one bundle and evaluates it synchronously, so a
 * traced checkout runs as it did with the static import — no extra await before the workflow starts, and no
 * moment in which another interceptor method finds the module still loading.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const openTelemetry = (): typeof OpenTelemetryWorkflow => require('@temporalio/interceptors-opentelemetry/lib/workflow/index.js');

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
  let otel:
    | { inbound: OpenTelemetryWorkflow.OpenTelemetryInboundInterceptor; outbound: OpenTelemetryWorkflow.OpenTelemetryOutboundInterceptor; internals: OpenTelemetryWorkflow.OpenTelemetryInternalsInterceptor }
    | undefined;
  // Made on first use: their construction sets up the sandbox's tracer provider.
  const spans = () => {
    if (otel) return otel;
    const { OpenTelemetryInboundInterceptor, OpenTelemetryOutboundInterceptor, OpenTelemetryInternalsInterceptor } = openTelemetry();
    return (otel = { inbound: new OpenTelemetryInboundInterceptor(), outbound: new OpenTelemetryOutboundInterceptor(), internals: new OpenTelemetryInternalsInterceptor() });
  };
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
