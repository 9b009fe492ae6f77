CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sync_days" ADD COLUMN "walker" text;--> statement-breakpoint
ALTER TABLE "sync_days" ADD COLUMN "walking_until" timestamp with time zone;