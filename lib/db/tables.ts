import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Tables of the database core, used by every feature (migrations: drizzle.config.ts gathers every `tables.ts` under lib/). */

/** Facts about the store itself, such as which tenant its rows came from. */
export const storeMeta = pgTable("store_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** Jobs one instance of many must run alone (today's follower): who holds each, and until when. */
export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});
