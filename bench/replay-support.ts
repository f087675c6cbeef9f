/** What the replay measurements share: a recorded history of test/replay/histories/, and a quiet runtime to replay it on. */
import { readFileSync } from 'node:fs';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { workflowSpanSinks } from '../src/platform/telemetry/temporal.ts';
import { TRACING_OFF } from '../src/platform/telemetry/tracing.ts';
import { replayDataConverter } from '../harness/payload-keys.ts';

export interface RecordedHistory {
  events: { workflowExecutionStartedEventAttributes?: { header?: { fields?: Record<string, unknown> } } }[];
}

export const readHistory = (name: string) => JSON.parse(readFileSync(new URL(`../test/replay/histories/${name}.json`, import.meta.url), 'utf8')) as RecordedHistory;

/** Core's logs at ERROR only, so a replay's own output is what the terminal shows. */
export const installQuietRuntime = () => Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });

/** Replay options for a bundle, with the worker's converter and (untraced) sinks. */
export const replayOptions = (code: string, replayName: string) => ({ workflowBundle: { code }, dataConverter: replayDataConverter(), sinks: workflowSpanSinks(TRACING_OFF), replayName });
