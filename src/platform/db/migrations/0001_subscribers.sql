CREATE TABLE "analytics_failure_reasons" (
	"code" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_fraud_scores" (
	"bucket" integer PRIMARY KEY NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_outcomes_per_minute" (
	"minute" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "analytics_outcomes_per_minute_minute_outcome_pk" PRIMARY KEY("minute","outcome"),
	CONSTRAINT "analytics_outcomes_count_non_negative" CHECK ("analytics_outcomes_per_minute"."count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "analytics_processed_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"checkout_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"latency_ms" integer,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_revenue" (
	"currency" text PRIMARY KEY NOT NULL,
	"total" bigint NOT NULL,
	"orders" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_deliveries" (
	"event_id" text PRIMARY KEY NOT NULL,
	"checkout_id" text NOT NULL,
	"template" text NOT NULL,
	"message_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "analytics_processed_events_occurred_idx" ON "analytics_processed_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "email_deliveries_checkout_idx" ON "email_deliveries" USING btree ("checkout_id");