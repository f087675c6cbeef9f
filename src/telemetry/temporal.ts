/**
 * Temporal's OpenTelemetry interceptors. The workflow interceptors are always in the bundle (one bundle,
 * built once, whatever the tracing of the worker that loads it), so the span sink is always registered; the
 * client and activity interceptors are installed only when tracing is on.
 */
import { createRequire } from 'node:module';
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

/** The module the workflow bundle imports its interceptors from: a span per workflow run, activity, timer and update. */
export const WORKFLOW_INTERCEPTOR_MODULES = [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

/** Where a worker's workflow spans leave the sandbox: the process's span processor (a no-op when tracing is off). */
export const workflowSpanSinks = (tracing: Tracing): InjectedSinks<OpenTelemetrySinks> => ({ exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) });

/** A span around each activity, continuing the workflow's trace from the activity's headers; none when off. */
export const activityInterceptors = (tracing: Tracing): NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']> =>
  tracing.enabled ? [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })] : [];

/** Starts, updates and queries traced, their context sent to the workflow in its headers; none when off. */
export const clientInterceptors = (tracing: Tracing): ClientInterceptors | undefined =>
  tracing.enabled ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
