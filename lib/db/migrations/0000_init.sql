CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "clues" (
	"customer_id" bigint PRIMARY KEY NOT NULL,
	"day" text NOT NULL,
	"create_time" text NOT NULL,
	"last_update_time" text NOT NULL,
	"type" smallint NOT NULL,
	"is_clue" boolean NOT NULL,
	"company_id" bigint,
	"search_text" text NOT NULL,
	"phones_masked" text NOT NULL,
	"phone_hashes" text[] NOT NULL,
	"tag_ids" text[] NOT NULL,
	"select_values" text[] NOT NULL,
	"record" jsonb NOT NULL,
	"stored_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_days" (
	"day" text PRIMARY KEY NOT NULL,
	"synced_at" timestamp with time zone,
	"checked_at" timestamp with time zone,
	"row_count" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"failed_at" timestamp with time zone,
	"last_read_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "clues_create_time_idx" ON "clues" USING btree ("create_time","customer_id");--> statement-breakpoint
CREATE INDEX "clues_day_idx" ON "clues" USING btree ("day");--> statement-breakpoint
CREATE INDEX "clues_company_idx" ON "clues" USING btree ("company_id","create_time");--> statement-breakpoint
CREATE INDEX "clues_tag_ids_idx" ON "clues" USING gin ("tag_ids");--> statement-breakpoint
CREATE INDEX "clues_select_values_idx" ON "clues" USING gin ("select_values");--> statement-breakpoint
CREATE INDEX "clues_phone_hashes_idx" ON "clues" USING gin ("phone_hashes");--> statement-breakpoint
CREATE INDEX "clues_search_text_idx" ON "clues" USING gin ("search_text" gin_trgm_ops);