ALTER TABLE "analytics_failure_reasons" ADD COLUMN "merchant_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_fraud_scores" ADD COLUMN "merchant_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_outcomes_per_minute" ADD COLUMN "merchant_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_processed_events" ADD COLUMN "merchant_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_revenue" ADD COLUMN "merchant_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_outcomes_per_minute" DROP CONSTRAINT "analytics_outcomes_per_minute_minute_outcome_pk";--> statement-breakpoint
ALTER TABLE "analytics_failure_reasons" DROP CONSTRAINT "analytics_failure_reasons_pkey";--> statement-breakpoint
ALTER TABLE "analytics_fraud_scores" DROP CONSTRAINT "analytics_fraud_scores_pkey";--> statement-breakpoint
ALTER TABLE "analytics_revenue" DROP CONSTRAINT "analytics_revenue_pkey";--> statement-breakpoint
ALTER TABLE "analytics_failure_reasons" ADD CONSTRAINT "analytics_failure_reasons_merchant_id_code_pk" PRIMARY KEY("merchant_id","code");--> statement-breakpoint
ALTER TABLE "analytics_fraud_scores" ADD CONSTRAINT "analytics_fraud_scores_merchant_id_bucket_pk" PRIMARY KEY("merchant_id","bucket");--> statement-breakpoint
ALTER TABLE "analytics_outcomes_per_minute" ADD CONSTRAINT "analytics_outcomes_per_minute_merchant_id_minute_outcome_pk" PRIMARY KEY("merchant_id","minute","outcome");--> statement-breakpoint
ALTER TABLE "analytics_revenue" ADD CONSTRAINT "analytics_revenue_merchant_id_currency_pk" PRIMARY KEY("merchant_id","currency");--> statement-breakpoint
CREATE INDEX "analytics_processed_events_merchant_idx" ON "analytics_processed_events" USING btree ("merchant_id");
