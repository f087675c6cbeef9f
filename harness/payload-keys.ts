/**
 * The payload key of every test stack and of the recorded replay histories: a test-only key, committed so the
 * fixtures stay decodable. Production keys come from PAYLOAD_KEYS and are never in a repository.
 */
import { encryptingDataConverter, parsePayloadKeys } from '../src/platform/codec/payload-keys.ts';

export const TEST_PAYLOAD_KEYS = 'test-1:HZvoWxSzKvYi8ld8eNKAAlt594bSSFx7mTaFnENQLYE=';
export const testKeyring = () => ({ activeKeyId: 'test-1', keys: parsePayloadKeys(TEST_PAYLOAD_KEYS) });
export const testDataConverter = () => encryptingDataConverter(testKeyring());
/**
 * The converter the committed histories replay with: most were sealed before payloads were bound to their
 * workflow (or sealed afterwards by `npm run histories:encrypt`, which has no workflow to bind to), so it
 * accepts unbound payloads — as a deployment does with PAYLOADS_UNBOUND=accept while such histories run.
 */
export const replayDataConverter = () => encryptingDataConverter(testKeyring(), { unbound: 'accept' });
