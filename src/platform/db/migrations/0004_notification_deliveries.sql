CREATE TABLE "notification_deliveries" (
	"event_id" text PRIMARY KEY NOT NULL,
	"checkout_id" text NOT NULL,
	"status" text NOT NULL,
	"channel" text NOT NULL,
	"provider" text NOT NULL,
	"provider_attempts" integer DEFAULT 0 NOT NULL,
	"channel_attempts" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"channel_started_at" timestamp with time zone NOT NULL,
	"fallbacks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"provider_message_id" text,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "notification_deliveries_checkout_idx" ON "notification_deliveries" USING btree ("checkout_id");