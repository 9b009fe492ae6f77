import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgSequence, pgTable, smallint, text, timestamp } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { upstreamClueSchema } from "@/lib/tanma/schemas";

/**
 * The lead copy's tables, one schema for both engines (PGlite and PostgreSQL). Migrations under
 * `lib/db/migrations/` are generated from every `tables.ts` under lib/ by `npx drizzle-kit generate`.
 *
 * Times Tanma sends are China wall times (`YYYY-MM-DD HH:mm:ss`); they are kept as that text, which sorts like
 * the instants it names and never passes through a server's zone. A `day` is a China calendar date.
 */

/** A clue as Tanma lists it, with its phone numbers masked, plus the columns the list's filters need. */
export type StoredRecord = z.output<typeof upstreamClueSchema>;

export const clues = pgTable(
  "clues",
  {
    customerId: bigint("customer_id", { mode: "number" }).primaryKey(),
    day: text("day").notNull(),
    createTime: text("create_time").notNull(),
    lastUpdateTime: text("last_update_time").notNull(),
    type: smallint("type").notNull(),
    isClue: boolean("is_clue").notNull(),
    companyId: bigint("company_id", { mode: "number" }),
    /** Name, company name and description, lower-cased: what a text search matches. */
    searchText: text("search_text").notNull(),
    /**
     * Every two-character sequence of the searched text and of the masked numbers' visible digits: the GIN
     * index that finds the candidates of a search of 2 or more characters, Chinese included (a trigram index
     * cannot serve the 2-character queries Chinese names make); LIKE then checks each candidate.
     */
    searchGrams: text("search_grams").array().notNull().default(sql`'{}'::text[]`),
    /** The masked numbers (`138****5678`), space separated: a digit search matches their visible digits. */
    phonesMasked: text("phones_masked").notNull(),
    /** HMAC-SHA256 of each full number's digits: a whole number finds its lead; the number is never stored. */
    phoneHashes: text("phone_hashes").array().notNull(),
    tagIds: text("tag_ids").array().notNull(),
    /** Each select value as `fieldKey=itemId`, so one array index answers every select filter and facet. */
    selectValues: text("select_values").array().notNull(),
    record: jsonb("record").$type<StoredRecord>().notNull(),
    /** Set by the writer: a day's replacement keeps rows written after its walk began (live arrivals). */
    storedAt: timestamp("stored_at", { withTimezone: true, mode: "date" }).notNull(),
    /**
     * The lead's first touch: its earliest follow-up by a person (China wall time) and that person's name,
     * null while none is known. Written by the touch reader (lib/touch/) and by opening the lead's detail;
     * a walk's refresh of the row keeps them (they are not Tanma's clue record).
     */
    firstTouchAt: text("first_touch_at"),
    firstTouchBy: text("first_touch_by"),
    /** When the touch reader checks this untouched lead next; null = not yet checked (due at its first age). */
    touchCheckAt: timestamp("touch_check_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    index("clues_create_time_idx").on(t.createTime, t.customerId),
    index("clues_day_idx").on(t.day),
    index("clues_company_idx").on(t.companyId, t.createTime),
    index("clues_tag_ids_idx").using("gin", t.tagIds),
    index("clues_select_values_idx").using("gin", t.selectValues),
    index("clues_phone_hashes_idx").using("gin", t.phoneHashes),
    index("clues_search_grams_idx").using("gin", t.searchGrams),
  ],
);

/**
 * Versions of the days' copies: every write that can change an answer about a day (its walk, a live arrival,
 * a detail written back, a lead forgotten) gives the day the sequence's next value. A sequence never repeats,
 * even across a purged and re-created day, so the newest version of a range's days names its contents: the
 * answers cached for it (lib/clues/store/answer-cache.ts) are exact until one of those days changes.
 */
export const dayVersions = pgSequence("clue_day_versions");

/** Per China day: when its copy was last walked completely, and when it was last read (for retention). */
export const syncDays = pgTable("sync_days", {
  day: text("day").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(sql`nextval('clue_day_versions')`),
  syncedAt: timestamp("synced_at", { withTimezone: true, mode: "date" }),
  /** When the copy was last confirmed current: a complete walk, or (today) the live follower's last call. */
  checkedAt: timestamp("checked_at", { withTimezone: true, mode: "date" }),
  rowCount: integer("row_count").notNull().default(0),
  /** The last failed walk's reason, cleared by the next complete walk. */
  lastError: text("last_error"),
  failedAt: timestamp("failed_at", { withTimezone: true, mode: "date" }),
  lastReadAt: timestamp("last_read_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  /** The instance walking the day now, and until when its claim holds (renewed while it walks). */
  walker: text("walker"),
  walkingUntil: timestamp("walking_until", { withTimezone: true, mode: "date" }),
});
