/** The webhooks context's public face: endpoints and the delivery log, for the API. */
export { createEndpoint, deleteEndpoint, enableEndpoint, endpointViewOf, ENDPOINT_EVENT_TYPES, listEndpoints, readEndpoint, rotateSecret, type EndpointView } from './endpoints.ts';
export { listDeliveries, readDelivery, redeliver, type DeliveryRow } from './deliveries.ts';
export { endpointUrlProblem } from './url-policy.ts';
export { readWebhookSummary, type WebhookSummary } from './summary.ts';
