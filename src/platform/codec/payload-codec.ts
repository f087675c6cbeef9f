/**
 * Payload encryption for everything the service hands Temporal: workflow and activity inputs and results,
 * queries, updates, memos and failures' details. Temporal stores only ciphertext, so a history read with
 * namespace access alone (Web UI, `temporal workflow show`, exported fixtures) holds no card token, email,
 * name or address in clear.
 *
 * Each payload is the whole original payload (metadata and data) serialized and sealed with AES-256-GCM under
 * the active key; the key's id travels in the new payload's metadata, so several keys can decode at once and
 * keys rotate without rewriting history.
 *
 * The seal also protects where a payload belongs: the namespace and workflow id it was sealed for travel in
 * its metadata and, with the key id, are the cipher's associated data. Changing them breaks the seal, and a
 * worker or client that decodes a payload for another workflow refuses it — so a payload lifted from one
 * history (an operator's approval, a checkout's input) cannot be replayed into another workflow by someone
 * with namespace access alone.
 */
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import proto from '@temporalio/proto';
import { openBytes, sealBytes } from './aes-gcm.ts';

// A CommonJS module: Node's ESM loader sees only its default export.
const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const NAMESPACE_METADATA = 'encryption-namespace';
export const WORKFLOW_ID_METADATA = 'encryption-workflow-id';

export const KEY_BYTES = 32;

