// Generated from the OpenAPI document by `npm run client:render` (scripts/render-client.ts): do not edit by hand.

export interface paths {
    "/v1/checkouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List checkouts
         * @description Newest first. A merchant key lists its own checkouts; an operator key every merchant's. Filter by `metadata[key]=value` too (every pair given must match). A running checkout is listed as the saga last recorded it (started, held for review); `GET /v1/checkouts/{id}` answers with its live state.
         */
        get: operations["listCheckouts"];
        put?: never;
        /**
         * Start a checkout
         * @description Validates the cart, prices it from the catalog and starts one durable checkout saga. Asynchronous by default (202); with `Prefer: wait=N` the response waits for the final state (200) up to N seconds.
         */
        post: operations["createCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checkouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a checkout */
        get: operations["getCheckout"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checkouts/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a checkout
         * @description The saga stops and undoes what it did (releases stock, voids the authorization). The body is optional. Repeating an accepted cancel is safe: it answers 200 with the checkout as it is now.
         */
        post: operations["cancelCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checkouts/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decide a fraud review (operators only) */
        post: operations["reviewCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checkouts/{id}/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read what reached the customer
         * @description The checkout's outcome messages: email receipts and SMS or push notifications, with provider, attempts and any fallback to another channel.
         */
        get: operations["getCheckoutNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List orders
         * @description Newest first. A merchant key lists its own orders; an operator key every merchant's.
         */
        get: operations["listOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an order */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/checkouts/{id}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a checkout's refunds */
        get: operations["listCheckoutRefunds"];
        put?: never;
        /**
         * Refund a completed checkout
         * @description Full (no `amount`) or partial; several partial refunds may follow each other up to the captured amount. Each refund is its own durable workflow: the answer comes once it is admitted (`pending`), and it goes on to the gateway that holds the capture, retried until REFUND_DEADLINE. Send an `Idempotency-Key`: a retry with it returns the same refund, and the gateway refunds once.
         */
        post: operations["createRefund"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a refund */
        get: operations["getRefund"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List refunds
         * @description Newest first. A merchant key lists its own refunds; an operator key every merchant's.
         */
        get: operations["listRefunds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Register a webhook endpoint
         * @description Every event of the merchant whose type the endpoint asks for is delivered to it, signed with its secret — returned here, once.
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a webhook endpoint */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Its pending deliveries are not sent, and its delivery log goes with it.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}/rotate_secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an endpoint's signing secret
         * @description Returns the new secret, once. The old one keeps signing beside it (two `v1,` signatures) for `overlapHours`, so the receiver can switch without missing an event.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a disabled webhook endpoint
         * @description Deliveries that failed while it was disabled can be sent again with redeliver.
         */
        post: operations["enableWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an endpoint's deliveries */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again
         * @description Now, with the same `webhook-id` and body (a receiver that already has it ignores it), and a fresh retry schedule.
         */
        post: operations["redeliverWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness of Temporal, NATS and the database */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the analytics summary
         * @description A merchant key reads that merchant's checkouts only; an operator key reads every merchant's, summed. Counts by outcome, revenue by currency, decline rate, failure reasons, fraud-score distribution, time to outcome and outcomes per minute. Built asynchronously from the event stream, so it trails the checkouts by about a second.
         */
        get: operations["getAnalyticsSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "checkout.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A checkout completed: paid, its order created
         * @description Sent to every enabled endpoint whose `enabledEvents` list `checkout.completed` or `*`. `data.refund` is absent. Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description the delivery id: the same on every attempt and redelivery — deduplicate by it */
                    "webhook-id": string;
                    /** @description seconds since the epoch of this attempt; refuse one far from your clock */
                    "webhook-timestamp": string;
                    /** @description space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        type: "checkout.completed";
                        /** @description when it happened (ISO 8601) */
                        timestamp: string;
                        data: components["schemas"]["WebhookEventData"];
                    };
                };
            };
            responses: {
                /** @description Received (any 2xx) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "checkout.declined": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A checkout was declined (card, fraud, stock, review)
         * @description Sent to every enabled endpoint whose `enabledEvents` list `checkout.declined` or `*`. `data.refund` is absent. Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description the delivery id: the same on every attempt and redelivery — deduplicate by it */
                    "webhook-id": string;
                    /** @description seconds since the epoch of this attempt; refuse one far from your clock */
                    "webhook-timestamp": string;
                    /** @description space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        type: "checkout.declined";
                        /** @description when it happened (ISO 8601) */
                        timestamp: string;
                        data: components["schemas"]["WebhookEventData"];
                    };
                };
            };
            responses: {
                /** @description Received (any 2xx) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "checkout.cancelled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A checkout was cancelled and undone
         * @description Sent to every enabled endpoint whose `enabledEvents` list `checkout.cancelled` or `*`. `data.refund` is absent. Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description the delivery id: the same on every attempt and redelivery — deduplicate by it */
                    "webhook-id": string;
                    /** @description seconds since the epoch of this attempt; refuse one far from your clock */
                    "webhook-timestamp": string;
                    /** @description space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        type: "checkout.cancelled";
                        /** @description when it happened (ISO 8601) */
                        timestamp: string;
                        data: components["schemas"]["WebhookEventData"];
                    };
                };
            };
            responses: {
                /** @description Received (any 2xx) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "checkout.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A checkout failed and was undone
         * @description Sent to every enabled endpoint whose `enabledEvents` list `checkout.failed` or `*`. `data.refund` is absent. Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description the delivery id: the same on every attempt and redelivery — deduplicate by it */
                    "webhook-id": string;
                    /** @description seconds since the epoch of this attempt; refuse one far from your clock */
                    "webhook-timestamp": string;
                    /** @description space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        type: "checkout.failed";
                        /** @description when it happened (ISO 8601) */
                        timestamp: string;
                        data: components["schemas"]["WebhookEventData"];
                    };
                };
            };
            responses: {
                /** @description Received (any 2xx) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "checkout.escalated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A checkout ended with part of its undo left to an operator
         * @description Sent to every enabled endpoint whose `enabledEvents` list `checkout.escalated` or `*`. `data.refund` is absent. Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description the delivery id: the same on every attempt and redelivery — deduplicate by it */
                    "webhook-id": string;
                    /** @description seconds since the epoch of this attempt; refuse one far from your clock */
                    "webhook-timestamp": string;
                    /** @description space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        type: "checkout.escalated";
                        /** @description when it happened (ISO 8601) */
                        timestamp: string;
                        data: components["schemas"]["WebhookEventData"];
                    };
                };
            };
            responses: {
                /** @description Received (any 2xx) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "checkout.refunded": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A refund of a completed checkout went through
         * @description Sent to every enabled endpoint whose `enabledEvents` list `checkout.refunded` or `*`. `data.refund` holds the refund. Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description the delivery id: the same on every attempt and redelivery — deduplicate by it */
                    "webhook-id": string;
                    /** @description seconds since the epoch of this attempt; refuse one far from your clock */
                    "webhook-timestamp": string;
                    /** @description space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        type: "checkout.refunded";
                        /** @description when it happened (ISO 8601) */
                        timestamp: string;
                        data: components["schemas"]["WebhookEventData"];
                    };
                };
            };
            responses: {
                /** @description Received (any 2xx) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "checkout.refund_failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A refund did not go through (refused, or left to an operator)
         * @description Sent to every enabled endpoint whose `enabledEvents` list `checkout.refund_failed` or `*`. `data.refund` holds the refund. Answer 2xx within WEBHOOK_TIMEOUT; anything else is retried with backoff for about a day.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description the delivery id: the same on every attempt and redelivery — deduplicate by it */
                    "webhook-id": string;
                    /** @description seconds since the epoch of this attempt; refuse one far from your clock */
                    "webhook-timestamp": string;
                    /** @description space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret that signs (two while a rotation overlaps); verify with a Standard Webhooks library */
                    "webhook-signature": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        type: "checkout.refund_failed";
                        /** @description when it happened (ISO 8601) */
                        timestamp: string;
                        data: components["schemas"]["WebhookEventData"];
                    };
                };
            };
            responses: {
                /** @description Received (any 2xx) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description The event's facts in clear: no customer contact details, no fraud score. */
        WebhookEventData: {
            /** @description the event id: the same for every endpoint and attempt */
            eventId: string;
            checkoutId: string;
            customerId: string;
            merchantId?: string;
            orderId: string | null;
            amount: {
                total: number;
                currency: string;
            };
            items: {
                sku: string;
                name: string;
                quantity: number;
                unitAmount: number;
            }[];
            startedAt: string;
            /** @default {} */
            metadata: {
                [key: string]: string;
            };
            /** @default null */
            clientReferenceId: string | null;
            refund?: {
                id: string;
                amount: number;
                currency: string;
                /** @enum {string} */
                status: "pending" | "succeeded" | "failed" | "escalated";
                /** @enum {string|null} */
                reason: "requested_by_customer" | "duplicate" | "fraudulent" | null;
                failureCode: string | null;
            };
            failure: {
                /** @enum {string} */
                code: "out_of_stock" | "fraud_declined" | "review_rejected" | "review_timeout" | "card_declined" | "insufficient_funds" | "gateway_unavailable" | "capture_failed" | "cancelled_by_client" | "internal_error";
            } | null;
        };
        /** @description A merchant's key gets the merchant's view: `failure.message` is a text made for the merchant and its customer, `review` holds the decision and its time only, and `compensation.lastError` and escalation reasons are withheld. An operator's key gets every detail. */
        Checkout: {
            id: string;
            /** @enum {string} */
            status: "pending" | "awaiting_review" | "compensating" | "completed" | "declined" | "cancelled" | "failed" | "escalated";
            /** @enum {string} */
            step: "started" | "inventory_reserved" | "fraud_scored" | "awaiting_review" | "review_approved" | "payment_authorized" | "order_created" | "payment_captured" | "inventory_committed" | "compensating" | "compensated" | "escalated" | "done";
            amount: {
                total: number;
                currency: string;
            };
            merchantId: string;
            customerId: string;
            items: {
                sku: string;
                name: string;
                quantity: number;
                unitAmount: number;
            }[];
            fraud: {
                score: number | null;
                /** @enum {string} */
                decision: "approve" | "review" | "decline";
                reason?: string;
            } | null;
            review: {
                /** @enum {string} */
                decision: "approve" | "reject" | "timeout";
                /** @description who decided; absent for a timeout */
                operator?: string;
                note?: string;
                at: string;
            } | null;
            payment: {
                /** @enum {string} */
                gateway: "primary" | "secondary";
                authorizationId: string;
                captureId: string | null;
                voidId: string | null;
                refundId: string | null;
                /** @default null */
                expiresAt: string | null;
            } | null;
            orderId: string | null;
            /** @default {} */
            metadata: {
                [key: string]: string;
            };
            /** @default null */
            clientReferenceId: string | null;
            failure: {
                /** @enum {string} */
                code: "out_of_stock" | "fraud_declined" | "review_rejected" | "review_timeout" | "card_declined" | "insufficient_funds" | "gateway_unavailable" | "capture_failed" | "cancelled_by_client" | "internal_error";
                message: string;
            } | null;
            compensation: {
                pending: string[];
                attempts: number;
                lastError: string | null;
                /** @default [] */
                escalated: {
                    step: string;
                    reason: string;
                }[];
            } | null;
            timeline: {
                /** @enum {string} */
                step: "started" | "inventory_reserved" | "fraud_scored" | "awaiting_review" | "review_approved" | "payment_authorized" | "order_created" | "payment_captured" | "inventory_committed" | "compensating" | "compensated" | "escalated" | "done";
                at: string;
            }[];
            createdAt: string;
            updatedAt: string;
        };
        CheckoutAccepted: {
            /** @example chk_3k9d0x7w1q2m8r5t4v6b */
            id: string;
            /** @enum {string} */
            status: "pending" | "awaiting_review" | "compensating" | "completed" | "declined" | "cancelled" | "failed" | "escalated";
            links: {
                /** @example http://127.0.0.1:3000/v1/checkouts/chk_3k9d0x7w1q2m8r5t4v6b */
                self: string;
                /**
                 * @description The checkout's page in the Temporal Web UI (workflow id `checkout-<id>`), for an operator's key, when the API knows the UI (TEMPORAL_UI_URL; `npm start` sets it).
                 * @example http://127.0.0.1:8233/namespaces/default/workflows/checkout-chk_3k9d0x7w1q2m8r5t4v6b
                 */
                workflow?: string;
            };
        };
        Problem: {
            /** @example /problems/invalid_request */
            type: string;
            /** @example Invalid request */
            title: string;
            /** @example 400 */
            status: number;
            /** @example The request body does not match the schema: 1 problem. */
            detail: string;
            /** @enum {string} */
            code: "malformed_json" | "invalid_request" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "conflict" | "payload_too_large" | "unsupported_media_type" | "unknown_sku" | "unsupported_currency" | "zero_amount" | "idempotency_key_reused" | "not_refundable" | "amount_exceeds_refundable" | "rate_limited" | "internal_error" | "service_unavailable";
            requestId?: string;
            errors?: components["schemas"]["FieldError"][];
        };
        FieldError: {
            path: string;
            message: string;
        };
        /**
         * @example {
         *       "customer": {
         *         "id": "cus_123",
         *         "email": "ada@example.com",
         *         "name": "Ada"
         *       },
         *       "items": [
         *         {
         *           "sku": "SKU-MUG",
         *           "quantity": 2
         *         }
         *       ],
         *       "currency": "USD",
         *       "payment": {
         *         "token": "tok_visa"
         *       },
         *       "shippingAddress": {
         *         "line1": "1 Main St",
         *         "city": "Springfield",
         *         "postalCode": "12345",
         *         "country": "US"
         *       }
         *     }
         */
        CheckoutRequest: {
            customer: {
                id: string;
                /** Format: email */
                email: string;
                name?: string;
                /** @example +15551234567 */
                phone?: string;
                /** @description a push device token */
                deviceToken?: string;
                /** @description channels in order of preference for the outcome message; the first that works carries it (default ["email"]) */
                notify?: ("email" | "sms" | "push")[];
            };
            items: {
                sku: string;
                quantity: number;
            }[];
            currency: string;
            payment: {
                token: string;
            };
            shippingAddress: {
                line1: string;
                line2?: string;
                city: string;
                region?: string;
                postalCode: string;
                country: string;
            };
            /** @description up to 20 string keys (1 to 40 characters) with string values (at most 500); returned on every read and carried on the checkout's events */
            metadata?: {
                [key: string]: string;
            };
            /** @description the merchant's own reference, e.g. its order number; returned on every read and carried on events */
            clientReferenceId?: string;
        };
        CheckoutList: {
            data: components["schemas"]["Checkout"][];
            /** @description Whether more objects follow in the direction paged. */
            has_more: boolean;
        };
        CancelRequest: {
            reason?: string;
        };
        ReviewDecision: {
            /** @enum {string} */
            decision: "approve" | "reject";
            note?: string;
        };
        Notifications: {
            checkoutId: string;
            notifications: components["schemas"]["Notification"][];
        };
        Notification: {
            /** @description the outcome event the message is about */
            eventId: string;
            /**
             * @description the channel it went (or is going) out on
             * @enum {string}
             */
            channel: "email" | "sms" | "push";
            /**
             * @description null for email, which has one relay
             * @enum {string|null}
             */
            provider: "primary" | "secondary" | null;
            /** @enum {string} */
            status: "sending" | "delivered" | "undeliverable";
            /** @description every attempt, on every channel and provider */
            attempts: number;
            fallbacks: {
                /** @enum {string} */
                from: "email" | "sms" | "push";
                /** @enum {string} */
                to: "email" | "sms" | "push";
                /** @enum {string} */
                reason: "rejected" | "deadline";
                at: string;
            }[];
            createdAt: string;
            deliveredAt: string | null;
        };
        OrderList: {
            data: components["schemas"]["Order"][];
            /** @description Whether more objects follow in the direction paged. */
            has_more: boolean;
        };
        Order: {
            id: string;
            checkoutId: string;
            /** @enum {string} */
            status: "pending_payment" | "paid" | "cancelled";
            customerId: string;
            items: {
                sku: string;
                name: string;
                quantity: number;
                unitAmount: number;
            }[];
            amount: {
                total: number;
                currency: string;
            };
            shippingAddress: {
                [key: string]: string;
            };
            captureId: string | null;
            createdAt: string;
            updatedAt: string;
        };
        Refund: {
            /** @example re_4k2m9x0c3v7b8n6q5w1t */
            id: string;
            checkoutId: string;
            merchantId: string;
            orderId: string;
            amount: number;
            currency: string;
            /** @enum {string|null} */
            reason: "requested_by_customer" | "duplicate" | "fraudulent" | null;
            /**
             * @description `pending` until the gateway answers; `failed`: refused, nothing refunded (refundable again); `escalated`: not confirmed within REFUND_DEADLINE, left to an operator (the amount stays held)
             * @enum {string}
             */
            status: "pending" | "succeeded" | "failed" | "escalated";
            gateway: string;
            captureId: string;
            gatewayRefundId: string | null;
            failure: {
                code: string;
                message: string;
            } | null;
            createdAt: string;
            updatedAt: string;
        };
        RefundRequest: {
            /**
             * @description In minor units; all that is left to refund when absent.
             * @example 1000
             */
            amount?: number;
            /** @enum {string} */
            reason?: "requested_by_customer" | "duplicate" | "fraudulent";
        };
        RefundList: {
            data: components["schemas"]["Refund"][];
            /** @description Whether more objects follow in the direction paged. */
            has_more: boolean;
        };
        WebhookEndpointWithSecret: components["schemas"]["WebhookEndpoint"] & {
            /**
             * @description the signing secret (`whsec_…`), shown here once
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
        };
        WebhookEndpoint: {
            /** @example we_5m2k9x0c3v7b8n6q5w1t */
            id: string;
            merchantId: string;
            url: string;
            description: string | null;
            enabledEvents: string[];
            /**
             * @description `disabled` after `WEBHOOK_DISABLE_AFTER` failed attempts in a row; enable it again once it answers
             * @enum {string}
             */
            status: "enabled" | "disabled";
            disabledReason: string | null;
            createdAt: string;
            updatedAt: string;
        };
        WebhookEndpointRequest: {
            /**
             * @description https; a private, loopback or reserved address is refused (in the local stack allowed)
             * @example https://shop.example.com/webhooks/checkout
             */
            url: string;
            /**
             * @description the event types to deliver; `*` for every one, those added later too
             * @example [
             *       "checkout.completed",
             *       "checkout.refunded"
             *     ]
             */
            enabledEvents: ("*" | "checkout.completed" | "checkout.declined" | "checkout.cancelled" | "checkout.failed" | "checkout.escalated" | "checkout.refunded" | "checkout.refund_failed")[];
            description?: string;
        };
        WebhookEndpointList: {
            data: components["schemas"]["WebhookEndpoint"][];
            /** @description Whether more objects follow in the direction paged. */
            has_more: boolean;
        };
        DeletedWebhookEndpoint: {
            id: string;
            /** @enum {boolean} */
            deleted: true;
        };
        RotateSecretRequest: {
            /** @description how long the old secret keeps signing beside the new one (24 by default) */
            overlapHours?: number;
        };
        WebhookDeliveryList: {
            data: components["schemas"]["WebhookDelivery"][];
            /** @description Whether more objects follow in the direction paged. */
            has_more: boolean;
        };
        WebhookDelivery: {
            /**
             * @description the `webhook-id` of every attempt
             * @example msg_2k4m6p8r0t2v4x6z8b0d
             */
            id: string;
            endpointId: string;
            eventId: string;
            eventType: string;
            checkoutId: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** @description when pending: the next attempt */
            nextAttemptAt: string | null;
            lastStatusCode: number | null;
            lastError: string | null;
            createdAt: string;
            deliveredAt: string | null;
        };
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        Readiness: {
            /** @enum {string} */
            status: "ok" | "unavailable";
            /**
             * @description absent on the public port when OPS_PORT serves the details
             * @example {
             *       "temporal": "up",
             *       "nats": "up",
             *       "database": "up"
             *     }
             */
            checks?: {
                [key: string]: "up" | "down";
            };
            /**
             * @example {
             *       "nats": "connection refused"
             *     }
             */
            errors?: {
                [key: string]: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listCheckouts: {
        parameters: {
            query?: {
                /** @description How many objects a page holds, 1 to 100. */
                limit?: number;
                /** @description An object id from the last page: the page holds the objects created before it (the next page). */
                starting_after?: string;
                /** @description An object id from the first page: the page holds the objects created after it (the previous page). */
                ending_before?: string;
                "created[gt]"?: string;
                "created[gte]"?: string;
                "created[lt]"?: string;
                "created[lte]"?: string;
                status?: "pending" | "awaiting_review" | "compensating" | "completed" | "declined" | "cancelled" | "failed" | "escalated";
                customer_id?: string;
                client_reference_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of checkouts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckoutList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createCheckout: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key unique to this purchase (e.g. a UUID); retries with the same key and body return the same checkout for 24 hours. */
                "idempotency-key"?: string;
                /** @description `wait=N` (N ≤ 30): hold the response until the checkout is final or N seconds pass. */
                prefer?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CheckoutRequest"];
            };
        };
        responses: {
            /** @description The checkout reached its final state within the requested wait */
            200: {
                headers: {
                    /** @description The path of the checkout */
                    Location?: string;
                    /** @description `wait=N` when the request waited (N as capped) */
                    "Preference-Applied"?: string;
                    /** @description `true` when an earlier request with the same Idempotency-Key answered */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkout"];
                };
            };
            /** @description The checkout was started (or, for a repeated Idempotency-Key, found) and is not final yet */
            202: {
                headers: {
                    /** @description The path of the checkout */
                    Location?: string;
                    /** @description `wait=N` when the request waited (N as capped) */
                    "Preference-Applied"?: string;
                    /** @description `true` when an earlier request with the same Idempotency-Key answered */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckoutAccepted"];
                };
            };
            /** @description Malformed JSON; Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unknown SKU; Unsupported currency; Nothing to pay; Idempotency key reused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service unavailable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checkout */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkout"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service unavailable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CancelRequest"];
            };
        };
        responses: {
            /** @description The same cancel was accepted before (a retry): the checkout as it is now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkout"];
                };
            };
            /** @description Cancellation accepted; the checkout compensates and ends as `cancelled` */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkout"];
                };
            };
            /** @description Malformed JSON; Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service unavailable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reviewCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReviewDecision"];
            };
        };
        responses: {
            /** @description Decision recorded; the saga goes on (approve) or compensates (reject) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkout"];
                };
            };
            /** @description Malformed JSON; Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service unavailable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCheckoutNotifications: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The messages, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notifications"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service unavailable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listOrders: {
        parameters: {
            query?: {
                /** @description How many objects a page holds, 1 to 100. */
                limit?: number;
                /** @description An object id from the last page: the page holds the objects created before it (the next page). */
                starting_after?: string;
                /** @description An object id from the first page: the page holds the objects created after it (the previous page). */
                ending_before?: string;
                "created[gt]"?: string;
                "created[gte]"?: string;
                "created[lt]"?: string;
                "created[lte]"?: string;
                status?: "pending_payment" | "paid" | "cancelled";
                customer_id?: string;
                checkout_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of orders */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCheckoutRefunds: {
        parameters: {
            query?: {
                /** @description How many objects a page holds, 1 to 100. */
                limit?: number;
                /** @description An object id from the last page: the page holds the objects created before it (the next page). */
                starting_after?: string;
                /** @description An object id from the first page: the page holds the objects created after it (the previous page). */
                ending_before?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the checkout's refunds */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefundList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service unavailable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createRefund: {
        parameters: {
            query?: never;
            header?: {
                /** @description A key unique to this refund (e.g. a UUID); retries with the same key and body return the same refund for 24 hours. */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefundRequest"];
            };
        };
        responses: {
            /** @description An earlier request with the same Idempotency-Key made this refund */
            200: {
                headers: {
                    /** @description The path of the refund */
                    Location?: string;
                    /** @description `true` when an earlier request with the same Idempotency-Key answered */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refund"];
                };
            };
            /** @description The refund was admitted */
            201: {
                headers: {
                    /** @description The path of the refund */
                    Location?: string;
                    /** @description `true` when an earlier request with the same Idempotency-Key answered */
                    "Idempotent-Replayed"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refund"];
                };
            };
            /** @description Malformed JSON; Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Nothing to refund */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description More than is left to refund; Idempotency key reused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Service unavailable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRefund: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The refund */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refund"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRefunds: {
        parameters: {
            query?: {
                /** @description How many objects a page holds, 1 to 100. */
                limit?: number;
                /** @description An object id from the last page: the page holds the objects created before it (the next page). */
                starting_after?: string;
                /** @description An object id from the first page: the page holds the objects created after it (the previous page). */
                ending_before?: string;
                checkout_id?: string;
                /** @description `escalated` lists the refunds an operator must settle. */
                status?: "pending" | "succeeded" | "failed" | "escalated";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of refunds */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefundList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: {
                /** @description How many objects a page holds, 1 to 100. */
                limit?: number;
                /** @description An object id from the last page: the page holds the objects created before it (the next page). */
                starting_after?: string;
                /** @description An object id from the first page: the page holds the objects created after it (the previous page). */
                ending_before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointWithSecret"];
                };
            };
            /** @description Malformed JSON; Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedWebhookEndpoint"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateSecretRequest"];
            };
        };
        responses: {
            /** @description The endpoint, with its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointWithSecret"];
                };
            };
            /** @description Malformed JSON; Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    enableWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description How many objects a page holds, 1 to 100. */
                limit?: number;
                /** @description An object id from the last page: the page holds the objects created before it (the next page). */
                starting_after?: string;
                /** @description An object id from the first page: the page holds the objects created after it (the previous page). */
                ending_before?: string;
                status?: "pending" | "delivered" | "failed";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    redeliverWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery, pending again */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every dependency answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description At least one dependency does not answer; `errors` says why */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getAnalyticsSummary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        counts: {
                            completed: number;
                            declined: number;
                            cancelled: number;
                            failed: number;
                            escalated: number;
                            total: number;
                        };
                        /** @description completed checkouts only, net of their refunds */
                        revenue: {
                            /** @description ISO 4217 */
                            currency: string;
                            /** @description captured, in minor units, e.g. cents */
                            total: number;
                            /** @description refunded of it since */
                            refunded: number;
                            /** @description total − refunded */
                            net: number;
                            orders: number;
                        }[];
                        /** @description declined / total, 0 when there is nothing yet */
                        declineRate: number;
                        /** @description declines, failures and cancellations by failure code */
                        failureReasons: {
                            code: string;
                            count: number;
                        }[];
                        /** @description all ten buckets of ten points */
                        fraudScores: {
                            /** @description lower bound; 90 holds 90–100 */
                            bucket: number;
                            count: number;
                        }[];
                        /** @description checkout start to outcome; null before the first event */
                        latencyMs: {
                            p50: number | null;
                            p95: number | null;
                            p99: number | null;
                        };
                        /** @description the latest 60 minutes that saw an outcome, oldest first */
                        perMinute: {
                            /** @description ISO time of the minute start */
                            minute: string;
                            completed: number;
                            declined: number;
                            cancelled: number;
                            failed: number;
                            escalated: number;
                        }[];
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    /** @description The authentication scheme: `Bearer` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests */
            429: {
                headers: {
                    /** @description Seconds until this key may send again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
