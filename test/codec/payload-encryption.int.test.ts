/**
 * Payload encryption against the real dev server: a checkout's history, read with the plain CLI, holds no
 * token or customer data; read through the codec server with the operator key, it does. A payload under a
 * key the worker does not have fails that workflow's task, naming the key id, and the worker keeps working.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../api/server.ts';
import { createCodecApp } from '../../api/codec-server.ts';
import { displayCodec } from '../../src/platform/codec/payload-codec.ts';
import { databaseSessionStore } from '../../src/auth/operator-sessions.ts';
import { encryptingDataConverter, generatePayloadKey, parsePayloadKeys, payloadKeyringOf } from '../../src/platform/codec/payload-keys.ts';
import { hashApiKey } from '../../src/config/index.ts';
import { CHECKOUT_WORKFLOW_TYPE } from '../../src/contracts/workflow.ts';
import { startCheckoutStack, type CheckoutStack } from '../support/checkout-stack.ts';
import { waitFor } from '../support/wait-for.ts';
import { ledgerOf } from '../workflows/support/world.ts';

const run = promisify(execFile);
const OPERATOR_KEY = 'op_codec_test';
const customer = { id: 'cus_private', email: 'grace.hopper@example.com', name: 'Grace Hopper' };
const shippingAddress = { line1: '77 Secret Lane', city: 'Arlington', postalCode: '22201', country: 'US' };
const IN_CLEAR = ['tok_mastercard', customer.email, customer.name, shippingAddress.line1];

let stack: CheckoutStack;
let codecServer: RunningApiServer;
beforeAll(async () => {
  stack = await startCheckoutStack();
  const app = createCodecApp({
    codec: displayCodec(payloadKeyringOf(stack.config)),
    sessions: databaseSessionStore(stack.database.db),
    operatorKeyHashes: [hashApiKey(OPERATOR_KEY)],
    allowedOrigins: [],
    secureCookie: false,
  });
  codecServer = await startApiServer({ app, host: '127.0.0.1', port: 0, setting: 'CODEC_PORT' });
});
afterAll(async () => {
  await codecServer?.close();
  await stack?.stop();
});

/** The CLI's JSON with every base64 string decoded beside it, so a value in clear is found however it is printed. */
function readable(output: string): string {
  const decoded = [...output.matchAll(/"([A-Za-z0-9+/]{8,}={0,2})"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('latin1'));
  return [output, ...decoded].join('\n');
}

const showHistory = async (workflowId: string, ...extra: string[]) =>
  readable((await run(inject('infra').temporalCli, ['workflow', 'show', '--address', inject('infra').temporalAddress, '--workflow-id', workflowId, '--output', 'json', ...extra], { maxBuffer: 32 * 1024 * 1024 })).stdout);

describe('a checkout history', () => {
  it('holds no token, email, name or address in clear, and the codec server shows them to an operator', async () => {
    const { handle } = await stack.start({ token: 'tok_mastercard', customer, shippingAddress });
    const view = (await handle.result()) as { status: string };
    expect(view.status).toBe('completed');

    const plain = await showHistory(handle.workflowId);
    expect(plain).toContain('binary/encrypted');
    for (const value of IN_CLEAR) expect(plain).not.toContain(value);
    // Search attributes stay readable: they are what operators filter on, and hold no personal data.
    expect(plain).toContain('CheckoutStatus');

    const refused = await showHistory(handle.workflowId, '--codec-endpoint', codecServer.url, '--codec-auth', 'Bearer not-an-operator').catch((error: { stdout: string; stderr: string }) => readable(`${error.stdout}${error.stderr}`));
    for (const value of IN_CLEAR) expect(refused).not.toContain(value);

    const decoded = await showHistory(handle.workflowId, '--codec-endpoint', codecServer.url, '--codec-auth', `Bearer ${OPERATOR_KEY}`);
    for (const value of IN_CLEAR) expect(decoded).toContain(value);
  });
});

describe('a failure in a checkout history', () => {
  it('holds its message and stack encrypted like a payload: the plain CLI shows "Encoded failure", the codec server the text', async () => {
    const { handle } = await stack.start({ token: 'tok_chargeDeclined', customer, shippingAddress });
    const view = (await handle.result()) as { status: string; failure: { message: string } };
    // The worker decodes it: the saga and its result read the gateway's words.
    expect(view).toMatchObject({ status: 'declined', failure: { message: 'The card was declined.' } });

    const plain = await showHistory(handle.workflowId);
    expect(plain).toContain('Encoded failure');
    expect(plain).not.toContain('The card was declined');
    expect(plain).not.toMatch(/payments\.(ts|js)/); // no stack trace in clear either
    const decoded = await showHistory(handle.workflowId, '--codec-endpoint', codecServer.url, '--codec-auth', `Bearer ${OPERATOR_KEY}`);
    expect(decoded).toContain('The card was declined');
  });
});

describe('a payload under a key the worker does not have', () => {
  it('fails the workflow task with an error naming the key id, while the worker goes on serving other checkouts', async () => {
    const connection = await Connection.connect({ address: inject('infra').temporalAddress });
    const foreign = new Client({
      connection,
      namespace: stack.config.temporal.namespace,
      dataConverter: encryptingDataConverter({ activeKeyId: 'retired-2025', keys: parsePayloadKeys(generatePayloadKey('retired-2025')) }),
    });
    try {
      const handle = await foreign.workflow.start(CHECKOUT_WORKFLOW_TYPE, {
        taskQueue: stack.config.temporal.taskQueue,
        workflowId: `checkout-foreign-key-${Date.now()}`,
        args: [{ checkoutId: 'chk_foreign' }],
      });
      const failure = await waitFor(
        async () => {
          const events = (await handle.fetchHistory()).events ?? [];
          return events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure ?? undefined;
        },
        { what: 'the workflow task to fail', timeoutMs: 30_000 },
      );
      // Encrypted like every failure text; decoded as the Web UI decodes it, through the codec.
      expect(failure.message).toBe('Encoded failure');
      // A workflow task's failure is sealed without a workflow (the SDK gives none there): decoded as the codec server does.
      const [attributes] = await displayCodec(payloadKeyringOf(stack.config)).decode([failure.encodedAttributes as Payload]);
      const { message } = defaultPayloadConverter.fromPayload<{ message: string }>(attributes!);
      expect(message).toContain('"retired-2025"');
      expect(message).toContain('PAYLOAD_KEYS');
      expect(stack.worker.worker.getState()).toBe('RUNNING');
      await handle.terminate('test: undecodable input');
      expect(((await stack.run({ token: 'tok_visa' })) as { status: string }).status).toBe('completed');
    } finally {
      await connection.close();
    }
  });
});

describe('a start from a client without the payload keys', () => {
  it('fails its workflow task, naming why, and moves no money: a forged price or merchant never reaches a step', async () => {
    const connection = await Connection.connect({ address: inject('infra').temporalAddress });
    const plain = new Client({ connection, namespace: stack.config.temporal.namespace });
    try {
      // A checkout as the API would start it, at a price of the caller's choosing, in plain JSON.
      const input = stack.input({ token: 'tok_visa', customer: { id: 'cus_forger', email: 'forger@example.com', name: 'Forger' } });
      const forged = { ...input, merchantId: 'mer_someone_else', amount: { ...input.amount, total: 1 } };
      const handle = await plain.workflow.start(CHECKOUT_WORKFLOW_TYPE, { taskQueue: stack.config.temporal.taskQueue, workflowId: `checkout-${forged.checkoutId}`, args: [forged] });
      const failure = await waitFor(
        async () => (await handle.fetchHistory()).events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure ?? undefined,
        { what: 'the workflow task to fail', timeoutMs: 30_000 },
      );
      // A workflow task's failure is sealed without a workflow (the SDK gives none there): decoded as the codec server does.
      const [attributes] = await displayCodec(payloadKeyringOf(stack.config)).decode([failure.encodedAttributes as Payload]);
      expect(defaultPayloadConverter.fromPayload<{ message: string }>(attributes!).message).toMatch(/a payload is not encrypted/);
      // No step ran: no stock, no authorization at either gateway.
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.markerRecordedEventAttributes || e.activityTaskScheduledEventAttributes)).toEqual([]);
      expect((await ledgerOf(stack, forged.checkoutId)).entries).toEqual({ primary: [], secondary: [] });
      await handle.terminate('test: plaintext input');
    } finally {
      await connection.close();
    }
  });
});