/** The keys a process may decrypt with, and the one it encrypts with. */
export interface PayloadKeyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * What decoding does with a payload that is not encrypted. `refuse` (the service's processes): the worker and
 * the API act only on what a holder of the payload keys sealed, so a client with namespace access alone — the
 * CLI, the Web UI, a script — cannot start a checkout at a price of its choosing or send an approval; the
 * workflow task that carries it fails, naming the reason, and nothing runs. `accept`: passed through — for the
 * codec server, which only shows payloads to an operator (the Web UI's own summaries among them), and, set
 * with PAYLOADS_PLAINTEXT=accept, for histories begun before encryption while they still run.
 */
export type PlaintextPayloads = 'refuse' | 'accept';

/**
 * What decoding does with a payload sealed before payloads were bound to their workflow (no workflow id in
 * its metadata): `refuse` by default, since such a payload could have been lifted from any history;
 * `accept` (PAYLOADS_UNBOUND=accept) while histories begun before binding still run, and for the codec server.
 */
export type UnboundPayloads = 'refuse' | 'accept';

export interface LegacyPayloads {
  plaintext?: PlaintextPayloads;
  unbound?: UnboundPayloads;
}

/** Where a payload belongs: the workflow it was sealed for (its own, or the one whose activity it serves). */
interface Binding {
  namespace: string;
  workflowId: string;
}

const bindingOf = (context: SerializationContext | undefined): Binding | null =>
  context?.workflowId !== undefined ? { namespace: context.namespace, workflowId: context.workflowId } : null;

/** The cipher's associated data: the key id and the workflow the payload is bound to; none for unbound ones, as sealed before binding. */
const associatedData = (keyId: string, binding: Binding | null) =>
  binding ? utf8.encode(JSON.stringify(['durable-checkout/payload/1', keyId, binding.namespace, binding.workflowId])) : undefined;

export function createPayloadCodec(keyring: PayloadKeyring, { plaintext = 'refuse', unbound = 'refuse' }: LegacyPayloads = {}): PayloadCodec {
  const activeKey = keyring.keys.get(keyring.activeKeyId);
  if (!activeKey) throw new Error(`the active payload key ${JSON.stringify(keyring.activeKeyId)} is not among the configured keys`);
  const activeKeyIdBytes = utf8.encode(keyring.activeKeyId);
  const encodingBytes = utf8.encode(ENCRYPTED_ENCODING);

  /** How every payload of one encode call is sealed: one binding, so one associated data and one metadata. */
  function sealerFor(binding: Binding | null) {
    const aad = associatedData(keyring.activeKeyId, binding);
    const bound: Record<string, Uint8Array> = binding ? { [NAMESPACE_METADATA]: utf8.encode(binding.namespace), [WORKFLOW_ID_METADATA]: utf8.encode(binding.workflowId) } : {};
    const metadata = { encoding: encodingBytes, [KEY_ID_METADATA]: activeKeyIdBytes, ...bound };
    return (payload: Payload): Payload => ({ metadata: { ...metadata }, data: sealBytes(activeKey!, temporal.api.common.v1.Payload.encode(payload).finish(), aad) });
  }

  /** The binding a sealed payload declares, checked against the workflow it is being decoded for (when the SDK says). */
  function declaredBinding(payload: Payload, expected: Binding | null): Binding | null {
    const namespace = payload.metadata?.[NAMESPACE_METADATA];
    const workflowId = payload.metadata?.[WORKFLOW_ID_METADATA];
    if (!namespace || !workflowId) {
      if (unbound === 'accept') return null;
      throw new PayloadDecryptionError(
        'a payload is not bound to a workflow (sealed before payloads carried their workflow id), so it could have been moved from another history; ' +
          'for histories begun before binding, set PAYLOADS_UNBOUND=accept while they run',
      );
    }
    const declared = { namespace: text.decode(namespace), workflowId: text.decode(workflowId) };
    if (expected && (expected.namespace !== declared.namespace || expected.workflowId !== declared.workflowId)) {
      throw new PayloadDecryptionError(
        `a payload sealed for workflow ${JSON.stringify(declared.workflowId)} in namespace ${JSON.stringify(declared.namespace)} was handed to ` +
          `workflow ${JSON.stringify(expected.workflowId)} in namespace ${JSON.stringify(expected.namespace)}: payloads cannot move between workflows`,
      );
    }
    return declared;
  }

  function open(payload: Payload, expected: Binding | null): Payload {
    const encoding = payload.metadata?.encoding;
    if (!encoding || text.decode(encoding) !== ENCRYPTED_ENCODING) {
      if (plaintext === 'accept') return payload;
      throw new PayloadDecryptionError(
        `a payload is not encrypted (encoding ${JSON.stringify(encoding ? text.decode(encoding) : null)}): this service acts only on payloads sealed with its PAYLOAD_KEYS, ` +
          'so a client without them cannot start or steer a checkout. For histories begun before encryption, set PAYLOADS_PLAINTEXT=accept while they run',
      );
    }
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!idBytes) throw new PayloadDecryptionError(`an encrypted payload has no ${KEY_ID_METADATA} in its metadata`);
    const keyId = text.decode(idBytes);
    const key = keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key id ${JSON.stringify(keyId)}, which is not configured (known: ${[...keyring.keys.keys()].join(', ')}); add it to PAYLOAD_KEYS`,
      );
    }
    const binding = declaredBinding(payload, expected);
    const plain = openBytes(key, payload.data ?? new Uint8Array(), associatedData(keyId, binding));
    if (plain === 'too_short') throw new PayloadDecryptionError(`a payload encrypted with key id ${JSON.stringify(keyId)} is too short to be valid`);
    if (plain === 'altered') {
      throw new PayloadDecryptionError(
        `a payload does not decrypt with key id ${JSON.stringify(keyId)}: it was altered (its data or the workflow it names), or sealed with another key under that id`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain) as Payload;
  }

  return {
    async encode(payloads, context) {
      return payloads.map(sealerFor(bindingOf(context)));
    },
    async decode(payloads, context) {
      const expected = bindingOf(context);
      return payloads.map((payload) => open(payload, expected));
    },
  };
}

/**
 * The codec of the codec server: it only shows payloads to an operator — plaintext ones too (the Web UI's
 * summaries) and those sealed before binding — and acts on none. A bound payload is still checked against the
 * workflow its metadata names.
 */
export const displayCodec = (keyring: PayloadKeyring): PayloadCodec => createPayloadCodec(keyring, { plaintext: 'accept', unbound: 'accept' });
