/**
 * The failure converter of every Temporal client and worker of this service: failure messages and stack
 * traces go into the failure's encoded attributes, which the payload codec encrypts like any payload, so a
 * failure in the history (a declined card, a gateway's text, a database error) is no more readable than the
 * checkout it belongs to. The history shows "Encoded failure"; the Web UI decodes it through the codec server.
 *
 * CommonJS because the SDK loads it with require() — in the worker, in clients and in the workflow bundle.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with require() by the SDK, so CommonJS throughout
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