describe('a sealed payload moved to another workflow', () => {
  it("is refused: a checkout's input replayed into a new workflow fails its task, naming why, and moves no money", async () => {
    const { handle, checkoutId } = await stack.start({ token: 'tok_visa' });
    expect(((await handle.result()) as { status: string }).status).toBe('completed');
    const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const sealedInput = started.input!.payloads![0]!;
    // Someone with namespace access but no payload keys copies the sealed input, as stored, into a new workflow.
    const connection = await Connection.connect({ address: inject('infra').temporalAddress });
    const copyId = `checkout-copy-of-${checkoutId}`;
    try {
      await connection.workflowService.startWorkflowExecution({
        namespace: stack.config.temporal.namespace,
        workflowId: copyId,
        workflowType: { name: CHECKOUT_WORKFLOW_TYPE },
        taskQueue: { name: stack.config.temporal.taskQueue },
        input: { payloads: [sealedInput] },
        requestId: crypto.randomUUID(),
      });
      const copy = stack.client.workflow.getHandle(copyId);
      const failure = await waitFor(
        async () => (await copy.fetchHistory()).events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure ?? undefined,
        { what: 'the workflow task to fail', timeoutMs: 30_000 },
      );
      const [attributes] = await displayCodec(payloadKeyringOf(stack.config)).decode([failure.encodedAttributes as Payload]);
      expect(defaultPayloadConverter.fromPayload<{ message: string }>(attributes!).message).toMatch(
        new RegExp(`sealed for workflow "checkout-${checkoutId}" .* was handed to workflow "${copyId}".*cannot move between workflows`),
      );
      const events = (await copy.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.markerRecordedEventAttributes || e.activityTaskScheduledEventAttributes)).toEqual([]);
      // The gateway saw the original checkout's one authorization and capture, nothing more.
      expect((await ledgerOf(stack, checkoutId)).primary).toMatchObject({ authorization: 1, capture: 1, void: 0, refund: 0 });
      await copy.terminate('test: moved input');
    } finally {
      await connection.close();
    }
  });
});

