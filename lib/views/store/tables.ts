import { index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Tables of saved views (migrations: drizzle.config.ts gathers every `tables.ts` under lib/). */

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
