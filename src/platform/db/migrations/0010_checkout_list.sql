-- The recorded results become the list's read model: running checkouts get a row too (finished_at null),
-- and the merchant, creation time and merchant's references get columns of their own, backfilled from the
-- recorded views.
DROP INDEX "checkout_results_customer_idx";--> statement-breakpoint
ALTER TABLE "checkout_results" ALTER COLUMN "finished_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "checkout_results" ALTER COLUMN "finished_at" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "checkout_results" ADD COLUMN "merchant_id" text;--> statement-breakpoint
ALTER TABLE "checkout_results" ADD COLUMN "client_reference_id" text;--> statement-breakpoint
ALTER TABLE "checkout_results" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "checkout_results" ADD COLUMN "created_at" timestamp with time zone;--> statement-breakpoint
UPDATE "checkout_results" SET
  "merchant_id" = "view"->>'merchantId',
  "client_reference_id" = "view"->>'clientReferenceId',
  "metadata" = COALESCE("view"->'metadata', '{}'::jsonb),
  "created_at" = COALESCE(("view"->>'createdAt')::timestamptz, "finished_at");--> statement-breakpoint
ALTER TABLE "checkout_results" ALTER COLUMN "merchant_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "checkout_results" ALTER COLUMN "created_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "checkout_results_merchant_created_idx" ON "checkout_results" USING btree ("merchant_id","created_at" DESC NULLS LAST,"checkout_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "checkout_results_customer_created_idx" ON "checkout_results" USING btree ("customer_id","created_at" DESC NULLS LAST,"checkout_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "checkout_results_metadata_idx" ON "checkout_results" USING gin ("metadata" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "orders_merchant_created_idx" ON "orders" USING btree ("merchant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
