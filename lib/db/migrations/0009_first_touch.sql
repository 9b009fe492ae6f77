ALTER TABLE "clues" ADD COLUMN "first_touch_at" text;--> statement-breakpoint
ALTER TABLE "clues" ADD COLUMN "first_touch_by" text;--> statement-breakpoint
ALTER TABLE "clues" ADD COLUMN "touch_check_at" timestamp with time zone;