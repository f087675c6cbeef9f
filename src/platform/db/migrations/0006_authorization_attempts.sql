CREATE TABLE "authorization_attempts" (
	"checkout_id" text NOT NULL,
	"gateway" text NOT NULL,
	"attempt" integer NOT NULL,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "authorization_attempts_checkout_id_gateway_attempt_pk" PRIMARY KEY("checkout_id","gateway","attempt")
);
