CREATE TABLE "key_check_budgets" (
	"scope" text NOT NULL,
	"address" text NOT NULL,
	"tokens" double precision NOT NULL,
	"refilled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "key_check_budgets_scope_address_pk" PRIMARY KEY("scope","address")
);
--> statement-breakpoint
CREATE INDEX "key_check_budgets_refilled_idx" ON "key_check_budgets" USING btree ("refilled_at");