import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { upstreamClueSchema } from "@/lib/tanma/schemas";

/**
 * The lead store's tables, one schema for both engines (PGlite and PostgreSQL). Migrations under
 * `lib/store/migrations/` are generated from this file by `npx drizzle-kit generate`.
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

/** Per China day: when its copy was last walked completely, and when it was last read (for retention). */
export const syncDays = pgTable("sync_days", {
  day: text("day").primaryKey(),
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

/** Jobs one instance of many must run alone (today's follower): who holds each, and until when. */
export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});

/** Facts about the store itself, such as which tenant its rows came from. */
export const storeMeta = pgTable("store_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * A saved view: a name and the list's filters as a page query string (`type=2&tag=…`, no range), per owner: a
 * signed-in user (`user:<name>`) or, with sign-in off, a browser (`browser:<random id>` from an HttpOnly cookie).
 * With sign-in off, `client` is the address that saved it, so that one client's views are capped however many
 * browsers it claims to be; null for a signed-in user's (their cap is their own).
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: text("id").primaryKey(),
    owner: text("owner").notNull(),
    name: text("name").notNull(),
    query: text("query").notNull(),
    client: text("client"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("saved_views_owner_name_idx").on(t.owner, t.name), index("saved_views_client_idx").on(t.client)],
);

/**
 * Tanma's request budget, shared by every instance on one PostgreSQL store: the start times of the last
 * `TANMA_MAX_RPS` upstream calls (any instance's), from which the next free start is reserved
 * (lib/tanma/shared-slots.ts).
 */
export const upstreamQuota = pgTable("upstream_quota", {
  name: text("name").primaryKey(),
  starts: timestamp("starts", { withTimezone: true, mode: "date" }).array().notNull(),
});

/**
 * The API's per-caller rate limit, shared by every instance (lib/auth/rate-limit.ts): a generic cell rate
 * algorithm keeps one time per caller, the theoretical arrival time of its next request.
 */
export const apiRateLimits = pgTable("api_rate_limits", {
  key: text("key").primaryKey(),
  tat: timestamp("tat", { withTimezone: true, mode: "date" }).notNull(),
});

/** Failed password sign-ins per user name and per client address, shared by every instance (lib/auth/sign-in-throttle.ts). */
export const signInFailures = pgTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }).notNull(),
  lastFailure: timestamp("last_failure", { withTimezone: true, mode: "date" }).notNull(),
});

/**
 * The audit trail: who revealed which lead's numbers, exported what, signed in (or failed to), forced a sync.
 * Append-only: the app has no update path, and a trigger (migration 0005) refuses updates and any delete but
 * retention's of rows older than a day.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    action: text("action").notNull(),
    /** The signed-in user, or with sign-in off `anonymous (sign-in off)`; for a failed sign-in the name tried, when valid. */
    actor: text("actor"),
    client: text("client"),
    /** What the action was about: a lead's customer id for a reveal. */
    target: text("target"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_events_at_idx").on(t.at, t.id), index("audit_events_actor_idx").on(t.actor, t.at)],
);
