/**
 * The floor server in the bench stack process: `POST /direct` (the saga's steps without Temporal) and
 * `POST /platform` (an empty workflow of the saga's shape, started eagerly and awaited as the API does with
 * `Prefer: wait`; the bare floor has a process of its own), both taking the body of `POST /v1/checkouts` and pricing it from the catalog as the API
 * does; and the read-outs that need the stack's database, NATS or Temporal connection: `POST /event-delivery`,
 * `POST /invariants` and `POST /shapes` (POST because they take the checkout ids the parent saw complete).
 */
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import type { NatsConnection } from 'nats';
import { startApiServer, type RunningApiServer } from '../api/server.ts';
import type { Config } from '../src/config/index.ts';
import { checkoutWorkflowId } from '../src/contracts/workflow.ts';
import type { Database } from '../src/platform/db/client.ts';
import type { StreamNames } from '../src/platform/nats/provision.ts';
import { checkoutDetails, checkoutSearchAttributes, checkoutSummary } from '../src/checkouts/temporal-checkouts.ts';
import { createDirectFloor } from './direct-floor.ts';
import { BadRequest, createFloorInput } from './floor-input.ts';
import { measureEventDelivery } from './event-delivery.ts';
import type { platformFloorWorkflow } from './floor-workflow.ts';
import { evaluateWorld, gatherWorld } from './invariants.ts';
import { bareWorkflowId, eventDeliveryRequestSchema, FLOOR_TASK_QUEUE, floorWorkflowId, invariantsRequestSchema, shapesRequestSchema } from './protocol.ts';
import { workflowShape } from './workflow-shape.ts';

export interface FloorServerDeps {
  config: Config;
  db: Database;
  nc: NatsConnection;
  names: StreamNames;
  /** The stack's client, on the worker's NativeConnection (so starts can be eager). */
  client: Client;
  initialStock: number;
  port: number;
}

export async function startFloorServer(deps: FloorServerDeps): Promise<RunningApiServer> {
  const { config, db, client } = deps;
  const priced = createFloorInput(db, config);
  const direct = createDirectFloor(deps);
  const directStarted = new Set<string>();

  const app = new Hono();
  app.post('/direct', async (c) => {
    const input = await priced(await c.req.json());
    directStarted.add(input.checkoutId);
    const view = await direct(input);
    return c.json({ id: view.id, status: view.status, orderId: view.orderId });
  });

  app.post('/platform', async (c) => {
    const input = await priced(await c.req.json());
    const handle = await client.workflow.start<typeof platformFloorWorkflow>('platformFloorWorkflow', {
      taskQueue: FLOOR_TASK_QUEUE,
      workflowId: floorWorkflowId(input.checkoutId),
      args: [input],
      // What the checkouts port sets at start, so the server indexes and stores the same.
      typedSearchAttributes: checkoutSearchAttributes(input),
      staticSummary: checkoutSummary(input),
      staticDetails: checkoutDetails(input),
      requestEagerStart: true,
    });
    return c.json(await handle.result());
  });

  app.post('/event-delivery', async (c) => {
    const { checkoutIds, final } = eventDeliveryRequestSchema.parse(await c.req.json());
    return c.json(await measureEventDelivery(db, { nc: deps.nc, stream: deps.names.stream }, checkoutIds, { final }));
  });

  app.post('/invariants', async (c) => {
    const request = invariantsRequestSchema.parse(await c.req.json());
    const gateways = config.services.gatewayUrls;
    const facts = await gatherWorld({ db, nc: deps.nc, names: deps.names, gateways, initialStock: deps.initialStock, directStarted }, request);
    return c.json({ checks: evaluateWorld(facts, request) });
  });

  app.post('/shapes', async (c) => {
    const ids = shapesRequestSchema.parse(await c.req.json());
    return c.json({
      saga: await workflowShape(client, checkoutWorkflowId(ids.saga)),
      platform: await workflowShape(client, floorWorkflowId(ids.platform)),
      bare: ids.bare === null ? null : await workflowShape(client, bareWorkflowId(ids.bare)),
    });
  });

  app.onError((error, c) => c.json({ error: error.message.slice(0, 300) }, error instanceof BadRequest ? 400 : 500));
  return startApiServer({ app, host: '127.0.0.1', port: deps.port });
}
