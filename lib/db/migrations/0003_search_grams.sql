DROP INDEX "clues_search_text_idx";--> statement-breakpoint
ALTER TABLE "clues" ADD COLUMN "search_grams" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "clues_search_grams_idx" ON "clues" USING gin ("search_grams");--> statement-breakpoint
-- Rows stored before this migration get their grams here, exactly as lib/store/records.ts computes them.
UPDATE "clues" SET "search_grams" = ARRAY(
	SELECT DISTINCT substr(src, i, 2)
	FROM (SELECT "search_text" || E'\n' || "phones_masked" AS src) AS s, generate_series(1, greatest(char_length(src) - 1, 0)) AS i
	WHERE substr(src, i, 2) !~ '[[:space:]*]'
);
