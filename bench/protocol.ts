/**
 * What the benchmark's parent (bench/run.ts) and its stack child (bench/stack-process.ts) say to each other:
 * the constants both sides rely on, the ready line the child prints, and the bodies of the floor server's
 * reporting endpoints. Both ends parse with these zod schemas, so nothing crosses the process boundary untyped.
 */
import { z } from 'zod';

/** The product every benchmark checkout buys: its own SKU, so stock arithmetic is not mixed with the demo's. */
export const BENCH_PRODUCT = { sku: 'SKU-BENCH', name: 'Benchmark widget', stock: 10_000_000, prices: { USD: 500 } } as const;
/** The bare platform floor's product: its own stock, so the saga's stock arithmetic is not mixed with it. */
export const BARE_PRODUCT = { sku: 'SKU-BENCH-BARE', name: 'Benchmark widget (bare floor)', stock: 10_000_000, prices: { USD: 500 } } as const;
/** Units per checkout; the stock invariant multiplies by it. */
export const UNITS_PER_CHECKOUT = 1;
/** The task queue of the platform floor's worker, beside the checkout worker in the stack process. */
export const FLOOR_TASK_QUEUE = 'bench-platform-floor';
/** The task queue of the bare platform floor's worker, in the bare floor process. */
export const BARE_TASK_QUEUE = 'bench-bare-floor';

/** The key of the one stdout line that announces a ready child (everything else on stdout is the stack's log). */
export const READY_KEY = 'benchReady';

export const readySchema = z.object({
  api: z.string(),
  floor: z.string(),
  /** The bare platform floor's server, in a process of its own. */
  bare: z.string(),
  /**
   * `workers`: the worker processes beside the stack's own worker (BENCH_WORKERS above 1); `bare`: the bare
   * floor's process; `simulators` and `smtpSink`: the stand-ins the service talks to, as processes of their own.
   */
  pids: z.object({
    stack: z.number().int(),
    temporal: z.number().int().nullable(),
    nats: z.number().int().nullable(),
    workers: z.array(z.number().int()),
    bare: z.number().int(),
    simulators: z.number().int(),
    smtpSink: z.number().int(),
  }),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), description: z.string() }),
  initialStock: z.number().int(),
});
export type Ready = z.infer<typeof readySchema>;

export const eventDeliveryRequestSchema = z.object({
  checkoutIds: z.array(z.string()),
  /** Measure even if some records are still missing (the wait is over). */
  final: z.boolean().default(false),
});
export type EventDeliveryRequest = z.infer<typeof eventDeliveryRequestSchema>;

const latencySummarySchema = z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number(), mean: z.number() });

const deliveryStatsSchema = z.object({
  delivered: z.number().int(),
  missing: z.number().int(),
  /** A few checkout ids without the row, to start an investigation from. */
  missingExamples: z.array(z.string()),
  latencyMs: latencySummarySchema.nullable(),
});
export type DeliveryStats = z.infer<typeof deliveryStatsSchema>;

export const eventDeliveryResultSchema = z.object({
  checkouts: z.number().int(),
  /** From the moment the stream stored the event. */
  email: deliveryStatsSchema,
  analytics: deliveryStatsSchema,
  /** From the event's occurredAt (workflow time when the outcome was decided, before the final steps ran). */
  fromOccurredAt: z.object({ email: latencySummarySchema.nullable(), analytics: latencySummarySchema.nullable() }),
});
export type EventDeliveryResult = z.infer<typeof eventDeliveryResultSchema>;

export const invariantsRequestSchema = z.object({
  /** Saga checkouts the benchmark saw answer `completed` (warm-up included). */
  sagaCompleted: z.array(z.string()),
  /** Direct-floor checkouts that answered `completed`; they sell stock too. */
  directCompleted: z.array(z.string()),
  /** Every checkout the bare floor started: their orders and stock are the bare floor's (its own database with PGlite). */
  bareStarted: z.array(z.string()),
});
export type InvariantsRequest = z.infer<typeof invariantsRequestSchema>;

export const invariantCheckSchema = z.object({ name: z.string(), pass: z.boolean(), detail: z.string() });
export type InvariantCheck = z.infer<typeof invariantCheckSchema>;
export const invariantsResultSchema = z.object({ checks: z.array(invariantCheckSchema) });

/** Which workflows to count: a saga, a platform-floor and a bare-floor workflow of this run, by checkout id. */
export const shapesRequestSchema = z.object({ saga: z.string(), platform: z.string(), bare: z.string().nullable() });

export const workflowShapeSchema = z.object({
  workflowId: z.string(),
  historyEvents: z.number().int(),
  workflowTasks: z.number().int(),
  localActivities: z.number().int(),
  activities: z.number().int(),
  /** Upserts of the workflow's own search attributes (TemporalChangeVersion-only upserts excluded). */
  upserts: z.number().int(),
  /** `patched()` markers; each also upserts TemporalChangeVersion once per workflow. */
  patches: z.number().int(),
});
export type WorkflowShape = z.infer<typeof workflowShapeSchema>;
export const shapesResultSchema = z.object({ saga: workflowShapeSchema, platform: workflowShapeSchema, bare: workflowShapeSchema.nullable() });
export type Shapes = z.infer<typeof shapesResultSchema>;

/** The platform floor's workflow id for a checkout id. */
export const floorWorkflowId = (checkoutId: string) => `bench-floor-${checkoutId}`;
/** The bare platform floor's workflow id for a checkout id. */
export const bareWorkflowId = (checkoutId: string) => `bench-bare-${checkoutId}`;

/** What the bare floor process answers on `GET /started`: every checkout it started. */
export const bareStartedSchema = z.object({ started: z.array(z.string()) });
