/**
 * Temporal's OpenTelemetry interceptors. The workflow interceptors are always in the bundle (one bundle,
 * built once, whatever the tracing of the worker that loads it) and trace only checkouts started traced; the
 * span sink is always registered. The client and activity interceptors are installed only when tracing is on.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing.ts';

/**
 * The module the workflow bundle imports its interceptors from (the source, or its compiled copy in dist/): a
 * span per workflow run, activity, update and query of a traced checkout.
 */
const interceptorsSource = fileURLToPath(new URL('../../../workflows/tracing-interceptors.ts', import.meta.url));
export const WORKFLOW_INTERCEPTOR_MODULES = [existsSync(interceptorsSource) ? interceptorsSource : interceptorsSource.replace(/\.ts$/, '.js')];

/**
 * The bundler options of every bundle carrying WORKFLOW_INTERCEPTOR_MODULES. They load OpenTelemetry with a
 * `require()`, for a traced checkout only: webpack resolves it in the TypeScript source, but would parse the
 * compiled copy in dist/ (a .js file of an ES module package) as a strict ES module and leave `require`
 * undefined in the sandbox. Parsed like the source, both bundle alike.
 */
export const WORKFLOW_BUNDLER_OPTIONS = {
  webpackConfigHook: (config) => ({ ...config, module: { ...config.module, rules: [...(config.module?.rules ?? []), { include: WORKFLOW_INTERCEPTOR_MODULES, type: 'javascript/auto' }] } }),
} satisfies NonNullable<WorkerOptions['bundlerOptions']>;

/** Where a worker's workflow spans leave the sandbox: the process's span processor (a no-op when tracing is off). */
export const workflowSpanSinks = (tracing: Tracing): InjectedSinks<OpenTelemetrySinks> => ({ exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) });

/** A span around each activity, continuing the workflow's trace from the activity's headers; none when off. */
export const activityInterceptors = (tracing: Tracing): NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']> =>
  tracing.enabled ? [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })] : [];

/** Starts, updates and queries traced, their context sent to the workflow in its headers; none when off. */
export const clientInterceptors = (tracing: Tracing): ClientInterceptors | undefined =>
  tracing.enabled ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
