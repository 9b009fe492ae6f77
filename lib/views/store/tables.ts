import { pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Tables of saved views (migrations: drizzle.config.ts gathers every `tables.ts` under lib/). */

/**
 * A saved view: a name and the list's filters as a page query string (`type=2&tag=…`, no range), per owner: a
 * signed-in user (`user:<name>`) or, with sign-in off, a browser (`browser:<random id>` from an HttpOnly cookie).
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: text("id").primaryKey(),
    owner: text("owner").notNull(),
    name: text("name").notNull(),
    query: text("query").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("saved_views_owner_name_idx").on(t.owner, t.name)],
);
