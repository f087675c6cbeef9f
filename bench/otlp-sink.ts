/**
 * A stand-in OTLP/HTTP collector for `BENCH_TRACING=1`: it takes what the stack exports and counts the spans,
 * so a run measures what tracing costs the stack rather than what a collector costs the machine. It runs in
 * the load generator's process, whose CPU is reported apart.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT: the exporter posts to `<url>/v1/traces`. */
  url: string;
  received(): { exports: number; spans: number; rejected: number };
  close(): Promise<void>;
}

interface OtlpTraces {
  resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
}

const spansIn = (body: OtlpTraces) => (body.resourceSpans ?? []).flatMap((r) => r.scopeSpans ?? []).reduce((n, s) => n + (s.spans?.length ?? 0), 0);

export async function startOtlpSink(): Promise<OtlpSink> {
  const counts = { exports: 0, spans: 0, rejected: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: OtlpTraces;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces;
      } catch {
        // The exporter of this project speaks OTLP/JSON; anything else is counted, and told why it was refused.
        counts.rejected += 1;
        response.writeHead(400, { 'content-type': 'text/plain' }).end('expected an OTLP/JSON trace export');
        return;
      }
      counts.exports += 1;
      counts.spans += spansIn(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => ({ ...counts }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
